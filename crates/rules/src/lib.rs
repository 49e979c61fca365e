//! Misconfiguration rules evaluated in parallel over a Terraform plan
