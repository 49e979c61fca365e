//! The `planguard` command: argument parsing and printing only; everything else lives in the
//! `planguard` facade crate, the only library this binary uses.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::time::Instant;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use planguard::analyze::{Analyzer, Options};
use planguard::ci::CiContext;
use planguard::config::Config;
use planguard::input::{display_name, load_plan};
use planguard::plan::{LoadOptions, Loaded, Summary};
use planguard::render::{self, Locator, Outcome};
use planguard::rules::Severity;
use planguard::style::Painter;
use planguard::{cost, graph, Verdict};

// A large plan means millions of small allocations (strings, JSON nodes) made and freed
// across threads; mimalloc handles that pattern faster than glibc's allocator (measured on
// a 100k-resource plan: 3.0 s instead of 4.0 s wall, peak memory 2.4x instead of 2.2x the
// file, within the 2.5x budget).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code: every enforced guardrail passed.
const EXIT_PASS: u8 = 0;
/// Exit code: an enforced guardrail failed.
const EXIT_FAIL: u8 = 1;
/// Exit code: usage or input error.
const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "planguard",
    version,
    about = "Review a Terraform plan before apply: changes, blast radius, misconfigurations, cost and guardrails",
    after_help = "Produce plan JSON with: terraform plan -out=tfplan && terraform show -json tfplan > plan.json\n\
                  Exit codes: 0 pass, 1 guardrail violated, 2 usage or input error."
)]
struct Cli {
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    /// Colour when printing to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum TextOrJson {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    Text,
    Dot,
    Mermaid,
    Json,
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Sarif,
    Junit,
    Markdown,
    Github,
    Azure,
    Html,
}

impl CheckFormat {
    fn parse(name: &str) -> Option<CheckFormat> {
        CheckFormat::from_str(name, true).ok()
    }

