//! Import of the FBI Crime Data Explorer NIBRS CSV extract.
