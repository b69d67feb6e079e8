//! `url::split` against the browser's URL parser (WHATWG URL, as Node's `URL`), over thousands
//! of generated inputs built from tricky pieces (schemes, backslashes, `@`, ports, `%2e`, dots,
//! tabs, unicode and punycode hosts, IPv4 and IPv6, queries, hashes, the platforms' hosts):
//!
//! 1. whenever `split` answers, Node parses the input as https with the same hostname,
//!    pathname and hash (without `#`);
//! 2. for every input Node parses as https, `split` on Node's own `href` (the canonical URL a
//!    page's `location.href` is) answers, with Node's hostname, pathname and hash, except for
//!    IPv6 and punycode (IDNA) hosts, which `split` refuses by design (no rule host is one; see
//!    src/url.rs).
//!
//! Runs one `node` process (`node -e`, lines of JSON on stdin). Skipped, with a note, only when
//! `node` is not installed.

use crate::common;

use crate::common::Rng;
use std::io::Write;
use std::process::{Command, Stdio};
use untrain::url::split;

const SCHEMES: &[&str] = &[
    "https://",
    "https://",
    "https://",
    "https://",
    "https://",
    "HTTPS://",
    "hTTps://",
    "https:",
    "https:/",
    "https:\\\\",
    "https:///",
    "https:\\/",
    "https:/\\",
    "http://",
    "wss://",
    "ftp://",
    "foo://",
    "file://",
    "https//",
    "",
];
const USERINFO: &[&str] = &[
    "",
    "",
    "",
    "",
    "",
    "user@",
    "u:p@",
    "a@b@",
    "evil.example\\@",
    "@",
    "x:y:z@",
    "%40@",
    "é@",
    "a/b@",
    "a?b@",
    "a#b@",
];
const HOSTS: &[&str] = &[
    "www.linkedin.com",
    "linkedin.com",
    "WWW.LinkedIn.COM",
    "x.substack.com",
    "a.b.substack.com",
    "substack.com",
    ".substack.com",
    "substack.com.",
    "evil.example",
    "www.linkedin.com.",
    "www.linkedin.com..",
    "chatgpt.com",
    "studio.youtube.com",
    "1.2.3.4",
    "1.2.3",
    "0x7f.1",
    "127.0.0.1",
    "01.2.3.4",
    "1.2.3.256",
    "4294967295",
    "[::1]",
    "[0:0::1]",
    "[1:0:0:2:0:0:0:3]",
    "[::ffff:1.2.3.4]",
    "[A::B]",
    "é.com",
    "Straße.de",
    "xn--9ca.com",
    "XN--9CA.com",
    "xn--a.com",
    "%6cinkedin.com",
    "a%2ecom",
    "a_b.com",
    "a!b.com",
    "a{b}.com",
    "a..b.com",
    "",
    ".",
    "a.1",
    "a.0x",
    "a.0xg",
    "a.09",
    "exa mple.com",
    "a<b.com",
    "a^b.com",
    "a|b.com",
    "-a-.com",
];
const LABELS: &[&str] = &[
    "www", "a", "x", "substack", "linkedin", "com", "1", "0x1", "xn--ls8h", "É", "_", "-",
];
const PORTS: &[&str] = &[
    "",
    "",
    "",
    "",
    ":",
    ":443",
    ":0443",
    ":65535",
    ":65536",
    ":4a",
    ":99999999999",
    ": 1",
    ":-1",
];
const SEGMENTS: &[&str] = &[
    "mypreferences",
    "d",
    "settings",
    "data-for-ai-improvement",
    "privacy",
    "",
    ".",
    "..",
    "%2e",
    "%2E",
    "%2e%2E",
    ".%2e",
    "%2e.",
    "..%2f",
    "...",
    "a b",
    "é",
    "%41",
    "%zz",
    "%",
    "x\\y",
    "~u",
    "a|b",
    "{x}",
    "`",
    "^",
    "'",
    "\"",
    "<>",
    "@",
    ":",
    "[x]",
    "!$&()*+,;=",
];
const QUERIES: &[&str] = &[
    "", "", "", "?", "?a=b", "?x#", "?é", "?\\a", "?a b", "?/../",
];
const HASHES: &[&str] = &[
    "",
    "",
    "",
    "#",
    "#settings/DataControls",
    "#settings",
    "#a b",
    "#é",
    "#a#b",
    "#`",
    "#%2e",
    "#<x>",
    "#\"q\"",
    "#?x/y",
    "#\\",
];
const NOISE: &[&str] = &[
    "\t", "\n", "\r", " ", "\u{0}", "\u{1f}", "\u{a0}", "\u{200b}",
];

