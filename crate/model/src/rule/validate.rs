//! Validation of rule sets. Shared with `build.rs` (refers to the model as `super::model`).

#[allow(unused_imports)]
use crate::prelude::*;

use super::model::{
    Automation, DefaultState, Expect, RuleError, RuleSet, Setting, StepKind, Texts, DESTRUCTIVE,
    KNOWN_ROLES,
};
use alloc::collections::BTreeMap;

/// The file stem of a path (`crate/rules/x.toml` -> `x`).
pub fn file_stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.strip_suffix(".toml").unwrap_or(name)
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Checks a hostname: lowercase, no scheme, port or path.
fn check_host(h: &str) -> Result<(), &'static str> {
    // `*.example.com`: any subdomain (one leading wildcard label, nothing else)
    let h = h.strip_prefix("*.").unwrap_or(h);
    if h.is_empty() {
        return Err("empty host");
    }
    if h.contains("://") {
        return Err("host must not have a scheme");
    }
    if h.contains(':') {
        return Err("host must not have a port");
    }
    if h.contains(['/', '?', '#']) {
        return Err("host must not have a path");
    }
    if h.contains('*') {
        return Err("a wildcard is only allowed as a leading \"*.\"");
    }
    if h.chars().any(|c| c.is_ascii_uppercase()) {
        return Err("host must be lowercase");
    }
    if !h
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
    {
        return Err("host has invalid characters");
    }
    if h.split('.').any(str::is_empty) {
        return Err("host has an empty label");
    }
    Ok(())
}

/// Checks a language-keyed text map. `required`: at least one non-empty text.
fn check_texts(
    errs: &mut Vec<RuleError>,
    file: &str,
    id: &str,
    field: &str,
    texts: &Texts,
    required: bool,
) {
    let mut any = false;
    for (lang, list) in texts {
        if lang.len() != 2 || !lang.chars().all(|c| c.is_ascii_lowercase()) {
            errs.push(RuleError::new(
                file,
                id,
                &format!("{field}.{lang}"),
                "language must be a 2-letter lowercase iso 639-1 code",
            ));
        }
        for t in list {
            if t.trim().is_empty() {
                errs.push(RuleError::new(
                    file,
                    id,
                    &format!("{field}.{lang}"),
                    "empty string",
                ));
            } else if crate::text::normalize(t).is_empty() {
                errs.push(RuleError::new(
                    file,
                    id,
                    &format!("{field}.{lang}"),
                    format!("{t:?} has no letters or digits"),
                ));
            } else {
                any = true;
            }
        }
    }
    if required && !any {
        let msg = if field == "labels" {
            "no label in any language".to_string()
        } else {
            "no text in any language".to_string()
        };
        errs.push(RuleError::new(file, id, field, msg));
    }
}

/// Validates one rule set read from `file` (path shown in messages).
/// `fixtures`: also check the fixture list (not done for the shipped rules, which drop it).
pub fn validate_set(file: &str, set: &RuleSet, fixtures: bool) -> Vec<RuleError> {
    let mut errs = Vec::new();
    let stem = file_stem(file);
    let pid = if set.platform.is_empty() {
        stem
    } else {
        set.platform.as_str()
    };
    let mut e = |field: &str, msg: String| errs.push(RuleError::new(file, pid, field, msg));
    if !is_slug(&set.platform) {
        e("platform", "must be a slug [a-z0-9-]+".into());
    } else if set.platform != stem {
        e("platform", format!("must equal the file stem {stem:?}"));
    }
    if set.name.trim().is_empty() {
        e("name", "empty".into());
    }
    if set.hosts.is_empty() {
        e("hosts", "no host".into());
    }
    for h in &set.hosts {
        if let Err(m) = check_host(h) {
            e("hosts", format!("{h:?}: {m}"));
        }
    }
    if set.sources.is_empty() {
        e("sources", "no source".into());
    }
    if set.sources.iter().any(|s| s.trim().is_empty()) {
        e("sources", "empty string".into());
    }
    if set.version < 1 {
        e("version", "must be an integer >= 1".into());
    }
    if set.settings.is_empty() {
        e("setting", "no [[setting]]".into());
    }
    for p in &set.settings_pages {
        if let Err(m) = crate::url::check_pattern(p) {
            e("settings_pages", format!("{p:?}: {m}"));
        }
    }
    for s in &set.settings {
        validate_setting(&mut errs, file, set, s, fixtures);
    }
    errs
}

