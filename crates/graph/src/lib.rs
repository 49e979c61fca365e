//! Dependency graph and blast radius of a Terraform plan
