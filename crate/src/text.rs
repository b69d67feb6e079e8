//! Text normalisation for matching: lowercase, fold Latin accents and typographic
//! punctuation, turn punctuation into spaces and collapse whitespace.

/// Longest input (in chars) that is normalised; the rest is ignored (budget for huge pages).
pub const MAX_CHARS: usize = 1000;

/// Folds one lowercase character to its plain Latin spelling, if it has one.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ª' => "a",
        'æ' | 'ǽ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'º' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        // typographic apostrophes, quotes and dashes
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => "-",
        _ => return None,
    })
}

/// Normalises `s` for matching: lowercase, accents folded, every character that is not a
/// letter or digit becomes a space, whitespace collapsed to single spaces, trimmed.
/// Only the first [`MAX_CHARS`] characters are read.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_CHARS * 2));
    let mut pending_space = false;
    let mut push = |out: &mut String, c: char| {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    };
    for c in s.chars().take(MAX_CHARS) {
        for l in c.to_lowercase() {
            match fold(l) {
                Some(f) => f.chars().for_each(|fc| push(&mut out, fc)),
                None => push(&mut out, l),
            }
        }
    }
    out
}

/// True when the normalised `needle` occurs in the normalised `hay`. An empty needle never matches.
pub fn contains(hay: &str, needle: &str) -> bool {
    !needle.is_empty() && hay.contains(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_and_collapses() {
        assert_eq!(normalize("  Use   MY\tData\n"), "use my data");
    }

    #[test]
    fn folds_accents() {
        assert_eq!(normalize("Données für Straße"), "donnees fur strasse");
        assert_eq!(normalize("Æsir œuvre Øre"), "aesir oeuvre ore");
        assert_eq!(normalize("Ação"), "acao");
    }

    #[test]
    fn punctuation_becomes_space() {
        assert_eq!(normalize("l’IA — «entraîner»"), "l ia entrainer");
        assert_eq!(normalize("l'IA"), normalize("l’IA"));
        assert_eq!(normalize("KI-Training!"), "ki training");
        assert_eq!(normalize("...!!"), "");
    }

    #[test]
    fn keeps_non_latin_letters() {
        assert_eq!(normalize("Данные ИИ"), "данные ии");
    }

    #[test]
    fn cuts_long_input() {
        let long = "a".repeat(MAX_CHARS * 3);
        assert_eq!(normalize(&long).len(), MAX_CHARS);
    }

    #[test]
    fn contains_rejects_empty_needle() {
        assert!(!contains("abc", ""));
        assert!(contains("use my data", "my data"));
    }
}
