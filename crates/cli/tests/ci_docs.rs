//! The CI pipelines under docs/ci: each parses as YAML, installs planguard with a real
//! command, and every `planguard` command line in it runs, on an agent whose directories
//! contain spaces, against a fixture plan and writes the reports it promises.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// An agent's directories, all with spaces: the checkout (holding `.git`, the Terraform
/// sources and `tfplan.json`), the artifact staging directory and a temp directory.
struct Agent {
    checkout: PathBuf,
    artifacts: PathBuf,
    temp: PathBuf,
}

fn agent() -> Agent {
    let base = tempdir();
    let agent = Agent {
        checkout: base.join("work 1/s"),
        artifacts: base.join("work 1/a"),
        temp: base.join("work 1/_temp dir"),
    };
    for d in [&agent.checkout, &agent.artifacts, &agent.temp] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::create_dir_all(agent.checkout.join(".git")).unwrap();
    let network = repo().join("fixtures/terraform/aws-network");
    std::fs::copy(network.join("main.tf"), agent.checkout.join("main.tf")).unwrap();
    std::fs::copy(network.join("plan.json"), agent.checkout.join("tfplan.json")).unwrap();
    agent
}

/// Azure Pipelines expands `$(NAME)` macros in the script text before the shell sees it:
/// the pipeline's own variables are expanded the same way here.
fn expand_azure_macros(line: &str, agent: &Agent) -> String {
    let staging = agent.artifacts.display().to_string();
    let sources = agent.checkout.display().to_string();
    let expanded = line
        .replace("$(REPORTS)", &format!("{staging}/planguard"))
        .replace("$(TF_DIR)", &sources)
        .replace("$(Build.SourcesDirectory)", &sources)
        .replace("$(Build.ArtifactStagingDirectory)", &staging);
    assert!(!expanded.contains("$("), "a macro the test does not know: {line}");
    expanded
}

/// The arguments the shell passes for `line` (planguard replaced by a function printing
/// them one per line): unquoted paths with spaces show up split here.
fn shell_words(line: &str, cwd: &Path, env: &[(&str, String)]) -> Vec<String> {
    let script = format!("planguard() {{ printf '%s\\n' \"$@\"; }}\n{line}");
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(cwd)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn every_planguard_command_in_the_ci_docs_runs_with_paths_containing_spaces() {
    let docs = repo().join("docs/ci");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&docs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .filter(|p| !ONE_STEP.iter().any(|name| p.file_name().is_some_and(|f| f == *name)))
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "azure and github plain-shell pipelines, and gitlab");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_planguard"))
        .parent()
        .unwrap()
        .to_path_buf();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let yaml: serde_json::Value =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut all = Vec::new();
        strings(&yaml, &mut all);
        let lines: Vec<String> = all
            .iter()
            .flat_map(|s| s.lines().map(str::trim).map(String::from).collect::<Vec<_>>())
            .collect();
        if file.file_name().is_some_and(|f| f == "gitlab-ci.yml") {
            gitlab_installs_the_release_and_comments(&yaml, &lines);
        } else {
            // The install step is a real command: cargo install of this workspace's CLI package.
            let installs: Vec<&String> = lines.iter().filter(|l| l.starts_with("cargo install")).collect();
            assert_eq!(installs.len(), 1, "{}: one install command", file.display());
            assert!(
                installs[0].contains("--locked")
                    && installs[0].contains("--git")
                    && installs[0].contains(" planguard-cli"),
                "{}: {}",
                file.display(),
                installs[0]
            );
        }
        assert!(
            !text.contains("your-org/planguard"),
            "{}: no placeholder install",
            file.display()
        );
        // Display names such as "planguard check" are not commands: commands name the plan.
        let commands: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with("planguard ") && l.contains("tfplan.json"))
            .collect();
        assert!(!commands.is_empty(), "{} runs planguard", file.display());
        for command in commands {
            let agent = agent();
            std::fs::create_dir_all(agent.artifacts.join("planguard/CodeAnalysisLogs")).unwrap();
            let azure = file.file_name().unwrap() == "azure-pipelines-shell.yml";
            let line = if azure {
                expand_azure_macros(command, &agent)
            } else {
                command.to_string()
            };
            let env: Vec<(&str, String)> = vec![
                ("GITHUB_WORKSPACE", agent.checkout.display().to_string()),
                ("RUNNER_TEMP", agent.temp.display().to_string()),
                ("CI_PROJECT_DIR", agent.checkout.display().to_string()),
                (
                    "PATH",
                    format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()),
                ),
            ];
            let words = shell_words(&line, &agent.checkout, &env);
            let after = |flag: &str| -> Vec<&str> {
                words
                    .windows(2)
                    .filter(|w| w[0] == flag)
                    .map(|w| w[1].as_str())
                    .collect()
            };
            let source_dir = after("--source-dir");
            assert_eq!(
                source_dir.iter().map(PathBuf::from).collect::<Vec<_>>(),
                vec![agent.checkout.clone()],
                "{}: `{line}` passes the checkout as --source-dir, in one word",
                file.display()
            );
            assert!(
                words
                    .iter()
                    .any(|w| w == &format!("{}/tfplan.json", agent.checkout.display())),
                "{}: `{line}` names the plan by its full path, in one word: {words:?}",
                file.display()
            );
            let outputs: Vec<PathBuf> = after("--output")
                .iter()
                .map(|spec| PathBuf::from(spec.split_once('=').expect("FORMAT=FILE").1))
                .collect();
            assert!(outputs.len() >= 2, "{}: {words:?}", file.display());
            for output in &outputs {
                assert!(
                    output.starts_with(agent.checkout.parent().unwrap()),
                    "{}: `{line}`: output {} is not in the agent's directories (an unquoted path split?)",
                    file.display(),
                    output.display()
                );
            }

            let mut cmd = Command::new("sh");
            cmd.arg("-c").arg(&line).current_dir(&agent.checkout);
            for (k, v) in &env {
                cmd.env(k, v);
            }
            for var in [
                "TF_BUILD",
                "GITHUB_ACTIONS",
                "GITLAB_CI",
                "BUILD_SOURCESDIRECTORY",
                "SYSTEM_DEFINITIONID",
            ] {
                cmd.env_remove(var);
            }
            let out = cmd.output().unwrap();
            // aws-network has high findings: the default policy fails it, exit 1.
            assert_eq!(
                out.status.code(),
                Some(1),
                "{}: `{line}`: {}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            for output in &outputs {
                let meta = std::fs::metadata(output)
                    .unwrap_or_else(|_| panic!("{}: `{line}` writes {}", file.display(), output.display()));
                assert!(meta.len() > 0, "{} is empty", output.display());
                if output.extension().is_some_and(|e| e == "sarif") {
                    let sarif = std::fs::read_to_string(output).unwrap();
                    assert!(
                        sarif.contains("\"uri\": \"main.tf\""),
                        "{}: SARIF points at the .tf sources, relative to the checkout",
                        file.display()
                    );
                }
            }
        }
    }
}

