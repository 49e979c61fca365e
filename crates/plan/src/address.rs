//! Resource instance addresses, parsed into their parts.
//!
//! Terraform spells an instance address as
//! `module.net["a"].module.sub[0].aws_instance.web["x"]`: a module path whose steps may carry
//! instance keys, an optional `data.` mode prefix, the resource type and name, and an optional
//! instance key. [`Address`] parses that spelling and [`Display`](std::fmt::Display) writes it back
//! byte for byte, string keys quoted the way Terraform quotes them.

use std::fmt;

use crate::error::AddressError;

/// Whether a resource is managed (`resource` block) or a data source (`data` block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A `resource` block.
    Managed,
    /// A `data` block.
    Data,
}

impl Mode {
    /// The spelling Terraform uses in plan JSON (`managed` or `data`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Managed => "managed",
            Mode::Data => "data",
        }
    }
}

/// An instance key: `[0]` for `count`, `["name"]` for `for_each`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(untagged)]
pub enum InstanceKey {
    /// A `count` index.
    Int(i64),
    /// A `for_each` key.
    Str(String),
}

// By hand rather than `#[serde(untagged)]`: an untagged enum buffers the value and builds
// (and formats) an error for each variant that does not match, once per `for_each` instance.
impl<'de> serde::Deserialize<'de> for InstanceKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = InstanceKey;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an instance key: an integer (count) or a string (for_each)")
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<InstanceKey, E> {
                Ok(InstanceKey::Int(v))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<InstanceKey, E> {
                i64::try_from(v)
                    .map(InstanceKey::Int)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<InstanceKey, E> {
                Ok(InstanceKey::Str(v.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<InstanceKey, E> {
                Ok(InstanceKey::Str(v))
            }
        }

        deserializer.deserialize_any(KeyVisitor)
    }
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::Int(i) => write!(f, "[{i}]"),
            InstanceKey::Str(s) => write!(f, "[{}]", hcl_quote(s)),
        }
    }
}

/// One `module.NAME[KEY]` step of a module path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleStep {
    /// The module call's name.
    pub name: String,
    /// The instance key when the call uses `count` or `for_each`.
    pub key: Option<InstanceKey>,
}

/// A module instance path such as `module.net["a"].module.sub[0]`; empty for the root module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModulePath(pub Vec<ModuleStep>);

impl ModulePath {
    /// Parses a module instance address (`module.a["k"].module.b`); the empty string is the root.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let mut parser = Parser::new(text);
        let mut steps = Vec::new();
        if !parser.at_end() {
            loop {
                steps.push(parser.module_step()?);
                if parser.at_end() {
                    break;
                }
                parser.expect('.')?;
            }
        }
        Ok(ModulePath(steps))
    }

    /// True for the root module.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The module path without instance keys (`module.net.module.sub`), as configuration
    /// addresses spell it.
    pub fn config_address(&self) -> String {
        let mut out = String::new();
        for (i, step) in self.0.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str("module.");
            out.push_str(&step.name);
        }
        out
    }

    /// The module call names along the path, outermost first.
    pub fn call_names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|s| s.name.as_str())
    }
}

impl fmt::Display for ModulePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "module.{}", step.name)?;
            if let Some(key) = &step.key {
                write!(f, "{key}")?;
            }
        }
        Ok(())
    }
}

/// A resource instance address, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address {
    /// The module instance holding the resource (root when empty).
    pub module: ModulePath,
    /// Managed resource or data source.
    pub mode: Mode,
    /// The resource type, e.g. `aws_instance`.
    pub resource_type: String,
    /// The resource name, e.g. `web`.
    pub name: String,
    /// The instance key when the resource uses `count` or `for_each`.
    pub key: Option<InstanceKey>,
}

impl Address {
    /// Parses an address such as `module.a["k"].data.aws_iam_policy_document.p[0]`.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let mut parser = Parser::new(text);
        let mut steps = Vec::new();
        while parser.rest().starts_with("module.") {
            steps.push(parser.module_step()?);
            parser.expect('.')?;
        }
        let mode = if parser.rest().starts_with("data.") {
            parser.pos += "data.".len();
            Mode::Data
        } else {
            Mode::Managed
        };
        let resource_type = parser.identifier()?;
        parser.expect('.')?;
        let name = parser.identifier()?;
        let key = parser.optional_key()?;
        if !parser.at_end() {
            return Err(parser.error("end of address"));
        }
        Ok(Address {
            module: ModulePath(steps),
            mode,
            resource_type,
            name,
            key,
        })
    }

    /// The configuration address: the same without any instance key
    /// (`module.net.aws_instance.web`), as the plan's `configuration` section names resources.
    pub fn config_address(&self) -> String {
        let mut out = self.module.config_address();
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&self.local_config_address());
        out
    }

    /// The address inside its module, without instance key (`aws_instance.web`,
    /// `data.aws_iam_policy_document.p`).
    pub fn local_config_address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.resource_type, self.name),
            Mode::Data => format!("data.{}.{}", self.resource_type, self.name),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.module.is_root() {
            write!(f, "{}.", self.module)?;
        }
        if self.mode == Mode::Data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.resource_type, self.name)?;
        if let Some(key) = &self.key {
            write!(f, "{key}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Address {
    type Err = AddressError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Address::parse(s)
    }
}

