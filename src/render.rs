//! Stage 3: render the minijinja templates (templates/*.typ.j2) with the data into one Typst
//! markup string.
//!
//! Every value from data is escaped for Typst (a string is always text, never markup); every
//! derived figure is computed by a helper here from `figures` and printed by `format`.
//! Each template line carries a marker comment (`/*@name:line@*/`) so that a Typst error in
//! rendered content can be traced back to the template and line it came from.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::value::{Object, ObjectRepr, Rest, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, State, UndefinedBehavior};
use rust_decimal::Decimal;

use crate::data::{DataSet, Indicator, PeriodValues, Value as DataValue};
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::figures::{self, Plan};
use crate::format::{self, Number};
use crate::period::{Period, Words};
use crate::text::{escape_markup, nearest};

/// The root template.
pub const ROOT: &str = "bao-cao.typ.j2";

const MARK_OPEN: &str = " /*@";
const MARK_CLOSE: &str = "@*/";

/// The rendered Typst markup (with line markers) and what it was made from.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub markup: String,
    pub period: Period,
}

impl Rendered {
    /// The markup without the line markers: what `--emit-typst` writes.
    pub fn clean(&self) -> String {
        strip_markers(&self.markup)
    }
}

// ---------------------------------------------------------------------------------------------
// Figures as template values

/// A figure in a template: prints as written (data) or formatted (derived).
#[derive(Debug, Clone)]
pub struct FigVal(pub Number);

impl FigVal {
    fn derived(value: Decimal, decimals: u32) -> Self {
        let value = figures::round_half_away(value, decimals);
        FigVal(Number {
            value,
            decimals,
            written: format::format_number(value, decimals),
        })
    }
}

impl Object for FigVal {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }
    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.written)
    }
    fn is_true(self: &Arc<Self>) -> bool {
        !self.0.value.is_zero()
    }
    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        match key {
            "so_thap_phan" => Some(Value::from(self.0.decimals)),
            "la_so_am" => Some(Value::from(
                self.0.value.is_sign_negative() && !self.0.value.is_zero(),
            )),
            "bang_0" => Some(Value::from(self.0.value.is_zero())),
            _ => None,
        }
    }
}

/// A template map from key/value pairs.
fn map_value<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Value {
    Value::from(
        pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v))
            .collect::<std::collections::BTreeMap<String, Value>>(),
    )
}

fn fig(n: &Number) -> Value {
    Value::from_object(FigVal(n.clone()))
}

/// One indicator seen from one period.
#[derive(Debug)]
pub struct IndView {
    pub ind: Indicator,
    pub period: Period,
    /// "cùng kỳ" or "năm 2023": what the comparison is with.
    pub base: String,
}

impl IndView {
    fn values(&self) -> Option<&PeriodValues> {
        self.ind.ky.get(self.period)
    }
    fn value(&self) -> Option<&Number> {
        self.values().and_then(|v| v.value())
    }
    fn decimals(&self, d: Option<u32>) -> u32 {
        d.or(self.ind.so_thap_phan).unwrap_or(1)
    }
    fn plan(&self) -> Option<&Plan> {
        self.ind.ke_hoach.as_ref().map(|p| &p.0)
    }

    /// Share of plan in percent: computed, or as stated in data when the plan is not given.
    pub fn share_of_plan(&self) -> std::result::Result<Decimal, &'static str> {
        let stated = self
            .values()
            .and_then(|v| v.so_voi_ke_hoach.as_ref())
            .map(|f| f.0.value);
        let Some(value) = self.value() else {
            return stated.ok_or(figures::NO_PLAN);
        };
        match self.plan() {
            None => stated.ok_or(figures::NO_PLAN),
            Some(Plan::Text(_)) => stated.ok_or(figures::QUALITATIVE_PLAN),
            Some(plan) => figures::share_of_plan(value.value, plan, self.ind.cao_hon_tot)
                .or(stated)
                .ok_or(figures::ZERO_BASE),
        }
    }

    /// Ratio to the same period of last year, in percent.
    pub fn ratio_to_base(&self) -> std::result::Result<Decimal, &'static str> {
        let v = self.values();
        let stated = v.and_then(|v| v.so_voi_cung_ky.as_ref()).map(|f| f.0.value);
        match (self.value(), v.and_then(|v| v.cung_ky.as_ref())) {
            (Some(value), Some(base)) => {
                figures::ratio_pct(value.value, base.0.value).ok_or(figures::ZERO_BASE)
            }
            _ => stated.ok_or(figures::NO_BASE),
        }
    }

    pub fn meets_plan(&self) -> Option<bool> {
        let stated = self
            .values()
            .and_then(|v| v.so_voi_ke_hoach.as_ref())
            .map(|f| f.0.value >= Decimal::ONE_HUNDRED);
        match (self.value(), self.plan()) {
            (Some(v), Some(p)) => figures::meets_plan(v.value, p, self.ind.cao_hon_tot).or(stated),
            _ => stated,
        }
    }
}

