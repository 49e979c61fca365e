use planguard_plan::{shown, Shown};

use crate::builtin::aws_secret_scan::{
    config_block_constant, config_string, decode_base64, describe_all, merge, redact, scan, Found,
};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Looks for AWS access key ids (`AKIA...`, `ASIA...`), AWS secret access keys (40
    /// characters assigned to a `secret` name) and private keys (`-----BEGIN ... PRIVATE
    /// KEY-----`) in the custom data and user data of Azure virtual machines and scale sets:
    /// `custom_data` / `user_data` of `azurerm_linux_virtual_machine`,
    /// `azurerm_windows_virtual_machine` and their scale sets (base64, decoded first), and
    /// `os_profile.custom_data` of the legacy `azurerm_virtual_machine` (clear text). The
    /// configuration's literal is read too. Custom data known only after apply is `unknown`.
    ///
    /// ## Why is this bad?
    /// Custom data is readable by anything that runs on the VM (it is written to disk, and
    /// user data is served by the instance metadata service to every process), by anyone with
    /// read access to the VM's model in Azure, and it sits in clear text in the Terraform
    /// state and plan files. A credential put there leaks to every one of those readers and
    /// can't be rotated without redeploying.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_linux_virtual_machine" "app" {
    ///   # ...
    ///   custom_data = base64encode("#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAI44QH8DHBEXAMPLE\n")
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Give the VM a managed identity and read secrets from Key Vault at boot; keep custom
    /// data for configuration that isn't secret.
    /// ```hcl
    /// resource "azurerm_linux_virtual_machine" "app" {
    ///   # ...
    ///   identity {
    ///     type = "SystemAssigned"
    ///   }
    ///   custom_data = base64encode(templatefile("init.sh", { vault = azurerm_key_vault.main.vault_uri }))
    /// }
    /// ```
    ///
    /// ## References
    /// - [Custom data and cloud-init on Azure VMs](https://learn.microsoft.com/en-us/azure/virtual-machines/custom-data)
    /// - [User data for Azure VMs](https://learn.microsoft.com/en-us/azure/virtual-machines/user-data)
    /// - [Sensitive data in Terraform state](https://developer.hashicorp.com/terraform/language/state/sensitive-data)
    pub struct VmCustomDataSecret {
        id: "AZURE-VM-006",
        title: "Virtual machine custom data contains AWS credentials or a private key",
        severity: Critical,
        category: Secrets,
        resource_types: &[
            "azurerm_linux_virtual_machine",
            "azurerm_windows_virtual_machine",
            "azurerm_linux_virtual_machine_scale_set",
            "azurerm_windows_virtual_machine_scale_set",
            "azurerm_virtual_machine",
        ],
        checkov: &["CKV_AZURE_45"],
        trivy: &["AVD-AZU-0037"],
        attributes: &["custom_data", "user_data", "os_profile"],
    }
}

/// The secrets in a custom data text: base64-decoded when `base64`, else as written (and
/// decoded too when the whole text happens to be base64).
fn scan_custom_data(text: &str, base64: bool) -> Vec<Found> {
    let mut found = if base64 { Vec::new() } else { scan(text) };
    if let Some(decoded) = decode_base64(text) {
        merge(&mut found, scan(&decoded));
    }
    found
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let legacy = cx.change.resource_type == "azurerm_virtual_machine";
    // (path shown, cursor, configuration literal, base64 by the provider's contract)
    let mut sources = Vec::new();
    if legacy {
        let cursor = cx.subject().get("os_profile").at(0).get("custom_data");
        let literal = config_block_constant(cx, "os_profile", "custom_data").and_then(|v| v.as_str());
        sources.push(("os_profile[0].custom_data", cursor, literal, false));
    } else {
        for attr in ["custom_data", "user_data"] {
            sources.push((attr, cx.subject().get(attr), config_string(cx, attr), true));
        }
    }
    for (path, cursor, literal, base64) in sources {
        let mut found = Vec::new();
        if let Some(text) = cursor.as_str() {
            let mut here = scan_custom_data(text, base64);
            if cursor.is_sensitive() {
                here = redact(here);
            }
            merge(&mut found, here);
        }
        if let Some(text) = literal {
            let mut here = scan_custom_data(text, base64);
            if cursor.is_sensitive() {
                here = redact(here);
            }
            merge(&mut found, here);
        }
        if !found.is_empty() {
            out.push(Hit {
                status: Status::Fail,
                path: Shown::constant(path),
                message: shown!(
                    "{} contains {}",
                    Shown::constant(path),
                    describe_all(&found, cursor.disclosure())
                ),
            });
        } else if cursor.is_unknown() && literal.is_none() {
            out.push(Hit {
                status: Status::Unknown,
                path: Shown::constant(path),
                message: shown!(
                    "{} is known only after apply: it can't be checked for credentials",
                    Shown::constant(path)
                ),
            });
        }
    }
}
