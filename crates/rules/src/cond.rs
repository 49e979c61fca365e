//! Compiled conditions and their three-valued evaluation.
//!
//! A condition evaluates to [`Tri::True`], [`Tri::False`] or [`Tri::Unknown`] (the answer
//! depends on a value known only after apply), combined with Kleene's strong three-valued
//! logic: `all` is the minimum and `any` the maximum of its children under
//! `False < Unknown < True`, and `not` swaps `True` and `False` and keeps `Unknown`.

use std::collections::HashMap;

use planguard_plan::{shown, ChangeValues, Cursor, Lookup, Plan, ResourceChange, Shown};
use regex::Regex;
use serde_json::Value;

use crate::cidr::Cidr;
use crate::path::{PathPattern, Trail};
use crate::relations::{Direction, Relations};

/// A truth value of Kleene's three-valued logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tri {
    /// Definitely not.
    False,
    /// Depends on a value known only after apply.
    Unknown,
    /// Definitely.
    True,
}

impl Tri {
    /// Kleene conjunction.
    pub fn and(self, other: Tri) -> Tri {
        self.min(other)
    }

    /// Kleene disjunction.
    pub fn or(self, other: Tri) -> Tri {
        self.max(other)
    }

    /// Kleene negation (named to avoid `std::ops::Not` confusion).
    pub fn negate(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
}

/// Comparison operators of a leaf condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum OpName {
    Equals,
    NotEquals,
    Exists,
    NotExists,
    IsTrue,
    IsFalse,
    IsEmpty,
    NotEmpty,
    Contains,
    NotContains,
    Regex,
    NotRegex,
    OneOf,
    NotOneOf,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
    IsPublicCidr,
    CidrContains,
    StartsWith,
    NotStartsWith,
    EndsWith,
    NotEndsWith,
    LengthEquals,
    LengthNotEquals,
    LengthGreaterThan,
    LengthGreaterOrEqual,
    LengthLessThan,
    LengthLessOrEqual,
    Subset,
    NotSubset,
    Intersects,
    NotIntersects,
    IsWritten,
    NotWritten,
}

/// A leaf operator with its precompiled operand.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Equals(Value),
    Exists,
    IsTrue,
    IsFalse,
    IsEmpty,
    Contains(Value),
    Regex(Regex),
    OneOf(Vec<Value>),
    Compare(std::cmp::Ordering, bool, f64),
    IsPublicCidr,
    CidrContains(Cidr),
    StartsWith(String),
    EndsWith(String),
    /// The length of a string (characters), list (elements) or map (keys, or 1 when the last
    /// field is set, as Checkov's length operators count a map) compared with a number:
    /// `Equal` is `==`; `Greater`/`Less` with `or_equal`.
    Length(std::cmp::Ordering, bool, u64, bool),
    /// Every element of the list (key of the map; the value itself when it is neither) is
    /// one of these.
    Subset(Vec<Value>),
    /// Some element of the list (key of the map; the value itself when it is neither) is
    /// one of these.
    Intersects(Vec<Value>),
    /// `not_written` on `BLOCKS[*]...KEY`: some configuration block at `blocks` doesn't set
    /// `key` (or there is no block). Other paths use a negated `Exists`.
    Unwritten {
        blocks: PathPattern,
        key: String,
    },
}

/// A compiled condition.
#[derive(Debug, Clone)]
pub(crate) enum Cond {
    Leaf {
        path: PathPattern,
        op: Op,
        negated: bool,
        source: Source,
    },
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Some {
        path: PathPattern,
        cond: Box<Cond>,
    },
    Every {
        path: PathPattern,
        cond: Box<Cond>,
    },
    Json {
        path: PathPattern,
        cond: Box<Cond>,
    },
    Related(Box<RelatedCond>),
    /// The resource in scope is of one of these types (`data.TYPE` for data sources).
    ResourceType(Vec<String>),
    Const(bool),
}

/// How many related resources must satisfy the condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Quantifier {
    Some,
    None,
    Every,
}

/// A `direction: plan` condition's outcome: its value, the resource that decided it and how
/// many resources of the related types the plan has.
type PlanWideOutcome = (Tri, Option<String>, usize);

/// Where a `related` condition looks for the other resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Reach {
    /// Resources this one references.
    Dependencies,
    /// Resources that reference this one.
    Dependents,
    /// Every resource of the related types in the plan, connected or not: for rules that
    /// depend on what else the plan does ("the plan has alarms for other instances").
    Plan,
}

#[derive(Debug, Clone)]
pub(crate) struct RelatedCond {
    pub(crate) direction: Reach,
    pub(crate) types: Vec<String>,
    pub(crate) attribute: Option<String>,
    pub(crate) quantifier: Quantifier,
    pub(crate) cond: Cond,
}

impl Cond {
    /// True when the condition (or one inside it) needs the dependency graph.
    pub(crate) fn uses_graph(&self) -> bool {
        match self {
            Cond::Related(_) => true,
            Cond::All(c) | Cond::Any(c) => c.iter().any(Cond::uses_graph),
            Cond::Not(c) => c.uses_graph(),
            Cond::Some { cond, .. } | Cond::Every { cond, .. } | Cond::Json { cond, .. } => cond.uses_graph(),
            Cond::Leaf { .. } | Cond::ResourceType(_) | Cond::Const(_) => false,
        }
    }

