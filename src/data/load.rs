//! Loading data/: the files are read into memory first (`read::DataFiles`: from disk, or
//! from a git revision or another folder for `diff`), then each is parsed, then the checks
//! that need the whole set run. Every message names the file as the user does, with the line
//! and column kept from parsing (`positions`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::model::*;
use super::positions::{Node, NodeRef, SourceFile, YamlPath};
use super::read::DataFiles;
use super::scalar::*;
use super::yaml_error::{find_tab_indent, yaml_diagnostic};
use crate::diag::{Diagnostic, Error, Location, Result, Snippet};
use crate::period::Period;

/// Parse one YAML file into `T`, turning serde_yaml's error into a located Vietnamese message.
pub fn parse_yaml<T: for<'de> Deserialize<'de>>(path: &Path, text: &str) -> Result<T> {
    parse_source(&SourceFile::new(path, text.to_string(), false))
}

/// Parse a file in memory into `T`; errors are located with the file's own positions.
pub fn parse_source<T: for<'de> Deserialize<'de>>(src: &SourceFile) -> Result<T> {
    if src.text.trim().is_empty() {
        return Err(Error::new(
            Diagnostic::error("tệp rỗng").at(Location::file(&src.path)),
        ));
    }
    if let Some(loc) = find_tab_indent(src) {
        return Err(Error::new(
            Diagnostic::error("YAML không cho phép thụt lề bằng ký tự Tab")
                .at(loc)
                .hint("thay Tab bằng dấu cách"),
        ));
    }
    serde_yaml::from_str::<T>(&src.text).map_err(|e| Error::new(yaml_diagnostic(src, &e)))
}

/// At most this many errors of one kind are listed for one file; then one line counts the rest.
const MAX_SAME_ERRORS: usize = 20;

/// A single data string longer than this (bytes) is a warning: no sentence of a report is that
/// long, and one such string (a whole document pasted into a note) makes hundreds of pages.
pub const LARGE_STRING: usize = 100 * 1024;

/// Load data/ under `root` from disk. Collects every error of every file before failing.
pub fn load(root: &Path) -> Result<DataSet> {
    let _stage = crate::budget::enter(crate::budget::Stage::Load);
    load_files(&DataFiles::read_dir(&root.join("data")))
}

/// A file of the set, or the error met reading it (`None`: not there).
fn file(files: &DataFiles, rel: &str) -> Option<Result<Arc<SourceFile>>> {
    files.get(Path::new(rel)).cloned()
}

