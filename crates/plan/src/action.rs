//! Change actions, normalised from Terraform's `actions` lists.

use std::fmt;

/// What Terraform will do to one resource instance.
///
/// Terraform writes actions as a list (`["delete", "create"]`); this is that list as one value,
/// with the two replacement orders kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Nothing changes.
    NoOp,
    /// A new object is created.
    Create,
    /// A data source is read (during apply, when it couldn't be read at plan time).
    Read,
    /// The object is updated in place.
    Update,
    /// The object is destroyed, then a new one created (`["delete", "create"]`).
    DeleteThenCreate,
    /// A new object is created, then the old one destroyed (`create_before_destroy`).
    CreateThenDelete,
    /// The object is destroyed.
    Delete,
    /// The object is removed from state but not destroyed (a `removed` block with
    /// `destroy = false`).
    Forget,
    /// A new object is created and the old one forgotten, not destroyed.
    CreateThenForget,
}

impl Action {
    /// Maps Terraform's `actions` list to one action; `None` for a combination Terraform
    /// doesn't write.
    pub fn from_actions<S: AsRef<str>>(actions: &[S]) -> Option<Action> {
        let list: Vec<&str> = actions.iter().map(AsRef::as_ref).collect();
        Some(match list.as_slice() {
            ["no-op"] | [] => Action::NoOp,
            ["create"] => Action::Create,
            ["read"] => Action::Read,
            ["update"] => Action::Update,
            ["delete", "create"] => Action::DeleteThenCreate,
            ["create", "delete"] => Action::CreateThenDelete,
            ["delete"] => Action::Delete,
            ["forget"] => Action::Forget,
            ["create", "forget"] => Action::CreateThenForget,
            _ => return None,
        })
    }

    /// True for either replacement order (and create-then-forget).
    pub fn is_replace(self) -> bool {
        matches!(
            self,
            Action::DeleteThenCreate | Action::CreateThenDelete | Action::CreateThenForget
        )
    }

    /// True when anything changes.
    pub fn is_change(self) -> bool {
        !matches!(self, Action::NoOp)
    }

    /// True when the object exists after apply (create, update, replace, no-op, read).
    pub fn has_after(self) -> bool {
        !matches!(self, Action::Delete | Action::Forget)
    }

    /// True when an existing object is destroyed.
    pub fn destroys(self) -> bool {
        matches!(
            self,
            Action::Delete | Action::DeleteThenCreate | Action::CreateThenDelete
        )
    }

    /// The coarse kind used for counting and colouring: create, update, replace, delete,
    /// read, forget or no-op.
    pub fn kind(self) -> ActionKind {
        match self {
            Action::NoOp => ActionKind::NoOp,
            Action::Create => ActionKind::Create,
            Action::Read => ActionKind::Read,
            Action::Update => ActionKind::Update,
            Action::DeleteThenCreate | Action::CreateThenDelete | Action::CreateThenForget => ActionKind::Replace,
            Action::Delete => ActionKind::Delete,
            Action::Forget => ActionKind::Forget,
        }
    }

    /// The kebab-case name (`delete-then-create`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::NoOp => "no-op",
            Action::Create => "create",
            Action::Read => "read",
            Action::Update => "update",
            Action::DeleteThenCreate => "delete-then-create",
            Action::CreateThenDelete => "create-then-delete",
            Action::Delete => "delete",
            Action::Forget => "forget",
            Action::CreateThenForget => "create-then-forget",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The coarse kind of an action, ordered from most to least disruptive for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// Destroyed.
    Delete,
    /// Replaced (either order).
    Replace,
    /// Updated in place.
    Update,
    /// Created.
    Create,
    /// Removed from state without being destroyed.
    Forget,
    /// Read (data source).
    Read,
    /// Unchanged.
    NoOp,
}

impl ActionKind {
    /// Every kind, in display order.
    pub const ALL: [ActionKind; 7] = [
        ActionKind::Create,
        ActionKind::Update,
        ActionKind::Replace,
        ActionKind::Delete,
        ActionKind::Forget,
        ActionKind::Read,
        ActionKind::NoOp,
    ];

    /// True when infrastructure changes (not for no-op and read).
    pub fn is_change(self) -> bool {
        !matches!(self, ActionKind::NoOp | ActionKind::Read)
    }

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Delete => "delete",
            ActionKind::Replace => "replace",
            ActionKind::Update => "update",
            ActionKind::Create => "create",
            ActionKind::Forget => "forget",
            ActionKind::Read => "read",
            ActionKind::NoOp => "no-op",
        }
    }

    /// How disruptive the action is, higher is worse: used to find the worst action along a
    /// dependency path.
    pub fn severity(self) -> u8 {
        match self {
            ActionKind::NoOp => 0,
            ActionKind::Read => 1,
            ActionKind::Forget => 2,
            ActionKind::Create => 3,
            ActionKind::Update => 4,
            ActionKind::Replace => 5,
            ActionKind::Delete => 6,
        }
    }
}

impl fmt::Display for ActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_every_terraform_list() {
        assert_eq!(Action::from_actions(&["no-op"]), Some(Action::NoOp));
        assert_eq!(
            Action::from_actions(&["delete", "create"]),
            Some(Action::DeleteThenCreate)
        );
        assert_eq!(
            Action::from_actions(&["create", "delete"]),
            Some(Action::CreateThenDelete)
        );
        assert_eq!(Action::from_actions(&["forget"]), Some(Action::Forget));
        assert_eq!(Action::from_actions(&["create", "update"]), None);
        assert!(Action::CreateThenDelete.is_replace());
        assert_eq!(Action::DeleteThenCreate.kind(), ActionKind::Replace);
    }
}
