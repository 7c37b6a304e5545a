//! `baocao import`: the values read from a workbook written back into the YAML, in place.
//!
//! Every change is gathered first (a value equal to the old one, 5 against `05`, is no
//! change), then each file is edited from its one parse ([`Patch`]): a value's text replaced,
//! a missing field or period block inserted where it belongs, a part appended. Blocks whose
//! figures are written lose `minh_hoa: true` (and the period its own flag when nothing of it
//! is illustrative any more). A so-lieu value goes to the period's own file under
//! `data/ky/<kỳ>/so-lieu/`, never to the shared one. The data are then loaded again in
//! memory, checked, compared as `baocao diff` compares them, and only then written, each file
//! atomically (`--dry-run`: not at all).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::edits::{At, Edits, Op, Written, changes, indicator_ops, period_flag, so_lieu_ops};
use super::form::{check_xlsx_name, file_stem};
use super::import::{Field, ImportOptions, Read, Target, describe, read_values};
use super::read::read_book;
use crate::data::{self, DataFiles, DataSet, Indicator, Insert, Patch, Value};
use crate::diag::{Diagnostic, Error, Result};
use crate::diff::{self, Report, Side};
use crate::figures::{Plan, plan_display};
use crate::output::{self, WriteOptions};
use crate::period::Period;

/// What `baocao import` did (or, with `--dry-run`, would do).
#[derive(Debug)]
pub struct Imported {
    /// The figures changed and the sentences that change with them, as `baocao diff` prints.
    pub report: Report,
    /// What else import did: the `minh_hoa` flags it removed.
    pub notes: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    /// The files written (with `--dry-run`, that would be).
    pub files: Vec<PathBuf>,
    /// Values read from the workbook.
    pub cells: usize,
    pub dry_run: bool,
}

/// Import `xlsx` into the report at `root` (see the module's documentation).
pub fn import(root: &Path, xlsx: &Path, opts: &ImportOptions) -> Result<Imported> {
    check_xlsx_name(xlsx)?;
    let files = DataFiles::read_dir(&root.join("data"));
    let old = data::load_files(&files)?;
    let book = read_book(xlsx)?;
    let reading = read_values(&book, &old, opts)?;
    let period = reading.period;
    old.require_period(period)?;

    let mut edits = Edits::default();
    // Indicators: the values of each, in the workbook's order.
    // Indicators: the values of each, in the workbook's order.
    let by_id: HashMap<&str, &Indicator> = old
        .indicators
        .iter()
        .map(|i| (i.id.0.as_str(), i))
        .collect();
    let mut per_indicator: Vec<(&Indicator, Vec<(&Target, &Read)>)> = vec![];
    let mut slot: HashMap<&str, usize> = HashMap::new();
    for t in &reading.values {
        let id = match &t.target {
            Target::Indicator { id, .. } | Target::Part { id, .. } => id,
            Target::SoLieu { .. } => continue,
        };
        let Some(ind) = by_id.get(id.as_str()) else {
            continue;
        };
        match slot.get(id.as_str()) {
            Some(&k) => per_indicator[k].1.push((&t.target, &t.value)),
            None => {
                slot.insert(id, per_indicator.len());
                per_indicator.push((ind, vec![(&t.target, &t.value)]));
            }
        }
    }
    let mut unflagged: Vec<&str> = vec![];
    for (ind, values) in &per_indicator {
        let ch = changes(ind, values, period, &mut edits.written);
        if indicator_ops(&mut edits, ind, period, ch)? {
            unflagged.push(&ind.id.0);
        }
    }
    period_flag(&mut edits, &old, period, &unflagged);
    so_lieu_ops(&mut edits, &old, &files, period, &reading.values)?;
    let (new_set, outputs) = patched(&edits, &files)?;

    // The result, loaded and checked before anything is written.
    let new = data::load_files(&new_set).map_err(|mut e| {
        e.0.insert(
            0,
            Diagnostic::error("số liệu sau khi nhập không đọc lại được: chưa ghi tệp nào"),
        );
        e
    })?;
    verify(&new, period, &edits.written)?;
    let impossible: Vec<Diagnostic> = crate::check::audit(&new, period)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !impossible.is_empty() {
        return Err(Error(impossible));
    }
    let side_old = Side::Folder(root.to_path_buf());
    let side_new = Side::File(xlsx.to_path_buf());
    let (figures, sentences) = diff::compare(
        root,
        &old,
        &new,
        period,
        &side_old.to_string(),
        &side_new.to_string(),
        &opts.limits,
    )?;
    if !opts.dry_run {
        for (path, bytes) in &outputs {
            output::write_atomic(path, bytes, &WriteOptions::default())?;
        }
    }
    Ok(Imported {
        report: Report {
            old: side_old,
            new: side_new,
            period,
            figures,
            sentences,
            stale: crate::stated::to_update(&old, &new),
        },
        notes: edits.notes,
        warnings: reading.warnings,
        files: outputs.into_iter().map(|(p, _)| p).collect(),
        cells: reading.values.len(),
        dry_run: opts.dry_run,
    })
}

