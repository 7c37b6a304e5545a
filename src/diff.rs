//! `baocao diff OLD [NEW]`: which figures changed between two data sets, from what to what,
//! and which sentences of the report change because of them (old and new wording), so that a
//! reviewer knows what to re-read before signing.
//!
//! Each side is a report folder (with data/), a data folder, a YAML file (which replaces its
//! counterpart in the report folder's data/), or a git revision of data/ (`git:REV`, or a bare
//! `REV` that is not a path: `HEAD~1`, a tag, a commit). Both sides are rendered with the same
//! templates (the report folder's), so every wording change comes from the figures.

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::data::{self, DataSet, Indicator, Period, PeriodValues, Value};
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::figures::plan_display;
use crate::format::{Date, Number};
use crate::render;

// ---------------------------------------------------------------------------------------------
// Sides

/// Where one side of the comparison comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Side {
    /// A report folder (with data/) or a data folder.
    Folder(PathBuf),
    /// One YAML file of data/.
    File(PathBuf),
    /// data/ at a git revision of the repository that holds the report folder.
    Git(String),
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Side::Folder(p) | Side::File(p) => write!(f, "{}", p.display()),
            Side::Git(rev) => write!(f, "git:{rev}"),
        }
    }
}

/// Read a command-line argument: `git:REV`, an existing path, or a revision git knows.
pub fn parse_side(arg: &str, root: &Path) -> Result<Side> {
    if let Some(rev) = arg.strip_prefix("git:") {
        return Ok(Side::Git(rev.to_string()));
    }
    let path = PathBuf::from(arg);
    if path.is_dir() {
        return Ok(Side::Folder(path));
    }
    if path.is_file() {
        return Ok(Side::File(path));
    }
    if git_knows(root, arg) {
        return Ok(Side::Git(arg.to_string()));
    }
    Err(Error::new(
        Diagnostic::error(format!(
            "`{arg}` không phải thư mục, tệp hay phiên bản git nào"
        ))
        .hint("so sánh hai thư mục báo cáo (hay hai thư mục data/), hai tệp YAML, hoặc hai phiên bản git: `baocao diff HEAD~1 .`, `baocao diff git:v1 git:v2`"),
    ))
}

fn git_knows(root: &Path, rev: &str) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Result<Self> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "baocao-diff-{}-{}-{tag}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("tạo thư mục tạm", &dir, e))?;
        Ok(Self(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One side loaded: its data set, and how to name its files for the user.
struct Loaded {
    data: DataSet,
    /// Kept alive while `data`'s paths are read (locations are re-read for messages).
    _tmp: Option<TempDir>,
}

/// Rewrites the paths of a temporary copy into the names the user gave.
struct Renames(Vec<(PathBuf, PathBuf)>);

impl Renames {
    fn path(&self, p: &Path) -> PathBuf {
        for (from, to) in &self.0 {
            if let Ok(rest) = p.strip_prefix(from) {
                return if rest.as_os_str().is_empty() {
                    to.clone()
                } else {
                    to.join(rest)
                };
            }
        }
        p.to_path_buf()
    }

    fn text(&self, s: &str) -> String {
        let mut s = s.to_string();
        for (from, to) in &self.0 {
            s = s.replace(&from.display().to_string(), &to.display().to_string());
        }
        s
    }

    fn error(&self, mut e: Error, label: &str) -> Error {
        for d in &mut e.0 {
            d.message = format!("{label}: {}", self.text(&d.message));
            if let Some(loc) = &mut d.location {
                loc.file = self.path(&loc.file);
            }
        }
        e
    }

    fn data(&self, data: &mut DataSet) {
        data.meta_path = self.path(&data.meta_path);
        data.table_path = self.path(&data.table_path);
        for ind in &mut data.indicators {
            if let Some(loc) = &mut ind.location {
                loc.file = self.path(&loc.file);
            }
        }
        for f in &mut data.figures {
            f.path = self.path(&f.path);
        }
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| Error::io("tạo thư mục", to, e))?;
    let rd = std::fs::read_dir(from).map_err(|e| Error::io("đọc thư mục", from, e))?;
    for entry in rd.flatten() {
        let p = entry.path();
        let t = to.join(entry.file_name());
        if p.is_dir() {
            copy_dir(&p, &t)?;
        } else {
            std::fs::copy(&p, &t).map_err(|e| Error::io("chép", &p, e))?;
        }
    }
    Ok(())
}

/// Where `file` goes in a data/ folder: its path under data/ when it lies in one (`…/data/
/// chi-tieu/kinh-te.yaml`), else the one file of the report's data/ with the same name.
fn place_in_data(file: &Path, report_data: &Path) -> Result<PathBuf> {
    let comps: Vec<_> = file.components().collect();
    if let Some(i) = comps.iter().rposition(|c| c.as_os_str() == "data") {
        let rel: PathBuf = comps[i + 1..].iter().collect();
        if !rel.as_os_str().is_empty() {
            return Ok(rel);
        }
    }
    let name = file.file_name().unwrap_or_default();
    let mut found = vec![];
    find_named(report_data, report_data, name, &mut found);
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Error::new(
            Diagnostic::error(format!(
                "không biết tệp `{}` thay cho tệp nào trong `{}`",
                file.display(),
                report_data.display()
            ))
            .hint("đặt tên tệp như tệp nó thay (ví dụ `kinh-te.yaml`), hoặc so sánh hai thư mục data/"),
        )),
        _ => Err(Error::new(
            Diagnostic::error(format!(
                "có nhiều tệp tên `{}` trong `{}`",
                name.to_string_lossy(),
                report_data.display()
            ))
            .hint("ghi đường dẫn có `data/…`, ví dụ `ban-cu/data/chi-tieu/kinh-te.yaml`"),
        )),
    }
}

