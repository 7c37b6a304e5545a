//! Stated ratios (`so_voi_cung_ky`, `so_voi_ke_hoach` written by hand because the source gives
//! the ratio but not its base) and the figure each was stated for. A stated ratio the report
//! prints is **stale** when the field it was stated for (`thuc_hien` or `uoc_thuc_hien`) no
//! longer holds that figure: `build`, `watch` and `check` warn, the PDF is a draft (DỰ THẢO)
//! until the ratio is updated, and `diff` lists it. A stated ratio written alone (`94,09`,
//! without the figure) cannot be told stale: `check` warns about it, with the base that
//! reproduces it when only one does ([`crate::bases`]), and `check --apply-bases` converts it.

use rust_decimal::Decimal;

use crate::bases::{self, Fit};
use crate::data::{DataSet, FigureField, Indicator, Period, RatioKind};
use crate::diag::{Diagnostic, Location};
use crate::format::{self, Number};
use crate::indicator::InPeriod;

/// The heading under which `diff` lists the stated ratios to update.
pub const DIFF_HEADING: &str = "tỷ lệ ghi tay cần cập nhật";

/// A stated ratio that the report prints for a figure other than the one it was stated for.
#[derive(Clone, Debug, PartialEq)]
pub struct StaleRatio {
    pub id: String,
    pub name: String,
    pub period: Period,
    pub kind: RatioKind,
    pub ratio: Number,
    pub field: FigureField,
    /// The figure the ratio was stated for.
    pub was: Number,
    /// The figure the field holds now (`None`: no longer given).
    pub now: Option<Number>,
    /// Where the ratio is written.
    pub location: Option<Location>,
}

fn ratio_location(ind: &Indicator, period: Period, kind: RatioKind) -> Option<Location> {
    ind.field_location(&["ky", period.key(), kind.key()])
        .or_else(|| ind.location.clone())
}

impl StaleRatio {
    /// "chỉ tiêu `tong_dan_trau` (Tổng đàn trâu), kỳ 6-thang: tỷ lệ so với cùng kỳ ghi tay
    /// 94,09% là của `thuc_hien` 1.146, nay `thuc_hien` là 1.200".
    pub fn describe(&self) -> String {
        let now = match &self.now {
            Some(n) => format!("nay `{}` là {}", self.field.key(), n.written),
            None => format!("nay không còn `{}`", self.field.key()),
        };
        format!(
            "chỉ tiêu `{}` ({}), kỳ {}: {} ghi tay {}% là của `{}` {}, {now}",
            self.id,
            self.name,
            self.period,
            self.kind.name(),
            self.ratio.written,
            self.field.key(),
            self.was.written,
        )
    }

    /// The warning of `build`, `watch` and `check`.
    pub fn warning(&self) -> Diagnostic {
        Diagnostic::warning(format!(
            "{}: tỷ lệ đã cũ, bản in DỰ THẢO cho đến khi cập nhật tỷ lệ",
            self.describe()
        ))
        .at_opt(self.location.clone())
        .hint(format!(
            "ghi tỷ lệ mới của nguồn vào `ty_le` và số liệu nó ứng với vào `{}`{}",
            self.field.key(),
            match self.kind {
                RatioKind::ToBase => {
                    "; hoặc ghi số cùng kỳ `cung_ky` (thay `so_voi_cung_ky`) để baocao tự tính"
                }
                RatioKind::ShareOfPlan => "; hoặc ghi kế hoạch `ke_hoach` để baocao tự tính",
            }
        ))
    }

    /// The reason of the DỰ THẢO mark, for "bản DỰ THẢO vì …".
    pub fn draft_reason(&self) -> String {
        format!(
            "tỷ lệ ghi tay đã cũ: `{}` {}% của chỉ tiêu `{}` kỳ {} ứng với `{}` {}, nay {}",
            self.kind.key(),
            self.ratio.written,
            self.id,
            self.period,
            self.field.key(),
            self.was.written,
            self.now
                .as_ref()
                .map_or("không còn".to_string(), |n| n.written.clone()),
        )
    }
}

/// The stale ratios that `period`'s report prints.
pub fn stale(data: &DataSet, period: Period) -> Vec<StaleRatio> {
    data.indicators
        .iter()
        .flat_map(|ind| {
            InPeriod::new(ind, period)
                .stale_ratios()
                .into_iter()
                .map(move |s| StaleRatio {
                    id: ind.id.0.clone(),
                    name: ind.ten.0.clone(),
                    period,
                    kind: s.kind,
                    ratio: s.stated.ratio.clone(),
                    field: s.field,
                    was: s.was.clone(),
                    now: s.now.cloned(),
                    location: ratio_location(ind, period, s.kind),
                })
        })
        .collect()
}

