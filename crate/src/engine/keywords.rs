//! Scored keyword matching for "train AI on my data" wording in seven languages (en, de, fr, es,
//! pt, it, nl). Used when no rule label matches (a weaker match) and to find suspected settings.
//!
//! All texts are normalised first (`text::normalize`). The stem lists and their syntax are in
//! [`crate::vocab`].

#[allow(unused_imports)]
use crate::prelude::*;

use crate::vocab::{ALLOW, DATA, IMPROVE, INVERTED, MODEL, NEGATORS, TRAINING, USE, VETO};

pub use crate::text::has_stem;

// Which way a control's wording points: "Use my data to train AI" is on when checked;
// "Protect my posts from AI training", "I object ...", "Do not use my data ..." are off when
// checked. The keyword fallback and suspects read a control by its own wording, never by the
// rule's `off_means`.

/// How a control's wording reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    /// "Use my data to train AI": on when checked.
    Affirmative,
    /// "Protect my posts from AI training", "Do not use my data ...": off when checked.
    Inverted,
    /// Signals of both kinds ("Do not block ...", "Allow ... or opt out"): not read.
    Unclear,
}

/// Where `stem` (`a+b`: `a` where `b` also occurs) is first found in the normalised `hay`.
fn find(hay: &str, stem: &str) -> Option<usize> {
    let mut parts = stem.split('+');
    let at = crate::text::find_stem(hay, parts.next()?)?;
    parts.all(|p| has_stem(hay, p)).then_some(at)
}

/// The first place any stem of a `|`-separated list is found.
fn first(hay: &str, list: &str) -> Option<usize> {
    let mut best: Option<usize> = None;
    for s in list.split('|') {
        if let Some(at) = find(hay, s) {
            best = Some(best.map_or(at, |b| b.min(at)));
        }
    }
    best
}

/// The polarity of a normalised label.
///
/// - no negation and no opt-out word: affirmative;
/// - a negation and an opt-out word (a double negation: "Do not block ..."): unclear;
/// - starting with a negation ("Do not use ...", "No permitir ...", "Niet toestaan ..."):
///   inverted;
/// - a negation or opt-out word next to a consent verb ("Allow ..., opt out later"): unclear;
/// - a use/share verb before the opt-out word, or a use, training or improve word before the
///   negation ("Use my data to train AI (not recommended)"): unclear;
/// - else inverted ("Protect my posts from being used ...", "Meine Daten nicht ... verwenden").
pub fn polarity(text: &str) -> Polarity {
    let neg = first(text, NEGATORS);
    let inv = first(text, INVERTED);
    let at = match (neg, inv) {
        (None, None) => return Polarity::Affirmative,
        (Some(_), Some(_)) => return Polarity::Unclear,
        (Some(0), None) => return Polarity::Inverted,
        (Some(at), None) | (None, Some(at)) => at,
    };
    let before = |list: &str| first(text, list).is_some_and(|p| p < at);
    if has(text, ALLOW) || before(USE) || (neg.is_some() && (before(TRAINING) || before(IMPROVE))) {
        Polarity::Unclear
    } else {
        Polarity::Inverted
    }
}

/// The categories found in a normalised text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// A training word.
    pub training: bool,
    /// An AI or model word.
    pub model: bool,
    /// A data or content word.
    pub data: bool,
    /// An improve word.
    pub improve: bool,
    /// An AI-feature word (vetoes the match).
    pub veto: bool,
}

impl Score {
    /// Number of categories found (veto not counted).
    pub fn count(&self) -> u8 {
        [self.training, self.model, self.data, self.improve]
            .iter()
            .map(|b| u8::from(*b))
            .sum()
    }

    /// Weak match (rule keyword fallback): no veto, two categories or more, including training
    /// or improve + model.
    pub fn weak(&self) -> bool {
        !self.veto && self.count() >= 2 && (self.training || (self.improve && self.model))
    }

    /// Strong match (suspected settings): no veto, and training plus AI/model or data, or
    /// improve plus AI/model plus data.
    pub fn strong(&self) -> bool {
        !self.veto
            && ((self.training && (self.model || self.data))
                || (self.improve && self.model && self.data))
    }
}

