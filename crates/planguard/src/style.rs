//! Terminal colours, off unless the caller asks for them.

use anstyle::{AnsiColor, Style};

use planguard_plan::ActionKind;

/// Paints text with ANSI styles when colour is on, and leaves it plain otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    color: bool,
}

impl Painter {
    /// A painter that colours when `color` is true.
    pub fn new(color: bool) -> Self {
        Painter { color }
    }

    /// True when colours are on.
    pub fn enabled(&self) -> bool {
        self.color
    }

    /// `text` in `style`.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    /// Bold text.
    pub fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    /// Dimmed text.
    pub fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    /// Text in the colour of an action kind.
    pub fn action(&self, kind: ActionKind, text: &str) -> String {
        self.paint(action_style(kind), text)
    }

    /// Text in a named colour.
    pub fn color(&self, color: AnsiColor, text: &str) -> String {
        self.paint(Style::new().fg_color(Some(color.into())), text)
    }
}

/// The colour of an action kind: create green, update yellow, replace magenta, delete red.
pub fn action_style(kind: ActionKind) -> Style {
    let color = match kind {
        ActionKind::Create => AnsiColor::Green,
        ActionKind::Update => AnsiColor::Yellow,
        ActionKind::Replace => AnsiColor::Magenta,
        ActionKind::Delete => AnsiColor::Red,
        ActionKind::Forget => AnsiColor::Cyan,
        ActionKind::Read => AnsiColor::Blue,
        ActionKind::NoOp => AnsiColor::BrightBlack,
    };
    Style::new().fg_color(Some(color.into()))
}

/// The one- to three-character marker Terraform prints before an address.
pub fn action_marker(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Create => "+",
        ActionKind::Update => "~",
        ActionKind::Replace => "-/+",
        ActionKind::Delete => "-",
        ActionKind::Forget => ".",
        ActionKind::Read => "<=",
        ActionKind::NoOp => " ",
    }
}