impl Object for IndView {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }
    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let v = self.values();
        match key {
            "id" => Some(Value::from(self.ind.id.0.clone())),
            "ten" => Some(Value::from(self.ind.ten.0.clone())),
            "don_vi" => Some(Value::from(
                self.ind
                    .don_vi
                    .as_ref()
                    .map(|t| t.0.clone())
                    .unwrap_or_default(),
            )),
            "so_thap_phan" => Some(Value::from(self.decimals(None))),
            "th" => self.value().map(fig),
            "thuc_hien" => v?.thuc_hien.as_ref().map(|f| fig(&f.0)),
            "uoc_thuc_hien" => v?.uoc_thuc_hien.as_ref().map(|f| fig(&f.0)),
            "cung_ky" => v?.cung_ky.as_ref().map(|f| fig(&f.0)),
            "so_voi_cung_ky" => v?.so_voi_cung_ky.as_ref().map(|f| fig(&f.0)),
            "so_voi_ke_hoach" => v?.so_voi_ke_hoach.as_ref().map(|f| fig(&f.0)),
            "ghi_chu" => v?
                .ghi_chu
                .as_ref()
                .or(self.ind.ghi_chu.as_ref())
                .map(|t| Value::from(t.0.clone())),
            "kh" | "ke_hoach" => self.plan().map(plan_value),
            "ke_hoach_nam_sau" => self.ind.ke_hoach_nam_sau.as_ref().map(|p| plan_value(&p.0)),
            "co_ke_hoach" => Some(Value::from(self.plan().is_some())),
            "co_so_lieu" => Some(Value::from(self.value().is_some())),
            "dat_ke_hoach" => self.meets_plan().map(Value::from),
            "cao_hon_tot" => Some(Value::from(self.ind.cao_hon_tot)),
            "minh_hoa" => Some(Value::from(
                self.ind.minh_hoa || v.is_some_and(|v| v.minh_hoa),
            )),
            "thanh_phan" => Some(Value::from(
                v.map(|v| {
                    v.thanh_phan
                        .iter()
                        .map(|c| {
                            map_value([
                                ("ten", Value::from(c.ten.0.clone())),
                                ("gia_tri", fig(&c.gia_tri.0)),
                            ])
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
            )),
            _ => None,
        }
    }
    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Str(&[
            "id",
            "ten",
            "don_vi",
            "so_thap_phan",
            "th",
            "thuc_hien",
            "uoc_thuc_hien",
            "cung_ky",
            "so_voi_cung_ky",
            "so_voi_ke_hoach",
            "ghi_chu",
            "kh",
            "ke_hoach_nam_sau",
            "thanh_phan",
        ])
    }
    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Printing an indicator prints its figure, so `{{ ct.x }}` reads naturally.
        match self.value() {
            Some(n) => f.write_str(&n.written),
            None => f.write_str(&self.ind.ten.0),
        }
    }
}

fn plan_value(p: &Plan) -> Value {
    match p {
        Plan::Value(n) => fig(n),
        other => Value::from(figures::plan_display(other)),
    }
}

// ---------------------------------------------------------------------------------------------
// The context

struct Ctx {
    data: DataSet,
    period: Period,
    words: Words,
}

fn ind_view(ctx: &Ctx, ind: &Indicator) -> Value {
    Value::from_object(IndView {
        ind: ind.clone(),
        period: ctx.period,
        base: ctx.words.cung_ky.clone(),
    })
}

fn build_context(ctx: &Arc<Ctx>) -> Result<Value> {
    let data = &ctx.data;
    let year = data.year().get();
    let pm = data.require_period(ctx.period)?;

    let ct = map_value(
        data.indicators
            .iter()
            .map(|i| (i.id.0.clone(), ind_view(ctx, i))),
    );
    let sl = map_value(data.figures_for(ctx.period).iter().map(|f| {
        let map = map_value(f.values.iter().map(|(k, v)| {
            let v = match v {
                DataValue::Number(n) => fig(n),
                DataValue::Text(t) => Value::from(t.clone()),
            };
            (k.clone(), v)
        }));
        (f.name.clone(), map)
    }));
    let w = &ctx.words;
    let ky = map_value([
        ("ma", Value::from(w.ma)),
        ("ten", Value::from(w.ten.clone())),
        ("ten_ngan", Value::from(w.ten_ngan.clone())),
        ("con_lai", Value::from(w.con_lai.clone())),
        ("so_sanh", Value::from(w.so_sanh.clone())),
        ("cung_ky", Value::from(w.cung_ky.clone())),
        (
            "ngay_so_lieu",
            Value::from(format::date_short(&pm.ngay_so_lieu.0)),
        ),
        ("nam", Value::from(year)),
        ("nam_truoc", Value::from(year - 1)),
        ("nam_sau", Value::from(year + 1)),
        ("ca_nam", Value::from(ctx.period == Period::Year)),
        ("minh_hoa", Value::from(pm.minh_hoa)),
        ("ten_khong_nam", Value::from(w.ten_khong_nam)),
        ("cuoi_ky", Value::from(w.cuoi_ky)),
        ("so_sanh_nam", Value::from(w.so_sanh_nam.clone())),
        ("so_sanh_nam_ngan", Value::from(w.so_sanh_nam_ngan.clone())),
    ]);
    let m = &data.meta;
    let bc = map_value([
        ("nam", Value::from(year)),
        ("ten_co_quan", Value::from(m.ten_co_quan.0.clone())),
        ("dia_danh", Value::from(m.dia_danh.0.clone())),
        ("ky_hieu", Value::from(m.ky_hieu.0.clone())),
        ("trich_yeu", Value::from(pm.trich_yeu.0.clone())),
        (
            "so",
            Value::from(pm.so.as_ref().map(|s| s.0.clone()).unwrap_or_default()),
        ),
        ("ngay", Value::from(format::date_full(&pm.ngay.0))),
    ]);
    let bieu = table_rows(ctx);
    Ok(map_value([
        ("ct", ct),
        ("sl", sl),
        ("ky", ky),
        ("bc", bc),
        ("bieu", bieu),
    ]))
}