/// Whether any stem of a `|`-separated list is in `hay`.
fn has(hay: &str, list: &str) -> bool {
    list.split('|').any(|s| has_stem(hay, s))
}

/// Scores normalised texts (for a control: its name and its row text).
pub fn score(texts: &[&str]) -> Score {
    let mut s = Score::default();
    for t in texts {
        s.training |= has(t, TRAINING);
        s.model |= has(t, MODEL);
        s.data |= has(t, DATA);
        s.improve |= has(t, IMPROVE);
        s.veto |= has(t, VETO);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    fn sc(t: &str) -> Score {
        let n = normalize(t);
        score(&[n.as_str()])
    }

    #[test]
    fn stems_and_whole_words() {
        assert!(has_stem("use my data for training", "train"));
        assert!(!has_stem("restrain", "train"));
        assert!(has_stem("l ia generative", "ia$"));
        assert!(!has_stem("aim high", "ai$"));
        assert!(has_stem("ki training", "ki$"));
        assert!(has_stem("allow fine tuning", "fine tun"));
    }

    #[test]
    fn seven_languages_read_as_training() {
        for t in [
            "Allow us to use your documents to train our AI models",
            "Meine Inhalte für das Training von KI-Modellen verwenden",
            "Utiliser mes données pour entraîner des modèles d’IA",
            "Usar mis datos para entrenar modelos de IA",
            "Usar os meus dados para treinar modelos de IA",
            "Usa i miei dati per addestrare i modelli di IA",
            "Mijn gegevens gebruiken om AI-modellen te trainen",
        ] {
            let s = sc(t);
            assert!(s.strong() && s.weak(), "{t}: {s:?}");
        }
        assert!(sc("Improve the model for everyone").weak());
        assert!(!sc("Improve the model for everyone").strong());
    }

    #[test]
    fn polarity_reads_both_ways() {
        use Polarity::*;
        for (t, want) in [
            ("Use my data to train AI", Affirmative),
            (
                "Allow us to use your documents to train our AI models",
                Affirmative,
            ),
            (
                "Consenti alle società terze di addestrare modelli di IA",
                Affirmative,
            ),
            ("Do not use my data to train AI", Inverted),
            ("Opt out of AI training", Inverted),
            ("Meine Daten nicht für KI-Training verwenden", Inverted),
            ("Ne pas utiliser mes données pour entraîner l'IA", Inverted),
            ("No usar mis datos para entrenar la IA", Inverted),
            ("Não usar os meus dados para treinar IA", Inverted),
            ("Non usare i miei dati per addestrare l'IA", Inverted),
            ("Mijn gegevens niet gebruiken om AI te trainen", Inverted),
            ("Block AI training", Inverted),
            ("Keep my data out of model training", Inverted),
            ("Keep improving the model with my data", Affirmative),
            ("Do not block AI training", Unclear),
            ("Use my data to train AI (not recommended)", Unclear),
            ("Allow AI training, or opt out later", Unclear),
            ("Use my posts for AI training; stop any time", Unclear),
        ] {
            assert_eq!(polarity(&normalize(t)), want, "{t}");
        }
    }

    #[test]
    fn combined_stems_need_every_part() {
        assert_eq!(find("keep my data out of it", "keep+out$"), Some(0));
        assert_eq!(find("keep my data", "keep+out$"), None);
        assert_eq!(first("a stop b block", "block|stop|"), Some(2));
    }

    #[test]
    fn ai_features_are_vetoed() {
        for t in [
            "Show AI-powered writing suggestions",
            "KI-Vorschläge beim Schreiben anzeigen",
            "Sugerencias de escritura con IA entrenadas con tus datos",
            "Suggerimenti di scrittura con IA",
            "AI search trained on your data",
        ] {
            let s = sc(t);
            assert!(!s.strong() && !s.weak(), "{t}: {s:?}");
        }
        assert!(!sc("Dark mode").weak());
        assert!(!sc("Email me about new models").weak());
    }
}
