//! The typed model of `terraform show -json` plan output.
//!
//! Field names follow the JSON. Unknown fields are ignored, so plans from newer Terraform and
//! OpenTofu versions still read; collections Terraform omits or writes as `null` are empty.
//! Attribute values are kept as raw JSON text ([`RawJson`], a range of the loaded document,
//! not a copy) and parsed on demand with [`Change::values`], which keeps parsing fast and
//! memory close to the file size for very large plans.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::action::Action;
use crate::address::{Address, InstanceKey, Mode};
use crate::config::Configuration;
use crate::error::ValueError;
use crate::index::ConfigIndex;
use crate::raw::RawJson;
use crate::values::{AttrPath, ChangeValues};

/// A whole plan, as `terraform show -json PLANFILE` writes it.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct Plan {
    /// The JSON format version, `"0.1"` to `"1.x"`.
    #[serde(default, deserialize_with = "de_format_version")]
    pub format_version: Option<String>,
    /// The Terraform (or OpenTofu) version that wrote the plan.
    #[serde(default)]
    pub terraform_version: Option<String>,
    /// Root module variable values given to the plan.
    #[serde(default, deserialize_with = "null_default")]
    pub variables: BTreeMap<String, PlanVariable>,
    /// The state as it would be after apply (unknown values omitted).
    #[serde(default, deserialize_with = "right_part")]
    pub planned_values: Option<StateValues>,
    /// Changes found outside Terraform since the last apply.
    #[serde(default, deserialize_with = "left_part")]
    pub resource_drift: Vec<ResourceChange>,
    /// One entry per resource instance (and deposed object) the plan covers.
    #[serde(default, deserialize_with = "changes_part")]
    pub resource_changes: Vec<ResourceChange>,
    /// Changes to root module outputs.
    #[serde(default, deserialize_with = "null_default")]
    pub output_changes: BTreeMap<String, Change>,
    /// The state the plan was made against (after refresh).
    #[serde(default, deserialize_with = "right_part")]
    pub prior_state: Option<State>,
    /// The configuration: providers, resources, module calls, with expressions and references.
    #[serde(default, deserialize_with = "left_part")]
    pub configuration: Option<Configuration>,
    /// Attributes of resources that contributed to the plan's decisions.
    #[serde(default, deserialize_with = "null_default")]
    pub relevant_attributes: Vec<RelevantAttribute>,
    /// Results of `check` blocks and conditions, kept as raw JSON.
    #[serde(default)]
    pub checks: Option<RawJson>,
    /// Changes Terraform deferred to a later plan.
    #[serde(default, deserialize_with = "left_part")]
    pub deferred_changes: Vec<DeferredChange>,
    /// When the plan was made (RFC 3339).
    #[serde(default)]
    pub timestamp: Option<String>,
    /// True when planning stopped on an error: the plan is partial.
    #[serde(default)]
    pub errored: bool,
    /// Whether the plan can be applied.
    #[serde(default)]
    pub applyable: Option<bool>,
    /// Whether applying the plan reaches the desired state in one go.
    #[serde(default)]
    pub complete: Option<bool>,
    /// Present only in state documents: lets the loader tell a state from a plan.
    #[serde(default, rename = "values")]
    pub(crate) state_values: Option<serde::de::IgnoredAny>,
    #[serde(skip)]
    pub(crate) index: OnceLock<ConfigIndex>,
    #[serde(skip)]
    pub(crate) changes_by_config: OnceLock<std::collections::HashMap<String, Vec<usize>>>,
    /// The whole plan JSON document as read (set by the loader).
    #[serde(skip)]
    pub(crate) json: Option<RawJson>,
}

impl Plan {
    /// The plan's JSON document as the loader read it (without a byte-order mark, text
    /// around it or a UTF-16 encoding): what a policy engine takes as `input`. `None` for
    /// a plan not made by the loader.
    pub fn json_text(&self) -> Option<&str> {
        self.json.as_ref().map(RawJson::get)
    }
}

/// A root module variable's value.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self")]
pub struct PlanVariable {
    /// The value (may be `null`).
    #[serde(default)]
    pub value: Value,
}

