//! Why a report is a draft (DỰ THẢO), each cause with the place that makes it one.
//!
//! A period's report is a draft when data/bao-cao.yaml says so (`du_thao: true`, for the
//! report or for the period), when the period's figures are illustrative (`cac_ky.<kỳ>.minh_hoa`),
//! when it prints a placeholder still to fill (`«…»`, [`crate::placeholder`]), or when it
//! prints an indicator whose figures are illustrative (`minh_hoa: true` on the indicator or on
//! its block for the period), or when it prints a stated ratio whose figure has changed since
//! it was stated ([`crate::stated`]). Only what the report prints counts: an indicator that no
//! template reads and no appendix row lists does not make a draft, nor does a placeholder in a
//! template line that is not rendered for the period.
//!
//! The same [`Status`] sets the DỰ THẢO mark of the PDF (`document`), and gives the lines
//! `build` and `check` print ("bản DỰ THẢO vì: …").

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::data::DataSet;
use crate::diag::Location;
use crate::indicator::InPeriod;
use crate::period::Period;
use crate::placeholder::{self, Placeholder};
use crate::render::{Reads, Rendered};

/// One reason the report is a draft.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cause {
    /// `du_thao: true` in data/bao-cao.yaml: for the report, or in `cac_ky.<kỳ>`.
    Marked(Option<Location>),
    /// `cac_ky.<kỳ>.minh_hoa: true`: every figure of the period is illustrative.
    IllustrativePeriod(Period, Option<Location>),
    /// Indicators the report prints whose figures are illustrative: each id, where its
    /// `minh_hoa: true` is written.
    Illustrative(Vec<(String, Option<Location>)>),
    /// Placeholders the report prints, each where it is written.
    Placeholders(Vec<Location>),
    /// Stated ratios the report prints whose figure has changed since they were stated
    /// ([`crate::stated::draft_reasons`]): each reason, where the ratio is written.
    StaleRatios(Vec<(String, Option<Location>)>),
}

/// What a period's report still lacks: why it is a draft, and the placeholders left.
/// (Serialize/Deserialize: from the `watch` worker to the watch, with [`crate::project::Built`].)
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub causes: Vec<Cause>,
    /// Every placeholder the report holds, printed or not ([`placeholder::find`]).
    pub placeholders: Vec<Placeholder>,
}

/// The indicators `period`'s report prints: those a template read, and the appendix's rows
/// (every indicator data/bieu.yaml lists), by index in the data set.
pub fn printed_indicators(data: &DataSet, reads: &Reads) -> Vec<usize> {
    let mut out: Vec<usize> = reads.indicators.iter().copied().collect();
    if let Some(table) = &data.table {
        for id in table.nhom.iter().flat_map(|g| &g.chi_tieu) {
            if let Some(i) = data.indicators.iter().position(|ind| ind.id.0 == id.0)
                && !out.contains(&i)
            {
                out.push(i);
            }
        }
    }
    out.sort_unstable();
    out
}

impl Status {
    /// The status of `period`'s report as `rendered` (the templates rendered with `data`)
    /// prints it; `root` is the report folder.
    pub fn new(root: &Path, data: &DataSet, period: Period, rendered: &Rendered) -> Self {
        let mut causes = vec![];
        let meta = &data.meta;
        let key = period.key();
        if meta.du_thao {
            causes.push(Cause::Marked(data.meta_location("du_thao")));
        }
        if let Some(pm) = data.period_meta(period) {
            if pm.du_thao {
                causes.push(Cause::Marked(
                    data.meta_location(&format!("cac_ky.{key}.du_thao")),
                ));
            }
            if pm.minh_hoa {
                causes.push(Cause::IllustrativePeriod(
                    period,
                    data.meta_location(&format!("cac_ky.{key}.minh_hoa")),
                ));
            }
        }
        let printed = printed_indicators(data, &rendered.reads);
        let illustrative: Vec<(String, Option<Location>)> = printed
            .iter()
            .map(|&i| &data.indicators[i])
            .filter(|ind| InPeriod::new(ind, period).illustrative())
            .map(|ind| {
                let in_block = ind.ky.get(period).is_some_and(|v| v.minh_hoa);
                let at = if in_block {
                    ind.field_location(&["ky", key, "minh_hoa"])
                } else {
                    ind.field_location(&["minh_hoa"])
                };
                (ind.id.0.clone(), at)
            })
            .collect();
        if !illustrative.is_empty() {
            causes.push(Cause::Illustrative(illustrative));
        }
        let placeholders = placeholder::find(root, data, period);
        let shown: Vec<Location> = placeholders
            .iter()
            .filter(|p| p.printed(&printed, &rendered.reads, &rendered.markup))
            .map(|p| p.location.clone())
            .collect();
        if !shown.is_empty() {
            causes.push(Cause::Placeholders(shown));
        }
        let stale = crate::stated::draft_reasons(data, period);
        if !stale.is_empty() {
            causes.push(Cause::StaleRatios(stale));
        }
        Status {
            causes,
            placeholders,
        }
    }

