//! Placeholders: `«…»`, words or figures left to fill. `baocao init --blank` writes them
//! wherever the unit's own text and figures go (`co_quan: [«TÊN CƠ QUAN»]`, `thuc_hien:
//! «thực hiện»`, a paragraph `«Kết quả nổi bật …»` in a template).
//!
//! A placeholder is text from `«` to the next `»`. In a text it prints as written; a figure
//! field (`thuc_hien`, `cung_ky`, `ke_hoach`, a so-lieu value …) that holds only a placeholder
//! is not filled yet: it is never a parse error and never printed as a number (the report
//! prints the placeholder where the number goes). `check` lists every placeholder still in the
//! report as a warning; `build` counts them, and a PDF that prints one is a draft
//! (`crate::draft`).
//!
//! [`find`] lists the placeholders a period's report holds (data/ without the blocks of other
//! periods, and templates/), each with its place and what it belongs to; [`Placeholder::printed`]
//! tells whether the rendering printed it.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::data::{DataSet, Node, Seg, SourceFile, YamlPath};
use crate::diag::{Diagnostic, Location, Snippet};
use crate::period::Period;
use crate::render::Reads;

/// Opens a placeholder.
pub const OPEN: char = '«';
/// Closes a placeholder.
pub const CLOSE: char = '»';

