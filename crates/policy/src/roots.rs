//! Which parts of the plan document the policies can read.
//!
//! Building the `input` document is most of what evaluating a handful of policies costs on
//! a large plan, and a typical policy reads one member of it (`input.resource_changes`),
//! while `planned_values`, `prior_state` and `configuration` hold as much again. The
//! sources say which top-level members they name; the rest need not be built.

use std::collections::BTreeSet;

/// The top-level members of the plan document that the loaded policies may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputRoots {
    /// Some source uses `input` as a whole (`x := input`, `walk(input, ...)`, `input[k]`,
    /// `import input`), or in a way this reading does not follow: build everything.
    Whole,
    /// Every use of `input` is `input.NAME...` or `input["NAME"]...` with one of these names.
    Members(BTreeSet<String>),
}

impl InputRoots {
    /// No source reads `input` yet (the start of a union).
    pub(crate) fn none() -> InputRoots {
        InputRoots::Members(BTreeSet::new())
    }

    /// Whether the member named `name` must be built.
    pub fn needs(&self, name: &str) -> bool {
        match self {
            InputRoots::Whole => true,
            InputRoots::Members(names) => names.contains(name),
        }
    }

    pub(crate) fn union(&mut self, other: InputRoots) {
        match (&mut *self, other) {
            (InputRoots::Whole, _) => {}
            (_, InputRoots::Whole) => *self = InputRoots::Whole,
            (InputRoots::Members(mine), InputRoots::Members(theirs)) => mine.extend(theirs),
        }
    }

    /// The roots a Rego module's source reads.
    ///
    /// A reading of the tokens, not of regorus's syntax tree: the tree is an unstable API
    /// with dozens of expression kinds to walk, while the tokens that matter are few. It
    /// errs one way only: anything but `input.NAME` or `input["NAME"]` (after skipping
    /// comments and strings) makes the whole document needed. `with input as ...` replaces
    /// the document rather than reading it, so the `input` after `with` is not a use.
    pub(crate) fn of_rego(source: &str) -> InputRoots {
        let bytes = source.as_bytes();
        let mut names = BTreeSet::new();
        let mut previous_word: &str = "";
        let mut previous_byte: u8 = b' ';
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'"' | b'`' => {
                    // A `$"..."` template string could hold `{input...}`: not followed here.
                    if previous_byte == b'$' {
                        return InputRoots::Whole;
                    }
                    match skip_string(bytes, i) {
                        Some(end) => i = end,
                        None => return InputRoots::Whole,
                    }
                    previous_byte = b;
                    previous_word = "";
                    continue;
                }
                _ if is_word_start(b) => {
                    let start = i;
                    while i < bytes.len() && is_word_byte(bytes[i]) {
                        i += 1;
                    }
                    let Some(word) = source.get(start..i) else {
                        return InputRoots::Whole;
                    };
                    if word == "input" && previous_byte != b'.' && previous_word != "with" {
                        match member_after(source, i) {
                            Some(name) => {
                                names.insert(name);
                            }
                            None => return InputRoots::Whole,
                        }
                    }
                    previous_word = word;
                    previous_byte = bytes[i - 1];
                    continue;
                }
                _ => {
                    if !b.is_ascii_whitespace() {
                        previous_byte = b;
                        previous_word = "";
                    }
                }
            }
            i += 1;
        }
        InputRoots::Members(names)
    }
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || !b.is_ascii()
}

fn is_word_byte(b: u8) -> bool {
    is_word_start(b) || b.is_ascii_digit()
}

/// The byte after the string that opens at `start` (`"` with escapes, or a raw `` ` ``).
fn skip_string(bytes: &[u8], start: usize) -> Option<usize> {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\n' if quote == b'"' => return None,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The member named right after `input` (which ends at `at`): `.NAME` or `["NAME"]`.
fn member_after(source: &str, at: usize) -> Option<String> {
    let rest = source.get(at..)?;
    if let Some(rest) = rest.strip_prefix('.') {
        let bytes = rest.as_bytes();
        if !bytes.first().is_some_and(|b| is_word_start(*b)) {
            return None;
        }
        let len = bytes.iter().take_while(|b| is_word_byte(**b)).count();
        return rest.get(..len).map(str::to_string);
    }
    let rest = rest.strip_prefix("[\"")?;
    let end = rest.find('"')?;
    let name = rest.get(..end)?;
    // An escape would need decoding; a name with one is rare enough to build everything.
    if name.contains('\\') || !rest.get(end + 1..)?.starts_with(']') {
        return None;
    }
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(names: &[&str]) -> InputRoots {
        InputRoots::Members(names.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn dotted_and_bracketed_members_are_read() {
        let source = r#"package main
import rego.v1
deny contains msg if {
    some rc in input.resource_changes
    input["planned_values"].root_module
    msg := sprintf("%s", [rc.address])
}"#;
        assert_eq!(
            InputRoots::of_rego(source),
            members(&["planned_values", "resource_changes"])
        );
    }

    #[test]
    fn whole_document_uses_need_everything() {
        for body in [
            "x := input",
            "walk(input, [p, v])",
            "object.get(input, \"a\", 1)",
            "input[k]",
            "input[\"a\\\"b\"]",
            "input . resource_changes",
            "y := $\"{input.a}\"",
        ] {
            let source = format!("package main\nallow if {{ {body} }}\n");
            assert_eq!(InputRoots::of_rego(&source), InputRoots::Whole, "{body}");
        }
        assert_eq!(InputRoots::of_rego("package main\nimport input\n"), InputRoots::Whole);
        assert_eq!(
            InputRoots::of_rego("package main\nimport input as plan\n"),
            InputRoots::Whole
        );
        assert_eq!(
            InputRoots::of_rego("package main\nimport input.resource_changes as rcs\n"),
            members(&["resource_changes"])
        );
    }

    #[test]
    fn comments_strings_fields_and_with_targets_are_not_uses() {
        let source = r#"package main
# input is the plan
deny[msg] {
    msg := "input is `input`, and \" input"
    r := `input`
    x := data.input
    y := input_name
    input.variables.region
}
test_deny { deny with input as {"a": 1} }
"#;
        assert_eq!(InputRoots::of_rego(source), members(&["variables"]));
    }

    #[test]
    fn an_unterminated_string_needs_everything() {
        assert_eq!(InputRoots::of_rego("package main\nx := \"input.a"), InputRoots::Whole);
    }

    #[test]
    fn union_keeps_whole() {
        let mut roots = members(&["a"]);
        roots.union(members(&["b"]));
        assert_eq!(roots, members(&["a", "b"]));
        roots.union(InputRoots::Whole);
        assert_eq!(roots, InputRoots::Whole);
        roots.union(members(&["c"]));
        assert_eq!(roots, InputRoots::Whole);
    }
}
