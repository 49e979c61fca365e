//! Reading policy directories into one compiled engine.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regorus::unstable::{Rule, RuleHead};
use regorus::{Engine, Value};

use crate::error::PolicyError;
use crate::roots::InputRoots;
use crate::RuleSite;

pub(crate) struct Loaded {
    pub engine: Engine,
    pub sites: Vec<RuleSite>,
    pub packages: BTreeSet<String>,
    pub files: Vec<String>,
    /// The members of `input` the sources may read.
    pub roots: InputRoots,
}

pub(crate) fn load<P: AsRef<Path>>(dirs: &[P]) -> Result<Loaded, PolicyError> {
    let mut rego_files = Vec::new();
    let mut data_files = Vec::new();
    for dir in dirs {
        let dir = dir.as_ref();
        let metadata = std::fs::metadata(dir).map_err(|source| PolicyError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        if metadata.is_file() {
            rego_files.push(dir.to_path_buf());
        } else {
            walk(dir, &mut rego_files, &mut data_files, 0)?;
        }
    }
    if rego_files.is_empty() {
        return Err(PolicyError::NoPolicies {
            dirs: dirs
                .iter()
                .map(|d| d.as_ref().display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let mut engine = Engine::new();
    // Builtin errors make the expression undefined, as in OPA and conftest by default.
    engine.set_strict_builtin_errors(false);
    let mut first_seen: BTreeMap<(String, String), RuleSite> = BTreeMap::new();
    let mut packages = BTreeSet::new();
    let mut files = Vec::new();
    let mut roots = InputRoots::none();
    for path in &rego_files {
        let file = path.display().to_string();
        let text = read_text(path)?;
        roots.union(InputRoots::of_rego(&text));
        let package = add_module(&mut engine, &file, text)?;
        packages.insert(package.clone());
        let module_count = engine.get_modules().len();
        if let Some(module) = engine.get_modules().get(module_count.wrapping_sub(1)) {
            for rule in &module.policy {
                let Some((name, line)) = rule_name(rule) else {
                    continue;
                };
                first_seen
                    .entry((package.clone(), name.clone()))
                    .or_insert_with(|| RuleSite {
                        package: package.clone(),
                        rule: name,
                        file: file.clone(),
                        line,
                    });
            }
        }
        files.push(file);
    }
    for path in &data_files {
        let data = read_data(path)?;
        engine.add_data(data).map_err(|e| PolicyError::Data {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            message: format!("cannot merge into data: {}", short_message(&e.to_string())),
        })?;
    }
    compile(&mut engine)?;
    Ok(Loaded {
        engine,
        sites: first_seen.into_values().collect(),
        packages,
        files,
        roots,
    })
}

fn walk(dir: &Path, rego: &mut Vec<PathBuf>, data: &mut Vec<PathBuf>, depth: usize) -> Result<(), PolicyError> {
    let io = |source| PolicyError::Io {
        path: dir.to_path_buf(),
        source,
    };
    // Symlink loops aside, no policy tree is this deep.
    if depth > 64 {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        // Hidden files and directories (.git, editor swap files) are not policies.
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, rego, data, depth + 1)?;
        } else if name.ends_with(".rego") {
            rego.push(path);
        } else if name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml") {
            data.push(path);
        }
    }
    Ok(())
}

fn read_text(path: &Path) -> Result<String, PolicyError> {
    let bytes = std::fs::read(path).map_err(|source| PolicyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| PolicyError::Syntax {
        file: path.display().to_string(),
        line: 1,
        column: 1,
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// Adds one module, as Rego v1 or, when it only parses so, v0; returns its package.
fn add_module(engine: &mut Engine, file: &str, text: String) -> Result<String, PolicyError> {
    engine.set_rego_v0(false);
    let v1 = match engine.add_policy(file.to_string(), text.clone()) {
        Ok(package) => return Ok(strip_data(&package)),
        Err(e) => e.to_string(),
    };
    engine.set_rego_v0(true);
    let v0 = engine.add_policy(file.to_string(), text.clone());
    engine.set_rego_v0(false);
    match v0 {
        Ok(package) => Ok(strip_data(&package)),
        Err(e) => {
            let shown = if looks_like_v1(&text) { v1 } else { e.to_string() };
            Err(syntax_error(file, &shown))
        }
    }
}

fn strip_data(package: &str) -> String {
    package.strip_prefix("data.").unwrap_or(package).to_string()
}

/// Whether a file that parses neither way was meant as v1: it imports `rego.v1` or uses
/// `if`/`contains` as keywords. Its v1 error is then the one to show.
fn looks_like_v1(text: &str) -> bool {
    text.lines().any(|line| {
        let code = line.split('#').next().unwrap_or_default();
        code.contains("rego.v1")
            || code
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .any(|w| w == "if" || w == "contains")
    })
}

/// Turns regorus's error (`--> file:line:col`, the source line, a caret, `error: msg`)
/// into one `file:line:column: message` error.
pub(crate) fn syntax_error(file: &str, text: &str) -> PolicyError {
    let (line, column) = location(text).unwrap_or((1, 1));
    PolicyError::Syntax {
        file: file.to_string(),
        line,
        column,
        message: short_message(text),
    }
}

/// File, line and column of regorus's `--> file:line:col`.
pub(crate) fn position(text: &str) -> Option<(String, u32, u32)> {
    let arrow = text.lines().find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = arrow.rsplitn(3, ':');
    let column = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    Some((parts.next()?.to_string(), line, column))
}

fn location(text: &str) -> Option<(u32, u32)> {
    let arrow = text.lines().find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = arrow.rsplitn(3, ':');
    let column = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    Some((line, column))
}

/// The last `error: ...` line of a regorus error without its prefix, or the text's last
/// non-empty line.
pub(crate) fn short_message(text: &str) -> String {
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// What kind of evaluation failure regorus reported, in planguard's words: regorus's own
/// message can quote values of the input, so it is not repeated.
pub(crate) fn eval_reason(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let kind = if lower.contains("conflict") || lower.contains("multiple") {
        "a complete rule or function produced conflicting values"
    } else if lower.contains("recursion") || lower.contains("recursive") {
        "a rule depends on itself"
    } else if lower.contains("memory") {
        "the memory limit was reached"
    } else {
        "an expression could not be evaluated; the engine's message is not shown as it may quote the plan"
    };
    kind.to_string()
}

/// Rule name and line of a rule head that can hold results (not a function).
fn rule_name(rule: &Rule) -> Option<(String, u32)> {
    let span = match rule {
        Rule::Spec { head, .. } => match head {
            RuleHead::Compr { refr, .. } | RuleHead::Set { refr, .. } => refr.span(),
            RuleHead::Func { .. } => return None,
        },
        Rule::Default { refr, args, .. } if args.is_empty() => refr.span(),
        Rule::Default { .. } => return None,
    };
    let text = span.text();
    let name: String = text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    // `a.b.c contains x`: a rule nested under `a`; conftest only looks at top-level names.
    if name.is_empty() || text[name.len()..].starts_with('.') {
        return None;
    }
    Some((name, span.line))
}

fn read_data(path: &Path) -> Result<Value, PolicyError> {
    let file = path.display().to_string();
    let text = read_text(path)?;
    let is_json = file.ends_with(".json");
    let parsed: serde_json::Value = if is_json {
        serde_json::from_str(&text).map_err(|e| PolicyError::Data {
            file: file.clone(),
            line: e.line().max(1),
            column: e.column().max(1),
            message: format!("invalid JSON: {}", json_reason(&e)),
        })?
    } else {
        serde_saphyr::from_str(&text).map_err(|e| {
            let message = e.to_string();
            let (line, column) = yaml_location(&message).unwrap_or((1, 1));
            PolicyError::Data {
                file: file.clone(),
                line,
                column,
                message: format!("invalid YAML: {}", short_message(&message)),
            }
        })?
    };
    if !parsed.is_object() {
        return Err(PolicyError::Data {
            file,
            line: 1,
            column: 1,
            message: "expected an object at the top: it is merged into `data`".into(),
        });
    }
    Ok(Value::from(parsed))
}

fn json_reason(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected value",
        serde_json::error::Category::Eof => "unexpected end of file",
    }
}

fn yaml_location(message: &str) -> Option<(usize, usize)> {
    let at = message.find("line ")?;
    let rest = &message[at + 5..];
    let line: usize = rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()?;
    let column = rest
        .find("column ")
        .and_then(|c| {
            rest[c + 7..]
                .split(|ch: char| !ch.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(1);
    Some((line.max(1), column.max(1)))
}

/// Compiles every module now, so that an unsafe variable or an unknown function is an
/// error at load, before any plan.
fn compile(engine: &mut Engine) -> Result<(), PolicyError> {
    engine.set_input(Value::new_object());
    match engine.eval_query("true".to_string(), false) {
        Ok(_) => Ok(()),
        Err(e) => {
            let text = e.to_string();
            let file = text
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("--> "))
                .and_then(|a| a.rsplitn(3, ':').nth(2))
                .unwrap_or("policy")
                .to_string();
            Err(syntax_error(&file, &text))
        }
    }
}