fn find_named(dir: &Path, base: &Path, name: &std::ffi::OsStr, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in rd.flatten() {
        let p = entry.path();
        if p.is_dir() {
            find_named(&p, base, name, out);
        } else if p.file_name() == Some(name)
            && let Ok(rel) = p.strip_prefix(base)
        {
            out.push(rel.to_path_buf());
        }
    }
}

/// Load one side. `root` is the report folder (templates, and data/ for a YAML file side).
fn load_side(side: &Side, root: &Path, label: &str) -> Result<Loaded> {
    match side {
        Side::Folder(dir) => {
            if dir.join("data").is_dir() {
                let data = data::load(dir).map_err(|e| Renames(vec![]).error(e, label))?;
                return Ok(Loaded { data, _tmp: None });
            }
            if !dir.join("bao-cao.yaml").is_file() {
                return Err(Error::new(
                    Diagnostic::error(format!(
                        "`{}` không có `data/` cũng không có `bao-cao.yaml`",
                        dir.display()
                    ))
                    .hint("đưa vào một thư mục báo cáo hay một thư mục data/"),
                ));
            }
            // A data folder: load it as the data/ of a temporary report folder.
            let tmp = TempDir::new("thu-muc")?;
            copy_dir(dir, &tmp.0.join("data"))?;
            let renames = Renames(vec![(tmp.0.join("data"), dir.clone())]);
            let mut data = data::load(&tmp.0).map_err(|e| renames.error(e, label))?;
            renames.data(&mut data);
            Ok(Loaded {
                data,
                _tmp: Some(tmp),
            })
        }
        Side::File(file) => {
            let report_data = root.join("data");
            let rel = place_in_data(file, &report_data)?;
            let tmp = TempDir::new("tep")?;
            copy_dir(&report_data, &tmp.0.join("data"))?;
            let target = tmp.0.join("data").join(&rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io("tạo thư mục", parent, e))?;
            }
            std::fs::copy(file, &target).map_err(|e| Error::io("chép", file, e))?;
            let renames = Renames(vec![
                (target.clone(), file.clone()),
                (tmp.0.join("data"), report_data.clone()),
            ]);
            let mut data = data::load(&tmp.0).map_err(|e| renames.error(e, label))?;
            renames.data(&mut data);
            Ok(Loaded {
                data,
                _tmp: Some(tmp),
            })
        }
        Side::Git(rev) => {
            let tmp = TempDir::new("git")?;
            let names = git(
                root,
                &["ls-tree", "-r", "-z", "--name-only", rev, "--", "data"],
            )
            .map_err(|e| git_error(rev, e))?;
            let names: Vec<String> = String::from_utf8_lossy(&names)
                .split('\0')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if names.is_empty() {
                return Err(Error::new(
                    Diagnostic::error(format!("phiên bản git `{rev}` không có thư mục `data/`"))
                        .hint("kiểm tra tên phiên bản bằng `git log --oneline -- data`"),
                ));
            }
            for name in &names {
                let bytes = git(root, &["show", &format!("{rev}:./{name}")])
                    .map_err(|e| git_error(rev, e))?;
                let target = tmp.0.join(name);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| Error::io("tạo thư mục", parent, e))?;
                }
                std::fs::write(&target, bytes).map_err(|e| Error::io("ghi", &target, e))?;
            }
            let renames = Renames(vec![(tmp.0.clone(), PathBuf::from(format!("{rev}:")))]);
            let mut data = data::load(&tmp.0).map_err(|e| renames.error(e, label))?;
            renames.data(&mut data);
            Ok(Loaded {
                data,
                _tmp: Some(tmp),
            })
        }
    }
}

fn git(root: &Path, args: &[&str]) -> std::result::Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("không chạy được `git`: {}", crate::diag::io_reason(&e)))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(out.stdout)
}

fn git_error(rev: &str, detail: String) -> Error {
    // git speaks English: a Vietnamese reason first, git's words kept for the expert.
    let lower = detail.to_lowercase();
    let reason = if detail.starts_with("không chạy được") {
        None
    } else if lower.contains("not a git repository") {
        Some("thư mục báo cáo không nằm trong một kho git")
    } else if lower.contains("dubious ownership") {
        Some("git từ chối kho này vì nó thuộc một người dùng khác")
    } else if lower.contains("not a valid object name")
        || lower.contains("unknown revision")
        || lower.contains("bad revision")
        || lower.contains("invalid object name")
        || lower.contains("ambiguous argument")
    {
        Some("kho git không có phiên bản này")
    } else if lower.contains("does not exist in") || lower.contains("exists on disk, but not in") {
        Some("phiên bản này không có thư mục `data/`")
    } else {
        Some("git báo lỗi")
    };
    let detail = match reason {
        Some(r) => format!("{r}\nchi tiết: {detail}"),
        None => detail,
    };
    Error::new(
        Diagnostic::error(format!(
            "không đọc được `data/` ở phiên bản git `{rev}`: {detail}"
        ))
        .hint("chạy trong một kho git, với một phiên bản có thật: `HEAD~1`, một nhánh, một thẻ"),
    )
}

// ---------------------------------------------------------------------------------------------
// Figures that changed

/// One figure that differs between the two sides.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureChange {
    /// What it is, for the user: "chỉ tiêu `thu_ngan_sach` (Thu ngân sách thành phố), thực hiện kỳ 6-thang".
    pub what: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Where it is in the new data (the old when it was removed).
    pub location: Option<Location>,
    /// How templates refer to it: `ct.<id>` / `"<id>"` for an indicator, `sl.<file>.<key>`.
    pub refs: Vec<String>,
    /// The short name shown beside a sentence it changes.
    pub short: String,
    /// An indicator's name as a table cell (`[Thu ngân sách thành phố]`): a row of the
    /// indicator table that holds it is the indicator's.
    pub cell: Option<String>,
}

