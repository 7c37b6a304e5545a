//! Figures and indicators as template values: a figure prints as written (data) or formatted
//! (derived); an indicator (`ct.<id>`) is an [`InPeriod`] seen through minijinja.

use std::sync::Arc;

use minijinja::value::{Object, ObjectRepr, Value};
use rust_decimal::Decimal;

use super::context::Ctx;
use crate::data::Indicator;
use crate::figures::{self, Plan};
use crate::format::{self, Number};
use crate::indicator::InPeriod;

/// A figure in a template: prints as written (data) or formatted (derived). A plan's figure
/// (`ct.x.kh`) knows it is one, so that a ratio over a plan of 0 says "kế hoạch bằng 0".
#[derive(Debug, Clone)]
pub struct FigVal(pub Number, pub Role);

/// What a figure is, for the words of a ratio over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A figure of the data, or one derived from figures.
    Figure,
    /// An indicator's plan (`ct.x.kh`).
    Plan,
}

impl FigVal {
    /// A derived figure, rounded half away from zero to `decimals`.
    pub fn derived(value: Decimal, decimals: u32) -> Self {
        let value = figures::round_half_away(value, decimals);
        FigVal(
            Number {
                value,
                decimals,
                written: format::format_number(value, decimals),
            },
            Role::Figure,
        )
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
pub fn map_value<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Value {
    Value::from(
        pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v))
            .collect::<std::collections::BTreeMap<String, Value>>(),
    )
}

pub fn fig(n: &Number) -> Value {
    Value::from_object(FigVal(n.clone(), Role::Figure))
}

fn plan_value(p: &Plan) -> Value {
    match p {
        Plan::Value(n) => Value::from_object(FigVal(n.clone(), Role::Plan)),
        other => Value::from(figures::plan_display(other)),
    }
}

/// The fields of an indicator that templates read (`ct.<id>.<field>`), as listed by
/// iteration; [`FLAGS`] are readable too.
pub const FIELDS: [&str; 14] = [
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

/// Yes/no properties and aliases of an indicator.
pub const FLAGS: [&str; 6] = [
    "ke_hoach",
    "co_ke_hoach",
    "co_so_lieu",
    "dat_ke_hoach",
    "cao_hon_tot",
    "minh_hoa",
];

/// `ct.<id>`: one indicator of the data set seen from the period being rendered.
#[derive(Debug)]
pub struct IndView {
    ctx: Arc<Ctx>,
    index: usize,
}

impl IndView {
    pub fn new(ctx: Arc<Ctx>, index: usize) -> Self {
        Self { ctx, index }
    }

    pub fn indicator(&self) -> &Indicator {
        &self.ctx.data.indicators[self.index]
    }

    /// The indicator in the period: every derived number comes from here. A template that
    /// looks at an indicator comes through here, so this records it as read.
    pub fn view(&self) -> InPeriod<'_> {
        self.ctx.read_indicator(self.index);
        InPeriod::new(self.indicator(), self.ctx.period)
    }

    /// What a comparison is with: "cùng kỳ", or "năm 2023" in a year-end report.
    pub fn base_words(&self) -> &str {
        &self.ctx.words.cung_ky
    }

    /// The decimals asked for, else the indicator's own.
    pub fn decimals(&self, asked: Option<u32>) -> u32 {
        asked.unwrap_or_else(|| self.view().decimals())
    }
}

impl Object for IndView {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }
    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let view = self.view();
        let ind = view.indicator;
        let v = view.values;
        match key {
            "id" => Some(Value::from(ind.id.0.clone())),
            "ten" => Some(Value::from(ind.ten.0.clone())),
            "don_vi" => Some(Value::from(view.unit())),
            "so_thap_phan" => Some(Value::from(view.decimals())),
            // A figure still to fill reads as its placeholder (`«thực hiện»`).
            "th" => view
                .figure()
                .map(fig)
                .or_else(|| view.pending_figure().map(Value::from)),
            "thuc_hien" | "uoc_thuc_hien" => {
                let f = match key {
                    "thuc_hien" => &v?.thuc_hien,
                    _ => &v?.uoc_thuc_hien,
                };
                f.as_ref().map(|f| fig(&f.0)).or_else(|| {
                    ind.placeholder(&["ky", view.period.key(), key])
                        .map(Value::from)
                })
            }
            "cung_ky" => view
                .base()
                .map(fig)
                .or_else(|| view.pending_base().map(Value::from)),
            "so_voi_cung_ky" => view.stated_ratio_to_base().map(fig),
            "so_voi_ke_hoach" => view.stated_share_of_plan().map(fig),
            "ghi_chu" => v?
                .ghi_chu
                .as_ref()
                .or(ind.ghi_chu.as_ref())
                .map(|t| Value::from(t.0.clone())),
            "kh" | "ke_hoach" => view
                .plan()
                .map(plan_value)
                .or_else(|| view.pending_plan().map(Value::from)),
            "ke_hoach_nam_sau" => ind
                .ke_hoach_nam_sau
                .as_ref()
                .map(|p| plan_value(&p.0))
                .or_else(|| view.pending_next_plan().map(Value::from)),
            "co_ke_hoach" => Some(Value::from(view.plan().is_some())),
            "co_so_lieu" => Some(Value::from(view.figure().is_some())),
            "dat_ke_hoach" => view.meets_plan().map(Value::from),
            "cao_hon_tot" => Some(Value::from(ind.cao_hon_tot)),
            "minh_hoa" => Some(Value::from(view.illustrative())),
            "thanh_phan" => Some(Value::from(
                v.map(|v| {
                    v.thanh_phan
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let value = match &c.gia_tri {
                                Some(f) => fig(&f.0),
                                None => Value::from(
                                    ind.component_placeholder(view.period, i)
                                        .unwrap_or_else(|| "«…»".into()),
                                ),
                            };
                            map_value([("ten", Value::from(c.ten.0.clone())), ("gia_tri", value)])
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
            )),
            _ => None,
        }
    }
    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Str(&FIELDS)
    }
    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Printing an indicator prints its figure, so `{{ ct.x }}` reads naturally.
        let view = self.view();
        match (view.figure(), view.pending_figure()) {
            (Some(n), _) => f.write_str(&n.written),
            (None, Some(p)) => f.write_str(&p),
            (None, None) => f.write_str(&view.indicator.ten.0),
        }
    }
}

/// `sl.<file>`: the values of one so-lieu file as the period sees them; reading a key records
/// it (what the report prints).
#[derive(Debug)]
pub struct FigFile {
    ctx: Arc<Ctx>,
    name: String,
    values: std::collections::BTreeMap<String, Value>,
}

impl FigFile {
    pub fn new(
        ctx: Arc<Ctx>,
        name: String,
        values: std::collections::BTreeMap<String, Value>,
    ) -> Self {
        Self { ctx, name, values }
    }
}

impl Object for FigFile {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }
    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let v = self.values.get(key)?.clone();
        self.ctx.read_figure(&self.name, key);
        Some(v)
    }
    // `sl.x['k']` and `'k' in sl.x` ask by value.
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }
    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Values(
            self.values
                .keys()
                .map(|k| Value::from(k.as_str()))
                .collect(),
        )
    }
}
