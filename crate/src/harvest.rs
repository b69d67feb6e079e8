//! Native harvester: builds a [`Snapshot`] from saved HTML with `scraper`, following the harvest
//! algorithm of docs/architecture.md (the JS harvester implements the same spec).

use crate::rule::model::KNOWN_ROLES;
use crate::snapshot::{Control, Snapshot};
use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};
use std::collections::HashMap;

/// Most controls harvested (then `truncated`).
pub const MAX_CONTROLS: usize = 2000;
/// Most headings harvested.
pub const MAX_HEADINGS: usize = 50;

/// Most options harvested per select; each option text is cut to 200.
pub const MAX_OPTIONS: usize = 50;
const SELECTOR_ROLES: &[&str] = &[
    "switch",
    "checkbox",
    "radio",
    "menuitem",
    "menuitemradio",
    "menuitemcheckbox",
    "option",
    "tab",
    "button",
    "textbox",
];
const INPUT_TYPES: &[&str] = &[
    "hidden",
    "text",
    "search",
    "tel",
    "url",
    "email",
    "password",
    "date",
    "month",
    "week",
    "time",
    "datetime-local",
    "number",
    "range",
    "color",
    "checkbox",
    "radio",
    "file",
    "submit",
    "image",
    "reset",
    "button",
];

type N<'a> = NodeRef<'a, Node>;

/// JS `\s`: Unicode White_Space without U+0085, plus U+FEFF.
fn is_ws(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{FEFF}'
}

/// Collapses whitespace runs to one space and trims.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if is_ws(c) {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Cuts to `n` UTF-16 code units (like JS `slice(0, n)`, never splitting a pair).
pub fn cut(s: &str, n: usize) -> String {
    let mut units = 0;
    let mut out = String::new();
    for c in s.chars() {
        units += c.len_utf16();
        if units > n {
            break;
        }
        out.push(c);
    }
    out
}

fn elem<'a>(n: &N<'a>) -> Option<&'a scraper::node::Element> {
    n.value().as_element()
}

fn tag<'a>(n: &N<'a>) -> &'a str {
    elem(n).map_or("", |e| e.name())
}

fn attr<'a>(n: &N<'a>, name: &str) -> Option<&'a str> {
    elem(n).and_then(|e| e.attr(name))
}

/// `textContent`, whitespace-collapsed and trimmed, stopping once longer than `limit` units.
fn text_of(n: &N<'_>, limit: usize) -> String {
    let mut raw = String::new();
    let mut skip = 0usize;
    for edge in n.traverse() {
        match edge {
            Edge::Open(x) => {
                if skip > 0 || x.value().is_fragment() {
                    skip += 1;
                } else if let Some(t) = x.value().as_text() {
                    raw.push_str(t);
                    if raw.len() > limit.saturating_mul(8) + 64
                        && clean(&raw).encode_utf16().count() > limit
                    {
                        break;
                    }
                }
            }
            Edge::Close(_) => {
                skip = skip.saturating_sub(1);
            }
        }
    }
    clean(&raw)
}

fn input_type(n: &N<'_>) -> Option<String> {
    if tag(n) != "input" {
        return None;
    }
    let t = attr(n, "type").unwrap_or("").trim().to_ascii_lowercase();
    Some(if INPUT_TYPES.contains(&t.as_str()) {
        t
    } else {
        "text".to_string()
    })
}

fn is_control(n: &N<'_>) -> bool {
    let t = tag(n);
    let ty = attr(n, "type").map(|v| v.to_ascii_lowercase());
    if t == "input" && ty.as_deref() == Some("hidden") {
        return false;
    }
    match t {
        "input"
            if matches!(
                ty.as_deref(),
                Some("checkbox") | Some("radio") | Some("text") | Some("email") | None
            ) =>
        {
            return true
        }
        "select" | "button" | "textarea" => return true,
        "a" if attr(n, "href").is_some() => return true,
        _ => {}
    }
    attr(n, "role").is_some_and(|r| SELECTOR_ROLES.contains(&r))
}

