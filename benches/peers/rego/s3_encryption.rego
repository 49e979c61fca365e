# S3 buckets without a server-side encryption configuration resource of the same key.
package planguard

import rego.v1

encrypted contains bucket if {
	some rc in input.resource_changes
	rc.type == "aws_s3_bucket_server_side_encryption_configuration"
	rc.change.after != null
	bucket := replace(rc.address, "aws_s3_bucket_server_side_encryption_configuration.", "aws_s3_bucket.")
}

deny contains msg if {
	some rc in input.resource_changes
	rc.type == "aws_s3_bucket"
	rc.change.after != null
	not encrypted[rc.address]
	msg := sprintf("%s: S3 bucket without server-side encryption configuration", [rc.address])
}