    /// True when a leaf reads the before-value (`in: before`).
    pub(crate) fn reads_before(&self) -> bool {
        match self {
            Cond::Leaf { source, .. } => *source == Source::Before,
            Cond::All(c) | Cond::Any(c) => c.iter().any(Cond::reads_before),
            Cond::Not(c) => c.reads_before(),
            Cond::Some { cond, .. } | Cond::Every { cond, .. } | Cond::Json { cond, .. } => cond.reads_before(),
            Cond::Related(r) => r.cond.reads_before(),
            Cond::ResourceType(_) | Cond::Const(_) => false,
        }
    }

    /// The top-level attributes of the resource's after-value this condition reads, into
    /// `out`; `false` when it may read any (a path starting with `[*]`).
    pub(crate) fn top_attributes(&self, out: &mut Vec<String>) -> bool {
        let first = |p: &PathPattern, out: &mut Vec<String>| match p.segs.first() {
            Some(crate::path::Seg::Key(k)) => {
                out.push(k.clone());
                true
            }
            _ => false,
        };
        match self {
            // A written-argument leaf also reads the after-value at its first key (a block
            // missing from the configuration may be a `dynamic` one).
            Cond::Leaf { path, source, .. } => *source == Source::Config || first(path, out),
            Cond::All(c) | Cond::Any(c) => c.iter().all(|c| c.top_attributes(out)),
            Cond::Not(c) => c.top_attributes(out),
            // Inside these the condition reads an element or document below the path, and
            // resource-rooted `in: before` leaves.
            Cond::Some { path, cond } | Cond::Every { path, cond } | Cond::Json { path, cond } => {
                first(path, out) && cond.before_attributes(out)
            }
            // A related condition reads other resources, parsed in full.
            Cond::Related(_) | Cond::ResourceType(_) | Cond::Const(_) => true,
        }
    }

    /// The top-level attributes `in: before` and written-argument leaves read, wherever they
    /// are nested (their paths start at the resource's root); `false` when one may read any.
    fn before_attributes(&self, out: &mut Vec<String>) -> bool {
        match self {
            Cond::Leaf {
                path,
                source: Source::Before | Source::Written,
                ..
            } => match path.segs.first() {
                Some(crate::path::Seg::Key(k)) => {
                    out.push(k.clone());
                    true
                }
                _ => false,
            },
            Cond::All(c) | Cond::Any(c) => c.iter().all(|c| c.before_attributes(out)),
            Cond::Not(c) => c.before_attributes(out),
            Cond::Some { cond, .. } | Cond::Every { cond, .. } | Cond::Json { cond, .. } => cond.before_attributes(out),
            Cond::Leaf { .. } | Cond::Related(_) | Cond::ResourceType(_) | Cond::Const(_) => true,
        }
    }

    /// For each resource type `related` conditions read, the top-level attributes they read
    /// of it (`None`: any), merged into `out`.
    pub(crate) fn related_reads(&self, out: &mut HashMap<String, Option<Vec<String>>>) {
        match self {
            Cond::Related(r) => {
                let mut keys = Vec::new();
                let bounded = r.cond.top_attributes(&mut keys);
                for t in &r.types {
                    let entry = out.entry(t.clone()).or_insert_with(|| Some(Vec::new()));
                    match (entry.as_mut(), bounded) {
                        (Some(list), true) => list.extend(keys.iter().cloned()),
                        _ => *entry = None,
                    }
                }
                r.cond.related_reads(out);
            }
            Cond::All(c) | Cond::Any(c) => c.iter().for_each(|c| c.related_reads(out)),
            Cond::Not(c) => c.related_reads(out),
            Cond::Some { cond, .. } | Cond::Every { cond, .. } | Cond::Json { cond, .. } => cond.related_reads(out),
            Cond::Leaf { .. } | Cond::ResourceType(_) | Cond::Const(_) => {}
        }
    }

    /// Resource types whose values `related` conditions read.
    pub(crate) fn related_types(&self, out: &mut Vec<String>) {
        match self {
            Cond::Related(r) => {
                out.extend(r.types.iter().cloned());
                r.cond.related_types(out);
            }
            Cond::All(c) | Cond::Any(c) => c.iter().for_each(|c| c.related_types(out)),
            Cond::Not(c) => c.related_types(out),
            Cond::Some { cond, .. } | Cond::Every { cond, .. } | Cond::Json { cond, .. } => cond.related_types(out),
            Cond::Leaf { .. } | Cond::ResourceType(_) | Cond::Const(_) => {}
        }
    }
}

/// What decided a condition's value: the attribute path and a printable (redacted) value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Witness {
    pub(crate) path: Shown,
    pub(crate) value: Shown,
    pub(crate) related: Option<Shown>,
}

