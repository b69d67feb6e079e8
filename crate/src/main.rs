//! `untrain` command line: check rules, scan saved pages, print snapshots and hosts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use untrain::{Engine, RuleSet};

const USAGE: &str = "usage:
  untrain check-rules [--dir crate/rules] [--fixtures tests/fixtures]
  untrain scan --url URL FILE.html
  untrain scan --report FILE.json
  untrain report --url URL FILE.html
  untrain snapshot --url URL FILE.html
  untrain hosts
  untrain rules-json
  untrain rules-schema
  untrain coverage [--dir crate/rules] [--check README.md | --write README.md]";

/// Markers of the generated coverage section in the README.
const START: &str = "<!-- coverage:start -->";
const END: &str = "<!-- coverage:end -->";

/// The workspace root: from the build's manifest dir when it still exists, else the cwd.
fn root() -> PathBuf {
    let built = Path::new(env!("CARGO_MANIFEST_DIR"));
    match built.parent() {
        Some(p) if built.join("rules").is_dir() => p.to_path_buf(),
        _ => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    }
}

/// Shows `p` relative to the workspace root when it is inside it.
fn shown(p: &Path, root: &Path) -> String {
    let abs = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    abs.strip_prefix(&root)
        .map(|r| r.display().to_string())
        .unwrap_or_else(|_| p.display().to_string())
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("untrain: {msg}\n{USAGE}");
    ExitCode::from(2)
}

/// `--key value` pairs and positional arguments.
type Parsed = (Vec<(String, String)>, Vec<String>);

/// Parses `--key value` options and positional arguments.
fn options(args: &[String], keys: &[&str]) -> Result<Parsed, String> {
    let mut opts = Vec::new();
    let mut pos = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(k) = a.strip_prefix("--") {
            if !keys.contains(&k) {
                return Err(format!("unknown option {a}"));
            }
            let v = it.next().ok_or_else(|| format!("{a} needs a value"))?;
            opts.push((k.to_string(), v.clone()));
        } else {
            pos.push(a.clone());
        }
    }
    Ok((opts, pos))
}

fn opt<'a>(opts: &'a [(String, String)], k: &str) -> Option<&'a str> {
    opts.iter()
        .rev()
        .find(|(key, _)| key == k)
        .map(|(_, v)| v.as_str())
}

fn read_rule_files(dir: &Path, root: &Path) -> Result<Vec<(String, String)>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .map(|t| (shown(p, root), t))
                .map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect()
}

fn check_rules(args: &[String]) -> ExitCode {
    let (opts, pos) = match options(args, &["dir", "fixtures"]) {
        Ok(v) => v,
        Err(e) => return usage(&e),
    };
    if !pos.is_empty() {
        return usage("check-rules takes no positional arguments");
    }
    let root = root();
    let dir = opt(&opts, "dir").map_or_else(|| root.join("crate/rules"), PathBuf::from);
    let fixtures =
        opt(&opts, "fixtures").map_or_else(|| root.join("tests/fixtures"), PathBuf::from);
    let files = match read_rule_files(&dir, &root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("untrain: {e}");
            return ExitCode::from(1);
        }
    };
    let sets = match Engine::load_toml(&files) {
        Ok(s) => s,
        Err(errs) => {
            for e in &errs {
                eprintln!("{e}");
            }
            eprintln!("{} error(s)", errs.len());
            return ExitCode::from(1);
        }
    };
    let mut missing = Vec::new();
    let (mut n_settings, mut n_fixtures) = (0, 0);
    for ((file, _), set) in files.iter().zip(&sets) {
        let fx: usize = set.settings.iter().map(|s| s.fixtures.len()).sum();
        for s in &set.settings {
            for (i, f) in s.fixtures.iter().enumerate() {
                if !fixtures.join(&f.file).is_file() {
                    missing.push(format!(
                        "{file}: {}: fixture[{i}].file: {} does not exist",
                        s.id,
                        shown(&fixtures.join(&f.file), &root)
                    ));
                }
            }
        }
        n_settings += set.settings.len();
        n_fixtures += fx;
        let ns = set.settings.len();
        println!(
            "ok {} ({} setting{}, {} fixture{})",
            set.platform,
            ns,
            if ns == 1 { "" } else { "s" },
            fx,
            if fx == 1 { "" } else { "s" }
        );
    }
    if !missing.is_empty() {
        for m in &missing {
            eprintln!("{m}");
        }
        eprintln!("{} error(s)", missing.len());
        return ExitCode::from(1);
    }
    println!(
        "total: {} platforms, {} settings, {} fixtures",
        sets.len(),
        n_settings,
        n_fixtures
    );
    ExitCode::SUCCESS
}