fn number(n: &Number) -> String {
    n.written.clone()
}

fn date(d: &Date) -> String {
    let part = |p: Option<u32>| p.map_or_else(|| "…".to_string(), |v| v.to_string());
    format!("{}/{}/{}", part(d.day), part(d.month), d.year)
}

fn opt<T>(v: &Option<T>, f: impl Fn(&T) -> String) -> Option<String> {
    v.as_ref().map(f)
}

fn value(v: &Value) -> String {
    match v {
        Value::Number(n) => number(n),
        Value::Text(t) => t.clone(),
    }
}

/// The figures that differ between `old` and `new`: indicators (plans, every period's values,
/// components), so-lieu values, and the document's own data (dates, number, signer).
pub fn changed_figures(old: &DataSet, new: &DataSet) -> Vec<FigureChange> {
    let mut out = vec![];
    compare_meta(old, new, &mut out);

    // Indicators, in the new data's order, then the removed ones.
    for ind in &new.indicators {
        let id = &ind.id.0;
        match old.indicator(id) {
            Some(o) => compare_indicator(o, ind, &mut out),
            None => out.push(indicator_change(
                ind,
                "",
                Some("(không có)".into()),
                Some("(chỉ tiêu mới)".into()),
            )),
        }
    }
    for o in &old.indicators {
        if new.indicator(&o.id.0).is_none() {
            out.push(indicator_change(
                o,
                "",
                Some("(có)".into()),
                Some("(bị bỏ)".into()),
            ));
        }
    }

    // So-lieu values, by file name and key.
    for f in &new.figures {
        let of = old.figures.iter().find(|o| o.name == f.name);
        for (k, v) in &f.values {
            let ov = of
                .and_then(|of| of.values.iter().find(|(ok, _)| ok == k))
                .map(|(_, v)| v);
            if ov != Some(v) {
                out.push(figure_change(
                    &f.name,
                    k,
                    &f.path,
                    ov.map(value),
                    Some(value(v)),
                ));
            }
        }
        if let Some(of) = of {
            for (k, v) in &of.values {
                if !f.values.iter().any(|(nk, _)| nk == k) {
                    out.push(figure_change(&f.name, k, &of.path, Some(value(v)), None));
                }
            }
        }
    }
    for of in &old.figures {
        if !new.figures.iter().any(|f| f.name == of.name) {
            for (k, v) in &of.values {
                out.push(figure_change(&of.name, k, &of.path, Some(value(v)), None));
            }
        }
    }
    out
}

fn figure_change(
    file: &str,
    key: &str,
    path: &Path,
    old: Option<String>,
    new: Option<String>,
) -> FigureChange {
    FigureChange {
        what: format!("số liệu `sl.{file}.{key}`"),
        old,
        new,
        location: data::find_key_location(path, key).or_else(|| Some(Location::file(path))),
        // Templates often alias a file (`{% set nn = sl.nong_nghiep %}`): `.key` counts too.
        refs: vec![format!("sl.{file}.{key}"), format!(".{key}")],
        short: format!("sl.{file}.{key}"),
        cell: None,
    }
}

fn indicator_change(
    ind: &Indicator,
    field: &str,
    old: Option<String>,
    new: Option<String>,
) -> FigureChange {
    let id = &ind.id.0;
    FigureChange {
        what: if field.is_empty() {
            format!("chỉ tiêu `{id}` ({})", ind.ten.0)
        } else {
            format!("chỉ tiêu `{id}` ({}), {field}", ind.ten.0)
        },
        old,
        new,
        location: ind.location.clone(),
        refs: vec![format!("ct.{id}"), format!("\"{id}\""), format!("'{id}'")],
        short: id.clone(),
        cell: Some(format!("[{}]", ind.ten.0)),
    }
}

/// One value of a period's entry, as written.
type PeriodField = fn(&PeriodValues) -> Option<String>;

fn compare_indicator(o: &Indicator, n: &Indicator, out: &mut Vec<FigureChange>) {
    let mut field = |name: String, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push(indicator_change(n, &name, a, b));
        }
    };
    field("tên".into(), Some(o.ten.0.clone()), Some(n.ten.0.clone()));
    field(
        "đơn vị".into(),
        opt(&o.don_vi, |t| t.0.clone()),
        opt(&n.don_vi, |t| t.0.clone()),
    );
    field(
        "số chữ số thập phân".into(),
        opt(&o.so_thap_phan, u32::to_string),
        opt(&n.so_thap_phan, u32::to_string),
    );
    field(
        "kế hoạch".into(),
        opt(&o.ke_hoach, |p| plan_display(&p.0)),
        opt(&n.ke_hoach, |p| plan_display(&p.0)),
    );
    field(
        "kế hoạch năm sau".into(),
        opt(&o.ke_hoach_nam_sau, |p| plan_display(&p.0)),
        opt(&n.ke_hoach_nam_sau, |p| plan_display(&p.0)),
    );
    for p in Period::ALL {
        let (a, b) = (o.ky.get(p), n.ky.get(p));
        if a.is_none() && b.is_none() {
            continue;
        }
        let empty = PeriodValues::default();
        let (a, b) = (a.unwrap_or(&empty), b.unwrap_or(&empty));
        let fields: [(&str, PeriodField); 6] = [
            ("thực hiện", |v| opt(&v.thuc_hien, |f| number(&f.0))),
            ("ước thực hiện", |v| {
                opt(&v.uoc_thuc_hien, |f| number(&f.0))
            }),
            ("cùng kỳ", |v| opt(&v.cung_ky, |f| number(&f.0))),
            ("so với cùng kỳ (%)", |v| {
                opt(&v.so_voi_cung_ky, |f| number(&f.0))
            }),
            ("so với kế hoạch (%)", |v| {
                opt(&v.so_voi_ke_hoach, |f| number(&f.0))
            }),
            ("ghi chú", |v| opt(&v.ghi_chu, |t| t.0.clone())),
        ];
        for (name, get) in fields {
            field(format!("{name} kỳ {p}"), get(a), get(b));
        }
        for c in &b.thanh_phan {
            let old = a.thanh_phan.iter().find(|x| x.ten.0 == c.ten.0);
            field(
                format!("thành phần “{}” kỳ {p}", c.ten.0),
                old.map(|x| number(&x.gia_tri.0)),
                Some(number(&c.gia_tri.0)),
            );
        }
        for c in &a.thanh_phan {
            if !b.thanh_phan.iter().any(|x| x.ten.0 == c.ten.0) {
                field(
                    format!("thành phần “{}” kỳ {p}", c.ten.0),
                    Some(number(&c.gia_tri.0)),
                    None,
                );
            }
        }
    }
}

