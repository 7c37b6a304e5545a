//! The template helpers (Vietnamese names; see templates/HUONG-DAN.md). Each is a named
//! function: the wording of an indicator's sentence is a plain function of an [`InPeriod`],
//! unit-tested below; the minijinja wrappers only convert arguments.

use std::sync::Arc;

use minijinja::value::{Rest, Value};
use minijinja::{Environment, ErrorKind};
use rust_decimal::Decimal;

use super::context::Ctx;
use super::values::{FigVal, IndView, fig};
use crate::figures;
use crate::format::{self, Number};
use crate::indicator::{Derived, InPeriod};

type HelperResult<T> = std::result::Result<T, minijinja::Error>;

fn err(msg: impl Into<String>) -> minijinja::Error {
    minijinja::Error::new(ErrorKind::InvalidOperation, msg.into())
}

/// A figure from a template argument: a figure object, an indicator (its period figure),
/// an integer literal or a string written the Vietnamese way.
fn to_number(v: &Value) -> HelperResult<Number> {
    if let Some(f) = v.downcast_object_ref::<FigVal>() {
        return Ok(f.0.clone());
    }
    if let Some(i) = v.downcast_object_ref::<IndView>() {
        return figure_of(&i.view()).cloned();
    }
    if let Some(n) = v.as_i64() {
        return format::parse_number(&n.to_string()).map_err(|e| err(e.message));
    }
    if let Some(s) = v.as_str() {
        return format::parse_number(s).map_err(|e| {
            err(format!(
                "{}{}",
                e.message,
                e.hint.map(|h| format!(" ({h})")).unwrap_or_default()
            ))
        });
    }
    if v.is_undefined() || v.is_none() {
        return Err(err("thiếu số liệu (giá trị trống)"));
    }
    Err(err(format!("`{v}` không phải là số liệu")))
}

fn to_ind(v: &Value) -> HelperResult<Arc<IndView>> {
    if let Some(i) = v.as_object().and_then(|o| o.downcast::<IndView>()) {
        return Ok(i);
    }
    Err(err(format!(
        "`{v}` không phải là chỉ tiêu: dùng `ct.<mã chỉ tiêu>`"
    )))
}

fn decimals_arg(d: Option<i64>) -> HelperResult<Option<u32>> {
    match d {
        None => Ok(None),
        Some(d) if (0..=6).contains(&d) => Ok(Some(d as u32)),
        Some(d) => Err(err(format!(
            "số chữ số thập phân {d} không hợp lệ (0 đến 6)"
        ))),
    }
}

/// The period's figure, or an error naming the indicator and the period.
fn figure_of<'a>(view: &InPeriod<'a>) -> HelperResult<&'a Number> {
    view.figure().ok_or_else(|| {
        err(format!(
            "chỉ tiêu `{}` chưa có số liệu kỳ `{}`",
            view.id(),
            view.period
        ))
    })
}

