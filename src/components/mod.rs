//! The app's Yew components, one per file. [`app::App`] is the root; it owns the state and the
//! worker and hands plain data to the others.

pub mod alerts;
pub mod app;
pub mod assessment_form;
pub mod audit_view;
pub mod bar;
pub mod class_summary;
pub mod code_tables_editor;
pub mod diagnostics_list;
pub mod evaluation;
pub mod fairness;
pub mod file_picker;
pub mod import_report;
pub mod import_summary;
pub mod inquiry_evaluation;
pub mod inquiry_screens;
pub mod link_review;
pub mod list_rules;
pub mod mapping_screen;
pub mod notifications;
pub mod offender_list;
pub mod offenses_table;
pub mod pairs_table;
pub mod peer_compare;
pub mod person_page;
pub mod profiles_panel;
pub mod progress_panel;
pub mod report_view;
pub mod review_queue;
pub mod sample_data;
pub mod screens;
pub mod settings;
pub mod victim_outreach;
pub mod victims_by_sex;
pub mod workload_form;
pub mod workspace;