fn compare_meta(old: &DataSet, new: &DataSet, out: &mut Vec<FigureChange>) {
    let loc = |key: &str| data::find_key_location(&new.meta_path, key);
    let mut field = |key: &str, what: String, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push(FigureChange {
                what,
                old: a,
                new: b,
                location: loc(key),
                refs: vec![format!("bc.{key}")],
                short: format!("bc.{key}"),
                cell: None,
            });
        }
    };
    let (o, n) = (&old.meta, &new.meta);
    field(
        "nam",
        "năm báo cáo (`nam`)".into(),
        Some(o.nam.to_string()),
        Some(n.nam.to_string()),
    );
    field(
        "ten_co_quan",
        "tên cơ quan (`ten_co_quan`)".into(),
        Some(o.ten_co_quan.0.clone()),
        Some(n.ten_co_quan.0.clone()),
    );
    field(
        "dia_danh",
        "địa danh (`dia_danh`)".into(),
        Some(o.dia_danh.0.clone()),
        Some(n.dia_danh.0.clone()),
    );
    let signer = |m: &data::Meta| m.nguoi_ky.ho_ten.as_ref().map(|t| t.0.clone());
    field(
        "ho_ten",
        "người ký (`nguoi_ky.ho_ten`)".into(),
        signer(o),
        signer(n),
    );
    for p in Period::ALL {
        let (a, b) = (old.period_meta(p), new.period_meta(p));
        if a.is_none() && b.is_none() {
            continue;
        }
        field(
            "ngay",
            format!("ngày văn bản kỳ {p} (`ngay`)"),
            a.map(|m| date(&m.ngay.0)),
            b.map(|m| date(&m.ngay.0)),
        );
        field(
            "ngay_so_lieu",
            format!("ngày chốt số liệu kỳ {p} (`ngay_so_lieu`)"),
            a.map(|m| date(&m.ngay_so_lieu.0)),
            b.map(|m| date(&m.ngay_so_lieu.0)),
        );
        field(
            "so",
            format!("số văn bản kỳ {p} (`so`)"),
            a.and_then(|m| m.so.as_ref().map(|t| t.0.clone())),
            b.and_then(|m| m.so.as_ref().map(|t| t.0.clone())),
        );
        field(
            "trich_yeu",
            format!("trích yếu kỳ {p} (`trich_yeu`)"),
            a.map(|m| m.trich_yeu.0.clone()),
            b.map(|m| m.trich_yeu.0.clone()),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Sentences of the rendered report

/// A sentence (or a heading, a list line, a line of a code block) of the rendered markup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The markup, line markers removed, lines joined by a space.
    pub markup: String,
    /// Where it starts: template name (under templates/) and line.
    pub location: Option<(String, usize)>,
    /// Every template line it spans.
    pub lines: Vec<(String, usize)>,
}

/// Split marked markup (from `render::render`) into sentences, each with its template lines.
pub fn segments(marked: &str) -> Vec<Segment> {
    // Lines, cleaned, with their template locations.
    let mut lines: Vec<(String, Option<(String, usize)>)> = vec![];
    let mut offset = 0;
    for line in marked.split('\n') {
        let loc = render::locate(marked, offset);
        offset += line.len() + 1;
        lines.push((render::strip_markers(line).trim_end().to_string(), loc));
    }
    let mut out = vec![];
    let mut para: Vec<(String, Option<(String, usize)>)> = vec![];
    let flush = |para: &mut Vec<(String, Option<(String, usize)>)>, out: &mut Vec<Segment>| {
        if para.is_empty() {
            return;
        }
        if is_code(&para[0].0) {
            for (text, loc) in para.drain(..) {
                out.push(Segment {
                    markup: text.trim().to_string(),
                    lines: loc.iter().cloned().collect(),
                    location: loc,
                });
            }
        } else {
            sentences(para, out);
            para.clear();
        }
    };
    // Inside a block of code opened by a line like `#bang(` or `#phu-luc(meta)[` (a table),
    // every line is compared on its own until the brackets close.
    let mut depth: i64 = 0;
    for (text, loc) in lines {
        let t = text.trim();
        if depth > 0 || call_head(t) {
            flush(&mut para, &mut out);
            depth = (depth + bracket_balance(t)).max(0);
            if !t.is_empty() {
                out.push(Segment {
                    markup: t.to_string(),
                    lines: loc.iter().cloned().collect(),
                    location: loc,
                });
            }
        } else if t.is_empty() {
            flush(&mut para, &mut out);
        } else {
            para.push((text, loc));
        }
    }
    flush(&mut para, &mut out);
    out
}

/// A line that is only the head of a call whose arguments or body go on below:
/// `#bang(`, `#phu-luc(meta, tieu-de: "…")[`.
fn call_head(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('#') else {
        return false;
    };
    let name_len = rest
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(rest.len());
    if name_len == 0 {
        return false;
    }
    let rest = &rest[name_len..];
    if rest == "(" || rest == "[" {
        return true;
    }
    // Balanced arguments, then an opening bracket at the end.
    rest.starts_with('(') && rest.ends_with('[') && bracket_balance(&rest[..rest.len() - 1]) == 0
}

/// Opening minus closing brackets and parentheses, outside strings and escapes.
fn bracket_balance(t: &str) -> i64 {
    let mut n = 0;
    let mut in_str = false;
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => in_str = !in_str,
            '(' | '[' if !in_str => n += 1,
            ')' | ']' if !in_str => n -= 1,
            _ => {}
        }
    }
    n
}

