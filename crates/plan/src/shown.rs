//! Text that may be shown: the only kind of string planguard puts in a message, a finding's
//! path, a cost note, a guardrail violation or a report.
//!
//! # Why a type
//!
//! A plan carries secrets (`after_sensitive` marks them), and every rule, cost model and
//! guardrail reads values that may be among them: a trust policy, a region, an instance
//! type. Redacting by habit failed (a sensitive trust policy's GitHub organization reached a
//! finding's message and path). So text for output is a [`Shown`], and a `Shown` can only be
//! made from:
//!
//! - a `&'static str`: planguard's own constant text ([`Shown::constant`], `From`);
//! - a number planguard computed or counted ([`Shown::figure`]);
//! - a value read through the sensitivity overlay: [`Cursor::shown`](crate::Cursor::shown)
//!   (the value, or `(sensitive)`), or [`Disclosure::show`] for text derived from a value (a
//!   host cut out of an ARN), where the [`Disclosure`] comes only from
//!   [`Cursor::disclosure`](crate::Cursor::disclosure) and lets text through only when no
//!   part of the value is sensitive;
//! - a name that is never a value: a resource address or type, a rule id or title, a key
//!   a rule or configuration file names, a file path ([`Shown::name`]);
//! - other `Shown`s, through [`shown!`](crate::shown) (a constant template), [`Shown::join`]
//!   and [`Shown::push`].
//!
//! There is no `From<String>`: a rule author who writes `format!("... {value}")` into a
//! message gets a type error, not a leak. [`Shown::name`] is the one door that takes any
//! string; its name says what may go through it, and the leak test (every sensitive value of
//! a crafted plan holds a canary, every output of every command is searched for them) checks
//! that nothing else did.

use std::fmt;

/// Text that may be printed: planguard's constants, figures, names, and values the
/// sensitivity overlay disclosed. See the [module documentation](self).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Shown(pub(crate) String);

impl Shown {
    /// Planguard's own constant text.
    pub fn constant(text: &'static str) -> Shown {
        Shown(text.to_string())
    }

    /// A number planguard computed or counted (a count, an index, a price, a limit).
    pub fn figure(n: impl Figure) -> Shown {
        Shown(n.text())
    }

    /// A name that is never an attribute, variable or output value: a resource address or
    /// type, a module address, a rule id or title, a key or pattern that a rule or
    /// configuration file names, a file path. Plan values go through
    /// [`Cursor::shown`](crate::Cursor::shown) or [`Disclosure::show`] instead.
    pub fn name(text: impl Into<String>) -> Shown {
        Shown(text.into())
    }

    /// Fills a constant template's `{}` holes, in order, with `args` (what [`shown!`](crate::shown)
    /// expands to). A hole without an argument stays empty.
    pub fn template(template: &'static str, args: &[&Shown]) -> Shown {
        let mut out = String::with_capacity(template.len() + args.iter().map(|a| a.0.len()).sum::<usize>());
        let mut args = args.iter();
        let mut pieces = template.split("{}");
        if let Some(first) = pieces.next() {
            out.push_str(first);
        }
        for piece in pieces {
            if let Some(arg) = args.next() {
                out.push_str(&arg.0);
            }
            out.push_str(piece);
        }
        Shown(out)
    }

    /// The parts joined with a constant separator.
    pub fn join<'a>(parts: impl IntoIterator<Item = &'a Shown>, separator: &'static str) -> Shown {
        let mut out = String::new();
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            out.push_str(&part.0);
        }
        Shown(out)
    }

    /// At most `max` characters of the text, with `…` when cut.
    pub fn shortened(&self, max: usize) -> Shown {
        if self.0.chars().count() <= max {
            return self.clone();
        }
        let mut out: String = self.0.chars().take(max).collect();
        out.push('…');
        Shown(out)
    }

    /// Appends another shown text.
    pub fn push(&mut self, more: &Shown) {
        self.0.push_str(&more.0);
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&'static str> for Shown {
    fn from(text: &'static str) -> Shown {
        Shown::constant(text)
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for Shown {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Shown {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Shown {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Shown {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Numbers a [`Shown`] may hold: planguard's own figures.
pub trait Figure: sealed::Sealed {
    /// The number as text.
    fn text(&self) -> String;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! figures {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Figure for $t {
            fn text(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
figures!(usize, u64, u32, u16, i64, i32, f64);

/// Whether text derived from one value may be shown: made only by
/// [`Cursor::disclosure`](crate::Cursor::disclosure), from the sensitivity overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disclosure {
    pub(crate) allowed: bool,
}

impl Disclosure {
    /// `text` (derived from the value this disclosure was made for) when no part of that
    /// value is sensitive, else `(sensitive)`.
    pub fn show(self, text: &str) -> Shown {
        if self.allowed {
            Shown(text.to_string())
        } else {
            Shown(crate::values::SENSITIVE.to_string())
        }
    }

    /// True when text derived from the value may be shown.
    pub fn allows(self) -> bool {
        self.allowed
    }

    /// Both values' text may be shown only when each may.
    pub fn and(self, other: Disclosure) -> Disclosure {
        Disclosure {
            allowed: self.allowed && other.allowed,
        }
    }

    /// The disclosure of a literal written in the configuration (`constant_value`), which
    /// Terraform prints as it is.
    pub fn configuration_literal() -> Disclosure {
        Disclosure { allowed: true }
    }
}

/// A [`Shown`] from a constant template and `Shown` arguments: `shown!("no {}:aud condition",
/// host)`. Each argument must be a `Shown` (or `&Shown`); the template is a literal, so no
/// value can be formatted into it by accident. Holes are `{}` only.
#[macro_export]
macro_rules! shown {
    ($template:literal $(,)?) => {
        $crate::Shown::constant($template)
    };
    ($template:literal, $($arg:expr),+ $(,)?) => {
        $crate::Shown::template($template, &[$(::std::borrow::Borrow::<$crate::Shown>::borrow(&$arg)),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_holes_in_order() {
        let a = Shown::constant("x");
        let b = Shown::figure(3usize);
        assert_eq!(crate::shown!("a {} b {} c", a, &b), "a x b 3 c");
        assert_eq!(crate::shown!("plain"), "plain");
        assert_eq!(Shown::template("{} and {}", &[&a]), "x and ");
        assert_eq!(Shown::join(&[a.clone(), b], ", "), "x, 3");
    }

    #[test]
    fn a_disclosure_hides_derived_text_of_a_sensitive_value() {
        let value = serde_json::json!({"arn": "arn:aws:iam::1:oidc-provider/secret.example"});
        let mask = serde_json::json!({"arn": true});
        let cursor = crate::Cursor::new(Some(&value), None, Some(&mask));
        assert_eq!(cursor.get("arn").disclosure().show("secret.example"), "(sensitive)");
        assert_eq!(cursor.get("arn").shown(), "(sensitive)");
        let open = crate::Cursor::new(Some(&value), None, None);
        assert_eq!(open.get("arn").disclosure().show("secret.example"), "secret.example");
    }
}
