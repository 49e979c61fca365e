//! The module tree flattened: find a resource's configuration block, its provider
//! configuration and its region without walking the JSON again.

use std::collections::HashMap;

use serde_json::Value;

static TRUE: Value = Value::Bool(true);

use crate::address::Address;
use crate::config::{ConfigModule, ConfigResource, Expression, ProviderConfig};
use crate::model::{Plan, ResourceChange};
use crate::values::ChangeValues;

/// Where each configuration resource lives in the module tree, by configuration address.
#[derive(Debug, Default)]
pub(crate) struct ConfigIndex {
    resources: HashMap<String, (Vec<String>, usize)>,
}

impl ConfigIndex {
    fn build(root: &ConfigModule) -> Self {
        let mut index = ConfigIndex::default();
        let mut path = Vec::new();
        index.walk(root, &mut path);
        index
    }

    fn walk(&mut self, module: &ConfigModule, path: &mut Vec<String>) {
        let prefix: String = path.iter().map(|name| format!("module.{name}.")).collect();
        for (i, resource) in module.resources.iter().enumerate() {
            self.resources
                .insert(format!("{prefix}{}", resource.address), (path.clone(), i));
        }
        for (name, call) in &module.module_calls {
            path.push(name.clone());
            self.walk(&call.module, path);
            path.pop();
        }
    }
}

/// A resource's configuration block, with the module that holds it.
#[derive(Debug, Clone, Copy)]
pub struct ConfigResourceRef<'a> {
    /// The module call names from the root to the holding module.
    pub module_path: &'a [String],
    /// The holding module.
    pub module: &'a ConfigModule,
    /// The block.
    pub resource: &'a ConfigResource,
}

/// A region and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The region name, e.g. `eu-west-1`: for matching and price lookups; messages use
    /// [`Region::shown`].
    pub name: String,
    /// How it was found.
    pub source: RegionSource,
    /// Whether the name may be printed: not when it comes from a sensitive attribute or a
    /// variable declared sensitive.
    pub disclosure: crate::shown::Disclosure,
}

impl Region {
    /// The name as a message may quote it: `(sensitive)` when it is.
    pub fn shown(&self) -> crate::shown::Shown {
        self.disclosure.show(&self.name)
    }

    /// True when the name must not be printed.
    pub fn is_sensitive(&self) -> bool {
        !self.disclosure.allows()
    }
}

/// Where a resource's region came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionSource {
    /// The resource's own `region` attribute.
    ResourceAttribute,
    /// The provider configuration (a constant, or a variable's value or default).
    ProviderConfig,
    /// Derived from the resource's availability zone.
    AvailabilityZone,
    /// Derived from the resource's ARN.
    Arn,
}