/// GitLab's job downloads the musl release for its machine (`uname -m` says x86_64 or aarch64,
/// both built by release.yml under the names it gives them), checks its sha256 before using it,
/// and posts the Markdown report the check writes as a merge-request note, also when the
/// check failed (after_script).
fn gitlab_installs_the_release_and_comments(yaml: &serde_json::Value, lines: &[String]) {
    let version = yaml["variables"]["PLANGUARD_VERSION"]
        .as_str()
        .expect("PLANGUARD_VERSION");
    let cargo = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    assert!(
        cargo.contains(&format!("\nversion = \"{version}\"\n")),
        "gitlab-ci.yml installs {version}, the workspace's version"
    );
    let release = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    for target in ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"] {
        assert!(
            release.contains(&format!("target: {target}")),
            "release.yml builds {target}"
        );
    }
    assert!(release.contains(r#"name="planguard-${version}-${TARGET}""#));
    let job = &yaml["terraform-plan"];
    let before: Vec<&str> = job["before_script"]
        .as_array()
        .expect("before_script")
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(
        before[0],
        r#"name="planguard-$PLANGUARD_VERSION-$(uname -m)-unknown-linux-musl""#
    );
    let download = "\"$PLANGUARD_RELEASES/v$PLANGUARD_VERSION/$name.tar.gz";
    assert!(before[1].starts_with("wget ") && before[1].ends_with(&format!("{download}\"")));
    assert!(before[2].starts_with("wget ") && before[2].ends_with(&format!("{download}.sha256\"")));
    let verify = before
        .iter()
        .position(|l| l.contains("sha256sum -c"))
        .expect("sha256 checked");
    let unpack = before.iter().position(|l| l.starts_with("tar -xzf")).expect("unpacked");
    assert!(verify < unpack, "checked before it is unpacked");
    assert!(
        !lines.iter().any(|l| l.starts_with("cargo install")),
        "no build from source"
    );
    let after: Vec<&str> = job["after_script"]
        .as_array()
        .expect("after_script")
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let comment = after
        .iter()
        .find(|l| l.contains(" comment gitlab --path "))
        .expect("the merge-request note");
    assert!(comment.contains(r#""/tmp/planguard-$PLANGUARD_VERSION-$(uname -m)-unknown-linux-musl/planguard""#));
    let check = lines
        .iter()
        .find(|l| l.starts_with("planguard check "))
        .expect("the check");
    assert!(
        check.contains(r#"--output markdown="$CI_PROJECT_DIR/planguard.md""#)
            && comment.contains(r#"--path "$CI_PROJECT_DIR/planguard.md""#),
        "the note is the Markdown report the check writes"
    );
}

/// Each plain pipeline posts the Markdown report its check writes with `planguard comment`,
/// on pull requests only, the token in the environment; none edits "the last comment" with gh.
#[test]
fn the_plain_pipelines_comment_with_planguard_comment() {
    let cases = [
        ("github-actions-shell.yml", "github", r#""$RUNNER_TEMP/planguard.md""#),
        (
            "azure-pipelines-shell.yml",
            "azure-repos",
            r#""$(REPORTS)/planguard.md""#,
        ),
        ("gitlab-ci.yml", "gitlab", r#""$CI_PROJECT_DIR/planguard.md""#),
    ];
    for (file, platform, report) in cases {
        let text = std::fs::read_to_string(repo().join("docs/ci").join(file)).unwrap();
        assert!(!text.contains("gh pr comment"), "{file}");
        assert!(
            text.contains(&format!("--output markdown={report}")),
            "{file}: the check writes {report}"
        );
        assert!(
            text.contains(&format!(" comment {platform} --path {report}")),
            "{file}: posts {report}"
        );
        assert!(
            !text.contains("--github-token")
                && !text.contains("--azure-access-token")
                && !text.contains("--gitlab-token"),
            "{file}: tokens by environment"
        );
    }
    let github = yaml(&repo().join("docs/ci/github-actions-shell.yml"));
    let step = github["jobs"]["plan"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "comment on the pull request")
        .unwrap();
    assert_eq!(step["if"], "always() && github.event_name == 'pull_request'");
    assert_eq!(step["env"]["GITHUB_TOKEN"], "${{ github.token }}");
    let azure = yaml(&repo().join("docs/ci/azure-pipelines-shell.yml"));
    let step = azure["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["displayName"] == "comment on the pull request")
        .unwrap();
    assert!(step["condition"].as_str().unwrap().contains("'PullRequest'"));
    assert_eq!(step["env"]["SYSTEM_ACCESSTOKEN"], "$(System.AccessToken)");
}

/// The pipelines that use the planguard extension's tasks and the action instead of shell.
const ONE_STEP: [&str; 2] = ["azure-pipelines.yml", "github-actions.yml"];

fn yaml(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_one_step_pipelines_use_the_extension_tasks_and_the_action_with_inputs_they_declare() {
    let azure = yaml(&repo().join("docs/ci/azure-pipelines.yml"));
    let steps = azure["steps"].as_array().unwrap();
    for (task, dir) in [
        ("PlanguardInstaller@1", "PlanguardInstaller"),
        ("PlanguardCheck@1", "PlanguardCheck"),
    ] {
        let step = steps
            .iter()
            .find(|s| s["task"] == task)
            .unwrap_or_else(|| panic!("azure-pipelines.yml uses {task}"));
        let task_json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(repo().join("ci/azure-devops/tasks").join(dir).join("task.json")).unwrap(),
        )
        .unwrap();
        let declared: Vec<&str> = task_json["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap())
            .collect();
        for input in step["inputs"].as_object().unwrap().keys() {
            assert!(
                declared.contains(&input.as_str()),
                "{task}: input {input} is not in task.json"
            );
        }
    }
    let check = steps.iter().find(|s| s["task"] == "PlanguardCheck@1").unwrap();
    assert!(check["inputs"]["planFiles"].as_str().unwrap().ends_with("/tfplan.json"));

    let github = yaml(&repo().join("docs/ci/github-actions.yml"));
    let action = yaml(&repo().join("action.yml"));
    let declared = action["inputs"].as_object().unwrap();
    let steps = github["jobs"]["plan"]["steps"].as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("planguard/planguard@"))
        })
        .expect("github-actions.yml uses the planguard action");
    let inputs = step["with"].as_object().unwrap();
    for input in inputs.keys() {
        assert!(
            declared.contains_key(input),
            "action input {input} is not in action.yml"
        );
    }
    for (name, input) in declared {
        if input["required"] == true {
            assert!(inputs.contains_key(name), "required action input {name} missing");
        }
    }
}

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "planguard-ci-docs-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
