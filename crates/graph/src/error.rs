//! The error type of graph building.

use std::path::PathBuf;

/// Why a graph could not be built.
///
/// Problems with the plan itself (missing `configuration`, references to things not in the plan,
/// unparsable `.tf` files) are warnings, not errors: the graph is still built from what is there.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// The source directory given in [`GraphOptions::source_dir`](crate::GraphOptions::source_dir)
    /// could not be read.
    #[error("cannot read the source directory {path}: {source}")]
    SourceDir {
        /// The directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The graph has more nodes than the index type can address (over four billion).
    #[error("the plan is too large for the graph: {0} nodes")]
    TooLarge(usize),
}
