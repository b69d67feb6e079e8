//! Phrases of both polarities in the seven languages, with their polarity as a person reads
//! it (written by hand, independent of the engine's word lists), and a rule whose labels match
//! none of them (so the keyword fallback and suspects decide). Shared by polarity.rs (tables)
//! and polarity_safety.rs (property tests): `use crate::common::phrases;`.
#![allow(dead_code)]

use untrain::Engine;

/// Off when checked: the person already objected when it is checked.
pub const INVERTED: &[(&str, &str)] = &[
    ("en", "Protect my posts from being used to train AI models"),
    ("en", "I object to the use of my data for AI training"),
    ("en", "Disable AI training on my content"),
    ("en", "Stop using my data to train AI models"),
    ("en", "Turn off AI model training with my content"),
    ("en", "Keep my data out of model training"),
    ("en", "Do not use my data to train AI"),
    ("en", "Don't allow AI training on my posts"),
    ("en", "Opt out of AI training with my posts"),
    ("en", "Exclude my content from AI training"),
    ("en", "Block AI models from training on my posts"),
    ("en", "Prevent AI training on my data"),
    ("en", "Withdraw my consent to AI training on my data"),
    ("en", "Refuse AI training on my content"),
    ("en", "Hide my posts from AI training"),
    ("en", "Restrict AI training on my data"),
    ("en", "Minimise AI training on my data"),
    ("de", "Widerspruch gegen KI-Training mit meinen Daten"),
    ("de", "Meine Inhalte vor KI-Training schützen"),
    ("de", "KI-Training mit meinen Daten deaktivieren"),
    ("de", "Meine Daten nicht für KI-Training verwenden"),
    ("de", "KI-Training mit meinen Beiträgen blockieren"),
    (
        "de",
        "Der Nutzung meiner Daten für KI-Training widersprechen",
    ),
    ("de", "Kein KI-Training mit meinen Inhalten"),
    ("fr", "Désactiver l’entraînement de l’IA avec mes contenus"),
    ("fr", "Protéger mes contenus contre l’entraînement de l’IA"),
    (
        "fr",
        "S’opposer à l’utilisation de mes données pour l’entraînement de l’IA",
    ),
    (
        "fr",
        "Je m’oppose à l’entraînement de l’IA avec mes données",
    ),
    ("fr", "Ne pas utiliser mes données pour entraîner l’IA"),
    ("fr", "Refuser l’entraînement de l’IA sur mes publications"),
    ("fr", "Exclure mes données de l’entraînement de l’IA"),
    ("es", "Desactivar el entrenamiento de IA con mis datos"),
    ("es", "Proteger mis publicaciones del entrenamiento de IA"),
    ("es", "Me opongo al uso de mis datos para entrenar IA"),
    ("es", "No usar mis datos para entrenar la IA"),
    (
        "es",
        "Bloquear el entrenamiento de IA con mis publicaciones",
    ),
    ("es", "No permitir el entrenamiento de IA con mis datos"),
    ("pt", "Desativar o treino de IA com os meus dados"),
    ("pt", "Desativar o treinamento de IA com meus dados"),
    ("pt", "Proteger minhas publicações do treinamento de IA"),
    ("pt", "Opor-me ao treinamento de IA com meus dados"),
    ("pt", "Não usar meus dados para treinar IA"),
    ("pt", "Bloquear o treinamento de IA com meu conteúdo"),
    ("pt", "Manter meus dados fora do treino de IA"),
    ("it", "Disattiva l’addestramento dell’IA con i miei dati"),
    ("it", "Proteggi i miei contenuti dall’addestramento dell’IA"),
    (
        "it",
        "Mi oppongo all’uso dei miei dati per l’addestramento dell’IA",
    ),
    ("it", "Non usare i miei dati per addestrare l’IA"),
    ("it", "Blocca l’addestramento dell’IA sui miei post"),
    ("it", "Escludi i miei dati dall’addestramento dell’IA"),
    ("it", "Tieni i miei dati fuori dall’addestramento dell’IA"),
    ("nl", "AI-training met mijn gegevens uitschakelen"),
    ("nl", "Mijn content beschermen tegen AI-training"),
    ("nl", "Bezwaar maken tegen AI-training met mijn gegevens"),
    ("nl", "Mijn gegevens niet gebruiken om AI te trainen"),
    ("nl", "AI-training met mijn berichten blokkeren"),
    ("nl", "Mijn gegevens uitsluiten van AI-training"),
    ("nl", "Houd mijn gegevens buiten AI-training"),
];

