//! A typed model of `terraform show -json` plan output.
//!
//! `planguard-plan` reads the plan JSON of every Terraform and OpenTofu version (format 0.1 to
//! 1.x), as users really have it (UTF-16 from PowerShell, wrapped in CI text, or a binary plan
//! with `--terraform`), and answers the questions later stages ask: what happens to each
//! resource instance, what an attribute's value will be (known, unknown until apply, or absent),
//! whether it is sensitive, which configuration block and provider it comes from, and which
//! region it lands in.
//!
//! ```
//! use std::path::Path;
//! use planguard_plan::{parse_bytes, Action};
//!
//! let json = br#"{
//!   "format_version": "1.2",
//!   "resource_changes": [{
//!     "address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
//!     "change": {
//!       "actions": ["create"], "before": null,
//!       "after": {"instance_type": "t3.micro", "user_data": "secret"},
//!       "after_unknown": {"id": true},
//!       "after_sensitive": {"user_data": true}
//!     }
//!   }]
//! }"#;
//! let loaded = parse_bytes(json, Path::new("plan.json")).unwrap();
//! let change = &loaded.plan.resource_changes[0];
//! assert_eq!(change.action(), Action::Create);
//! let values = change.values().unwrap();
//! assert_eq!(values.after().get("instance_type").as_str(), Some("t3.micro"));
//! assert!(values.after_at("id").is_unknown());
//! assert_eq!(values.after().get("user_data").display(), "(sensitive)");
//! ```
#![deny(missing_docs)]

pub mod action;
pub mod address;
pub mod config;
pub mod corpus;
pub mod error;
mod index;
pub mod json;
pub mod load;
pub mod model;
pub mod raw;
pub mod shown;
pub mod summary;
pub mod text;
pub mod values;

pub use action::{Action, ActionKind};
pub use address::{Address, InstanceKey, Mode, ModulePath, ModuleStep};
pub use config::{ConfigModule, ConfigResource, Configuration, Expression, Expressions, ModuleCall, ProviderConfig};
pub use error::{AddressError, PathError, PlanError, ValueError, STDIN_NAME};
pub use index::{ConfigResourceRef, Region, RegionSource, Unresolved};
pub use load::{load_file, load_reader, parse_bytes, parse_bytes_with, parse_document, LoadOptions, Loaded, Warning};
pub use model::{Change, Plan, ResourceChange, StateResource, StateValues};
pub use raw::{Document, RawJson};
pub use shown::{Disclosure, Figure, Shown};
pub use summary::Summary;
pub use values::{is_well_formed_mask, AttrPath, ChangeValues, Cursor, Lookup, Redactor, Step, SENSITIVE, UNKNOWN};