/// Order of languages in the table: the seven of the issue first, then the rest.
fn lang_rank(l: &str) -> (usize, String) {
    let seven = ["en", "de", "fr", "es", "pt", "it", "nl"];
    (
        seven.iter().position(|x| *x == l).unwrap_or(seven.len()),
        l.to_string(),
    )
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The generated coverage section (without the markers): a Markdown table, one row a setting.
fn coverage_table(sets: &[RuleSet]) -> String {
    use untrain::rule::model::Automation;
    let mut out = String::from(
        "| Platform | Setting | Automation | Languages | Regions | Confidence | Evidence |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let (mut auto, mut guided, mut safe) = (0, 0, 0);
    let mut by_evidence: Vec<(String, usize)> = Vec::new();
    for set in sets {
        for s in &set.settings {
            let level = match s.automation {
                Automation::Automatic => {
                    auto += 1;
                    "automatic"
                }
                Automation::Guided => {
                    guided += 1;
                    "guided"
                }
                Automation::SafeByDefault => {
                    safe += 1;
                    "safe by default"
                }
            };
            let mut langs: Vec<&String> = s
                .labels
                .keys()
                .chain(s.instructions.keys())
                .chain(s.prepared_text.keys())
                .collect();
            langs.sort_by_key(|l| lang_rank(l));
            langs.dedup();
            let langs: Vec<&str> = langs.iter().map(|l| l.as_str()).collect();
            let regions = if s.regions.is_empty() {
                "all".to_string()
            } else {
                s.regions.join("; ")
            };
            let conf = format!("{:?}", s.confidence.unwrap_or(set.confidence)).to_lowercase();
            let evidence = s.evidence.map_or("not stated".to_string(), |e| {
                format!("{e:?}").to_lowercase()
            });
            match by_evidence.iter_mut().find(|(e, _)| *e == evidence) {
                Some((_, n)) => *n += 1,
                None => by_evidence.push((evidence.clone(), 1)),
            }
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                cell(&set.name),
                cell(&s.title),
                level,
                langs.join(", "),
                cell(&regions),
                conf,
                evidence
            ));
        }
    }
    let n: usize = sets.iter().map(|s| s.settings.len()).sum();
    let order = [
        "confirmed",
        "plausible",
        "inferred",
        "mismatch",
        "not stated",
    ];
    by_evidence.sort_by_key(|(e, _)| order.iter().position(|o| o == e));
    let evidence: Vec<String> = by_evidence
        .iter()
        .map(|(e, k)| format!("{k} {e}"))
        .collect();
    out.push_str(&format!(
        "\n{} platforms, {n} settings: {auto} automatic, {guided} guided, {safe} safe by default; \
         evidence: {}. Generated by `untrain coverage --write README.md` from `crate/rules/*.toml`.\n",
        sets.len(),
        evidence.join(", ")
    ));
    out
}

/// The README text with the coverage section replaced, or an error when a marker is missing.
fn with_section(readme: &str, table: &str) -> Result<String, String> {
    let a = readme
        .find(START)
        .ok_or_else(|| format!("no {START} marker"))?;
    let b = readme
        .get(a..)
        .and_then(|r| r.find(END))
        .map(|i| a + i)
        .ok_or_else(|| format!("no {END} marker after {START}"))?;
    Ok(format!(
        "{}{START}\n{table}{END}{}",
        readme.get(..a).unwrap_or(""),
        readme.get(b + END.len()..).unwrap_or("")
    ))
}

fn coverage(args: &[String]) -> ExitCode {
    let (opts, pos) = match options(args, &["dir", "check", "write"]) {
        Ok(v) => v,
        Err(e) => return usage(&e),
    };
    if !pos.is_empty() {
        return usage("coverage takes no positional arguments");
    }
    if opt(&opts, "check").is_some() && opt(&opts, "write").is_some() {
        return usage("use --check or --write, not both");
    }
    let root = root();
    let dir = opt(&opts, "dir").map_or_else(|| root.join("crate/rules"), PathBuf::from);
    let sets = match read_rule_files(&dir, &root).map(|f| Engine::load_toml(&f)) {
        Ok(Ok(s)) => s,
        Ok(Err(errs)) => {
            for e in &errs {
                eprintln!("{e}");
            }
            eprintln!("{} error(s)", errs.len());
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("untrain: {e}");
            return ExitCode::from(1);
        }
    };
    let table = coverage_table(&sets);
    let Some(file) = opt(&opts, "check").or(opt(&opts, "write")) else {
        print!("{table}");
        return ExitCode::SUCCESS;
    };
    let readme = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("untrain: {file}: {e}");
            return ExitCode::from(1);
        }
    };
    let updated = match with_section(&readme, &table) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("untrain: {file}: {e}");
            return ExitCode::from(1);
        }
    };
    if opt(&opts, "check").is_some() {
        if updated == readme {
            println!("{file}: coverage table is current");
            ExitCode::SUCCESS
        } else {
            eprintln!(
                "{file}: the coverage table between {START} and {END} is out of date; \
                 run `cargo run -p untrain -- coverage --write {file}`"
            );
            ExitCode::from(1)
        }
    } else if updated == readme {
        println!("{file}: coverage table already current");
        ExitCode::SUCCESS
    } else {
        match std::fs::write(file, updated) {
            Ok(()) => {
                println!("{file}: coverage table updated");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("untrain: {file}: {e}");
                ExitCode::from(1)
            }
        }
    }
}

