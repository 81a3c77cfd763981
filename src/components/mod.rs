//! The app's Yew components, one per file. [`app::App`] is the root; it owns the state and the
//! worker and hands plain data to the others.

pub mod alerts;
pub mod app;
pub mod bar;
pub mod class_summary;
pub mod diagnostics_list;
pub mod file_picker;
pub mod import_summary;
pub mod offenses_table;
pub mod pairs_table;
pub mod progress_panel;
pub mod settings;
pub mod victims_by_sex;