/// The byte ranges of the placeholders in `text`: each from a `«` to the first `»` after it,
/// with no other `«` between (`«` alone, never closed, is plain text).
pub fn spans(text: &str) -> Vec<Range<usize>> {
    let mut out = vec![];
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            OPEN => open = Some(i),
            CLOSE => {
                if let Some(start) = open.take() {
                    out.push(start..i + CLOSE.len_utf8());
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `text`, blanks around it left out, is one placeholder and nothing else: a figure
/// field holding it is not filled yet.
pub fn is_whole(text: &str) -> bool {
    let t = text.trim();
    spans(t)
        .first()
        .is_some_and(|r| r.start == 0 && r.end == t.len())
}

/// What a placeholder belongs to: what decides whether the report prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    /// data/bao-cao.yaml: the document's metadata (the header, signature, Nơi nhận, …).
    Meta,
    /// An indicator (its index in the data set): printed when a template or the appendix
    /// reads it.
    Indicator(usize),
    /// A so-lieu value: `sl.<file>.<key>`.
    Figure { file: String, key: String },
    /// data/bieu.yaml: the appendix's title and group names.
    Table,
    /// A template line (`phan-1/mo-dau.typ.j2`, line 3).
    Template { name: String, line: usize },
}

/// One placeholder still in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placeholder {
    /// As written: `«thực hiện»`.
    pub text: String,
    pub location: Location,
    pub owner: Owner,
}

impl Placeholder {
    /// The warning `check` prints for it.
    pub fn warning(&self) -> Diagnostic {
        let hint = match self.owner {
            Owner::Template { .. } => "viết lời văn của đơn vị thay cả chỗ trống, kể cả dấu « và »",
            _ => {
                "thay cả chỗ trống, kể cả dấu « và », bằng nội dung của đơn vị (số viết như `1.146`, `2.976,4`)"
            }
        };
        Diagnostic::warning(format!("chỗ trống `{}` chưa điền", self.text))
            .at(self.location.clone())
            .hint(hint)
    }

    /// Whether `period`'s rendering printed it: the metadata and the appendix's words always
    /// are; an indicator or a so-lieu value when a template (or the appendix) read it; a
    /// template line when it was rendered. `indicators` are the indicators the report prints
    /// (read by a template or listed in the appendix); `markup` the rendered markup, with its
    /// line markers.
    pub fn printed(&self, indicators: &[usize], reads: &Reads, markup: &str) -> bool {
        match &self.owner {
            Owner::Meta | Owner::Table => true,
            Owner::Indicator(i) => indicators.contains(i),
            Owner::Figure { file, key } => reads.figures.contains(&(file.clone(), key.clone())),
            Owner::Template { name, line } => {
                let marker = format!(
                    "{}{name}:{line}{}",
                    crate::source_map::MARK_OPEN,
                    crate::source_map::MARK_CLOSE
                );
                // A line holding a block tag carries no marker: then its text tells.
                markup.contains(&marker) || markup.contains(&self.text)
            }
        }
    }
}

/// Every placeholder `period`'s report holds, in order: data/bao-cao.yaml (the blocks of other
/// periods in `cac_ky` left out), the indicators (their blocks of other periods left out), the
/// so-lieu files as `period` sees them, data/bieu.yaml, then templates/ (`*.typ.j2`; `{# … #}`
/// comments and `//` comment lines left out). `root` is the report folder.
pub fn find(root: &Path, data: &DataSet, period: Period) -> Vec<Placeholder> {
    let mut out = vec![];
    let other_period = |path: &YamlPath, at: usize| match path.0.get(at) {
        Some(Seg::Key(k)) => Period::from_key(k).is_some_and(|p| p != period),
        _ => false,
    };
    // data/bao-cao.yaml
    scan_file(&data.meta_source, &mut |path, ph| {
        let in_cac_ky = matches!(path.0.first(), Some(Seg::Key(k)) if k == "cac_ky");
        if !(in_cac_ky && other_period(path, 1)) {
            out.push(ph(Owner::Meta));
        }
    });
    // data/chi-tieu/*.yaml, each file once, in the order of the indicators.
    let mut files: Vec<&Arc<SourceFile>> = vec![];
    for ind in &data.indicators {
        if let Some(at) = &ind.source
            && !files.iter().any(|f| Arc::ptr_eq(f, &at.file))
        {
            files.push(&at.file);
        }
    }
    for file in files {
        scan_file(file, &mut |path, ph| {
            let Some(Seg::Index(i)) = path.0.get(1) else {
                return;
            };
            let index = data.indicators.iter().position(|ind| {
                ind.source.as_ref().is_some_and(|at| {
                    Arc::ptr_eq(&at.file, file) && at.path.0.get(1) == Some(&Seg::Index(*i))
                })
            });
            let in_ky = matches!(path.0.get(2), Some(Seg::Key(k)) if k == "ky");
            if let Some(index) = index
                && !(in_ky && other_period(path, 3))
            {
                out.push(ph(Owner::Indicator(index)));
            }
        });
    }
    // data/so-lieu/*.yaml, and data/ky/<period>/so-lieu/*.yaml over them.
    let overlay = data
        .period_figures
        .iter()
        .find(|(p, _)| *p == period)
        .map(|(_, files)| files.as_slice())
        .unwrap_or_default();
    let overridden = |name: &str, key: &str| {
        overlay
            .iter()
            .any(|f| f.name == name && f.values.iter().any(|(k, _)| k == key))
    };
    for (f, is_overlay) in data
        .figures
        .iter()
        .map(|f| (f, false))
        .chain(overlay.iter().map(|f| (f, true)))
    {
        let Some(src) = &f.source else { continue };
        scan_file(src, &mut |path, ph| {
            let Some(Seg::Key(key)) = path.0.first() else {
                return;
            };
            if is_overlay || !overridden(&f.name, key) {
                out.push(ph(Owner::Figure {
                    file: f.name.clone(),
                    key: key.clone(),
                }));
            }
        });
    }
    // data/bieu.yaml
    if let Some(src) = &data.table_source {
        scan_file(src, &mut |_, ph| out.push(ph(Owner::Table)));
    }
    out.extend(find_in_templates(root));
    out
}

/// What [`scan_file`] calls for each placeholder: with the scalar's path, and a maker of the
/// placeholder for an owner.
type Found<'a> = dyn FnMut(&YamlPath, &dyn Fn(Owner) -> Placeholder) + 'a;

/// Call `found` for each placeholder in the scalars of `file`.
fn scan_file(file: &SourceFile, found: &mut Found) {
    // Most files hold none: no `«` written, and no escape that could write one
    // ("\u00AB" in a double-quoted scalar). The walk below builds a path for every node.
    if !file.text.contains(OPEN) && !file.text.contains('\\') {
        return;
    }
    fn walk(file: &SourceFile, node: &Node, path: &YamlPath, found: &mut Found) {
        match node {
            Node::Scalar { value, span, .. } => {
                // The same placeholder twice on a line: each is found at its own place.
                let mut seen_on_line: Vec<(usize, usize)> = vec![];
                for r in spans(value) {
                    let text = crate::text::normalize(&value[r]);
                    let location = locate(
                        file,
                        span.start.line,
                        span.end.line,
                        &text,
                        &mut seen_on_line,
                    );
                    found(path, &|owner| Placeholder {
                        text: text.clone(),
                        location: location.clone(),
                        owner,
                    });
                }
            }
            Node::Mapping { entries, .. } => {
                for e in entries {
                    if let Some(k) = e.key_str() {
                        walk(file, &e.value, &path.key(k.trim()), found);
                    }
                }
            }
            Node::Sequence { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    walk(file, item, &path.index(i), found);
                }
            }
            Node::Alias { .. } => {}
        }
    }
    if let Some(root) = file.root() {
        walk(file, root, &YamlPath::root(), found);
    }
}