/// The stale ratios of every period the data has figures for.
pub fn stale_all(data: &DataSet) -> Vec<StaleRatio> {
    Period::ALL
        .into_iter()
        .flat_map(|p| stale(data, p))
        .collect()
}

/// The warnings of `period`'s stale ratios (`build`, `watch`, `check`).
pub fn stale_warnings(data: &DataSet, period: Period) -> Vec<Diagnostic> {
    stale(data, period)
        .iter()
        .map(StaleRatio::warning)
        .collect()
}

/// Why `period`'s report is a draft because of stated ratios: one reason per stale ratio, with
/// where it is written. (The other reasons, `du_thao` and illustrative figures, are
/// `document`'s; this list joins them in "bản DỰ THẢO vì …".)
pub fn draft_reasons(data: &DataSet, period: Period) -> Vec<(String, Option<Location>)> {
    stale(data, period)
        .into_iter()
        .map(|s| (s.draft_reason(), s.location))
        .collect()
}

/// The stated ratios `period`'s report prints that do not record the figure they were stated
/// for: baocao cannot tell when they go stale. One warning each (part of `check`'s audit),
/// with the base that reproduces the ratio when only one does.
pub fn untied_warnings(ind: &Indicator, period: Period) -> Vec<Diagnostic> {
    let view = InPeriod::new(ind, period);
    let Some(values) = view.values else {
        return vec![];
    };
    let mut out = vec![];
    for kind in RatioKind::ALL {
        let Some(stated) = values.stated(kind).filter(|s| s.stated_for.is_none()) else {
            continue;
        };
        if !view.prints_stated(kind) {
            continue;
        }
        let Some(field) = values.value_field() else {
            continue;
        };
        let figure = values
            .get(field)
            .map(|n| n.written.clone())
            .unwrap_or_default();
        let mut d = Diagnostic::warning(format!(
            "chỉ tiêu `{}` ({}), kỳ {period}: {} ghi tay {}% không ghi số liệu nó ứng với: khi số \
             liệu đổi, baocao không biết tỷ lệ đã cũ",
            ind.id.0,
            ind.ten.0,
            kind.name(),
            stated.ratio.written
        ))
        .at_opt(ratio_location(ind, period, kind));
        if kind == RatioKind::ToBase
            && let Some(Fit::One(base)) = values
                .get(field)
                .map(|f| bases::fit(f, &stated.ratio, f.decimals))
        {
            d = d.hint(format!(
                "số cùng kỳ duy nhất cho tỷ lệ này: `cung_ky: {}` ({figure} / {} = {}%); \
                 `baocao check --apply-bases` ghi nó thay cho tỷ lệ",
                base.written, base.written, stated.ratio.written
            ));
        } else {
            d = d.hint(format!(
                "ghi kèm số liệu: `{}:` rồi `ty_le: {}` và `{}: {figure}` trên hai dòng dưới \
                 (`baocao check --apply-bases` ghi giúp)",
                kind.key(),
                stated.ratio.written,
                field.key()
            ));
        }
        out.push(d);
    }
    out
}

/// A stated ratio `diff` lists under [`DIFF_HEADING`]: stale in the new data, or written
/// without its figure while that figure changed between the two sides and the ratio did not.
#[derive(Clone, Debug, PartialEq)]
pub struct ToUpdate {
    pub text: String,
    pub location: Option<Location>,
}

/// The stated ratios to update after the figures changed from `old` to `new`.
pub fn to_update(old: &DataSet, new: &DataSet) -> Vec<ToUpdate> {
    let mut out: Vec<ToUpdate> = stale_all(new)
        .into_iter()
        .map(|s| ToUpdate {
            text: s.describe(),
            location: s.location,
        })
        .collect();
    for ind in &new.indicators {
        let Some(before) = old.indicator(&ind.id.0) else {
            continue;
        };
        for period in Period::ALL {
            let (a, b) = (InPeriod::new(before, period), InPeriod::new(ind, period));
            for kind in RatioKind::ALL {
                let (Some(sa), Some(sb)) = (a.stated(kind), b.stated(kind)) else {
                    continue;
                };
                if sb.stated_for.is_some() || !b.prints_stated(kind) || sa.ratio != sb.ratio {
                    continue;
                }
                let (Some(fa), Some(fb)) = (a.figure(), b.figure()) else {
                    continue;
                };
                if fa.value == fb.value {
                    continue;
                }
                out.push(ToUpdate {
                    text: format!(
                        "chỉ tiêu `{}` ({}), kỳ {period}: {} ghi tay {}% không đổi, nhưng số liệu \
                         đổi từ {} thành {} (tính lại: {})",
                        ind.id.0,
                        ind.ten.0,
                        kind.name(),
                        sb.ratio.written,
                        fa.written,
                        fb.written,
                        rescaled(&sb.ratio, fa.value, fb.value)
                    ),
                    location: ratio_location(ind, period, kind),
                });
            }
        }
    }
    out
}

