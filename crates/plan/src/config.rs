//! The plan's `configuration` section: providers, resources, module calls, variables and
//! outputs, with the expressions and references that make the dependency graph.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::address::Mode;
use crate::model::null_default;

/// The configuration section of a plan.
#[derive(Debug, Default, Deserialize)]
#[serde(remote = "Self")]
pub struct Configuration {
    /// Provider configurations, keyed by `NAME`, `NAME.ALIAS` or `module.PATH:NAME[.ALIAS]`.
    #[serde(default, deserialize_with = "null_default")]
    pub provider_config: BTreeMap<String, ProviderConfig>,
    /// The root module.
    #[serde(default)]
    pub root_module: ConfigModule,
}

/// One provider configuration block.
#[derive(Debug, Default, Deserialize)]
#[serde(remote = "Self")]
pub struct ProviderConfig {
    /// The local name (`aws`).
    #[serde(default)]
    pub name: String,
    /// The fully qualified source (`registry.terraform.io/hashicorp/aws`).
    #[serde(default)]
    pub full_name: Option<String>,
    /// The alias, for an aliased configuration.
    #[serde(default)]
    pub alias: Option<String>,
    /// The module holding this configuration (absent for the root).
    #[serde(default)]
    pub module_address: Option<String>,
    /// The version constraint.
    #[serde(default)]
    pub version_constraint: Option<String>,
    /// The block's arguments (`region`, `default_tags`, ...).
    #[serde(default, deserialize_with = "null_default")]
    pub expressions: Expressions,
}

/// A module's configuration.
#[derive(Debug, Default, Deserialize)]
#[serde(remote = "Self")]
pub struct ConfigModule {
    /// Output declarations.
    #[serde(default, deserialize_with = "null_default")]
    pub outputs: BTreeMap<String, ConfigOutput>,
    /// Resource and data blocks.
    #[serde(default, deserialize_with = "null_default")]
    pub resources: Vec<ConfigResource>,
    /// Module calls, by name.
    #[serde(default, deserialize_with = "null_default")]
    pub module_calls: BTreeMap<String, ModuleCall>,
    /// Variable declarations.
    #[serde(default, deserialize_with = "null_default")]
    pub variables: BTreeMap<String, ConfigVariable>,
}

/// A `resource` or `data` block.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct ConfigResource {
    /// The address inside its module (`aws_instance.web`, `data.x.y`).
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
    /// Key into [`Configuration::provider_config`] (older plans omit the `module.` prefix).
    #[serde(default)]
    pub provider_config_key: Option<String>,
    /// The block's arguments and nested blocks.
    #[serde(default, deserialize_with = "null_default")]
    pub expressions: Expressions,
    /// The provider schema version.
    #[serde(default)]
    pub schema_version: Option<u64>,
    /// The `count` argument.
    #[serde(default)]
    pub count_expression: Option<Expression>,
    /// The `for_each` argument.
    #[serde(default)]
    pub for_each_expression: Option<Expression>,
    /// Explicit `depends_on` entries.
    #[serde(default, deserialize_with = "null_default")]
    pub depends_on: Vec<String>,
    /// Provisioners, each with its own expressions.
    #[serde(default, deserialize_with = "null_default")]
    pub provisioners: Vec<Provisioner>,
}

fn managed() -> Mode {
    Mode::Managed
}

/// A provisioner block.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct Provisioner {
    /// The provisioner type (`local-exec`, ...).
    #[serde(rename = "type", default)]
    pub provisioner_type: String,
    /// Its arguments.
    #[serde(default, deserialize_with = "null_default")]
    pub expressions: Expressions,
}

/// A `module` block.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct ModuleCall {
    /// The module source.
    #[serde(default)]
    pub source: String,
    /// Arguments passed to the module's variables.
    #[serde(default, deserialize_with = "null_default")]
    pub expressions: Expressions,
    /// The `count` argument.
    #[serde(default)]
    pub count_expression: Option<Expression>,
    /// The `for_each` argument.
    #[serde(default)]
    pub for_each_expression: Option<Expression>,
    /// The called module's configuration.
    #[serde(default)]
    pub module: ConfigModule,
    /// The version constraint.
    #[serde(default)]
    pub version_constraint: Option<String>,
    /// Explicit `depends_on` entries.
    #[serde(default, deserialize_with = "null_default")]
    pub depends_on: Vec<String>,
}