/// Where `text` is written between lines `first` and `last` (0-based) of `file`: the first
/// occurrence not yet taken, underlined; else the start of the scalar.
fn locate(
    file: &SourceFile,
    first: usize,
    last: usize,
    text: &str,
    taken: &mut Vec<(usize, usize)>,
) -> Location {
    for line in first..=last.max(first) {
        let l = file.line_text(line);
        let composed = crate::text::normalize(l);
        let mut from = 0;
        while let Some(i) = composed[from..].find(text).map(|i| i + from) {
            let col = composed[..i].chars().count();
            from = i + text.len();
            if taken.contains(&(line, col)) {
                continue;
            }
            taken.push((line, col));
            return Location::at(&file.path, line + 1, col + 1).with_snippet(Snippet::new(
                &composed,
                col,
                text.chars().count(),
            ));
        }
    }
    Location::line(&file.path, first + 1).with_snippet(Snippet::line(file.line_text(first)))
}

/// The placeholders of every template (`*.typ.j2` under templates/, in name order), each at
/// its line and column, named as the loader names the template (`phan-1/mo-dau.typ.j2`).
pub fn find_in_templates(root: &Path) -> Vec<Placeholder> {
    let dir = root.join("templates");
    let mut names = vec![];
    template_names(&dir, &dir, &mut names);
    names.sort();
    let mut out = vec![];
    for name in names {
        let path = dir.join(&name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // `«` is its own normal form: a template without it holds no placeholder.
        if !text.contains(OPEN) {
            continue;
        }
        let text = crate::text::normalize(&text.replace("\r\n", "\n"));
        let plain = blank_comments(&text);
        for (n, (line, shown)) in plain.lines().zip(text.lines()).enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for r in spans(line) {
                let col = line[..r.start].chars().count();
                let ph = &line[r.clone()];
                out.push(Placeholder {
                    text: ph.to_string(),
                    location: Location::at(&path, n + 1, col + 1).with_snippet(Snippet::new(
                        shown,
                        col,
                        ph.chars().count(),
                    )),
                    owner: Owner::Template {
                        name: name.clone(),
                        line: n + 1,
                    },
                });
            }
        }
    }
    out
}

