//! Output is byte-identical whatever the thread count: every command of the shared table
//! (every format of check, summary, graph, cost and rules, `--output` files included) on
//! several plans, with one thread and with several.

use std::path::PathBuf;

mod support;
use support::{repo, COMMANDS};

/// Plans with many independent resources, modules, findings, costs and graph edges, so that
/// a parallel stage that collected results in completion order would show it.
const PLANS: &[&str] = &[
    "fixtures/leaks/plan.json",
    "fixtures/terraform/aws-network/plan.json",
    "fixtures/terraform/aws-data/plan.json",
    "fixtures/terraform/modules/plan.json",
];

/// Thread counts compared with one thread.
const THREADS: &[&str] = &["4", "3"];

#[test]
fn every_format_is_the_same_with_one_thread_or_several() {
    let mut differences = Vec::new();
    let mut compared = 0usize;
    for (p, plan) in PLANS.iter().enumerate() {
        let plan: PathBuf = repo().join(plan);
        for (n, args) in COMMANDS.iter().enumerate() {
            // The same directory name for every run of one command, so paths printed agree.
            let tag = format!("determinism {p} {n}");
            let one = support::run(args, &plan, &tag, &[("RAYON_NUM_THREADS", "1")]);
            // Pick one of the counts per command: each count meets every format across plans.
            let threads = THREADS[(p + n) % THREADS.len()];
            let many = support::run(args, &plan, &tag, &[("RAYON_NUM_THREADS", threads)]);
            compared += 1;
            if one.code != many.code {
                differences.push(format!(
                    "{args:?} on {}: exit {} vs {}",
                    plan.display(),
                    one.code,
                    many.code
                ));
            }
            let names = |r: &support::Run| r.texts.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
            if names(&one) != names(&many) {
                differences.push(format!("{args:?} on {}: different files written", plan.display()));
                continue;
            }
            for ((name, a), (_, b)) in one.texts.iter().zip(&many.texts) {
                if a != b {
                    differences.push(format!(
                        "{args:?} on {}: {name} differs with {threads} threads",
                        plan.display()
                    ));
                }
            }
            // Identical empty outputs would prove nothing.
            assert!(
                one.texts.iter().any(|(_, t)| !t.is_empty()),
                "{args:?} on {} printed nothing",
                plan.display()
            );
        }
    }
    assert_eq!(compared, PLANS.len() * COMMANDS.len());
    assert!(
        differences.is_empty(),
        "output depends on the thread count:\n{}",
        differences.join("\n")
    );
}