    /// The PDF carries the DỰ THẢO mark.
    pub fn is_draft(&self) -> bool {
        !self.causes.is_empty()
    }

    /// "bản DỰ THẢO vì:" and one line a cause, with where each is written; `None` for a
    /// report that is not a draft.
    pub fn explain(&self) -> Option<String> {
        if self.causes.is_empty() {
            return None;
        }
        let mut out = String::from("bản DỰ THẢO vì:");
        for cause in &self.causes {
            out.push_str("\n  - ");
            match cause {
                Cause::Marked(at) => {
                    out.push_str(&format!("dữ liệu ghi `du_thao: true`{}", at_text(at)));
                }
                Cause::IllustrativePeriod(p, at) => out.push_str(&format!(
                    "số liệu kỳ `{p}` là minh họa (`minh_hoa: true`){}",
                    at_text(at)
                )),
                Cause::Illustrative(list) => {
                    out.push_str(&format!(
                        "báo cáo in số liệu minh họa (`minh_hoa: true`) của {} chỉ tiêu",
                        list.len()
                    ));
                    // A few are named; many are only located.
                    if list.len() <= MAX_NAMED {
                        let ids: Vec<String> =
                            list.iter().map(|(id, _)| format!("`{id}`")).collect();
                        out.push_str(&format!(": {}", ids.join(", ")));
                    }
                    let at: Vec<Location> = list.iter().filter_map(|(_, l)| l.clone()).collect();
                    out.push_str(&by_file(&at));
                }
                Cause::Placeholders(at) => {
                    out.push_str(&format!("báo cáo in {} chỗ trống «…» chưa điền", at.len()));
                    out.push_str(&by_file(at));
                }
                Cause::StaleRatios(list) => {
                    for (i, (reason, at)) in list.iter().enumerate() {
                        if i > 0 {
                            out.push_str("\n  - ");
                        }
                        out.push_str(&format!("{reason}{}", at_text(at)));
                    }
                }
            }
        }
        Some(out)
    }

    /// "còn N chỗ trống «…» chưa điền", when placeholders remain (printed or not).
    pub fn remaining(&self) -> Option<String> {
        let n = self.placeholders.len();
        (n > 0)
            .then(|| format!("còn {n} chỗ trống «…» chưa điền (`baocao check` liệt kê từng chỗ)"))
    }
}

/// At most this many illustrative indicators are named in the explanation.
const MAX_NAMED: usize = 5;

/// " (data/bao-cao.yaml:51)", or nothing when the place is unknown.
fn at_text(at: &Option<Location>) -> String {
    at.as_ref().map_or(String::new(), |l| format!(" ({l})"))
}

/// One line a file: "      data/bao-cao.yaml: dòng 3, 5, 9", files in the order first met.
fn by_file(at: &[Location]) -> String {
    let mut files: Vec<(String, Vec<String>)> = vec![];
    for l in at {
        let name = Location::file(&l.file).to_string();
        let line = l.line.map_or("?".to_string(), |n| n.to_string());
        match files.iter_mut().find(|(f, _)| *f == name) {
            Some((_, lines)) => {
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
            None => files.push((name, vec![line])),
        }
    }
    files
        .iter()
        .map(|(f, lines)| format!("\n      {f}: dòng {}", lines.join(", ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_names_each_cause_and_groups_places_by_file() {
        let at = |f: &str, l: usize| Location::at(f, l, 3);
        let s = Status {
            causes: vec![
                Cause::Marked(Some(at("data/bao-cao.yaml", 40))),
                Cause::Illustrative(vec![
                    ("a".into(), Some(at("data/chi-tieu/x.yaml", 12))),
                    ("b".into(), Some(at("data/chi-tieu/x.yaml", 30))),
                ]),
                Cause::Placeholders(vec![
                    at("data/bao-cao.yaml", 3),
                    at("data/bao-cao.yaml", 3),
                    at("data/bao-cao.yaml", 5),
                    at("templates/a.typ.j2", 2),
                ]),
            ],
            placeholders: vec![],
        };
        assert_eq!(
            s.explain().unwrap(),
            "bản DỰ THẢO vì:\n  \
             - dữ liệu ghi `du_thao: true` (data/bao-cao.yaml:40:3)\n  \
             - báo cáo in số liệu minh họa (`minh_hoa: true`) của 2 chỉ tiêu: `a`, `b`\n      \
             data/chi-tieu/x.yaml: dòng 12, 30\n  \
             - báo cáo in 4 chỗ trống «…» chưa điền\n      \
             data/bao-cao.yaml: dòng 3, 5\n      \
             templates/a.typ.j2: dòng 2"
        );
        assert!(Status::default().explain().is_none());
        assert!(!Status::default().is_draft());
        assert!(Status::default().remaining().is_none());
    }
}
