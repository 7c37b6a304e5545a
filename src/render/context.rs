//! The template context: `ct` (indicators), `sl` (other figures), `ky` (the period's words),
//! `bc` (the document), `bieu` (the appendix table's description).

use std::sync::Arc;

use minijinja::value::Value;

use super::values::{IndView, fig, map_value};
use crate::data::{DataSet, Value as DataValue};
use crate::diag::Result;
use crate::format;
use crate::period::{Period, Words};
use crate::text::typst_string;

/// What the helpers and values of one rendering share.
#[derive(Debug)]
pub struct Ctx {
    pub data: DataSet,
    pub period: Period,
    pub words: Words,
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
        (
            "meta_typst",
            Value::from_safe_string(meta_typst(ctx, pm, year)),
        ),
    ]))
}

/// The report's metadata as a Typst dictionary literal, for the layout library.
fn meta_typst(ctx: &Ctx, pm: &crate::data::PeriodMeta, year: i32) -> String {
    let m = &ctx.data.meta;
    let list = |v: &[crate::data::Text]| -> String {
        let items: Vec<String> = v.iter().map(|t| typst_string(&t.0)).collect();
        format!(
            "({}{})",
            items.join(", "),
            if items.len() == 1 { "," } else { "" }
        )
    };
    let opt = |s: Option<&str>| match s.map(str::trim) {
        Some(s) if !s.is_empty() => typst_string(s),
        _ => "none".to_string(),
    };
    let date = &pm.ngay.0;
    let day = date.day.map(|d| format!("{d:02}"));
    let month = date.month.map(|mo| {
        if mo <= 2 {
            format!("{mo:02}")
        } else {
            mo.to_string()
        }
    });
    let draft = m.du_thao
        || pm.du_thao
        || pm.minh_hoa
        || ctx
            .data
            .indicators
            .iter()
            .any(|i| crate::indicator::InPeriod::new(i, ctx.period).illustrative());
    format!(
        "(\n  co-quan-chu-quan: {},\n  co-quan: {},\n  ten-co-quan: {},\n  dia-danh: {},\n  so: {},\n  ky-hieu: {},\n  ngay: (ngay: {}, thang: {}, nam: {}),\n  trich-yeu: {},\n  quyen-han: {},\n  chuc-vu: {},\n  ho-ten: {},\n  noi-nhan: {},\n  luu: {},\n  du-thao: {},\n  ky: {},\n  nam: {},\n)",
        list(&m.co_quan_chu_quan),
        list(&m.co_quan),
        typst_string(&m.ten_co_quan.0),
        typst_string(&m.dia_danh.0),
        opt(pm.so.as_ref().map(|s| s.0.as_str())),
        typst_string(&m.ky_hieu.0),
        opt(day.as_deref()),
        opt(month.as_deref()),
        typst_string(&date.year.to_string()),
        typst_string(&pm.trich_yeu.0),
        list(&m.nguoi_ky.quyen_han),
        list(&m.nguoi_ky.chuc_vu),
        opt(m.nguoi_ky.ho_ten.as_ref().map(|s| s.0.as_str())),
        list(&m.noi_nhan),
        typst_string(&m.luu.0),
        draft,
        typst_string(ctx.period.key()),
        year,
    )
}
