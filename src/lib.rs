//! IPVI Analyzer in the browser: the Yew app and the Web Worker entry point (filled in by the
//! browser work).
