//! `baocao check`: arithmetic integrity of the data. Components against their stated total,
//! stated ratios against the ones computed from the figures, implausible shares (a figure
//! typed 1.000 times too large), figures that cannot be negative, a plan of 0, and printed
//! stated ratios that do not record the figure they were stated for ([`crate::stated`]). Pure: returns
//! diagnostics, each naming the indicator, both values and where it is defined.

use rust_decimal::Decimal;

use crate::data::{DataSet, Indicator, Period, PeriodValues};
use crate::diag::Diagnostic;
use crate::figures::{self, Plan};
use crate::format::{self, Number};
use crate::indicator::InPeriod;

/// A share of plan or a ratio to last year beyond these bounds is flagged as implausible.
const PLAUSIBLE_MAX: i64 = 1000;
const PLAUSIBLE_MIN: &str = "0.5";

fn label(ind: &Indicator) -> String {
    format!("chỉ tiêu `{}` ({})", ind.id.0, ind.ten.0)
}

fn warn(ind: &Indicator, msg: String) -> Diagnostic {
    Diagnostic::warning(format!("{}: {msg}", label(ind))).at_opt(ind.location.clone())
}

/// Whether a stated percentage agrees with the computed one at the stated decimals.
fn agrees(stated: &Number, computed: Decimal) -> bool {
    figures::round_half_away(computed, stated.decimals)
        == figures::round_half_away(stated.value, stated.decimals)
}

/// The line of an indicator's field (`ke_hoach`, or `name` under `ky.<period>`).
fn field_location(ind: &Indicator, period: Period, name: &str) -> Option<crate::diag::Location> {
    match name {
        "ke_hoach" => ind.field_location(&["ke_hoach"]),
        _ => ind.field_location(&["ky", period.key(), name]),
    }
}

/// The one line `build` prints for the audit's warnings, which `check` lists one by one.
pub fn build_summary(warnings: &[Diagnostic]) -> Option<Diagnostic> {
    let n = warnings.iter().filter(|d| !d.is_error()).count();
    (n > 0).then(|| {
        Diagnostic::warning(format!(
            "số liệu có {n} cảnh báo số học (thành phần không cộng bằng số tổng, tỷ lệ đã ghi \
             khác tỷ lệ tính được, số khó tin, tỷ lệ ghi tay chưa ghi số liệu, …): chạy \
             `baocao check` để xem từng cảnh báo"
        ))
    })
}

/// Whether `ind`'s figures may be below zero: a rate (unit `%`, `‰`) may; a count, an area,
/// a value cannot. (`check` and `import` refuse a negative figure where none can be.)
pub fn may_be_negative(ind: &Indicator) -> bool {
    ind.don_vi
        .as_ref()
        .is_some_and(|u| matches!(u.0.trim(), "%" | "‰" | "%o"))
}

pub fn audit(data: &DataSet, period: Period) -> Vec<Diagnostic> {
    let mut out = vec![];
    for ind in &data.indicators {
        let units_may_be_negative = may_be_negative(ind);
        let v = ind.ky.get(period);
        // Negative figures where none can be.
        let mut figs: Vec<(&str, &Number)> = vec![];
        if let Some(v) = v {
            for (name, f) in [
                ("thuc_hien", &v.thuc_hien),
                ("uoc_thuc_hien", &v.uoc_thuc_hien),
                ("cung_ky", &v.cung_ky),
            ] {
                if let Some(f) = f {
                    figs.push((name, &f.0));
                }
            }
            for c in v.thanh_phan.iter().filter_map(|c| c.gia_tri.as_ref()) {
                figs.push(("thanh_phan", &c.0));
            }
        }
        if let Some(p) = &ind.ke_hoach
            && let Plan::Value(n) = &p.0
        {
            figs.push(("ke_hoach", n));
        }
        for (name, n) in &figs {
            if n.value.is_sign_negative() && !n.value.is_zero() && !units_may_be_negative {
                out.push(
                    Diagnostic::error(format!("{}: `{name}` = {} là số âm", label(ind), n.written))
                        .at_opt(field_location(ind, period, name).or(ind.location.clone()))
                        .hint("số lượng, diện tích, giá trị không thể âm; nếu đây là tốc độ tăng trưởng thì đơn vị tính là `%`"),
                );
            }
        }
        // A plan of 0: no share of it exists, so no sentence can say "đạt …% kế hoạch".
        if InPeriod::new(ind, period).has_zero_plan() {
            out.push(
                Diagnostic::warning(format!(
                    "{}: kế hoạch bằng 0, không tính được tỷ lệ % kế hoạch: câu văn in \"{}\", \
                     biểu ghi \"{}\"",
                    label(ind),
                    figures::ZERO_PLAN,
                    crate::bieu::ZERO_PLAN_NOTE
                ))
                .at_opt(field_location(ind, period, "ke_hoach").or(ind.location.clone()))
                .hint(
                    "chỉ tiêu \"không để xảy ra\" (càng thấp càng tốt) viết `ke_hoach: tối đa 0` \
                     và `cao_hon_tot: false`; chưa có kế hoạch thì bỏ `ke_hoach`",
                ),
            );
        }
        let Some(v) = v else { continue };
        let value = v.value();
        // Components against the stated total, once every one is filled (a placeholder is
        // listed as such).
        let parts: Option<Vec<&Number>> = v
            .thanh_phan
            .iter()
            .map(|c| c.gia_tri.as_ref().map(|f| &f.0))
            .collect();
        if let Some(parts) = parts.filter(|p| !p.is_empty()) {
            let sum = figures::sum(&parts.iter().map(|n| n.value).collect::<Vec<_>>());
            let d = parts.iter().map(|n| n.decimals).max().unwrap_or(0);
            match (value, sum) {
                (Some(total), Some(sum)) => {
                    let d = d.max(total.decimals);
                    if figures::round_half_away(sum, d) != figures::round_half_away(total.value, d)
                    {
                        out.push(warn(
                            ind,
                            format!(
                                "tổng các thành phần ({}) = {}, khác số tổng đã ghi {} (chênh {})",
                                v.thanh_phan
                                    .iter()
                                    .zip(&parts)
                                    .map(|(c, n)| format!("{} {}", c.ten.0, n.written))
                                    .collect::<Vec<_>>()
                                    .join(" + "),
                                format::format_number(sum, d),
                                total.written,
                                format::format_number(sum - total.value, d)
                            ),
                        ));
                    }
                }
                // A total still to fill is listed as a placeholder.
                (None, _) if InPeriod::new(ind, period).pending_figure().is_some() => {}
                (None, _) => out.push(warn(ind, "có thành phần nhưng không có số tổng".into())),
                (_, None) => out.push(warn(ind, "tổng các thành phần quá lớn".into())),
            }
        }
        let Some(value) = value else { continue };
        // Stated ratios against computed ones: the same `InPeriod` that the report prints from.
        let view = InPeriod::new(ind, period);
        if let (Some(stated), Some(Ok(r))) =
            (view.stated_ratio_to_base(), view.computed_ratio_to_base())
            && !agrees(stated, r)
        {
            out.push(warn(
                ind,
                format!(
                    "tỷ lệ so với cùng kỳ ghi {}%, tính từ số liệu ({} / {}) được {}",
                    stated.written,
                    value.written,
                    view.base().map(|b| b.written.as_str()).unwrap_or_default(),
                    format::format_percent(r, stated.decimals.max(1))
                ),
            ));
        }
        let plan = view.plan();
        let share = view.computed_share_of_plan().and_then(|r| r.ok());
        if let (Some(stated), Some(s)) = (view.stated_share_of_plan(), share)
            && !agrees(stated, s)
        {
            out.push(warn(
                ind,
                format!(
                    "tỷ lệ so với kế hoạch ghi {}%, tính từ số liệu ({} / {}) được {}",
                    stated.written,
                    value.written,
                    plan.map(figures::plan_display).unwrap_or_default(),
                    format::format_percent(s, stated.decimals.max(1))
                ),
            ));
        }
        // Implausible figures: every figure field against the plan and against last year.
        out.extend(implausible(ind, period, v));
        // Printed stated ratios that do not record their figure: they cannot be told stale.
        out.extend(crate::stated::untied_warnings(ind, period));
    }
    out
}

