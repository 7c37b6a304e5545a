//! The bad-input corpus: tests/corpus/<group>/<NNN-name>/, one folder a case (the format is in
//! tests/corpus/README.md).
//!
//! Each group runs on one copy of the default report (with the group's `_base/` written over
//! it) that already holds a good PDF. For each case the runner writes the case's files, edits,
//! generated files and special files, runs `baocao check` and `baocao build`, then puts the
//! folder back. Both runs must fail with exit code 1 (not a panic's 101, not killed), within a
//! time limit, print a `lỗi:` line, point where `case.yaml` says, print no untranslated
//! English, leave the PDF byte-identical and leave no file behind; the whole output must equal
//! the case's `expected.txt` (`BAOCAO_BLESS=1` rewrites it; the other checks still apply).
//! Each group prints its counts (`cargo test --test cli corpus -- --nocapture`).

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::fixture::*;
use crate::snapshot;

/// A run that takes longer than this is a failure (a hang or a quadratic blow-up).
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// The groups, each run by its own test below (in parallel).
const GROUPS: [&str; 6] = [
    "bao-cao",
    "bieu",
    "chi-tieu",
    "nhi-phan",
    "so-lieu",
    "tep-dac-biet",
];

/// A group's files written over the report before its good PDF is built.
const BASE: &str = "_base";

/// A complete, valid bao-cao.yaml of the corpus's own (so that the cases do not depend on the
/// repository's metadata): one period, 6-thang. The `bao-cao` group's base; other tests use it.
pub const VALID_META: &str = include_str!("../corpus/bao-cao/_base/data/bao-cao.yaml");
const SPEC: &str = "case.yaml";
const EXPECTED: &str = "expected.txt";

fn corpus_dir() -> PathBuf {
    repo().join("tests/corpus")
}

/// `case.yaml`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Spec {
    /// What the case is, in the words of the report's users.
    title: String,
    /// Where the message must point (see [`At`]).
    at: String,
    /// Arguments after `check` / `build`.
    #[serde(default)]
    args: Vec<String>,
    /// Text replacements in files of the report, after the case's files are written.
    #[serde(default)]
    edit: Vec<Edit>,
    /// Files produced by a generator of this runner: path -> `name arguments…`.
    #[serde(default)]
    generate: BTreeMap<String, String>,
    /// What is not a file: path -> `removed`, `folder`, `pipe` or `link TARGET`.
    #[serde(default)]
    special: BTreeMap<String, String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    /// Replaced once; must be in the file (a stale case fails).
    from: String,
    to: String,
}

/// Where the message must point.
#[derive(Debug)]
enum At {
    /// `file:N`: `--> file:N` or `--> file:N:col`
    Line(String, usize),
    /// `file`: `--> file` with no line (the whole file is at fault)
    File(String),
    /// `file:?`: `--> file:<some line>`
    AnyLine(String),
    /// `named file`: a `lỗi:` line names the file (an I/O error names its path in the text)
    Named(String),
}

impl At {
    fn parse(s: &str) -> Result<At, String> {
        if let Some(f) = s.strip_prefix("named ") {
            return Ok(At::Named(f.to_string()));
        }
        Ok(match s.rsplit_once(':') {
            Some((f, "?")) => At::AnyLine(f.to_string()),
            Some((f, line)) => At::Line(
                f.to_string(),
                line.parse().map_err(|_| format!("bad `at: {s}`"))?,
            ),
            None => At::File(s.to_string()),
        })
    }

    fn found_in(&self, stderr: &str) -> bool {
        match self {
            At::Line(f, l) => stderr.lines().any(|x| {
                let x = x.trim();
                x == format!("--> {f}:{l}") || x.starts_with(&format!("--> {f}:{l}:"))
            }),
            At::File(f) => stderr.lines().any(|x| x.trim() == format!("--> {f}")),
            At::AnyLine(f) => stderr.contains(&format!("--> {f}:")),
            At::Named(f) => stderr
                .lines()
                .any(|l| l.starts_with("lỗi: ") && l.contains(f.as_str())),
        }
    }
}

/// One case folder, read.
struct Case {
    /// `<group>/<folder>`
    name: String,
    dir: PathBuf,
    spec: Spec,
    at: At,
    /// The files of the folder other than case.yaml and expected.txt, relative to it.
    files: Vec<PathBuf>,
}

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = vec![];
    if dir.is_dir() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