fn validate_setting(
    errs: &mut Vec<RuleError>,
    file: &str,
    set: &RuleSet,
    s: &Setting,
    fixtures: bool,
) {
    let id = if s.id.is_empty() {
        "(no id)"
    } else {
        s.id.as_str()
    };
    let push = |errs: &mut Vec<RuleError>, field: &str, msg: String| {
        errs.push(RuleError::new(file, id, field, msg))
    };
    match s.id.split_once('.') {
        Some((p, slug)) if p == set.platform && is_slug(slug) => {}
        _ => push(
            errs,
            "id",
            format!("must be \"{}.<slug>\" with slug [a-z0-9-]+", set.platform),
        ),
    }
    if s.title.trim().is_empty() {
        push(errs, "title", "empty".into());
    }
    if s.pages.is_empty() {
        push(errs, "pages", "no page pattern".into());
    }
    for p in &s.pages {
        if let Err(m) = crate::url::check_pattern(p) {
            push(errs, "pages", format!("{p:?}: {m}"));
        }
    }
    let host_ok = |u: &str| -> Result<(), String> {
        match crate::url::split(u) {
            Some(parts) if crate::url::any_host_matches(&set.hosts, &parts.host) => Ok(()),
            Some(parts) => Err(format!("host {:?} is not in hosts", parts.host)),
            None => Err(format!("{u:?} is not an absolute url")),
        }
    };
    if !s.settings_url.starts_with("https://") {
        push(errs, "settings_url", "must start with https://".into());
    } else if let Err(m) = host_ok(&s.settings_url) {
        push(errs, "settings_url", m);
    } else if let Some(parts) = crate::url::split(&s.settings_url) {
        if !s.pages.is_empty()
            && !s
                .pages
                .iter()
                .any(|p| crate::url::page_matches(p, parts.path, parts.hash))
        {
            push(errs, "settings_url", "matches none of pages".into());
        }
    }
    let guided = s.automation == Automation::Guided;
    if guided {
        validate_guided(errs, file, set, s, id);
    } else {
        validate_control(errs, file, s, id);
    }
    check_texts(errs, file, id, "context", &s.context, false);
    check_texts(errs, file, id, "exclude", &s.exclude, false);
    for w in &s.never {
        if crate::text::normalize(w).is_empty() {
            push(errs, "never", format!("{w:?} has no letters or digits"));
        }
    }
    if s.automation == Automation::SafeByDefault && s.default != DefaultState::Off {
        push(
            errs,
            "default",
            "a safe-by-default setting must have default = \"off\"".into(),
        );
    }
    if !s.instructions.is_empty() || guided {
        check_texts(errs, file, id, "instructions", &s.instructions, guided);
    }
    for (lang, t) in &s.prepared_text {
        if lang.len() != 2 || !lang.chars().all(|c| c.is_ascii_lowercase()) {
            push(
                errs,
                &format!("prepared_text.{lang}"),
                "language must be a 2-letter lowercase iso 639-1 code".into(),
            );
        } else if t.trim().is_empty() {
            push(
                errs,
                &format!("prepared_text.{lang}"),
                "empty string".into(),
            );
        }
    }
    if !fixtures {
        return;
    }
    for (i, f) in s.fixtures.iter().enumerate() {
        let field = format!("fixture[{i}]");
        if f.file.is_empty()
            || f.file.starts_with('/')
            || f.file.split(['/', '\\']).any(|c| c == "..")
            || !f.file.ends_with(".html")
        {
            push(
                errs,
                &format!("{field}.file"),
                format!(
                    "{:?}: must be a relative .html path under tests/fixtures",
                    f.file
                ),
            );
        }
        if let Err(m) = host_ok(&f.url) {
            push(errs, &format!("{field}.url"), m);
        }
    }
    let wanted: &[(Expect, &str)] = if guided {
        &[(Expect::Manual, "manual")]
    } else {
        &[
            (Expect::On, "on"),
            (Expect::Off, "off"),
            (Expect::Unknown, "unknown"),
        ]
    };
    for f in &s.fixtures {
        if guided != (f.expect == Expect::Manual) {
            push(
                errs,
                "fixture",
                format!(
                    "{}: expect = \"manual\" is for guided settings and they expect only that",
                    f.file
                ),
            );
        }
    }
    {
        for &(want, word) in wanted {
            if !s.fixtures.iter().any(|f| f.expect == want) {
                push(
                    errs,
                    "fixture",
                    format!("no fixture with expect = \"{word}\""),
                );
            }
        }
    }
}

