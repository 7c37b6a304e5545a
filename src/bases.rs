//! Implied bases: the last-year figures (`cung_ky`) that reproduce a stated ratio
//! (`so_voi_cung_ky`) at its printed precision, at the figure's own precision (whole heads for
//! `1.146` con, tenths of a hectare for `2.976,4` ha). When exactly one base fits
//! (1.146 / 1.218 = 94,09 %, and no other whole number gives 94,09 %), baocao can store the
//! base instead of the ratio, and the comparison follows every later change of the figure.
//!
//! `check --apply-bases` ([`apply`]) writes each unique base into the YAML in place of its
//! ratio, with a comment naming the ratio, and ties every other stated ratio to the figure it
//! was stated for (`ty_le` and `thuc_hien`, see [`crate::stated`]). A base is written only when
//! the report's text stays the same for every period: each report is rendered before and after,
//! and a base that would change a printed word (a ratio printed at more decimals than stated,
//! a year-end column that would show it) stays a stated ratio. Plans are never implied: a plan
//! is a printed figure the source did not give.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::budget::Limits;
use crate::data::{self, DataFiles, DataSet, FigureField, Period, RatioKind, SourceFile, YamlPath};
use crate::diag::{Diagnostic, Error, Result};
use crate::figures;
use crate::format::{self, Number};
use crate::indicator::InPeriod;
use crate::output::{self, WriteOptions};
use crate::render;

/// More candidate bases than this are not enumerated: the ratio has no single base.
const MAX_CANDIDATES: u64 = 1000;

/// The bases that reproduce a ratio.
#[derive(Clone, Debug, PartialEq)]
pub enum Fit {
    /// No base at that precision gives the ratio.
    None,
    /// Exactly one does.
    One(Number),
    /// Several do (how many, when counted).
    Many(Option<u64>),
}

/// The bases `b`, multiples of 10^-`decimals`, for which `figure / b × 100` rounds (half away
/// from zero, at the ratio's decimals as written) to `ratio`.
pub fn fit(figure: &Number, ratio: &Number, decimals: u32) -> Fit {
    let (f, r) = (figure.value, ratio.value);
    if f <= Decimal::ZERO || r <= Decimal::ZERO {
        // 0 / b is 0 for every b; a negative figure or ratio has no base we would suggest.
        return Fit::Many(None);
    }
    let half = Decimal::new(5, ratio.decimals + 1);
    let (lo, hi) = (r - half, r + half);
    if lo <= Decimal::ZERO {
        return Fit::Many(None);
    }
    let unit = Decimal::new(1, decimals.min(20));
    let bounds = || -> Option<(Decimal, Decimal)> {
        let hundred_f = f.checked_mul(Decimal::ONE_HUNDRED)?;
        // b in (100f / hi, 100f / lo], in units.
        let first = hundred_f.checked_div(hi)?.checked_div(unit)?.floor();
        let last = hundred_f.checked_div(lo)?.checked_div(unit)?.ceil();
        Some((first, last))
    };
    let Some((first, last)) = bounds() else {
        return Fit::Many(None);
    };
    let span = last - first;
    if span > Decimal::from(MAX_CANDIDATES) {
        return Fit::Many(u64::try_from(span).ok());
    }
    let want = figures::round_half_away(r, ratio.decimals);
    let mut found: Vec<Decimal> = vec![];
    let mut k = first;
    while k <= last {
        if let Some(b) = k.checked_mul(unit).filter(|b| *b > Decimal::ZERO)
            && figures::ratio_pct(f, b)
                .is_some_and(|x| figures::round_half_away(x, ratio.decimals) == want)
        {
            found.push(b);
        }
        k += Decimal::ONE;
    }
    match found.as_slice() {
        [] => Fit::None,
        [b] => Fit::One(Number {
            value: *b,
            decimals,
            written: format::format_number(*b, decimals),
        }),
        many => Fit::Many(Some(many.len() as u64)),
    }
}

/// What `check --apply-bases` does to one stated ratio.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Replace `so_voi_cung_ky` by `cung_ky: base`.
    Base { base: Number },
    /// Write the figure it was stated for beside it.
    Tie,
}

