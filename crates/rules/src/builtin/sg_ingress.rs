//! Shared logic of the inline security group ingress rules (AWS-VPC-101..103).
//!
//! Written in Rust rather than YAML because `aws_security_group.ingress` is *computed*: a
//! group declared without inline `ingress` blocks (its rules managed by standalone
//! resources, the recommended pattern) has `ingress` unknown in the plan. A YAML condition
//! would turn that into an `unknown` finding on every such group; here the configuration
//! decides: no `ingress` argument at all means no inline rules.

use planguard_plan::{shown, Cursor, Lookup, Shown};
use serde_json::Value;

use crate::cidr::Cidr;
use crate::cond::Tri;
use crate::rule::{Context, Hit, Status};

/// A port range of one ingress block, as far as it is known.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ports {
    /// `-1` / `all`: every protocol and port.
    pub(crate) all_protocols: Tri,
    /// TCP or UDP.
    pub(crate) tcp_or_udp: Tri,
    pub(crate) from: Option<i64>,
    pub(crate) to: Option<i64>,
}

impl Ports {
    /// The range covers `port` (TCP or UDP): `from <= port <= to`.
    pub(crate) fn covers(&self, port: i64) -> Tri {
        match (self.from, self.to) {
            (Some(f), Some(t)) => self.tcp_or_udp.and(tri(f <= port && port <= t)),
            _ => self.tcp_or_udp.and(Tri::Unknown),
        }
    }

    /// The range is every TCP or UDP port (0-65535).
    pub(crate) fn full_range(&self) -> Tri {
        match (self.from, self.to) {
            (Some(f), Some(t)) => self.tcp_or_udp.and(tri(f <= 0 && t >= 65535)),
            _ => self.tcp_or_udp.and(Tri::Unknown),
        }
    }

    /// Every port: all protocols, or the full TCP/UDP range.
    pub(crate) fn every_port(&self) -> Tri {
        self.all_protocols.or(self.full_range())
    }
}

fn number(c: Cursor<'_>) -> Option<i64> {
    match c.known()? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn ports(block: Cursor<'_>) -> Ports {
    let protocol = block.get("protocol");
    let (all_protocols, tcp_or_udp) = match protocol.lookup() {
        Lookup::Known(Value::String(p)) => {
            let p = p.to_ascii_lowercase();
            (
                tri(p == "-1" || p == "all"),
                tri(matches!(p.as_str(), "tcp" | "6" | "udp" | "17")),
            )
        }
        Lookup::Known(Value::Number(n)) => (tri(n.as_i64() == Some(-1)), tri(matches!(n.as_i64(), Some(6 | 17)))),
        Lookup::Unknown => (Tri::Unknown, Tri::Unknown),
        _ => (Tri::False, Tri::False),
    };
    let unknown_port = |c: Cursor<'_>| c.is_unknown();
    let from = number(block.get("from_port"));
    let to = number(block.get("to_port"));
    let tcp_or_udp = if unknown_port(block.get("from_port")) || unknown_port(block.get("to_port")) {
        tcp_or_udp.and(Tri::Unknown)
    } else {
        tcp_or_udp
    };
    Ports {
        all_protocols,
        tcp_or_udp,
        from,
        to,
    }
}

/// The first world-open source of a block (`0.0.0.0/0` / `::/0`), with its path; unknown
/// when a source is known only after apply.
fn world_source(block: Cursor<'_>, base: &Shown) -> (Tri, Shown, Shown) {
    let mut unknown: Option<Shown> = None;
    for attribute in ["cidr_blocks", "ipv6_cidr_blocks"] {
        let list = block.get(attribute);
        let name = Shown::constant(attribute);
        if list.is_unknown() {
            unknown.get_or_insert_with(|| shown!("{}.{}", base, name));
            continue;
        }
        for (i, (_, item)) in list.children().into_iter().enumerate() {
            match item.lookup() {
                Lookup::Known(Value::String(s)) if Cidr::parse(s).is_some_and(|c| c.is_world()) => {
                    return (
                        Tri::True,
                        shown!("{}.{}[{}]", base, name, Shown::figure(i)),
                        item.shown(),
                    );
                }
                Lookup::Unknown => {
                    unknown.get_or_insert_with(|| shown!("{}.{}[{}]", base, name, Shown::figure(i)));
                }
                _ => {}
            }
        }
    }
    match unknown {
        Some(path) => (Tri::Unknown, path, Shown::constant("(known after apply)")),
        None => (Tri::False, Shown::default(), Shown::default()),
    }
}

/// Checks every inline `ingress` block: `matches` says whether the block's ports are the
/// ones the rule is about and returns a description of them (`"RDP (port 3389)"`).
/// `message` builds the failure message from the description and the open source.
pub(crate) fn check(
    cx: &Context<'_>,
    out: &mut Vec<Hit>,
    matches: impl Fn(&Ports) -> (Tri, Shown),
    what: &'static str,
) {
    let what = Shown::constant(what);
    let ingress = cx.subject().get("ingress");
    if ingress.is_unknown() {
        // Computed when not written: only an `ingress` argument in the configuration makes
        // the unknown value matter.
        let written = cx
            .plan
            .config_resource(&cx.change.addr)
            .is_some_and(|c| c.resource.expressions.contains_key("ingress"));
        if written {
            out.push(Hit {
                status: Status::Unknown,
                path: Shown::constant("ingress"),
                message: shown!(
                    "the inline ingress rules are known only after apply; {} may be open to the internet",
                    what
                ),
            });
        }
        return;
    }
    let mut undecided: Option<Shown> = None;
    for (i, (_, block)) in ingress.children().into_iter().enumerate() {
        let base = shown!("ingress[{}]", Shown::figure(i));
        if block.is_unknown() {
            undecided.get_or_insert(base);
            continue;
        }
        let (open, path, source) = world_source(block, &base);
        if open == Tri::False {
            continue;
        }
        let (ports_match, description) = matches(&ports(block));
        match open.and(ports_match) {
            Tri::True => {
                out.push(Hit {
                    status: Status::Fail,
                    path,
                    message: shown!("ingress allows {} from {} ({})", description, source, base),
                });
                return;
            }
            Tri::Unknown => {
                undecided.get_or_insert(if open == Tri::Unknown { path } else { base });
            }
            Tri::False => {}
        }
    }
    if let Some(path) = undecided {
        out.push(Hit {
            status: Status::Unknown,
            message: shown!(
                "{} is known only after apply; {} may be open to the internet",
                path,
                what
            ),
            path,
        });
    }
}

/// `true`/`false` as a [`Tri`].
pub(crate) fn tri(b: bool) -> Tri {
    if b {
        Tri::True
    } else {
        Tri::False
    }
}
