//! What the leak and determinism tests share: the table of every command in every format,
//! and running one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Every command, one line each. `{plan}`, `{config}`, `{rules}` and `{out}` (a fresh
/// directory; every file in it is searched) are filled in; a plan of `-` is given on stdin.
#[rustfmt::skip] // one command a line: the table grows by one line
pub const COMMANDS: &[&[&str]] = &[
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--format", "text"],
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--format", "json"],
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--format", "sarif"],
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--format", "junit"],
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--format", "markdown"],
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--format", "github"],
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--format", "azure"],
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--format", "html"],
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--output", "html={out}/report.html", "--format", "markdown", "--report-url", "https://ci.example/report.html"],
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--quiet"],
    &["check", "-", "--config", "{config}", "--rules", "{rules}", "--format", "json"],
    &["check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--fail-on", "info", "--format", "github"],
    &[
        "check", "{plan}", "--config", "{config}", "--rules", "{rules}", "--output", "{out}/report.txt",
        "--output", "text={out}/more.txt", "--output", "json={out}/report.json", "--output",
        "sarif={out}/report.sarif", "--output", "junit={out}/junit.xml", "--output", "markdown={out}/report.md",
        "--output", "github={out}/github.txt", "--output", "azure={out}/azure.txt",
    ],
    &["check", "{plan}", "--rules", "{rules}", "--format", "text"],
    &["summary", "{plan}"],
    &["summary", "{plan}", "--format", "json"],
    &["summary", "-", "--format", "json"],
    &["graph", "{plan}", "--format", "text"],
    &["graph", "{plan}", "--format", "dot"],
    &["graph", "{plan}", "--format", "mermaid"],
    &["graph", "{plan}", "--format", "json"],
    &["graph", "{plan}", "--format", "html"],
    &["graph", "{plan}", "--format", "json", "--changed-only"],
    &["graph", "{plan}", "--format", "text", "--focus", "aws_instance.web", "--depth", "2"],
    &["cost", "{plan}"],
    &["cost", "{plan}", "--format", "json"],
    &["cost", "-", "--format", "text"],
    &["rules", "list", "--rules", "{rules}"],
    &["rules", "list", "--rules", "{rules}", "--format", "json"],
    &["rules", "explain", "LEAK-EC2-001", "--rules", "{rules}"],
    &["rules", "explain", "AWS-OIDC-001"],
    // A Rego policy that puts every attribute value into its messages (fixtures/policy/leak).
    &["check", "{plan}", "--policy", "{policy}", "--format", "text"],
    &["check", "{plan}", "--policy", "{policy}", "--format", "json"],
    &["check", "{plan}", "--policy", "{policy}", "--format", "sarif"],
    &["check", "{plan}", "--policy", "{policy}", "--format", "junit"],
    &["check", "{plan}", "--policy", "{policy}", "--format", "markdown"],
    &["check", "{plan}", "--policy", "{policy}", "--format", "github"],
    &["check", "{plan}", "--policy", "{policy}", "--format", "azure"],
    &["check", "{plan}", "--policy", "{policy}", "--format", "html"],
];

pub struct Run {
    pub code: i32,
    /// stdout, stderr and every file written under `{out}`, each with its name.
    pub texts: Vec<(String, String)>,
}

/// Runs the binary with `args` filled in, from a fresh directory named after `tag` (its
/// files are read back), with `env` set.
pub fn run(args: &[&str], plan: &Path, tag: &str, env: &[(&str, &str)]) -> Run {
    let root = repo();
    let out = std::env::temp_dir().join(format!("planguard {tag} {}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let fill = |a: &str| {
        a.replace("{plan}", &plan.display().to_string())
            .replace(
                "{config}",
                &root.join("fixtures/leaks/planguard.yaml").display().to_string(),
            )
            .replace("{rules}", &root.join("fixtures/leaks/rules").display().to_string())
            .replace("{policy}", &root.join("fixtures/policy/leak").display().to_string())
            .replace("{out}", &out.display().to_string())
    };
    let args: Vec<String> = args.iter().map(|a| fill(a)).collect();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planguard"));
    // Another working directory than the repository, with no configuration to discover.
    cmd.args(&args).current_dir(&out);
    for var in [
        "GITHUB_ACTIONS",
        "TF_BUILD",
        "GITLAB_CI",
        "GITHUB_REF",
        "BUILD_SOURCEBRANCH",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let stdin = args.iter().any(|a| a == "-");
    cmd.stdin(if stdin {
        Stdio::from(std::fs::File::open(plan).unwrap())
    } else {
        Stdio::null()
    });
    let output = cmd.output().unwrap();
    let mut texts = vec![
        (
            "stdout".to_string(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        ),
        (
            "stderr".to_string(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ),
    ];
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in files {
        texts.push((
            file.display().to_string(),
            String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned(),
        ));
    }
    std::fs::remove_dir_all(&out).unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        texts,
    }
}