/// Resource values of a state or of `planned_values`.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct StateValues {
    /// Root module outputs.
    #[serde(default, deserialize_with = "null_default")]
    pub outputs: BTreeMap<String, StateOutput>,
    /// The module tree of resources.
    #[serde(default)]
    pub root_module: Option<StateModule>,
}

impl StateValues {
    /// Every resource of every module, depth first, in file order.
    pub fn resources(&self) -> Vec<&StateResource> {
        let mut out = Vec::new();
        if let Some(root) = &self.root_module {
            root.collect(&mut out);
        }
        out
    }
}

/// An output value in a state.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct StateOutput {
    /// Whether the output is sensitive.
    #[serde(default)]
    pub sensitive: bool,
    /// The value, as raw JSON.
    #[serde(default)]
    pub value: Option<RawJson>,
}

/// One module of a state's module tree.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct StateModule {
    /// The module instance address (absent for the root).
    #[serde(default)]
    pub address: Option<String>,
    /// Its resources.
    #[serde(default, deserialize_with = "null_default")]
    pub resources: Vec<StateResource>,
    /// Its child modules.
    #[serde(default, deserialize_with = "null_default")]
    pub child_modules: Vec<StateModule>,
}

impl StateModule {
    fn collect<'a>(&'a self, out: &mut Vec<&'a StateResource>) {
        out.extend(self.resources.iter());
        for child in &self.child_modules {
            child.collect(out);
        }
    }
}

/// One resource instance in a state.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct StateResource {
    /// The full instance address.
    #[serde(deserialize_with = "de_address")]
    pub address: String,
    /// Managed or data.
    #[serde(default = "managed")]
    pub mode: Mode,
    /// The resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The resource name.
    #[serde(default)]
    pub name: String,
    /// The instance key.
    #[serde(default)]
    pub index: Option<InstanceKey>,
    /// The provider's full name.
    #[serde(default)]
    pub provider_name: Option<String>,
    /// Attribute values, raw. `None` unless the plan was loaded with
    /// [`LoadOptions::keep_state_values`](crate::LoadOptions::keep_state_values): the same
    /// values are in `resource_changes`, and keeping a second copy costs a quarter of a large
    /// plan's size in memory.
    #[serde(default, deserialize_with = "state_values")]
    pub values: Option<RawJson>,
    /// Sensitivity mirror of `values`, raw; kept only with `keep_state_values` too.
    #[serde(default, deserialize_with = "state_values")]
    pub sensitive_values: Option<RawJson>,
    /// Dependencies recorded in state.
    #[serde(default, deserialize_with = "null_default")]
    pub depends_on: Vec<String>,
    /// Whether the object is tainted.
    #[serde(default)]
    pub tainted: bool,
    /// Deposed key, for a deposed object.
    #[serde(default)]
    pub deposed_key: Option<String>,
}

fn managed() -> Mode {
    Mode::Managed
}

/// A state document nested in a plan (`prior_state`).
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct State {
    /// Its format version.
    #[serde(default)]
    pub format_version: Option<String>,
    /// The Terraform version that wrote it.
    #[serde(default)]
    pub terraform_version: Option<String>,
    /// Its values.
    #[serde(default)]
    pub values: Option<StateValues>,
}

/// The planned change to one resource instance.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct ResourceChange {
    /// The full instance address, e.g. `module.net["a"].aws_subnet.s[0]`.
    #[serde(deserialize_with = "de_address")]
    pub address: String,
    /// The module instance address (absent for the root module).
    #[serde(default)]
    pub module_address: Option<String>,
    /// Managed resource or data source.
    #[serde(default = "managed")]
    pub mode: Mode,
    /// The resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The resource name.
    #[serde(default)]
    pub name: String,
    /// The instance key.
    #[serde(default)]
    pub index: Option<InstanceKey>,
    /// The provider's full name (`registry.terraform.io/hashicorp/aws`).
    #[serde(default)]
    pub provider_name: Option<String>,
    /// Set when the change is for a deposed object rather than the current one.
    #[serde(default)]
    pub deposed: Option<String>,
    /// The address before a `moved` block moved it.
    #[serde(default)]
    pub previous_address: Option<String>,
    /// Why Terraform chose this action (`replace_because_cannot_update`, ...); new reasons
    /// appear over time and are kept as text.
    #[serde(default)]
    pub action_reason: Option<String>,
    /// The change itself.
    pub change: Change,
    /// The parsed address (filled in by the loader).
    #[serde(skip, default = "placeholder_address")]
    pub addr: Address,
}

