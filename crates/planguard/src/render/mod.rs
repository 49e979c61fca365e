//! Report renderers: turn analysis results into text, JSON and CI formats.

pub mod summary;