/// Load a data set from files in memory. Collects every error of every file before failing;
/// an error that only follows from one already reported (an indicator of a broken file named
/// in bieu.yaml) is left out.
pub fn load_files(files: &DataFiles) -> Result<DataSet> {
    let _stage = crate::budget::enter(crate::budget::Stage::Load);
    let mut errors: Vec<Diagnostic> = files.errors.clone();

    let meta_file = file(files, "bao-cao.yaml").unwrap_or_else(|| {
        let path = files.dir.join("bao-cao.yaml");
        Err(Error::io(
            "đọc",
            &path,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ))
    });
    let mut meta = None;
    match meta_file
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|src| parse_source::<Meta>(src))
    {
        Ok(m) => meta = Some(m),
        Err(e) => errors.extend(e.0),
    }

    let mut indicators: Vec<Indicator> = vec![];
    // The ids of the indicator files that failed, read from their nodes; `None` once a file
    // failed whose ids cannot be read (a YAML syntax error).
    let mut failed_ids: Option<BTreeSet<String>> = Some(BTreeSet::new());
    for rel in files.in_dir(Path::new("chi-tieu")) {
        let Some(Ok(src)) = files.get(rel) else {
            if let Some(Err(e)) = files.get(rel) {
                errors.extend(e.0.clone());
                failed_ids = None;
            }
            continue;
        };
        match parse_source::<IndicatorFile>(src) {
            Ok(file) => {
                for (i, mut ind) in file.chi_tieu.into_iter().enumerate() {
                    let at = NodeRef::new(src, YamlPath::root().key("chi_tieu").index(i));
                    reread_ratios(src, &at.path, &mut ind, &mut errors);
                    ind.location = Some(
                        src.location(&at.path)
                            .unwrap_or_else(|| Location::file(&src.path)),
                    );
                    ind.source = Some(at);
                    indicators.push(ind);
                }
            }
            Err(e) => {
                errors.extend(e.0);
                failed_ids = match (failed_ids, src.root()) {
                    (Some(mut ids), Some(root)) => {
                        let list = root.entry("chi_tieu").map(|e| e.value.items());
                        for item in list.unwrap_or_default() {
                            if let Some(id) = item.entry("id").and_then(|e| e.value.as_str()) {
                                ids.insert(crate::text::normalize(id.trim()));
                            }
                        }
                        Some(ids)
                    }
                    _ => None,
                };
            }
        }
    }

    let figures = load_figure_files(files, Path::new("so-lieu"), &mut errors);
    let mut period_figures = vec![];
    for p in Period::ALL {
        let dir = Path::new("ky").join(p.key()).join("so-lieu");
        if !files.in_dir(&dir).is_empty() {
            period_figures.push((p, load_figure_files(files, &dir, &mut errors)));
        }
    }

    let table_file = file(files, "bieu.yaml");
    let mut table = None;
    match table_file.as_ref().map(|r| {
        r.as_ref()
            .map_err(Clone::clone)
            .and_then(|src| parse_source::<TableSpec>(src))
    }) {
        Some(Ok(t)) => table = Some(t),
        Some(Err(e)) => errors.extend(e.0),
        None => {}
    }

    // Semantic checks that need the whole set.
    let mut seen: BTreeMap<&str, &Indicator> = BTreeMap::new();
    for ind in &indicators {
        let id = ind.id.0.as_str();
        if !is_identifier(id) {
            errors.push(
                Diagnostic::error(format!("mã chỉ tiêu `{id}` không hợp lệ"))
                    .at_opt(ind.field_location(&["id"]))
                    .hint("mã chỉ gồm chữ thường không dấu, chữ số và `_`, bắt đầu bằng chữ: `thu_ngan_sach`"),
            );
        }
        if let Some(first) = seen.get(id) {
            let mut d = Diagnostic::error(format!("mã chỉ tiêu `{id}` bị khai báo hai lần"))
                .at_opt(ind.field_location(&["id"]));
            if let Some(l) = &first.location {
                d = d.hint(format!("lần đầu ở {l}"));
            }
            errors.push(d);
        } else {
            seen.insert(id, ind);
        }
        if let Some(d) = ind.so_thap_phan
            && d > 6
        {
            errors.push(
                Diagnostic::error(format!("chỉ tiêu `{id}`: so_thap_phan = {d} quá lớn"))
                    .at_opt(ind.field_location(&["so_thap_phan"]))
                    .hint("dùng từ 0 đến 6 chữ số thập phân"),
            );
        }
    }
    let mut names: BTreeMap<&str, &Path> = BTreeMap::new();
    for f in &figures {
        if let Some(p) = names.insert(&f.name, &f.path) {
            errors.push(
                Diagnostic::error(format!("hai tệp số liệu cùng tên `{}`", f.name))
                    .at(Location::file(&f.path))
                    .hint(format!(
                        "đổi tên một trong hai tệp (tệp kia: {})",
                        p.display()
                    )),
            );
        }
        let bad: Vec<&String> = f
            .values
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !is_identifier(k))
            .collect();
        for k in bad.iter().take(MAX_SAME_ERRORS) {
            errors.push(
                Diagnostic::error(format!("khóa số liệu `{k}` không hợp lệ"))
                    .at_opt(f.key_location(k))
                    .hint("khóa chỉ gồm chữ thường không dấu, chữ số và `_`, bắt đầu bằng chữ"),
            );
        }
        if bad.len() > MAX_SAME_ERRORS {
            errors.push(
                Diagnostic::error(format!(
                    "còn {} khóa số liệu không hợp lệ khác trong tệp này",
                    bad.len() - MAX_SAME_ERRORS
                ))
                .at(Location::file(&f.path)),
            );
        }
    }
    if let (Some(t), Some(Ok(src)), Some(failed)) = (&table, &table_file, &failed_ids) {
        // (When an indicator file could not be read at all, its ids are unknown: an id of
        // bieu.yaml missing now may be one of them, and is not reported until it is fixed.)
        let mut unknown: Vec<(YamlPath, &Text)> = vec![];
        for (g, group) in t.nhom.iter().enumerate() {
            for (i, id) in group.chi_tieu.iter().enumerate() {
                if !seen.contains_key(id.0.as_str()) && !failed.contains(id.0.trim()) {
                    let path = YamlPath::root()
                        .key("nhom")
                        .index(g)
                        .key("chi_tieu")
                        .index(i);
                    unknown.push((path, id));
                }
            }
        }
        let known: Vec<&str> = seen.keys().copied().collect();
        for (path, id) in unknown.iter().take(MAX_SAME_ERRORS) {
            let mut d = Diagnostic::error(format!(
                "biểu chỉ tiêu nhắc đến chỉ tiêu `{}` không có",
                id.0
            ))
            .at_opt(src.location(path));
            if let Some(n) = crate::text::nearest(&id.0, known.iter().copied()) {
                d = d.hint(format!("có phải là `{n}`?"));
            }
            errors.push(d);
        }
        if unknown.len() > MAX_SAME_ERRORS {
            errors.push(
                Diagnostic::error(format!(
                    "còn {} chỉ tiêu khác trong biểu không có",
                    unknown.len() - MAX_SAME_ERRORS
                ))
                .at(Location::file(&src.path)),
            );
        }
    }

    let (Some(meta), Ok(meta_source), true) = (meta, meta_file, errors.is_empty()) else {
        return Err(Error(errors));
    };
    if meta.cac_ky.is_empty() {
        return Err(Error::new(
            Diagnostic::error("chưa khai báo kỳ báo cáo nào trong `cac_ky`")
                .at_opt(meta_source.location(&YamlPath::root().key("cac_ky"))),
        ));
    }
    let mut warnings = vec![];
    for (_, src) in files.iter() {
        if let Ok(src) = src {
            large_strings(src, &mut warnings);
        }
    }
    let table_path = match &table_file {
        Some(Ok(src)) => src.path.clone(),
        _ => files.display(Path::new("bieu.yaml")),
    };
    Ok(DataSet {
        period_figures,
        meta,
        meta_path: meta_source.path.clone(),
        meta_source,
        indicators,
        figures,
        table,
        table_path,
        table_source: table_file.and_then(Result::ok),
        warnings,
    })
}