fn placeholder_address() -> Address {
    Address {
        module: Default::default(),
        mode: Mode::Managed,
        resource_type: String::new(),
        name: String::new(),
        key: None,
    }
}

impl ResourceChange {
    /// The normalised action.
    pub fn action(&self) -> Action {
        self.change.actions
    }

    /// True when the resource is being imported.
    pub fn is_import(&self) -> bool {
        self.change.importing.is_some()
    }

    /// The module instance address, `""` for the root module.
    pub fn module(&self) -> &str {
        self.module_address.as_deref().unwrap_or("")
    }

    /// Parses this change's values. See [`Change::values`].
    pub fn values(&self) -> Result<ChangeValues, ValueError> {
        self.change.values()
    }
}

/// A change to a resource or output: action, before and after values with their overlays.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct Change {
    /// The action, from Terraform's `actions` list.
    #[serde(deserialize_with = "de_actions")]
    pub actions: Action,
    /// The value before (raw JSON; `None` when null).
    #[serde(default)]
    pub before: Option<RawJson>,
    /// The value after (raw JSON; `None` when null).
    #[serde(default)]
    pub after: Option<RawJson>,
    /// Mirror of `after`: `true` where unknown until apply.
    #[serde(default)]
    pub after_unknown: Option<RawJson>,
    /// Mirror of `before`: `true` where sensitive.
    #[serde(default)]
    pub before_sensitive: Option<RawJson>,
    /// Mirror of `after`: `true` where sensitive.
    #[serde(default)]
    pub after_sensitive: Option<RawJson>,
    /// Attribute paths that force replacement.
    #[serde(default, deserialize_with = "null_default")]
    pub replace_paths: Vec<AttrPath>,
    /// Set when the resource is imported by this plan.
    #[serde(default)]
    pub importing: Option<Importing>,
    /// HCL that Terraform generated for an imported resource.
    #[serde(default)]
    pub generated_config: Option<String>,
}

impl Change {
    /// Parses only the after-value and its overlays (`before` and `before_sensitive` stay
    /// `null`): for consumers that judge what will exist, such as rules, at half the cost.
    pub fn after_values(&self) -> Result<ChangeValues, ValueError> {
        Ok(ChangeValues {
            before: Value::Null,
            after: parse(&self.after)?,
            after_unknown: parse(&self.after_unknown)?,
            before_sensitive: Value::Null,
            after_sensitive: parse(&self.after_sensitive)?,
        })
    }

    /// Parses the raw before/after values and their overlays.
    ///
    /// Numbers beyond `f64`'s range and deep nesting are read (see [`crate::json`]); errors
    /// only for a value nested deeper than [`crate::json::MAX_DEPTH`], with its position.
    pub fn values(&self) -> Result<ChangeValues, ValueError> {
        Ok(ChangeValues {
            before: parse(&self.before)?,
            after: parse(&self.after)?,
            after_unknown: parse(&self.after_unknown)?,
            before_sensitive: parse(&self.before_sensitive)?,
            after_sensitive: parse(&self.after_sensitive)?,
        })
    }
}

fn parse(raw: &Option<RawJson>) -> Result<Value, ValueError> {
    match raw {
        Some(r) => r.parse(),
        None => Ok(Value::Null),
    }
}

/// Import details of a change.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self")]
pub struct Importing {
    /// The import ID, when known.
    #[serde(default)]
    pub id: Option<String>,
    /// True when the ID is unknown until apply.
    #[serde(default)]
    pub unknown: bool,
}