/// The stated ratio carried over to the new figure, for the reader's guidance: `ratio × new /
/// old`, at the ratio's decimals ("không tính được" for an old figure of 0).
fn rescaled(ratio: &Number, old: Decimal, new: Decimal) -> String {
    if old.is_zero() {
        return "không tính được".into();
    }
    match ratio
        .value
        .checked_mul(new)
        .and_then(|v| v.checked_div(old))
    {
        Some(v) => format!("khoảng {}%", format::format_number(v, ratio.decimals)),
        None => "không tính được".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(yaml: &str) -> Indicator {
        serde_yaml::from_str(yaml).unwrap()
    }

    const TIED: &str = "id: tong_dan_trau\nten: Tổng đàn trâu\ndon_vi: con\nke_hoach: 1.220\nky:\n  6-thang:\n    thuc_hien: 1.200\n    so_voi_cung_ky:\n      ty_le: 94,09\n      thuc_hien: 1.146\n";

    #[test]
    fn a_ratio_stated_for_another_figure_is_stale() {
        let i = indicator(TIED);
        let v = InPeriod::new(&i, Period::Half);
        let s = v.stale_ratios();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].was.written, "1.146");
        assert_eq!(s[0].now.map(|n| n.written.as_str()), Some("1.200"));
        // The same figure written otherwise is not a change.
        let same = indicator(&TIED.replace("thuc_hien: 1.200", "thuc_hien: 1146"));
        assert!(InPeriod::new(&same, Period::Half).stale_ratios().is_empty());
        // A base to compute from: the stated ratio is not printed, so not stale.
        let based = indicator(&TIED.replace(
            "thuc_hien: 1.200\n",
            "thuc_hien: 1.200\n    cung_ky: 1.218\n",
        ));
        assert!(
            InPeriod::new(&based, Period::Half)
                .stale_ratios()
                .is_empty()
        );
    }

    #[test]
    fn the_words_name_the_ratio_and_both_figures() {
        let s = StaleRatio {
            id: "tong_dan_trau".into(),
            name: "Tổng đàn trâu".into(),
            period: Period::Half,
            kind: RatioKind::ToBase,
            ratio: crate::format::parse_number("94,09").unwrap(),
            field: FigureField::ThucHien,
            was: crate::format::parse_number("1.146").unwrap(),
            now: Some(crate::format::parse_number("1.200").unwrap()),
            location: None,
        };
        assert_eq!(
            s.describe(),
            "chỉ tiêu `tong_dan_trau` (Tổng đàn trâu), kỳ 6-thang: tỷ lệ so với cùng kỳ ghi tay \
             94,09% là của `thuc_hien` 1.146, nay `thuc_hien` là 1.200"
        );
        assert_eq!(
            s.draft_reason(),
            "tỷ lệ ghi tay đã cũ: `so_voi_cung_ky` 94,09% của chỉ tiêu `tong_dan_trau` kỳ 6-thang \
             ứng với `thuc_hien` 1.146, nay 1.200"
        );
    }

    #[test]
    fn a_ratio_without_its_figure_is_a_warning_with_the_base_when_one_fits() {
        let i = indicator(
            "id: t\nten: T\nky:\n  6-thang:\n    thuc_hien: 1.146\n    so_voi_cung_ky: 94,09\n    so_voi_ke_hoach: 93,93\n",
        );
        let w = untied_warnings(&i, Period::Half);
        assert_eq!(w.len(), 2);
        assert!(
            w[0].hints[0].contains("`cung_ky: 1.218`"),
            "{:?}",
            w[0].hints
        );
        assert!(
            w[1].hints[0].contains("`thuc_hien: 1.146`"),
            "{:?}",
            w[1].hints
        );
        // Tied: no warning.
        assert!(untied_warnings(&indicator(TIED), Period::Half).is_empty());
    }
}