/// One stated ratio met by `check --apply-bases`, and what became of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The data file, as named to the user, and the ratio's line in it (before the change).
    pub file: PathBuf,
    pub line: usize,
    pub id: String,
    pub period: Period,
    pub kind: RatioKind,
    pub ratio: Number,
    pub field: FigureField,
    pub figure: Number,
    pub action: Action,
    /// Why a ratio to last year was tied rather than replaced by a base.
    pub note: Option<String>,
    /// The lines as they were, and as written.
    pub before: String,
    pub after: String,
}

/// A stated ratio left as it is, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub file: PathBuf,
    pub line: usize,
    pub id: String,
    pub period: Period,
    pub kind: RatioKind,
    pub why: String,
    /// Already tied and without a single base: the common case, counted but not listed.
    pub settled: bool,
}

/// What `check --apply-bases` did.
#[derive(Debug, Default)]
pub struct Applied {
    pub changes: Vec<Change>,
    pub kept: Vec<Kept>,
    /// The files written.
    pub files: Vec<PathBuf>,
}

impl Applied {
    pub fn bases(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| matches!(c.action, Action::Base { .. }))
            .count()
    }

    pub fn ties(&self) -> usize {
        self.changes.len() - self.bases()
    }
}

/// A planned edit: which ratio, of which file.
#[derive(Clone, Debug)]
struct Plan {
    file: Arc<SourceFile>,
    /// The period block (`chi_tieu[3].ky.6-thang`) and the ratio's key in it.
    block: YamlPath,
    change: Change,
}

impl Plan {
    /// The file's text with this edit made on `text`.
    fn edit(&self, text: &str) -> Result<String> {
        let src = SourceFile::new(&self.file.path, text.to_string(), self.file.bom);
        let c = &self.change;
        match &c.action {
            Action::Base { base } => src.replace_entry(
                &self.block,
                c.kind.key(),
                "cung_ky",
                &base.written,
                Some(&format!(
                    "suy từ so_voi_cung_ky: {} ({} / {} = {}%)",
                    c.ratio.written, c.figure.written, base.written, c.ratio.written
                )),
            ),
            Action::Tie => src.scalar_to_map(
                &self.block.key(c.kind.key()),
                &[
                    ("ty_le", &c.ratio.written),
                    (c.field.key(), &c.figure.written),
                ],
            ),
        }
    }
}

