//! Benchmarks support for planguard: the deterministic synthetic plan generator.

pub mod synth;

pub use synth::{generate, generate_to, SynthOptions, SynthStats, Synthetic};
