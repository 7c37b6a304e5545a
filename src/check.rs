//! `baocao check`: arithmetic integrity of the data. Components against their stated total,
//! stated ratios against the ones computed from the figures, implausible shares (a figure
//! typed 1.000 times too large), and figures that cannot be negative. Pure: returns
//! diagnostics, each naming the indicator, both values and where it is defined.

use rust_decimal::Decimal;

use crate::data::{DataSet, Indicator, Period};
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

pub fn audit(data: &DataSet, period: Period) -> Vec<Diagnostic> {
    let mut out = vec![];
    for ind in &data.indicators {
        let units_may_be_negative = ind
            .don_vi
            .as_ref()
            .is_some_and(|u| matches!(u.0.trim(), "%" | "‰" | "%o"));
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
            for c in &v.thanh_phan {
                figs.push(("thanh_phan", &c.gia_tri.0));
            }
        }
        if let Some(p) = &ind.ke_hoach {
            if let Plan::Value(n) = &p.0 {
                figs.push(("ke_hoach", n));
            }
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
        let Some(v) = v else { continue };
        let value = v.value();
        // Components against the stated total.
        if !v.thanh_phan.is_empty() {
            let parts: Vec<Decimal> = v.thanh_phan.iter().map(|c| c.gia_tri.0.value).collect();
            let sum = figures::sum(&parts);
            let d = v
                .thanh_phan
                .iter()
                .map(|c| c.gia_tri.0.decimals)
                .max()
                .unwrap_or(0);
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
                                    .map(|c| format!("{} {}", c.ten.0, c.gia_tri.0.written))
                                    .collect::<Vec<_>>()
                                    .join(" + "),
                                format::format_number(sum, d),
                                total.written,
                                format::format_number(sum - total.value, d)
                            ),
                        ));
                    }
                }
                (None, _) => out.push(warn(ind, "có thành phần nhưng không có số tổng".into())),
                (_, None) => out.push(warn(ind, "tổng các thành phần quá lớn".into())),
            }
        }
        let Some(value) = value else { continue };
        // Stated ratios against computed ones: the same `InPeriod` that the report prints from.
        let view = InPeriod::new(ind, period);
        if let (Some(stated), Some(Ok(r))) =
            (view.stated_ratio_to_base(), view.computed_ratio_to_base())
        {
            if !agrees(stated, r) {
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
        }
        let plan = view.plan();
        let share = view.computed_share_of_plan().and_then(|r| r.ok());
        if let (Some(stated), Some(s)) = (view.stated_share_of_plan(), share) {
            if !agrees(stated, s) {
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
        }
        // Implausible shares: a figure typed 1.000 times too large or too small.
        let min: Decimal = PLAUSIBLE_MIN.parse().unwrap_or(Decimal::ONE);
        let max = Decimal::from(PLAUSIBLE_MAX);
        if let (Some(s), Some(Plan::Value(p))) = (share, plan) {
            if s > max || (s < min && !value.value.is_zero()) {
                out.push(warn(
                    ind,
                    format!(
                        "thực hiện {} so với kế hoạch {} là {}: khó tin, có thể gõ nhầm hàng nghìn",
                        value.written,
                        p.written,
                        format::format_percent(s, 1)
                    ),
                ));
            }
        }
        if let (Some(base), Some(Ok(r))) = (view.base(), view.computed_ratio_to_base()) {
            if r > max || (r < min && !value.value.is_zero()) {
                out.push(warn(
                    ind,
                    format!(
                        "thực hiện {} so với cùng kỳ {} là {}: khó tin, có thể gõ nhầm hàng nghìn",
                        value.written,
                        base.written,
                        format::format_percent(r, 1)
                    ),
                ));
            }
        }
    }
    out
}
