//! Where resources are declared in the Terraform sources, for reports that point at code
//! (SARIF, annotations).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use planguard_plan::{Address, ConfigModule, Plan};
use regex::Regex;

/// A file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// The file, relative to the repository root, with `/` separators.
    pub file: String,
    /// The 1-based line of the `resource`/`data` block.
    pub line: usize,
}

/// Declarations of resources in the `.tf` files of a root module and its local modules.
#[derive(Debug, Default)]
pub struct SourceIndex {
    by_config_address: HashMap<String, SourceLocation>,
}

impl SourceIndex {
    /// Reads the `.tf` files of `source_dir` (the root module) and, following the plan's
    /// module calls with local sources (`./x`, `../x`), of its modules. Paths are made
    /// relative to `repo_root`. Unreadable files are skipped: locations are a convenience.
    pub fn build(source_dir: &Path, plan: &Plan, repo_root: &Path) -> SourceIndex {
        let mut index = SourceIndex::default();
        let Ok(block) = Regex::new(r#"^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)""#) else {
            return index;
        };
        let root = plan.configuration.as_ref().map(|c| &c.root_module);
        index.scan(source_dir, "", root, &block, repo_root);
        index
    }

    fn scan(&mut self, dir: &Path, prefix: &str, module: Option<&ConfigModule>, block: &Regex, repo_root: &Path) {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "tf"))
                .collect(),
            Err(_) => return,
        };
        files.sort();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let shown = relative_to(&file, repo_root);
            for (i, line) in text.lines().enumerate() {
                if let Some(c) = block.captures(line) {
                    let local = if &c[1] == "data" {
                        format!("data.{}.{}", &c[2], &c[3])
                    } else {
                        format!("{}.{}", &c[2], &c[3])
                    };
                    self.by_config_address
                        .entry(format!("{prefix}{local}"))
                        .or_insert(SourceLocation {
                            file: shown.clone(),
                            line: i + 1,
                        });
                }
            }
        }
        if let Some(module) = module {
            for (name, call) in &module.module_calls {
                if call.source.starts_with("./") || call.source.starts_with("../") {
                    let child = dir.join(&call.source);
                    self.scan(
                        &child,
                        &format!("{prefix}module.{name}."),
                        Some(&call.module),
                        block,
                        repo_root,
                    );
                }
            }
        }
    }

    /// Where the resource at this instance address is declared.
    pub fn locate(&self, address: &str) -> Option<&SourceLocation> {
        let addr = Address::parse(address).ok()?;
        self.by_config_address.get(&addr.config_address())
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.by_config_address.is_empty()
    }
}

/// The repository root: the nearest ancestor of `start` holding `.git`, else `start`.
pub fn repository_root(start: &Path) -> PathBuf {
    let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    start
}

/// `path` relative to `root` with `/` separators (as SARIF and CI annotations want), or as
/// given when it lies elsewhere.
pub fn relative_to(path: &Path, root: &Path) -> String {
    let absolute = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let shown = absolute
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    shown
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
