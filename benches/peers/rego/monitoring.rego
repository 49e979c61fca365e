# EC2 instances without detailed monitoring.
package planguard

import rego.v1

deny contains msg if {
	some rc in input.resource_changes
	rc.type == "aws_instance"
	rc.change.after != null
	not rc.change.after.monitoring == true
	msg := sprintf("%s: EC2 instance without detailed monitoring", [rc.address])
}
