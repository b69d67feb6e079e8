//! Scored keyword matching for "train AI on my data" wording in seven languages (en, de, fr, es,
//! pt, it, nl). Used when no rule label matches (a weaker match) and to find suspected settings.
//!
//! All texts are normalised first (`text::normalize`). A keyword is a *stem*: it matches a word
//! that starts with it (`train` matches `training`, `trainieren`); a stem that ends with `$`
//! must be the whole word (`ai$` matches `ai` but not `aim`). Stems may hold spaces
//! (`fine tun`): they then match at a word start across words.

#[allow(unused_imports)]
use crate::prelude::*;

pub use crate::text::has_stem;

/// Training words.
pub const TRAINING: &[&str] = &[
    "train", "fine tun", "finetun", "entrain", "entren", "trein", "addestr",
];

/// AI and model words.
pub const MODEL: &[&str] = &[
    "ai$",
    "ki$",
    "ia$",
    "ias$",
    "llm",
    "genai",
    "model",
    "modell",
    "modelo",
    "modele",
    "generativ",
    "artificial intelligence",
    "kunstliche intelligenz",
    "intelligence artificielle",
    "inteligencia artificial",
    "intelligenza artificiale",
    "kunstmatige intelligentie",
    "machine learning",
    "maschinelles lernen",
];

/// Data and content words.
pub const DATA: &[&str] = &[
    "data$",
    "daten",
    "donnee",
    "dato",
    "dado",
    "dati$",
    "gegeven",
    "content",
    "inhalt",
    "contenu",
    "contenid",
    "conteud",
    "contenut",
    "inhoud",
    "post",
    "beitrag",
    "beitrage",
    "publication",
    "publicacion",
    "publicac",
    "pubblicazion",
    "bericht",
    "interaction",
    "interaktion",
    "interaccion",
    "interac",
    "interazion",
    "interactie",
    "document",
    "dokument",
    "conversation",
    "unterhaltung",
    "conversacion",
    "conversa",
    "gesprek",
    "my work",
    "meine werke",
    "stories",
    "images",
    "bilder",
];

/// Improve words.
pub const IMPROVE: &[&str] = &[
    "improv",
    "verbesser",
    "amelior",
    "mejor",
    "melhor",
    "miglior",
    "verbeter",
];

/// AI-feature words: a control about an AI feature (writing suggestions, AI search, an
/// assistant, summaries, personalisation, memory) is not a training setting.
pub const VETO: &[&str] = &[
    // en
    "suggest",
    "writing assist",
    "writing tool",
    "writing help",
    "search",
    "assistant",
    "autocomplet",
    "auto complet",
    "summar",
    "personali",
    "recommend",
    "remember",
    "memory",
    "translat",
    "smart compose",
    "smart repl",
    // de
    "vorschlag",
    "vorschlage",
    "schreibvorschl",
    "schreibhilfe",
    "schreibassist",
    "suche",
    "assistent",
    "zusammenfass",
    "personalisier",
    "empfehl",
    "erinner",
    "gedachtnis",
    "ubersetz",
    // fr
    "aide a la redaction",
    "moteur de recherche",
    "resume",
    "personnalis",
    "recommand",
    "memoire",
    "tradu",
    // es
    "sugerenc",
    "busqueda",
    "asistente",
    "resumen",
    "personaliz",
    "recomend",
    "memoria",
    // pt
    "sugest",
    "assistente",
    "resumo",
    // it
    "suggeriment",
    "riassunt",
    "raccomand",
    // nl
    "suggestie",
    "schrijfsugg",
    "schrijfhulp",
    "zoek",
    "samenvat",
    "aanbevel",
    "vertal",
];

/// Negation and opt-out words: a control labelled "Do not use my data to train AI" is on when it
/// is *unchecked*; the keyword fallback and suspects assume the opposite, so such a label never
/// matches by keywords and a suspect with it is reported with an unknown state (never clicked).
/// Checked on the control's name (its row text when it has none).
pub const NEGATION: &[&str] = &[
    "do not",
    "don t",
    "dont",
    "never",
    "opt out",
    "opt me out",
    "prevent",
    "block",
    "disallow",
    "exclude",
    "minimi",
    "limit",
    "nicht",
    "kein",
    "verhindern",
    "blockieren",
    "ausschliessen",
    "ne pas",
    "pas$",
    "jamais",
    "bloquer",
    "empecher",
    "exclure",
    "no$",
    "nunca",
    "bloquear",
    "impedir",
    "excluir",
    "nao$",
    "non$",
    "mai$",
    "blocca",
    "impedisci",
    "escludi",
    "niet",
    "nooit",
    "blokkeer",
    "voorkom",
    "uitsluiten",
];

/// True when the normalised text holds a negation or opt-out word.
pub fn negated(text: &str) -> bool {
    any(text, NEGATION)
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

fn any(hay: &str, list: &[&str]) -> bool {
    list.iter().any(|s| has_stem(hay, s))
}

/// Scores normalised texts (for a control: its name and its row text).
pub fn score(texts: &[&str]) -> Score {
    let mut s = Score::default();
    for t in texts {
        s.training |= any(t, TRAINING);
        s.model |= any(t, MODEL);
        s.data |= any(t, DATA);
        s.improve |= any(t, IMPROVE);
        s.veto |= any(t, VETO);
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
    fn negations_are_seen() {
        for t in [
            "Do not use my data to train AI",
            "Opt out of AI training",
            "Meine Daten nicht für KI-Training verwenden",
            "Ne pas utiliser mes données pour entraîner l'IA",
            "No usar mis datos para entrenar la IA",
            "Não usar os meus dados para treinar IA",
            "Non usare i miei dati per addestrare l'IA",
            "Mijn gegevens niet gebruiken om AI te trainen",
            "Block AI training",
        ] {
            assert!(negated(&normalize(t)), "{t}");
        }
        for t in [
            "Allow us to use your documents to train our AI models",
            "Usar mis datos para entrenar modelos de IA",
            "Consenti alle società terze di addestrare modelli di IA",
        ] {
            assert!(!negated(&normalize(t)), "{t}");
        }
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