fn host(r: &mut Rng) -> String {
    if r.chance(75) {
        return r.pick(HOSTS).to_string();
    }
    let n = 1 + r.below(4);
    let labels: Vec<&str> = (0..n).map(|_| r.pick(LABELS)).collect();
    labels.join(".")
}

fn input(r: &mut Rng) -> String {
    let mut s = String::new();
    s.push_str(if r.chance(50) {
        "https://"
    } else {
        r.pick(SCHEMES)
    });
    s.push_str(r.pick(USERINFO));
    s.push_str(&host(r));
    s.push_str(r.pick(PORTS));
    if !r.chance(10) {
        let n = r.below(5);
        for _ in 0..n {
            s.push(if r.chance(10) { '\\' } else { '/' });
            s.push_str(if r.chance(50) {
                r.pick(&SEGMENTS[..5])
            } else {
                r.pick(SEGMENTS)
            });
        }
        if r.chance(20) {
            s.push('/');
        }
    }
    s.push_str(r.pick(QUERIES));
    s.push_str(r.pick(HASHES));
    // stray whitespace or controls at either end or inside
    if r.chance(12) {
        let c = r.pick(NOISE);
        let at = r.below(s.len() + 1);
        if s.is_char_boundary(at) {
            s.insert_str(at, c);
        }
    }
    if r.chance(6) {
        s.insert_str(0, r.pick(NOISE));
    }
    if r.chance(6) {
        s.push_str(r.pick(NOISE));
    }
    s
}

/// Node's reading of each input and of its `href`: `[parse(x), parse(parse(x).href)]`, each
/// null or `{ host, pathname, hash, href, protocol }`.
const SCRIPT: &str = r#"
const p = (s) => {
  try {
    const u = new URL(s);
    return { host: u.hostname, pathname: u.pathname, hash: u.hash, href: u.href, protocol: u.protocol };
  } catch (e) {
    return null;
  }
};
const out = [];
const rl = require('readline').createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (l) => {
  const a = p(JSON.parse(l));
  out.push(JSON.stringify([a, a && p(a.href)]));
});
rl.on('close', () => process.stdout.write(out.join('\n') + '\n'));
"#;

type Answer = Option<(String, String, String)>;

fn ours(u: &str) -> Answer {
    split(u).map(|p| (p.host, p.path.to_string(), p.hash.to_string()))
}

fn node_answer(v: &serde_json::Value) -> Option<(Answer, String, String)> {
    if v.is_null() {
        return None;
    }
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    let hash = s("hash");
    let hash = hash.strip_prefix('#').unwrap_or(&hash).to_string();
    Some((
        Some((s("host"), s("pathname"), hash)),
        s("href"),
        s("protocol"),
    ))
}

fn run_node(inputs: &[String]) -> Option<Vec<serde_json::Value>> {
    let mut child = match Command::new("node")
        .arg("-e")
        .arg(SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("node: {e}"),
    };
    let mut stdin = child.stdin.take().expect("stdin");
    let lines: String = inputs
        .iter()
        .map(|x| serde_json::to_string(x).expect("json") + "\n")
        .collect();
    let writer = std::thread::spawn(move || {
        stdin.write_all(lines.as_bytes()).expect("write to node");
    });
    let out = child.wait_with_output().expect("node output");
    writer.join().expect("writer");
    assert!(out.status.success(), "node failed: {:?}", out.status);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    Some(
        text.lines()
            .map(|l| serde_json::from_str(l).expect("node json"))
            .collect(),
    )
}