/// The stated ratios of `data` and what to do with each: the unique base of a ratio to last
/// year; else, for one written alone, the figure it was stated for.
fn plan(data: &DataSet) -> (Vec<Plan>, Vec<Kept>) {
    let mut plans = vec![];
    let mut kept = vec![];
    for ind in &data.indicators {
        for period in Period::ALL {
            let view = InPeriod::new(ind, period);
            let Some(values) = view.values else { continue };
            for kind in RatioKind::ALL {
                let Some(stated) = values.stated(kind) else {
                    continue;
                };
                let Some((file, block)) = ind.field_path(&["ky", period.key()]) else {
                    continue;
                };
                let line = file
                    .location(&block.key(kind.key()))
                    .and_then(|l| l.line)
                    .unwrap_or_default();
                let keep = |why: String| Kept {
                    file: file.path.clone(),
                    line,
                    id: ind.id.0.clone(),
                    period,
                    kind,
                    why,
                    settled: false,
                };
                if !view.prints_stated(kind) {
                    // Computed from a base or a plan: `check` compares it, nothing to store.
                    continue;
                }
                if !view.stale_ratios().iter().all(|s| s.kind != kind) {
                    kept.push(keep(
                        "tỷ lệ đã cũ (số liệu đã đổi): cập nhật tỷ lệ trước".into(),
                    ));
                    continue;
                }
                let Some(field) = stated
                    .stated_for
                    .as_ref()
                    .map(|(f, _)| *f)
                    .or(values.value_field())
                else {
                    kept.push(keep("kỳ chưa có số liệu".into()));
                    continue;
                };
                let Some(figure) = values.get(field).cloned() else {
                    continue;
                };
                let change = |action| Change {
                    file: file.path.clone(),
                    line,
                    id: ind.id.0.clone(),
                    period,
                    kind,
                    ratio: stated.ratio.clone(),
                    field,
                    figure: figure.clone(),
                    action,
                    note: None,
                    before: String::new(),
                    after: String::new(),
                };
                let for_figure = Some(field) == values.value_field();
                let base = match kind {
                    RatioKind::ToBase if for_figure => fit(&figure, &stated.ratio, figure.decimals),
                    _ => Fit::Many(None),
                };
                let why = match (kind, &base) {
                    (RatioKind::ShareOfPlan, _) => None,
                    _ if !for_figure => Some(format!(
                        "tỷ lệ ứng với `{}`, báo cáo so sánh số khác của kỳ",
                        field.key()
                    )),
                    (_, Fit::None) => Some("không số cùng kỳ nào cho đúng tỷ lệ này".into()),
                    (_, Fit::Many(Some(n))) => {
                        Some(format!("{n} số cùng kỳ cùng cho đúng tỷ lệ này"))
                    }
                    _ => Some("không suy ra được một số cùng kỳ duy nhất".into()),
                };
                match (base, &stated.stated_for) {
                    (Fit::One(base), _) => plans.push(Plan {
                        file: Arc::clone(&file),
                        block,
                        change: change(Action::Base { base }),
                    }),
                    (_, None) => {
                        let mut c = change(Action::Tie);
                        c.note = why;
                        plans.push(Plan {
                            file: Arc::clone(&file),
                            block,
                            change: c,
                        });
                    }
                    (_, Some(_)) => kept.push(Kept {
                        settled: true,
                        ..keep(
                            why.unwrap_or_else(|| "kế hoạch không bao giờ suy ra từ tỷ lệ".into()),
                        )
                    }),
                }
            }
        }
    }
    (plans, kept)
}

/// The data files of `root` with `plans` applied to the texts `texts` (by path).
fn edited(
    texts: &[(PathBuf, Arc<SourceFile>)],
    plans: &[&Plan],
) -> Result<Vec<(PathBuf, Arc<SourceFile>, String)>> {
    let mut out = vec![];
    for (rel, src) in texts {
        let mut text = src.text.clone();
        for p in plans.iter().filter(|p| Arc::ptr_eq(&p.file, src)) {
            text = p.edit(&text)?;
        }
        out.push((rel.clone(), Arc::clone(src), text));
    }
    Ok(out)
}

/// The data set of `root` with the edited texts in place of the files.
fn load_edited(root: &Path, files: &[(PathBuf, Arc<SourceFile>, String)]) -> Result<DataSet> {
    let mut set = DataFiles::read_dir(&root.join("data"));
    for (rel, src, text) in files {
        set.insert(rel, &src.path, &src.bytes_with(text));
    }
    data::load_files(&set)
}

/// The rendered text of every period `data` declares.
fn rendered(root: &Path, data: &DataSet, limits: &Limits) -> Result<Vec<(Period, String)>> {
    data.periods()
        .into_iter()
        .map(|p| Ok((p, render::render(root, data, p, limits)?.clean())))
        .collect()
}

