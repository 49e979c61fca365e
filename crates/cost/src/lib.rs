//! Offline monthly cost estimate of a Terraform plan
