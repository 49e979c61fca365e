//! azurerm rules written in Rust, one directory per service.

pub(crate) mod vm;