/// Other resources for `related` conditions: found by address, their values parsed once,
/// on first use. The index itself is built on first use too, so rules whose resource types
/// are absent from the plan cost nothing.
pub(crate) struct RelatedIndex<'p> {
    pub(crate) relations: &'p dyn Relations,
    pub(crate) plan: &'p Plan,
    /// Related types, each with the top-level attributes read of it (`None`: all).
    pub(crate) types: HashMap<String, Option<Vec<String>>>,
    // Indexes only, no borrowed keys: a `OnceLock` would make the index invariant over 'p.
    by_address: std::sync::OnceLock<Vec<u32>>,
    values: std::sync::OnceLock<HashMap<usize, std::sync::OnceLock<Option<ChangeValues>>>>,
    /// The changes of each related type, in plan order, for `direction: plan`.
    by_type: std::sync::OnceLock<HashMap<String, Vec<u32>>>,
    /// A `direction: plan` condition's outcome does not depend on the resource judged, so
    /// it is computed once per condition (keyed by its address in the compiled rule, which
    /// outlives the evaluation) instead of once per resource: otherwise N instances times
    /// A alarms would make the rule quadratic on large plans.
    plan_wide: std::sync::Mutex<HashMap<usize, PlanWideOutcome>>,
}

impl<'p> RelatedIndex<'p> {
    pub(crate) fn new(
        plan: &'p Plan,
        relations: &'p dyn Relations,
        types: HashMap<String, Option<Vec<String>>>,
    ) -> Self {
        RelatedIndex {
            relations,
            plan,
            types,
            by_address: std::sync::OnceLock::new(),
            values: std::sync::OnceLock::new(),
            by_type: std::sync::OnceLock::new(),
            plan_wide: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The live (not deposed, not deleted) changes of `type_key`, in plan order.
    fn of_type(&self, type_key: &str) -> &[u32] {
        let by_type = self.by_type.get_or_init(|| {
            let mut map: HashMap<String, Vec<u32>> = HashMap::new();
            for (i, c) in self.plan.resource_changes.iter().enumerate() {
                let key = crate::eval::type_key(c);
                if c.deposed.is_none() && c.action().has_after() && self.types.contains_key(key) {
                    map.entry(key.to_string()).or_default().push(i as u32);
                }
            }
            map
        });
        by_type.get(type_key).map(Vec::as_slice).unwrap_or(&[])
    }

    fn change_index(&self, address: &str) -> Option<usize> {
        let changes = &self.plan.resource_changes;
        let sorted = self.by_address.get_or_init(|| {
            let mut v: Vec<u32> = (0..changes.len() as u32)
                .filter(|&i| changes[i as usize].deposed.is_none())
                .collect();
            v.sort_unstable_by(|&a, &b| changes[a as usize].address.cmp(&changes[b as usize].address));
            v
        });
        let pos = sorted
            .binary_search_by(|&i| changes[i as usize].address.as_str().cmp(address))
            .ok()?;
        Some(sorted[pos] as usize)
    }

    /// The related change: by the index the relations give when they give one (checked
    /// against the address), else by address.
    fn find(&self, address: &str, change_index: Option<usize>) -> Option<usize> {
        match change_index {
            Some(i) if self.plan.resource_changes.get(i).is_some_and(|c| c.address == address) => Some(i),
            _ => self.change_index(address),
        }
    }

    fn lookup(&self, i: usize) -> Option<(&'p ResourceChange, Option<&ChangeValues>)> {
        let change = self.plan.resource_changes.get(i)?;
        let slots = self.values.get_or_init(|| {
            self.plan
                .resource_changes
                .iter()
                .enumerate()
                .filter(|(_, c)| c.deposed.is_none() && self.types.contains_key(crate::eval::type_key(c)))
                .map(|(i, _)| (i, std::sync::OnceLock::new()))
                .collect()
        });
        let values = slots.get(&i).and_then(|cell| {
            let keys = self.types.get(crate::eval::type_key(change)).and_then(|k| k.as_deref());
            cell.get_or_init(|| crate::eval::parse_some_values(change, true, keys).ok())
                .as_ref()
        });
        Some((change, values))
    }
}

/// Where a condition is evaluated: the resource it is about and the graph.
pub(crate) struct Scope<'s, 'p> {
    pub(crate) address: &'s str,
    pub(crate) related: Option<&'s RelatedIndex<'p>>,
    pub(crate) depth: u8,
    /// The resource's values and configuration, for leaves with `in: before` / `in: config`.
    pub(crate) resource: Option<(&'s Plan, &'s ResourceChange, &'s ChangeValues)>,
    pub(crate) config: std::cell::OnceCell<Value>,
    /// Which arguments the configuration block sets, for `is_written` / `not_written`.
    pub(crate) written: std::cell::OnceCell<Option<(Value, Value)>>,
}

impl<'s, 'p> Scope<'s, 'p> {
    pub(crate) fn new(
        plan: &'s Plan,
        change: &'s ResourceChange,
        values: &'s ChangeValues,
        related: Option<&'s RelatedIndex<'p>>,
        depth: u8,
    ) -> Self {
        Scope {
            address: &change.address,
            related,
            depth,
            resource: Some((plan, change, values)),
            config: std::cell::OnceCell::new(),
            written: std::cell::OnceCell::new(),
        }
    }

    /// The configuration block's constant values as a value tree: arguments with a
    /// `constant_value`, nested blocks as lists of objects. Non-constant arguments are absent.
    fn config_value(&self) -> &Value {
        self.config.get_or_init(|| {
            let Some((plan, change, _)) = self.resource else {
                return Value::Null;
            };
            match plan.config_resource(&change.addr) {
                Some(c) => constants(&c.resource.expressions),
                None => Value::Null,
            }
        })
    }
}

impl Scope<'_, '_> {
    /// The arguments the configuration block sets, as a value tree (each set argument is
    /// `true`, nested blocks are lists of objects) with its unknown mirror; `None` when the
    /// plan has no configuration block for the resource.
    fn written_view(&self) -> Option<&(Value, Value)> {
        self.written
            .get_or_init(|| {
                let (plan, change, values) = self.resource?;
                let c = plan.config_resource(&change.addr)?;
                Some(written_arguments(
                    plan,
                    c.module_path,
                    &c.resource.expressions,
                    values.after(),
                ))
            })
            .as_ref()
    }
}

/// The written-arguments tree of a block and its unknown mirror. `dynamic` blocks are not in
/// the plan's configuration: a block the configuration lacks but the after-value has (a
/// known, non-empty list) may come from one, so what it sets is unknown rather than absent.
fn written_arguments(
    plan: &Plan,
    module_path: &[String],
    expressions: &planguard_plan::Expressions,
    after: Cursor<'_>,
) -> (Value, Value) {
    let mut map = serde_json::Map::new();
    let mut unknown = serde_json::Map::new();
    for (name, expr) in expressions {
        match expr {
            planguard_plan::Expression::Blocks(blocks) => {
                let planned = after.get(name);
                // Blocks line up with the planned elements only when there are as many (a
                // set's order differs, a `dynamic` block inside adds elements).
                let aligned = planned.known().and_then(Value::as_array).map(Vec::len) == Some(blocks.len());
                let (mut values, mut mirrors) = (Vec::new(), Vec::new());
                for (i, block) in blocks.iter().enumerate() {
                    let element = if aligned {
                        planned.at(i)
                    } else {
                        Cursor::new(None, None, None)
                    };
                    let (v, u) = written_arguments(plan, module_path, block, element);
                    values.push(v);
                    mirrors.push(u);
                }
                if mirrors.iter().any(|u| u.as_object().is_some_and(|o| !o.is_empty())) {
                    unknown.insert(name.clone(), Value::Array(mirrors));
                }
                map.insert(name.clone(), Value::Array(values));
            }
            _ if is_set(plan, module_path, expr, 0) => {
                map.insert(name.clone(), Value::Bool(true));
            }
            _ => {}
        }
    }
    if let Some(Value::Object(planned)) = after.known() {
        for (name, value) in planned {
            let block_like = matches!(value, Value::Array(items) if items.first().is_some_and(Value::is_object));
            if block_like && !expressions.contains_key(name) {
                unknown.insert(name.clone(), Value::Bool(true));
            }
        }
    }
    (Value::Object(map), Value::Object(unknown))
}

/// Whether an argument's expression sets it: Terraform treats an argument set to `null` as
/// not set, so a literal `null`, or a lone `var.NAME` whose value is `null` (a module input
/// nobody passed, defaulting to `null`), doesn't count. Any other expression does.
fn is_set(plan: &Plan, module_path: &[String], expr: &planguard_plan::Expression, depth: usize) -> bool {
    // Module nesting bounds the chain; the bound only guards against a malformed plan.
    if depth > 256 {
        return true;
    }
    let planguard_plan::Expression::Value {
        constant_value,
        references,
    } = expr
    else {
        return true;
    };
    if let Some(v) = constant_value {
        return !v.is_null();
    }
    let name = match references.as_slice() {
        [only] => match only.strip_prefix("var.") {
            Some(name) if !name.contains(['.', '[']) => name,
            _ => return true,
        },
        _ => return true,
    };
    let default_is_set = || {
        plan.config_module(module_path)
            .and_then(|m| m.variables.get(name))
            .is_some_and(|v| v.default.as_ref().is_some_and(|d| !d.is_null()))
    };
    match module_path.split_last() {
        None => match plan.variables.get(name) {
            Some(v) => !v.value.is_null(),
            None => default_is_set(),
        },
        Some((call, parent)) => {
            let argument = plan
                .config_module(parent)
                .and_then(|m| m.module_calls.get(call))
                .and_then(|c| c.expressions.get(name));
            match argument {
                Some(arg) => is_set(plan, parent, arg, depth + 1),
                None => default_is_set(),
            }
        }
    }
}

/// The unknown-mirror of a configuration that isn't in the plan: everything in it unknown.
static UNKNOWN_CONFIG: Value = Value::Bool(true);

fn constants(expressions: &planguard_plan::Expressions) -> Value {
    let mut map = serde_json::Map::new();
    for (name, expr) in expressions {
        match expr {
            planguard_plan::Expression::Value {
                constant_value: Some(v),
                ..
            } => {
                map.insert(name.clone(), v.clone());
            }
            planguard_plan::Expression::Value { .. } => {}
            planguard_plan::Expression::Blocks(blocks) => {
                map.insert(name.clone(), Value::Array(blocks.iter().map(constants).collect()));
            }
        }
    }
    Value::Object(map)
}

/// Which value a leaf reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Source {
    /// The value in scope: the resource's after-value, or the element / document inside
    /// `some`, `every`, `json`.
    #[default]
    After,
    /// The resource's before-value (paths from the resource root).
    Before,
    /// The constant values of the resource's configuration block (paths from its root).
    Config,
    /// Which arguments the configuration block sets (paths from its root): only through the
    /// `is_written` / `not_written` operators, never as `in: written`.
    #[serde(skip)]
    Written,
}

type Outcome = (Tri, Option<Witness>);

/// Evaluates `cond` on the value at `root`. With `trail` switched on, also returns the
/// witness of the decisive sub-condition; switched off (the common, passing case) it
/// allocates nothing.
pub(crate) fn eval(cond: &Cond, root: Cursor<'_>, trail: &mut Trail, scope: &Scope<'_, '_>) -> Outcome {
    match cond {
        Cond::Const(b) => (Tri::from_bool(*b), None),
        Cond::ResourceType(types) => match scope.resource {
            Some((_, change, _)) => {
                let key = crate::eval::type_key(change);
                (Tri::from_bool(types.iter().any(|t| t == key)), None)
            }
            None => (Tri::Unknown, None),
        },
        Cond::Leaf {
            path,
            op,
            negated,
            source: Source::After,
        } => eval_leaf(path, op, *negated, root, trail),
        Cond::Leaf {
            path,
            op,
            negated,
            source,
        } => {
            let Some((_, _, values)) = scope.resource else {
                return (Tri::Unknown, None);
            };
            let written = || match scope.written_view() {
                Some((tree, unknown)) => Cursor::new(Some(tree), Some(unknown), None),
                None => Cursor::new(None, Some(&UNKNOWN_CONFIG), None),
            };
            if let Op::Unwritten { blocks, key } = op {
                let root = written();
                let mut own = Trail::new(trail.is_on());
                return eval_unwritten(blocks, key, root, &mut own);
            }
            let root = match source {
                Source::Before => values.before(),
                Source::Written => written(),
                // Without the resource's configuration block (plans filtered or trimmed of
                // `configuration`), what it says can't be known: unknown, not absent.
                _ if scope.config_value().is_null() => Cursor::new(None, Some(&UNKNOWN_CONFIG), None),
                _ => Cursor::new(Some(scope.config_value()), None, None),
            };
            let mut own = Trail::new(trail.is_on());
            eval_leaf(path, op, *negated, root, &mut own)
        }
        Cond::All(children) => combine(children, root, trail, scope, true),
        Cond::Any(children) => combine(children, root, trail, scope, false),
        Cond::Not(inner) => {
            let (t, w) = eval(inner, root, trail, scope);
            (t.negate(), w)
        }
        Cond::Some { path, cond } => quantify(path, cond, root, trail, scope, true),
        Cond::Every { path, cond } => quantify(path, cond, root, trail, scope, false),
        Cond::Json { path, cond } => eval_json(path, cond, root, trail, scope),
        Cond::Related(rel) => eval_related(rel, trail, scope),
    }
}

/// `all` (the minimum) or `any` (the maximum) of the children, stopping at the absorbing
/// value. The witness is the first child that reached the result; a related resource named
/// by another child that agrees with the result is kept too, for `{related}`.
fn combine(
    children: &[Cond],
    root: Cursor<'_>,
    trail: &mut Trail,
    scope: &Scope<'_, '_>,
    conjunction: bool,
) -> Outcome {
    let (unit, absorbing) = if conjunction {
        (Tri::True, Tri::False)
    } else {
        (Tri::False, Tri::True)
    };
    let mut result: Outcome = (unit, None);
    let mut related: Vec<(Tri, Shown)> = Vec::new();
    for child in children {
        let (t, w) = eval(child, root, trail, scope);
        if let Some(r) = w.as_ref().and_then(|w| w.related.clone()) {
            related.push((t, r));
        }
        let better = if conjunction { t < result.0 } else { t > result.0 };
        if better || (result.1.is_none() && t == result.0) {
            result = (t, w);
        }
        if result.0 == absorbing {
            break;
        }
    }
    if let Some(w) = result.1.as_mut() {
        if w.related.is_none() {
            let agrees = |t: Tri| if conjunction { t >= result.0 } else { t <= result.0 };
            w.related = related.into_iter().find(|(t, _)| agrees(*t)).map(|(_, r)| r);
        }
    }
    result
}

fn quantify(
    path: &PathPattern,
    cond: &Cond,
    root: Cursor<'_>,
    trail: &mut Trail,
    scope: &Scope<'_, '_>,
    existential: bool,
) -> Outcome {
    // `some` is an `any` over the elements, `every` an `all`; no element gives their units.
    let (unit, absorbing) = if existential {
        (Tri::False, Tri::True)
    } else {
        (Tri::True, Tri::False)
    };
    let mut result: Outcome = (unit, None);
    path.for_each(root, trail, &mut |element, trail| {
        let (t, w) = eval(cond, element, trail, scope);
        let better = if existential { t > result.0 } else { t < result.0 };
        if better || (result.1.is_none() && t == result.0) {
            result = (t, w);
        }
        result.0 != absorbing
    });
    if result.1.is_none() && trail.is_on() {
        result.1 = Some(Witness {
            path: joined(trail, &path.text),
            value: Shown::constant("(no element)"),
            related: None,
        });
    }
    result
}

/// The trail extended by the rest of a rule's path pattern (the rule's own text).
fn joined(trail: &Trail, rest: &str) -> Shown {
    let base = trail.render();
    let rest = Shown::name(rest);
    match (base.is_empty(), rest.starts_with('[')) {
        (true, _) => rest,
        (false, true) => shown!("{}{}", base, rest),
        (false, false) => shown!("{}.{}", base, rest),
    }
}

fn eval_leaf(path: &PathPattern, op: &Op, negated: bool, root: Cursor<'_>, trail: &mut Trail) -> Outcome {
    let mut result: Option<Outcome> = None;
    path.for_each(root, trail, &mut |cur, trail| {
        let t = apply(op, cur);
        let t = if negated { t.negate() } else { t };
        let better = match &result {
            None => true,
            // A leaf over several matches is existential: one true match decides.
            Some((best, _)) => t > *best,
        };
        if better {
            let w = trail.is_on().then(|| Witness {
                path: trail.render(),
                value: cur.shown(),
                related: None,
            });
            result = Some((t, w));
        }
        t != Tri::True
    });
    match result {
        Some(r) => r,
        None => {
            let absent = Cursor::new(None, None, None);
            let t = apply(op, absent);
            let t = if negated { t.negate() } else { t };
            let w = trail.is_on().then(|| Witness {
                path: joined(trail, &path.text),
                value: Shown::constant("(not set)"),
                related: None,
            });
            (t, w)
        }
    }
}

/// Some block at `blocks` doesn't set `key`: existential over the blocks, and true when there
/// is none (nothing sets it).
fn eval_unwritten(blocks: &PathPattern, key: &str, root: Cursor<'_>, trail: &mut Trail) -> Outcome {
    let mut result: Option<Outcome> = None;
    blocks.for_each(root, trail, &mut |block, trail| {
        let t = apply(&Op::Exists, block.get(key)).negate();
        if result.as_ref().is_none_or(|(best, _)| t > *best) {
            let w = trail.is_on().then(|| Witness {
                path: joined(trail, key),
                value: Shown::constant("(not set)"),
                related: None,
            });
            result = Some((t, w));
        }
        t != Tri::True
    });
    result.unwrap_or_else(|| {
        let w = trail.is_on().then(|| Witness {
            path: joined(trail, &blocks.text),
            value: Shown::constant("(no block)"),
            related: None,
        });
        (Tri::True, w)
    })
}

/// The number in a value, also from a numeric string (Terraform converts freely).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

/// Equality as Terraform's type conversions see it: `22 == "22"`, `true == "true"`.
fn loosely_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::String(_)) | (Value::String(_), Value::Number(_)) => {
            matches!((number(a), number(b)), (Some(x), Some(y)) if x == y)
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Bool(x), Value::String(s)) | (Value::String(s), Value::Bool(x)) => {
            s == if *x { "true" } else { "false" }
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| loosely_equal(a, b)),
        _ => a == b,
    }
}

