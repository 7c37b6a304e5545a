//! The figures that differ between two data sets: indicators (plans, every period's values,
//! components), so-lieu values and the document's own data, each with where it is written.

use crate::data::{self, DataSet, Indicator, Period, PeriodValues, StatedRatio, Value};
use crate::diag::Location;
use crate::figures::plan_display;
use crate::format::{Date, Number};

// Figures that changed

/// One figure that differs between the two sides.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureChange {
    /// What it is, for the user: "chỉ tiêu `thu_ngan_sach` (Thu ngân sách thành phố), thực hiện kỳ 6-thang".
    pub what: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Where it is in the new data (the old when it was removed).
    pub location: Option<Location>,
    /// How templates refer to it: `ct.<id>` / `"<id>"` for an indicator, `sl.<file>.<key>`.
    pub refs: Vec<String>,
    /// The short name shown beside a sentence it changes.
    pub short: String,
    /// An indicator's name as a table cell (`[Thu ngân sách thành phố]`): a row of the
    /// indicator table that holds it is the indicator's.
    pub cell: Option<String>,
}

fn number(n: &Number) -> String {
    n.written.clone()
}

fn date(d: &Date) -> String {
    let part = |p: Option<u32>| p.map_or_else(|| "…".to_string(), |v| v.to_string());
    format!("{}/{}/{}", part(d.day), part(d.month), d.year)
}

fn opt<T>(v: &Option<T>, f: impl Fn(&T) -> String) -> Option<String> {
    v.as_ref().map(f)
}

fn value(v: &Value) -> String {
    match v {
        Value::Number(n) => number(n),
        Value::Text(t) => t.clone(),
    }
}

/// The figures that differ between `old` and `new`: indicators (plans, every period's values,
/// components), so-lieu values, and the document's own data (dates, number, signer).
pub fn changed_figures(old: &DataSet, new: &DataSet) -> Vec<FigureChange> {
    let mut out = vec![];
    compare_meta(old, new, &mut out);

    // Indicators, in the new data's order, then the removed ones.
    let index = |d: &'_ DataSet| -> std::collections::HashMap<String, usize> {
        d.indicators
            .iter()
            .enumerate()
            .map(|(k, i)| (i.id.0.clone(), k))
            .collect()
    };
    let (old_ids, new_ids) = (index(old), index(new));
    for ind in &new.indicators {
        let id = &ind.id.0;
        match old_ids.get(id).map(|&k| &old.indicators[k]) {
            Some(o) => compare_indicator(o, ind, &mut out),
            None => out.push(indicator_change(
                ind,
                "",
                Some("(không có)".into()),
                Some("(chỉ tiêu mới)".into()),
            )),
        }
    }
    for o in &old.indicators {
        if !new_ids.contains_key(&o.id.0) {
            out.push(indicator_change(
                o,
                "",
                Some("(có)".into()),
                Some("(bị bỏ)".into()),
            ));
        }
    }

    // So-lieu values, by file name and key.
    for f in &new.figures {
        let of = old.figures.iter().find(|o| o.name == f.name);
        for (k, v) in &f.values {
            let ov = of
                .and_then(|of| of.values.iter().find(|(ok, _)| ok == k))
                .map(|(_, v)| v);
            if ov != Some(v) {
                out.push(figure_change(f, k, ov.map(value), Some(value(v))));
            }
        }
        if let Some(of) = of {
            for (k, v) in &of.values {
                if !f.values.iter().any(|(nk, _)| nk == k) {
                    out.push(figure_change(of, k, Some(value(v)), None));
                }
            }
        }
    }
    for of in &old.figures {
        if !new.figures.iter().any(|f| f.name == of.name) {
            for (k, v) in &of.values {
                out.push(figure_change(of, k, Some(value(v)), None));
            }
        }
    }
    // A period's own so-lieu values (data/ky/<kỳ>/so-lieu/), as that period sees them.
    for p in Period::ALL {
        let overlay = |d: &DataSet| -> Vec<data::FigureFile> {
            d.period_figures
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(_, f)| f.clone())
                .unwrap_or_default()
        };
        let (a, b) = (overlay(old), overlay(new));
        if a.is_empty() && b.is_empty() {
            continue;
        }
        let (seen_old, seen_new) = (old.figures_for(p), new.figures_for(p));
        let get = |files: &[data::FigureFile], name: &str, key: &str| {
            files
                .iter()
                .find(|f| f.name == name)
                .and_then(|f| f.values.iter().find(|(k, _)| k == key))
                .map(|(_, v)| value(v))
        };
        let mut keys: Vec<(String, String)> = vec![];
        for f in b.iter().chain(&a) {
            for (k, _) in &f.values {
                if !keys.iter().any(|(n, kk)| *n == f.name && kk == k) {
                    keys.push((f.name.clone(), k.clone()));
                }
            }
        }
        for (name, key) in keys {
            let (o, n) = (get(&seen_old, &name, &key), get(&seen_new, &name, &key));
            if o != n {
                let file = b.iter().chain(&a).find(|f| f.name == name);
                if let Some(file) = file {
                    let mut c = figure_change(file, &key, o, n);
                    c.what = format!("{} kỳ {p}", c.what);
                    out.push(c);
                }
            }
        }
    }
    out
}

