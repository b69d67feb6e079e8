//! Every word and role list the engine reads, each defined once: the roles it clicks and
//! reads, and the keyword stems that score and orient a control's wording.
//!
//! Two lists are defined in `rule/model.rs` and re-exported here: [`DESTRUCTIVE`] (also read
//! by `build.rs`, which compiles `rule/model.rs` on its own) and [`KNOWN_ROLES`] (which rule
//! validation checks rule files against).
//!
//! Keyword stems are normalised (`text::normalize`). A stem matches a word that starts with it
//! (`train` matches `training`, `trainieren`); a stem that ends with `$` must be the whole word
//! (`ai$` matches `ai` but not `aim`). Stems may hold spaces (`fine tun`): they then match at a
//! word start across words. Each list is one string of stems, each followed by `|` (not a
//! slice of strings: that costs the wasm module a pointer and a length per word).

use crate::rule::model::StepKind;

pub use crate::rule::model::{DESTRUCTIVE, KNOWN_ROLES};

// ------------------------------------------------------------------------ roles

/// Roles of the controls a suspected setting can be (`engine::suspects`).
pub const SUSPECT_ROLES: &[&str] = &["checkbox", "switch"];

/// The role of a prefill field when a rule's `prefill.roles` is empty.
pub const PREFILL_ROLE: &str = "textbox";

/// Roles of the controls a step of this kind clicks (`engine::steps::choice`).
pub fn step_roles(kind: StepKind) -> &'static [&'static str] {
    match kind {
        StepKind::Confirm | StepKind::Open | StepKind::Close | StepKind::Save => &["button"],
        StepKind::OpenTab => &["tab", "button"],
        StepKind::Choose => &["menuitem", "menuitemradio", "option", "radio", "button"],
        StepKind::ClickControl | StepKind::Verify => &[],
    }
}

// ------------------------------------------------------------------------ training wording
//
// "Train AI on my data" wording in seven languages (en, de, fr, es, pt, it, nl), scored by
// `engine::keywords::score`.

/// Training words.
pub const TRAINING: &str = "train|fine tun|finetun|entrain|entren|trein|treino|addestr|";

/// AI and model words.
pub const MODEL: &str = concat!(
    "ai$|ki$|ia$|ias$|llm|genai|model|modell|modelo|modele|generativ|",
    "artificial intelligence|kunstliche intelligenz|intelligence artificielle|",
    "inteligencia artificial|intelligenza artificiale|kunstmatige intelligentie|",
    "machine learning|maschinelles lernen|",
);

/// Data and content words.
pub const DATA: &str = concat!(
    "data$|daten|donnee|dato|dado|dati$|gegeven|content|inhalt|contenu|contenid|conteud|",
    "contenut|inhoud|post|beitrag|beitrage|publication|publicacion|publicac|pubblicazion|",
    "bericht|interaction|interaktion|interaccion|interac|interazion|interactie|document|",
    "dokument|conversation|unterhaltung|conversacion|conversa|gesprek|my work|",
    "meine werke|stories|images|bilder|",
);

/// Improve words.
pub const IMPROVE: &str = "improv|verbesser|amelior|mejor|melhor|miglior|verbeter|";

/// AI-feature words: a control about an AI feature (writing suggestions, AI search, an
/// assistant, summaries, personalisation, memory) is not a training setting.
pub const VETO: &str = concat!(
    // en
    "suggest|writing assist|writing tool|writing help|search|assistant|autocomplet|",
    "auto complet|summar|personali|recommend|remember|memory|translat|smart compose|",
    "smart repl|",
    // de
    "vorschlag|vorschlage|schreibvorschl|schreibhilfe|schreibassist|suche|assistent|",
    "zusammenfass|personalisier|empfehl|erinner|gedachtnis|ubersetz|",
    // fr
    "aide a la redaction|moteur de recherche|resume|personnalis|recommand|memoire|tradu|",
    // es
    "sugerenc|busqueda|asistente|resumen|personaliz|recomend|memoria|",
    // pt
    "sugest|assistente|resumo|",
    // it
    "suggeriment|riassunt|raccomand|",
    // nl
    "suggestie|schrijfsugg|schrijfhulp|zoek|samenvat|aanbevel|vertal|",
);

// ------------------------------------------------------------------------ polarity
//
// Which way a control's wording points (`engine::keywords::polarity`): "Use my data to train
// AI" is on when checked; "Protect my posts from AI training", "I object ...", "Do not use my
// data ..." are off when checked. Stems as above, plus `a+b`: both, at a's place.

/// Negation particles.
pub const NEGATORS: &str = concat!(
    "do not|don t|dont|does not|doesn t|not$|never|nicht|kein|nie$|niemals|ne pas|",
    "ne plus|pas$|jamais|no$|nunca|nao$|non$|mai$|niet|nooit|geen$|",
);