    fn name(self) -> &'static str {
        match self {
            CheckFormat::Text => "text",
            CheckFormat::Json => "json",
            CheckFormat::Sarif => "sarif",
            CheckFormat::Junit => "junit",
            CheckFormat::Markdown => "markdown",
            CheckFormat::Github => "github",
            CheckFormat::Azure => "azure",
            CheckFormat::Html => "html",
        }
    }

    /// The formats a file name's extension fits, the likeliest first; `None` when the
    /// extension says nothing.
    fn fitting(path: &Path) -> Option<&'static [CheckFormat]> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let formats: &'static [CheckFormat] = if name.ends_with(".sarif") || name.ends_with(".sarif.json") {
            &[CheckFormat::Sarif]
        } else if name.ends_with(".json") {
            &[CheckFormat::Json, CheckFormat::Sarif]
        } else if name.ends_with(".xml") {
            &[CheckFormat::Junit]
        } else if name.ends_with(".md") || name.ends_with(".markdown") {
            &[CheckFormat::Markdown]
        } else if name.ends_with(".html") || name.ends_with(".htm") {
            &[CheckFormat::Html]
        } else if name.ends_with(".txt") || name.ends_with(".log") {
            &[CheckFormat::Text, CheckFormat::Github, CheckFormat::Azure]
        } else {
            return None;
        };
        Some(formats)
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SeverityArg {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Critical => Severity::Critical,
            SeverityArg::High => Severity::High,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Info => Severity::Info,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Check plans against the guardrails: findings, cost, resource and tag rules. The CI step.
    Check(Box<CheckArgs>),
    /// Print what a plan will do: counts by action, each change, drift and output changes.
    Summary {
        /// The plan JSON (`terraform show -json` output), or `-` for standard input.
        plan: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
        /// Run `terraform show -json` on a binary plan file instead of failing.
        #[arg(long)]
        terraform: bool,
    },
    /// Show the dependency graph: what each change reaches.
    Graph {
        /// The plan JSON, or `-` for standard input.
        plan: String,
        /// Output format (text: changes and their blast radius).
        #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
        format: GraphFormat,
        /// Keep only changes and the nodes on paths between them.
        #[arg(long)]
        changed_only: bool,
        /// Keep only this address, what it depends on and what depends on it.
        #[arg(long, value_name = "ADDRESS")]
        focus: Option<String>,
        /// Keep only nodes at most N edges from the focus (or from any change).
        #[arg(long, value_name = "N")]
        depth: Option<usize>,
        /// The Terraform sources, to follow `locals` (the plan JSON doesn't describe them).
        #[arg(long, value_name = "DIR")]
        source_dir: Option<PathBuf>,
        /// Run `terraform show -json` on a binary plan file instead of failing.
        #[arg(long)]
        terraform: bool,
    },
    /// Estimate the monthly cost of a plan, before and after.
    Cost {
        /// The plan JSON, or `-` for standard input.
        plan: String,
        /// A usage file (Infracost's format is accepted) for usage-based resources.
        #[arg(long, value_name = "FILE")]
        usage: Option<PathBuf>,
        /// A price catalog replacing the embedded one.
        #[arg(long, value_name = "FILE")]
        prices: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
        /// Run `terraform show -json` on a binary plan file instead of failing.
        #[arg(long)]
        terraform: bool,
    },
    /// Rego (conftest/OPA) policies: run their unit tests.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// List or explain the rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Print a shell completion script (source it from your shell's startup file).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `planguard man > planguard.1 && man ./planguard.1`.
    Man,
    /// Post the Markdown report as a pull-request comment, updating ours on later runs.
    Comment {
        #[command(subcommand)]
        platform: CommentPlatform,
    },
    /// Write a commented example `.planguard.yaml`.
    Init {
        /// Where to write it.
        #[arg(long, default_value = ".planguard.yaml")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum CommentPlatform {
    /// GitHub (or GitHub Enterprise Server): the pull request's issue comments.
    Github {
        #[command(flatten)]
        common: CommentArgs,
        /// OWNER/NAME; GITHUB_REPOSITORY when absent.
        #[arg(long)]
        repo: Option<String>,
        /// The pull-request number; from the GITHUB_EVENT_PATH event when absent.
        #[arg(long, value_name = "N")]
        pull_request: Option<u64>,
        /// The API token; GITHUB_TOKEN when absent (prefer the variable: flags show in process lists).
        #[arg(long, value_name = "TOKEN")]
        github_token: Option<String>,
        /// The REST API root; GITHUB_API_URL, then https://api.github.com, when absent.
        #[arg(long, value_name = "URL")]
        github_api_url: Option<String>,
    },
    /// Azure Repos (Azure DevOps Services or Server): a pull-request thread whose status shows the verdict.
    AzureRepos {
        #[command(flatten)]
        common: CommentArgs,
        /// https://dev.azure.com/ORG/PROJECT/_git/REPO (or an on-premises URL); BUILD_REPOSITORY_URI when absent.
        #[arg(long, value_name = "URL")]
        repo_url: Option<String>,
        /// The pull-request id; SYSTEM_PULLREQUEST_PULLREQUESTID when absent.
        #[arg(long, value_name = "N")]
        pull_request: Option<u64>,
        /// The access token; SYSTEM_ACCESSTOKEN when absent (prefer the variable).
        #[arg(long, value_name = "TOKEN")]
        azure_access_token: Option<String>,
    },
    /// GitLab (gitlab.com or self-managed): a merge-request note.
    Gitlab {
        #[command(flatten)]
        common: CommentArgs,
        /// GROUP/PROJECT; CI_PROJECT_PATH when absent.
        #[arg(long)]
        repo: Option<String>,
        /// The merge request's IID; CI_MERGE_REQUEST_IID when absent.
        #[arg(long, value_name = "N")]
        merge_request: Option<u64>,
        /// A token with the api scope, sent as PRIVATE-TOKEN; GITLAB_TOKEN (then CI_JOB_TOKEN) when absent.
        #[arg(long, value_name = "TOKEN")]
        gitlab_token: Option<String>,
        /// The server; CI_SERVER_URL, then https://gitlab.com, when absent.
        #[arg(long, value_name = "URL")]
        gitlab_server_url: Option<String>,
    },
}

#[derive(Args)]
struct CommentArgs {
    /// The Markdown report (`planguard check --format markdown`) or the JSON one (`--format json`,
    /// told apart by its content); several are combined into one comment.
    #[arg(long, value_name = "FILE", required = true)]
    path: Vec<PathBuf>,
    /// update (edit ours, create when absent), new, delete-and-new, hide-and-new (GitHub).
    #[arg(long, default_value = "update")]
    behavior: String,
    /// Keeps this pipeline's comment apart from other planguard comments on the same pull request.
    #[arg(long)]
    tag: Option<String>,
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Run the `test_` rules of Rego policy directories, like `conftest verify`: exit 1 when
    /// a test fails, 2 when one cannot run.
    Test {
        /// Policy directories (or .rego files).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// List the rules (every rule, or those the filters keep; filters combine with "and",
    /// a repeated filter with "or").
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
        /// Also load rules from this directory.
        #[arg(long, value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Only this provider's rules: aws, azurerm (or azure), google (or gcp).
        #[arg(long, value_name = "PROVIDER")]
        provider: Vec<String>,
        /// Only this service's rules: the id's middle part (s3 for AWS-S3-001).
        #[arg(long, value_name = "SERVICE")]
        service: Vec<String>,
        /// Only rules of this severity.
        #[arg(long, value_enum, value_name = "SEVERITY")]
        severity: Vec<SeverityArg>,
        /// Only rules declaring this peer check (CKV_AWS_20, AVD-AWS-0086).
        #[arg(long, value_name = "CHECK_ID")]
        peer: Vec<String>,
    },
    /// Explain one rule: the risk, the fix, references and an example.
    Explain {
        /// The rule id in any case (AWS-EC2-001), or another tool's check id a rule
        /// declares as its peer (CKV_AWS_88 explains every rule that covers it).
        id: String,
        /// Also load rules from this directory.
        #[arg(long, value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
}

#[derive(Args)]
struct CheckArgs {
    /// Plan JSON files, globs, or `-` for standard input.
    #[arg(required = true)]
    plans: Vec<String>,
    /// The configuration file. Default: the nearest .planguard.yaml from the working
    /// directory up to its repository root (the directory holding .git, or the CI checkout
    /// root), else from the plans' directories up to theirs; never above a repository root.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Run only these rules: ids (any case), globs (AWS-S3-*), severities (that and above)
    /// or peer ids (CKV_AWS_20). Comma-separated or repeated.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    check: Vec<String>,
    /// Don't run these rules: ids (any case), globs, severities (that and below) or peer
    /// ids (CKV_AWS_20). Comma-separated or repeated.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    skip_check: Vec<String>,
    /// Also load rules from this directory (repeatable).
    #[arg(long, value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Rego (conftest/OPA) policies: a directory of .rego files and their data files
    /// (repeatable; also `policy_dirs:` in the config).
    #[arg(long, value_name = "DIR")]
    policy: Vec<PathBuf>,
    /// The Rego package whose deny/violation/warn rules run (repeatable; default main).
    #[arg(long, value_name = "NS", conflicts_with = "all_namespaces")]
    namespace: Vec<String>,
    /// Run the deny/violation/warn rules of every Rego package.
    #[arg(long)]
    all_namespaces: bool,
    /// Stop a policy rule that runs longer than this many seconds on a plan (an error).
    #[arg(long, value_name = "SECONDS")]
    policy_time_limit: Option<f64>,
    /// A usage file for usage-based costs (Infracost's format is accepted).
    #[arg(long, value_name = "FILE")]
    usage: Option<PathBuf>,
    /// A price catalog replacing the embedded one.
    #[arg(long, value_name = "FILE")]
    prices: Option<PathBuf>,
    /// Format printed on standard output [default: text, or what --output FILE's extension says].
    #[arg(long, value_enum, ignore_case = true)]
    format: Option<CheckFormat>,
    /// Write the report to FILE instead of standard output (its format from --format or
    /// else the extension: .sarif, .json, .xml for JUnit, .md, .html, .txt), or FORMAT=FILE to write
    /// another format as well (repeatable: --output sarif=planguard.sarif --output junit=junit.xml).
    #[arg(long, value_name = "[FORMAT=]FILE")]
    output: Vec<String>,
    /// Where the HTML report (--output html=FILE) will be published: the Markdown comment
    /// links to it. Wins over the config's `report_url:`.
    #[arg(long, value_name = "URL")]
    report_url: Option<String>,
    /// Fail on findings at or above this severity, whatever the config says (replaces the
    /// policy guardrails' threshold, or adds an enforced one).
    #[arg(long, value_enum, value_name = "SEVERITY", ignore_case = true)]
    fail_on: Option<SeverityArg>,
    /// Report violations but exit 0.
    #[arg(long)]
    soft_fail: bool,
    /// Print only guardrail results and the verdict.
    #[arg(long, conflicts_with = "verbose")]
    quiet: bool,
    /// Say on standard error what was loaded (config, rule directories, usage, price
    /// catalog, source directory) and how long each stage took.
    #[arg(long)]
    verbose: bool,
    /// The Terraform sources: follow locals in the graph and point findings at .tf lines.
    #[arg(long, value_name = "DIR")]
    source_dir: Option<PathBuf>,
    /// The branch, for guardrails scoped to branches (default: from the CI environment).
    #[arg(long)]
    branch: Option<String>,
    /// The repository, for guardrails scoped to repositories (default: from the CI environment).
    #[arg(long)]
    repository: Option<String>,
    /// Run `terraform show -json` on binary plan files instead of failing.
    #[arg(long)]
    terraform: bool,
    /// Accept the findings recorded in this baseline file: report them as known, fail only
    /// on new ones, and list recorded findings that no longer occur.
    #[arg(long, value_name = "FILE", conflicts_with = "create_baseline")]
    baseline: Option<PathBuf>,
    /// Record every finding reported today in this baseline file (for --baseline).
    #[arg(long, value_name = "FILE")]
    create_baseline: Option<PathBuf>,
    /// Which resources the rules judge: what the plan changes, or all of them, unchanged
    /// ones too (audits, first adoption). Replaces `rules.scope` of the config.
    #[arg(long, value_enum, value_name = "SCOPE")]
    scope: Option<ScopeArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScopeArg {
    /// Resources the plan creates, updates or replaces (each rule's actions): the default.
    Changes,
    /// Every resource the plan lists, unchanged (no-op) ones too.
    All,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { EXIT_ERROR } else { EXIT_PASS });
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    match run(cli.command, Painter::new(color)) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("planguard: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// The reports to post, combined into one comment: Markdown reports as they are, JSON
/// reports (told apart by their content) rendered as the Markdown report would be.
fn comment_reports(paths: &[PathBuf]) -> Result<String, String> {
    use planguard::render::report_json::{looks_like_json, JsonReport};
    let mut parts = Vec::new();
    for path in paths {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {}", path.display(), e.kind()))?;
        let markdown = if looks_like_json(&text) {
            JsonReport::read(&text, path).map_err(|e| e.to_string())?.to_markdown()
        } else {
            text
        };
        parts.push(markdown.trim_end().to_string());
    }
    Ok(parts.join("\n\n---\n\n"))
}

fn comment(platform: CommentPlatform) -> Result<u8, String> {
    use planguard::comment::{azure, discover::Flags, github, gitlab, http::Http, Behavior, Secret};
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let read_file = |path: &str| std::fs::read_to_string(path).ok();
    let http = Http::new(std::time::Duration::from_secs(1));
    match platform {
        CommentPlatform::Github {
            common,
            repo,
            pull_request,
            github_token,
            github_api_url,
        } => {
            let request = github::Request {
                flags: Flags {
                    repository: repo,
                    number: pull_request,
                    token: github_token.map(Secret::new),
                },
                api_url: github_api_url,
                behavior: Behavior::parse(&common.behavior).map_err(|e| e.to_string())?,
                tag: common.tag,
                report_markdown: comment_reports(&common.path)?,
            };
            comment_outcome(github::run(request, &http, env, read_file).map_err(|e| e.to_string())?)
        }
        CommentPlatform::AzureRepos {
            common,
            repo_url,
            pull_request,
            azure_access_token,
        } => {
            let request = azure::Request {
                flags: Flags {
                    repository: repo_url,
                    number: pull_request,
                    token: azure_access_token.map(Secret::new),
                },
                behavior: Behavior::parse(&common.behavior).map_err(|e| e.to_string())?,
                tag: common.tag,
                report_markdown: comment_reports(&common.path)?,
            };
            comment_outcome(azure::run(request, &http, env).map_err(|e| e.to_string())?)
        }
        CommentPlatform::Gitlab {
            common,
            repo,
            merge_request,
            gitlab_token,
            gitlab_server_url,
        } => {
            let request = gitlab::Request {
                flags: Flags {
                    repository: repo,
                    number: merge_request,
                    token: gitlab_token.map(Secret::new),
                },
                server_url: gitlab_server_url,
                behavior: Behavior::parse(&common.behavior).map_err(|e| e.to_string())?,
                tag: common.tag,
                report_markdown: comment_reports(&common.path)?,
            };
            comment_outcome(gitlab::run(request, &http, env).map_err(|e| e.to_string())?)
        }
    }
}

fn comment_outcome(outcome: planguard::comment::github::Outcome) -> Result<u8, String> {
    use planguard::comment::github::{Outcome, Posted};
    let message = match outcome {
        Outcome::NotInPullRequest => "planguard comment: not in a pull request; nothing posted".to_string(),
        Outcome::Posted(Posted::Created { id }) => format!("planguard comment: created comment {id}"),
        Outcome::Posted(Posted::Updated { id }) => format!("planguard comment: updated comment {id}"),
    };
    print(&format!("{message}\n"))?;
    Ok(EXIT_PASS)
}

fn run(command: Command, paint: Painter) -> Result<u8, String> {
    match command {
        Command::Check(args) => check(*args, paint),
        Command::Summary {
            plan,
            format,
            terraform,
        } => {
            let loaded = load(&plan, terraform)?;
            let summary = Summary::of(&loaded.plan).map_err(|e| format!("{plan}: {e}"))?;
            let text = match format {
                TextOrJson::Text => render::summary::render_text(&summary, &loaded.origin.display().to_string(), paint),
                TextOrJson::Json => to_json(&summary)?,
            };
            print(&text)?;
            Ok(EXIT_PASS)
        }
        Command::Graph {
            plan,
            format,
            changed_only,
            focus,
            depth,
            source_dir,
            terraform,
        } => {
            let loaded = load(&plan, terraform)?;
            let options = graph::GraphOptions { source_dir };
            let built = graph::Graph::build(&loaded.plan, &options).map_err(|e| e.to_string())?;
            for warning in &built.warnings {
                eprintln!("planguard: warning: {warning}");
            }
            if let Some(address) = &focus {
                if built.graph.node_id(address).is_none() {
                    return Err(format!("{plan}: --focus {address}: no such node in the graph"));
                }
            }
            let view = graph::View {
                changed_only,
                focus,
                depth,
            };
            let text = match format {
                GraphFormat::Text => built.graph.to_text(&view),
                GraphFormat::Dot => built.graph.to_dot(&view),
                GraphFormat::Mermaid => built.graph.to_mermaid(&view),
                GraphFormat::Json => built.graph.to_json(&view),
                GraphFormat::Html => planguard::render::html::render_graph(&built.graph, &plan, &view),
            };
            print(&text)?;
            Ok(EXIT_PASS)
        }
        Command::Cost {
            plan,
            usage,
            prices,
            format,
            terraform,
        } => {
            let user_catalog = match &prices {
                Some(path) => Some(cost::Catalog::from_path(path).map_err(|e| e.to_string())?),
                None => None,
            };
            let catalog = user_catalog.as_ref().unwrap_or_else(|| cost::Catalog::embedded());
            let usage = match &usage {
                Some(path) => Some(cost::Usage::from_path(path).map_err(|e| e.to_string())?),
                None => None,
            };
            let loaded = load(&plan, terraform)?;
            let report = cost::estimate(&loaded.plan, catalog, usage.as_ref()).map_err(|e| e.to_string())?;
            for warning in &report.warnings {
                eprintln!("planguard: warning: {warning}");
            }
            let text = match format {
                TextOrJson::Text => cost::render_text(&report, paint.enabled()),
                TextOrJson::Json => to_json(&report)?,
            };
            print(&text)?;
            Ok(EXIT_PASS)
        }
        Command::Rules { command } => rules(command),
        Command::Policy {
            command: PolicyCommand::Test { dirs },
        } => {
            let (text, code) = planguard::policies::run_tests(&dirs).map_err(|e| e.to_string())?;
            print(&text)?;
            Ok(code)
        }
        Command::Comment { platform } => comment(platform),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "planguard", &mut out);
            print(&String::from_utf8_lossy(&out))?;
            Ok(EXIT_PASS)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| format!("cannot write the manual page: {e}"))?;
            print(&String::from_utf8_lossy(&out))?;
            Ok(EXIT_PASS)
        }
        Command::Init { path, force } => {
            if path.exists() && !force {
                return Err(format!("{} exists: pass --force to overwrite it", path.display()));
            }
            std::fs::write(&path, planguard::config::EXAMPLE_CONFIG)
                .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
            eprintln!("planguard: wrote {}", path.display());
            Ok(EXIT_PASS)
        }
    }
}

fn rules(command: RulesCommand) -> Result<u8, String> {
    match command {
        RulesCommand::List {
            format,
            rules,
            provider,
            service,
            severity,
            peer,
        } => {
            let set = planguard::load_rules(&rules).map_err(|e| e.to_string())?;
            let filter = planguard::rules::RuleFilter {
                providers: provider,
                services: service,
                severities: severity.into_iter().map(Severity::from).collect(),
                peers: peer,
            };
            let text = match format {
                TextOrJson::Json => {
                    planguard::rules::list_json(&set, &filter).map_err(|e| format!("cannot write JSON: {e}"))?
                }
                TextOrJson::Text => planguard::rules::list_text(&set, &filter),
            };
            print(&text)?;
            Ok(EXIT_PASS)
        }
        RulesCommand::Explain { id, rules } => {
            let set = planguard::load_rules(&rules).map_err(|e| e.to_string())?;
            let text = set.explain(&id).map_err(|e| match set.closest_id(&id) {
                Some(closest) => format!("{e} (closest: {closest})"),
                None => e.to_string(),
            })?;
            print(&text)?;
            Ok(EXIT_PASS)
        }
    }
}

/// Expands the plan arguments: files as given, `-`, and globs the shell left unexpanded.
fn expand_plans(args: &[String]) -> Result<Vec<String>, String> {
    let mut plans = Vec::new();
    for arg in args {
        let is_glob = arg.contains(['*', '?', '[']) && !Path::new(arg).exists();
        if !is_glob {
            plans.push(arg.clone());
            continue;
        }
        let mut matched: Vec<String> = glob::glob(arg)
            .map_err(|e| format!("invalid glob {arg:?}: {e}"))?
            .filter_map(Result::ok)
            .map(|p| p.display().to_string())
            .collect();
        if matched.is_empty() {
            return Err(format!("no plan file matches {arg:?}"));
        }
        matched.sort();
        plans.extend(matched);
    }
    Ok(plans)
}

/// Where each report goes: the formats and files of `--format` and `--output`.
fn report_outputs(args: &CheckArgs) -> Result<Vec<(CheckFormat, Option<PathBuf>)>, String> {
    let mut outputs: Vec<(CheckFormat, Option<PathBuf>)> = Vec::new();
    let mut stdout_to_file = None;
    for spec in &args.output {
        match spec.split_once('=') {
            Some((name, file)) => {
                let format = CheckFormat::parse(name).ok_or_else(|| {
                    format!(
                        "--output {spec}: unknown format {name:?} (text, json, sarif, junit, markdown, github, azure, html)"
                    )
                })?;
                outputs.push((format, Some(PathBuf::from(file))));
            }
            None if stdout_to_file.is_none() => stdout_to_file = Some(PathBuf::from(spec)),
            None => return Err("--output FILE without a format can be given once; use FORMAT=FILE for more".into()),
        }
    }
    let main_format = match (&stdout_to_file, args.format) {
        (None, format) => format.unwrap_or(CheckFormat::Text),
        (Some(file), Some(format)) => match CheckFormat::fitting(file) {
            Some(fits) if !fits.contains(&format) => {
                return Err(format!(
                    "--output {}: the extension says {}, not --format {}: say which with FORMAT=FILE ({}={})",
                    file.display(),
                    fits[0].name(),
                    format.name(),
                    format.name(),
                    file.display()
                ))
            }
            _ => format,
        },
        (Some(file), None) => match CheckFormat::fitting(file) {
            Some(fits) => fits[0],
            None => {
                return Err(format!(
                    "--output {}: cannot tell the report format from the file name (.sarif, .json, .xml, .md, .txt): \
                     give --format or FORMAT=FILE",
                    file.display()
                ))
            }
        },
    };
    outputs.insert(0, (main_format, stdout_to_file));
    Ok(outputs)
}

fn check(args: CheckArgs, paint: Painter) -> Result<u8, String> {
    // Everything about the configuration is validated before any plan is read.
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let outputs = report_outputs(&args)?;
    let plans = expand_plans(&args.plans)?;
    let config = Config::resolve(&cwd, &plans, args.config.as_deref()).map_err(|e| e.to_string())?;
    let config_line = format!("planguard: config: {}", config.describe());
    let wants_junit = outputs.iter().any(|(f, _)| *f == CheckFormat::Junit);
    let text_on_stdout = outputs
        .iter()
        .any(|(f, file)| *f == CheckFormat::Text && file.is_none());
    if !args.quiet {
        // The text report says it at its top; other formats on a terminal or CI log would
        // leave the choice unsaid.
        if !text_on_stdout || args.verbose {
            eprintln!("{config_line}");
        }
        for note in &config.notes {
            eprintln!("planguard: warning: {note}");
        }
    }

    let ci = CiContext::from_env()
        .with_branch(args.branch.clone())
        .with_repository(args.repository.clone());
    // The flag wins over the config's `report_url:`.
    let report_url = args.report_url.clone().or_else(|| config.report_url.clone());
    let mut builder = Analyzer::builder().config(config).options(Options {
        source_dir: args.source_dir.clone(),
        ci,
        today: None,
        record_evaluated: wants_junit,
        scope: args.scope.map(|s| match s {
            ScopeArg::Changes => planguard::rules::Scope::Changes,
            ScopeArg::All => planguard::rules::Scope::All,
        }),
        baseline: match &args.baseline {
            Some(path) => Some(std::sync::Arc::new(
                planguard::baseline::LoadedBaseline::from_path(path).map_err(|e| e.to_string())?,
            )),
            None => None,
        },
    });
    for dir in &args.rules {
        builder = builder.rules_dir(dir);
    }
    for dir in &args.policy {
        builder = builder.policy_dir(dir);
    }
    for ns in &args.namespace {
        builder = builder.policy_namespace(ns);
    }
    if args.all_namespaces {
        builder = builder.all_policy_namespaces();
    }
    if let Some(seconds) = args.policy_time_limit {
        let limit = std::time::Duration::try_from_secs_f64(seconds)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or("--policy-time-limit: expected a positive number of seconds")?;
        builder = builder.policy_time_limit(limit);
    }
    if let Some(usage) = &args.usage {
        builder = builder.usage(usage);
    }
    if let Some(prices) = &args.prices {
        builder = builder.prices(prices);
    }
    if let Some(severity) = args.fail_on {
        builder = builder.fail_on(severity.into());
    }
    builder = builder.check(args.check.clone()).skip_check(args.skip_check.clone());
    let analyzer = builder.build().map_err(|e| e.to_string())?;
    if args.verbose {
        verbose_setup(&analyzer, &args.rules);
    }
    if !args.quiet && !text_on_stdout {
        // The text report lists them with the plan's other warnings.
        for warning in analyzer.warnings() {
            eprintln!("planguard: warning: {warning}");
        }
    }

    let locator = Locator::new(&cwd).with_azure_build(render::AzureBuild::from_env());
    let mut outcomes = Vec::new();
    let mut input_error = false;
    for (i, plan) in plans.iter().enumerate() {
        let last = i + 1 == plans.len();
        let started = Instant::now();
        let outcome = match load_plan(
            plan,
            &LoadOptions {
                run_terraform: args.terraform,
                ..LoadOptions::default()
            },
        ) {
            Ok(loaded) => {
                let read_time = started.elapsed();
                let outcome = match analyzer.analyze_loaded(&loaded) {
                    Ok(report) => {
                        if args.verbose {
                            let stages: Vec<String> = std::iter::once(("read", read_time))
                                .chain(report.timings.iter().copied())
                                .map(|(stage, time)| format!("{stage} {}", millis(time)))
                                .collect();
                            eprintln!("planguard: {}: {}", report.file, stages.join(", "));
                        }
                        Outcome::Analyzed(Box::new(report))
                    }
                    Err(e) => {
                        input_error = true;
                        // Like a plan that cannot be read: said once on standard error whatever
                        // the reports are and wherever they go; the reports record it as well.
                        let error = render::input_error_message(&display_name(plan), &e.to_string());
                        eprintln!("planguard: error: {error}");
                        Outcome::Failed {
                            file: display_name(plan),
                            error: e.to_string(),
                        }
                    }
                };
                if last {
                    // Freeing a large plan's million allocations takes a noticeable share of
                    // the run, and the process is about to exit: let the OS reclaim it.
                    std::mem::forget(loaded);
                }
                outcome
            }
            Err(e) => {
                input_error = true;
                eprintln!("planguard: error: {e}");
                Outcome::Failed {
                    file: display_name(plan),
                    error: e.to_string(),
                }
            }
        };
        outcomes.push(outcome);
    }

    let analyzed_none = !outcomes.iter().any(|o| matches!(o, Outcome::Analyzed(_)));
    if analyzed_none && text_on_stdout && !args.quiet && !args.verbose {
        // Reports say the config at the top of a plan's report; with none, say it here.
        eprintln!("{config_line}");
    }
    for (format, file) in &outputs {
        let started = Instant::now();
        let text = match format {
            CheckFormat::Text => {
                let paint = if file.is_some() { Painter::new(false) } else { paint };
                render::check::render(&outcomes, analyzer.rules(), paint, args.quiet)
            }
            CheckFormat::Json => {
                // Streamed: the JSON report of a large plan is bigger than the plan.
                write_streamed(file.as_deref(), |out| render::write_json(&outcomes, out))?;
                if args.verbose {
                    eprintln!("planguard: render json: {}", millis(started.elapsed()));
                }
                continue;
            }
            CheckFormat::Sarif => render::sarif::render(&outcomes, analyzer.rules(), &locator),
            CheckFormat::Junit => render::junit::render(&outcomes),
            CheckFormat::Markdown => render::markdown::render_linked(&outcomes, report_url.as_deref()),
            CheckFormat::Html => render::html::render(&outcomes, analyzer.rules()),
            CheckFormat::Github => render::annotations::render_github(&outcomes, &locator, args.soft_fail),
            CheckFormat::Azure => render::annotations::render_azure(&outcomes, &locator, args.soft_fail),
        };
        match file {
            Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?,
            None => print(&text)?,
        }
        if args.verbose {
            eprintln!("planguard: render {}: {}", format.name(), millis(started.elapsed()));
        }
    }

    if let Some(path) = &args.create_baseline {
        write_baseline(path, &outcomes, &cwd)?;
    }
    let verdict = render::overall_verdict(&outcomes);
    // As with the last plan: the reports and their graphs are dropped by the exit, not freed.
    std::mem::forget(outcomes);
    if input_error {
        return Ok(EXIT_ERROR);
    }
    Ok(match verdict {
        Verdict::Fail if !args.soft_fail => EXIT_FAIL,
        _ => EXIT_PASS,
    })
}

/// `--verbose`: what the analyzer loaded, on standard error.
fn verbose_setup(analyzer: &Analyzer, extra_rule_dirs: &[PathBuf]) {
    let config = analyzer.config();
    let dirs: Vec<String> = std::iter::once("builtin".to_string())
        .chain(
            config
                .rule_dirs
                .iter()
                .chain(extra_rule_dirs)
                .map(|d| d.display().to_string()),
        )
        .collect();
    eprintln!("planguard: rules: {} from {}", analyzer.rules().len(), dirs.join(", "));
    let guardrails: Vec<&str> = config.guardrails.iter().map(|g| g.name.as_str()).collect();
    eprintln!("planguard: guardrails: {}", guardrails.join(", "));
    eprintln!(
        "planguard: usage: {}",
        analyzer.usage().map_or("none".to_string(), |u| u.origin().to_string())
    );
    let catalog = analyzer.catalog();
    eprintln!(
        "planguard: price catalog: {} (prices of {})",
        catalog.origin(),
        catalog.catalog_date()
    );
    eprintln!(
        "planguard: source dir: {}",
        analyzer
            .options()
            .source_dir
            .as_ref()
            .map_or("none".to_string(), |d| d.display().to_string())
    );
    let stages: Vec<String> = analyzer
        .setup_timings()
        .iter()
        .map(|(stage, time)| format!("{stage} {}", millis(*time)))
        .collect();
    eprintln!("planguard: setup: {}", stages.join(", "));
}

fn millis(time: std::time::Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1000.0)
}