/// The case folders of a group, sorted by name.
fn case_dirs(group: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir().join(group))
        .unwrap_or_else(|e| panic!("tests/corpus/{group}: {e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.ends_with(BASE))
        .collect();
    dirs.sort();
    dirs
}

fn load(group: &str, dir: &Path) -> Result<Case, String> {
    let name = format!("{group}/{}", dir.file_name().unwrap().to_string_lossy());
    let text =
        std::fs::read_to_string(dir.join(SPEC)).map_err(|e| format!("{name}/{SPEC}: {e}"))?;
    let spec: Spec = serde_yaml::from_str(&text).map_err(|e| format!("{name}/{SPEC}: {e}"))?;
    let at = At::parse(&spec.at).map_err(|e| format!("{name}: {e}"))?;
    let files = files_under(dir)
        .into_iter()
        .filter(|p| p != Path::new(SPEC) && p != Path::new(EXPECTED))
        .collect();
    Ok(Case {
        name,
        dir: dir.to_path_buf(),
        spec,
        at,
        files,
    })
}

// ---------------------------------------------------------------------------------------------
// Generated and special files

/// The bytes of a generated file: inputs too big or too unreadable to keep in the repository.
fn generate(spec: &str) -> Result<Vec<u8>, String> {
    let words: Vec<&str> = spec.split_whitespace().collect();
    let num = |i: usize| -> Result<usize, String> {
        words
            .get(i)
            .and_then(|w| w.parse().ok())
            .ok_or_else(|| format!("generator `{spec}`: argument {i} must be a number"))
    };
    let text = match words.first().copied() {
        // A fixed pseudo-random stream (xorshift), the same on every run.
        Some("noise") => {
            let mut x: u32 = 0x2024_0531;
            return Ok((0..num(1)?)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    (x >> 24) as u8
                })
                .collect());
        }
        // `# xxx…` of N characters: a file over the size limit.
        Some("big-comment") => format!("# {}\n", "x".repeat(num(1)?)),
        // `KEY: [[[…]]]`, N levels
        Some("nested-brackets") => {
            let n = num(2)?;
            format!("{}: {}{}\n", words[1], "[".repeat(n), "]".repeat(n))
        }
        // `KEY: {a: {a: … 1}}`, N levels
        Some("nested-maps") => {
            let n = num(2)?;
            format!("{}: {}1{}\n", words[1], "{a: ".repeat(n), "}".repeat(n))
        }
        // `chi_tieu:` and N maps nested by indentation
        Some("deep-indent") => {
            let mut s = String::from("chi_tieu:\n");
            for i in 0..num(1)? {
                s.push_str(&format!("{}k{i}:\n", "  ".repeat(i + 1)));
            }
            s
        }
        // N invalid figure keys `K0: 0`, `K1: 1`, …
        Some("many-bad-keys") => (0..num(1)?).map(|i| format!("K{i}: {i}\n")).collect(),
        // a bieu.yaml naming N indicators that do not exist
        Some("many-unknown-ids") => format!(
            "nhom:\n  - ten: Nhóm\n    chi_tieu:\n{}",
            (0..num(1)?)
                .map(|i| format!("      - khong_co_{i}\n"))
                .collect::<String>()
        ),
        _ => return Err(format!("unknown generator `{spec}`")),
    };
    Ok(text.into_bytes())
}

/// Remove whatever is at `p` (file, folder, link or pipe), not following links.
fn clear(p: &Path) {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(p);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(p);
        }
        Err(_) => {}
    }
}

fn put_bytes(p: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::create_dir_all(p.parent().unwrap()).map_err(|e| e.to_string())?;
    clear(p);
    std::fs::write(p, bytes).map_err(|e| format!("{}: {e}", p.display()))
}

fn put_special(p: &Path, kind: &str) -> Result<(), String> {
    std::fs::create_dir_all(p.parent().unwrap()).map_err(|e| e.to_string())?;
    clear(p);
    let fail = |e: std::io::Error| format!("{kind} at {}: {e}", p.display());
    match kind.split_once(' ').unwrap_or((kind, "")) {
        ("removed", "") => Ok(()),
        ("folder", "") => std::fs::create_dir_all(p).map_err(fail),
        #[cfg(unix)]
        ("link", target) if !target.is_empty() => {
            std::os::unix::fs::symlink(target, p).map_err(fail)
        }
        // A named pipe with no writer: reading it would block for ever.
        ("pipe", "") => {
            let ok = Command::new("mkfifo")
                .arg(p)
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                Ok(())
            } else {
                Err(format!("mkfifo {}", p.display()))
            }
        }
        _ => Err(format!("unknown special file `{kind}`")),
    }
}

/// Write the case into the report folder `root`; the paths it touched (to put back).
fn apply(case: &Case, root: &Path) -> Result<(), String> {
    for rel in &case.files {
        let bytes = std::fs::read(case.dir.join(rel)).map_err(|e| e.to_string())?;
        put_bytes(&root.join(rel), &bytes)?;
    }
    for e in &case.spec.edit {
        let p = root.join(&e.file);
        let text = std::fs::read_to_string(&p).map_err(|err| format!("edit {}: {err}", e.file))?;
        if !text.contains(&e.from) {
            return Err(format!(
                "edit: `{}` is not in {} (a stale case)",
                e.from, e.file
            ));
        }
        put_bytes(&p, text.replacen(&e.from, &e.to, 1).as_bytes())?;
    }
    for (rel, g) in &case.spec.generate {
        put_bytes(&root.join(rel), &generate(g)?)?;
    }
    for (rel, kind) in &case.spec.special {
        put_special(&root.join(rel), kind)?;
    }
    Ok(())
}