/// The operator on an absent attribute.
pub(crate) fn apply_to_absent(op: &Op) -> Tri {
    apply(op, Cursor::new(None, None, None))
}

fn apply(op: &Op, cur: Cursor<'_>) -> Tri {
    let value = match cur.lookup() {
        Lookup::Unknown => return Tri::Unknown,
        Lookup::Absent => &Value::Null,
        Lookup::Known(v) => v,
    };
    let partly_unknown = matches!(value, Value::Array(_) | Value::Object(_)) && cur.contains_unknown();
    match op {
        Op::Exists => Tri::from_bool(!value.is_null()),
        Op::IsTrue => Tri::from_bool(value == &Value::Bool(true) || value.as_str() == Some("true")),
        Op::IsFalse => Tri::from_bool(value == &Value::Bool(false) || value.as_str() == Some("false")),
        Op::IsEmpty => match value {
            Value::Null => Tri::True,
            Value::String(s) => Tri::from_bool(s.is_empty()),
            Value::Array(a) if a.is_empty() && partly_unknown => Tri::Unknown,
            Value::Array(a) => Tri::from_bool(a.is_empty()),
            Value::Object(o) if o.is_empty() && partly_unknown => Tri::Unknown,
            Value::Object(o) => Tri::from_bool(o.is_empty()),
            _ => Tri::False,
        },
        Op::Equals(expected) => {
            if partly_unknown {
                Tri::Unknown
            } else {
                Tri::from_bool(loosely_equal(value, expected))
            }
        }
        Op::OneOf(options) => {
            if partly_unknown {
                Tri::Unknown
            } else {
                Tri::from_bool(options.iter().any(|o| loosely_equal(value, o)))
            }
        }
        Op::Contains(needle) => match value {
            Value::String(s) => Tri::from_bool(needle.as_str().is_some_and(|n| s.contains(n))),
            Value::Array(items) => {
                if items.iter().any(|i| loosely_equal(i, needle)) {
                    Tri::True
                } else if partly_unknown {
                    Tri::Unknown
                } else {
                    Tri::False
                }
            }
            Value::Object(map) => {
                if needle.as_str().is_some_and(|k| map.contains_key(k)) {
                    Tri::True
                } else if partly_unknown {
                    Tri::Unknown
                } else {
                    Tri::False
                }
            }
            _ => Tri::False,
        },
        Op::Regex(re) => match value {
            Value::String(s) => Tri::from_bool(re.is_match(s)),
            _ => Tri::False,
        },
        Op::Compare(ordering, or_equal, bound) => match number(value) {
            Some(n) => {
                let ord = n.partial_cmp(bound);
                Tri::from_bool(ord == Some(*ordering) || (*or_equal && ord == Some(std::cmp::Ordering::Equal)))
            }
            None => Tri::False,
        },
        Op::IsPublicCidr => match value.as_str().and_then(Cidr::parse) {
            Some(c) => Tri::from_bool(c.is_world()),
            None => Tri::False,
        },
        Op::CidrContains(inner) => match value.as_str().and_then(Cidr::parse) {
            Some(c) => Tri::from_bool(c.contains(*inner)),
            None => Tri::False,
        },
        Op::StartsWith(prefix) => Tri::from_bool(value.as_str().is_some_and(|s| s.starts_with(prefix.as_str()))),
        Op::EndsWith(suffix) => Tri::from_bool(value.as_str().is_some_and(|s| s.ends_with(suffix.as_str()))),
        Op::Length(ordering, or_equal, bound, map_is_one) => {
            let length = match value {
                Value::String(s) => s.chars().count() as u64,
                // Some plans keep all-unknown list elements only in the unknown mirror.
                Value::Array(a) if a.is_empty() && partly_unknown => return Tri::Unknown,
                Value::Array(a) => a.len() as u64,
                Value::Object(_) if *map_is_one => 1,
                Value::Object(o) => o.len() as u64,
                _ => return Tri::False,
            };
            let ord = length.cmp(bound);
            Tri::from_bool(ord == *ordering || (*or_equal && ord == std::cmp::Ordering::Equal))
        }
        // An absent attribute is no set at all, so not a subset of anything.
        Op::Subset(_) if value.is_null() => Tri::False,
        Op::Subset(allowed) => {
            let mut outside = false;
            for_members(value, cur, &mut |m| {
                outside |= !allowed.iter().any(|a| loosely_equal(m, a));
            });
            match (outside, partly_unknown) {
                (true, _) => Tri::False,
                (false, true) => Tri::Unknown,
                (false, false) => Tri::True,
            }
        }
        Op::Intersects(options) => {
            let mut found = false;
            for_members(value, cur, &mut |m| {
                found |= options.iter().any(|o| loosely_equal(m, o));
            });
            match (found, partly_unknown) {
                (true, _) => Tri::True,
                (false, true) => Tri::Unknown,
                (false, false) => Tri::False,
            }
        }
        // Evaluated over the blocks by `eval_unwritten`, never on one value.
        Op::Unwritten { .. } => Tri::Unknown,
    }
}