/// An attribute of a resource that the plan's decisions depended on.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self")]
pub struct RelevantAttribute {
    /// The resource address.
    pub resource: String,
    /// The attribute path.
    #[serde(default)]
    pub attribute: AttrPath,
}

/// A change Terraform deferred to a later plan.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct DeferredChange {
    /// Why it was deferred.
    #[serde(default)]
    pub reason: String,
    /// The change that would have been planned.
    pub resource_change: ResourceChange,
}

/// Implements `Deserialize` for types whose derived impl is `#[serde(remote = "Self")]`, so
/// that they read only from a JSON object. serde's derived impl also reads a struct from a
/// list of its fields in order, so `"variables": {"x": ["SECRET"]}` or `"configuration": []`
/// would read without a word; Terraform never writes that, and a shape planguard does not
/// expect must be an error, not a silent default.
#[doc(hidden)]
#[macro_export]
macro_rules! objects_only {
    ($($ty:ident => $what:literal),* $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($what)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<$ty, A::Error> {
                        $ty::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    )*};
}

thread_local! {
    /// Whether the parse running on this thread keeps state and planned values. A thread-local
    /// rather than a `DeserializeSeed` threaded through every type: only `parse_bytes` sets it,
    /// around one `serde_json` call on its own thread.
    pub(crate) static KEEP_STATE_VALUES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Which part of a plan document a parse reads: large plans are read by two threads at once,
/// each reading every byte (the floor of any JSON pass) but building only its part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Everything: one thread reads the whole plan.
    Whole,
    /// The even-numbered resource changes, the configuration and the small sections.
    Left,
    /// The odd-numbered resource changes, the prior state and the planned values.
    Right,
}

thread_local! {
    pub(crate) static PART: std::cell::Cell<Part> = const { std::cell::Cell::new(Part::Whole) };
}

fn current_part() -> Part {
    PART.with(std::cell::Cell::get)
}

/// A section the left part reads (`null` reads as the default).
fn left_part<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    section_unless(deserializer, Part::Right)
}

/// A section the right part reads (`null` reads as the default).
fn right_part<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    section_unless(deserializer, Part::Left)
}

/// Reads a section, or skips it (its default) when this thread reads the `other` part.
fn section_unless<'de, D, T>(deserializer: D, other: Part) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    if current_part() == other {
        serde::de::IgnoredAny::deserialize(deserializer)?;
        return Ok(T::default());
    }
    null_default(deserializer)
}

/// `resource_changes`: every element for the whole plan, the even-numbered ones for the left
/// part and the odd-numbered ones for the right (the others are skipped).
fn changes_part<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<ResourceChange>, D::Error> {
    struct Changes(Part);

    impl<'de> serde::de::Visitor<'de> for Changes {
        type Value = Vec<ResourceChange>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of resource changes")
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            let mut seen = std::collections::HashSet::new();
            let mut index = 0usize;
            loop {
                let mine = match self.0 {
                    Part::Whole => true,
                    Part::Left => index % 2 == 0,
                    Part::Right => index % 2 == 1,
                };
                if mine {
                    match seq.next_element::<ResourceChange>()? {
                        Some(change) => {
                            if CHECKING.with(std::cell::Cell::get) {
                                check_unique(&mut seen, &change)?;
                            }
                            out.push(change)
                        }
                        None => break,
                    }
                } else if seq.next_element::<serde::de::IgnoredAny>()?.is_none() {
                    break;
                }
                index += 1;
            }
            Ok(out)
        }
    }

    deserializer.deserialize_any(Changes(current_part()))
}

/// Rejects a second resource change for the same object (address and deposed key).
fn check_unique<E: serde::de::Error>(
    seen: &mut std::collections::HashSet<(String, Option<String>)>,
    change: &ResourceChange,
) -> Result<(), E> {
    if seen.insert((change.address.clone(), change.deposed.clone())) {
        Ok(())
    } else {
        Err(E::custom(DUPLICATE_CHANGE))
    }
}

/// Why a plan with two changes for one object is rejected.
pub(crate) const DUPLICATE_CHANGE: &str = "a second resource change for the same resource instance (same address and \
     deposed key) ends here: Terraform plans each object once, and planguard cannot tell which of the two would apply";

