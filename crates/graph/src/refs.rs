//! Parsing of Terraform reference strings (`aws_subnet.a[0].id`, `module.net["x"].vpc_id`).

use planguard_plan::InstanceKey;

/// One step after the root name of a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    /// `.name`
    Attr(&'a str),
    /// `[0]` or `["key"]`
    Index(InstanceKey),
}

/// A parsed reference: its root name and the steps that follow, up to the first step that is
/// not a plain attribute or a constant index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference<'a> {
    pub root: &'a str,
    pub steps: Vec<Step<'a>>,
}

impl<'a> Reference<'a> {
    /// Parses a reference as Terraform writes it in plan JSON. Returns `None` for text that
    /// does not start with an identifier.
    pub(crate) fn parse(text: &'a str) -> Option<Reference<'a>> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let root = identifier(text, &mut pos)?;
        let mut steps = Vec::new();
        while pos < bytes.len() {
            match bytes[pos] {
                b'.' => {
                    pos += 1;
                    match identifier(text, &mut pos) {
                        Some(name) => steps.push(Step::Attr(name)),
                        None => break,
                    }
                }
                b'[' => {
                    pos += 1;
                    match index(text, &mut pos) {
                        Some(key) => steps.push(Step::Index(key)),
                        None => break,
                    }
                }
                _ => break,
            }
        }
        Some(Reference { root, steps })
    }

    /// The name of the attribute step at `i`, if it is one.
    pub(crate) fn attr(&self, i: usize) -> Option<&'a str> {
        match self.steps.get(i) {
            Some(Step::Attr(name)) => Some(name),
            _ => None,
        }
    }

    /// The key of the index step at `i`, if it is one.
    pub(crate) fn key(&self, i: usize) -> Option<&InstanceKey> {
        match self.steps.get(i) {
            Some(Step::Index(key)) => Some(key),
            _ => None,
        }
    }
}

fn identifier<'a>(text: &'a str, pos: &mut usize) -> Option<&'a str> {
    let rest = &text[*pos..];
    let len = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_alphanumeric() || c == '_' || (i > 0 && c == '-')))
        .map_or(rest.len(), |(i, _)| i);
    if len == 0 {
        return None;
    }
    *pos += len;
    Some(&rest[..len])
}

fn index(text: &str, pos: &mut usize) -> Option<InstanceKey> {
    let rest = &text[*pos..];
    if let Some(body) = rest.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    let after = &body[i + 1..];
                    if !after.starts_with(']') {
                        return None;
                    }
                    *pos += 1 + i + 2;
                    return Some(InstanceKey::Str(out));
                }
                '\\' => match chars.next()?.1 {
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    'u' | 'U' => return None,
                    other => out.push(other),
                },
                '$' | '%' if body[i + 1..].starts_with(c) && body[i + 2..].starts_with('{') => {
                    chars.next();
                    out.push(c);
                }
                c => out.push(c),
            }
        }
        None
    } else {
        let end = rest.find(']')?;
        let number: i64 = rest[..end].trim().parse().ok()?;
        *pos += end + 1;
        Some(InstanceKey::Int(number))
    }
}

/// The references of `refs` that [`prune_prefixes_in_place`] keeps, in a new vector.
#[cfg(test)]
pub(crate) fn prune_prefixes<'a>(refs: &[&'a str]) -> Vec<&'a str> {
    let mut out = refs.to_vec();
    prune_prefixes_in_place(&mut out);
    out
}

/// Drops references that another reference of the same list extends (`module.app` when
/// `module.app.db_endpoint` is there too): Terraform lists both, and the shorter one would
/// otherwise widen the dependency to the whole object. Works in place (leaving the survivors
/// sorted) so that resolving many lists reuses one buffer instead of allocating per list.
pub(crate) fn prune_prefixes_in_place(refs: &mut Vec<&str>) {
    refs.sort_unstable();
    refs.dedup();
    let mut kept = 0;
    for i in 0..refs.len() {
        let r = refs[i];
        // Only slots below `i` have been overwritten, so `refs[i + 1]` is still the original.
        let extended = refs.get(i + 1).is_some_and(|next| {
            next.len() > r.len() && next.starts_with(r) && matches!(next.as_bytes()[r.len()], b'.' | b'[')
        });
        if !extended {
            refs[kept] = r;
            kept += 1;
        }
    }
    refs.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let r = Reference::parse("module.net[\"a \\\"b\"].vpc_id").unwrap();
        assert_eq!(r.root, "module");
        assert_eq!(
            r.steps,
            vec![
                Step::Attr("net"),
                Step::Index(InstanceKey::Str("a \"b".into())),
                Step::Attr("vpc_id")
            ]
        );
        let r = Reference::parse("aws_subnet.public[0].id").unwrap();
        assert_eq!(r.key(1), Some(&InstanceKey::Int(0)));
        assert_eq!(r.attr(2), Some("id"));
        let r = Reference::parse("aws_x.y[count.index]").unwrap();
        assert_eq!(r.steps, vec![Step::Attr("y")]);
        assert!(Reference::parse("").is_none());
        assert!(Reference::parse("[0]").is_none());
    }

    #[test]
    fn prunes_prefixes() {
        assert_eq!(
            prune_prefixes(&[
                "module.app.db",
                "module.app",
                "aws_vpc.main.id",
                "aws_vpc.main",
                "aws_vpc.mainx"
            ]),
            vec!["aws_vpc.main.id", "aws_vpc.mainx", "module.app.db"]
        );
    }
}
