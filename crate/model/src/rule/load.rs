//! Reading rule files from TOML text (feature `toml`: native code and `build.rs` only).

#[allow(unused_imports)]
use crate::prelude::*;

use super::model::{RuleError, RuleSet};
use super::validate::{file_stem, validate_all};

/// Finds the 1-based line of byte offset `at`.
fn line_of(text: &str, at: usize) -> usize {
    text.get(..at).map_or(0, |t| t.matches('\n').count()) + 1
}

/// The value of a `key = "value"` line, if `line` is one.
fn string_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let (k, v) = line.split_once('=')?;
    if k.trim() != key {
        return None;
    }
    let v = v.trim();
    let v = v.split('#').next().unwrap_or(v).trim();
    v.strip_prefix('"')?.strip_suffix('"')
}

/// Works out the rule/setting id and field for an error at byte offset `at` in `text`.
fn locate(text: &str, at: usize, message: &str) -> (String, String) {
    // everything up to the end of the error's line (a missing-field span starts at the header)
    let line_end = text
        .get(at..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| at + i);
    let before = text.get(..line_end).unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let err_line = line_of(text, at).saturating_sub(1);
    // the section the error is in
    let mut setting_start = None;
    let mut in_fixture = false;
    for (i, l) in before.lines().enumerate() {
        let t = l.trim();
        if t.starts_with("[[setting]]") {
            setting_start = Some(i);
            in_fixture = false;
        } else if t.starts_with("[[setting.fixture]]") {
            in_fixture = true;
        }
    }
    let platform = lines
        .iter()
        .find_map(|l| string_value(l, "platform"))
        .unwrap_or("")
        .to_string();
    let id = match setting_start {
        Some(start) => lines
            .iter()
            .skip(start + 1)
            .take_while(|l| !l.trim().starts_with("[[setting]]"))
            .find_map(|l| string_value(l, "id"))
            .map(str::to_string)
            .unwrap_or_else(|| format!("{platform}.(setting {})", start + 1)),
        None => platform,
    };
    // the field: from the message (`unknown field `x``, `missing field `x``) or the line's key
    let quoted = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"));
    let field = match quoted {
        Some(f) => f.to_string(),
        None => lines
            .get(err_line)
            .and_then(|l| l.split_once('='))
            .map(|(k, _)| k.trim().trim_start_matches('{').trim().to_string())
            .filter(|k| !k.is_empty() && !k.starts_with('['))
            .unwrap_or_else(|| "toml".to_string()),
    };
    let field = if in_fixture && setting_start.is_some() {
        format!("fixture.{field}")
    } else {
        field
    };
    (id, field)
}

/// Parses one rule file (no validation). `file` is the path shown in messages.
pub fn parse(file: &str, text: &str) -> Result<RuleSet, RuleError> {
    let stem = file_stem(file);
    if let Err(e) = text.parse::<toml::Table>() {
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        let msg = e.message().lines().next().unwrap_or("").to_lowercase();
        return Err(RuleError::new(
            file,
            stem,
            "syntax",
            format!("{msg} (line {line})"),
        ));
    }
    toml::from_str::<RuleSet>(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let message = e.message().lines().next().unwrap_or("").to_string();
        let (id, field) = locate(text, at, &message);
        let id = if id.is_empty() { stem.to_string() } else { id };
        let line = line_of(text, at);
        RuleError::new(file, &id, &field, format!("{message} (line {line})"))
    })
}

/// Parses and validates several rule files `(path, text)` together (ids unique across files).
/// `fixtures`: also check fixture lists.
pub fn load(files: &[(String, String)], fixtures: bool) -> Result<Vec<RuleSet>, Vec<RuleError>> {
    let mut errs = Vec::new();
    let mut parsed = Vec::new();
    for (file, text) in files {
        match parse(file, text) {
            Ok(set) => parsed.push((file.clone(), set)),
            Err(e) => errs.push(e),
        }
    }
    errs.extend(validate_all(&parsed, fixtures));
    if errs.is_empty() {
        Ok(parsed.into_iter().map(|(_, s)| s).collect())
    } else {
        Err(errs)
    }
}
