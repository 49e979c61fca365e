//! Just enough CIDR arithmetic for network rules, on `std::net` alone.

use std::net::IpAddr;

/// An IPv4 or IPv6 network: address and prefix length. A bare address is a /32 or /128.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub(crate) fn parse(text: &str) -> Option<Cidr> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (text.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Cidr { addr, prefix })
    }

    /// True for a network reachable from the whole internet: `0.0.0.0/0` or `::/0`.
    pub(crate) fn is_world(self) -> bool {
        self.prefix == 0
    }

    fn bits(self) -> (u128, u8) {
        match self.addr {
            IpAddr::V4(a) => (u128::from(u32::from(a)) << 96, self.prefix),
            IpAddr::V6(a) => (u128::from(a), self.prefix),
        }
    }

    /// True when `other` lies wholly inside this network (same address family).
    pub(crate) fn contains(self, other: Cidr) -> bool {
        if self.addr.is_ipv4() != other.addr.is_ipv4() || other.prefix < self.prefix {
            return false;
        }
        let (a, p) = self.bits();
        let (b, _) = other.bits();
        let shift = if self.addr.is_ipv4() {
            32 - u32::from(p) + 96
        } else {
            128 - u32::from(p)
        };
        if shift >= 128 {
            return true;
        }
        (a >> shift) == (b >> shift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs() {
        let world = Cidr::parse("0.0.0.0/0").unwrap();
        assert!(world.is_world());
        assert!(Cidr::parse("::/0").unwrap().is_world());
        assert!(!Cidr::parse("10.0.0.0/8").unwrap().is_world());
        assert!(world.contains(Cidr::parse("10.1.2.3").unwrap()));
        assert!(Cidr::parse("10.0.0.0/8")
            .unwrap()
            .contains(Cidr::parse("10.1.0.0/16").unwrap()));
        assert!(!Cidr::parse("10.0.0.0/8")
            .unwrap()
            .contains(Cidr::parse("11.0.0.0/16").unwrap()));
        assert!(!Cidr::parse("10.0.0.0/16")
            .unwrap()
            .contains(Cidr::parse("10.0.0.0/8").unwrap()));
        assert!(!world.contains(Cidr::parse("::1").unwrap()));
        assert!(Cidr::parse("2001:db8::/32")
            .unwrap()
            .contains(Cidr::parse("2001:db8:1::/48").unwrap()));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("nope").is_none());
    }
}
