//! Minimal URL handling: split a URL into host, path and hash, and match path patterns.
//! No `url` crate (wasm size).
//!
//! The shell's URLs are `location.href`s, which the browser has already canonicalised, and the
//! background compares hosts with the browser's own parser (WHATWG URL). So `split` gives the
//! browser's answer (`hostname`, `pathname`, `hash` of `new URL(x)`) on every canonical https
//! URL, and on any other input either that same answer or `None`: where matching the browser
//! would need more of the URL standard (percent-decoding, IDNA and so punycode hosts, IPv6 and
//! IPv4 shorthands, `..` segments, backslashes, tabs, an upper-case scheme), the URL is refused
//! and nothing matches it. (No rule's host is an IP address or a punycode name: refusing those
//! costs nothing; checking them as the browser does would cost the wasm module kilobytes.)
//! `crate/tests/url_node.rs` checks this against Node's `URL` on generated inputs.

#[allow(unused_imports)]
use crate::prelude::*;

/// The parts of a URL the engine needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    /// Hostname, lowercase, without userinfo or port, as `URL.hostname`.
    pub host: String,
    /// Path, starting with `/` (`/` when empty), as `URL.pathname`.
    pub path: &'a str,
    /// Fragment without the `#` (empty when none), as `URL.hash` without its `#`.
    pub hash: &'a str,
}

/// Longest path or hash that is looked at (budget of the pattern match); a URL with a longer
/// one is refused.
const MAX_URL: usize = 4096;

/// ASCII characters (besides letters and digits) that the URL standard keeps as they are in a
/// host; any other one is refused or changed by the browser.
const HOST_CHARS: &[u8] = b"!\"$&'()*+,-.;=_`{}~";
/// ... in a path (besides letters, digits and `%`; `/` separates segments).
const PATH_CHARS: &[u8] = b"!$&'()*+,-.:;=@[]^_|~";
/// ... in a fragment: printable ASCII except these.
const HASH_ENCODED: &[u8] = b" \"<>`";

/// Splits an absolute `https://[userinfo@]host[:port][/path][?query][#hash]` URL: the browser's
/// answer, or `None` when the URL is not https, not valid, or not in a form this small parser
/// reads the way the browser does (see the module's note).
pub fn split(url: &str) -> Option<Parts<'_>> {
    // the URL standard strips leading and trailing C0 controls and spaces ...
    let b = url.as_bytes();
    let start = b.iter().position(|c| *c > b' ')?;
    let end = b.iter().rposition(|c| *c > b' ')?;
    let url = url.get(start..=end)?;
    // ... and removes tabs and newlines anywhere: refused instead
    if url.bytes().any(|c| c == b'\t' || c == b'\n' || c == b'\r') {
        return None;
    }
    // exactly `https://`, lowercase, as a canonical URL has it (`HTTPS://` is refused; the
    // browser reads `https:\\x`, `https:/x`, `https:x` and `https:///x` as other hosts)
    let rest = url.strip_prefix("https://")?;
    let auth_end = rest
        .bytes()
        .position(|c| matches!(c, b'/' | b'?' | b'#' | b'\\'))
        .unwrap_or(rest.len());
    let (authority, tail) = (rest.get(..auth_end)?, rest.get(auth_end..)?);
    // a backslash ends the authority for the browser ("evil.example\@linkedin.com")
    if auth_end == 0 || tail.starts_with('\\') {
        return None;
    }
    // userinfo ends at the last `@`
    let at = authority
        .bytes()
        .rposition(|c| c == b'@')
        .map_or(0, |i| i + 1);
    let hostport = authority.get(at..)?;
    let colon = hostport
        .bytes()
        .position(|c| c == b':')
        .unwrap_or(hostport.len());
    let (host, port) = (hostport.get(..colon)?, hostport.get(colon..)?);
    // a port: digits, at most 65535 (leading zeros allowed)
    let mut n: u32 = 0;
    for c in port.bytes().skip(1) {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.saturating_mul(10).saturating_add(u32::from(c - b'0'));
    }
    let host = host.to_ascii_lowercase();
    if n > 65535 || !domain(&host) {
        return None;
    }
    let (before_hash, hash) = tail.split_once('#').unwrap_or((tail, ""));
    let path = before_hash.split_once('?').map_or(before_hash, |(p, _)| p);
    let path = if path.is_empty() { "/" } else { path };
    if path.len() > MAX_URL
        || hash.len() > MAX_URL
        || path.split('/').any(|seg| !segment(seg.as_bytes()))
        || !hash
            .bytes()
            .all(|c| c.is_ascii_graphic() && !HASH_ENCODED.contains(&c))
    {
        return None;
    }
    Some(Parts { host, path, hash })
}

