//! Relationship classification of victim–offender pairs (placeholder module, filled in by the
//! NIBRS work).