/// The appendix rows: groups, each with its indicators and their computed cells.
fn table_rows(ctx: &Ctx) -> Value {
    let Some(spec) = &ctx.data.table else {
        return Value::from(Vec::<Value>::new());
    };
    let groups = spec.nhom.iter().map(|g| {
        let rows: Vec<Value> = g
            .chi_tieu
            .iter()
            .filter_map(|id| ctx.data.indicator(&id.0))
            .map(|ind| {
                let view = IndView {
                    ind: ind.clone(),
                    period: ctx.period,
                    base: ctx.words.cung_ky.clone(),
                };
                table_cells(&view)
            })
            .collect();
        map_value([
            ("ten", Value::from(g.ten.0.clone())),
            ("chi_tieu", Value::from(rows)),
        ])
    });
    Value::from(groups.collect::<Vec<_>>())
}

/// Wording for a figure that is not due yet in this period.
pub const NOT_DUE: &str = "chưa đến kỳ đánh giá";
/// A cell whose figure the data does not give.
pub const MISSING: &str = "-";

fn table_cells(view: &IndView) -> Value {
    let d = 2;
    let pct = |r: std::result::Result<Decimal, &'static str>| match r {
        Ok(v) => format::format_number(v, d),
        Err(_) => MISSING.to_string(),
    };
    let v = view.values();
    let value = view.value();
    let th = value
        .map(|n| n.written.clone())
        .unwrap_or_else(|| NOT_DUE.to_string());
    let (pt_kh, pt_ck) = if value.is_some() {
        (pct(view.share_of_plan()), pct(view.ratio_to_base()))
    } else {
        (MISSING.to_string(), MISSING.to_string())
    };
    let note = v
        .and_then(|v| v.ghi_chu.as_ref())
        .or(view.ind.ghi_chu.as_ref())
        .map(|t| t.0.clone())
        .unwrap_or_else(|| match view.meets_plan() {
            // Mid-year, a figure under the annual plan is not a failure yet: say nothing.
            Some(true) if value.is_some() => "Đạt".into(),
            Some(false) if value.is_some() && view.period == Period::Year => "Không đạt".into(),
            _ => String::new(),
        });
    map_value([
        ("id", Value::from(view.ind.id.0.clone())),
        ("ten", Value::from(view.ind.ten.0.clone())),
        (
            "don_vi",
            Value::from(
                view.ind
                    .don_vi
                    .as_ref()
                    .map(|t| t.0.clone())
                    .unwrap_or_default(),
            ),
        ),
        (
            "ke_hoach",
            Value::from(
                view.plan()
                    .map(figures::plan_display)
                    .unwrap_or_else(|| MISSING.into()),
            ),
        ),
        (
            "ke_hoach_nam_sau",
            Value::from(
                view.ind
                    .ke_hoach_nam_sau
                    .as_ref()
                    .map(|p| figures::plan_display(&p.0))
                    .unwrap_or_else(|| MISSING.into()),
            ),
        ),
        (
            "cung_ky",
            Value::from(
                v.and_then(|v| v.cung_ky.as_ref())
                    .map(|f| f.0.written.clone())
                    .unwrap_or_else(|| MISSING.into()),
            ),
        ),
        ("thuc_hien", Value::from(th)),
        ("pt_ke_hoach", Value::from(pt_kh)),
        ("pt_cung_ky", Value::from(pt_ck)),
        ("ghi_chu", Value::from(note)),
        (
            "minh_hoa",
            Value::from(view.ind.minh_hoa || v.is_some_and(|v| v.minh_hoa)),
        ),
    ])
}