/// Every path the case may change, relative to the report folder.
fn touched(case: &Case) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = case.files.clone();
    v.extend(case.spec.edit.iter().map(|e| PathBuf::from(&e.file)));
    v.extend(case.spec.generate.keys().map(PathBuf::from));
    v.extend(case.spec.special.keys().map(PathBuf::from));
    v.sort();
    v.dedup();
    v
}

// ---------------------------------------------------------------------------------------------
// Running

/// Counts of one group, printed at its end.
#[derive(Default, Debug)]
struct Counts {
    cases: usize,
    runs: usize,
    panics: usize,
    leaks: usize,
    lost: usize,
    slowest: Duration,
}

/// Every file under `root` with a hash of its bytes.
fn snapshot_tree(root: &Path) -> BTreeMap<PathBuf, u64> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, u64>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::fs::read(&p).unwrap_or_default().hash(&mut h);
                out.insert(p, h.finish());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, &mut out);
    out
}

/// English words that mark an untranslated message (outside `code` and "quoted" parts).
fn english_in(stderr: &str) -> Vec<String> {
    const EN: &str = "expected invalid found while error missing unknown field line column not \
        allowed document sequence mapping struct value type could did unexpected parsing scanning \
        deserializing supported failed exceeded limit the or of at with panicked called unwrap \
        option result";
    let mut out = vec![];
    for line in stderr
        .lines()
        .filter(|l| l.starts_with("lỗi:") || l.starts_with("gợi ý:"))
    {
        let (mut tick, mut quote) = (false, false);
        let plain: String = line
            .chars()
            .filter(|&c| {
                match c {
                    '`' => tick = !tick,
                    '"' if !tick => quote = !quote,
                    _ => return !tick && !quote,
                }
                false
            })
            .collect();
        for w in plain.split(|c: char| !c.is_alphanumeric()) {
            if EN.split_whitespace().any(|e| e == w.to_lowercase()) {
                out.push(format!("`{w}` in {line:?}"));
            }
        }
    }
    out
}