/// The known members of a value seen as a set: a list's elements (those known at plan
/// time), a map's keys, or the value itself (absent: nothing).
fn for_members(value: &Value, cur: Cursor<'_>, f: &mut dyn FnMut(&Value)) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if !cur.at(i).is_unknown() {
                    f(item);
                }
            }
        }
        Value::Object(map) => map.keys().for_each(|k| f(&Value::String(k.clone()))),
        other => f(other),
    }
}

fn eval_json(path: &PathPattern, cond: &Cond, root: Cursor<'_>, trail: &mut Trail, scope: &Scope<'_, '_>) -> Outcome {
    let mut result: Outcome = (Tri::False, None);
    let mut any = false;
    path.for_each(root, trail, &mut |cur, trail| {
        any = true;
        let (t, w) = match cur.lookup() {
            Lookup::Unknown => (
                Tri::Unknown,
                trail.is_on().then(|| Witness {
                    path: trail.render(),
                    value: cur.shown(),
                    related: None,
                }),
            ),
            Lookup::Absent | Lookup::Known(Value::Null) => (Tri::False, None),
            Lookup::Known(Value::String(text)) => match serde_json::from_str::<Value>(text) {
                Ok(doc) => {
                    let sensitive = Value::Bool(true);
                    let mirror = cur.is_sensitive().then_some(&sensitive);
                    let inner = Cursor::new(Some(&doc), None, mirror);
                    let mut inner_trail = Trail::with_prefix(trail.is_on(), trail.steps());
                    eval(cond, inner, &mut inner_trail, scope)
                }
                // Not JSON (yet): a policy that can't be parsed can't be judged either way.
                Err(_) => (Tri::False, None),
            },
            // Some providers plan a policy as an object rather than a JSON string.
            Lookup::Known(_) => {
                let mut inner_trail = Trail::with_prefix(trail.is_on(), trail.steps());
                eval(cond, cur, &mut inner_trail, scope)
            }
        };
        if t > result.0 || (result.1.is_none() && t == result.0) {
            result = (t, w);
        }
        result.0 != Tri::True
    });
    if !any && trail.is_on() && result.1.is_none() {
        result.1 = Some(Witness {
            path: joined(trail, &path.text),
            value: Shown::constant("(absent)"),
            related: None,
        });
    }
    result
}