/// Hosts `split` refuses by design even in canonical form: IPv6 and punycode names.
fn refused_by_design(host: &str) -> bool {
    host.starts_with('[') || host.split('.').any(|l| l.starts_with("xn--"))
}

#[test]
fn split_agrees_with_nodes_url() {
    let mut r = Rng(0x005E_ED0F_0DD5_u64);
    let mut inputs: Vec<String> = (0..30_000).map(|_| input(&mut r)).collect();
    // the review's example, and every rule's settings and form URLs
    inputs.push("https://evil.example\\@linkedin.com/".into());
    let sets = untrain::Engine::load_toml(&common::rule_files()).expect("rules");
    for s in sets.iter().flat_map(|set| &set.settings) {
        inputs.push(s.settings_url.clone());
        inputs.extend(s.form_url.clone());
        inputs.extend(s.fixtures.iter().map(|f| f.url.clone()));
    }
    let Some(node) = run_node(&inputs) else {
        eprintln!("note: node is not installed; url_node.rs skipped");
        return;
    };
    assert_eq!(node.len(), inputs.len(), "one answer per input");
    let (mut answered, mut canonical, mut by_design) = (0, 0, 0);
    let mut failures = Vec::new();
    for (x, v) in inputs.iter().zip(&node) {
        let first = node_answer(&v[0]);
        // 1. an answer of ours is the browser's
        if let Some(got) = ours(x) {
            answered += 1;
            match &first {
                Some((want, _, proto)) if proto == "https:" && *want == Some(got.clone()) => {}
                other => failures.push(format!("{x:?}: ours {got:?}, node {other:?}")),
            }
        }
        // 2. on the canonical URL (Node's href) of every https input, ours is the browser's
        if let Some((_, href, proto)) = &first {
            if proto != "https:" {
                continue;
            }
            let Some((want, _, _)) = node_answer(&v[1]) else {
                failures.push(format!("{x:?}: node does not parse its own href {href:?}"));
                continue;
            };
            let host = want.as_ref().map(|w| w.0.clone()).unwrap_or_default();
            if refused_by_design(&host) {
                by_design += 1;
                if ours(href).is_some() {
                    failures.push(format!("{href:?}: answered (IPv6/punycode are refused)"));
                }
                continue;
            }
            canonical += 1;
            if ours(href) != want {
                failures.push(format!(
                    "href {href:?} (of {x:?}): ours {:?}, node {want:?}",
                    ours(href)
                ));
            }
        }
    }
    eprintln!(
        "{} inputs: ours answered {answered}; {canonical} canonical https hrefs agreed; \
         {by_design} IPv6/punycode hrefs refused by design",
        inputs.len()
    );
    failures.truncate(40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // not vacuous
    assert!(answered > 2_000, "{answered}");
    assert!(canonical > 10_000, "{canonical}");
}

/// The review's example: the browser's host of `https://evil.example\@www.linkedin.com/...` is
/// `evil.example`, so the engine must not take it for a LinkedIn page (nor a settings page).
#[test]
fn a_backslash_before_the_at_sign_is_not_the_platforms_host() {
    let e = untrain::Engine::embedded().expect("engine");
    let path = "/mypreferences/d/settings/data-for-ai-improvement";
    assert!(e
        .classify(&format!("https://www.linkedin.com{path}"))
        .is_some());
    for u in [
        format!("https://evil.example\\@www.linkedin.com{path}"),
        format!("https://evil.example\\\\@www.linkedin.com{path}"),
        format!("https:\\\\evil.example\\@www.linkedin.com{path}"),
    ] {
        assert!(e.classify(&u).is_none(), "{u}");
        let snap = untrain::Snapshot {
            url: u.clone(),
            ..untrain::Snapshot::default()
        };
        assert_eq!(e.evaluate(&snap).platform, "", "{u}");
    }
}
