//! The one trait every rule implements, YAML or Rust.

use planguard_plan::{ChangeValues, Cursor, Plan, ResourceChange, Shown};

use crate::cond::RelatedIndex;
use crate::meta::RuleMeta;

/// Whether a finding is certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The rule's condition holds on values known at plan time.
    Fail,
    /// The condition depends on values known only after apply: a low-confidence finding,
    /// neither a pass nor a confident failure.
    Unknown,
}

impl Status {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "fail",
            Status::Unknown => "unknown",
        }
    }
}

/// What a rule reports about one resource.
///
/// Both texts are [`Shown`]: a rule can only build them from constants, names and values
/// the sensitivity overlay disclosed (`cursor.shown()`, `cursor.disclosure().show(..)`), so a
/// rule cannot quote a sensitive value by accident; see [`planguard_plan::shown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Fail or unknown.
    pub status: Status,
    /// The attribute path that triggered it (`ingress[0].cidr_blocks[0]`), empty for the
    /// whole resource. Keys read out of a sensitive value never appear in it.
    pub path: Shown,
    /// What is wrong, naming the offending value (`(sensitive)` when it is).
    pub message: Shown,
}

/// One resource as a rule sees it.
pub struct Context<'a> {
    /// The whole plan (configuration, variables, other resources).
    pub plan: &'a Plan,
    /// The resource change under evaluation.
    pub change: &'a ResourceChange,
    /// Its parsed values (parsed once, shared by every rule).
    pub values: &'a ChangeValues,
    pub(crate) related: Option<&'a RelatedIndex<'a>>,
    /// The dependency graph or its stand-in, when the evaluation has one.
    pub(crate) relations: Option<&'a dyn crate::Relations>,
}

impl<'a> Context<'a> {
    /// The value the rule judges: the after-value, or the before-value for a delete or
    /// forget (rules that opt into those actions judge what is going away).
    pub fn subject(&self) -> Cursor<'a> {
        if self.change.action().has_after() {
            self.values.after()
        } else {
            self.values.before()
        }
    }
}

/// A rule. YAML rules and Rust rules (`builtin/`) both implement it; the engine treats
/// them alike. Rules never print: they push [`Hit`]s.
pub trait Rule: Send + Sync {
    /// The rule's metadata and documentation.
    fn meta(&self) -> &RuleMeta;

    /// Checks one resource of one of the rule's types, whose action the rule applies to,
    /// pushing at most a few hits (usually zero or one).
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Hit>);

    /// Resource types whose values the rule reads through the graph (`related`), so the
    /// engine can parse them once up front.
    fn related_types(&self) -> Vec<String> {
        Vec::new()
    }

    /// For each of [`Rule::related_types`], the top-level attributes the rule reads of those
    /// resources (`None`, the default: all).
    fn related_attributes(&self) -> Vec<(String, Option<Vec<String>>)> {
        self.related_types().into_iter().map(|t| (t, None)).collect()
    }

    /// The top-level attributes of the after-value the rule reads. The engine parses only
    /// the attributes the rules of a resource's type read, which is most of the cost of an
    /// evaluation; `None` (the default) means all of them. A Rust rule that declares its
    /// attributes must not read others: they are absent from [`Context::values`].
    fn attributes(&self) -> Option<Vec<String>> {
        None
    }

    /// True when the rule reads [`Context::values`]`.before` (or `before_sensitive`) of a
    /// resource that exists after apply; the engine skips parsing it otherwise. Rust rules
    /// that only look at the after-value should say `false`.
    fn reads_before(&self) -> bool {
        true
    }
}