/// On when checked.
pub const AFFIRMATIVE: &[(&str, &str)] = &[
    ("en", "Use my data to train AI models"),
    ("en", "Allow AI training on my posts"),
    ("en", "Allow third-party AI training on my posts"),
    ("en", "Let us use your content to train our AI"),
    ("en", "Share my data for AI model training"),
    ("en", "Help improve our AI models with my data"),
    ("en", "Include my posts in AI training data"),
    ("de", "Meine Daten für KI-Training nutzen"),
    ("de", "KI-Training mit meinen Beiträgen erlauben"),
    (
        "de",
        "Meine Inhalte zum Trainieren von KI-Modellen freigeben",
    ),
    ("fr", "Utiliser mes données pour entraîner l’IA"),
    (
        "fr",
        "Autoriser l’entraînement de l’IA sur mes publications",
    ),
    (
        "fr",
        "Partager mes données pour l’entraînement des modèles d’IA",
    ),
    ("es", "Usar mis datos para entrenar modelos de IA"),
    (
        "es",
        "Permitir el entrenamiento de IA con mis publicaciones",
    ),
    ("es", "Compartir mis datos para entrenar la IA"),
    ("pt", "Usar meus dados para treinar modelos de IA"),
    ("pt", "Permitir o treinamento de IA com meu conteúdo"),
    ("pt", "Compartilhar meus dados para o treino de IA"),
    ("it", "Usa i miei dati per addestrare i modelli di IA"),
    ("it", "Consenti l’addestramento dell’IA sui miei contenuti"),
    ("it", "Condividi i miei dati per l’addestramento dell’IA"),
    ("nl", "Mijn gegevens gebruiken om AI-modellen te trainen"),
    ("nl", "AI-training met mijn berichten toestaan"),
    ("nl", "Mijn gegevens delen voor AI-training"),
];

/// Wording with signals of both kinds, as a person reads it (true: on when checked). The
/// engine may read these as unknown (never clicked), never the wrong way round.
pub const MIXED: &[(&str, bool)] = &[
    ("Use my data to train AI models (not for ads)", true),
    (
        "Allow AI training on my posts; you can turn it off at any time",
        true,
    ),
    (
        "Use my posts for AI training, or stop any time in settings",
        true,
    ),
    ("Do not block AI training on my posts", true),
    ("Don't stop using my data for AI training", true),
    ("KI-Training mit meinen Daten nicht blockieren", true),
    (
        "Ne pas bloquer l’entraînement de l’IA sur mes données",
        true,
    ),
    ("No desactivar el entrenamiento de IA con mis datos", true),
];

/// A rule whose labels match nothing on the test pages (so the keyword fallback decides), one
/// setting per `off_means`, and a page for suspects (`/s`, on `settings_pages`, where no
/// setting is read).
pub fn engine() -> Engine {
    let mut text = String::from(
        "platform = \"gen\"\nname = \"Gen\"\nhosts = [\"gen.example\"]\nconfidence = \"low\"\n\
         sources = [\"test\"]\nversion = 1\nsettings_pages = [\"/unchecked\", \"/checked\", \"/s\"]\n",
    );
    for off in ["unchecked", "checked"] {
        text.push_str(&format!(
            "\n[[setting]]\nid = \"gen.{off}\"\ntitle = \"AI training\"\nautomation = \"automatic\"\n\
             pages = [\"/{off}\"]\nsettings_url = \"https://gen.example/{off}\"\ndefault = \"on\"\n\
             off_means = \"{off}\"\nroles = [\"switch\", \"checkbox\"]\n\
             labels = {{ en = [\"Zebra quartz label that no page shows\"] }}\n\
             steps = [{{ do = \"click-control\" }}, {{ do = \"verify\" }}]\n"
        ));
        for expect in ["on", "off", "unknown"] {
            text.push_str(&format!(
                "\n[[setting.fixture]]\nfile = \"gen/{expect}.en.html\"\n\
                 url = \"https://gen.example/{off}\"\nexpect = \"{expect}\"\n"
            ));
        }
    }
    let sets = Engine::load_toml(&[("crate/rules/gen.toml", text.as_str())]).expect("rules");
    Engine::from_rule_sets(sets).expect("engine")
}