/// A path segment the URL standard keeps as it is: characters it does not percent-encode,
/// and not `.` or `..` (also as `%2e`), which it removes.
fn segment(seg: &[u8]) -> bool {
    let mut dots = 0;
    let mut i = 0;
    let mut other = false;
    while let Some(c) = seg.get(i) {
        if !(c.is_ascii_alphanumeric() || *c == b'%' || PATH_CHARS.contains(c)) {
            return false;
        }
        if *c == b'.' {
            dots += 1;
        } else if *c == b'%'
            && seg.get(i + 1) == Some(&b'2')
            && seg.get(i + 2).map(|e| e | 0x20) == Some(b'e')
        {
            dots += 1;
            i += 2;
        } else {
            other = true;
        }
        i += 1;
    }
    other || dots == 0 || dots > 2
}

/// A lowercased host that the URL standard keeps exactly as it is: ASCII letters, digits and
/// [`HOST_CHARS`] (no percent-encoding, no IPv6 brackets), no punycode label (IDNA would check
/// it), and when it ends in a number (an IPv4 address) only the canonical dotted quad.
fn domain(h: &str) -> bool {
    if h.is_empty()
        || !h
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || HOST_CHARS.contains(&c))
    {
        return false;
    }
    let (mut prev, mut last, mut quad, mut labels) = ("", "", true, 0);
    for l in h.split('.') {
        if l.starts_with("xn--") {
            return false;
        }
        // a.b.c.d, each 0..=255 without leading zeros
        quad &= (1..=3).contains(&l.len())
            && l.bytes().all(|c| c.is_ascii_digit())
            && (l == "0" || !l.starts_with('0'))
            && l.bytes().fold(0, |v, c| v * 10 + u32::from(c - b'0')) <= 255;
        labels += 1;
        (prev, last) = (last, l);
    }
    // "ends in a number" (the last label, before one trailing dot: digits, or 0x and hex
    // digits): an IPv4 address, kept as it is only in its canonical form
    let last = if last.is_empty() { prev } else { last };
    let number = (!last.is_empty() && last.bytes().all(|c| c.is_ascii_digit()))
        || last
            .strip_prefix("0x")
            .is_some_and(|x| x.bytes().all(|c| c.is_ascii_hexdigit()));
    !number || (quad && labels == 4)
}

/// One token of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Lit(char),
    /// `*`: any characters except `/`.
    Star,
    /// `**`: anything.
    Any,
}

fn tokens(pattern: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '*' {
            if chars.peek() == Some(&'*') {
                chars.next();
                out.push(Tok::Any);
            } else {
                out.push(Tok::Star);
            }
        } else {
            out.push(Tok::Lit(c));
        }
    }
    out
}

fn strip_slash(s: &str) -> &str {
    match s.strip_suffix('/') {
        Some(t) if !t.is_empty() => t,
        _ => s,
    }
}

/// Glob match with `*` (no `/`) and `**` (anything); dynamic programming, no backtracking blow-up.
fn glob(pattern: &str, text: &str) -> bool {
    let toks = tokens(strip_slash(pattern));
    let text: Vec<char> = strip_slash(text).chars().collect();
    // cur[j]: pattern prefix of length i matches text prefix of length j
    let mut cur = vec![false; text.len() + 1];
    cur[0] = true;
    for tok in &toks {
        let mut next = vec![false; text.len() + 1];
        match tok {
            Tok::Lit(c) => {
                for j in 0..text.len() {
                    next[j + 1] = cur[j] && text[j] == *c;
                }
            }
            Tok::Star | Tok::Any => {
                let mut reach = false;
                for j in 0..=text.len() {
                    reach = reach || cur[j];
                    next[j] = reach;
                    if *tok == Tok::Star && j < text.len() && text[j] == '/' {
                        reach = false;
                    }
                }
            }
        }
        cur = next;
    }
    cur[text.len()]
}