fn page(args: &[String]) -> Result<(String, String), ExitCode> {
    let (opts, pos) = options(args, &["url"]).map_err(|e| usage(&e))?;
    let url = opt(&opts, "url").ok_or_else(|| usage("--url is required"))?;
    let [file] = pos.as_slice() else {
        return Err(usage("exactly one FILE.html is required"));
    };
    let html = std::fs::read_to_string(file).map_err(|e| {
        eprintln!("untrain: {file}: {e}");
        ExitCode::from(1)
    })?;
    Ok((url.to_string(), html))
}

fn print_json<T: serde::Serialize>(v: &T) -> ExitCode {
    match serde_json::to_string_pretty(v) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("untrain: {e}");
            ExitCode::from(1)
        }
    }
}

/// `untrain scan --report FILE.json`: replays a page report; exit 0 when every setting answers
/// as it did on the page, 3 when one answers otherwise (the rules changed since), 1 on a bad file.
fn scan_report(args: &[String]) -> ExitCode {
    let [file] = args else {
        return usage("scan --report takes exactly one FILE.json");
    };
    let report: untrain::Report = match std::fs::read_to_string(file)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("untrain: {file}: not a page report: {e}");
            return ExitCode::from(1);
        }
    };
    if report.untrain_report != untrain::engine::REPORT_FORMAT {
        eprintln!(
            "untrain: {file}: report format {} (this untrain reads {})",
            report.untrain_report,
            untrain::engine::REPORT_FORMAT
        );
        return ExitCode::from(1);
    }
    match engine() {
        Ok(eng) => {
            let r = untrain::replay::replay(&eng, &report);
            r.lines.iter().for_each(|l| println!("{l}"));
            if r.same {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            }
        }
        Err(c) => c,
    }
}

fn engine() -> Result<Engine, ExitCode> {
    Engine::embedded().map_err(|e| {
        eprintln!("untrain: {e}");
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        return usage("missing command");
    };
    match cmd.as_str() {
        "check-rules" => check_rules(rest),
        "coverage" => coverage(rest),
        "scan" if rest.first().is_some_and(|a| a == "--report") => scan_report(&rest[1..]),
        "scan" => match (page(rest), engine()) {
            (Ok((url, html)), Ok(eng)) => {
                print_json(&eng.evaluate(&untrain::harvest::harvest(&html, &url)))
            }
            (Err(c), _) | (_, Err(c)) => c,
        },
        // a page report of a saved page, as the extension makes it (masked; docs/rules.md)
        "report" => match (page(rest), engine()) {
            (Ok((url, html)), Ok(eng)) => {
                print_json(&eng.report(&untrain::harvest::harvest(&html, &url)))
            }
            (Err(c), _) | (_, Err(c)) => c,
        },
        "snapshot" => match page(rest) {
            Ok((url, html)) => print_json(&untrain::harvest::harvest(&html, &url)),
            Err(c) => c,
        },
        "hosts" => {
            if !rest.is_empty() {
                return usage("hosts takes no arguments");
            }
            match engine() {
                Ok(eng) => {
                    eng.rule_sets()
                        .iter()
                        .flat_map(|s: &RuleSet| s.hosts.iter())
                        .for_each(|h| println!("{h}"));
                    ExitCode::SUCCESS
                }
                Err(c) => c,
            }
        }
        // the validated rules as build.rs wrote them: build.sh packages them as rules.json
        "rules-json" => {
            if !rest.is_empty() {
                return usage("rules-json takes no arguments");
            }
            print!("{}", untrain::EMBEDDED_RULES);
            ExitCode::SUCCESS
        }
        // the JSON Schema of a rule file: docs/rules.schema.json
        "rules-schema" => {
            if !rest.is_empty() {
                return usage("rules-schema takes no arguments");
            }
            print!("{}", untrain_model::rule::schema::rule_schema());
            ExitCode::SUCCESS
        }
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        other => usage(&format!("unknown command {other}")),
    }
}