/// Why a value could not be resolved from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved(pub String);

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Plan {
    fn config_index(&self) -> &ConfigIndex {
        self.index.get_or_init(|| match &self.configuration {
            Some(config) => ConfigIndex::build(&config.root_module),
            None => ConfigIndex::default(),
        })
    }

    /// The indexes (into `resource_changes`) of the instances of the resource at a
    /// configuration address (`module.net.aws_vpc.main`), in plan order; built once, on first
    /// use, so lookups from many resources stay linear overall.
    pub fn changes_at_config_address(&self, config_address: &str) -> &[usize] {
        let index = self.changes_by_config.get_or_init(|| {
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, rc) in self.resource_changes.iter().enumerate() {
                map.entry(rc.addr.config_address()).or_default().push(i);
            }
            map
        });
        index.get(config_address).map_or(&[], Vec::as_slice)
    }

    /// The configuration of the module reached by following module call names from the root.
    pub fn config_module<S: AsRef<str>>(&self, call_names: &[S]) -> Option<&ConfigModule> {
        let mut module = &self.configuration.as_ref()?.root_module;
        for name in call_names {
            module = &module.module_calls.get(name.as_ref())?.module;
        }
        Some(module)
    }

    /// The configuration block of a resource instance, found by its configuration address.
    pub fn config_resource(&self, address: &Address) -> Option<ConfigResourceRef<'_>> {
        self.config_resource_by_config_address(&address.config_address())
    }

    /// The configuration block at a configuration address such as `module.net.aws_vpc.main`.
    pub fn config_resource_by_config_address(&self, config_address: &str) -> Option<ConfigResourceRef<'_>> {
        let (path, i) = self.config_index().resources.get(config_address)?;
        let module = self.config_module(path)?;
        Some(ConfigResourceRef {
            module_path: path,
            module,
            resource: module.resources.get(*i)?,
        })
    }

    /// The provider configuration a resource uses, with its key, following Terraform's
    /// spellings of the key across versions and falling back to the root configuration of the
    /// same provider for modules that only declare it.
    pub fn provider_config(&self, address: &Address) -> Option<(&str, &ProviderConfig)> {
        let configs = &self.configuration.as_ref()?.provider_config;
        let key = self.config_resource(address)?.resource.provider_config_key.as_deref()?;
        let found = configs
            .get_key_value(key)
            .or_else(|| configs.get_key_value(format!("module.{key}").as_str()))?;
        Some((found.0.as_str(), found.1))
    }

    /// The region a resource is deployed to.
    ///
    /// In order: the resource's own known `region` attribute; its provider configuration's
    /// `region` (a constant, or a variable resolved to its value or default, through module
    /// inputs); the root provider configuration of the same name and alias when a module only
    /// declares the provider; the resource's availability zone; its ARN.
    pub fn region_of(&self, change: &ResourceChange, values: Option<&ChangeValues>) -> Result<Region, Unresolved> {
        if let Some(values) = values {
            for side in [values.after(), values.before()] {
                let region = side.get("region");
                if let Some(name) = region.as_str() {
                    return Ok(Region {
                        name: name.to_string(),
                        source: RegionSource::ResourceAttribute,
                        disclosure: region.disclosure(),
                    });
                }
            }
        }
        let from_provider = self.provider_region(&change.addr);
        if let Ok((name, disclosure)) = &from_provider {
            return Ok(Region {
                name: name.clone(),
                source: RegionSource::ProviderConfig,
                disclosure: *disclosure,
            });
        }
        if let Some(values) = values {
            for side in [values.after(), values.before()] {
                let zone = side.get("availability_zone");
                if let Some(az) = zone.as_str() {
                    if let Some(name) = region_from_az(az) {
                        return Ok(Region {
                            name,
                            source: RegionSource::AvailabilityZone,
                            disclosure: zone.disclosure(),
                        });
                    }
                }
                let arn_cursor = side.get("arn");
                if let Some(arn) = arn_cursor.as_str() {
                    if let Some(name) = arn.split(':').nth(3).filter(|r| !r.is_empty()) {
                        return Ok(Region {
                            name: name.to_string(),
                            source: RegionSource::Arn,
                            disclosure: arn_cursor.disclosure(),
                        });
                    }
                }
            }
        }
        Err(from_provider
            .err()
            .unwrap_or_else(|| Unresolved("no region found".into())))
    }

    /// The provider configuration's region, and whether it may be printed (not when it comes
    /// from a variable declared sensitive).
    fn provider_region(&self, address: &Address) -> Result<(String, crate::shown::Disclosure), Unresolved> {
        let configs = match &self.configuration {
            Some(c) => &c.provider_config,
            None => return Err(Unresolved("the plan has no configuration section".into())),
        };
        let Some((key, config)) = self.provider_config(address) else {
            return Err(Unresolved(format!(
                "no provider configuration found for {}",
                address.config_address()
            )));
        };
        let mut candidates: Vec<&ProviderConfig> = vec![config];
        if config.module_address.is_some() && !config.expressions.contains_key("region") {
            // A module that only declares the provider inherits the root configuration.
            let local = key.rsplit(':').next().unwrap_or(key);
            if let Some(root) = configs.get(local) {
                candidates.push(root);
            }
        }
        for candidate in candidates {
            let Some(expr) = candidate.expressions.get("region") else {
                continue;
            };
            let module_path = module_calls_of(candidate.module_address.as_deref());
            let value = self.resolve_expression(&module_path, expr)?;
            let disclosure = crate::shown::Disclosure {
                allowed: !self.expression_is_sensitive(&module_path, expr, 0),
            };
            return match value {
                Value::String(s) if !s.is_empty() => Ok((s, disclosure)),
                // Not the value: it may be sensitive, and it is not a region anyway.
                other => Err(Unresolved(format!(
                    "the provider's region is {}, not a region name",
                    json_kind(&other)
                ))),
            };
        }
        let hint = match config.name.as_str() {
            "aws" => " (it may come from AWS_REGION or a profile)",
            "google" | "google-beta" => " (it may come from GOOGLE_REGION or the resource's zone)",
            _ => "",
        };
        Err(Unresolved(format!(
            "provider configuration {key:?} sets no region{hint}"
        )))
    }

    /// True when [`Plan::resolve_expression`] of `expr` reads a variable declared sensitive,
    /// in this module or, through module arguments, in a parent.
    fn expression_is_sensitive<S: AsRef<str>>(&self, module_path: &[S], expr: &Expression, depth: usize) -> bool {
        // Module nesting bounds the chain; the bound only guards against a malformed plan.
        if depth > 1000 {
            return true;
        }
        let Expression::Value {
            constant_value: None,
            references,
        } = expr
        else {
            return false;
        };
        let mut vars = references.iter().filter_map(|r| r.strip_prefix("var."));
        let (Some(name), None) = (vars.next(), vars.next()) else {
            return false;
        };
        let name = name.split(['.', '[']).next().unwrap_or(name);
        let declared = self
            .config_module(module_path)
            .and_then(|m| m.variables.get(name))
            .is_some_and(|v| v.sensitive);
        if declared || module_path.is_empty() {
            return declared;
        }
        let (parent, last) = module_path.split_at(module_path.len() - 1);
        match self
            .config_module(parent)
            .and_then(|m| m.module_calls.get(last[0].as_ref()))
            .and_then(|call| call.expressions.get(name))
        {
            Some(arg) => self.expression_is_sensitive(parent, arg, depth + 1),
            None => false,
        }
    }

    /// A redactor holding the values of the root variables the configuration marks sensitive.
    pub fn sensitive_variables(&self) -> crate::values::Redactor {
        let mut redactor = crate::values::Redactor::new();
        if let Some(config) = &self.configuration {
            for (name, decl) in &config.root_module.variables {
                if decl.sensitive {
                    if let Some(v) = self.variables.get(name) {
                        redactor.add_sensitive_values(crate::values::Cursor::new(Some(&v.value), None, Some(&TRUE)));
                    }
                }
            }
        }
        redactor
    }

    /// Resolves an expression to a value when the configuration alone settles it: a constant,
    /// or a single `var.NAME` reference followed to the variable's value (root module), the
    /// module call's argument (child modules) or its default.
    pub fn resolve_expression<S: AsRef<str>>(&self, module_path: &[S], expr: &Expression) -> Result<Value, Unresolved> {
        match expr {
            Expression::Value {
                constant_value: Some(v),
                ..
            } => Ok(v.clone()),
            Expression::Value { references, .. } => {
                let vars: Vec<&str> = references.iter().filter_map(|r| r.strip_prefix("var.")).collect();
                match (vars.as_slice(), references.len()) {
                    ([name], 1) => self.resolve_variable(module_path, name),
                    _ if references.is_empty() => Err(Unresolved("the expression is not a constant".into())),
                    _ => Err(Unresolved(format!("set from {}", references.join(", ")))),
                }
            }
            Expression::Blocks(_) => Err(Unresolved("a nested block, not a value".into())),
        }
    }

    /// Resolves `var.NAME` in the module at `module_path`.
    pub fn resolve_variable<S: AsRef<str>>(&self, module_path: &[S], name: &str) -> Result<Value, Unresolved> {
        let name = name.split(['.', '[']).next().unwrap_or(name);
        if module_path.is_empty() {
            if let Some(v) = self.variables.get(name) {
                if !v.value.is_null() {
                    return Ok(v.value.clone());
                }
            }
        } else {
            let (parent, last) = module_path.split_at(module_path.len() - 1);
            if let Some(call) = self
                .config_module(parent)
                .and_then(|m| m.module_calls.get(last[0].as_ref()))
            {
                if let Some(expr) = call.expressions.get(name) {
                    return self.resolve_expression(parent, expr);
                }
            }
        }
        self.config_module(module_path)
            .and_then(|m| m.variables.get(name))
            .and_then(|v| v.default.clone())
            .filter(|v| !v.is_null())
            .ok_or_else(|| Unresolved(format!("var.{name} has no value in the plan and no default")))
    }
}

