//! Human renderings of a [`CostReport`]: a terminal table and a Markdown table for pull
//! request comments. Money is rounded to cents here, and only here.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::{Component, CostReport, ResourceCost, Status};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// `1234.5` -> `1,234.50` (cents, thousands separated, no currency sign).
pub fn format_money(x: f64) -> String {
    let cents = (x.abs() * 100.0).round() as u128;
    let (whole, frac) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if x < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}{grouped}.{frac:02}")
}

/// A delta with an explicit sign: `+70.08`, `-12.00`, `0.00`.
pub fn format_delta(x: f64) -> String {
    let m = format_money(x);
    if m.starts_with('-') || m == "0.00" {
        m
    } else {
        format!("+{m}")
    }
}

fn opt_money(x: Option<f64>, present: bool) -> String {
    match (x, present) {
        (_, false) => "-".into(),
        (Some(v), true) => format_money(v),
        (None, true) => "unknown".into(),
    }
}

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_owned()
    }
}

fn delta_cell(r: &ResourceCost) -> String {
    match r.monthly_delta {
        Some(d) => format_delta(d),
        None => "unknown".into(),
    }
}

fn delta_color(d: Option<f64>) -> &'static str {
    match d {
        Some(d) if d > 0.005 => RED,
        Some(d) if d < -0.005 => GREEN,
        Some(_) => "",
        None => YELLOW,
    }
}

fn has_before(r: &ResourceCost) -> bool {
    r.components_before.is_some()
}

fn has_after(r: &ResourceCost) -> bool {
    r.action != "delete"
}

fn component_line(out: &mut String, c: &Component, side: &str, color: bool) {
    let qty = match (c.quantity, c.unit.as_str()) {
        (Some(q), "") => trim_number(q),
        (Some(q), unit) if unit.starts_with(|ch: char| ch.is_ascii_digit()) => {
            format!("{} x {unit}", trim_number(q))
        }
        (Some(q), unit) => format!("{} {unit}", trim_number(q)),
        (None, _) => "?".into(),
    };
    let monthly = c.monthly.map_or_else(|| "unknown".to_owned(), format_money);
    let mut marks = String::new();
    if c.assumed.is_some() {
        marks.push('*');
    }
    if c.approximate.is_some() {
        marks.push('~');
    }
    if let (Some(0.0), Some(note), Some(price)) = (c.monthly, &c.note, c.unit_price) {
        if let Some(hint) = note.strip_prefix("usage-based: ") {
            let line = format!(
                "      {side}{}{marks}  {} per {}  (usage-based: {hint})",
                c.name,
                trim_number(price),
                c.unit
            );
            let _ = writeln!(out, "{}", paint(&line, DIM, color));
            return;
        }
    }
    let line = format!("      {side}{}{marks}  {qty}  {monthly}", c.name);
    let code = if c.monthly.is_none() { YELLOW } else { DIM };
    let _ = writeln!(out, "{}", paint(&line, code, color));
    for (label, text) in [
        ("assumed", &c.assumed),
        ("approximate", &c.approximate),
        ("note", &c.note),
    ] {
        if let Some(t) = text {
            let _ = writeln!(out, "{}", paint(&format!("          {label}: {t}"), DIM, color));
        }
    }
}

fn trim_number(q: f64) -> String {
    let s = format!("{:.4}", crate::report::round4(q));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

/// Renders the report as a terminal table: resources grouped by module with their monthly
/// cost before, after and the delta, each followed by its price components (after side, or
/// before side for a delete); then the totals and the lists of usage-based, unknown,
/// unsupported and free resources, and the warnings. `color` adds ANSI colours (increases
/// red, savings green, unknown yellow).
pub fn render_text(report: &CostReport, color: bool) -> String {
    let mut out = render_text_body(report, color);
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings:");
        for w in &report.warnings {
            let _ = writeln!(out, "  {}", paint(w, YELLOW, color));
        }
    }
    out
}

