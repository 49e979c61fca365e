# EC2 instances that get a public IP address (planguard: AWS-EC2 public IP rule).
package planguard

import rego.v1

deny contains msg if {
	some rc in input.resource_changes
	rc.type == "aws_instance"
	rc.change.after.associate_public_ip_address == true
	msg := sprintf("%s: EC2 instance gets a public IP address", [rc.address])
}