/// The JSON type of a value, for messages that must not quote it.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "an empty string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn module_calls_of(module_address: Option<&str>) -> Vec<String> {
    let Some(address) = module_address else {
        return Vec::new();
    };
    match crate::address::ModulePath::parse(address) {
        Ok(path) => path.call_names().map(str::to_string).collect(),
        Err(_) => Vec::new(),
    }
}

/// `us-east-1a` → `us-east-1`; `us-east-1-bos-1a` (local zones) → `us-east-1`.
fn region_from_az(az: &str) -> Option<String> {
    let parts: Vec<&str> = az.split('-').collect();
    if parts.len() < 3 {
        return None;
    }
    let third = parts[2];
    let digits: String = third.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    Some(format!("{}-{}-{}", parts[0], parts[1], digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn az_to_region() {
        assert_eq!(region_from_az("us-east-1a").as_deref(), Some("us-east-1"));
        assert_eq!(region_from_az("eu-central-1b").as_deref(), Some("eu-central-1"));
        assert_eq!(region_from_az("us-east-1-bos-1a").as_deref(), Some("us-east-1"));
        assert_eq!(region_from_az("nowhere"), None);
    }

    /// A provider region read from a variable declared sensitive, directly or through a
    /// module argument, is never shown; one from a plain variable is.
    #[test]
    fn a_region_from_a_sensitive_variable_is_not_shown() {
        let plan = |sensitive_root: bool, sensitive_child: bool| {
            let json = serde_json::json!({
                "format_version": "1.2",
                "variables": {"root_region": {"value": "secret-region-1"}},
                "resource_changes": [{
                    "address": "module.app.aws_sqs_queue.q", "module_address": "module.app",
                    "mode": "managed", "type": "aws_sqs_queue", "name": "q",
                    "change": {"actions": ["create"], "before": null, "after": {},
                               "after_unknown": {}, "before_sensitive": false, "after_sensitive": {}}
                }],
                "configuration": {
                    "provider_config": {
                        "module.app:aws": {"name": "aws", "module_address": "module.app",
                                           "expressions": {"region": {"references": ["var.region"]}}}
                    },
                    "root_module": {
                        "variables": {"root_region": {"sensitive": sensitive_root}},
                        "module_calls": {"app": {
                            "source": "./app",
                            "expressions": {"region": {"references": ["var.root_region"]}},
                            "module": {
                                "resources": [{"address": "aws_sqs_queue.q", "mode": "managed",
                                               "type": "aws_sqs_queue", "name": "q",
                                               "provider_config_key": "module.app:aws"}],
                                "variables": {"region": {"sensitive": sensitive_child}}
                            }
                        }}
                    }
                }
            });
            crate::load::parse_bytes(json.to_string().as_bytes(), std::path::Path::new("plan.json"))
                .unwrap()
                .plan
        };
        for (root, child, hidden) in [(false, false, false), (true, false, true), (false, true, true)] {
            let plan = plan(root, child);
            let region = plan.region_of(&plan.resource_changes[0], None).unwrap();
            assert_eq!(region.name, "secret-region-1");
            assert_eq!(region.is_sensitive(), hidden, "root {root}, child {child}");
            let shown = if hidden { "(sensitive)" } else { "secret-region-1" };
            assert_eq!(region.shown(), shown);
        }
    }
}