fn figure_change(
    f: &data::FigureFile,
    key: &str,
    old: Option<String>,
    new: Option<String>,
) -> FigureChange {
    let file = &f.name;
    FigureChange {
        what: format!("số liệu `sl.{file}.{key}`"),
        old,
        new,
        location: f.key_location(key),
        // Templates often alias a file (`{% set nn = sl.nong_nghiep %}`): `.key` counts too.
        refs: vec![format!("sl.{file}.{key}"), format!(".{key}")],
        short: format!("sl.{file}.{key}"),
        cell: None,
    }
}

fn indicator_change(
    ind: &Indicator,
    field: &str,
    old: Option<String>,
    new: Option<String>,
) -> FigureChange {
    let id = &ind.id.0;
    FigureChange {
        what: if field.is_empty() {
            format!("chỉ tiêu `{id}` ({})", ind.ten.0)
        } else {
            format!("chỉ tiêu `{id}` ({}), {field}", ind.ten.0)
        },
        old,
        new,
        location: ind.location.clone(),
        refs: vec![format!("ct.{id}"), format!("\"{id}\""), format!("'{id}'")],
        short: id.clone(),
        cell: Some(format!("[{}]", ind.ten.0)),
    }
}

/// One value of a period's entry, as written.
type PeriodField = fn(&PeriodValues) -> Option<String>;

fn compare_indicator(o: &Indicator, n: &Indicator, out: &mut Vec<FigureChange>) {
    let mut field = |name: String, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push(indicator_change(n, &name, a, b));
        }
    };
    field("tên".into(), Some(o.ten.0.clone()), Some(n.ten.0.clone()));
    field(
        "đơn vị".into(),
        opt(&o.don_vi, |t| t.0.clone()),
        opt(&n.don_vi, |t| t.0.clone()),
    );
    field(
        "số chữ số thập phân".into(),
        opt(&o.so_thap_phan, u32::to_string),
        opt(&n.so_thap_phan, u32::to_string),
    );
    field(
        "kế hoạch".into(),
        opt(&o.ke_hoach, |p| plan_display(&p.0)),
        opt(&n.ke_hoach, |p| plan_display(&p.0)),
    );
    field(
        "kế hoạch năm sau".into(),
        opt(&o.ke_hoach_nam_sau, |p| plan_display(&p.0)),
        opt(&n.ke_hoach_nam_sau, |p| plan_display(&p.0)),
    );
    for p in Period::ALL {
        let (a, b) = (o.ky.get(p), n.ky.get(p));
        if a.is_none() && b.is_none() {
            continue;
        }
        let empty = PeriodValues::default();
        let (a, b) = (a.unwrap_or(&empty), b.unwrap_or(&empty));
        let fields: [(&str, PeriodField); 6] = [
            ("thực hiện", |v| opt(&v.thuc_hien, |f| number(&f.0))),
            ("ước thực hiện", |v| {
                opt(&v.uoc_thuc_hien, |f| number(&f.0))
            }),
            ("cùng kỳ", |v| opt(&v.cung_ky, |f| number(&f.0))),
            ("so với cùng kỳ (%)", |v| {
                opt(&v.so_voi_cung_ky, StatedRatio::shown)
            }),
            ("so với kế hoạch (%)", |v| {
                opt(&v.so_voi_ke_hoach, StatedRatio::shown)
            }),
            ("ghi chú", |v| opt(&v.ghi_chu, |t| t.0.clone())),
        ];
        for (name, get) in fields {
            field(format!("{name} kỳ {p}"), get(a), get(b));
        }
        for c in &b.thanh_phan {
            let old = a.thanh_phan.iter().find(|x| x.ten.0 == c.ten.0);
            field(
                format!("thành phần “{}” kỳ {p}", c.ten.0),
                old.and_then(|x| opt(&x.gia_tri, |f| number(&f.0))),
                opt(&c.gia_tri, |f| number(&f.0)),
            );
        }
        for c in &a.thanh_phan {
            if !b.thanh_phan.iter().any(|x| x.ten.0 == c.ten.0) {
                field(
                    format!("thành phần “{}” kỳ {p}", c.ten.0),
                    opt(&c.gia_tri, |f| number(&f.0)),
                    None,
                );
            }
        }
    }
}