// ---------------------------------------------------------------------------------------------
// Helpers (Vietnamese names; see templates/HUONG-DAN.md)

fn err(msg: impl Into<String>) -> minijinja::Error {
    minijinja::Error::new(ErrorKind::InvalidOperation, msg.into())
}

/// A figure from a template argument: a figure object, an indicator (its period figure),
/// an integer literal or a string written the Vietnamese way.
fn to_number(v: &Value) -> std::result::Result<Number, minijinja::Error> {
    if let Some(f) = v.downcast_object_ref::<FigVal>() {
        return Ok(f.0.clone());
    }
    if let Some(i) = v.downcast_object_ref::<IndView>() {
        return i.value().cloned().ok_or_else(|| {
            err(format!(
                "chỉ tiêu `{}` chưa có số liệu kỳ `{}`",
                i.ind.id.0, i.period
            ))
        });
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

fn to_ind(v: &Value) -> std::result::Result<Arc<IndView>, minijinja::Error> {
    if let Some(obj) = v.as_object() {
        if let Some(i) = obj.downcast::<IndView>() {
            return Ok(i);
        }
    }
    Err(err(format!(
        "`{v}` không phải là chỉ tiêu: dùng `ct.<mã chỉ tiêu>`"
    )))
}

fn decimals_arg(d: Option<i64>) -> std::result::Result<Option<u32>, minijinja::Error> {
    match d {
        None => Ok(None),
        Some(d) if (0..=6).contains(&d) => Ok(Some(d as u32)),
        Some(d) => Err(err(format!(
            "số chữ số thập phân {d} không hợp lệ (0 đến 6)"
        ))),
    }
}

fn pct_text(r: std::result::Result<Decimal, &'static str>, d: u32) -> String {
    match r {
        Ok(v) => format::format_percent(v, d),
        Err(wording) => wording.to_string(),
    }
}

fn register_helpers(env: &mut Environment<'static>, ctx: Arc<Ctx>) {
    env.add_function(
        "so",
        |x: Value, d: Option<i64>| -> std::result::Result<Value, minijinja::Error> {
            let n = to_number(&x)?;
            Ok(match decimals_arg(d)? {
                None => fig(&n),
                Some(d) => Value::from_object(FigVal::derived(n.value, d)),
            })
        },
    );
    env.add_function(
        "th_kh",
        |i: Value| -> std::result::Result<String, minijinja::Error> {
            let i = to_ind(&i)?;
            let th = i.value().ok_or_else(|| {
                err(format!(
                    "chỉ tiêu `{}` chưa có số liệu kỳ `{}`",
                    i.ind.id.0, i.period
                ))
            })?;
            Ok(match i.plan() {
                Some(p) => format!("{}/{}", th.written, figures::plan_display(p)),
                None => th.written.clone(),
            })
        },
    );
    env.add_function(
        "pt_ke_hoach",
        |i: Value, d: Option<i64>| -> std::result::Result<String, minijinja::Error> {
            let i = to_ind(&i)?;
            let d = i.decimals(decimals_arg(d)?);
            Ok(pct_text(i.share_of_plan(), d))
        },
    );
    env.add_function(
        "so_cung_ky",
        |i: Value, d: Option<i64>| -> std::result::Result<String, minijinja::Error> {
            let i = to_ind(&i)?;
            let d = i.decimals(decimals_arg(d)?);
            Ok(pct_text(i.ratio_to_base(), d))
        },
    );
    env.add_function(
        "tang_giam",
        |i: Value, d: Option<i64>| -> std::result::Result<String, minijinja::Error> {
            let i = to_ind(&i)?;
            let d = i.decimals(decimals_arg(d)?);
            // "tăng 15,7% so với cùng kỳ" / "giảm 2,4% so với năm 2023" / "bằng cùng kỳ".
            Ok(match i.ratio_to_base() {
                Ok(r) => {
                    let phrase = figures::change_phrase(r, d, &i.base);
                    if phrase.starts_with("bằng ") {
                        phrase
                    } else {
                        format!("{phrase} so với {}", i.base)
                    }
                }
                Err(w) => w.to_string(),
            })
        },
    );
    env.add_function(
        "tom_tat",
        |i: Value, d: Option<i64>| -> std::result::Result<String, minijinja::Error> {
            let i = to_ind(&i)?;
            let d = i.decimals(decimals_arg(d)?);
            let th = i.value().ok_or_else(|| {
                err(format!(
                    "chỉ tiêu `{}` chưa có số liệu kỳ `{}`",
                    i.ind.id.0, i.period
                ))
            })?;
            let mut s = match i.plan() {
                Some(p) => format!("{}/{}", th.written, figures::plan_display(p)),
                None => th.written.clone(),
            };
            if let Some(u) = i
                .ind
                .don_vi
                .as_ref()
                .filter(|u| !u.0.is_empty() && u.0 != "%")
            {
                s.push(' ');
                s.push_str(&u.0);
            } else if i.ind.don_vi.as_ref().is_some_and(|u| u.0 == "%") {
                s.push('%');
            }
            if let Ok(share) = i.share_of_plan() {
                s.push_str(&format!(
                    ", đạt {} kế hoạch",
                    format::format_percent(share, d)
                ));
            }
            if let Ok(r) = i.ratio_to_base() {
                s.push_str(&format!(
                    ", bằng {} so với {}",
                    format::format_percent(r, d),
                    i.base
                ));
            }
            Ok(s)
        },
    );
    env.add_function(
        "ty_le",
        |a: Value, b: Value, d: Option<i64>| -> std::result::Result<String, minijinja::Error> {
            let (a, b) = (to_number(&a)?, to_number(&b)?);
            let d = decimals_arg(d)?.unwrap_or(1);
            Ok(match figures::ratio_pct(a.value, b.value) {
                Some(r) => format::format_percent(r, d),
                None => figures::ZERO_BASE.to_string(),
            })
        },
    );
    env.add_function(
        "tong",
        |args: Rest<Value>| -> std::result::Result<Value, minijinja::Error> {
            let nums = args
                .0
                .iter()
                .map(to_number)
                .collect::<std::result::Result<Vec<_>, _>>()?;
            if nums.is_empty() {
                return Err(err("`tong` cần ít nhất một số liệu"));
            }
            let d = figures::max_decimals(&nums.iter().collect::<Vec<_>>());
            let s = figures::sum(&nums.iter().map(|n| n.value).collect::<Vec<_>>())
                .ok_or_else(|| err("tổng quá lớn"))?;
            Ok(Value::from_object(FigVal::derived(s, d)))
        },
    );
    env.add_function(
        "hieu",
        |a: Value, b: Value| -> std::result::Result<Value, minijinja::Error> {
            let (a, b) = (to_number(&a)?, to_number(&b)?);
            let d = figures::max_decimals(&[&a, &b]);
            let v = a
                .value
                .checked_sub(b.value)
                .ok_or_else(|| err("hiệu quá lớn"))?;
            Ok(Value::from_object(FigVal::derived(v, d)))
        },
    );
    env.add_function(
        "trung_binh",
        |args: Rest<Value>| -> std::result::Result<Value, minijinja::Error> {
            let nums = args
                .0
                .iter()
                .map(to_number)
                .collect::<std::result::Result<Vec<_>, _>>()?;
            let d = figures::max_decimals(&nums.iter().collect::<Vec<_>>()) + 1;
            let m = figures::mean(&nums.iter().map(|n| n.value).collect::<Vec<_>>())
                .ok_or_else(|| err("`trung_binh` cần ít nhất một số liệu"))?;
            Ok(Value::from_object(FigVal::derived(m, d)))
        },
    );
    let c = ctx.clone();
    env.add_function("so_chi_tieu", move || -> usize { count_met(&c).1 });
    let c = ctx.clone();
    env.add_function("dem_dat_ke_hoach", move || -> String {
        let (met, total) = count_met(&c);
        format!("{met}/{total}")
    });
    env.add_function(
        "ngay_day_du",
        |s: Value| -> std::result::Result<String, minijinja::Error> {
            let d = format::parse_date(&s.to_string()).map_err(|e| err(e.message))?;
            Ok(format::date_full(&d))
        },
    );
    env.add_function(
        "ngay_ngan",
        |s: Value| -> std::result::Result<String, minijinja::Error> {
            let d = format::parse_date(&s.to_string()).map_err(|e| err(e.message))?;
            Ok(format::date_short(&d))
        },
    );
}

/// Indicators of the appendix that meet their plan, and how many the appendix lists.
fn count_met(ctx_data: &Ctx) -> (usize, usize) {
    let Some(spec) = &ctx_data.data.table else {
        return (0, 0);
    };
    let mut met = 0;
    let mut total = 0;
    for g in &spec.nhom {
        for id in &g.chi_tieu {
            if let Some(ind) = ctx_data.data.indicator(&id.0) {
                total += 1;
                let view = IndView {
                    ind: ind.clone(),
                    period: ctx_data.period,
                    base: String::new(),
                };
                if view.value().is_some() && view.meets_plan() == Some(true) {
                    met += 1;
                }
            }
        }
    }
    (met, total)
}

// ---------------------------------------------------------------------------------------------
// Environment, loader, markers

fn templates_dir(root: &Path) -> PathBuf {
    root.join("templates")
}

/// Load a template by name from templates/, refusing names that leave the folder.
fn load_template(dir: &Path, name: &str) -> std::result::Result<Option<String>, minijinja::Error> {
    if name.split('/').any(|s| s == ".." || s.is_empty())
        || name.starts_with('/')
        || name.contains('\\')
    {
        return Err(minijinja::Error::new(
            ErrorKind::TemplateNotFound,
            format!("mẫu `{name}` nằm ngoài thư mục templates/"),
        ));
    }
    let path = dir.join(name);
    // Follow symlinks, then insist on staying inside templates/, as the Typst world does.
    if let (Ok(real), Ok(base)) = (path.canonicalize(), dir.canonicalize()) {
        if !real.starts_with(&base) {
            return Err(minijinja::Error::new(
                ErrorKind::TemplateNotFound,
                format!("mẫu `{name}` trỏ ra ngoài thư mục templates/ (liên kết tượng trưng)"),
            ));
        }
    }
    match std::fs::read(&path) {
        Ok(bytes) => {
            let bytes = bytes
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(&bytes)
                .to_vec();
            let text = String::from_utf8(bytes).map_err(|_| {
                minijinja::Error::new(
                    ErrorKind::BadSerialization,
                    format!("mẫu `{name}` không phải văn bản UTF-8"),
                )
            })?;
            let text = crate::text::normalize(&text.replace("\r\n", "\n"));
            Ok(Some(add_markers(name, &text)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(minijinja::Error::new(
            ErrorKind::TemplateNotFound,
            format!(
                "không đọc được mẫu `{name}`: {}",
                crate::diag::io_reason(&e)
            ),
        )),
    }
}

/// Append `/*@name:line@*/` to each line that is plain markup (not inside a minijinja tag,
/// a Typst raw block, and not a line holding a block tag, whose newline minijinja trims).
fn add_markers(name: &str, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut open_tag = false; // inside a multi-line {{ }}, {% %} or {# #}
    let mut in_raw = false;
    let lines: Vec<&str> = text.split('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        let starts_open = open_tag;
        // Track tag state through the line.
        let bytes = line.as_bytes();
        let mut j = 0;
        while j + 1 < bytes.len() {
            let pair = &bytes[j..j + 2];
            if !open_tag && (pair == b"{{" || pair == b"{%" || pair == b"{#") {
                open_tag = true;
                j += 2;
                continue;
            }
            if open_tag && (pair == b"}}" || pair == b"%}" || pair == b"#}") {
                open_tag = false;
                j += 2;
                continue;
            }
            j += 1;
        }
        if line.matches("```").count() % 2 == 1 {
            in_raw = !in_raw;
        }
        let has_block = line.contains("{%")
            || line.contains("{#")
            || line.contains("%}")
            || line.contains("#}");
        let is_last = i + 1 == lines.len();
        // A blank line must stay blank: it separates paragraphs.
        let blank = line.trim().is_empty();
        if !blank
            && !starts_open
            && !open_tag
            && !in_raw
            && !has_block
            && !is_last
            && !line.contains("```")
            && !line.contains("/*")
            && !line.contains("*/")
        {
            out.push_str(MARK_OPEN);
            out.push_str(name);
            out.push(':');
            out.push_str(&(i + 1).to_string());
            out.push_str(MARK_CLOSE);
        }
        if !is_last {
            out.push('\n');
        }
    }
    out
}

pub fn strip_markers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..i]);
        match rest[i..].find(MARK_CLOSE) {
            Some(j) => rest = &rest[i + j + MARK_CLOSE.len()..],
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Warnings about template text that Typst would read differently from what the writer meant:
/// a `;` right after the `]` of a `#call[...]` ends the call and disappears from the PDF.
pub fn lint_templates(root: &Path) -> Vec<Diagnostic> {
    let mut out = vec![];
    let mut stack = vec![templates_dir(root)];
    let mut files = vec![];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".typ.j2") {
                files.push(p);
            }
        }
    }
    files.sort();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if let Some(col) = line.find("];") {
                if line[..col].contains('#') && !line.trim_start().starts_with("#let") {
                    let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                    out.push(
                        Diagnostic::warning(
                            "dấu `;` ngay sau `]` của một lệnh `#…[…]` bị Typst nuốt mất",
                        )
                        .at(Location::at(rel, i + 1, col + 2))
                        .hint("viết `]\\;` để in dấu `;`"),
                    );
                }
            }
        }
    }
    out
}