/// The longest resource address read. Terraform's names are at most 64 characters; a
/// `for_each` key can be longer, but not megabytes: an address past this is not a plan's,
/// and reading it whole would only cost memory.
pub const MAX_ADDRESS_LEN: usize = 64 << 10;

/// A resource address: bounded in length and, when the loader re-reads a plan to find where
/// an address is wrong ([`CHECKING`]), parsed, so that the error gets serde_json's position.
fn de_address<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    struct AddressVisitor;

    impl serde::de::Visitor<'_> for AddressVisitor {
        type Value = String;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a resource address (a string)")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<String, E> {
            if text.len() > MAX_ADDRESS_LEN {
                return Err(E::custom(format_args!(
                    "a resource address of {} bytes: expected at most {MAX_ADDRESS_LEN}",
                    text.len()
                )));
            }
            if CHECKING.with(std::cell::Cell::get) {
                if let Err(e) = Address::parse(text) {
                    return Err(E::custom(format_args!(
                        "a resource address Terraform doesn't write: {e}"
                    )));
                }
            }
            Ok(text.to_owned())
        }
    }

    deserializer.deserialize_str(AddressVisitor)
}

thread_local! {
    /// Set while the loader re-reads a plan whose addresses it could not parse or whose
    /// changes repeat an address, to find where: the checks run on this error path only.
    pub(crate) static CHECKING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A plan's `format_version`: `MAJOR.MINOR` with a major version of 0 or 1, checked as it is
/// read so that an error has the file position (and quotes nothing of the text).
fn de_format_version<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let Some(version) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let mut parts = version.split('.');
    let major = parts.next().and_then(|p| p.parse::<u64>().ok());
    let minor = parts.next().and_then(|p| p.parse::<u64>().ok());
    match (major, minor) {
        (Some(0 | 1), Some(_)) => Ok(Some(version)),
        _ if version.is_empty() => Err(serde::de::Error::custom(
            "an empty format_version: expected \"MAJOR.MINOR\" (planguard reads format 0.x and 1.x)",
        )),
        (Some(_), Some(_)) => Err(serde::de::Error::custom(
            "an unsupported format_version major version: planguard reads format 0.x and 1.x",
        )),
        _ => Err(serde::de::Error::custom(
            "a format_version that is not \"MAJOR.MINOR\" (planguard reads format 0.x and 1.x)",
        )),
    }
}

fn state_values<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<RawJson>, D::Error> {
    if KEEP_STATE_VALUES.with(std::cell::Cell::get) {
        Option::<RawJson>::deserialize(deserializer)
    } else {
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(None)
    }
}

/// Deserializes `null` as the type's default: Terraform omits or nulls empty collections.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

fn de_actions<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Action, D::Error> {
    let list: Vec<std::borrow::Cow<'de, str>> = Vec::deserialize(deserializer)?;
    // Terraform writes at least one action; the text of an unknown one is not quoted back.
    (!list.is_empty())
        .then(|| Action::from_actions(&list))
        .flatten()
        .ok_or_else(|| {
            serde::de::Error::custom(
                "an unknown combination of change actions: expected one of [\"no-op\"], [\"create\"], [\"read\"], \
                 [\"update\"], [\"delete\",\"create\"], [\"create\",\"delete\"], [\"delete\"], [\"forget\"], \
                 [\"create\",\"forget\"]",
            )
        })
}

objects_only!(
    Plan => "a Terraform plan object",
    PlanVariable => "a variable object (`{\"value\": ...}`)",
    StateValues => "a state values object",
    StateOutput => "an output object (`{\"value\": ..., \"sensitive\": ...}`)",
    StateModule => "a module object",
    StateResource => "a resource object",
    State => "a state object",
    ResourceChange => "a resource change object",
    Change => "a change object (`{\"actions\": [...], \"before\": ..., \"after\": ...}`)",
    Importing => "an importing object",
    RelevantAttribute => "a relevant attribute object",
    DeferredChange => "a deferred change object",
);