/// Quotes a string key the way Terraform's `toHCLQuotedString` does, so that addresses
/// round-trip exactly.
pub fn hcl_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let code = c as u32;
                if code <= 0xFFFF {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser { text, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn error(&self, expected: &str) -> AddressError {
        AddressError {
            position: self.text.get(..self.pos).map_or(self.pos, |done| done.chars().count()) + 1,
            expected: expected.to_string(),
        }
    }

    fn expect(&mut self, c: char) -> Result<(), AddressError> {
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else {
            Err(self.error(&format!("'{c}'")))
        }
    }

    fn identifier(&mut self) -> Result<String, AddressError> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            return Err(self.error("a name"));
        }
        self.pos += len;
        Ok(rest[..len].to_string())
    }

    fn module_step(&mut self) -> Result<ModuleStep, AddressError> {
        if !self.rest().starts_with("module.") {
            return Err(self.error("'module.'"));
        }
        self.pos += "module.".len();
        let name = self.identifier()?;
        let key = self.optional_key()?;
        Ok(ModuleStep { name, key })
    }

    fn optional_key(&mut self) -> Result<Option<InstanceKey>, AddressError> {
        if !self.rest().starts_with('[') {
            return Ok(None);
        }
        self.pos += 1;
        let key = if self.rest().starts_with('"') {
            InstanceKey::Str(self.quoted()?)
        } else {
            let rest = self.rest();
            let len = rest
                .char_indices()
                .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
                .map_or(rest.len(), |(i, _)| i);
            let n = rest[..len]
                .parse::<i64>()
                .map_err(|_| self.error("an integer or a quoted string key"))?;
            self.pos += len;
            InstanceKey::Int(n)
        };
        self.expect(']')?;
        Ok(Some(key))
    }

    fn quoted(&mut self) -> Result<String, AddressError> {
        self.expect('"')?;
        let mut out = String::new();
        loop {
            let Some(c) = self.rest().chars().next() else {
                return Err(self.error("a closing '\"'"));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let Some(e) = self.rest().chars().next() else {
                        return Err(self.error("an escape sequence"));
                    };
                    self.pos += e.len_utf8();
                    match e {
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        'u' | 'U' => {
                            let width = if e == 'u' { 4 } else { 8 };
                            let hex = self.rest().get(..width).ok_or_else(|| self.error("hex digits"))?;
                            let code = u32::from_str_radix(hex, 16).map_err(|_| self.error("hex digits"))?;
                            let ch = char::from_u32(code).ok_or_else(|| self.error("a valid code point"))?;
                            self.pos += width;
                            out.push(ch);
                        }
                        _ => return Err(self.error("a valid escape sequence")),
                    }
                }
                '$' | '%' if self.rest().starts_with(c) && self.rest()[1..].starts_with('{') => {
                    // `$${` and `%%{` are HCL's escapes for a literal `${` and `%{`.
                    self.pos += 1;
                    out.push(c);
                }
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_keys_read_from_json() {
        let keys: Vec<InstanceKey> = serde_json::from_str(r#"[0, 7, "a", ""]"#).unwrap();
        assert_eq!(
            keys,
            [
                InstanceKey::Int(0),
                InstanceKey::Int(7),
                InstanceKey::Str("a".into()),
                InstanceKey::Str(String::new())
            ]
        );
        for bad in ["1.5", "true", "[1]", "18446744073709551615"] {
            let err = serde_json::from_str::<InstanceKey>(bad).unwrap_err().to_string();
            assert!(err.contains("an instance key"), "{bad}: {err}");
        }
    }

    #[test]
    fn round_trips() {
        for text in [
            "aws_instance.web",
            "aws_instance.web[0]",
            "data.aws_iam_policy_document.p",
            "module.net.aws_vpc.main",
            "module.net[\"a\"].module.sub[3].aws_subnet.s[\"b\"]",
            "aws_instance.web[\"a\\\"b\"]",
            "aws_instance.web[\"back\\\\slash\"]",
            "aws_instance.web[\"line\\nbreak\"]",
            "aws_instance.web[\"$${not_interp}\"]",
            "module.my-mod.null_resource.x-y",
            "aws_instance.web[-1]",
        ] {
            let addr = Address::parse(text).unwrap();
            assert_eq!(addr.to_string(), text, "{addr:?}");
        }
    }

    #[test]
    fn parts() {
        let a = Address::parse("module.net[\"a\"].data.aws_ami.x[2]").unwrap();
        assert_eq!(a.mode, Mode::Data);
        assert_eq!(a.resource_type, "aws_ami");
        assert_eq!(a.name, "x");
        assert_eq!(a.key, Some(InstanceKey::Int(2)));
        assert_eq!(a.module.0[0].key, Some(InstanceKey::Str("a".into())));
        assert_eq!(a.config_address(), "module.net.data.aws_ami.x");
        let s = Address::parse("aws_instance.web[\"a\\\"b\"]").unwrap();
        assert_eq!(s.key, Some(InstanceKey::Str("a\"b".into())));
    }

    #[test]
    fn rejects_bad() {
        for text in [
            "",
            "aws_instance",
            "aws_instance.",
            "aws_instance.web[",
            "aws_instance.web[x]",
            "a.b c",
        ] {
            assert!(Address::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn module_paths() {
        let m = ModulePath::parse("module.a[\"k\"].module.b").unwrap();
        assert_eq!(m.to_string(), "module.a[\"k\"].module.b");
        assert_eq!(m.config_address(), "module.a.module.b");
        assert!(ModulePath::parse("").unwrap().is_root());
    }
}