fn compare_meta(old: &DataSet, new: &DataSet, out: &mut Vec<FigureChange>) {
    // `at`: the value's YAML path in data/bao-cao.yaml; the reference is `bc.<last key>`.
    let mut field = |at: &str, what: String, a: Option<String>, b: Option<String>| {
        let key = at.rsplit('.').next().unwrap_or(at);
        if a != b {
            out.push(FigureChange {
                what,
                old: a,
                new: b,
                location: new.meta_location(at),
                refs: vec![format!("bc.{key}")],
                short: format!("bc.{key}"),
                cell: None,
            });
        }
    };
    let (o, n) = (&old.meta, &new.meta);
    field(
        "nam",
        "năm báo cáo (`nam`)".into(),
        Some(o.nam.to_string()),
        Some(n.nam.to_string()),
    );
    field(
        "ten_co_quan",
        "tên cơ quan (`ten_co_quan`)".into(),
        Some(o.ten_co_quan.0.clone()),
        Some(n.ten_co_quan.0.clone()),
    );
    field(
        "dia_danh",
        "địa danh (`dia_danh`)".into(),
        Some(o.dia_danh.0.clone()),
        Some(n.dia_danh.0.clone()),
    );
    let signer = |m: &data::Meta| m.nguoi_ky.ho_ten.as_ref().map(|t| t.0.clone());
    field(
        "nguoi_ky.ho_ten",
        "người ký (`nguoi_ky.ho_ten`)".into(),
        signer(o),
        signer(n),
    );
    for p in Period::ALL {
        let (a, b) = (old.period_meta(p), new.period_meta(p));
        if a.is_none() && b.is_none() {
            continue;
        }
        field(
            &format!("cac_ky.{p}.ngay"),
            format!("ngày văn bản kỳ {p} (`ngay`)"),
            a.map(|m| date(&m.ngay.0)),
            b.map(|m| date(&m.ngay.0)),
        );
        field(
            &format!("cac_ky.{p}.ngay_so_lieu"),
            format!("ngày chốt số liệu kỳ {p} (`ngay_so_lieu`)"),
            a.map(|m| date(&m.ngay_so_lieu.0)),
            b.map(|m| date(&m.ngay_so_lieu.0)),
        );
        field(
            &format!("cac_ky.{p}.so"),
            format!("số văn bản kỳ {p} (`so`)"),
            a.and_then(|m| m.so.as_ref().map(|t| t.0.clone())),
            b.and_then(|m| m.so.as_ref().map(|t| t.0.clone())),
        );
        field(
            &format!("cac_ky.{p}.trich_yeu"),
            format!("trích yếu kỳ {p} (`trich_yeu`)"),
            a.map(|m| m.trich_yeu.0.clone()),
            b.map(|m| m.trich_yeu.0.clone()),
        );
    }
}