/// An `output` block.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct ConfigOutput {
    /// The value expression.
    #[serde(default)]
    pub expression: Option<Expression>,
    /// Whether the output is marked sensitive.
    #[serde(default)]
    pub sensitive: bool,
    /// Explicit `depends_on` entries.
    #[serde(default, deserialize_with = "null_default")]
    pub depends_on: Vec<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A `variable` block.
#[derive(Debug, Deserialize)]
#[serde(remote = "Self")]
pub struct ConfigVariable {
    /// The default value, when there is one.
    #[serde(default)]
    pub default: Option<Value>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether the variable is marked sensitive.
    #[serde(default)]
    pub sensitive: bool,
}

/// The arguments of a block, by name.
pub type Expressions = BTreeMap<String, Expression>;

/// One argument's expression.
///
/// Terraform writes an argument as an object holding a `constant_value` and/or the
/// `references` it makes, and a nested block as a list of blocks, each a map of expressions.
#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    /// An argument.
    Value {
        /// The value, when it is a constant known from the configuration alone.
        constant_value: Option<Value>,
        /// The references the expression makes (`var.x`, `aws_vpc.main.id`, `aws_vpc.main`).
        references: Vec<String>,
    },
    /// Nested blocks.
    Blocks(Vec<Expressions>),
}

impl Expression {
    /// The constant value, when the expression is one.
    pub fn constant(&self) -> Option<&Value> {
        match self {
            Expression::Value { constant_value, .. } => constant_value.as_ref(),
            Expression::Blocks(_) => None,
        }
    }

    /// The references of this expression and, for nested blocks, of every argument inside.
    pub fn references(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_references(&mut out);
        out
    }

    fn collect_references<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expression::Value { references, .. } => out.extend(references.iter().map(String::as_str)),
            Expression::Blocks(blocks) => {
                for block in blocks {
                    for expr in block.values() {
                        expr.collect_references(out);
                    }
                }
            }
        }
    }
}

/// Every reference made anywhere in a block's expressions, in name order.
pub fn all_references(expressions: &Expressions) -> Vec<&str> {
    let mut out = Vec::new();
    for expr in expressions.values() {
        expr.collect_references(&mut out);
    }
    out
}

impl<'de> Deserialize<'de> for Expression {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExprVisitor;

        impl<'de> Visitor<'de> for ExprVisitor {
            type Value = Expression;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an expression object or a list of nested blocks")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Expression, A::Error> {
                let mut constant_value = None;
                let mut references = Vec::new();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "constant_value" => constant_value = Some(map.next_value::<Value>()?),
                        "references" => references = map.next_value::<Option<Vec<String>>>()?.unwrap_or_default(),
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(Expression::Value {
                    constant_value,
                    references,
                })
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Expression, A::Error> {
                let mut blocks = Vec::new();
                while let Some(block) = seq.next_element::<Option<Expressions>>()? {
                    blocks.push(block.unwrap_or_default());
                }
                Ok(Expression::Blocks(blocks))
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Expression, E> {
                Ok(Expression::Value {
                    constant_value: None,
                    references: Vec::new(),
                })
            }
        }

        deserializer.deserialize_any(ExprVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_and_blocks() {
        let exprs: Expressions = serde_json::from_str(
            r#"{
                "ami": {"constant_value": "ami-1"},
                "subnet_id": {"references": ["aws_subnet.a.id", "aws_subnet.a"]},
                "ebs_block_device": [{"volume_size": {"references": ["var.size"]}}],
                "empty": {}
            }"#,
        )
        .unwrap();
        assert_eq!(exprs["ami"].constant(), Some(&Value::String("ami-1".into())));
        assert_eq!(
            all_references(&exprs),
            vec!["var.size", "aws_subnet.a.id", "aws_subnet.a"],
            "name order: ami, ebs_block_device, empty, subnet_id"
        );
        assert!(matches!(exprs["ebs_block_device"], Expression::Blocks(ref b) if b.len() == 1));
    }
}

crate::objects_only!(
    Configuration => "a configuration object",
    ProviderConfig => "a provider configuration object",
    ConfigModule => "a module configuration object",
    ConfigResource => "a resource configuration object",
    Provisioner => "a provisioner object",
    ModuleCall => "a module call object",
    ConfigOutput => "an output configuration object",
    ConfigVariable => "a variable configuration object",
);