fn eval_related(rel: &RelatedCond, trail: &mut Trail, scope: &Scope<'_, '_>) -> Outcome {
    let Some(index) = scope.related else {
        return (Tri::Unknown, None);
    };
    // Related conditions nest (an instance's security group's rules); bound the depth so a
    // cyclic rule can't recurse forever.
    if scope.depth >= 8 {
        return (Tri::Unknown, None);
    }
    if rel.direction == Reach::Plan {
        return eval_plan_wide(rel, index, trail, scope);
    }
    let direction = match rel.direction {
        Reach::Dependencies => Direction::Dependencies,
        _ => Direction::Dependents,
    };
    let mut candidates: Vec<(&str, Option<&ChangeValues>, &ResourceChange)> = Vec::new();
    index
        .relations
        .visit(scope.address, direction, &mut |address, attribute, change_index| {
            if let Some(attr) = &rel.attribute {
                if attribute != Some(attr.as_str()) {
                    return;
                }
            }
            let Some(ci) = index.find(address, change_index) else {
                return;
            };
            let Some(change) = index.plan.resource_changes.get(ci) else {
                return;
            };
            if !change.action().has_after() {
                return;
            }
            let type_key = crate::eval::type_key(change);
            if !rel.types.iter().any(|t| t == type_key) {
                return;
            }
            if candidates.iter().any(|c| c.0 == change.address) {
                return;
            }
            // Parsed only when the condition reads the related resource's values.
            let values = if matches!(rel.cond, Cond::Const(_)) {
                None
            } else {
                index.lookup(ci).and_then(|(_, v)| v)
            };
            candidates.push((&change.address, values, change));
        });
    candidates.sort_by(|a, b| a.0.cmp(b.0));
    let (t, decisive) = quantify_related(rel, &candidates, scope);
    let w = trail
        .is_on()
        .then(|| related_witness(rel, trail, decisive, &candidates));
    (t, w)
}