/// The template and line that produced byte `pos` of the rendered markup.
pub fn locate(markup: &str, pos: usize) -> Option<(String, usize)> {
    let pos = pos.min(markup.len());
    let pos = (0..=pos).rev().find(|p| markup.is_char_boundary(*p))?;
    let line_end = markup[pos..]
        .find('\n')
        .map(|i| pos + i)
        .unwrap_or(markup.len());
    // The marker at the end of this line, if any.
    if let Some(i) = markup[pos..line_end].rfind(MARK_OPEN) {
        return parse_marker(&markup[pos + i..]).map(|(n, l, _)| (n, l));
    }
    // Else the nearest marker before, plus the lines in between.
    let before = &markup[..pos];
    let i = before.rfind(MARK_OPEN)?;
    let (name, line, len) = parse_marker(&markup[i..])?;
    let between = markup
        .get(i + len..pos)
        .map_or(0, |s| s.matches('\n').count());
    Some((name, line + between))
}

fn parse_marker(s: &str) -> Option<(String, usize, usize)> {
    let body = s.strip_prefix(MARK_OPEN)?;
    let end = body.find(MARK_CLOSE)?;
    let (name, line) = body[..end].rsplit_once(':')?;
    Some((
        name.to_string(),
        line.parse().ok()?,
        MARK_OPEN.len() + end + MARK_CLOSE.len(),
    ))
}

