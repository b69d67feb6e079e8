//! A control's state read from words: a state word ("On", "Off", "Enabled", "Blocked" ...) at
//! the end or the start of its name next to the setting's label, a row that shows only the
//! word, or the verb of its label ("Turn off your Keep Activity setting" means it is on now).
//! The word lists are in [`crate::vocab`].
//!
//! A word counts only where it plainly names the state: the whole name or row, or right next to
//! the setting's label at the name's (or row's) end or start. Inside a sentence it says nothing
//! ("When this setting is off, ..." or "Turn off automatic deletion"), and a verb counts only
//! when the rest of the name is the setting's label with at most
//! [`VERB_FILLER_WORDS`](crate::vocab::VERB_FILLER_WORDS) words on either side.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::vocab::{STATE_OFF, STATE_ON, VERB_FILLER_WORDS, VERB_TURN_OFF, VERB_TURN_ON};

/// What the words of a control say about it being on ("checked").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Words {
    /// No word says anything.
    Silent,
    /// Every word that speaks agrees: on (`true`) or off.
    Says(bool),
    /// Two words disagree.
    Conflict,
}

/// The entries of a `|`-separated word list.
fn entries(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.split('|').filter(|w| !w.is_empty())
}

/// `Some(true)` when the normalised `w` is an "on" word, `Some(false)` for an "off" word.
fn state_word(w: &str) -> Option<bool> {
    if entries(STATE_ON).any(|x| x == w) {
        Some(true)
    } else if entries(STATE_OFF).any(|x| x == w) {
        Some(false)
    } else {
        None
    }
}

/// `hay` minus a whole-word `prefix` (and the space after it).
fn after_prefix<'a>(hay: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = hay.strip_prefix(prefix)?;
    if rest.is_empty() {
        Some(rest)
    } else {
        rest.strip_prefix(' ')
    }
}

/// `hay` minus a whole-word `suffix` (and the space before it).
fn before_suffix<'a>(hay: &'a str, suffix: &str) -> Option<&'a str> {
    let rest = hay.strip_suffix(suffix)?;
    if rest.is_empty() {
        Some(rest)
    } else {
        rest.strip_suffix(' ')
    }
}

/// A state word at the end of `t` right after a label ("improve the model for everyone off"),
/// at its start right before one ("off improve ..."), or `t` being the word alone.
fn word_by_label(t: &str, labels: &[String]) -> Option<bool> {
    if let Some(b) = state_word(t) {
        return Some(b);
    }
    let mut found = None;
    // the word glued to the label: a row rendered as <div>label</div><div>Off</div> has the
    // text "labelOff" (`textContent`, no space between the two elements)
    for l in labels.iter().filter(|l| !l.is_empty()) {
        let at = t.rfind(l.as_str());
        let glued = at.and_then(|at| {
            let before = &t[..at];
            (before.is_empty() || before.ends_with(' '))
                .then(|| state_word(&t[at + l.len()..]))
                .flatten()
        });
        if let Some(b) = glued {
            match found {
                Some(x) if x != b => return None,
                _ => found = Some(b),
            }
        }
    }
    let Some((head, last)) = t.rsplit_once(' ') else {
        return found;
    };
    // the word may be a phrase of up to two words: try both splits at either end
    let mut tries: Vec<(&str, &str, bool)> = vec![(head, last, true)];
    if let Some((h2, _)) = head.rsplit_once(' ') {
        tries.push((h2, &t[h2.len() + 1..], true));
    }
    if let Some((first, tail)) = t.split_once(' ') {
        tries.push((tail, first, false));
        if let Some((_, t2)) = tail.split_once(' ') {
            tries.push((t2, &t[..t.len() - t2.len() - 1], false));
        }
    }
    for (rest, word, at_end) in tries {
        let Some(b) = state_word(word) else { continue };
        let next_to_label = labels.iter().any(|l| {
            !l.is_empty()
                && if at_end {
                    before_suffix(rest, l).is_some()
                } else {
                    after_prefix(rest, l).is_some()
                }
        });
        if next_to_label {
            match found {
                Some(x) if x != b => return None,
                _ => found = Some(b),
            }
        }
    }
    found
}

/// At most [`VERB_FILLER_WORDS`] words.
fn few_words(t: &str) -> bool {
    t.is_empty() || t.split(' ').count() <= VERB_FILLER_WORDS
}

/// Whether `t` is a label with at most a few words on either side.
fn label_with_filler(t: &str, labels: &[String]) -> bool {
    labels.iter().filter(|l| !l.is_empty()).any(|l| {
        t.match_indices(l.as_str()).any(|(at, _)| {
            let (pre, post) = (&t[..at], &t[at + l.len()..]);
            let whole = (pre.is_empty() || pre.ends_with(' '))
                && (post.is_empty() || post.starts_with(' '));
            whole && few_words(pre.trim_end()) && few_words(post.trim_start())
        })
    })
}

/// The verb of a name that offers to change the setting: "turn off <label>" means on now,
/// "turn on <label>" off (the verb at the start or the end of the name).
fn verb(name: &str, labels: &[String]) -> Option<bool> {
    let mut found = None;
    for (list, on) in [(VERB_TURN_OFF, true), (VERB_TURN_ON, false)] {
        for v in entries(list) {
            let rest = after_prefix(name, v).or_else(|| before_suffix(name, v));
            if rest.is_some_and(|r| !r.is_empty() && label_with_filler(r, labels)) {
                match found {
                    Some(x) if x != on => return None,
                    _ => found = Some(on),
                }
            }
        }
    }
    found
}

/// What the words of a control say (all texts normalised): its name's state word next to a
/// label, its name's verb, and its row's state word (the row alone, the row minus the name, or
/// next to a label at the row's end or start). `labels` are the setting's labels.
pub(super) fn words(name: &str, row: &str, labels: &[String]) -> Words {
    let mut said: Option<bool> = None;
    let mut conflict = false;
    let mut say = |b: Option<bool>| {
        if let Some(b) = b {
            match said {
                Some(x) if x != b => conflict = true,
                _ => said = Some(b),
            }
        }
    };
    say(word_by_label(name, labels));
    say(verb(name, labels));
    if !row.is_empty() && row != name {
        let rest = if name.is_empty() {
            None
        } else {
            after_prefix(row, name).or_else(|| before_suffix(row, name))
        };
        say(rest
            .and_then(state_word)
            .or_else(|| word_by_label(row, labels)));
    }
    match (conflict, said) {
        (true, _) => Words::Conflict,
        (false, Some(b)) => Words::Says(b),
        (false, None) => Words::Silent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn state_word_next_to_the_label() {
        let labels = l(&["improve the model for everyone"]);
        assert_eq!(
            words("improve the model for everyone off", "", &labels),
            Words::Says(false)
        );
        assert_eq!(
            words("improve the model for everyone on", "", &labels),
            Words::Says(true)
        );
        assert_eq!(words("on", "", &labels), Words::Says(true));
        assert_eq!(
            words("improve the model for everyone", "", &labels),
            Words::Silent
        );
        // a sentence ending in "on" that is not the label
        assert_eq!(words("learn what we train on", "", &labels), Words::Silent);
    }
}