/// Combines the related resources' outcomes under the condition's quantifier; also returns
/// the related resource that moved the result last (the one to name in the message).
fn quantify_related<'c>(
    rel: &RelatedCond,
    candidates: &[(&'c str, Option<&ChangeValues>, &ResourceChange)],
    scope: &Scope<'_, '_>,
) -> (Tri, Option<&'c str>) {
    let (unit, absorbing, existential) = match rel.quantifier {
        Quantifier::Some | Quantifier::None => (Tri::False, Tri::True, true),
        Quantifier::Every => (Tri::True, Tri::False, false),
    };
    let mut acc = unit;
    let mut decisive: Option<&str> = None;
    for (address, values, change) in candidates {
        let t = match (&rel.cond, values, scope.resource) {
            (Cond::Const(b), _, _) => Tri::from_bool(*b),
            (_, Some(v), Some((plan, _, _))) => {
                let inner_scope = Scope::new(plan, change, v, scope.related, scope.depth + 1);
                let mut inner = Trail::new(false);
                eval(&rel.cond, v.after(), &mut inner, &inner_scope).0
            }
            _ => Tri::Unknown,
        };
        if (existential && t > acc) || (!existential && t < acc) {
            acc = t;
            decisive = Some(address);
        }
        if acc == absorbing {
            break;
        }
    }
    let t = if rel.quantifier == Quantifier::None {
        acc.negate()
    } else {
        acc
    };
    (t, decisive)
}

fn related_witness(
    rel: &RelatedCond,
    trail: &Trail,
    decisive: Option<&str>,
    candidates: &[(&str, Option<&ChangeValues>, &ResourceChange)],
) -> Witness {
    Witness {
        path: match &rel.attribute {
            Some(a) => joined(trail, a),
            None => trail.render(),
        },
        value: match decisive {
            Some(a) => Shown::name(a),
            None if candidates.is_empty() => Shown::constant("(none)"),
            None => Shown::name(candidates.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")),
        },
        related: decisive.map(Shown::name),
    }
}

/// `direction: plan`: every live resource of the related types in the plan, evaluated once
/// per condition and remembered (see [`RelatedIndex::plan_wide`]).
fn eval_plan_wide(rel: &RelatedCond, index: &RelatedIndex<'_>, trail: &mut Trail, scope: &Scope<'_, '_>) -> Outcome {
    let key = rel as *const RelatedCond as usize;
    let cached = index.plan_wide.lock().ok().and_then(|memo| memo.get(&key).cloned());
    let (t, decisive, count) = match cached {
        Some(hit) => hit,
        None => {
            let mut candidates: Vec<(&str, Option<&ChangeValues>, &ResourceChange)> = Vec::new();
            for t in &rel.types {
                for &ci in index.of_type(t) {
                    let Some(change) = index.plan.resource_changes.get(ci as usize) else {
                        continue;
                    };
                    let values = if matches!(rel.cond, Cond::Const(_)) {
                        None
                    } else {
                        index.lookup(ci as usize).and_then(|(_, v)| v)
                    };
                    candidates.push((&change.address, values, change));
                }
            }
            candidates.sort_by(|a, b| a.0.cmp(b.0));
            candidates.dedup_by(|a, b| a.0 == b.0);
            let (t, decisive) = quantify_related(rel, &candidates, scope);
            let entry = (t, decisive.map(str::to_string), candidates.len());
            if let Ok(mut memo) = index.plan_wide.lock() {
                memo.insert(key, entry.clone());
            }
            entry
        }
    };
    let w = trail.is_on().then(|| Witness {
        path: trail.render(),
        value: match (&decisive, count) {
            (Some(a), _) => Shown::name(a.as_str()),
            (None, 0) => Shown::constant("(none)"),
            (None, n) => Shown::name(format!("({n} in the plan)")),
        },
        related: decisive.as_deref().map(Shown::name),
    });
    (t, w)
}
