//! Reading plans named on a command line: a path, or `-` for standard input.

use std::path::Path;

use planguard_plan::{load_file, load_reader, LoadOptions, Loaded, PlanError};

/// Loads the plan named by `arg`: a file path, or `-` for standard input.
pub fn load_plan(arg: &str, options: &LoadOptions) -> Result<Loaded, PlanError> {
    if arg == "-" {
        load_reader(std::io::stdin().lock(), Path::new("<stdin>"))
    } else {
        load_file(Path::new(arg), options)
    }
}