/// A paragraph of code (definitions, tables): compared line by line.
fn is_code(first: &str) -> bool {
    let t = first.trim_start();
    ["#let ", "#show", "#set ", "#import ", "//"]
        .iter()
        .any(|p| t.starts_with(p))
        || (t.starts_with('#') && (t.ends_with('(') || t.ends_with('[')))
}

/// Split a paragraph into sentences: after `.`, `!`, `?` or `…` followed by a space and a
/// character that is not a lower-case letter (`47,13%`, `1.300` and `TP. trung tâm` stay
/// whole); a line opening with `- `, `+ ` or a heading call starts a new one too.
fn sentences(para: &[(String, Option<(String, usize)>)], out: &mut Vec<Segment>) {
    // The paragraph as one line, and for each character the paragraph line it came from.
    let mut chars: Vec<char> = vec![];
    let mut line_of: Vec<usize> = vec![];
    let mut breaks: BTreeSet<usize> = BTreeSet::new();
    for (k, (text, _)) in para.iter().enumerate() {
        let t = text.trim();
        if k > 0 {
            chars.push(' ');
            line_of.push(k);
        }
        if starts_item(t) {
            breaks.insert(chars.len());
        }
        for c in t.chars() {
            chars.push(c);
            line_of.push(k);
        }
    }
    let mut cut = |from: usize, to: usize| {
        let text: String = chars[from..to].iter().collect();
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let first = (from..to).find(|&i| chars[i] != ' ').unwrap_or(from);
        let mut lines: Vec<(String, usize)> = vec![];
        for &k in &line_of[first..to] {
            if let Some(l) = &para[k].1
                && lines.last() != Some(l)
            {
                lines.push(l.clone());
            }
        }
        out.push(Segment {
            markup: text.to_string(),
            location: para[line_of[first]].1.clone(),
            lines,
        });
    };
    let n = chars.len();
    let (mut start, mut i) = (0, 0);
    // Depth of content blocks: a footnote's sentences belong to the sentence it hangs on.
    let mut depth = 0usize;
    while i < n {
        if depth == 0 && i > start && breaks.contains(&i) {
            cut(start, i);
            start = i;
        }
        let c = chars[i];
        let escaped = i > 0 && chars[i - 1] == '\\';
        i += 1;
        if escaped {
            continue;
        }
        if c == '[' {
            depth += 1;
        } else if c == ']' {
            depth = depth.saturating_sub(1);
        }
        if depth == 0 && matches!(c, '.' | '!' | '?' | '…') {
            // Closing quotes and brackets stay with the sentence (and the `/.` of `./.`).
            while i < n && matches!(chars[i], '"' | '”' | ')' | '’' | '/' | '.') {
                i += 1;
            }
            if i < n
                && chars[i] == ' '
                && chars[i..]
                    .iter()
                    .find(|c| **c != ' ')
                    .is_some_and(|c| !c.is_lowercase())
            {
                cut(start, i);
                start = i;
            }
        }
    }
    cut(start, n);
}

/// A line that starts its own segment: a dash or plus line, or a heading call.
fn starts_item(t: &str) -> bool {
    t.starts_with("- ")
        || t.starts_with("+ ")
        || ["#phan", "#muc", "#khoan", "#tieu-khoan", "#diem"]
            .iter()
            .any(|h| t.starts_with(h) && t[h.len()..].starts_with(['[', '(']))
}