/// Writes the findings of every plan read to a baseline file. Refused when a plan could not
/// be read: the baseline would silently miss its findings.
fn write_baseline(path: &Path, outcomes: &[Outcome], cwd: &Path) -> Result<(), String> {
    let mut plans = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Analyzed(report) => plans.push((
                planguard::baseline::plan_key(&report.file, cwd),
                report.findings.as_slice(),
            )),
            Outcome::Failed { file, .. } => {
                return Err(format!(
                    "--create-baseline {}: not written, {file} could not be read",
                    path.display()
                ))
            }
        }
    }
    let baseline = planguard::baseline::Baseline::record(plans);
    std::fs::write(path, baseline.to_json()).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    eprintln!(
        "planguard: wrote {} ({} finding{})",
        path.display(),
        baseline.findings.len(),
        if baseline.findings.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

fn load(arg: &str, run_terraform: bool) -> Result<Loaded, String> {
    let loaded = load_plan(
        arg,
        &LoadOptions {
            run_terraform,
            ..LoadOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    for warning in &loaded.warnings {
        eprintln!("planguard: warning: {}", warning.message);
    }
    Ok(loaded)
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| format!("cannot write JSON: {e}"))
}

/// Runs `write` on the file at `path` (created or truncated) or on standard output.
fn write_streamed(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    match path {
        Some(path) => {
            let mut file = std::fs::File::create(path).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
            write(&mut file).map_err(|e| format!("{}: cannot write: {e}", path.display()))
        }
        None => match write(&mut std::io::stdout().lock()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(format!("cannot write output: {e}")),
        },
    }
}

fn print(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`planguard ... | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}