fn role_of(n: &N<'_>) -> String {
    if let Some(first) = attr(n, "role").and_then(|r| r.split_ascii_whitespace().next()) {
        if KNOWN_ROLES.contains(&first) {
            return first.to_string();
        }
    }
    match (tag(n), input_type(n).as_deref()) {
        ("input", Some("checkbox")) => "checkbox",
        ("input", Some("radio")) => "radio",
        ("input", Some("text") | Some("email")) | ("textarea", _) => "textbox",
        ("select", _) => "select",
        ("button", _) => "button",
        ("a", _) => "link",
        _ => "",
    }
    .to_string()
}

fn is_dialog(n: &N<'_>) -> bool {
    matches!(attr(n, "role"), Some("dialog") | Some("alertdialog"))
        || (tag(n) == "dialog" && attr(n, "open").is_some())
}

fn is_heading(n: &N<'_>) -> bool {
    matches!(tag(n), "h1" | "h2" | "h3") || attr(n, "role") == Some("heading")
}

fn hidden_self(n: &N<'_>) -> bool {
    if attr(n, "hidden").is_some() || attr(n, "aria-hidden") == Some("true") {
        return true;
    }
    attr(n, "style").is_some_and(|s| {
        s.split(';').any(|decl| {
            decl.split_once(':').is_some_and(|(k, v)| {
                let v = v.trim().to_ascii_lowercase();
                let v = v.trim_end_matches("!important").trim();
                k.trim().eq_ignore_ascii_case("display") && v == "none"
            })
        })
    })
}

fn visible(n: &N<'_>) -> bool {
    !std::iter::once(*n)
        .chain(n.ancestors())
        .any(|a| a.value().is_element() && hidden_self(&a))
}

/// The `disabled` IDL property (reflects the attribute on form elements) or `aria-disabled="true"`.
fn disabled(n: &N<'_>) -> bool {
    attr(n, "aria-disabled") == Some("true")
        || (matches!(
            tag(n),
            "button" | "input" | "select" | "textarea" | "option" | "optgroup" | "fieldset"
        ) && attr(n, "disabled").is_some())
}

/// The `<option>` elements of a select, in order (not inside templates).
fn options_of<'a>(n: &N<'a>) -> Vec<N<'a>> {
    n.descendants().filter(|d| tag(d) == "option").collect()
}

/// `value` and `options` of a control (see the harvest spec): for a textbox its current value
/// (native: `textarea` text, `input` `value` attribute; `[role=textbox]` elements: their
/// text), for a `select` the selected option's text (the last option with `selected`, else
/// the first option; `""` without options) and all option texts.
fn value_of(n: &N<'_>, role: &str) -> (Option<String>, Vec<String>) {
    match (tag(n), role) {
        ("select", _) => {
            let opts = options_of(n);
            let texts: Vec<String> = opts
                .iter()
                .take(MAX_OPTIONS)
                .map(|o| cut(&text_of(o, 200), 200))
                .collect();
            // a single-choice list shows its first option when none is selected; a `multiple`
            // list or one with size > 1 shows none
            let list = attr(n, "multiple").is_some()
                || attr(n, "size")
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .is_some_and(|v| v > 1);
            let sel = opts
                .iter()
                .rev()
                .find(|o| attr(o, "selected").is_some())
                .or(if list { None } else { opts.first() })
                .map_or(String::new(), |o| cut(&text_of(o, 200), 200));
            (Some(sel), texts)
        }
        ("textarea", _) => (Some(cut(&text_of_raw(n), 2000)), Vec::new()),
        ("input", "textbox") => (Some(cut(attr(n, "value").unwrap_or(""), 2000)), Vec::new()),
        (_, "textbox") => (Some(cut(&text_of(n, 2000), 2000)), Vec::new()),
        _ => (None, Vec::new()),
    }
}

