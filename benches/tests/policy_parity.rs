//! Parity of `planguard check --policy` with conftest: for each policy directory of
//! `fixtures/policy/` and each plan (fixture plans and generated ones), the messages
//! planguard reports, as failures, warnings and exceptions, equal what conftest would report.
//!
//! conftest is not installable here, so its semantics are written once below (which rules
//! count, how `exception` applies) over the raw package documents of two independent Rego
//! engines: regorus's CLI (`PLANGUARD_REGORUS`, installed by `.ci/run` under
//! target/peers/regorus) and rego-cpp through `regopy` (`PLANGUARD_CI_PYTHON`, the venv
//! `.ci/run` makes from tests/python/requirements.txt). Without an engine this test fails
//! under CI (`CI` set) and otherwise says loudly what it did not compare.
//!
//! rego-cpp (regopy 1.5.2) crashes on the pre-1.0 syntax, so it is given the v1 files of
//! each directory only, and planguard is run on the same subset for that comparison.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use planguard::policy::Namespaces;
use planguard::Analyzer;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

/// What conftest reports: (bucket, `package.rule`, message).
type Reported = BTreeSet<(&'static str, String, String)>;

struct Case {
    dir: &'static str,
    namespaces: Namespaces,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            dir: "terraform",
            namespaces: Namespaces::Default,
        },
        Case {
            dir: "exceptions",
            namespaces: Namespaces::Default,
        },
        Case {
            dir: "v0-only",
            namespaces: Namespaces::Default,
        },
        Case {
            dir: "namespaces",
            namespaces: Namespaces::All,
        },
        Case {
            dir: "namespaces",
            namespaces: Namespaces::List(vec!["terraform.storage".into()]),
        },
    ]
}

/// Fixture plans, then generated ones (written once under target/).
fn plans() -> Vec<PathBuf> {
    let mut plans: Vec<PathBuf> = ["aws-network", "aws-iam", "aws-data", "modules"]
        .iter()
        .map(|p| repo().join("fixtures/terraform").join(p).join("plan.json"))
        .collect();
    let dir = repo().join("target/policy-parity");
    std::fs::create_dir_all(&dir).unwrap();
    for (resources, seed) in [(300, 7), (1000, 11)] {
        let path = dir.join(format!("plan-{resources}-s{seed}.json"));
        if !path.is_file() {
            let plan = planguard_bench::generate(&planguard_bench::SynthOptions { resources, seed });
            std::fs::write(&path, plan.json).unwrap();
        }
        plans.push(path);
    }
    plans
}

fn is_v1(text: &str) -> bool {
    text.contains("import rego.v1")
}

/// A copy of a policy directory for the peers: YAML data as JSON (both engines read JSON
/// data documents), and only v1 modules when `v1_only`.
fn prepare(dir: &Path, out: &Path, v1_only: bool) -> Vec<PathBuf> {
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).unwrap();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    let mut files = Vec::new();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        if name.ends_with(".rego") {
            if v1_only && !is_v1(&text) {
                continue;
            }
            let target = out.join(&name);
            std::fs::write(&target, text).unwrap();
            files.push(target);
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            let data: Value = serde_saphyr::from_str(&text).unwrap();
            let target = out.join(format!("{name}.json"));
            std::fs::write(&target, data.to_string()).unwrap();
            files.push(target);
        } else if name.ends_with(".json") {
            let target = out.join(&name);
            std::fs::write(&target, text).unwrap();
            files.push(target);
        }
    }
    files
}

fn packages(files: &[PathBuf], namespaces: &Namespaces) -> Vec<String> {
    match namespaces {
        Namespaces::Default => vec!["main".into()],
        Namespaces::List(list) => list.clone(),
        Namespaces::All => {
            let mut all = BTreeSet::new();
            for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "rego")) {
                let text = std::fs::read_to_string(f).unwrap();
                if let Some(line) = text.lines().find(|l| l.starts_with("package ")) {
                    all.insert(line["package ".len()..].trim().to_string());
                }
            }
            all.into_iter().collect()
        }
    }
}

/// conftest's reading of one package document: `deny`, `violation`, `warn` and their
/// `_<name>` forms; a result is a string or an object's `msg`; an `exception` whose value
/// holds a rule's name without its prefix (`""` for the bare rule) turns that deny or
/// violation rule's results into exceptions. Warnings are never excepted.
fn conftest_reading(package: &str, document: &Value, out: &mut Reported) {
    let Some(rules) = document.as_object() else {
        return;
    };
    let mut excepted = BTreeSet::new();
    if let Some(Value::Array(entries)) = rules.get("exception") {
        for entry in entries {
            for name in entry.as_array().into_iter().flatten() {
                if let Some(name) = name.as_str() {
                    excepted.insert(name.to_string());
                }
            }
        }
    }
    for (rule, value) in rules {
        let (kind, name) = match rule.split_once('_') {
            Some((kind, name)) => (kind, name),
            None => (rule.as_str(), ""),
        };
        if !["deny", "violation", "warn"].contains(&kind) || (rule.contains('_') && name.is_empty()) {
            continue;
        }
        let bucket = match kind {
            "warn" => "warning",
            _ if excepted.contains(name) => "exception",
            _ => "failure",
        };
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            let message = match item {
                Value::String(s) => s.clone(),
                Value::Object(o) => match o.get("msg") {
                    Some(Value::String(s)) => s.clone(),
                    _ => continue,
                },
                _ => continue,
            };
            out.insert((bucket, format!("{package}.{rule}"), message));
        }
    }
}

