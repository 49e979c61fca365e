//! planguard library facade: analyze a Terraform plan, enforce guardrails, render reports