fn only_guided(errs: &mut Vec<RuleError>, file: &str, id: &str, s: &Setting) {
    for (present, field) in [
        (s.form_url.is_some(), "form_url"),
        (s.email.is_some(), "email"),
        (s.email_subject.is_some(), "email_subject"),
        (!s.prepared_text.is_empty(), "prepared_text"),
        (s.prefill.is_some(), "prefill"),
    ] {
        if present {
            errs.push(RuleError::new(
                file,
                id,
                field,
                "only guided settings take this field",
            ));
        }
    }
}

/// Automatic and safe-by-default settings: a control to find, read and click.
fn validate_control(errs: &mut Vec<RuleError>, file: &str, s: &Setting, id: &str) {
    let push = |errs: &mut Vec<RuleError>, field: &str, msg: String| {
        errs.push(RuleError::new(file, id, field, msg))
    };
    only_guided(errs, file, id, s);
    check_roles(errs, file, id, "roles", &s.roles);
    check_texts(errs, file, id, "labels", &s.labels, true);
    let select = s.roles.iter().any(|r| r == "select");
    check_texts(errs, file, id, "off_option", &s.off_option, select);
    if !select && !s.off_option.is_empty() {
        push(
            errs,
            "off_option",
            "only settings whose roles include \"select\" take off_option".into(),
        );
    }
    if s.steps.is_empty() {
        push(errs, "steps", "no step".into());
    }
    let last = s.steps.len().saturating_sub(1);
    // the order: open-tab*, open?, click-control, (choose | confirm | save | close)*, verify
    let first_save = s.steps.iter().position(|st| st.action == StepKind::Save);
    let first_click = s
        .steps
        .iter()
        .position(|st| st.action == StepKind::ClickControl);
    let first_open = s.steps.iter().position(|st| st.action == StepKind::Open);
    for (i, step) in s.steps.iter().enumerate() {
        let field = format!("steps[{i}]");
        match step.action {
            StepKind::Choose
            | StepKind::Confirm
            | StepKind::OpenTab
            | StepKind::Open
            | StepKind::Close
            | StepKind::Save => {
                check_texts(errs, file, id, &format!("{field}.text"), &step.text, true)
            }
            StepKind::ClickControl | StepKind::Verify => {
                if !step.text.is_empty() {
                    push(
                        errs,
                        &format!("{field}.text"),
                        "only choose, confirm, open-tab, open, close and save take text".into(),
                    );
                }
            }
        }
        if matches!(
            step.action,
            StepKind::Open | StepKind::Close | StepKind::Save
        ) {
            // an opener, a close or a save button is clicked without changing the setting: a
            // destructive word there is a mistake in the rule
            for t in step.text.values().flatten() {
                let n = crate::text::normalize(t);
                if let Some(w) = DESTRUCTIVE.iter().find(|w| crate::text::has_stem(&n, w)) {
                    push(
                        errs,
                        &format!("{field}.text"),
                        format!(
                            "{t:?} holds the destructive word {w:?}; {} only with a button such as \"Done\" or \"Close\"",
                            match step.action {
                                StepKind::Open => "open",
                                StepKind::Save => "save",
                                _ => "close",
                            }
                        ),
                    );
                }
            }
        }
        if step.action == StepKind::Verify && i != last {
            push(errs, &field, "verify must be the last step".into());
        }
        if step.action == StepKind::ClickControl && Some(i) != first_click {
            push(errs, &field, "only one click-control step".into());
        }
        if step.action == StepKind::OpenTab && first_click.is_some_and(|c| i > c) {
            push(
                errs,
                &field,
                "open-tab steps must come before click-control".into(),
            );
        }
        if step.action == StepKind::OpenTab && first_open.is_some_and(|o| i > o) {
            push(errs, &field, "open-tab steps must come before open".into());
        }
        if step.action == StepKind::Open {
            if Some(i) != first_open {
                push(errs, &field, "only one open step".into());
            } else if first_click.is_some_and(|c| i > c) {
                push(
                    errs,
                    &field,
                    "open must come before click-control (it opens the dialog that holds the control)".into(),
                );
            }
        }
        if matches!(
            step.action,
            StepKind::Choose | StepKind::Confirm | StepKind::Close | StepKind::Save
        ) && first_click.is_none_or(|c| i < c)
        {
            push(
                errs,
                &field,
                "choose, confirm, save and close must come after click-control".into(),
            );
        }
        if step.action == StepKind::Save && Some(i) != first_save {
            push(errs, &field, "only one save step".into());
        }
    }
    if !s.steps.is_empty() && first_click.is_none() {
        push(
            errs,
            "steps[0]",
            "the steps must have a click-control step (after any open-tab and open steps)".into(),
        );
    } else if let Some(first) = s.steps.first() {
        if !matches!(
            first.action,
            StepKind::ClickControl | StepKind::OpenTab | StepKind::Open
        ) {
            push(
                errs,
                "steps[0]",
                "the first step must be click-control (or open-tab, or open)".into(),
            );
        }
    }
    if let Some(l) = s.steps.last() {
        if l.action != StepKind::Verify {
            push(
                errs,
                &format!("steps[{last}]"),
                "the last step must be verify".into(),
            );
        }
    }
}

