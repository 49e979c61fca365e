//! Benchmarks support for planguard: the deterministic synthetic plan generator and the
//! on-disk cache of generated plans the benchmarks read.

pub mod plans;
pub mod synth;

pub use synth::{generate, generate_to, SynthOptions, SynthStats, Synthetic};
