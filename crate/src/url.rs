//! Minimal URL handling: split a URL into host, path and hash, and match path patterns.
//! No `url` crate (wasm size).

#[allow(unused_imports)]
use crate::prelude::*;

/// The parts of a URL the engine needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    /// Scheme, lowercase as given (e.g. `https`).
    pub scheme: String,
    /// Hostname, lowercased, without userinfo or port.
    pub host: String,
    /// Path, starting with `/` (`/` when empty).
    pub path: &'a str,
    /// Fragment without the `#` (empty when none).
    pub hash: &'a str,
}

/// Longest URL that is looked at; longer URLs are cut (budget).
const MAX_URL: usize = 4096;

/// Splits an absolute `scheme://host[:port]/path?query#hash` URL. `None` when not absolute.
pub fn split(url: &str) -> Option<Parts<'_>> {
    let url = url.trim();
    let url = match url.char_indices().nth(MAX_URL) {
        Some((i, _)) => &url[..i],
        None => url,
    };
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(auth_end);
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if hostport.starts_with('[') {
        hostport
            .split_once(']')
            .map_or(hostport, |(h, _)| h)
            .to_string()
            + "]"
    } else {
        hostport
            .split_once(':')
            .map_or(hostport, |(h, _)| h)
            .to_string()
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    let (before_hash, hash) = tail.split_once('#').unwrap_or((tail, ""));
    let path = before_hash.split_once('?').map_or(before_hash, |(p, _)| p);
    let path = if path.is_empty() { "/" } else { path };
    Some(Parts {
        scheme: scheme.to_ascii_lowercase(),
        host,
        path,
        hash,
    })
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
