//! Text normalisation for matching: lowercase, fold Latin accents and typographic
//! punctuation, turn punctuation into spaces and collapse whitespace.

#[allow(unused_imports)]
use crate::prelude::*;

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

/// The irregular upper-case letters of Latin Extended-B and Greek: (upper, lower).
const IRREGULAR: &[(u16, u16)] = &[
    (0x181, 0x253),
    (0x182, 0x183),
    (0x184, 0x185),
    (0x186, 0x254),
    (0x187, 0x188),
    (0x189, 0x256),
    (0x18a, 0x257),
    (0x18b, 0x18c),
    (0x18e, 0x1dd),
    (0x18f, 0x259),
    (0x190, 0x25b),
    (0x191, 0x192),
    (0x193, 0x260),
    (0x194, 0x263),
    (0x196, 0x269),
    (0x197, 0x268),
    (0x198, 0x199),
    (0x19c, 0x26f),
    (0x19d, 0x272),
    (0x19f, 0x275),
    (0x1a0, 0x1a1),
    (0x1a2, 0x1a3),
    (0x1a4, 0x1a5),
    (0x1a6, 0x280),
    (0x1a7, 0x1a8),
    (0x1a9, 0x283),
    (0x1ac, 0x1ad),
    (0x1ae, 0x288),
    (0x1af, 0x1b0),
    (0x1b1, 0x28a),
    (0x1b2, 0x28b),
    (0x1b3, 0x1b4),
    (0x1b5, 0x1b6),
    (0x1b7, 0x292),
    (0x1b8, 0x1b9),
    (0x1bc, 0x1bd),
    (0x1c4, 0x1c6),
    (0x1c5, 0x1c6),
    (0x1c7, 0x1c9),
    (0x1c8, 0x1c9),
    (0x1ca, 0x1cc),
    (0x1cb, 0x1cc),
    (0x1f1, 0x1f3),
    (0x1f2, 0x1f3),
    (0x1f4, 0x1f5),
    (0x1f6, 0x195),
    (0x1f7, 0x1bf),
    (0x220, 0x19e),
    (0x23a, 0x2c65),
    (0x23b, 0x23c),
    (0x23d, 0x19a),
    (0x23e, 0x2c66),
    (0x241, 0x242),
    (0x243, 0x180),
    (0x244, 0x289),
    (0x245, 0x28c),
    (0x370, 0x371),
    (0x372, 0x373),
    (0x376, 0x377),
    (0x37f, 0x3f3),
    (0x3cf, 0x3d7),
    (0x3f4, 0x3b8),
    (0x3f7, 0x3f8),
    (0x3f9, 0x3f2),
    (0x3fa, 0x3fb),
    (0x3fd, 0x37b),
    (0x3fe, 0x37c),
    (0x3ff, 0x37d),
];

/// Lowercase of `c` for the scripts rules and keywords are written in: Latin (with its
/// extensions), Greek, Cyrillic and fullwidth Latin. Other characters stay as they are.
/// Equal to `char::to_lowercase` on those blocks (a test checks every character) except
/// `İ` (U+0130), which becomes `i` instead of `i` plus a combining dot. Not `to_lowercase`
/// itself: its Unicode-wide table was 12 KB of the wasm module.
pub fn lower(c: char) -> char {
    let u = c as u32;
    let odd_upper = |u: u32| if u & 1 == 1 { u + 1 } else { u };
    let l = match u {
        0x41..=0x5a | 0xc0..=0xd6 | 0xd8..=0xde => u + 0x20,
        0x100..=0x12f | 0x132..=0x137 | 0x14a..=0x177 => u | 1,
        0x130 => 0x69,
        0x139..=0x148 | 0x179..=0x17e => odd_upper(u),
        0x178 => 0xff,
        0x1cd..=0x1dc => odd_upper(u),
        0x1de..=0x1ef | 0x1f8..=0x21f | 0x222..=0x233 | 0x246..=0x24f => u | 1,
        0x386 => 0x3ac,
        0x388..=0x38a => u + 37,
        0x38c => 0x3cc,
        0x38e..=0x38f => u + 63,
        0x391..=0x3a1 | 0x3a3..=0x3ab => u + 0x20,
        0x400..=0x40f => u + 0x50,
        0x410..=0x42f => u + 0x20,
        0x460..=0x481 | 0x48a..=0x4bf | 0x4d0..=0x52f => u | 1,
        0x4c0 => 0x4cf,
        0x4c1..=0x4ce => odd_upper(u),
        0x3d8..=0x3ef => u | 1,
        0x1e00..=0x1e95 | 0x1ea0..=0x1eff => u | 1,
        0x1e9e => 0xdf,
        0xff21..=0xff3a => u + 0x20,
        0x180..=0x3ff => IRREGULAR
            .iter()
            .find(|(up, _)| u32::from(*up) == u)
            .map_or(u, |(_, lo)| u32::from(*lo)),
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
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
        let l = lower(c);
        match fold(l) {
            Some(f) => f.chars().for_each(|fc| push(&mut out, fc)),
            None => push(&mut out, l),
        }
    }
    out
}

/// True when the normalised `needle` occurs in the normalised `hay`. An empty needle never matches.
pub fn contains(hay: &str, needle: &str) -> bool {
    !needle.is_empty() && hay.contains(needle)
}

/// Where the normalised `hay` holds `stem` at a word start (and, for a stem ending in `$`, as
/// a whole word): the byte offset of the first such place. `train` is found in "use my data for
/// training" (at 16), not in "restrain"; `ai$` in "l ai" but not in "aim"; a stem may span
/// words ("fine tun"). An empty stem is never found.
pub fn find_stem(hay: &str, stem: &str) -> Option<usize> {
    let (stem, whole) = match stem.strip_suffix('$') {
        Some(s) => (s, true),
        None => (stem, false),
    };
    if stem.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.find(stem)) {
        let at = from + i;
        let end = at + stem.len();
        let start_ok = at == 0 || hay.as_bytes().get(at - 1) == Some(&b' ');
        let end_ok = !whole || end == hay.len() || hay.as_bytes().get(end) == Some(&b' ');
        if start_ok && end_ok {
            return Some(at);
        }
        from = at + 1;
        while !hay.is_char_boundary(from) && from < hay.len() {
            from += 1;
        }
    }
    None
}

/// True when the normalised `hay` holds `stem` at a word start (see [`find_stem`]).
pub fn has_stem(hay: &str, stem: &str) -> bool {
    find_stem(hay, stem).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_is_unicode_lowercase_on_the_scripts_it_covers() {
        let blocks = [0..=0x52f_u32, 0x1e00..=0x1eff, 0xff00..=0xffef];
        let mut checked = 0;
        for u in blocks.into_iter().flatten() {
            let Some(c) = char::from_u32(u) else { continue };
            if u == 0x130 {
                assert_eq!(lower(c), 'i');
                continue;
            }
            let std: String = c.to_lowercase().collect();
            assert_eq!(lower(c).to_string(), std, "U+{u:04X}");
            checked += 1;
        }
        assert!(checked > 1500);
        // other scripts are left alone
        assert_eq!(lower('Ա'), 'Ա');
    }

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