/// The raw text content of an element (no whitespace collapsing), like a textarea's value
/// (the HTML parser already dropped a leading newline).
fn text_of_raw(n: &N<'_>) -> String {
    let mut raw = String::new();
    for d in n.descendants() {
        if let Some(t) = d.value().as_text() {
            raw.push_str(t);
        }
    }
    raw
}

struct Doc<'a> {
    by_id: HashMap<&'a str, N<'a>>,
    label_for: HashMap<&'a str, N<'a>>,
}

impl<'a> Doc<'a> {
    fn ids_text(&self, ids: &str, limit: usize) -> String {
        let parts: Vec<String> = ids
            .split_ascii_whitespace()
            .filter_map(|id| self.by_id.get(id))
            .map(|n| text_of(n, limit))
            .filter(|t| !t.is_empty())
            .collect();
        parts.join(" ")
    }

    fn name(&self, n: &N<'a>, role: &str) -> String {
        let limit = 300;
        let mut cands: Vec<Box<dyn Fn() -> String + '_>> = Vec::new();
        cands.push(Box::new(|| clean(attr(n, "aria-label").unwrap_or(""))));
        cands.push(Box::new(|| {
            attr(n, "aria-labelledby").map_or(String::new(), |ids| self.ids_text(ids, limit))
        }));
        cands.push(Box::new(|| {
            attr(n, "id")
                .filter(|id| !id.is_empty())
                .and_then(|id| self.label_for.get(id))
                .map_or(String::new(), |l| text_of(l, limit))
        }));
        cands.push(Box::new(|| {
            n.ancestors()
                .find(|a| tag(a) == "label")
                .map_or(String::new(), |l| text_of(&l, limit))
        }));
        cands.push(Box::new(|| {
            if matches!(
                role,
                "button"
                    | "link"
                    | "menuitem"
                    | "menuitemradio"
                    | "menuitemcheckbox"
                    | "option"
                    | "tab"
            ) {
                text_of(n, limit)
            } else {
                String::new()
            }
        }));
        cands.push(Box::new(|| clean(attr(n, "title").unwrap_or(""))));
        cands.push(Box::new(|| {
            if role == "textbox" {
                clean(attr(n, "placeholder").unwrap_or(""))
            } else {
                String::new()
            }
        }));
        cands.push(Box::new(|| {
            if matches!(input_type(n).as_deref(), Some("button") | Some("submit")) {
                clean(attr(n, "value").unwrap_or(""))
            } else {
                String::new()
            }
        }));
        for f in cands {
            let v = f();
            if !v.is_empty() {
                return cut(&v, limit);
            }
        }
        String::new()
    }
}