/// `check --apply-bases`: store the unique base of each stated ratio to last year, tie every
/// other stated ratio to its figure, and write the files; the rendered text of every period
/// stays the same (a base that would change it is not written, and its ratio is tied instead).
pub fn apply(root: &Path, data: &DataSet, limits: &Limits) -> Result<Applied> {
    let (plans, mut kept) = plan(data);
    // The files the plans edit, by their path under data/.
    let data_dir = root.join("data");
    let mut texts: Vec<(PathBuf, Arc<SourceFile>)> = vec![];
    for p in &plans {
        if !texts.iter().any(|(_, f)| Arc::ptr_eq(f, &p.file)) {
            let rel = p
                .file
                .path
                .strip_prefix(&data_dir)
                .map(Path::to_path_buf)
                .map_err(|_| {
                    Error::msg(format!(
                        "tệp `{}` không nằm trong `{}`",
                        p.file.path.display(),
                        data_dir.display()
                    ))
                })?;
            texts.push((rel, Arc::clone(&p.file)));
        }
    }
    let before = rendered(root, data, limits)?;
    let same = |plans: &[&Plan], period: Option<Period>| -> Result<bool> {
        let data = load_edited(root, &edited(&texts, plans)?)?;
        let after = rendered(root, &data, limits)?;
        Ok(before
            .iter()
            .zip(&after)
            .filter(|((p, _), _)| period.is_none_or(|q| q == *p))
            .all(|((_, a), (_, b))| a == b))
    };
    // Bases period by period: all of a period at once when its text stays, else one by one.
    let mut accepted: Vec<&Plan> = plans
        .iter()
        .filter(|p| matches!(p.change.action, Action::Tie))
        .collect();
    let mut refused: Vec<&Plan> = vec![];
    for period in Period::ALL {
        let of_period: Vec<&Plan> = plans
            .iter()
            .filter(|p| p.change.period == period && matches!(p.change.action, Action::Base { .. }))
            .collect();
        if of_period.is_empty() {
            continue;
        }
        if same(&of_period, Some(period))? {
            accepted.extend(of_period);
            continue;
        }
        for p in of_period {
            if same(&[p], Some(period))? {
                accepted.push(p);
            } else {
                refused.push(p);
            }
        }
    }
    // A refused base: its ratio stays stated, tied to its figure when written alone.
    let mut ties: Vec<Plan> = vec![];
    for p in refused {
        let base = match &p.change.action {
            Action::Base { base } => base.written.clone(),
            Action::Tie => String::new(),
        };
        let why = format!(
            "số cùng kỳ duy nhất {base} làm đổi lời văn báo cáo kỳ {} (tỷ lệ in với nhiều chữ số \
             hơn tỷ lệ đã ghi, hoặc số cùng kỳ được in)",
            p.change.period
        );
        let tied = data
            .indicator(&p.change.id)
            .and_then(|i| InPeriod::new(i, p.change.period).stated(p.change.kind))
            .is_some_and(|s| s.stated_for.is_some());
        if tied {
            kept.push(Kept {
                file: p.change.file.clone(),
                line: p.change.line,
                id: p.change.id.clone(),
                period: p.change.period,
                kind: p.change.kind,
                why,
                settled: false,
            });
        } else {
            let mut t = p.clone();
            t.change.action = Action::Tie;
            t.change.note = Some(why);
            ties.push(t);
        }
    }
    accepted.extend(ties.iter());
    if accepted.is_empty() {
        return Ok(Applied {
            kept,
            ..Applied::default()
        });
    }
    // Everything together, checked once more for every period, then written.
    let files = edited(&texts, &accepted)?;
    if !same(&accepted, None)? {
        return Err(Error::new(Diagnostic::error(
            "không ghi được số cùng kỳ: các thay đổi cùng lúc làm đổi lời văn báo cáo (không tệp \
             nào bị sửa)",
        )));
    }
    let mut changes: Vec<Change> = vec![];
    for p in &accepted {
        let mut c = p.change.clone();
        let one = p.edit(&p.file.text)?;
        (c.before, c.after) = changed_lines(&p.file.text, &one);
        changes.push(c);
    }
    changes.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    kept.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let mut written = vec![];
    for (_, src, text) in files {
        if text != src.text {
            output::write_atomic(&src.path, &src.bytes_with(&text), &WriteOptions::default())?;
            written.push(src.path.clone());
        }
    }
    Ok(Applied {
        changes,
        kept,
        files: written,
    })
}

/// A path as the user opens it from where the command runs (`./` left out).
fn shown(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}