fn planguard_reported(dir: &Path, namespaces: &Namespaces, plan: &Path) -> Reported {
    let mut builder = Analyzer::builder().skip_check(["critical".to_string()]).policy_dir(dir);
    builder = match namespaces {
        Namespaces::Default => builder,
        Namespaces::All => builder.all_policy_namespaces(),
        Namespaces::List(list) => list.iter().fold(builder, |b, ns| b.policy_namespace(ns)),
    };
    let report = builder.build().unwrap().analyze_file(plan).unwrap();
    let rule_of = |title: &str| -> String {
        // "Rego package.rule (file:line)"
        title
            .strip_prefix("Rego ")
            .and_then(|t| t.split(" (").next())
            .unwrap()
            .to_string()
    };
    let mut out = Reported::new();
    for f in &report.findings {
        let rule = rule_of(&f.title);
        let bucket = if rule.rsplit('.').next().unwrap().starts_with("warn") {
            "warning"
        } else {
            "failure"
        };
        out.insert((bucket, rule, f.message.to_string()));
    }
    for w in report.waived_findings.iter().filter(|w| w.kind == "rego-exception") {
        out.insert(("exception", rule_of(&w.finding.title), w.finding.message.to_string()));
    }
    out
}

fn regorus_reported(regorus: &Path, files: &[PathBuf], packages: &[String], plan: &Path) -> Reported {
    let mut out = Reported::new();
    for package in packages {
        let mut cmd = Command::new(regorus);
        cmd.args(["eval", "--v0", "--non-strict"]);
        for f in files {
            cmd.arg("-d").arg(f);
        }
        cmd.arg("-i").arg(plan).arg(format!("data.{package}"));
        let output = cmd.output().unwrap();
        assert!(
            output.status.success(),
            "regorus failed on data.{package}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        let document = &json["result"][0]["expressions"][0]["value"];
        conftest_reading(package, document, &mut out);
    }
    out
}

fn regopy_reported(python: &Path, files: &[PathBuf], packages: &[String], plan: &Path) -> Reported {
    let output = Command::new(python)
        .arg(repo().join("tests/python/regopy_eval.py"))
        .arg(plan)
        .arg(packages.join(","))
        .args(files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "rego-cpp failed ({:?}): {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut out = Reported::new();
    for package in packages {
        conftest_reading(package, &json[package.as_str()], &mut out);
    }
    out
}

fn engine(var: &str, how: &str) -> Option<PathBuf> {
    let path = std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_file());
    if path.is_none() {
        let message =
            format!("{var} is not set to an executable: the policy parity test did not compare with it ({how})");
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("{message}");
        }
        eprintln!("NOT COMPARED: {message}");
    }
    path
}

fn show(diff: &BTreeMap<&str, Vec<String>>) -> String {
    diff.iter()
        .map(|(k, v)| format!("{k}:\n  {}", v.join("\n  ")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn compare(label: &str, ours: &Reported, theirs: &Reported, failures: &mut Vec<String>) {
    if ours == theirs {
        return;
    }
    let mut diff: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for r in ours.difference(theirs) {
        diff.entry("only planguard").or_default().push(format!("{r:?}"));
    }
    for r in theirs.difference(ours) {
        diff.entry("only the peer").or_default().push(format!("{r:?}"));
    }
    failures.push(format!("{label}\n{}", show(&diff)));
}

#[test]
fn planguard_reports_what_conftest_would() {
    let regorus = engine(
        "PLANGUARD_REGORUS",
        "cargo install --locked regorus --example regorus --root target/peers/regorus",
    );
    let python = engine(
        "PLANGUARD_CI_PYTHON",
        "python3 -m venv target/ci-venv && target/ci-venv/bin/pip install -r tests/python/requirements.txt",
    );
    let work = std::env::temp_dir().join(format!("planguard-policy-parity-{}", std::process::id()));
    let plans = plans();
    let mut failures = Vec::new();
    let mut compared = 0;
    let mut reported = 0;
    for (c, case) in cases().iter().enumerate() {
        let dir = repo().join("fixtures/policy").join(case.dir);
        let all_files = prepare(&dir, &work.join(format!("{c}-all")), false);
        let v1_dir = work.join(format!("{c}-v1"));
        let v1_files = prepare(&dir, &v1_dir, true);
        let has_v1_module = v1_files.iter().any(|f| f.extension().is_some_and(|e| e == "rego"));
        let packages_all = packages(&all_files, &case.namespaces);
        for plan in &plans {
            let label = format!("{} {:?} on {}", case.dir, case.namespaces, plan.display());
            let ours = planguard_reported(&dir, &case.namespaces, plan);
            reported += ours.len();
            if let Some(regorus) = &regorus {
                let theirs = regorus_reported(regorus, &all_files, &packages_all, plan);
                compare(&format!("regorus: {label}"), &ours, &theirs, &mut failures);
                compared += 1;
            }
            if let Some(python) = &python {
                if !has_v1_module {
                    continue;
                }
                // planguard on the same v1 subset (the YAML data converted to JSON).
                let ours_v1 = planguard_reported(&v1_dir, &case.namespaces, plan);
                let packages_v1 = packages(&v1_files, &case.namespaces);
                let theirs = regopy_reported(python, &v1_files, &packages_v1, plan);
                compare(&format!("rego-cpp: {label}"), &ours_v1, &theirs, &mut failures);
                compared += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    // The fixtures must say something, or equal empty sets would prove nothing.
    assert!(reported > 50, "planguard reported only {reported} results");
    eprintln!("policy parity: {compared} comparisons, {reported} planguard results");
    assert!(
        failures.is_empty(),
        "planguard differs from the peers:\n{}",
        failures.join("\n\n")
    );
}
