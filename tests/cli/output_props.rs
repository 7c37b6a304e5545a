//! Issue 16, property test: random output paths (`-o`, `--emit-typst`) into random report
//! folders full of links (data/, templates/, output/ and the report itself may be links; links
//! lead into the inputs, outside the report, back up the tree, or nowhere). Whatever the case:
//! no panic, and nothing changes but the output itself (and the folders created on its way);
//! no file of the report's inputs is replaced; no temporary file is left.
//!
//! 768 cases against the library (`output::check_targets` then `output::write_atomic`, as
//! `Project::build` calls them), and 16 against the real binary (`baocao build`), where a name
//! without `.pdf` is bad usage (exit code 2) and writes nothing.

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use baocao::output::{self, WriteOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::fixture::*;

const LIBRARY_CASES: u32 = 768;
const BINARY_CASES: u32 = 16;

const PDF: &[u8] = b"%PDF-1.7 moi\n%%EOF\n";
const TYP: &[u8] = b"= ma typst moi\n";

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

static N: AtomicUsize = AtomicUsize::new(0);

/// The scratch folder of one case, removed however the case ends.
struct Case(PathBuf);

impl Case {
    fn new(kind: &str) -> Case {
        let dir = std::env::temp_dir().join(format!(
            "baocao-outprops-{kind}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Case(dir.canonicalize().unwrap())
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every entry under `dir`, links not followed: relative path -> what it is.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(base).unwrap().to_path_buf();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            let what = if meta.file_type().is_symlink() {
                format!("link {}", std::fs::read_link(&p).unwrap().display())
            } else if meta.is_dir() {
                walk(base, &p, out);
                "dir".to_string()
            } else {
                describe(&std::fs::read(&p).unwrap())
            };
            out.insert(rel, what);
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A file's bytes, short: whether it is a PDF, its length and a hash (FNV-1a).
fn describe(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x100000001b3)
    });
    let kind = if bytes.starts_with(b"%PDF-") {
        "pdf"
    } else {
        "file"
    };
    format!("{kind} {} {hash:x}", bytes.len())
}

/// How a folder of the report is laid out in a case.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Real,
    /// A link to a real folder beside the report.
    Linked,
}

/// What the report's output/ is.
#[derive(Clone, Copy, Debug)]
enum OutputDir {
    Absent,
    Real,
    ToOutside,
    ToData,
    Dangling,
    AFile,
}

/// A case: the layout of the report folder and the paths asked for.
#[derive(Clone, Debug)]
struct Layout {
    data: Shape,
    templates: Shape,
    output: OutputDir,
    /// The report is reached through a link to it.
    root_via_link: bool,
    /// Extra links in the report folder: (name, target).
    links: Vec<(&'static str, &'static str)>,
    out: Vec<String>,
    emit: Option<Vec<String>>,
}

const LINKS: &[(&str, &str)] = &[
    ("lk-data", "data"),
    ("lk-tpl", "templates"),
    ("lk-ngoai", "../ngoai"),
    ("lk-bi-mat", "../ngoai/bi-mat.txt"),
    ("lk-yaml", "data/bao-cao.yaml"),
    ("lk-nd30", "templates/nd30.typ"),
    ("lk-day", "."),
    ("lk-len", ".."),
    ("lk-treo", "khong-co/dau"),
    ("lk-vong", "lk-vong"),
];

/// A path component: a name of the report, a link, `.`/`..`, a new name, a long one.
fn component() -> impl Strategy<Value = String> {
    let names: Vec<String> = [
        "data",
        "templates",
        "output",
        "fonts",
        "chi-tieu",
        "so-lieu",
        "..",
        ".",
        "lk-data",
        "lk-tpl",
        "lk-ngoai",
        "lk-day",
        "lk-len",
        "lk-treo",
        "lk-vong",
        "moi",
        "ngoai",
        "bao-cao",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    prop_oneof![
        8 => prop::sample::select(names),
        1 => (1usize..=80).prop_map(|n| "ệ".repeat(n)),
    ]
}

/// The last component: an existing input, a link, an earlier output, a new name, a long one.
fn file_name() -> impl Strategy<Value = String> {
    let names: Vec<String> = [
        "bao-cao.yaml",
        "kinh-te.yaml",
        "nd30.typ",
        "bao-cao.typ.j2",
        "bi-mat.txt",
        "lk-yaml",
        "lk-nd30",
        "lk-bi-mat",
        "lk-treo",
        "lk-data",
        "ban-in.pdf",
        "bao-cao-6-thang-2024.pdf",
        "x.pdf",
        "báo cáo.pdf",
        "chi-tieu",
        "output",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    prop_oneof![
        8 => prop::sample::select(names),
        1 => (240usize..=260).prop_map(|n| format!("{}.pdf", "a".repeat(n - 4))),
    ]
}

/// Routes into the inputs, straight or by a detour (`.`, `..`, links).
const ROUTES: &[&[&str]] = &[
    &["data"],
    &["templates"],
    &["data", "chi-tieu"],
    &["lk-data"],
    &["lk-tpl"],
    &["lk-data", "chi-tieu"],
    &["output", "..", "data"],
    &[".", "templates"],
    &["lk-day", "data"],
    &["lk-len", "bao-cao", "templates"],
    &["moi", "..", "data"],
    &["data", "chi-tieu", ".."],
    &["output"],
];

fn path_parts() -> impl Strategy<Value = Vec<String>> {
    let random = (prop::collection::vec(component(), 0..4), file_name()).prop_map(|(mut v, f)| {
        v.push(f);
        v
    });
    let inputs: Vec<&str> = vec![
        "bao-cao.yaml",
        "kinh-te.yaml",
        "nd30.typ",
        "bao-cao.typ.j2",
        "ban-in.pdf",
        "chi-tieu",
    ];
    let targeted =
        (prop::sample::select(ROUTES), prop::sample::select(inputs)).prop_map(|(route, f)| {
            let mut v: Vec<String> = route.iter().map(|s| s.to_string()).collect();
            v.push(f.to_string());
            v
        });
    prop_oneof![random, targeted]
}

fn layout() -> impl Strategy<Value = Layout> {
    let shape = prop_oneof![Just(Shape::Real), Just(Shape::Linked)];
    let output = prop::sample::select(vec![
        OutputDir::Absent,
        OutputDir::Real,
        OutputDir::ToOutside,
        OutputDir::ToData,
        OutputDir::Dangling,
        OutputDir::AFile,
    ]);
    (
        shape.clone(),
        shape,
        output,
        any::<bool>(),
        prop::sample::subsequence(LINKS.to_vec(), 0..=LINKS.len()),
        path_parts(),
        prop::option::weighted(0.4, path_parts()),
    )
        .prop_map(
            |(data, templates, output, root_via_link, links, out, emit)| Layout {
                data,
                templates,
                output,
                root_via_link,
                links,
                out,
                emit,
            },
        )
}

/// Lay out a case: `ngoai/` (someone else's files), the inputs (real or linked), output/, the
/// extra links. Returns the report folder as the build is given it.
fn lay_out(case: &Path, l: &Layout, with_inputs: &dyn Fn(&Path, &Path)) -> PathBuf {
    std::fs::create_dir_all(case.join("ngoai/con")).unwrap();
    std::fs::write(case.join("ngoai/bi-mat.txt"), "của người khác").unwrap();
    std::fs::write(case.join("ngoai/con/ghi-chu.txt"), "đừng đụng vào").unwrap();
    let report = case.join("bao-cao");
    std::fs::create_dir_all(&report).unwrap();
    let data = match l.data {
        Shape::Real => report.join("data"),
        Shape::Linked => {
            symlink("../data-that", report.join("data")).unwrap();
            case.join("data-that")
        }
    };
    let templates = match l.templates {
        Shape::Real => report.join("templates"),
        Shape::Linked => {
            symlink("../mau-that", report.join("templates")).unwrap();
            case.join("mau-that")
        }
    };
    with_inputs(&data, &templates);
    match l.output {
        OutputDir::Absent => {}
        OutputDir::Real => {
            std::fs::create_dir_all(report.join("output")).unwrap();
            std::fs::write(report.join("output/bao-cao-6-thang-2024.pdf"), PDF).unwrap();
        }
        OutputDir::ToOutside => symlink("../ngoai", report.join("output")).unwrap(),
        OutputDir::ToData => symlink("data", report.join("output")).unwrap(),
        OutputDir::Dangling => symlink("khong-co", report.join("output")).unwrap(),
        OutputDir::AFile => std::fs::write(report.join("output"), "tệp").unwrap(),
    }
    for (name, target) in &l.links {
        symlink(target, report.join(name)).unwrap();
    }
    if l.root_via_link {
        symlink("bao-cao", case.join("lk-bao-cao")).unwrap();
        case.join("lk-bao-cao")
    } else {
        report
    }
}

/// Minimal inputs for the library cases.
fn small_inputs(data: &Path, templates: &Path) {
    std::fs::create_dir_all(data.join("chi-tieu")).unwrap();
    std::fs::write(data.join("bao-cao.yaml"), "nam: 2024\n").unwrap();
    std::fs::write(data.join("chi-tieu/kinh-te.yaml"), "chi_tieu: []\n").unwrap();
    std::fs::create_dir_all(templates).unwrap();
    std::fs::write(templates.join("nd30.typ"), "// bố cục\n").unwrap();
    std::fs::write(templates.join("bao-cao.typ.j2"), "= mẫu\n").unwrap();
    std::fs::write(templates.join("ban-in.pdf"), PDF).unwrap();
}

fn join(root: &Path, parts: &[String]) -> PathBuf {
    parts.iter().fold(root.to_path_buf(), |p, c| p.join(c))
}

/// The check of one case: what changed between `before` and `after` is the landing of the
/// outputs written, and folders created on the way to the outputs attempted; nothing else.
fn only_outputs_changed(
    case: &Path,
    before: &BTreeMap<PathBuf, String>,
    after: &BTreeMap<PathBuf, String>,
    attempted: &[PathBuf],
    written: &[(PathBuf, &[u8])],
    inputs: &[PathBuf],
) -> Result<(), TestCaseError> {
    let rel = |p: &Path| {
        let land = output::landing(p).unwrap();
        land.strip_prefix(case).unwrap_or(&land).to_path_buf()
    };
    let tried: Vec<PathBuf> = attempted.iter().map(|p| rel(p)).collect();
    let landed: Vec<(PathBuf, &[u8])> = written.iter().map(|(p, b)| (rel(p), *b)).collect();
    let on_the_way = |r: &Path| tried.iter().any(|l| l.starts_with(r) && l != r);
    for (r, what) in after {
        if before.get(r) == Some(what) {
            continue;
        }
        if let Some((_, bytes)) = landed.iter().find(|(l, _)| l == r) {
            prop_assert_eq!(what, &describe(bytes), "{}", r.display());
            continue;
        }
        prop_assert!(
            what == "dir" && !before.contains_key(r) && on_the_way(r),
            "`{}` changed: {:?} -> {what}",
            r.display(),
            before.get(r)
        );
    }
    for (r, what) in before {
        prop_assert!(
            after.contains_key(r),
            "`{}` ({what}) disappeared",
            r.display()
        );
        // An input replaced must have been a PDF.
        let abs = case.join(r);
        if inputs.iter().any(|i| abs.starts_with(i)) && after.get(r) != Some(what) {
            prop_assert!(what.starts_with("pdf "), "input `{}` replaced", r.display());
        }
    }
    for r in after.keys() {
        let name = r.file_name().unwrap().to_string_lossy();
        prop_assert!(
            !(name.starts_with('.') && name.ends_with(".tmp")),
            "temporary file left: {}",
            r.display()
        );
    }
    Ok(())
}

/// The landing of `path`, when it stays inside the case (a path may climb out of it with
/// `..`: such a case is not run, so that no test writes outside its scratch folder).
fn inside(case: &Path, path: &Path) -> bool {
    output::landing(path).is_ok_and(|l| l.starts_with(case))
}

fn run(cases: u32, test: impl Fn(Layout) -> Result<(), TestCaseError>) {
    let mut runner = TestRunner::new(config(cases));
    if let Err(e) = runner.run(&layout(), test) {
        panic!("{e}");
    }
}

/// One library case: lay it out, check and write as `Project::build` does, and check that only
/// the outputs changed. Returns 0 (refused), 1 (written) or 2 (the OS said no).
fn library_case(l: Layout) -> Result<usize, TestCaseError> {
    let case = Case::new("lib");
    let root = lay_out(&case.0, &l, &small_inputs);
    let out = join(&root, &l.out);
    let emit = l.emit.as_ref().map(|e| join(&root, e));
    prop_assume!(inside(&case.0, &out) && emit.as_ref().is_none_or(|e| inside(&case.0, e)));
    let inputs: Vec<PathBuf> = ["data", "templates"]
        .iter()
        .filter_map(|d| root.join(d).canonicalize().ok())
        .collect();
    let before = tree(&case.0);
    // Where each write lands, worked out before writing: `-o output` may replace a link
    // named `output` that the Typst file's path runs through.
    let out_land = output::landing(&out).unwrap();
    let emit_land = emit.as_ref().map(|e| output::landing(e).unwrap());
    let mut written: Vec<(PathBuf, &[u8])> = vec![];
    let outcome = match output::check_targets(&root, &[&out], emit.as_deref()) {
        Err(_) => 0,
        Ok(()) => {
            // As `Project::build`: the Typst file first, then the PDF.
            let opts = WriteOptions::default();
            let emitted = match &emit {
                Some(e) => {
                    let ok = output::write_atomic(e, TYP, &opts).is_ok();
                    if ok {
                        written.extend(emit_land.clone().map(|l| (l, TYP)));
                    }
                    ok
                }
                None => true,
            };
            if emitted && output::write_atomic(&out, PDF, &opts).is_ok() {
                written.push((out_land.clone(), PDF));
                1
            } else {
                2
            }
        }
    };
    let after = tree(&case.0);
    let attempted: Vec<PathBuf> = if outcome == 0 {
        vec![]
    } else {
        emit_land.iter().chain([&out_land]).cloned().collect()
    };
    only_outputs_changed(&case.0, &before, &after, &attempted, &written, &inputs)?;
    Ok(outcome)
}

/// Found by CI: `-o output` replaces the link `output` (to a folder outside) with the PDF, after
/// the Typst file was written through that link; the test must know where each write landed
/// before it happened.
#[test]
fn an_output_replacing_the_link_the_typst_file_went_through() {
    let l = Layout {
        data: Shape::Linked,
        templates: Shape::Real,
        output: OutputDir::ToOutside,
        root_via_link: false,
        links: vec![],
        out: vec!["output".into()],
        emit: Some(vec!["output".into(), "bao-cao.yaml".into()]),
    };
    assert_eq!(library_case(l).map_err(|e| e.to_string()), Ok(1));
}

#[test]
fn random_outputs_write_nothing_else() {
    // Refused, written, failed (the OS said no: a name too long, a file in the way, …).
    let tally = [
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    ];
    run(LIBRARY_CASES, |l| {
        let outcome = library_case(l)?;
        tally[outcome].fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    let [refused, wrote, failed] = tally.map(|t| t.into_inner());
    assert_eq!(refused + wrote + failed, LIBRARY_CASES as usize);
    // The cases must reach every outcome to mean anything.
    assert!(
        refused > 0 && wrote > 0 && failed > 0,
        "{refused} {wrote} {failed}"
    );
    println!(
        "output_props: {LIBRARY_CASES} trường hợp (thư viện): {refused} bị từ chối, {wrote} đã ghi, {failed} hệ điều hành từ chối; 0 panic, 0 tệp khác bị ghi"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

fn real_inputs(data: &Path, templates: &Path) {
    copy_dir(&repo().join("data"), data);
    copy_dir(&repo().join("templates"), templates);
}

#[test]
fn random_outputs_through_the_binary() {
    let tally = [AtomicUsize::new(0), AtomicUsize::new(0)];
    run(BINARY_CASES, |l| {
        let case = Case::new("bin");
        let root = lay_out(&case.0, &l, &real_inputs);
        let out = join(&root, &l.out);
        let emit = l.emit.as_ref().map(|e| join(&root, e));
        prop_assume!(inside(&case.0, &out) && emit.as_ref().is_none_or(|e| inside(&case.0, e)));
        let inputs: Vec<PathBuf> = ["data", "templates"]
            .iter()
            .filter_map(|d| root.join(d).canonicalize().ok())
            .collect();
        let before = tree(&case.0);
        let out_land = output::landing(&out).unwrap();
        let emit_land = emit.as_ref().map(|e| output::landing(e).unwrap());
        let mut cmd = std::process::Command::new(BIN);
        cmd.arg("build")
            .arg("--root")
            .arg(&root)
            .arg("-o")
            .arg(&out);
        if let Some(e) = &emit {
            cmd.arg("--emit-typst").arg(e);
        }
        let run = cmd.env_remove("SOURCE_DATE_EPOCH").output().unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        prop_assert!(!stderr.contains("panicked"), "{stderr}");
        prop_assert!(matches!(run.status.code(), Some(0..=2)), "{stderr}");
        // A name without `.pdf` is bad usage (`-o` must end in its format's extension),
        // refused before anything is read or written.
        let pdf_name = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        prop_assert_eq!(run.status.code() == Some(2), !pdf_name, "{}", stderr);
        tally[usize::from(run.status.success())].fetch_add(1, Ordering::Relaxed);
        let after = tree(&case.0);
        // What the binary wrote is read back (at the landing: `moi/../x` cannot be read back
        // when `moi/` was never made); a failed build may still have written the Typst file
        // (it comes first).
        let mut written: Vec<(PathBuf, Vec<u8>)> = vec![];
        if let Some(e) = &emit_land
            && let Ok(bytes) = std::fs::read(e)
        {
            written.push((e.clone(), bytes));
        }
        if run.status.success() {
            let pdf = std::fs::read(&out_land).unwrap();
            prop_assert!(pdf.starts_with(b"%PDF-"));
            written.push((out_land.clone(), pdf));
        }
        let written: Vec<(PathBuf, &[u8])> = written
            .iter()
            .map(|(p, b)| (p.clone(), b.as_slice()))
            .collect();
        let attempted: Vec<PathBuf> = emit_land.iter().chain([&out_land]).cloned().collect();
        only_outputs_changed(&case.0, &before, &after, &attempted, &written, &inputs)
    });
    let [failed, built] = tally.map(|t| t.into_inner());
    println!(
        "output_props: {BINARY_CASES} trường hợp (chạy baocao): {built} đã dựng, {failed} bị từ chối hoặc lỗi; 0 panic, 0 tệp khác bị ghi"
    );
}