/// The markup as a reader sees it: calls like `#diem[…]` reduced to their text, a footnote in
/// brackets, escapes removed.
pub fn plain(markup: &str) -> String {
    let chars: Vec<char> = markup.chars().collect();
    let mut out = String::new();
    // For each open content block: whether it is a footnote.
    let mut stack: Vec<bool> = vec![];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c == '#' && i + 1 < chars.len() && chars[i + 1].is_alphabetic() {
            let start = i;
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_alphanumeric() || matches!(chars[j], '-' | '_' | '.'))
            {
                j += 1;
            }
            let name: String = chars[i + 1..j].iter().collect();
            // Arguments in parentheses, strings respected.
            if j < chars.len() && chars[j] == '(' {
                let mut depth = 0;
                let mut in_str = false;
                while j < chars.len() {
                    let ch = chars[j];
                    if in_str {
                        if ch == '\\' {
                            j += 1;
                        } else if ch == '"' {
                            in_str = false;
                        }
                    } else if ch == '"' {
                        in_str = true;
                    } else if ch == '(' {
                        depth += 1;
                    } else if ch == ')' {
                        depth -= 1;
                        if depth == 0 {
                            j += 1;
                            break;
                        }
                    }
                    j += 1;
                }
            }
            if j < chars.len() && chars[j] == '[' {
                let footnote = name == "footnote";
                if footnote {
                    out.push_str(" [");
                }
                stack.push(footnote);
                i = j + 1;
            } else {
                out.extend(&chars[start..j.min(chars.len())]);
                i = j;
            }
            continue;
        }
        if c == ']' && !stack.is_empty() {
            if stack.pop() == Some(true) {
                out.push(']');
            }
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A sentence that reads differently with the new figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceChange {
    /// Template and line of the sentence (new side, else old).
    pub location: Option<(String, usize)>,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Changed figures its template lines refer to.
    pub figures: Vec<String>,
}

enum Op {
    Same,
    Del(usize),
    Ins(usize),
}

/// A longest-common-subsequence edit script between `a` and `b` (common ends trimmed first).
fn edit_script<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Op> {
    let mut pre = 0;
    while pre < a.len() && pre < b.len() && a[pre] == b[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < a.len() - pre && suf < b.len() - pre && a[a.len() - 1 - suf] == b[b.len() - 1 - suf]
    {
        suf += 1;
    }
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let (n, m) = (am.len(), bm.len());
    let mut ops: Vec<Op> = (0..pre).map(|_| Op::Same).collect();
    if n * m > 20_000_000 {
        // Too large to align: everything in the middle differs.
        ops.extend((0..n).map(|i| Op::Del(pre + i)));
        ops.extend((0..m).map(|j| Op::Ins(pre + j)));
    } else {
        // lcs[i][j]: LCS length of am[i..] and bm[j..].
        let w = m + 1;
        let mut lcs = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * w + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(Op::Same);
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j]) {
                ops.push(Op::Ins(pre + j));
                j += 1;
            } else {
                ops.push(Op::Del(pre + i));
                i += 1;
            }
        }
    }
    ops.extend((0..suf).map(|_| Op::Same));
    ops
}

/// The sentences that differ between two renderings, old and new paired in order.
pub fn changed_sentences(
    old: &[Segment],
    new: &[Segment],
    figures: &[FigureChange],
    templates: &Path,
) -> Vec<SentenceChange> {
    let a: Vec<&str> = old.iter().map(|s| s.markup.as_str()).collect();
    let b: Vec<&str> = new.iter().map(|s| s.markup.as_str()).collect();
    let ops = edit_script(&a, &b);
    let mut out = vec![];
    let mut dels: Vec<usize> = vec![];
    let mut ins: Vec<usize> = vec![];
    let mut flush = |dels: &mut Vec<usize>, ins: &mut Vec<usize>| {
        let n = dels.len().max(ins.len());
        for k in 0..n {
            let o = dels.get(k).map(|&i| &old[i]);
            let nw = ins.get(k).map(|&j| &new[j]);
            let seg = nw.or(o);
            let mut lines: Vec<(String, usize)> = vec![];
            for s in [o, nw].into_iter().flatten() {
                lines.extend(s.lines.iter().cloned());
            }
            let (old_text, new_text) = (o.map(|s| plain(&s.markup)), nw.map(|s| plain(&s.markup)));
            let mut by = referenced(&lines, figures, templates);
            for f in figures {
                let in_row = f.cell.as_ref().is_some_and(|cell| {
                    [&old_text, &new_text]
                        .iter()
                        .any(|t| t.as_ref().is_some_and(|t| t.contains(cell.as_str())))
                });
                if in_row && !by.contains(&f.short) {
                    by.push(f.short.clone());
                }
            }
            out.push(SentenceChange {
                location: seg.and_then(|s| s.location.clone()),
                old: old_text.map(|t| table_row(&t)),
                new: new_text.map(|t| table_row(&t)),
                figures: by,
            });
        }
        dels.clear();
        ins.clear();
    };
    for op in ops {
        match op {
            Op::Same => flush(&mut dels, &mut ins),
            Op::Del(i) => dels.push(i),
            Op::Ins(j) => ins.push(j),
        }
    }
    flush(&mut dels, &mut ins);
    // Pairs that read the same once markup is removed are not worth a reviewer's time.
    out.retain(|c| c.old != c.new);
    out
}