/// [`render_text`] without the closing "Warnings:" list, for a caller that prints the
/// report's warnings itself (planguard's check report shows them at the top, where they are
/// seen first; printing them twice buried the rest).
pub fn render_text_body(report: &CostReport, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(
            &format!(
                "Monthly cost estimate ({}, on-demand list prices, catalog {})",
                report.currency, report.catalog_date
            ),
            BOLD,
            color
        )
    );
    let width = report
        .resources
        .iter()
        .filter(|r| !matches!(r.status, Status::Free | Status::Unsupported))
        .map(|r| r.address.len() + r.deposed.as_ref().map_or(0, |k| k.len() + 11) + 2)
        .max()
        .unwrap_or(20)
        .clamp(20, 80);
    let header = format!(
        "{:<width$}  {:<18}  {:>12}  {:>12}  {:>12}",
        "RESOURCE", "ACTION", "BEFORE", "AFTER", "DELTA"
    );
    let _ = writeln!(out, "\n{}", paint(&header, BOLD, color));
    let mut by_module: BTreeMap<&str, Vec<&ResourceCost>> = BTreeMap::new();
    for r in &report.resources {
        if !matches!(r.status, Status::Free | Status::Unsupported) {
            by_module.entry(r.module.as_str()).or_default().push(r);
        }
    }
    for (module, list) in &by_module {
        let name = if module.is_empty() { "(root module)" } else { module };
        let _ = writeln!(out, "{}", paint(name, BOLD, color));
        for r in list {
            let delta = delta_cell(r);
            let address = match &r.deposed {
                Some(key) => format!("{} (deposed {key})", r.address),
                None => r.address.clone(),
            };
            let line = format!(
                "  {:<w$}  {:<18}  {:>12}  {:>12}  {}",
                address,
                r.action,
                opt_money(r.monthly_before, has_before(r)),
                opt_money(r.monthly_after, has_after(r)),
                paint(&format!("{delta:>12}"), delta_color(r.monthly_delta), color),
                w = width - 2
            );
            let _ = writeln!(out, "{}", line.trim_end());
            if r.status == Status::UsageBased {
                let _ = writeln!(out, "{}", paint("      (usage-based)", DIM, color));
            }
            if r.status == Status::Unknown && r.components.is_empty() {
                let reason = r.reason.as_deref().unwrap_or("unknown");
                let _ = writeln!(out, "{}", paint(&format!("      unknown: {reason}"), YELLOW, color));
            }
            if r.status == Status::Partial {
                let _ = writeln!(
                    out,
                    "{}",
                    paint("      partial: the figures are lower bounds (at least)", YELLOW, color)
                );
            }
            if let Some(why) = &r.approximate {
                let _ = writeln!(out, "{}", paint(&format!("      approximate: {why}"), YELLOW, color));
            }
            let (components, side) = if has_after(r) {
                (&r.components, "")
            } else {
                (r.components_before.as_ref().unwrap_or(&r.components), "before: ")
            };
            for c in components {
                component_line(&mut out, c, side, color);
            }
            if has_after(r) && has_before(r) && r.action != "no-op" && r.monthly_delta != Some(0.0) {
                for c in r.components_before.iter().flatten() {
                    component_line(&mut out, c, "before: ", color);
                }
            }
        }
    }
    let total = format!(
        "{:<width$}  {:<18}  {:>12}  {:>12}  {}",
        "TOTAL",
        if report.totals_at_least { "(at least)" } else { "" },
        format_money(report.monthly_before),
        format_money(report.monthly_after),
        paint(
            &format!("{:>12}", format_delta(report.monthly_delta)),
            delta_color(Some(report.monthly_delta)),
            color
        ),
    );
    let _ = writeln!(out, "\n{}", paint(&total, BOLD, color));
    let _ = writeln!(out, "{}", paint("  * assumed default  ~ approximate price", DIM, color));

    if !report.usage_based.is_empty() {
        let _ = writeln!(
            out,
            "\nUsage-based ({}): no fixed cost; priced from the usage file (--usage)",
            report.usage_based.len()
        );
        for u in &report.usage_based {
            let given = if u.usage_given { "usage given" } else { "no usage given" };
            let _ = writeln!(out, "  {}  ({given})", u.address);
        }
    }
    let unknown: Vec<&ResourceCost> = report
        .resources
        .iter()
        .filter(|r| r.status == Status::Unknown)
        .collect();
    if !unknown.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                &format!("Unknown cost ({}): left out of the totals", unknown.len()),
                YELLOW,
                color
            )
        );
        for r in unknown {
            let _ = writeln!(out, "  {}: {}", r.address, r.reason.as_deref().unwrap_or("unknown"));
        }
    }
    let partial: Vec<&ResourceCost> = report
        .resources
        .iter()
        .filter(|r| r.status == Status::Partial)
        .collect();
    if !partial.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                &format!(
                    "Partially priced ({}): known components counted, the totals are lower bounds",
                    partial.len()
                ),
                YELLOW,
                color
            )
        );
        for r in partial {
            let _ = writeln!(out, "  {}: {}", r.address, r.reason.as_deref().unwrap_or("partial"));
        }
    }
    if !report.unsupported.is_empty() {
        let count: usize = report.unsupported.iter().map(|u| u.count).sum();
        let _ = writeln!(out, "\nNot priced ({count}): no cost model");
        for u in &report.unsupported {
            let _ = writeln!(out, "  {} x{}: {}", u.resource_type, u.count, u.reason);
        }
    }
    let mut free: BTreeMap<&str, usize> = BTreeMap::new();
    for r in report.resources.iter().filter(|r| r.status == Status::Free) {
        *free.entry(r.resource_type.as_str()).or_default() += 1;
    }
    if !free.is_empty() {
        let n: usize = free.values().sum();
        let list: Vec<String> = free.iter().map(|(t, c)| format!("{t} x{c}")).collect();
        let _ = writeln!(out, "\nFree ({n}): {}", list.join(", "));
    }
    out
}

