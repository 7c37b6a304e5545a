//! `baocao diff OLD [NEW]`: which figures changed between two data sets, from what to what,
//! and which sentences of the report change because of them (old and new wording), so that a
//! reviewer knows what to re-read before signing.
//!
//! Each side is a report folder (with data/), a data folder, a YAML file (which replaces its
//! counterpart in the report folder's data/), or a git revision of data/ (`git:REV`, or a bare
//! `REV` that is not a path: `HEAD~1`, a tag, a commit). Both sides are rendered with the same
//! templates (the report folder's), so every wording change comes from the figures.
//!
//! - `sides`: each side read into memory (no temporary folder);
//! - `figures`: the figures that changed (and, from [`crate::stated`], the stated ratios they
//!   leave behind);
//! - `sentences`: the rendered report as sentences, and those that changed;
//! - `print`: the output.

mod figures;
mod print;
mod sentences;
mod sides;

use std::path::Path;

pub use figures::{FigureChange, changed_figures};
pub use print::{Layout, mark_words};
pub use sentences::{Segment, SentenceChange, changed_sentences, plain, segments};
pub use sides::{Side, parse_side, read_side};

use crate::budget::Limits;
use crate::data::{self, DataSet, Period};
use crate::diag::{Diagnostic, Error, Result};
use crate::render;

/// What `baocao diff` found.
#[derive(Debug)]
pub struct Report {
    pub old: Side,
    pub new: Side,
    pub period: Period,
    pub figures: Vec<FigureChange>,
    pub sentences: Vec<SentenceChange>,
    /// Stated ratios that no longer belong to their figure ([`crate::stated::to_update`]).
    pub stale: Vec<crate::stated::ToUpdate>,
}

/// Every message of `e` prefixed with `label` (which side, which step).
fn labelled(mut e: Error, label: &str) -> Error {
    for d in &mut e.0 {
        d.message = format!("{label}: {}", d.message);
    }
    e
}

/// Compare `old` with `new`, rendering both with the templates of the report folder `root`
/// within the template budgets of `limits`.
pub fn diff(
    root: &Path,
    old: &Side,
    new: &Side,
    period: Option<Period>,
    limits: &Limits,
) -> Result<Report> {
    if !root.join("templates").is_dir() {
        return Err(Error::new(
            Diagnostic::error(format!("thư mục `{}` thiếu `templates/`", root.display()))
                .hint("chạy trong thư mục báo cáo, hoặc dùng `--root DIR`"),
        ));
    }
    let load = |side: &Side, which: &str| {
        let files = read_side(side, root)?;
        data::load_files(&files).map_err(|e| labelled(e, &format!("{which} `{side}`")))
    };
    let old_data = load(old, "bản cũ")?;
    let new_data = load(new, "bản mới")?;
    let period = match period {
        Some(p) => p,
        None => new_data.default_period(),
    };
    let (figures, sentences) = compare(
        root,
        &old_data,
        &new_data,
        period,
        &old.to_string(),
        &new.to_string(),
        limits,
    )?;
    let stale = crate::stated::to_update(&old_data, &new_data);
    Ok(Report {
        old: old.clone(),
        new: new.clone(),
        period,
        figures,
        sentences,
        stale,
    })
}

/// The figures that differ between two data sets in memory, and the sentences of `period`'s
/// report that change with them (both rendered with the templates of `root`); `old_label`
/// and `new_label` name the sides in messages; both renders stay within the template budgets
/// of `limits`. (`baocao import` compares the data before and after its edits this way,
/// before writing anything.)
pub fn compare(
    root: &Path,
    old_data: &DataSet,
    new_data: &DataSet,
    period: Period,
    old_label: &str,
    new_label: &str,
    limits: &Limits,
) -> Result<(Vec<FigureChange>, Vec<SentenceChange>)> {
    let figures = changed_figures(old_data, new_data);
    let rendered = |data, side: &str, which: &str| {
        render::render(root, data, period, limits)
            .map_err(|e| labelled(e, &format!("dựng lời văn {which} `{side}`")).in_report(root))
    };
    let old_r = rendered(old_data, old_label, "bản cũ")?;
    let new_r = rendered(new_data, new_label, "bản mới")?;
    let sentences = changed_sentences(
        &segments(&old_r.markup),
        &segments(&new_r.markup),
        &figures,
        &root.join("templates"),
    );
    Ok((figures, sentences))
}