/// A derived percentage as printed, or the words that stand for a missing one.
pub fn percent_text(r: Derived, decimals: u32) -> String {
    match r {
        Ok(v) => format::format_percent(v, decimals),
        Err(why) => why.wording().to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The wording of an indicator, as plain functions

/// "1.146/1.220": the figure over the plan (the figure alone without a plan).
pub fn figure_over_plan(view: &InPeriod) -> HelperResult<String> {
    let th = figure_of(view)?;
    Ok(match view.plan() {
        Some(p) => format!("{}/{}", th.written, figures::plan_display(p)),
        None => th.written.clone(),
    })
}

/// "tăng 15,7% so với cùng kỳ", "giảm 2,4% so với năm 2023", "bằng cùng kỳ".
pub fn change_text(view: &InPeriod, decimals: u32, base_words: &str) -> String {
    match view.ratio_to_base() {
        Ok(r) => {
            let phrase = figures::change_phrase(r, decimals, base_words);
            if phrase.starts_with("bằng ") {
                phrase
            } else {
                format!("{phrase} so với {base_words}")
            }
        }
        Err(why) => why.wording().to_string(),
    }
}

/// "1.146/1.220 con, đạt 93,93% kế hoạch, bằng 94,09% so với cùng kỳ": the figure, its unit,
/// and each comparison the data allows.
pub fn summary(view: &InPeriod, decimals: u32, base_words: &str) -> HelperResult<String> {
    let mut s = figure_over_plan(view)?;
    match view.unit() {
        "" => {}
        "%" => s.push('%'),
        u => {
            s.push(' ');
            s.push_str(u);
        }
    }
    if let Ok(share) = view.share_of_plan() {
        s.push_str(&format!(
            ", đạt {} kế hoạch",
            format::format_percent(share, decimals)
        ));
    }
    if let Ok(r) = view.ratio_to_base() {
        s.push_str(&format!(
            ", bằng {} so với {base_words}",
            format::format_percent(r, decimals)
        ));
    }
    Ok(s)
}

// ---------------------------------------------------------------------------------------------
// Arithmetic on figures

/// `so(x, d)`: a figure as written, or rounded to `d` decimals.
fn so(x: Value, d: Option<i64>) -> HelperResult<Value> {
    let n = to_number(&x)?;
    Ok(match decimals_arg(d)? {
        None => fig(&n),
        Some(d) => Value::from_object(FigVal::derived(n.value, d)),
    })
}

/// `ty_le(a, b, d)`: a / b in percent.
fn ty_le(a: Value, b: Value, d: Option<i64>) -> HelperResult<String> {
    let (a, b) = (to_number(&a)?, to_number(&b)?);
    let d = decimals_arg(d)?.unwrap_or(1);
    let r = if b.value.is_zero() {
        Err(crate::indicator::Unavailable::ZeroBase)
    } else {
        figures::ratio_pct(a.value, b.value).ok_or(crate::indicator::Unavailable::Overflow)
    };
    Ok(percent_text(r, d))
}

fn numbers(args: &[Value]) -> HelperResult<Vec<Number>> {
    args.iter().map(to_number).collect()
}

/// `tong(a, b, …)`: the sum, at the most decimals of its terms.
fn tong(args: Rest<Value>) -> HelperResult<Value> {
    let nums = numbers(&args.0)?;
    if nums.is_empty() {
        return Err(err("`tong` cần ít nhất một số liệu"));
    }
    let d = figures::max_decimals(&nums.iter().collect::<Vec<_>>());
    let s = figures::sum(&nums.iter().map(|n| n.value).collect::<Vec<_>>())
        .ok_or_else(|| err("tổng quá lớn"))?;
    Ok(Value::from_object(FigVal::derived(s, d)))
}

/// `hieu(a, b)`: a − b.
fn hieu(a: Value, b: Value) -> HelperResult<Value> {
    let (a, b) = (to_number(&a)?, to_number(&b)?);
    let d = figures::max_decimals(&[&a, &b]);
    let v = a
        .value
        .checked_sub(b.value)
        .ok_or_else(|| err("hiệu quá lớn"))?;
    Ok(Value::from_object(FigVal::derived(v, d)))
}

/// `trung_binh(a, b, …)`: the mean, one decimal more than its terms.
fn trung_binh(args: Rest<Value>) -> HelperResult<Value> {
    let nums = numbers(&args.0)?;
    let d = figures::max_decimals(&nums.iter().collect::<Vec<_>>()) + 1;
    let values: Vec<Decimal> = nums.iter().map(|n| n.value).collect();
    let m = figures::mean(&values).ok_or_else(|| err("`trung_binh` cần ít nhất một số liệu"))?;
    Ok(Value::from_object(FigVal::derived(m, d)))
}

fn ngay_day_du(s: Value) -> HelperResult<String> {
    let d = format::parse_date(&s.to_string()).map_err(|e| err(e.message))?;
    Ok(format::date_full(&d))
}

fn ngay_ngan(s: Value) -> HelperResult<String> {
    let d = format::parse_date(&s.to_string()).map_err(|e| err(e.message))?;
    Ok(format::date_short(&d))
}

/// Register every helper. `ctx` serves the helpers that count over the appendix.
pub fn register(env: &mut Environment<'static>, ctx: Arc<Ctx>) {
    env.add_function("so", so);
    env.add_function("th_kh", |i: Value| figure_over_plan(&to_ind(&i)?.view()));
    env.add_function("pt_ke_hoach", |i: Value, d: Option<i64>| {
        let i = to_ind(&i)?;
        Ok::<_, minijinja::Error>(percent_text(
            i.view().share_of_plan(),
            i.decimals(decimals_arg(d)?),
        ))
    });
    env.add_function("so_cung_ky", |i: Value, d: Option<i64>| {
        let i = to_ind(&i)?;
        Ok::<_, minijinja::Error>(percent_text(
            i.view().ratio_to_base(),
            i.decimals(decimals_arg(d)?),
        ))
    });
    env.add_function("tang_giam", |i: Value, d: Option<i64>| {
        let i = to_ind(&i)?;
        Ok::<_, minijinja::Error>(change_text(
            &i.view(),
            i.decimals(decimals_arg(d)?),
            i.base_words(),
        ))
    });
    env.add_function("tom_tat", |i: Value, d: Option<i64>| {
        let i = to_ind(&i)?;
        summary(&i.view(), i.decimals(decimals_arg(d)?), i.base_words())
    });
    env.add_function("ty_le", ty_le);
    env.add_function("tong", tong);
    env.add_function("hieu", hieu);
    env.add_function("trung_binh", trung_binh);
    let c = ctx.clone();
    env.add_function("so_chi_tieu", move || -> usize { count_met(&c).1 });
    env.add_function("dem_dat_ke_hoach", move || -> String {
        let (met, total) = count_met(&ctx);
        format!("{met}/{total}")
    });
    env.add_function("ngay_day_du", ngay_day_du);
    env.add_function("ngay_ngan", ngay_ngan);
}

/// Indicators of the appendix that meet their plan, and how many the appendix lists.
fn count_met(ctx: &Ctx) -> (usize, usize) {
    crate::bieu::describe(&ctx.data, ctx.period)
        .map_or((0, 0), |t| t.count_met(&ctx.data, ctx.period))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Indicator;
    use crate::period::Period;

    fn indicator(yaml: &str) -> Indicator {
        serde_yaml::from_str(yaml).unwrap()
    }

    const TRAU: &str = "id: tong_dan_trau\nten: Tổng đàn trâu\ndon_vi: con\nke_hoach: 1.220\nky:\n  6-thang:\n    thuc_hien: 1.146\n    so_voi_cung_ky: 94,09\n  ca-nam:\n    uoc_thuc_hien: 1.250\n    cung_ky: 1.200\n";

    #[test]
    fn summary_reads_like_the_report() {
        let i = indicator(TRAU);
        let half = InPeriod::new(&i, Period::Half);
        assert_eq!(
            summary(&half, 2, "cùng kỳ").unwrap(),
            "1.146/1.220 con, đạt 93,93% kế hoạch, bằng 94,09% so với cùng kỳ"
        );
        let year = InPeriod::new(&i, Period::Year);
        assert_eq!(
            summary(&year, 1, "năm 2023").unwrap(),
            "1.250/1.220 con, đạt 102,5% kế hoạch, bằng 104,2% so với năm 2023"
        );
        assert!(summary(&InPeriod::new(&i, Period::Quarter1), 1, "cùng kỳ").is_err());
    }

    #[test]
    fn change_words() {
        let i = indicator(TRAU);
        let year = InPeriod::new(&i, Period::Year);
        assert_eq!(
            change_text(&year, 1, "năm 2023"),
            "tăng 4,2% so với năm 2023"
        );
        let flat =
            indicator("id: a\nten: A\nky:\n  6-thang:\n    thuc_hien: 83\n    cung_ky: 83\n");
        assert_eq!(
            change_text(&InPeriod::new(&flat, Period::Half), 2, "cùng kỳ"),
            "bằng cùng kỳ"
        );
        let none = indicator("id: a\nten: A\nky:\n  6-thang:\n    thuc_hien: 83\n");
        assert_eq!(
            change_text(&InPeriod::new(&none, Period::Half), 2, "cùng kỳ"),
            figures::NO_BASE
        );
    }

    #[test]
    fn arithmetic_helpers() {
        let v = |s: &str| Value::from(s);
        assert_eq!(
            tong(Rest(vec![v("2.919,4"), v("63")])).unwrap().to_string(),
            "2.982,4"
        );
        assert_eq!(hieu(v("10"), v("2,5")).unwrap().to_string(), "7,5");
        assert_eq!(
            trung_binh(Rest(vec![v("19"), v("19"), v("18")]))
                .unwrap()
                .to_string(),
            "18,7"
        );
        assert_eq!(ty_le(v("1.365"), v("1.416"), Some(1)).unwrap(), "96,4%");
        assert_eq!(ty_le(v("5"), v("0"), None).unwrap(), figures::ZERO_BASE);
        assert_eq!(so(v("1,005"), Some(2)).unwrap().to_string(), "1,01");
        assert!(so(v("2976.4"), None).is_err());
        assert!(decimals_arg(Some(7)).is_err());
        assert_eq!(
            ngay_day_du(v("5/1/2024")).unwrap(),
            "ngày 05 tháng 01 năm 2024"
        );
        assert_eq!(ngay_ngan(v("15/6/2024")).unwrap(), "15/6/2024");
    }
}
