# Security groups and security group rules that open SSH (tcp 22) to the internet.
package planguard

import rego.v1

covers_ssh(rule) if {
	rule.protocol in {"tcp", "6", "-1"}
	rule.from_port <= 22
	rule.to_port >= 22
}

covers_ssh(rule) if {
	rule.protocol == "-1"
}

# Null lists (Terraform writes `null` for unset ones) are skipped: `in` over null is an
# error in strict evaluation.
list(rule, key) := l if {
	l := object.get(rule, key, [])
	is_array(l)
}

open_to_world(rule) if "0.0.0.0/0" in list(rule, "cidr_blocks")

open_to_world(rule) if "::/0" in list(rule, "ipv6_cidr_blocks")

deny contains msg if {
	some rc in input.resource_changes
	rc.type == "aws_security_group"
	some rule in list(rc.change.after, "ingress")
	covers_ssh(rule)
	open_to_world(rule)
	msg := sprintf("%s: ingress allows SSH from the internet", [rc.address])
}

deny contains msg if {
	some rc in input.resource_changes
	rc.type == "aws_security_group_rule"
	rc.change.after.type == "ingress"
	covers_ssh(rc.change.after)
	open_to_world(rc.change.after)
	msg := sprintf("%s: ingress rule allows SSH from the internet", [rc.address])
}