/// Opt-out verbs and nouns: protect, object, disable, stop, turn off, keep ... out, exclude,
/// block, prevent, withdraw, refuse, deny, restrict, minimise, hide ...
pub const INVERTED: &str = concat!(
    // en
    "opt out|opt me out|opting out|prevent|block|disallow|exclu|minimi|limit|protect|",
    "object to|objection|i object|disable|deactivat|stop|turn off|switch off|keep+out$|",
    "withdraw|refuse|deny|restrict|hide|reject|decline|forbid|prohibit|pause|revoke|",
    // de
    "widersprech|widerspruch|schutz|deaktivier|ausschalt|abschalt|beend|verweiger|ablehn|",
    "einschrank|ausschliess|verhinder|sperr|ausblend|verberg|widerruf|zuruckzieh|verbiet|",
    "untersag|begrenz|heraushalt|",
    // fr
    "desactiv|proteg|oppos|refus|bloqu|empech|arret|retir|restrei|masqu|interdi|",
    // es, pt
    "protec|oponer|opongo|oposicion|rechaz|deneg|impedi|impid|deten|restring|ocult|",
    "prohib|desativ|opor$|oponho|oposicao|recus|parar$|interromp|proib|manten+fuera$|",
    "mant+fora$|",
    // it
    "disattiv|protez|opporsi|oppongo|rifiut|blocc|esclud|ferma|ridurre|riduci|al minimo|",
    "nascond|revoc|vieta|tien+fuori$|tene+fuori$|",
    // nl
    "uitschakel|uitzet|zet uit|bescherm|bezwaar|weiger|blokk|voorkom|uitsluit|sluit uit|",
    "beperk|intrek|afmeld|minimali|verbied|houd+buiten$|",
);

/// Consent verbs (allow, enable, opt in, agree ...): with an opt-out word in one label they
/// leave its polarity unclear ("Allow AI training (you can turn it off later)").
pub const ALLOW: &str = concat!(
    "allow|permit|enable|opt in|opt me in|agree|accept|authoris|authoriz|particip|",
    "contribu|erlaub|zulass|zustimm|einwillig|aktivier|freigeb|teilnehm|autoris|permett|",
    "activer|activez|activar|activa$|acept|consiento|autoriz|ativar|ative$|aceit|",
    "consinto|consenti|attivare|attiva$|accett|partecip|toestaan|sta toe|inschakel|",
    "activeer|activeren|deelnem|bijdrag|",
);

/// Use and share verbs (verb forms only: a noun such as "Nutzung", "utilisation" or "uso"
/// opens many opt-out labels): an opt-out or negation word after one ("Use my data to train AI
/// (not recommended)", "Use my posts for AI, or stop any time") does not turn the label around.
pub const USE: &str = concat!(
    "use$|uses$|using|share$|sharing|utiliser|utilisez|utilise$|partager|usar|usen$|",
    "utilizar|compartir|usem$|compartilhar|partilhar|usa$|usare|utilizza$|utilizzare|",
    "condividi|nutzen$|nutzt$|verwenden$|verwendet$|teilen$|gebruiken$|gebruikt$|",
    "gebruik$|delen$|",
);

// ------------------------------------------------------------------------ state words
//
// A setting's state shown as a word (`engine::words`): "Improve the model for everyone Off" (a
// row button's name ends in its state), a chip whose only text is "On", a dropdown showing
// "Enabled", or the verb of its label: "Turn off your Keep Activity setting" means it is on now.
// Written normalised (`text::normalize`: lowercase, accents folded), each entry a whole word or
// a phrase of whole words, followed by `|`. Seven languages: en, de, fr, es, pt, it, nl.

/// Words that say the control is on (checked, enabled, allowed).
pub const STATE_ON: &str = concat!(
    "on|enabled|allowed|",
    "an|ein|aktiviert|aktiv|erlaubt|zugelassen|",
    "active|activee|autorise|autorisee|",
    "activado|activada|activo|permitido|",
    "ativado|ativada|ligado|permitido|",
    "attivo|attivato|attivata|consentito|",
    "aan|ingeschakeld|toegestaan|",
);

/// Words that say the control is off (unchecked, disabled, blocked).
pub const STATE_OFF: &str = concat!(
    "off|disabled|blocked|",
    "aus|deaktiviert|inaktiv|blockiert|gesperrt|",
    "desactive|desactivee|inactif|bloque|bloquee|",
    "desactivado|desactivada|inactivo|bloqueado|",
    "desativado|desativada|desligado|bloqueado|",
    "disattivo|disattivato|disattivata|bloccato|",
    "uit|uitgeschakeld|geblokkeerd|",
);

/// Verbs of a label that offers to turn the setting off, so it is on now ("Turn off your Keep
/// Activity setting"), at the start or the end of the name.
pub const VERB_TURN_OFF: &str = concat!(
    "turn off|switch off|disable|",
    "deaktivieren|ausschalten|",
    "desactiver|desactivez|",
    "desactivar|",
    "desativar|desligar|",
    "disattiva|disattivare|",
    "uitschakelen|uitzetten|zet uit|",
);

/// Verbs of a label that offers to turn the setting on, so it is off now ("Turn on your Keep
/// Activity setting").
pub const VERB_TURN_ON: &str = concat!(
    "turn on|switch on|enable|",
    "aktivieren|einschalten|",
    "activer|activez|",
    "activar|",
    "ativar|ligar|",
    "attiva|attivare|",
    "inschakelen|aanzetten|zet aan|",
);

/// Words a state verb and the setting's label may have between them, and the label and the
/// end of the name ("Turn off *your* Keep Activity *setting*"): at most this many.
pub const VERB_FILLER_WORDS: usize = 2;