fn make_env(root: &Path, ctx: Arc<Ctx>) -> Environment<'static> {
    let mut env = Environment::new();
    let dir = templates_dir(root);
    env.set_loader(move |name| load_template(&dir, name));
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".typ.j2") || name.ends_with(".typ") {
            AutoEscape::Custom("typst".into())
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(
        |out: &mut minijinja::Output, state: &mut State, value: &Value| {
            if value.is_undefined() {
                return Err(minijinja::Error::new(
                    ErrorKind::UndefinedError,
                    "giá trị không xác định",
                ));
            }
            if value.is_none() {
                return Err(minijinja::Error::new(
                    ErrorKind::UndefinedError,
                    "giá trị trống (none)",
                ));
            }
            let text = value.to_string();
            let escape = !value.is_safe() && !matches!(state.auto_escape(), AutoEscape::None);
            let text = if escape { escape_markup(&text) } else { text };
            out.write_str(&text)
                .map_err(|_| minijinja::Error::new(ErrorKind::WriteFailure, "ghi thất bại"))
        },
    );
    // keep_trailing_newline: an included section ends with its newline, so the text that
    // follows an include starts a new paragraph.
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.set_recursion_limit(64);
    register_helpers(&mut env, ctx);
    env
}

/// Render the report for `period`.
pub fn render(root: &Path, data: &DataSet, period: Period) -> Result<Rendered> {
    let ctx = Arc::new(Ctx {
        data: data.clone(),
        period,
        words: period.words(data.year()),
    });
    let context = build_context(&ctx)?;
    if std::env::var_os("BAOCAO_DEBUG").is_some() {
        eprintln!(
            "context keys: {:?}",
            context.try_iter().map(|i| i.collect::<Vec<_>>())
        );
    }
    let env = make_env(root, ctx.clone());
    let tmpl = env
        .get_template(ROOT)
        .map_err(|e| template_error(root, &ctx, &e))?;
    let markup = tmpl
        .render(context)
        .map_err(|e| template_error(root, &ctx, &e))?;
    Ok(Rendered { markup, period })
}