/// `{# … #}` comments replaced by spaces, line breaks kept, so lines and columns stay.
fn blank_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{#") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find("#}").map_or(rest.len(), |j| i + j + 2);
        out.extend(
            rest[i..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The `*.typ.j2` files under `dir`, named relative to `base` with `/`.
fn template_names(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            template_names(&p, base, out);
        } else if p.to_string_lossy().ends_with(".typ.j2")
            && let Ok(rel) = p.strip_prefix(base)
        {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_run_from_open_to_close() {
        let t = "Ủy ban nhân dân xã «tên xã», «số» và « không đóng";
        let got: Vec<&str> = spans(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(got, ["«tên xã»", "«số»"]);
        assert_eq!(spans("«a «b» c»").len(), 1, "the inner one");
        assert!(spans("không có gì").is_empty());
        assert!(spans("» «").is_empty());
    }

    #[test]
    fn a_whole_placeholder_is_a_value_not_filled() {
        assert!(is_whole("«thực hiện»"));
        assert!(is_whole("  «…» "));
        assert!(!is_whole("1.146"));
        assert!(!is_whole("xã «tên»"));
        assert!(!is_whole("«a» «b»"));
        assert!(!is_whole("«"));
    }

    const META: &str = "\
co_quan: [«TÊN CƠ QUAN»]
ten_co_quan: Phòng Kinh tế
dia_danh: «Địa danh»
ky_hieu: BC-PKT
nam: 2025
ky_mac_dinh: 6-thang
cac_ky:
  6-thang:
    ngay: /6/2025
    ngay_so_lieu: 14/6/2025
    trich_yeu: Tình hình «…»
  ca-nam:
    ngay: /12/2025
    ngay_so_lieu: 14/12/2025
    trich_yeu: «khác kỳ»
nguoi_ky:
  chuc_vu: [TRƯỞNG PHÒNG]
luu: VT
";

    const INDICATORS: &str = "\
chi_tieu:
  - id: a
    ten: A
    ke_hoach: «kế hoạch»
    ky:
      6-thang:
        thuc_hien: «thực hiện»
        cung_ky: 12
        thanh_phan:
          - ten: X
            gia_tri: «…»
      ca-nam:
        uoc_thuc_hien: «kỳ khác»
  - id: b
    ten: B
    ky:
      6-thang:
        thuc_hien: 1.146
";

    fn data() -> DataSet {
        let mut files = crate::data::DataFiles::new("data");
        files.insert("bao-cao.yaml", "data/bao-cao.yaml", META.as_bytes());
        files.insert(
            "chi-tieu/a.yaml",
            "data/chi-tieu/a.yaml",
            INDICATORS.as_bytes(),
        );
        files.insert(
            "so-lieu/chung.yaml",
            "data/so-lieu/chung.yaml",
            "x: «số»\ny: 5\n".as_bytes(),
        );
        crate::data::load_files(&files).expect("placeholders are no parse error")
    }

    #[test]
    fn a_figure_field_holding_a_placeholder_is_not_filled() {
        let data = data();
        let a = data.indicator("a").unwrap();
        assert!(a.ke_hoach.is_none());
        let v = crate::indicator::InPeriod::new(a, Period::Half);
        assert!(v.figure().is_none());
        assert_eq!(v.pending_figure().as_deref(), Some("«thực hiện»"));
        assert_eq!(v.pending_plan().as_deref(), Some("«kế hoạch»"));
        assert_eq!(v.pending_base(), None, "cung_ky is filled");
        assert_eq!(v.base().map(|n| n.written.as_str()), Some("12"));
        let part = &a.ky.get(Period::Half).unwrap().thanh_phan[0];
        assert!(part.gia_tri.is_none());
        assert_eq!(
            a.component_placeholder(Period::Half, 0).as_deref(),
            Some("«…»")
        );
        let b = crate::indicator::InPeriod::new(data.indicator("b").unwrap(), Period::Half);
        assert_eq!(b.pending_figure(), None);
        // Anything else than a number or one placeholder is still an error.
        let mut files = crate::data::DataFiles::new("data");
        files.insert("bao-cao.yaml", "data/bao-cao.yaml", META.as_bytes());
        files.insert(
            "chi-tieu/a.yaml",
            "data/chi-tieu/a.yaml",
            "chi_tieu:\n  - id: a\n    ten: A\n    ky:\n      6-thang:\n        thuc_hien: 12 «x»\n"
                .as_bytes(),
        );
        assert!(crate::data::load_files(&files).is_err());
    }

    #[test]
    fn find_lists_the_period_s_placeholders_with_their_owner_and_line() {
        let data = data();
        let found = find(Path::new("/khong-co"), &data, Period::Half);
        let got: Vec<(String, String, Owner)> = found
            .iter()
            .map(|p| (p.text.clone(), p.location.to_string(), p.owner.clone()))
            .collect();
        let at = |s: &str| s.to_string();
        assert_eq!(
            got,
            [
                (
                    at("«TÊN CƠ QUAN»"),
                    at("data/bao-cao.yaml:1:11"),
                    Owner::Meta
                ),
                (at("«Địa danh»"), at("data/bao-cao.yaml:3:11"), Owner::Meta),
                (at("«…»"), at("data/bao-cao.yaml:11:26"), Owner::Meta),
                (
                    at("«kế hoạch»"),
                    at("data/chi-tieu/a.yaml:4:15"),
                    Owner::Indicator(0)
                ),
                (
                    at("«thực hiện»"),
                    at("data/chi-tieu/a.yaml:7:20"),
                    Owner::Indicator(0)
                ),
                (
                    at("«…»"),
                    at("data/chi-tieu/a.yaml:11:22"),
                    Owner::Indicator(0)
                ),
                (
                    at("«số»"),
                    at("data/so-lieu/chung.yaml:1:4"),
                    Owner::Figure {
                        file: "chung".into(),
                        key: "x".into()
                    }
                ),
            ],
            "the blocks of ca-nam are left out"
        );
        let year = find(Path::new("/khong-co"), &data, Period::Year);
        assert!(year.iter().any(|p| p.text == "«khác kỳ»"));
        assert!(year.iter().any(|p| p.text == "«kỳ khác»"));
        assert!(!year.iter().any(|p| p.text == "«thực hiện»"));
        // Printed: the metadata always; an indicator or a value only when read.
        let reads = Reads::default();
        let printed: Vec<bool> = found.iter().map(|p| p.printed(&[], &reads, "")).collect();
        assert_eq!(printed, [true, true, true, false, false, false, false]);
        let mut reads = Reads::default();
        reads.figures.insert(("chung".into(), "x".into()));
        assert!(found[3].printed(&[0], &reads, ""));
        assert!(found[6].printed(&[0], &reads, ""));
    }

    #[test]
    fn comments_of_templates_are_left_out() {
        let t = "a {# «không» #} «có»\n{# dòng\n«không» #}\n«có»";
        let plain = blank_comments(t);
        assert_eq!(plain.lines().count(), t.lines().count());
        let found: Vec<&str> = plain
            .lines()
            .flat_map(|l| spans(l).into_iter().map(move |r| &l[r]))
            .collect();
        assert_eq!(found, ["«có»", "«có»"]);
    }
}