/// Guided settings: no control to click; a form or an email and steps for the person.
fn validate_guided(errs: &mut Vec<RuleError>, file: &str, set: &RuleSet, s: &Setting, id: &str) {
    let push = |errs: &mut Vec<RuleError>, field: &str, msg: String| {
        errs.push(RuleError::new(file, id, field, msg))
    };
    for (present, field) in [
        (!s.roles.is_empty(), "roles"),
        (!s.labels.is_empty(), "labels"),
        (!s.steps.is_empty(), "steps"),
        (!s.off_option.is_empty(), "off_option"),
    ] {
        if present {
            push(
                errs,
                field,
                "guided settings have no control: leave this field out".into(),
            );
        }
    }
    if s.form_url.is_none() && s.email.is_none() {
        push(
            errs,
            "form_url",
            "a guided setting needs form_url or email".into(),
        );
    }
    if let Some(u) = &s.form_url {
        if !u.starts_with("https://") || crate::url::split(u).is_none() {
            push(errs, "form_url", "must be an absolute https:// url".into());
        }
    }
    if let Some(m) = &s.email {
        let ok = m.split_once('@').is_some_and(|(a, d)| {
            !a.is_empty() && d.contains('.') && !m.contains(char::is_whitespace)
        });
        if !ok {
            push(errs, "email", format!("{m:?} is not an email address"));
        }
    }
    if s.email_subject.is_some() && s.email.is_none() {
        push(errs, "email_subject", "needs email".into());
    }
    if let Some(p) = &s.prefill {
        check_roles(errs, file, id, "prefill.roles", &p.roles);
        check_texts(errs, file, id, "prefill.labels", &p.labels, true);
        if s.prepared_text.is_empty() {
            push(errs, "prefill", "needs prepared_text".into());
        }
        if let Some(l) = &p.text {
            if !s.prepared_text.contains_key(l) {
                push(errs, "prefill.text", format!("no prepared_text.{l}"));
            }
        }
        match &s.form_url {
            Some(u) => match crate::url::split(u) {
                Some(parts) if crate::url::any_host_matches(&set.hosts, &parts.host) => {}
                _ => push(
                    errs,
                    "prefill",
                    "the form_url's host must be in hosts to prefill it".into(),
                ),
            },
            None => push(errs, "prefill", "needs form_url".into()),
        }
    }
}

fn check_roles(errs: &mut Vec<RuleError>, file: &str, id: &str, field: &str, roles: &[String]) {
    if roles.is_empty() && field == "roles" {
        errs.push(RuleError::new(file, id, field, "no role"));
    }
    for r in roles {
        if !KNOWN_ROLES.contains(&r.as_str()) {
            errs.push(RuleError::new(
                file,
                id,
                field,
                format!("unknown role {r:?} (known: {})", KNOWN_ROLES.join(", ")),
            ));
        }
    }
}

/// Validates several files together: each file, plus setting ids unique across all files.
pub fn validate_all(files: &[(String, RuleSet)], fixtures: bool) -> Vec<RuleError> {
    let mut errs = Vec::new();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut platforms: BTreeMap<&str, &str> = BTreeMap::new();
    for (file, set) in files {
        errs.extend(validate_set(file, set, fixtures));
        if let Some(other) = platforms.insert(set.platform.as_str(), file.as_str()) {
            errs.push(RuleError::new(
                file,
                &set.platform,
                "platform",
                format!("duplicate platform, also in {other}"),
            ));
        }
        for s in &set.settings {
            if let Some(other) = seen.insert(s.id.as_str(), file.as_str()) {
                errs.push(RuleError::new(
                    file,
                    &s.id,
                    "id",
                    format!("duplicate setting id, also in {other}"),
                ));
            }
        }
    }
    errs
}
