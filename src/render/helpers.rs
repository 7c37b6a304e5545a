//! The template helpers (Vietnamese names; see templates/HUONG-DAN.md). Each is a named
//! function: the wording of an indicator's sentence is a plain function of an [`InPeriod`],
//! unit-tested below; the minijinja wrappers only convert arguments.

use std::sync::Arc;

use minijinja::value::{Kwargs, Rest, Value, ValueKind};
use minijinja::{Environment, ErrorKind};
use rust_decimal::Decimal;

use super::context::Ctx;
use super::values::{FigVal, IndView, Role, fig};
use crate::figures;
use crate::format::{self, Number};
use crate::indicator::{Derived, InPeriod};

type HelperResult<T> = std::result::Result<T, minijinja::Error>;

fn err(msg: impl Into<String>) -> minijinja::Error {
    minijinja::Error::new(ErrorKind::InvalidOperation, msg.into())
}

/// An argument a helper got undefined (`ct.thu_ngan_sac`, a name the data does not have): the
/// helper says which argument of which call it was, and the template error (`render::errors`)
/// names what the template wrote there, read from the template line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndefinedArg {
    /// The helper (`pt_ke_hoach`).
    pub func: String,
    /// The argument's place, from 0.
    pub index: usize,
    /// The helper needs an indicator (`ct.<id>`), not a figure.
    pub indicator: bool,
}

impl UndefinedArg {
    /// What the argument should have been.
    pub fn what(&self) -> &'static str {
        if self.indicator {
            "không phải là chỉ tiêu: dùng `ct.<mã chỉ tiêu>`"
        } else {
            "không có số liệu: tên không có trong dữ liệu"
        }
    }

    /// The error's text, readable as it is: "đối số thứ 1 của `pt_ke_hoach` không xác định (…)".
    pub fn detail(&self) -> String {
        format!(
            "đối số thứ {} của `{}` không xác định ({})",
            self.index + 1,
            self.func,
            self.what()
        )
    }

    /// Read back from [`Self::detail`].
    pub fn parse(detail: &str) -> Option<Self> {
        let rest = detail.strip_prefix("đối số thứ ")?;
        let (n, rest) = rest.split_once(" của `")?;
        let (func, rest) = rest.split_once("` không xác định (")?;
        let index = n.parse::<usize>().ok()?.checked_sub(1)?;
        let indicator = rest.starts_with("không phải là chỉ tiêu");
        let arg = Self {
            func: func.to_string(),
            index,
            indicator,
        };
        (arg.detail() == detail).then_some(arg)
    }

    fn error(func: &str, index: usize, indicator: bool) -> minijinja::Error {
        let arg = Self {
            func: func.to_string(),
            index,
            indicator,
        };
        minijinja::Error::new(ErrorKind::UndefinedError, arg.detail())
    }
}

/// A figure from argument `index` of `func`: a figure object, an indicator (its period
/// figure), an integer literal or a string written the Vietnamese way.
fn to_number(v: &Value, func: &str, index: usize) -> HelperResult<Number> {
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
    if v.is_undefined() {
        return Err(UndefinedArg::error(func, index, false));
    }
    if v.is_none() {
        return Err(err("thiếu số liệu (giá trị trống)"));
    }
    Err(err(format!("`{v}` không phải là số liệu")))
}

