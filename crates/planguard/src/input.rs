//! Reading plans named on a command line: a path, or `-` for standard input.

use std::path::Path;

use planguard_plan::{load_file, load_reader, LoadOptions, Loaded, PlanError};

/// The name reports give the plan named by `arg`: `<stdin>` for `-`, else the path as given.
pub fn display_name(arg: &str) -> String {
    if arg == "-" {
        crate::render::STDIN_NAME.to_string()
    } else {
        arg.to_string()
    }
}

/// Loads the plan named by `arg`: a file path, or `-` for standard input.
pub fn load_plan(arg: &str, options: &LoadOptions) -> Result<Loaded, PlanError> {
    if arg == "-" {
        load_reader(std::io::stdin().lock(), Path::new(crate::render::STDIN_NAME))
    } else {
        load_file(Path::new(arg), options)
    }
}