/// Whether a partial resource's before and after figures are lower bounds (the side has an
/// unknown component).
fn lower_bounds(r: &ResourceCost) -> (bool, bool) {
    if r.status != Status::Partial {
        return (false, false);
    }
    let any_unknown = |list: &[Component]| list.iter().any(Component::is_unknown);
    let before = r.components_before.as_deref().is_some_and(any_unknown);
    let after = has_after(r) && any_unknown(&r.components);
    (before, after)
}

fn md_escape(text: &str) -> String {
    text.replace('|', "\\|").replace('`', "'")
}

/// Renders a Markdown table for a pull request comment: the resources whose cost changes
/// (or is unknown), largest change first, at most `max_rows` of them, then the totals and
/// one line each for usage-based, unknown and unsupported resources.
pub fn render_markdown_table(report: &CostReport, max_rows: usize) -> String {
    let mut rows: Vec<(usize, &ResourceCost)> = report
        .resources
        .iter()
        .filter(|r| {
            matches!(r.status, Status::Unknown | Status::Partial)
                || (r.status != Status::Unsupported && r.monthly_delta.is_some_and(|d| d.abs() >= 0.005))
        })
        .enumerate()
        .collect();
    let changed = rows.len();
    // Biggest change first (unknown ones on top), then by address, then in report order: a
    // total order, so picking the shown rows without sorting them all gives what a full sort
    // would (the comment is rendered several times while it is cut to fit, on plans of 100k).
    let order = |(ia, a): &(usize, &ResourceCost), (ib, b): &(usize, &ResourceCost)| {
        let key = |r: &ResourceCost| match r.status {
            Status::Partial | Status::Unknown => f64::INFINITY,
            _ => r.monthly_delta.map_or(f64::INFINITY, f64::abs),
        };
        key(b)
            .total_cmp(&key(a))
            .then_with(|| a.address.cmp(&b.address))
            .then_with(|| ia.cmp(ib))
    };
    if rows.len() > max_rows {
        rows.select_nth_unstable_by(max_rows, order);
        rows.truncate(max_rows);
    }
    rows.sort_unstable_by(order);
    let cur = if report.currency == "USD" { "$" } else { "" };
    let money = |x: Option<f64>, present: bool| match (x, present) {
        (_, false) => "-".to_owned(),
        (Some(v), true) => format!("{cur}{}", format_money(v)),
        (None, true) => "unknown".to_owned(),
    };
    let delta = |x: Option<f64>| match x {
        Some(v) => {
            let d = format_delta(v);
            match d.strip_prefix('-') {
                Some(rest) => format!("-{cur}{rest}"),
                None => match d.strip_prefix('+') {
                    Some(rest) => format!("+{cur}{rest}"),
                    None => format!("{cur}{d}"),
                },
            }
        }
        None => "unknown".to_owned(),
    };
    let mut out = String::new();
    let _ = writeln!(out, "| Resource | Action | Monthly before | Monthly after | Delta |");
    let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: |");
    let at_least = |text: String, lower_bound: bool| {
        if lower_bound && text != "-" && text != "unknown" {
            format!("at least {text}")
        } else {
            text
        }
    };
    for (_, r) in &rows {
        let (before_bound, after_bound) = lower_bounds(r);
        let mark = if r.approximate.is_some() { " ~" } else { "" };
        let _ = writeln!(
            out,
            "| `{}`{mark} | {} | {} | {} | {} |",
            md_escape(&r.address),
            r.action,
            at_least(money(r.monthly_before, has_before(r)), before_bound),
            at_least(money(r.monthly_after, has_after(r)), after_bound),
            at_least(delta(r.monthly_delta), after_bound && !has_before(r))
        );
    }
    if changed > max_rows {
        let _ = writeln!(out, "| … {} more changed resource(s) | | | | |", changed - max_rows);
    }
    let (before_bound, after_bound) = report
        .resources
        .iter()
        .map(lower_bounds)
        .fold((false, false), |(b, a), (rb, ra)| (b || rb, a || ra));
    let _ = writeln!(
        out,
        "| **Total** | | **{}** | **{}** | **{}** |",
        at_least(money(Some(report.monthly_before), true), before_bound),
        at_least(money(Some(report.monthly_after), true), after_bound),
        delta(Some(report.monthly_delta))
    );
    let mut notes = Vec::new();
    if !report.usage_based.is_empty() {
        let given = report.usage_based.iter().filter(|u| u.usage_given).count();
        notes.push(format!(
            "{} usage-based resource(s), {given} with usage from the usage file",
            report.usage_based.len()
        ));
    }
    let unknown = report.resources.iter().filter(|r| r.status == Status::Unknown).count();
    if unknown > 0 {
        notes.push(format!(
            "{unknown} resource(s) with unknown cost, left out of the totals"
        ));
    }
    let partial = report.resources.iter().filter(|r| r.status == Status::Partial).count();
    if partial > 0 {
        notes.push(format!(
            "{partial} resource(s) partially priced (some components unknown): the totals are lower bounds"
        ));
    }
    let approximate = report.resources.iter().filter(|r| r.approximate.is_some()).count();
    if approximate > 0 {
        let first = report
            .resources
            .iter()
            .find_map(|r| r.approximate.as_deref())
            .unwrap_or_default();
        notes.push(format!(
            "~ {approximate} resource(s) priced approximately, e.g. {}",
            md_escape(first)
        ));
    }
    if !report.unsupported.is_empty() {
        let list: Vec<String> = report
            .unsupported
            .iter()
            .map(|u| format!("`{}` x{}", md_escape(&u.resource_type), u.count))
            .collect();
        notes.push(format!("not priced: {}", list.join(", ")));
    }
    if !notes.is_empty() {
        let _ = writeln!(out);
        for n in notes {
            let _ = writeln!(out, "- {n}");
        }
    }
    let _ = writeln!(
        out,
        "\n<sub>{} on-demand list prices, catalog {}, 730 h/month.</sub>",
        report.currency, report.catalog_date
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formatting() {
        assert_eq!(format_money(1234.5), "1,234.50");
        assert_eq!(format_money(0.004), "0.00");
        assert_eq!(format_money(-0.004), "0.00");
        assert_eq!(format_money(-1234567.891), "-1,234,567.89");
        assert_eq!(format_delta(70.08), "+70.08");
        assert_eq!(format_delta(-3.0), "-3.00");
        assert_eq!(format_delta(0.0), "0.00");
    }
}