/// Harvests a snapshot of `html` as if served at `url`.
pub fn harvest(html: &str, url: &str) -> Snapshot {
    let doc = Html::parse_document(html);
    let root = doc.tree.root();
    // elements in document order, outside template contents
    let mut elements: Vec<N<'_>> = Vec::new();
    let mut skip = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(x) => {
                if skip > 0 || x.value().is_fragment() {
                    skip += 1;
                } else if x.value().is_element() {
                    elements.push(x);
                }
            }
            Edge::Close(_) => skip = skip.saturating_sub(1),
        }
    }
    let mut d = Doc {
        by_id: HashMap::new(),
        label_for: HashMap::new(),
    };
    for e in &elements {
        if let Some(id) = attr(e, "id").filter(|i| !i.is_empty()) {
            d.by_id.entry(id).or_insert(*e);
        }
        if tag(e) == "label" {
            if let Some(f) = attr(e, "for") {
                d.label_for.entry(f).or_insert(*e);
            }
        }
    }
    let in_banner = |n: &N<'_>| {
        std::iter::once(*n)
            .chain(n.ancestors())
            .any(|a| attr(&a, "id") == Some("untrain-banner"))
    };
    let all: Vec<N<'_>> = elements
        .iter()
        .filter(|e| is_control(e) && !in_banner(e))
        .copied()
        .collect();
    let truncated = all.len() > MAX_CONTROLS;
    let nodes: Vec<N<'_>> = all.into_iter().take(MAX_CONTROLS).collect();
    // how many harvested controls each element holds below it
    let mut count: HashMap<NodeId, usize> = HashMap::new();
    for n in &nodes {
        for a in n.ancestors() {
            *count.entry(a.id()).or_insert(0) += 1;
        }
    }
    let mut controls = Vec::with_capacity(nodes.len());
    for (index, n) in nodes.iter().enumerate() {
        let role = role_of(n);
        let name = d.name(n, &role);
        // row
        let parent = n.parent().filter(|p| p.value().is_element());
        let mut row_text = String::new();
        if let Some(mut row) = parent {
            for _ in 0..4 {
                match row.parent().filter(|p| p.value().is_element()) {
                    Some(next) if count.get(&next.id()).copied().unwrap_or(0) <= 1 => row = next,
                    _ => break,
                }
            }
            row_text = text_of(&row, 400);
        }
        let mut parts = vec![row_text];
        if let Some(ids) = attr(n, "aria-describedby") {
            parts.push(d.ids_text(ids, 400));
        }
        parts.retain(|p| !p.is_empty());
        let text = cut(&parts.join(" "), 400);
        let ity = input_type(n);
        let checked = match ity.as_deref() {
            Some("checkbox") | Some("radio") => Some(attr(n, "checked").is_some()),
            _ => None,
        };
        let (value, options) = value_of(n, &role);
        let mut hint: Vec<&str> = Vec::new();
        for a in ["id", "name", "data-testid", "class"] {
            if let Some(v) = attr(n, a).filter(|v| !v.is_empty()) {
                hint.push(v);
            }
        }
        controls.push(Control {
            index,
            role,
            tag: tag(n).to_ascii_lowercase(),
            input_type: ity,
            checked,
            aria_checked: attr(n, "aria-checked").map(str::to_string),
            aria_pressed: attr(n, "aria-pressed").map(str::to_string),
            aria_selected: attr(n, "aria-selected").map(str::to_string),
            aria_expanded: attr(n, "aria-expanded").map(str::to_string),
            data_state: attr(n, "data-state").map(str::to_string),
            disabled: disabled(n),
            visible: visible(n),
            in_dialog: std::iter::once(*n)
                .chain(n.ancestors())
                .any(|a| is_dialog(&a)),
            name,
            text,
            hint: cut(&hint.join(" "), 200),
            value,
            options,
        });
    }
    let headings = elements
        .iter()
        .filter(|e| is_heading(e))
        .take(MAX_HEADINGS)
        .map(|e| cut(&text_of(e, 200), 200))
        .collect();
    let dialogs = elements
        .iter()
        .filter(|e| is_dialog(e))
        .map(|e| {
            let mut name = clean(attr(e, "aria-label").unwrap_or(""));
            if name.is_empty() {
                name = attr(e, "aria-labelledby").map_or(String::new(), |ids| d.ids_text(ids, 200));
            }
            if name.is_empty() {
                name = e
                    .descendants()
                    .find(|x| x.id() != e.id() && is_heading(x))
                    .map_or(String::new(), |h| text_of(&h, 200));
            }
            cut(&name, 200)
        })
        .collect();
    let has_password = elements.iter().any(|e| {
        tag(e) == "input"
            && attr(e, "type").is_some_and(|t| t.eq_ignore_ascii_case("password"))
            && visible(e)
    });
    let lang = elements
        .iter()
        .find(|e| tag(e) == "html")
        .and_then(|e| attr(e, "lang"))
        .unwrap_or("")
        .to_lowercase();
    let title = elements
        .iter()
        .find(|e| tag(e) == "title")
        .map_or(String::new(), |t| text_of(t, 10_000));
    Snapshot {
        url: url.to_string(),
        lang,
        title,
        headings,
        dialogs,
        has_password,
        truncated,
        controls,
        other_names: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="EN"><head><title> Data
      for AI | Site</title></head><body>
      <h1>Data for Generative AI Improvement</h1>
      <div class="row"><div><label for="t1">Use my data for training</label>
        <p>When on, we use it.</p></div><input id="t1" type="checkbox" role="switch" checked class="tog"></div>
      <div><button aria-pressed="false" title="Tip">Go</button></div>
      <div hidden><a href="/x">Hidden link</a></div>
      <template><input type="checkbox" aria-label="templated"></template>
      <div id="untrain-banner"><button>Turn off</button></div>
      <div role="dialog" aria-labelledby="dl"><h2 id="dl">Confirm</h2>
        <button disabled>Turn off</button><input type="hidden" name="h"></div>
      <fieldset disabled><legend><button>In legend</button></legend><button aria-disabled="true">Out</button></fieldset>
      <input type="password">
    </body></html>"#;

    #[test]
    fn harvests_controls() {
        let s = harvest(PAGE, "https://example.com/");
        assert_eq!(s.lang, "en");
        assert_eq!(s.title, "Data for AI | Site");
        assert_eq!(
            s.headings,
            vec!["Data for Generative AI Improvement", "Confirm"]
        );
        assert_eq!(s.dialogs, vec!["Confirm"]);
        assert!(s.has_password);
        let names: Vec<&str> = s.controls.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Use my data for training",
                "Go",
                "Hidden link",
                "Turn off",
                "In legend",
                "Out"
            ]
        );
        let t = &s.controls[0];
        assert_eq!(t.role, "switch");
        assert_eq!(t.input_type.as_deref(), Some("checkbox"));
        assert_eq!(t.checked, Some(true));
        assert_eq!(t.text, "Use my data for training When on, we use it.");
        assert_eq!(t.hint, "t1 tog");
        assert!(t.visible && !t.disabled && !t.in_dialog);
        assert_eq!(s.controls[1].aria_pressed.as_deref(), Some("false"));
        assert_eq!(s.controls[1].checked, None);
        assert!(!s.controls[2].visible);
        assert_eq!(s.controls[2].role, "link");
        assert!(s.controls[3].disabled && s.controls[3].in_dialog);
        assert!(!s.controls[4].disabled);
        assert!(s.controls[5].disabled);
    }

    #[test]
    fn harvests_text_fields_and_selects() {
        let page = r#"<html><body>
          <div><label for="r">Reason</label><textarea id="r">
my text</textarea></div>
          <div><input type="email" aria-label="Email" value="a@b.example"></div>
          <div><input placeholder="Name"></div>
          <div><input type="search" aria-label="Search"><input type="foo" aria-label="Odd"></div>
          <div><span role="textbox" aria-label="Rich">typed</span></div>
          <div><label>Mode <select><option>On</option><option selected>Off</option><option>  Ask
            me </option></select></label></div>
          <div><select aria-label="Empty"></select></div>
        </body></html>"#;
        let s = harvest(page, "https://example.com/");
        let got: Vec<(&str, &str, Option<&str>)> = s
            .controls
            .iter()
            .map(|c| (c.role.as_str(), c.name.as_str(), c.value.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("textbox", "Reason", Some("my text")),
                ("textbox", "Email", Some("a@b.example")),
                ("textbox", "Name", Some("")),
                ("textbox", "Rich", Some("typed")),
                ("select", "Mode OnOff Ask me", Some("Off")),
                ("select", "Empty", Some("")),
            ]
        );
        assert_eq!(s.controls[4].options, vec!["On", "Off", "Ask me"]);
        assert!(s.controls[0].options.is_empty());
    }

    #[test]
    fn clean_and_cut() {
        assert_eq!(clean("  a \u{a0}\n b\u{feff}"), "a b");
        assert_eq!(cut("ab😀c", 3), "ab");
        assert_eq!(cut("abc", 10), "abc");
    }
}