/// Whether a percentage of one figure over another looks like a slip of a thousands
/// separator: beyond `PLAUSIBLE_MAX`, or under `PLAUSIBLE_MIN` for a figure that is not 0.
fn implausible_pct(pct: Decimal, figure: &Number) -> bool {
    let min: Decimal = PLAUSIBLE_MIN.parse().unwrap_or(Decimal::ONE);
    pct > Decimal::from(PLAUSIBLE_MAX) || (pct < min && !figure.value.is_zero())
}

/// A figure typed 1.000 times too large or too small. Every figure field of the period
/// (`thuc_hien` and `uoc_thuc_hien`, not only the one a sentence prefers) is set against the
/// numeric plan and against last year's figure. When every field is implausible against the
/// same reference, the reference is the suspect and is named once, at its line.
fn implausible(ind: &Indicator, period: Period, v: &PeriodValues) -> Vec<Diagnostic> {
    let fields: Vec<(&str, &Number)> = [
        ("thuc_hien", &v.thuc_hien),
        ("uoc_thuc_hien", &v.uoc_thuc_hien),
    ]
    .into_iter()
    .filter_map(|(name, f)| f.as_ref().map(|f| (name, &f.0)))
    .collect();
    let plan = match ind.ke_hoach.as_ref().map(|p| &p.0) {
        Some(Plan::Value(p)) => Some(p),
        _ => None,
    };
    let base = v.cung_ky.as_ref().map(|f| &f.0);
    let mut out = vec![];
    for (ref_name, ref_words, reference) in
        [("ke_hoach", "kế hoạch", plan), ("cung_ky", "cùng kỳ", base)]
    {
        let Some(reference) = reference else { continue };
        let flagged: Vec<(&str, &Number, Decimal)> = fields
            .iter()
            .filter_map(|&(name, n)| {
                let pct = figures::ratio_pct(n.value, reference.value)?;
                implausible_pct(pct, n).then_some((name, n, pct))
            })
            .collect();
        if flagged.is_empty() {
            continue;
        }
        if fields.len() >= 2 && flagged.len() == fields.len() {
            let parts: Vec<String> = flagged
                .iter()
                .map(|(name, n, pct)| {
                    format!(
                        "`{name}` {} là {}",
                        n.written,
                        format::format_percent(*pct, 1)
                    )
                })
                .collect();
            out.push(
                Diagnostic::warning(format!(
                    "{}: `{ref_name}` {} khó tin: so với nó, {}; có thể gõ nhầm hàng nghìn",
                    label(ind),
                    reference.written,
                    parts.join(", ")
                ))
                .at_opt(field_location(ind, period, ref_name).or(ind.location.clone())),
            );
            continue;
        }
        for (name, n, pct) in flagged {
            out.push(
                Diagnostic::warning(format!(
                    "{}: `{name}` {} so với {ref_words} {} là {}: khó tin, có thể gõ nhầm hàng nghìn",
                    label(ind),
                    n.written,
                    reference.written,
                    format::format_percent(pct, 1)
                ))
                .at_opt(field_location(ind, period, name).or(ind.location.clone())),
            );
        }
    }
    out
}