/// The indicator passed as the first argument of `func`.
fn to_ind(v: &Value, func: &str) -> HelperResult<Arc<IndView>> {
    if let Some(i) = v.as_object().and_then(|o| o.downcast::<IndView>()) {
        return Ok(i);
    }
    if v.is_undefined() {
        return Err(UndefinedArg::error(func, 0, true));
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
    Ok(match (view.plan(), view.pending_plan()) {
        (Some(p), _) => format!("{}/{}", th.written, figures::plan_display(p)),
        (None, Some(placeholder)) => format!("{}/{placeholder}", th.written),
        (None, None) => th.written.clone(),
    })
}

/// A figure still to fill among a helper's arguments (a placeholder `«…»` in a so-lieu value,
/// an indicator whose figure is one): the helper prints it in place of a number.
fn pending(args: &[&Value]) -> Option<String> {
    args.iter().find_map(|v| {
        if let Some(i) = v.downcast_object_ref::<IndView>() {
            return i.view().pending_figure();
        }
        v.as_str()
            .filter(|s| crate::placeholder::is_whole(s))
            .map(|s| s.trim().to_string())
    })
}

/// `pending` over a list of arguments.
fn pending_in(args: &[Value]) -> Option<String> {
    pending(&args.iter().collect::<Vec<_>>())
}

/// "tăng 15,7% so với cùng kỳ", "giảm 2,4% so với năm 2023", "bằng cùng kỳ". A rate (unit
/// "%") changes by percentage points: "giảm 0,16 điểm phần trăm so với cùng kỳ", which needs
/// last year's figure (a ratio alone does not give the points).
pub fn change_text(view: &InPeriod, decimals: u32, base_words: &str) -> String {
    if view.is_rate() {
        return match view.change_in_points() {
            Ok(points) => {
                let phrase = figures::points_phrase(points, decimals, base_words);
                if phrase.starts_with("bằng ") {
                    phrase
                } else {
                    format!("{phrase} so với {base_words}")
                }
            }
            Err(why) => why.wording().to_string(),
        };
    }
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

/// What `tom_tat` prints of an indicator: which of its three parts (the figure, the share of
/// plan, the ratio to the base), at which decimals, and with which words around them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Print the figure (over the plan) and its unit (`th=false` leaves them out).
    pub figure: bool,
    /// Decimals of the share of plan; `None` leaves the part out (`kh=false`).
    pub plan: Option<u32>,
    /// Decimals of the ratio to the base; `None` leaves the part out (`ck=false`).
    pub base: Option<u32>,
    /// The words after the share of plan: "kế hoạch", "kế hoạch HĐND thành phố giao", or none.
    pub plan_words: String,
    /// The words after the ratio to the base: "so với cùng kỳ", "so với cùng kỳ năm 2023".
    pub base_words: String,
    /// The mark before the ratio to the base when the share of plan precedes it: ',' or ';'.
    pub separator: char,
    /// The unit printed after the figure, when not the indicator's own ("" for none).
    pub unit: Option<String>,
}

impl Summary {
    /// Every part, both comparisons at `decimals`, the ratio "so với" `base` ("cùng kỳ",
    /// "năm 2023").
    pub fn new(decimals: u32, base: &str) -> Self {
        Self {
            figure: true,
            plan: Some(decimals),
            base: Some(decimals),
            plan_words: "kế hoạch".into(),
            base_words: format!("so với {base}"),
            separator: ',',
            unit: None,
        }
    }
}

/// A number with words after it, without a trailing space when there are none.
fn with_words(number: String, words: &str) -> String {
    if words.trim().is_empty() {
        number
    } else {
        format!("{number} {}", words.trim())
    }
}

/// "1.146/1.220 con, đạt 93,93% kế hoạch, bằng 94,09% so với cùng kỳ": the figure, its unit,
/// and each comparison the data allows, as `style` says. A comparison the data does not
/// allow (no plan, no base, a zero base) is left out; printing nothing at all is an error.
pub fn summary(view: &InPeriod, style: &Summary) -> HelperResult<String> {
    let mut s = String::new();
    if style.figure {
        s = figure_over_plan(view)?;
        match style.unit.as_deref().unwrap_or(view.unit()).trim() {
            "" => {}
            "%" => s.push('%'),
            u => {
                s.push(' ');
                s.push_str(u);
            }
        }
    }
    let share = style
        .plan
        .and_then(|d| Some((d, view.share_of_plan().ok()?)))
        .map(|(d, v)| {
            with_words(
                format!("đạt {}", format::format_percent(v, d)),
                &style.plan_words,
            )
        });
    let ratio = style
        .base
        .and_then(|d| Some((d, view.ratio_to_base().ok()?)))
        .map(|(d, v)| {
            with_words(
                format!("bằng {}", format::format_percent(v, d)),
                &style.base_words,
            )
        });
    if let Some(share) = &share {
        if !s.is_empty() {
            s.push_str(", ");
        }
        s.push_str(share);
    }
    if let Some(ratio) = ratio {
        if share.is_some() {
            s.push(style.separator);
            s.push(' ');
        } else if !s.is_empty() {
            s.push_str(", ");
        }
        s.push_str(&ratio);
    }
    if s.is_empty() {
        return Err(err(format!(
            "`tom_tat` không có gì để in: chỉ tiêu `{}` kỳ `{}` không có tỷ lệ so với kế hoạch hay \
             cùng kỳ (bỏ `th=false` để in số thực hiện)",
            view.id(),
            view.period
        )));
    }
    Ok(s)
}

/// The keyword arguments of `tom_tat`, in the order HUONG-DAN.md lists them.
pub const SUMMARY_ARGS: [&str; 8] = [
    "kh",
    "ck",
    "th",
    "giao",
    "ke_hoach",
    "so_sanh",
    "ngan_cach",
    "don_vi",
];

/// A template value as the template wrote it: a string in quotes.
fn shown(v: &Value) -> String {
    if let Some(s) = v.as_str() {
        return format!("\"{s}\"");
    }
    match v.kind() {
        ValueKind::Bool => if v.is_true() { "true" } else { "false" }.to_string(),
        ValueKind::None => "none".to_string(),
        _ => v.to_string(),
    }
}

/// A keyword argument that is a string, or an error naming it.
fn kwarg_text(kw: &Kwargs, name: &str) -> HelperResult<Option<String>> {
    match kw.get::<Option<Value>>(name)? {
        None => Ok(None),
        Some(v) => match v.as_str() {
            Some(s) => Ok(Some(s.to_string())),
            None => Err(err(format!(
                "`tom_tat`: `{name}` là chữ, viết trong ngoặc kép (`{name}=\"…\"`), không phải `{}`",
                shown(&v)
            ))),
        },
    }
}

/// `kh=` / `ck=`: decimals (0 to 6), or `false` to leave the part out. `Some(None)` is
/// `false`; `None` is not given.
fn kwarg_decimals(kw: &Kwargs, name: &str) -> HelperResult<Option<Option<u32>>> {
    match kw.get::<Option<Value>>(name)? {
        None => Ok(None),
        Some(v) if v.kind() == ValueKind::Bool && !v.is_true() => Ok(Some(None)),
        Some(v) => match v.as_i64() {
            Some(d) if v.kind() == ValueKind::Number => Ok(Some(decimals_arg(Some(d))?)),
            _ => Err(err(format!(
                "`tom_tat`: `{name}` là số chữ số thập phân (0 đến 6) hoặc `false` để bỏ phần \
                 này, không phải `{}`",
                shown(&v)
            ))),
        },
    }
}

/// The [`Summary`] a `tom_tat` call asks for: the positional decimals `d` (else the
/// indicator's `decimals`) for both comparisons, and the keyword arguments over them.
/// `base` is what the period compares with ("cùng kỳ", "năm 2023").
pub fn summary_args(
    d: Option<i64>,
    decimals: u32,
    base: &str,
    kw: &Kwargs,
) -> HelperResult<Summary> {
    for name in kw.args() {
        if !SUMMARY_ARGS.contains(&name) {
            let mut msg = format!("`tom_tat` không có tham số `{name}`");
            if let Some(n) = crate::text::nearest(name, SUMMARY_ARGS) {
                msg.push_str(&format!("; có phải là `{n}`?"));
            }
            return Err(err(msg));
        }
    }
    let mut style = Summary::new(decimals_arg(d)?.unwrap_or(decimals), base);
    if let Some(plan) = kwarg_decimals(kw, "kh")? {
        style.plan = plan;
    }
    if let Some(ratio) = kwarg_decimals(kw, "ck")? {
        style.base = ratio;
    }
    match kw.get::<Option<Value>>("th")? {
        None => {}
        Some(v) if v.kind() == ValueKind::Bool => style.figure = v.is_true(),
        Some(v) => {
            return Err(err(format!(
                "`tom_tat`: `th` là `true` hoặc `false` (bỏ số thực hiện), không phải `{}`",
                shown(&v)
            )));
        }
    }
    match (kwarg_text(kw, "giao")?, kwarg_text(kw, "ke_hoach")?) {
        (Some(_), Some(_)) => {
            return Err(err(
                "`tom_tat`: chỉ dùng một trong hai `giao` và `ke_hoach`",
            ));
        }
        (Some(by), None) if by.trim().is_empty() => {
            return Err(err(
                "`tom_tat`: `giao` là nơi giao kế hoạch (`giao=\"HĐND thành phố\"`); \
                 chữ khác sau tỷ lệ thì viết `ke_hoach=\"…\"`",
            ));
        }
        (Some(by), None) => style.plan_words = format!("kế hoạch {} giao", by.trim()),
        (None, Some(words)) => style.plan_words = words,
        (None, None) => {}
    }
    if let Some(words) = kwarg_text(kw, "so_sanh")? {
        style.base_words = words;
    }
    if let Some(mark) = kwarg_text(kw, "ngan_cach")? {
        style.separator = match mark.trim() {
            "," => ',',
            ";" => ';',
            other => {
                return Err(err(format!(
                    "`tom_tat`: `ngan_cach` là `\",\"` hoặc `\";\"`, không phải `\"{other}\"`"
                )));
            }
        };
    }
    if let Some(unit) = kwarg_text(kw, "don_vi")? {
        style.unit = Some(unit);
    }
    Ok(style)
}

// ---------------------------------------------------------------------------------------------
// Arithmetic on figures

/// `so(x, d)`: a figure as written, or rounded to `d` decimals.
fn so(x: Value, d: Option<i64>) -> HelperResult<Value> {
    if let Some(p) = pending(&[&x]) {
        return Ok(Value::from(p));
    }
    let n = to_number(&x, "so", 0)?;
    Ok(match decimals_arg(d)? {
        // A plan stays a plan (`ty_le(a, so(ct.x.kh))` words a plan of 0 as one).
        None => match x.downcast_object_ref::<FigVal>() {
            Some(f) => Value::from_object(f.clone()),
            None => fig(&n),
        },
        Some(d) => Value::from_object(FigVal::derived(n.value, d)),
    })
}

/// `ty_le(a, b, d)`: a / b in percent. Over a plan of 0 (`ct.x.kh`) the words say so.
fn ty_le(a: Value, b: Value, d: Option<i64>) -> HelperResult<String> {
    if let Some(p) = pending(&[&a, &b]) {
        return Ok(p);
    }
    let over_plan = b
        .downcast_object_ref::<FigVal>()
        .is_some_and(|f| f.1 == Role::Plan);
    let (a, b) = (to_number(&a, "ty_le", 0)?, to_number(&b, "ty_le", 1)?);
    let d = decimals_arg(d)?.unwrap_or(1);
    let r = if b.value.is_zero() {
        Err(if over_plan {
            crate::indicator::Unavailable::ZeroPlan
        } else {
            crate::indicator::Unavailable::ZeroBase
        })
    } else {
        figures::ratio_pct(a.value, b.value).ok_or(crate::indicator::Unavailable::Overflow)
    };
    Ok(percent_text(r, d))
}

fn numbers(args: &[Value], func: &str) -> HelperResult<Vec<Number>> {
    args.iter()
        .enumerate()
        .map(|(i, v)| to_number(v, func, i))
        .collect()
}

/// `tong(a, b, …)`: the sum, at the most decimals of its terms.
fn tong(args: Rest<Value>) -> HelperResult<Value> {
    if let Some(p) = pending_in(&args.0) {
        return Ok(Value::from(p));
    }
    let nums = numbers(&args.0, "tong")?;
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
    if let Some(p) = pending(&[&a, &b]) {
        return Ok(Value::from(p));
    }
    let (a, b) = (to_number(&a, "hieu", 0)?, to_number(&b, "hieu", 1)?);
    let d = figures::max_decimals(&[&a, &b]);
    let v = a
        .value
        .checked_sub(b.value)
        .ok_or_else(|| err("hiệu quá lớn"))?;
    Ok(Value::from_object(FigVal::derived(v, d)))
}

/// `trung_binh(a, b, …)`: the mean, one decimal more than its terms.
fn trung_binh(args: Rest<Value>) -> HelperResult<Value> {
    if let Some(p) = pending_in(&args.0) {
        return Ok(Value::from(p));
    }
    let nums = numbers(&args.0, "trung_binh")?;
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
    // An indicator whose figure, plan or base is still a placeholder prints the placeholder
    // where the number would go (`«thực hiện»`), never a number.
    env.add_function("th_kh", |i: Value| {
        let i = to_ind(&i, "th_kh")?;
        let v = i.view();
        match v.pending_figure() {
            Some(p) => Ok(p),
            None => figure_over_plan(&v),
        }
    });
    env.add_function("pt_ke_hoach", |i: Value, d: Option<i64>| {
        let i = to_ind(&i, "pt_ke_hoach")?;
        let v = i.view();
        if let Some(p) = v.pending_figure().or_else(|| v.pending_plan()) {
            return Ok(p);
        }
        Ok::<_, minijinja::Error>(percent_text(
            v.share_of_plan(),
            i.decimals(decimals_arg(d)?),
        ))
    });
    env.add_function("so_cung_ky", |i: Value, d: Option<i64>| {
        let i = to_ind(&i, "so_cung_ky")?;
        let v = i.view();
        if let Some(p) = v.pending_figure().or_else(|| v.pending_base()) {
            return Ok(p);
        }
        Ok::<_, minijinja::Error>(percent_text(
            v.ratio_to_base(),
            i.decimals(decimals_arg(d)?),
        ))
    });
    env.add_function("tang_giam", |i: Value, d: Option<i64>| {
        let i = to_ind(&i, "tang_giam")?;
        let v = i.view();
        if let Some(p) = v.pending_figure().or_else(|| v.pending_base()) {
            return Ok(p);
        }
        Ok::<_, minijinja::Error>(change_text(
            &v,
            i.decimals(decimals_arg(d)?),
            i.base_words(),
        ))
    });
    env.add_function("tom_tat", |i: Value, d: Option<i64>, kw: Kwargs| {
        let i = to_ind(&i, "tom_tat")?;
        let style = summary_args(d, i.decimals(None), i.base_words(), &kw)?;
        let v = i.view();
        if let Some(p) = v.pending_figure() {
            return Ok(p);
        }
        summary(&v, &style).or_else(|e| {
            // Nothing else to print than what is still to fill: print that.
            v.pending_plan().or_else(|| v.pending_base()).ok_or(e)
        })
    });
    env.add_function("ty_le", ty_le);
    env.add_function("tong", tong);
    env.add_function("hieu", hieu);
    env.add_function("trung_binh", trung_binh);
    let c = ctx.clone();
    env.add_function("so_chi_tieu", move || -> usize { count_met(&c).1 });
    env.add_function("dem_dat_ke_hoach", move || -> String {
        let (met, total) = count_met(&ctx);
        // While a row's figure or plan is still to fill, the count is not known yet.
        if pending_rows(&ctx) {
            return format!("«…»/{total}");
        }
        format!("{met}/{total}")
    });
    env.add_function("ngay_day_du", ngay_day_du);
    env.add_function("ngay_ngan", ngay_ngan);
}

/// Whether a row of the appendix has its figure or plan still to fill.
fn pending_rows(ctx: &Ctx) -> bool {
    crate::bieu::describe(&ctx.data, ctx.period).is_some_and(|t| {
        t.rows().filter_map(|r| ctx.data.indicator(&r.id)).any(|i| {
            let v = InPeriod::new(i, ctx.period);
            v.pending_figure().is_some() || v.pending_plan().is_some()
        })
    })
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
            summary(&half, &Summary::new(2, "cùng kỳ")).unwrap(),
            "1.146/1.220 con, đạt 93,93% kế hoạch, bằng 94,09% so với cùng kỳ"
        );
        let year = InPeriod::new(&i, Period::Year);
        assert_eq!(
            summary(&year, &Summary::new(1, "năm 2023")).unwrap(),
            "1.250/1.220 con, đạt 102,5% kế hoạch, bằng 104,2% so với năm 2023"
        );
        // No figure for the period: an error naming the indicator, not a blank.
        assert!(
            summary(
                &InPeriod::new(&i, Period::Quarter1),
                &Summary::new(1, "cùng kỳ")
            )
            .is_err()
        );
    }

    /// `tom_tat(ct.tong_dan_trau, …)` with these keyword arguments, in the 6-thang report.
    fn tom_tat(kwargs: &[(&str, Value)]) -> HelperResult<String> {
        tom_tat_at(TRAU, Period::Half, None, kwargs)
    }

    fn tom_tat_at(
        yaml: &str,
        period: Period,
        d: Option<i64>,
        kwargs: &[(&str, Value)],
    ) -> HelperResult<String> {
        let i = indicator(yaml);
        let view = InPeriod::new(&i, period);
        let kw = Kwargs::from_iter(kwargs.iter().cloned());
        let style = summary_args(d, view.decimals(), "cùng kỳ", &kw)?;
        summary(&view, &style)
    }

    #[test]
    fn tom_tat_positional_decimals_set_both_comparisons() {
        assert_eq!(
            tom_tat_at(TRAU, Period::Half, Some(1), &[]).unwrap(),
            "1.146/1.220 con, đạt 93,9% kế hoạch, bằng 94,1% so với cùng kỳ"
        );
        // Without them, the indicator's own `so_thap_phan` (else 1).
        assert_eq!(
            tom_tat(&[]).unwrap(),
            "1.146/1.220 con, đạt 93,9% kế hoạch, bằng 94,1% so với cùng kỳ"
        );
    }

    #[test]
    fn tom_tat_kh_and_ck_set_each_comparison_or_leave_it_out() {
        assert_eq!(
            tom_tat(&[("kh", Value::from(2)), ("ck", Value::from(0))]).unwrap(),
            "1.146/1.220 con, đạt 93,93% kế hoạch, bằng 94% so với cùng kỳ"
        );
        // One kwarg over the positional decimals.
        assert_eq!(
            tom_tat_at(TRAU, Period::Half, Some(2), &[("ck", Value::from(1))]).unwrap(),
            "1.146/1.220 con, đạt 93,93% kế hoạch, bằng 94,1% so với cùng kỳ"
        );
        assert_eq!(
            tom_tat(&[("ck", Value::from(false))]).unwrap(),
            "1.146/1.220 con, đạt 93,9% kế hoạch"
        );
        assert_eq!(
            tom_tat(&[("kh", Value::from(false))]).unwrap(),
            "1.146/1.220 con, bằng 94,1% so với cùng kỳ"
        );
        for (bad, shown) in [
            (Value::from(true), "`true`"),
            (Value::from("1"), "`\"1\"`"),
            (Value::from(1.5), "`1.5`"),
        ] {
            let e = tom_tat(&[("kh", bad)]).unwrap_err().to_string();
            assert!(
                e.contains(&format!("`kh` là số chữ số thập phân (0 đến 6) hoặc `false` để bỏ phần này, không phải {shown}")),
                "{e}"
            );
        }
        let e = tom_tat(&[("ck", Value::from(7))]).unwrap_err();
        assert!(
            e.to_string().contains("số chữ số thập phân 7 không hợp lệ"),
            "{e}"
        );
    }

    #[test]
    fn tom_tat_th_false_leaves_the_figure_out() {
        assert_eq!(
            tom_tat(&[("th", Value::from(false))]).unwrap(),
            "đạt 93,9% kế hoạch, bằng 94,1% so với cùng kỳ"
        );
        assert_eq!(
            tom_tat(&[("th", Value::from(false)), ("kh", Value::from(false))]).unwrap(),
            "bằng 94,1% so với cùng kỳ"
        );
        // Nothing left to print is an error, never a blank.
        let e = tom_tat(&[
            ("th", Value::from(false)),
            ("kh", Value::from(false)),
            ("ck", Value::from(false)),
        ])
        .unwrap_err();
        assert!(e.to_string().contains("không có gì để in"), "{e}");
        assert!(tom_tat(&[("th", Value::from(0))]).is_err());
    }

    #[test]
    fn tom_tat_giao_and_ke_hoach_word_the_plan() {
        assert_eq!(
            tom_tat(&[("giao", Value::from("HĐND thành phố"))]).unwrap(),
            "1.146/1.220 con, đạt 93,9% kế hoạch HĐND thành phố giao, bằng 94,1% so với cùng kỳ"
        );
        assert_eq!(
            tom_tat(&[
                ("ke_hoach", Value::from("dự toán năm")),
                ("ck", Value::from(false))
            ])
            .unwrap(),
            "1.146/1.220 con, đạt 93,9% dự toán năm"
        );
        // An empty `ke_hoach`: the bare percentage.
        assert_eq!(
            tom_tat(&[("ke_hoach", Value::from(""))]).unwrap(),
            "1.146/1.220 con, đạt 93,9%, bằng 94,1% so với cùng kỳ"
        );
        assert!(
            tom_tat(&[
                ("giao", Value::from("HĐND")),
                ("ke_hoach", Value::from("x"))
            ])
            .is_err()
        );
        assert!(tom_tat(&[("giao", Value::from(""))]).is_err());
        assert!(tom_tat(&[("giao", Value::from(true))]).is_err());
    }

    #[test]
    fn tom_tat_so_sanh_words_the_base() {
        assert_eq!(
            tom_tat(&[("so_sanh", Value::from("so với cùng kỳ năm 2023"))]).unwrap(),
            "1.146/1.220 con, đạt 93,9% kế hoạch, bằng 94,1% so với cùng kỳ năm 2023"
        );
        // The default follows the period: a year-end report compares with last year.
        let i = indicator(TRAU);
        let year = InPeriod::new(&i, Period::Year);
        let style = summary_args(
            None,
            1,
            "năm 2023",
            &Kwargs::from_iter(Vec::<(&str, Value)>::new()),
        )
        .unwrap();
        assert_eq!(style.base_words, "so với năm 2023");
        assert!(
            summary(&year, &style)
                .unwrap()
                .ends_with("bằng 104,2% so với năm 2023")
        );
    }

    #[test]
    fn tom_tat_ngan_cach_separates_the_comparisons() {
        assert_eq!(
            tom_tat(&[("ngan_cach", Value::from(";"))]).unwrap(),
            "1.146/1.220 con, đạt 93,9% kế hoạch; bằng 94,1% so với cùng kỳ"
        );
        // Only between the two comparisons: the figure is always followed by a comma.
        assert_eq!(
            tom_tat(&[("ngan_cach", Value::from(";")), ("kh", Value::from(false))]).unwrap(),
            "1.146/1.220 con, bằng 94,1% so với cùng kỳ"
        );
        let e = tom_tat(&[("ngan_cach", Value::from("."))]).unwrap_err();
        assert!(e.to_string().contains("ngan_cach"), "{e}");
    }

    #[test]
    fn tom_tat_don_vi_replaces_the_unit() {
        assert_eq!(
            tom_tat(&[
                ("don_vi", Value::from("con trâu")),
                ("kh", Value::from(false))
            ])
            .unwrap(),
            "1.146/1.220 con trâu, bằng 94,1% so với cùng kỳ"
        );
        assert_eq!(
            tom_tat(&[("don_vi", Value::from("")), ("kh", Value::from(false))]).unwrap(),
            "1.146/1.220, bằng 94,1% so với cùng kỳ"
        );
        // A rate: the unit "%" follows the figure without a space.
        let rate = "id: r\nten: R\ndon_vi: \"%\"\nky:\n  6-thang:\n    thuc_hien: 45\n    so_voi_ke_hoach: 102,3\n    so_voi_cung_ky: 104\n";
        assert_eq!(
            tom_tat_at(rate, Period::Half, None, &[("ck", Value::from(0))]).unwrap(),
            "45%, đạt 102,3% kế hoạch, bằng 104% so với cùng kỳ"
        );
    }

    #[test]
    fn tom_tat_leaves_out_what_the_data_does_not_allow() {
        // No plan (and no stated share): the figure alone, then the ratio.
        let no_plan = "id: a\nten: A\ndon_vi: ha\nky:\n  6-thang:\n    thuc_hien: 55,20\n    so_voi_cung_ky: 99\n";
        assert_eq!(
            tom_tat_at(
                no_plan,
                Period::Half,
                Some(0),
                &[("ngan_cach", Value::from(";"))]
            )
            .unwrap(),
            "55,20 ha, bằng 99% so với cùng kỳ"
        );
        // A stated share without a plan figure.
        let stated = "id: a\nten: A\ndon_vi: tấn\nky:\n  6-thang:\n    thuc_hien: 210\n    so_voi_ke_hoach: 38,5\n";
        assert_eq!(
            tom_tat_at(stated, Period::Half, Some(1), &[]).unwrap(),
            "210 tấn, đạt 38,5% kế hoạch"
        );
    }

    #[test]
    fn tom_tat_names_an_unknown_argument() {
        let e = tom_tat(&[("so_sanhh", Value::from("x"))]).unwrap_err();
        assert!(
            e.to_string()
                .contains("`tom_tat` không có tham số `so_sanhh`; có phải là `so_sanh`?"),
            "{e}"
        );
    }

    /// The arguments as a template passes them (positional decimals, then keywords), on the
    /// default report's data.
    #[test]
    fn tom_tat_in_a_template() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = crate::data::load(root).unwrap();
        let ctx = Arc::new(Ctx::new(data, Period::Half));
        let mut env = Environment::new();
        register(&mut env, ctx.clone());
        let context = super::super::context::build_context(&ctx).unwrap();
        let render = |t: &str| env.render_str(t, context.clone());
        assert_eq!(
            render("{{ tom_tat(ct.tong_dan_trau, 2) }}").unwrap(),
            "1.146/1.220 con, đạt 93,93% kế hoạch, bằng 94,09% so với cùng kỳ"
        );
        assert_eq!(
            render("{{ tom_tat(ct.tong_dan_trau, 2, ck=1, ngan_cach=\";\") }}").unwrap(),
            "1.146/1.220 con, đạt 93,93% kế hoạch; bằng 94,1% so với cùng kỳ"
        );
        assert_eq!(
            render("{{ tom_tat(ct.tong_dan_trau, kh=false, so_sanh=ky.so_sanh_nam) }}").unwrap(),
            "1.146/1.220 con, bằng 94,09% so với cùng kỳ năm 2023"
        );
        let e = render("{{ tom_tat(ct.tong_dan_trau, kh=1, giao=\"\") }}").unwrap_err();
        assert!(e.to_string().contains("`giao`"), "{e}");
        let e = render("{{ tom_tat(ct.tong_dan_trau, dv=\"con\") }}").unwrap_err();
        assert!(
            e.to_string().contains("`tom_tat` không có tham số `dv`"),
            "{e}"
        );
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
    fn a_rate_changes_by_points_and_keeps_its_ratio() {
        let poor = indicator(
            "id: p\nten: P\ndon_vi: \"%\"\nso_thap_phan: 2\ncao_hon_tot: false\nky:\n  6-thang:\n    thuc_hien: 0,79\n    cung_ky: 0,95\n  9-thang:\n    thuc_hien: 0,79\n    so_voi_cung_ky: 83,16\n  ca-nam:\n    thuc_hien: 0,951\n    cung_ky: 0,95\n",
        );
        let half = InPeriod::new(&poor, Period::Half);
        assert_eq!(
            change_text(&half, 2, "cùng kỳ"),
            "giảm 0,16 điểm phần trăm so với cùng kỳ"
        );
        assert_eq!(
            change_text(&half, 1, "cùng kỳ"),
            "giảm 0,2 điểm phần trăm so với cùng kỳ"
        );
        // `so_cung_ky` and `tom_tat` keep the ratio, as the reference does.
        assert_eq!(percent_text(half.ratio_to_base(), 2), "83,16%");
        // A stated ratio gives no last-year figure: no points, and the words say why.
        let nine = InPeriod::new(&poor, Period::NineMonths);
        assert_eq!(change_text(&nine, 2, "cùng kỳ"), figures::NO_BASE);
        assert_eq!(
            change_text(&InPeriod::new(&poor, Period::Year), 2, "năm 2023"),
            "bằng năm 2023"
        );
        // Not a rate: the change stays a ratio.
        let count = indicator(
            "id: c\nten: C\ndon_vi: hộ\nky:\n  6-thang:\n    thuc_hien: 79\n    cung_ky: 95\n",
        );
        assert_eq!(
            change_text(&InPeriod::new(&count, Period::Half), 2, "cùng kỳ"),
            "giảm 16,84% so với cùng kỳ"
        );
    }

    #[test]
    fn a_ratio_over_a_plan_of_zero_says_so() {
        let plan = Value::from_object(FigVal(format::parse_number("0").unwrap(), Role::Plan));
        let base = fig(&format::parse_number("0").unwrap());
        let three = Value::from("3");
        assert_eq!(
            ty_le(three.clone(), plan.clone(), Some(1)).unwrap(),
            figures::ZERO_PLAN
        );
        assert_eq!(
            ty_le(three.clone(), so(plan, None).unwrap(), Some(1)).unwrap(),
            figures::ZERO_PLAN
        );
        assert_eq!(ty_le(three, base, Some(1)).unwrap(), figures::ZERO_BASE);
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
