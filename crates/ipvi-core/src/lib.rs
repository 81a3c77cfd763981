//! IPVI Analyzer core: every analysis step of the intimate-partner violence inquiry.
//!
//! This crate is pure. It does no IO: callers hand it bytes or readers and get back plain data
//! plus diagnostics. It has no wasm-bindgen, web-sys, js-sys or yew dependency, so the same code
//! runs natively (the `ipvi` command, tests, benchmarks) and in the browser's Web Worker.
//!
//! The data's path: files → [`nibrs`] / agency import → [`classify`] (relationship classes) →
//! linkage → profiles → scores → lists → report. [`model`] holds the shared data types,
//! [`date`] the calendar, [`diag`] the diagnostics every step returns instead of failing, [`input`] the input files,
//! progress and import errors every reader shares.

pub mod classify;
pub mod codes;
pub mod contacts;
pub mod cycle;
pub mod date;
pub mod diag;
pub mod evaluate;
pub mod export;
pub mod fidelity;
pub mod import;
pub mod input;
pub mod limits;
pub mod linkage;
pub mod model;
pub mod names;
pub mod nibrs;
pub mod notify;
pub mod offenders;
pub mod pipeline;
pub mod report;
pub mod synth;
pub mod textclass;