/// The changed figures that the template lines mention.
fn referenced(
    lines: &[(String, usize)],
    figures: &[FigureChange],
    templates: &Path,
) -> Vec<String> {
    let mut texts = String::new();
    let mut seen = BTreeSet::new();
    for (name, line) in lines {
        if !seen.insert((name.clone(), *line)) {
            continue;
        }
        if let Ok(t) = std::fs::read_to_string(templates.join(name))
            && let Some(l) = t.lines().nth(line.saturating_sub(1))
        {
            texts.push_str(l);
            texts.push('\n');
        }
    }
    let mut out: Vec<String> = vec![];
    for f in figures {
        let hit = f.refs.iter().any(|r| {
            texts.match_indices(r.as_str()).any(|(i, _)| {
                let after = texts[i + r.len()..].chars().next();
                !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        });
        if hit && !out.contains(&f.short) {
            out.push(f.short.clone());
        }
    }
    out
}

/// A row of table cells (`[1], [Lúa], [5,1],`) shown as `1 | Lúa | 5,1`; other text as is.
fn table_row(t: &str) -> String {
    let body = t.trim().trim_end_matches(',');
    match body.strip_prefix('[').and_then(|b| b.strip_suffix(']')) {
        Some(cells) if body.contains("], [") => cells.split("], [").collect::<Vec<_>>().join(" | "),
        _ => t.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The comparison

/// What `baocao diff` found.
#[derive(Debug)]
pub struct Report {
    pub old: Side,
    pub new: Side,
    pub period: Period,
    pub figures: Vec<FigureChange>,
    pub sentences: Vec<SentenceChange>,
}

/// Compare `old` with `new`, rendering both with the templates of the report folder `root`.
pub fn diff(root: &Path, old: &Side, new: &Side, period: Option<Period>) -> Result<Report> {
    if !root.join("templates").is_dir() {
        return Err(Error::new(
            Diagnostic::error(format!("thư mục `{}` thiếu `templates/`", root.display()))
                .hint("chạy trong thư mục báo cáo, hoặc dùng `--root DIR`"),
        ));
    }
    let old_data = load_side(old, root, &format!("bản cũ `{old}`"))?;
    let new_data = load_side(new, root, &format!("bản mới `{new}`"))?;
    let period = match period {
        Some(p) => p,
        None => new_data.data.default_period(),
    };
    let figures = changed_figures(&old_data.data, &new_data.data);
    let label = |side: &Side, which: &str, e: Error| -> Error {
        Renames(vec![]).error(e, &format!("dựng lời văn {which} `{side}`"))
    };
    let old_r =
        render::render(root, &old_data.data, period).map_err(|e| label(old, "bản cũ", e))?;
    let new_r =
        render::render(root, &new_data.data, period).map_err(|e| label(new, "bản mới", e))?;
    let sentences = changed_sentences(
        &segments(&old_r.markup),
        &segments(&new_r.markup),
        &figures,
        &root.join("templates"),
    );
    Ok(Report {
        old: old.clone(),
        new: new.clone(),
        period,
        figures,
        sentences,
    })
}

// ---------------------------------------------------------------------------------------------
// Output

const MARK_L: &str = "«";
const MARK_R: &str = "»";

/// The words of `a` and `b` with the runs that differ wrapped in «…».
pub fn mark_words(a: &str, b: &str) -> (String, String) {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    let ops = edit_script(&wa, &wb);
    let (mut oa, mut ob) = (vec![], vec![]);
    let (mut ia, mut ib) = (0, 0);
    let (mut run_a, mut run_b): (Vec<&str>, Vec<&str>) = (vec![], vec![]);
    let close = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if !run.is_empty() {
            out.push(format!("{MARK_L}{}{MARK_R}", run.join(" ")));
            run.clear();
        }
    };
    for op in ops {
        match op {
            Op::Same => {
                close(&mut run_a, &mut oa);
                close(&mut run_b, &mut ob);
                oa.push(wa[ia].to_string());
                ob.push(wb[ib].to_string());
                ia += 1;
                ib += 1;
            }
            Op::Del(i) => {
                run_a.push(wa[i]);
                ia = i + 1;
            }
            Op::Ins(j) => {
                run_b.push(wb[j]);
                ib = j + 1;
            }
        }
    }
    close(&mut run_a, &mut oa);
    close(&mut run_b, &mut ob);
    (oa.join(" "), ob.join(" "))
}

/// How to lay out old and new wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `cũ:` above `mới:`.
    Stacked,
    /// Two columns of this total width.
    SideBySide(usize),
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![];
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let wl = word.chars().count();
        let cl = cur.chars().count();
        if cl > 0 && cl + 1 + wl > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

impl Report {
    pub fn render(&self, layout: Layout) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "so sánh `{}` (cũ) với `{}` (mới), báo cáo kỳ {}",
            self.old, self.new, self.period
        );
        if self.figures.is_empty() {
            let _ = writeln!(s, "\nkhông có số liệu nào thay đổi");
        } else {
            let _ = writeln!(s, "\nsố liệu thay đổi: {}", self.figures.len());
            for f in &self.figures {
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(không có)".into());
                let _ = writeln!(s, "  {}: {} → {}", f.what, show(&f.old), show(&f.new));
                if let Some(loc) = &f.location {
                    let mut loc = loc.clone();
                    if let Ok(rest) = loc.file.strip_prefix(".") {
                        loc.file = rest.to_path_buf();
                    }
                    let _ = writeln!(s, "     --> {loc}");
                }
            }
        }
        if self.sentences.is_empty() {
            let _ = writeln!(
                s,
                "\nkhông có câu nào của báo cáo kỳ {} thay đổi",
                self.period
            );
            return s;
        }
        let _ = writeln!(
            s,
            "\ncâu thay đổi trong báo cáo kỳ {}: {} (cần đọc lại trước khi ký)",
            self.period,
            self.sentences.len()
        );
        for (k, c) in self.sentences.iter().enumerate() {
            let place = match &c.location {
                Some((name, line)) => format!("templates/{name}:{line}"),
                None => "(không rõ vị trí)".into(),
            };
            let by = if c.figures.is_empty() {
                String::new()
            } else {
                format!(
                    " (do {})",
                    c.figures
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let _ = writeln!(s, "\n[{}] {place}{by}", k + 1);
            let (old, new) = match (&c.old, &c.new) {
                (Some(a), Some(b)) => mark_words(a, b),
                (a, b) => (
                    a.clone().unwrap_or_else(|| "(không có câu này)".into()),
                    b.clone().unwrap_or_else(|| "(bỏ câu này)".into()),
                ),
            };
            match layout {
                Layout::Stacked => {
                    let _ = writeln!(s, "  cũ:  {old}");
                    let _ = writeln!(s, "  mới: {new}");
                }
                Layout::SideBySide(width) => {
                    let col = (width.saturating_sub(3) / 2).max(20);
                    let l = wrap(&format!("cũ: {old}"), col);
                    let r = wrap(&format!("mới: {new}"), col);
                    for i in 0..l.len().max(r.len()) {
                        let a = l.get(i).map(String::as_str).unwrap_or("");
                        let b = r.get(i).map(String::as_str).unwrap_or("");
                        let pad = col.saturating_sub(a.chars().count());
                        let _ = writeln!(s, "{a}{} │ {b}", " ".repeat(pad));
                    }
                }
            }
        }
        s
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Layout::Stacked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_full_stops_not_at_decimals_or_lower_case() {
        let marked = "Thu ngân sách đạt 47,13% kế hoạch. Vốn đầu tư 1.300 tỷ đồng đạt /*@a.typ.j2:1@*/\n\
                      65%. TP. trung tâm vẫn vậy! Hết /*@a.typ.j2:2@*/\n\n#muc[Tiêu đề] /*@a.typ.j2:4@*/\n- gạch một. /*@a.typ.j2:5@*/\n- gạch hai";
        let segs = segments(marked);
        let texts: Vec<&str> = segs.iter().map(|s| s.markup.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Thu ngân sách đạt 47,13% kế hoạch.",
                "Vốn đầu tư 1.300 tỷ đồng đạt 65%.",
                "TP. trung tâm vẫn vậy!",
                "Hết",
                "#muc[Tiêu đề]",
                "- gạch một.",
                "- gạch hai",
            ]
        );
        assert_eq!(segs[1].location, Some(("a.typ.j2".into(), 1)));
        assert_eq!(
            segs[1].lines,
            vec![("a.typ.j2".into(), 1), ("a.typ.j2".into(), 2)]
        );
        assert_eq!(segs[2].location, Some(("a.typ.j2".into(), 2)));
        assert_eq!(segs[4].location, Some(("a.typ.j2".into(), 4)));
    }

    #[test]
    fn a_footnote_stays_with_its_sentence() {
        let segs =
            segments("Đạt kế hoạch#footnote[Lúa: 5 ha. Ngô: 6 ha.] đề ra. Tiếp \\[theo\\]. Hết.");
        let texts: Vec<&str> = segs.iter().map(|s| s.markup.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Đạt kế hoạch#footnote[Lúa: 5 ha. Ngô: 6 ha.] đề ra.",
                "Tiếp \\[theo\\].",
                "Hết."
            ]
        );
    }

    #[test]
    fn a_table_block_compares_row_by_row() {
        let marked = "Trên đây là báo cáo.\n\n#chu-ky(meta)\n#phu-luc(meta, tieu-de: \"Biểu (a)\")[\n#bang(\n  o: (\n    [1], [Lúa], [5,1],\n    [2], [Ngô], [\\(6\\)],\n  ),\n)\n]\nSau biểu.";
        let texts: Vec<String> = segments(marked).into_iter().map(|s| s.markup).collect();
        assert_eq!(
            texts,
            vec![
                "Trên đây là báo cáo.",
                "#chu-ky(meta)",
                "#phu-luc(meta, tieu-de: \"Biểu (a)\")[",
                "#bang(",
                "o: (",
                "[1], [Lúa], [5,1],",
                "[2], [Ngô], [\\(6\\)],",
                "),",
                ")",
                "]",
                "Sau biểu."
            ]
        );
        assert!(!call_head("#diem[Trồng trọt:] lời văn#footnote["));
        assert!(call_head("#bang(") && call_head("#phu-luc(meta)["));
    }

    #[test]
    fn code_paragraphs_compare_line_by_line() {
        let segs = segments("#bang(\n  o: (\n    [1], [Lúa], [5,1],\n  ),\n)");
        assert_eq!(segs.len(), 5);
        assert_eq!(segs[2].markup, "[1], [Lúa], [5,1],");
    }

    #[test]
    fn plain_text_drops_calls_and_escapes() {
        assert_eq!(
            plain("#diem[Trồng trọt:] đạt 31\\/5\\/2024"),
            "Trồng trọt: đạt 31/5/2024"
        );
        assert_eq!(
            plain("đạt kế hoạch#footnote[Lúa: #strong[706,5] ha] và"),
            "đạt kế hoạch [Lúa: 706,5 ha] và"
        );
        assert_eq!(plain("#tieu-khoan(lien: true)[Y tế:] Tốt"), "Y tế: Tốt");
        assert_eq!(
            plain("#link(\"https://a.vn/(x)\")[Nghị quyết]"),
            "Nghị quyết"
        );
        assert_eq!(plain("#chu-ky(meta)"), "#chu-ky(meta)");
    }

    #[test]
    fn changed_words_are_marked() {
        let (a, b) = mark_words(
            "đạt 47,13% kế hoạch, tăng 5%",
            "đạt 48,2% kế hoạch, giảm 2%",
        );
        assert_eq!(a, "đạt «47,13%» kế hoạch, «tăng 5%»");
        assert_eq!(b, "đạt «48,2%» kế hoạch, «giảm 2%»");
    }

    #[test]
    fn sentences_pair_in_order_and_name_their_figures() {
        let seg = |t: &str| Segment {
            markup: t.into(),
            location: Some(("x.typ.j2".into(), 1)),
            lines: vec![],
        };
        let old = vec![seg("A."), seg("B 1."), seg("C."), seg("D 2.")];
        let new = vec![seg("A."), seg("B 3."), seg("C."), seg("D 4."), seg("E.")];
        let got = changed_sentences(&old, &new, &[], Path::new("/nonexistent"));
        let pairs: Vec<(Option<&str>, Option<&str>)> = got
            .iter()
            .map(|c| (c.old.as_deref(), c.new.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                (Some("B 1."), Some("B 3.")),
                (Some("D 2."), Some("D 4.")),
                (None, Some("E."))
            ]
        );
    }
}