impl Applied {
    /// What `check --apply-bases` prints: each change with its file:line and its lines before
    /// (`-`) and after (`+`), each ratio kept and why, then the counts.
    pub fn render(&self) -> String {
        let mut s = String::new();
        for c in &self.changes {
            let what = match &c.action {
                Action::Base { base } => format!(
                    "`{}` {}% thay bằng số cùng kỳ `cung_ky: {}` ({} / {} = {}%)",
                    c.kind.key(),
                    c.ratio.written,
                    base.written,
                    c.figure.written,
                    base.written,
                    c.ratio.written
                ),
                Action::Tie => format!(
                    "`{}` {}% ghi kèm số liệu nó ứng với: `{}` {}",
                    c.kind.key(),
                    c.ratio.written,
                    c.field.key(),
                    c.figure.written
                ),
            };
            let note = c
                .note
                .as_ref()
                .map(|n| format!(" (không thay bằng số cùng kỳ: {n})"))
                .unwrap_or_default();
            s.push_str(&format!(
                "{}:{}: chỉ tiêu `{}`, kỳ {}: {what}{note}\n",
                shown(&c.file),
                c.line,
                c.id,
                c.period
            ));
            for l in c.before.lines() {
                s.push_str(&format!("  - {}\n", l.trim()));
            }
            for l in c.after.lines() {
                s.push_str(&format!("  + {}\n", l.trim()));
            }
        }
        for k in self.kept.iter().filter(|k| !k.settled) {
            s.push_str(&format!(
                "{}:{}: chỉ tiêu `{}`, kỳ {}: giữ `{}` ghi tay: {}\n",
                shown(&k.file),
                k.line,
                k.id,
                k.period,
                k.kind.key(),
                k.why
            ));
        }
        s.push_str(&format!(
            "đã thay {} tỷ lệ ghi tay bằng số cùng kỳ, ghi kèm số liệu cho {} tỷ lệ, giữ nguyên {} \
             tỷ lệ đã ghi kèm số liệu; đã sửa {} tệp\n",
            self.bases(),
            self.ties(),
            self.kept.len(),
            self.files.len()
        ));
        s
    }
}

/// The whole lines that differ between `old` and `new` (one edit): as they were, as they are.
fn changed_lines(old: &str, new: &str) -> (String, String) {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (
        a[pre..a.len() - suf].join("\n"),
        b[pre..b.len() - suf].join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        format::parse_number(s).unwrap()
    }

    fn fits(figure: &str, ratio: &str) -> Fit {
        let f = n(figure);
        fit(&f, &n(ratio), f.decimals)
    }

    #[test]
    fn a_unique_base_is_found() {
        // The example: 1.146 / 1.218 = 94,09 %, and no other whole number gives it.
        assert_eq!(fits("1.146", "94,09"), Fit::One(n("1.218")));
        // Tenths of a hectare for a figure written with one decimal.
        match fits("2.976,4", "115,7") {
            Fit::Many(Some(k)) => assert!(k > 1, "{k}"),
            other => panic!("{other:?}"),
        }
        // A ratio given to fewer decimals fits many bases.
        assert!(matches!(fits("1.146", "94"), Fit::Many(Some(_))));
        // No base: 3 / b = 40 % has b = 7,5 only.
        assert_eq!(fits("3", "40"), Fit::None);
        // 0 % and 0 fit every base.
        assert_eq!(fits("0", "0"), Fit::Many(None));
        assert_eq!(fits("5", "0"), Fit::Many(None));
        // Each unique base found reproduces the ratio, and its neighbours do not.
        for (f, r) in [("1.146", "94,09"), ("379", "121,47"), ("14.130", "107,57")] {
            if let Fit::One(b) = fits(f, r) {
                let pct = |b: Decimal| {
                    figures::round_half_away(figures::ratio_pct(n(f).value, b).unwrap(), 2)
                };
                assert_eq!(pct(b.value), n(r).value);
                assert_ne!(pct(b.value + Decimal::ONE), n(r).value);
                assert_ne!(pct(b.value - Decimal::ONE), n(r).value);
            }
        }
    }

    #[test]
    fn changed_lines_are_whole_lines() {
        assert_eq!(
            changed_lines("a\nb: 1 # x\nc\n", "a\nd: 2\nc\n"),
            ("b: 1 # x".to_string(), "d: 2".to_string())
        );
    }
}