/// Whether `host` is covered by a rule's host entry: an exact hostname, or `*.example.com`
/// for any subdomain of `example.com` (not `example.com` itself).
pub fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(domain) => host
            .strip_suffix(domain)
            .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
        None => pattern == host,
    }
}

/// Whether any of `hosts` covers `host` (see [`host_matches`]).
pub fn any_host_matches(hosts: &[String], host: &str) -> bool {
    hosts.iter().any(|h| host_matches(h, host))
}

/// True when a page pattern (see the rule format) matches `path` and `hash`.
pub fn page_matches(pattern: &str, path: &str, hash: &str) -> bool {
    match pattern.split_once('#') {
        Some((p, h)) => glob(p, path) && glob(h, hash),
        None => glob(pattern, path),
    }
}

/// Checks a page pattern's syntax; `Err` holds a short lowercase message.
pub fn check_pattern(pattern: &str) -> Result<(), &'static str> {
    if !pattern.starts_with('/') {
        return Err("must start with /");
    }
    if pattern.contains("***") {
        return Err("*** is not a valid wildcard");
    }
    if pattern.contains('?') {
        return Err("must not contain a query (?)");
    }
    if pattern.chars().any(char::is_whitespace) {
        return Err("must not contain whitespace");
    }
    if pattern.matches('#').count() > 1 {
        return Err("more than one #");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_wildcards_cover_subdomains_only() {
        assert!(host_matches("x.com", "x.com"));
        assert!(!host_matches("x.com", "www.x.com"));
        assert!(host_matches("*.substack.com", "letters.substack.com"));
        assert!(host_matches("*.substack.com", "a.b.substack.com"));
        assert!(!host_matches("*.substack.com", "substack.com"));
        assert!(!host_matches("*.substack.com", "evilsubstack.com"));
        assert!(!host_matches("*.substack.com", ".substack.com"));
    }

    #[test]
    fn splits_urls() {
        let p = split("https://User@WWW.LinkedIn.com:443/a/b?x=1#frag").expect("url");
        assert_eq!(p.host, "www.linkedin.com");
        assert_eq!(p.path, "/a/b");
        assert_eq!(p.hash, "frag");
        let p = split("https://x.com").expect("url");
        assert_eq!(p.path, "/");
        assert_eq!(p.hash, "");
        let p = split("https://x.com?q#h").expect("url");
        assert_eq!((p.path, p.hash), ("/", "h"));
        assert!(split("not a url").is_none());
        assert!(split("https:///path").is_none());
        // the browser reads the backslash as a slash: the host is evil.example (refused here)
        assert!(split("https://evil.example\\@linkedin.com/").is_none());
        assert!(split("http://x.com/").is_none());
    }

    #[test]
    fn gives_the_browsers_answer_or_none() {
        let hp = |u: &str| split(u).map(|p| (p.host, p.path.to_string(), p.hash.to_string()));
        let some = |u: &str, h: &str, p: &str, f: &str| {
            assert_eq!(hp(u), Some((h.into(), p.into(), f.into())), "{u:?}");
        };
        // what `new URL(u)` gives (hostname, pathname, hash without '#')
        some(
            "https://x.substack.com:443/p#h",
            "x.substack.com",
            "/p",
            "h",
        );
        some(" \u{1}https://a.com/x \u{0}", "a.com", "/x", "");
        some("https://a@b@c.com/", "c.com", "/", "");
        some("https://a.com:0443", "a.com", "/", "");
        some("https://www.linkedin.com./", "www.linkedin.com.", "/", "");
        some(
            "https://a_b.com/x/..%2f/%41/",
            "a_b.com",
            "/x/..%2f/%41/",
            "",
        );
        some("https://1.2.3.4/", "1.2.3.4", "/", "");
        some("https://a.0xg/", "a.0xg", "/", "");
        some("https://a.com/#a#b?c", "a.com", "/", "a#b?c");
        // refused where the browser's answer differs or needs more of the standard
        for u in [
            "https://evil.example\\@linkedin.com/",
            "https://linkedin.com\\settings",
            "https:///linkedin.com/",
            "https:linkedin.com/",
            "HTTPS://linkedin.com/",
            "http://linkedin.com/",
            "\u{a0}https://linkedin.com/",
            "https://linked\tin.com/",
            "https://linkedin.com/a\nb",
            "https://%6cinkedin.com/",
            "https://xn--9ca.com/",
            "https://é.com/",
            "https://[::1]/",
            "https://1.2.3/",
            "https://0x7f.1/",
            "https://1.2.3.4./",
            "https://01.2.3.4/",
            "https://a.1/",
            "https://a.com:65536/",
            "https://a.com:4a/",
            "https://user@/",
            "https://a.com/a/%2e/b",
            "https://a.com/a/.%2E",
            "https://a.com/./b",
            "https://a.com/..",
            "https://a.com/é",
            "https://a.com/a b",
            "https://a.com/#a b",
            "https://a.com/#é",
        ] {
            assert_eq!(hp(u), None, "{u:?}");
        }
    }

    #[test]
    fn host_patterns_on_the_browsers_hostnames() {
        let host = |u: &str| split(u).map(|p| p.host).unwrap_or_default();
        let rules = ["www.linkedin.com".to_string(), "*.substack.com".to_string()];
        assert!(any_host_matches(
            &rules,
            &host("https://www.linkedin.com:443/x")
        ));
        assert!(any_host_matches(
            &rules,
            &host("https://u:p@WWW.LinkedIn.com/")
        ));
        assert!(any_host_matches(&rules, &host("https://a.substack.com/p")));
        // a trailing dot is another hostname to the browser (and its match patterns)
        assert!(!any_host_matches(
            &rules,
            &host("https://www.linkedin.com./")
        ));
        assert!(!any_host_matches(&rules, &host("https://a.substack.com./")));
        assert!(!any_host_matches(
            &rules,
            &host("https://evil.example\\@www.linkedin.com/")
        ));
        assert!(!any_host_matches(&rules, &host("https://.substack.com/")));
        assert!(!any_host_matches(
            &rules,
            &host("https://www.linkedin.com.evil.example/")
        ));
        // page patterns see the path as the browser does; `..` forms never reach them
        let p = split("https://www.linkedin.com/mypreferences/d/settings/x/").expect("url");
        assert!(page_matches("/mypreferences/d/**", p.path, p.hash));
        assert!(split("https://www.linkedin.com/feed/../mypreferences/d/settings").is_none());
        assert!(split("https://www.linkedin.com/feed/%2E%2E/mypreferences/d/x").is_none());
    }

    #[test]
    fn matches_patterns() {
        assert!(page_matches("/settings/data", "/settings/data", ""));
        assert!(page_matches(
            "/settings/data",
            "/settings/data/",
            "anything"
        ));
        assert!(page_matches("/settings/data/", "/settings/data", ""));
        assert!(!page_matches("/settings/data", "/settings/data2", ""));
        assert!(page_matches("/u/*/settings", "/u/0/settings", ""));
        assert!(!page_matches("/u/*/settings", "/u/0/1/settings", ""));
        assert!(page_matches("/u/**/settings", "/u/0/1/settings", ""));
        assert!(page_matches("/**", "/", ""));
        assert!(page_matches(
            "/**#settings/DataControls",
            "/",
            "settings/DataControls"
        ));
        assert!(page_matches(
            "/**#settings/DataControls",
            "/c/123",
            "settings/DataControls"
        ));
        assert!(page_matches("/", "/", ""));
        assert!(!page_matches("/", "/a", ""));
        assert!(page_matches("/settings#privacy", "/settings", "privacy"));
        assert!(!page_matches("/settings#privacy", "/settings", ""));
        assert!(page_matches("/settings#*/ai", "/settings", "x/ai"));
        assert!(!page_matches("/a*", "/a/b", ""));
        assert!(page_matches("/a*", "/abc", ""));
    }

    #[test]
    fn checks_patterns() {
        assert!(check_pattern("/a/**/b#c").is_ok());
        assert!(check_pattern("a").is_err());
        assert!(check_pattern("/a***").is_err());
        assert!(check_pattern("/a?b").is_err());
        assert!(check_pattern("/a#b#c").is_err());
    }

    #[test]
    fn huge_paths_are_fine() {
        let path = format!("/{}", "a/".repeat(5000));
        assert!(page_matches("/**", &path, ""));
        assert!(!page_matches("/*/*/*/*/*/*/*/*/x", &path, ""));
    }
}