/// The location with its line cut to its first 60 characters after the underlined start (the
/// line of a huge string is the string itself).
fn short_snippet(mut loc: Location) -> Location {
    const SHOWN: usize = 60;
    if let Some(s) = &loc.snippet {
        let keep = s.start + SHOWN;
        if s.text.chars().count() > keep {
            let text: String = s.text.chars().take(keep).chain(['…']).collect();
            loc.snippet = Some(Snippet::new(&text, s.start, SHOWN + 1));
        }
    }
    loc
}

/// A warning for every string of `src` longer than [`LARGE_STRING`], naming its key.
fn large_strings(src: &SourceFile, out: &mut Vec<Diagnostic>) {
    fn walk(src: &SourceFile, node: &Node, path: YamlPath, out: &mut Vec<Diagnostic>) {
        match node {
            Node::Scalar { value, span, .. } if value.len() > LARGE_STRING => {
                let kb =
                    rust_decimal::Decimal::from(value.len()) / rust_decimal::Decimal::from(1024);
                out.push(
                    Diagnostic::warning(format!(
                        "giá trị của `{path}` dài {} KB (trên {} KB): không câu nào của báo cáo dài như vậy",
                        crate::format::format_number(kb, 0),
                        LARGE_STRING / 1024
                    ))
                    .at(short_snippet(src.span_location(*span)))
                    .hint("có thể cả một văn bản đã bị dán nhầm vào đây; báo cáo vẫn dựng được nhưng rất dài và chậm (3 MB chữ thành gần 1.000 trang)"),
                );
            }
            Node::Sequence { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    walk(src, item, path.index(i), out);
                }
            }
            Node::Mapping { entries, .. } => {
                for e in entries {
                    let key = e.key_str().unwrap_or("?");
                    walk(src, &e.value, path.key(key), out);
                }
            }
            _ => {}
        }
    }
    if let Some(root) = src.root() {
        walk(src, root, YamlPath::root(), out);
    }
}

/// The stated ratios that serde read as floats (`so_voi_cung_ky: 1.146`, `94.09`), read again
/// from their own text: the value written, or the error of a number not written the
/// Vietnamese way, where it stands.
fn reread_ratios(
    src: &SourceFile,
    at: &YamlPath,
    ind: &mut Indicator,
    errors: &mut Vec<Diagnostic>,
) {
    let ky = at.key("ky");
    let Some(node) = src.node(&ky) else { return };
    // The period blocks in the order written, as PeriodMap keeps them.
    for (entry, (_, values)) in node.entries().iter().zip(ind.ky.0.iter_mut()) {
        let Some(period) = entry.key_str() else {
            continue;
        };
        for (key, ratio) in [
            ("so_voi_cung_ky", values.so_voi_cung_ky.as_mut()),
            ("so_voi_ke_hoach", values.so_voi_ke_hoach.as_mut()),
        ] {
            let Some(ratio) = ratio.filter(|r| r.reread) else {
                continue;
            };
            let path = ky.key(period).key(key);
            let Some(text) = src.node(&path).and_then(|n| n.as_str()) else {
                continue;
            };
            match crate::format::parse_number(&crate::text::normalize(text)) {
                Ok(n) => {
                    ratio.ratio = n;
                    ratio.reread = false;
                }
                Err(e) => {
                    let mut d = Diagnostic::error(format!("{} (tại `{path}`)", e.message))
                        .at_opt(src.location(&path));
                    if let Some(h) = e.hint {
                        d = d.hint(h);
                    }
                    errors.push(d);
                }
            }
        }
    }
}

/// Read every so-lieu file of a folder under data/ (flat key -> value), collecting errors.
fn load_figure_files(
    files: &DataFiles,
    dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<FigureFile> {
    let mut figures = vec![];
    for rel in files.in_dir(dir) {
        let parsed = match files.get(rel) {
            Some(Ok(src)) => parse_source::<StrictMap<Value>>(src).map(|v| (src, v)),
            Some(Err(e)) => Err(e.clone()),
            None => continue,
        };
        match parsed {
            Ok((src, values)) => {
                let stem = rel
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("")
                    .replace('-', "_");
                figures.push(FigureFile {
                    name: stem,
                    path: PathBuf::from(&src.path),
                    values: values.0,
                    source: Some(Arc::clone(src)),
                });
            }
            Err(e) => errors.extend(e.0),
        }
    }
    figures
}

pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
