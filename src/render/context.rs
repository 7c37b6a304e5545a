//! The template context: `ct` (indicators), `sl` (other figures), `ky` (the period's words),
//! `bc` (the document), `bieu` (the appendix table's description).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use minijinja::value::Value;

use super::values::{FigFile, IndView, fig, map_value};
use crate::data::{DataSet, Value as DataValue};
use crate::diag::Result;
use crate::format;
use crate::period::{Period, Words};

/// What the helpers and values of one rendering share.
#[derive(Debug)]
pub struct Ctx {
    pub data: DataSet,
    pub period: Period,
    pub words: Words,
    /// What the templates read, recorded as they render.
    pub reads: Mutex<Reads>,
}

impl Ctx {
    pub fn new(data: DataSet, period: Period) -> Self {
        Ctx {
            words: period.words(data.year()),
            data,
            period,
            reads: Mutex::new(Reads::default()),
        }
    }

    /// Record that a template read indicator `index`.
    pub fn read_indicator(&self, index: usize) {
        if let Ok(mut r) = self.reads.lock() {
            r.indicators.insert(index);
        }
    }

    /// Record that a template read `sl.<file>.<key>`.
    pub fn read_figure(&self, file: &str, key: &str) {
        if let Ok(mut r) = self.reads.lock() {
            r.figures.insert((file.to_string(), key.to_string()));
        }
    }
}

/// What one rendering read of the data: the indicators (`ct.<id>`, by index in the data set)
/// and so-lieu values (`sl.<file>.<key>`) that a template used. What the report prints of the
/// data is these, the appendix's rows and the document's metadata (`crate::draft`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    pub indicators: BTreeSet<usize>,
    pub figures: BTreeSet<(String, String)>,
}

pub fn build_context(ctx: &Arc<Ctx>) -> Result<Value> {
    let data = &ctx.data;
    let year = data.year().get();
    let pm = data.require_period(ctx.period)?;

    let ct = map_value(data.indicators.iter().enumerate().map(|(i, ind)| {
        (
            ind.id.0.clone(),
            Value::from_object(IndView::new(ctx.clone(), i)),
        )
    }));
    let sl = map_value(data.figures_for(ctx.period).iter().map(|f| {
        let values: BTreeMap<String, Value> = f
            .values
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    DataValue::Number(n) => fig(n),
                    DataValue::Text(t) => Value::from(t.clone()),
                };
                (k.clone(), v)
            })
            .collect();
        let file = FigFile::new(ctx.clone(), f.name.clone(), values);
        (f.name.clone(), Value::from_object(file))
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
    // The appendix table's description (src/bieu.rs), which the template lays out.
    let bieu = match crate::bieu::describe(data, ctx.period) {
        Some(table) => Value::from(minijinja::value::Serde(table)),
        None => Value::from(()),
    };
    Ok(map_value([
        ("ct", ct),
        ("sl", sl),
        ("ky", ky),
        ("bc", bc),
        ("bieu", bieu),
    ]))
}
