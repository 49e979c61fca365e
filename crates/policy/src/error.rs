//! The one error type of this crate.

use std::path::PathBuf;

/// Everything that can go wrong loading or evaluating Rego policies. The CLI maps every
/// variant to exit status 2: a policy that cannot run is never a silent pass.
///
/// No message quotes the plan: evaluation errors name the policy file, line and rule and
/// say what kind of failure it was, never the values involved.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// A policy directory or file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A `.rego` file does not parse (Rego v1, nor the older v0 syntax), or a module
    /// does not compile (an unsafe variable, a recursive rule, an unknown function).
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The policy file.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// A `.json`/`.yaml` data file beside the policies is invalid or conflicts with
    /// another one.
    #[error("{file}:{line}:{column}: {message}")]
    Data {
        /// The data file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The policy directories hold no `.rego` file.
    #[error("{dirs}: no .rego policy file found")]
    NoPolicies {
        /// The directories, comma-separated.
        dirs: String,
    },
    /// The selected packages hold no deny, violation or warn rule: evaluating them would
    /// pass every plan without judging it.
    #[error("no deny, violation or warn rule in the selected namespaces ({namespaces}); the policies declare packages: {packages} (choose with --namespace NS or --all-namespaces)")]
    NoRules {
        /// The selected namespaces, comma-separated.
        namespaces: String,
        /// The packages the policies declare, comma-separated.
        packages: String,
    },
    /// `--namespace` names a package no policy declares.
    #[error("namespace {namespace}: no loaded policy has this package (packages: {packages})")]
    UnknownNamespace {
        /// The namespace asked for.
        namespace: String,
        /// The packages the policies declare, comma-separated.
        packages: String,
    },
    /// A rule failed while evaluating the plan: a builtin error, conflicting values of a
    /// complete rule, an unsafe variable (regorus finds those only when it reaches them).
    #[error("{file}:{line}:{column}: rule {rule}: evaluation failed ({reason})")]
    Eval {
        /// The policy file of the failing expression (else of the rule).
        file: String,
        /// 1-based line of the failing expression (else of the rule).
        line: u32,
        /// 1-based column (1 when only the rule is known).
        column: u32,
        /// `package.rule`.
        rule: String,
        /// What kind of failure (never the values involved).
        reason: String,
    },
    /// A rule ran longer than the execution limit and was stopped.
    #[error("{file}:{line}: rule {rule}: stopped after the execution limit of {limit_ms} ms")]
    TimeLimit {
        /// The policy file of the rule.
        file: String,
        /// 1-based line of the rule.
        line: u32,
        /// `package.rule`.
        rule: String,
        /// The limit.
        limit_ms: u128,
    },
    /// The plan text is not a JSON document the engine can read.
    #[error("the plan cannot be given to the policies as input: {0}")]
    Input(String),
}