/// Run baocao with a time limit; None when it had to be killed.
fn run_limited(root: &Path, args: &[&str]) -> (Option<Output>, Duration) {
    let t0 = Instant::now();
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("BAOCAO_DEBUG")
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run baocao");
    loop {
        if child.try_wait().expect("wait").is_some() {
            return (
                Some(child.wait_with_output().expect("output")),
                t0.elapsed(),
            );
        }
        if t0.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return (None, t0.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A copy of the default report with the group's `_base/` written over it.
fn group_fixture(group: &str) -> Fixture {
    let f = Fixture::default_report();
    let base = corpus_dir().join(group).join(BASE);
    for rel in files_under(&base) {
        let bytes = std::fs::read(base.join(&rel)).unwrap();
        put_bytes(&f.path(rel.to_str().unwrap()), &bytes).unwrap();
    }
    f
}

/// Run every case of a group through check and build on one copy holding a good PDF; panic
/// with the list of every failed expectation at the end.
fn run_group(group: &str) -> Counts {
    let f = group_fixture(group);
    // The base alone is a good report: every failure below is the case's.
    f.run(&["check"]).success();
    f.run(&["build"]).success();
    let good = std::fs::read(f.pdf()).expect("good PDF");
    let mut counts = Counts::default();
    let mut failures: Vec<String> = vec![];
    for dir in case_dirs(group) {
        counts.cases += 1;
        let case = match load(group, &dir) {
            Ok(c) => c,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let mut fail = |what: String| {
            failures.push(format!("{} ({}): {what}", case.name, case.spec.title));
        };
        let before = snapshot_tree(&f.root);
        let originals: Vec<(PathBuf, Option<Vec<u8>>)> = touched(&case)
            .into_iter()
            .map(|rel| {
                let p = f.root.join(rel);
                let bytes = std::fs::read(&p).ok();
                (p, bytes)
            })
            .collect();
        let mut transcript = String::new();
        match apply(&case, &f.root) {
            Err(e) => fail(e),
            Ok(()) => {
                let mut check_stderr = String::new();
                for cmd in ["check", "build"] {
                    let mut args = vec![cmd];
                    args.extend(case.spec.args.iter().map(String::as_str));
                    let (out, took) = run_limited(&f.root, &args);
                    counts.runs += 1;
                    counts.slowest = counts.slowest.max(took);
                    transcript.push_str(&format!("$ baocao {}\n", args.join(" ")));
                    let Some(out) = out else {
                        fail(format!("{cmd}: no answer within {TIME_LIMIT:?}"));
                        transcript.push_str("(killed: no answer within the time limit)\n");
                        continue;
                    };
                    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                    let mut run = snapshot::transcript(&out, &f.root);
                    // build's stderr is check's in nearly every case: said once.
                    if cmd == "build" && !stderr.is_empty() && stderr == check_stderr {
                        let cut = run.find("--- stderr\n").unwrap();
                        run.truncate(cut);
                        run.push_str("--- stderr: as check's\n");
                    }
                    transcript.push_str(&run);
                    if cmd == "check" {
                        check_stderr = stderr.clone();
                    }
                    if stderr.contains("panicked")
                        || out.status.code() == Some(101)
                        || out.status.code().is_none()
                    {
                        counts.panics += 1;
                        fail(format!(
                            "{cmd}: panic or signal: {:?}\n{stderr}",
                            out.status
                        ));
                        continue;
                    }
                    if out.status.code() != Some(1) {
                        fail(format!(
                            "{cmd}: exit code {:?}, want 1\n{stderr}",
                            out.status.code()
                        ));
                    }
                    if !stderr.lines().any(|l| l.starts_with("lỗi: ")) {
                        fail(format!("{cmd}: no `lỗi: ` line\n{stderr}"));
                    }
                    if !case.at.found_in(&stderr) {
                        fail(format!("{cmd}: location {:?} missing\n{stderr}", case.at));
                    }
                    let english = english_in(&stderr);
                    if !english.is_empty() {
                        fail(format!("{cmd}: untranslated: {english:?}"));
                    }
                    if cmd == "build"
                        && std::fs::read(f.pdf()).ok().as_deref() != Some(good.as_slice())
                    {
                        counts.lost += 1;
                        fail("build: the existing PDF changed".into());
                    }
                }
                if let Err(e) = snapshot::compare(&case.dir.join(EXPECTED), &transcript) {
                    fail(e);
                }
            }
        }
        for (p, bytes) in originals {
            clear(&p);
            if let Some(b) = bytes {
                std::fs::write(&p, b).unwrap();
            }
        }
        // Folders a case created (data/ky/quy-1/so-lieu) may stay: only files count.
        let after = snapshot_tree(&f.root);
        if before != after {
            counts.leaks += 1;
            let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
            let changed: Vec<_> = after
                .keys()
                .filter(|k| before.get(*k).is_some_and(|h| after[*k] != *h))
                .collect();
            failures.push(format!(
                "{}: files left or changed: {added:?} {changed:?}",
                case.name
            ));
        }
    }
    println!(
        "corpus {group}: {} ca, {} lần chạy (check + build), panic {}, rò rỉ {}, PDF mất/hỏng {}, lâu nhất {:?}",
        counts.cases, counts.runs, counts.panics, counts.leaks, counts.lost, counts.slowest
    );
    assert!(counts.cases > 0, "tests/corpus/{group} holds no case");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    counts
}

#[test]
fn bao_cao() {
    run_group("bao-cao");
}

#[test]
fn bieu() {
    run_group("bieu");
}

#[test]
fn chi_tieu() {
    run_group("chi-tieu");
}

#[test]
fn nhi_phan() {
    run_group("nhi-phan");
}

#[test]
fn so_lieu() {
    run_group("so-lieu");
}

#[test]
fn tep_dac_biet() {
    run_group("tep-dac-biet");
}

/// Every group folder has its test above, and every case folder reads; the total is printed.
#[test]
fn every_case_is_run() {
    let mut groups: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    groups.sort();
    assert_eq!(
        groups, GROUPS,
        "a group folder without a test (or the reverse)"
    );
    let mut total = 0;
    for g in GROUPS {
        for dir in case_dirs(g) {
            let case = load(g, &dir).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                snapshot::blessing() || dir.join(EXPECTED).is_file(),
                "{}: no {EXPECTED} (BAOCAO_BLESS=1 writes it)",
                case.name
            );
            for spec in case.spec.generate.values() {
                generate(spec).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            }
            total += 1;
        }
    }
    println!("corpus: {total} ca trong {} nhóm", GROUPS.len());
    assert!(total >= 300, "the corpus shrank to {total} cases");
}

#[test]
fn english_is_found_outside_code_and_quotes() {
    assert_eq!(
        english_in("lỗi: trường `unknown field` không có\n"),
        Vec::<String>::new()
    );
    assert_eq!(
        english_in("lỗi: gặp chữ \"the value\"\n"),
        Vec::<String>::new()
    );
    assert_eq!(english_in("lỗi: invalid type at line 3\n").len(), 4);
    assert_eq!(english_in("cảnh báo: the end\n").len(), 0);
}