/// A minijinja error as a located Vietnamese diagnostic, with a hint for unknown names.
fn template_error(root: &Path, ctx: &Ctx, e: &minijinja::Error) -> Error {
    if std::env::var_os("BAOCAO_DEBUG").is_some() {
        eprintln!("{e:#}");
    }
    // The innermost error carries the template and line where it happened.
    let mut inner: &minijinja::Error = e;
    while let Some(src) =
        std::error::Error::source(inner).and_then(|s| s.downcast_ref::<minijinja::Error>())
    {
        inner = src;
    }
    let name = inner.name().or(e.name()).unwrap_or(ROOT).to_string();
    let line = inner.line().or(e.line());
    let path = Path::new("templates").join(&name);
    let loc = match line {
        Some(l) => Location::line(path.clone(), l),
        None => Location::file(path.clone()),
    };
    // An include wraps the real error with the English detail `error in "name"`: skip it.
    let detail = inner
        .detail()
        .or(e.detail())
        .filter(|d| !d.starts_with("error in "))
        .map(str::to_string);
    let message = match inner.kind() {
        ErrorKind::UndefinedError => format!(
            "tên không xác định trong mẫu{}",
            detail
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        ),
        ErrorKind::SyntaxError => format!(
            "sai cú pháp mẫu{}",
            detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        ErrorKind::TemplateNotFound => detail
            .clone()
            .unwrap_or_else(|| "không tìm thấy mẫu".into()),
        ErrorKind::UnknownFunction => format!(
            "hàm không có{}",
            detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        ErrorKind::UnknownFilter => format!(
            "bộ lọc không có{}",
            detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        ErrorKind::MissingArgument => format!(
            "thiếu đối số{}",
            detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        ErrorKind::TooManyArguments => format!(
            "thừa đối số{}",
            detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        _ => detail.clone().unwrap_or_else(|| inner.to_string()),
    };
    let mut d = Diagnostic::error(message).at(loc);
    if let (Some(l), Some(src)) = (
        line,
        inner
            .template_source()
            .map(str::to_string)
            .or_else(|| std::fs::read_to_string(root.join("templates").join(&name)).ok()),
    ) {
        if let Some(text) = src.lines().nth(l.saturating_sub(1)) {
            for h in unknown_name_hints(ctx, &strip_markers(text)) {
                if !d.hints.contains(&h) {
                    d = d.hint(h);
                }
            }
        }
    }
    if inner.kind() == ErrorKind::UndefinedError && d.hints.is_empty() {
        if let Some(det) = detail {
            d = d.hint(det);
        }
    }
    Error::new(d)
}

/// For `ct.x`, `ct.x.y` and `sl.f.k` references on a template line that do not resolve,
/// a hint naming the nearest known name.
fn unknown_name_hints(ctx: &Ctx, line: &str) -> Vec<String> {
    let mut hints = vec![];
    let ids: Vec<&str> = ctx
        .data
        .indicators
        .iter()
        .map(|i| i.id.0.as_str())
        .collect();
    for (start, _) in line.match_indices("ct.") {
        if start > 0
            && line[..start]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let parts: Vec<&str> = line[start + 3..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .next()
            .unwrap_or("")
            .split('.')
            .collect();
        let id = parts[0];
        if id.is_empty() {
            continue;
        }
        match ctx.data.indicator(id) {
            None => {
                let mut h = format!("không có chỉ tiêu `{id}`");
                if let Some(n) = nearest(id, ids.iter().copied()) {
                    h.push_str(&format!("; có phải là `{n}`?"));
                }
                hints.push(h);
            }
            Some(ind) => {
                if let Some(field) = parts.get(1) {
                    const FIELDS: [&str; 14] = [
                        "id",
                        "ten",
                        "don_vi",
                        "so_thap_phan",
                        "th",
                        "thuc_hien",
                        "uoc_thuc_hien",
                        "cung_ky",
                        "so_voi_cung_ky",
                        "so_voi_ke_hoach",
                        "ghi_chu",
                        "kh",
                        "ke_hoach_nam_sau",
                        "thanh_phan",
                    ];
                    if !FIELDS.contains(field)
                        && ![
                            "ke_hoach",
                            "co_ke_hoach",
                            "co_so_lieu",
                            "dat_ke_hoach",
                            "cao_hon_tot",
                            "minh_hoa",
                        ]
                        .contains(field)
                    {
                        let mut h = format!("chỉ tiêu không có thuộc tính `{field}`");
                        if let Some(n) = nearest(field, FIELDS) {
                            h.push_str(&format!("; có phải là `{n}`?"));
                        }
                        hints.push(h);
                    } else {
                        let view = IndView {
                            ind: ind.clone(),
                            period: ctx.period,
                            base: String::new(),
                        };
                        if Arc::new(view).get_value_by_str(field).is_none() {
                            hints.push(format!(
                                "chỉ tiêu `{id}` không có số `{field}` cho kỳ `{}` (xem {})",
                                ctx.period,
                                ind.location
                                    .as_ref()
                                    .map(|l| l.to_string())
                                    .unwrap_or_default()
                            ));
                        }
                    }
                }
            }
        }
    }
    let figures = ctx.data.figures_for(ctx.period);
    let files: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
    for (start, _) in line.match_indices("sl.") {
        if start > 0
            && line[..start]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let path = line[start + 3..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .next()
            .unwrap_or("");
        let mut parts = path.split('.');
        let (Some(file), key) = (parts.next(), parts.next()) else {
            continue;
        };
        match figures.iter().find(|f| f.name == file) {
            None => {
                let mut h = format!(
                    "không có tệp số liệu `data/so-lieu/{}.yaml`",
                    file.replace('_', "-")
                );
                if let Some(n) = nearest(file, files.iter().copied()) {
                    h.push_str(&format!("; có phải là `sl.{n}`?"));
                }
                hints.push(h);
            }
            Some(f) => {
                if let Some(key) = key {
                    if !f.values.iter().any(|(k, _)| k == key) {
                        let mut h = format!("`{}` không có khóa `{key}`", f.path.display());
                        if let Some(n) = nearest(key, f.values.iter().map(|(k, _)| k.as_str())) {
                            h.push_str(&format!("; có phải là `{n}`?"));
                        }
                        hints.push(h);
                    }
                }
            }
        }
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip() {
        let src = "Dòng một\n{% if x %}\nDòng {{ a }}\n\n{% endif %}\ncuối";
        let marked = add_markers("a.typ.j2", src);
        assert!(marked.contains("Dòng một /*@a.typ.j2:1@*/"));
        assert!(marked.contains("Dòng {{ a }} /*@a.typ.j2:3@*/"));
        assert!(!marked.contains(":2@*/"), "block-tag lines carry no marker");
        assert!(marked.contains("@*/\n\n{% endif"), "blank lines stay blank");
        assert_eq!(strip_markers(&marked), src);
    }

    #[test]
    fn locate_finds_template_line() {
        let markup = "a /*@x.typ.j2:1@*/\nb c /*@x.typ.j2:7@*/\nd";
        assert_eq!(
            locate(markup, markup.find('c').unwrap()),
            Some(("x.typ.j2".into(), 7))
        );
        assert_eq!(
            locate(markup, markup.len() - 1),
            Some(("x.typ.j2".into(), 8))
        );
    }
}