/// A file to write: its path and bytes.
type Output = (PathBuf, Vec<u8>);

/// The edits made, file by file, from one parse each: the data files in memory with them,
/// and the bytes to write.
fn patched(edits: &Edits, files: &DataFiles) -> Result<(DataFiles, Vec<Output>)> {
    let mut new_set = files.clone();
    let mut outputs: Vec<Output> = vec![];
    let rel_of = |display: &Path| {
        files
            .iter()
            .find(|(_, f)| f.as_ref().is_ok_and(|f| f.path == display))
            .map(|(rel, _)| rel.clone())
    };
    for (display, (src, list)) in &edits.ops {
        let mut patch = Patch::new(src);
        for op in list {
            match op {
                Op::Set(p, v) => patch.set(p, v)?,
                Op::Insert {
                    map,
                    at,
                    key,
                    value,
                    comment,
                } => {
                    let at = match at {
                        At::After(k) => Insert::After(k),
                        At::Before(k) => Insert::Before(k),
                        At::End => Insert::End,
                    };
                    patch.insert_with_comment(map, at, key, value, comment.as_deref())?;
                }
                Op::Append(p, v) => patch.append_item(p, v)?,
                Op::Remove(map, key) => {
                    if patch.remove_entry(map, key)?.is_none() {
                        patch.replace(&map.key(key), "false")?;
                    }
                }
            }
        }
        let text = patch.apply()?;
        let rel = rel_of(display).ok_or_else(|| {
            Error::msg(format!(
                "không tìm thấy `{}` trong data/",
                display.display()
            ))
        })?;
        outputs.push((display.clone(), src.bytes_with(&text)));
        new_set.insert_text(rel, display.clone(), text, src.bom);
    }
    for (rel, text) in &edits.new_files {
        let display = files.dir.join(rel);
        outputs.push((display.clone(), text.as_bytes().to_vec()));
        new_set.insert_text(rel.clone(), display, text.clone(), false);
    }
    Ok((new_set, outputs))
}

/// Each value written reads back as written from the new data.
fn verify(new: &DataSet, period: Period, written: &[Written]) -> Result<()> {
    let by_id: HashMap<&str, &Indicator> = new
        .indicators
        .iter()
        .map(|i| (i.id.0.as_str(), i))
        .collect();
    let indicator = |id: &str| by_id.get(id).copied();
    let mut wrong = vec![];
    for w in written {
        let got: Option<String> = match &w.target {
            Target::Indicator { id, field } => indicator(id).and_then(|i| {
                let b = i.ky.get(period);
                match field {
                    Field::ThucHien => b
                        .and_then(|b| b.thuc_hien.as_ref())
                        .map(|f| f.0.written.clone()),
                    Field::UocThucHien => b
                        .and_then(|b| b.uoc_thuc_hien.as_ref())
                        .map(|f| f.0.written.clone()),
                    Field::CungKy => b
                        .and_then(|b| b.cung_ky.as_ref())
                        .map(|f| f.0.written.clone()),
                    Field::Plan => i.ke_hoach.as_ref().map(|p| plan_text(&p.0)),
                    Field::NextPlan => i.ke_hoach_nam_sau.as_ref().map(|p| plan_text(&p.0)),
                    Field::Figure => None,
                }
            }),
            Target::Part { id, name } => indicator(id).and_then(|i| {
                i.ky.get(period)?
                    .thanh_phan
                    .iter()
                    .find(|c| c.ten.0 == *name)
                    .and_then(|c| c.gia_tri.as_ref().map(|g| g.0.written.clone()))
            }),
            Target::SoLieu { file, key } => new
                .figures_for(period)
                .iter()
                .find(|f| file_stem(&f.path) == *file)
                .and_then(|f| f.values.iter().find(|(k, _)| k == key))
                .map(|(_, v)| match v {
                    Value::Number(n) => n.written.clone(),
                    Value::Text(t) => t.clone(),
                }),
        };
        if got.as_deref() != Some(w.text.as_str()) {
            wrong.push(Diagnostic::error(format!(
                "{}: ghi `{}` nhưng đọc lại được `{}`",
                describe(&w.target),
                w.text,
                got.unwrap_or_else(|| "(không có)".into())
            )));
        }
    }
    if wrong.is_empty() {
        return Ok(());
    }
    wrong.push(Diagnostic::error(
        "lỗi của baocao khi ghi số liệu: chưa ghi tệp nào",
    ));
    Err(Error(wrong))
}

/// A plan as its text reads back: a number as written, else as displayed.
fn plan_text(p: &Plan) -> String {
    match p {
        Plan::Value(n) => n.written.clone(),
        Plan::Text(t) => t.clone(),
        other => plan_display(other),
    }
}
