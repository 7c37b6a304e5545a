//! The edits `baocao import` makes, gathered before any is made: for each indicator, the
//! values that differ from the old ones and where they go (a value replaced, a field or a
//! period's block inserted in the order the data files use, a part appended, `minh_hoa`
//! removed); so-lieu values into the period's own file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::bieu::to_f64;
use super::form::{file_stem, line_comment};
use super::import::{Field, Read, Taken, Target};
use crate::data::{
    DataFiles, DataSet, Indicator, Insert, NewValue, Node, SourceFile, Value, YamlPath, yaml_scalar,
};
use crate::diag::{Diagnostic, Error, Result};
use crate::figures::{Plan, plan_display};
use crate::format::{Number, format_number};
use crate::period::Period;

/// The keys of an indicator, of a period's block and of `ky`, in the order new ones go in.
const INDICATOR_KEYS: &[&str] = &[
    "id",
    "ten",
    "don_vi",
    "so_thap_phan",
    "cao_hon_tot",
    "ke_hoach",
    "ke_hoach_nam_sau",
    "ghi_chu",
    "minh_hoa",
    "ky",
];
const BLOCK_KEYS: &[&str] = &[
    "minh_hoa",
    "thuc_hien",
    "uoc_thuc_hien",
    "cung_ky",
    "so_voi_cung_ky",
    "so_voi_ke_hoach",
    "thanh_phan",
    "ghi_chu",
];
const PERIOD_KEYS: &[&str] = &["quy-1", "6-thang", "9-thang", "ca-nam"];

/// Where a new key goes in `map` (a node), by `order`: after the last key before it, else
/// before the first key after it, else at the end.
fn place<'a>(map: Option<&'a Node>, key: &str, order: &[&str]) -> Insert<'a> {
    let rank = |k: &str| order.iter().position(|o| *o == k);
    let Some(me) = rank(key) else {
        return Insert::End;
    };
    let keys: Vec<&str> = map
        .map(|m| m.entries().iter().filter_map(|e| e.key_str()).collect())
        .unwrap_or_default();
    if let Some(k) = keys.iter().rev().find(|k| rank(k).is_some_and(|r| r < me)) {
        return Insert::After(k);
    }
    if let Some(k) = keys.iter().find(|k| rank(k).is_some_and(|r| r > me)) {
        return Insert::Before(k);
    }
    Insert::End
}

/// An edit, owned, to be made through a [`crate::data::Patch`].
pub(super) enum Op {
    Set(YamlPath, String),
    Insert {
        map: YamlPath,
        at: At,
        key: String,
        value: NewValue,
        comment: Option<String>,
    },
    Append(YamlPath, NewValue),
    Remove(YamlPath, String),
}

pub(super) enum At {
    After(String),
    Before(String),
    End,
}

impl At {
    fn of(i: Insert) -> Self {
        match i {
            Insert::After(k) => At::After(k.to_string()),
            Insert::Before(k) => At::Before(k.to_string()),
            Insert::End => At::End,
        }
    }
}

/// A figure's new text: the indicator's decimals (else the old value's) or more, never fewer
/// than the cell holds.
fn number_text(read: &Read, decimals: Option<u32>, old: Option<&Number>) -> Option<String> {
    let Read::Number(v, d, _) = read else {
        return None;
    };
    let want = decimals.or(old.map(|o| o.decimals)).unwrap_or(0).max(*d);
    Some(format_number(*v, want))
}

/// A number read equals the old one: the same value (5 and `05`, 36,7 and `36,70`), or the
/// same double as the cell (a value with more digits than a double holds).
fn equal(old: &Number, read: &Read) -> bool {
    match read {
        Read::Number(v, _, cell) => old.value == *v || cell.is_some_and(|f| f == to_f64(old.value)),
        _ => false,
    }
}

/// One value written, to check it after loading the result.
pub(super) struct Written {
    pub target: Target,
    pub text: String,
}

/// The edits gathered, file by file, and what they write.
#[derive(Default)]
pub(super) struct Edits {
    pub ops: BTreeMap<PathBuf, (Arc<SourceFile>, Vec<Op>)>,
    /// New files under data/, by their path there.
    pub new_files: BTreeMap<PathBuf, String>,
    pub written: Vec<Written>,
    pub notes: Vec<String>,
}

impl Edits {
    fn push(&mut self, file: &Arc<SourceFile>, op: Op) {
        self.ops
            .entry(file.path.clone())
            .or_insert_with(|| (Arc::clone(file), vec![]))
            .1
            .push(op);
    }

    /// `key` of the mapping at `map` set to `text`: in place when the key is written, else
    /// inserted at `at` (with `comment`).
    fn set_or_insert(
        &mut self,
        file: &Arc<SourceFile>,
        map: &YamlPath,
        key: &str,
        text: &str,
        at: At,
        comment: Option<String>,
    ) {
        let path = map.key(key);
        let op = if file.node(&path).is_some() {
            Op::Set(path, text.to_string())
        } else {
            Op::Insert {
                map: map.clone(),
                at,
                key: key.to_string(),
                value: NewValue::text(text),
                comment,
            }
        };
        self.push(file, op);
    }
}

/// What changes in one indicator: plans, the period's fields and parts (new texts).
#[derive(Default)]
pub(super) struct Changes {
    plans: Vec<(&'static str, String)>,
    fields: Vec<(&'static str, String)>,
    parts: Vec<(String, String)>,
}

/// The new texts of `ind`'s values that differ from the old ones (each recorded in
/// `written`, to be checked after loading).
pub(super) fn changes(
    ind: &Indicator,
    values: &[(&Target, &Read)],
    period: Period,
    written: &mut Vec<Written>,
) -> Changes {
    let block = ind.ky.get(period);
    let mut ch = Changes::default();
    for (target, read) in values {
        match target {
            Target::Indicator { field, .. } => {
                let (key, old_plan) = match field {
                    Field::Plan => ("ke_hoach", Some(ind.ke_hoach.as_ref())),
                    Field::NextPlan => ("ke_hoach_nam_sau", Some(ind.ke_hoach_nam_sau.as_ref())),
                    _ => ("", None),
                };
                if let Some(old_plan) = old_plan {
                    let old_plan = old_plan.map(|p| &p.0);
                    let text = match (read, old_plan) {
                        (Read::Number(..), Some(Plan::Value(n))) if equal(n, read) => continue,
                        (Read::Number(..), Some(Plan::Value(n))) => {
                            number_text(read, ind.so_thap_phan, Some(n))
                        }
                        (Read::Number(..), _) => number_text(read, ind.so_thap_phan, None),
                        (Read::Plan(p, _), Some(o)) if plan_display(p) == plan_display(o) => {
                            continue;
                        }
                        (Read::Plan(_, text), _) | (Read::Text(text), _) => Some(text.clone()),
                    };
                    if let Some(text) = text {
                        ch.plans.push((key, text.clone()));
                        written.push(Written {
                            target: (*target).clone(),
                            text,
                        });
                    }
                    continue;
                }
                let key = match field {
                    Field::ThucHien => "thuc_hien",
                    Field::UocThucHien => "uoc_thuc_hien",
                    Field::CungKy => "cung_ky",
                    _ if block.is_some_and(|b| b.uoc_thuc_hien.is_some()) => "uoc_thuc_hien",
                    _ => "thuc_hien",
                };
                let old_value = block.and_then(|b| match key {
                    "thuc_hien" => b.thuc_hien.as_ref(),
                    "uoc_thuc_hien" => b.uoc_thuc_hien.as_ref(),
                    _ => b.cung_ky.as_ref(),
                });
                let old_value = old_value.map(|f| &f.0);
                if old_value.is_some_and(|o| equal(o, read)) {
                    continue;
                }
                if let Some(text) = number_text(read, ind.so_thap_phan, old_value)
                    && !ch.fields.iter().any(|(k, _)| *k == key)
                {
                    ch.fields.push((key, text.clone()));
                    written.push(Written {
                        target: Target::Indicator {
                            id: ind.id.0.clone(),
                            field: match key {
                                "thuc_hien" => Field::ThucHien,
                                "uoc_thuc_hien" => Field::UocThucHien,
                                _ => Field::CungKy,
                            },
                        },
                        text,
                    });
                }
            }
            Target::Part { name, .. } => {
                let old_part = block.and_then(|b| {
                    b.thanh_phan
                        .iter()
                        .find(|c| c.ten.0 == *name)
                        .and_then(|c| c.gia_tri.as_ref().map(|g| &g.0))
                });
                if old_part.is_some_and(|o| equal(o, read)) {
                    continue;
                }
                if let Some(text) = number_text(read, ind.so_thap_phan, old_part) {
                    ch.parts.push((name.clone(), text.clone()));
                    written.push(Written {
                        target: (*target).clone(),
                        text,
                    });
                }
            }
            Target::SoLieu { .. } => {}
        }
    }
    ch
}

/// The edits of `ind`'s file for `ch`; whether the period's block loses its `minh_hoa`.
pub(super) fn indicator_ops(
    edits: &mut Edits,
    ind: &Indicator,
    period: Period,
    mut ch: Changes,
) -> Result<bool> {
    let Some(at) = &ind.source else {
        return Ok(false);
    };
    let file = &at.file;
    let block = ind.ky.get(period);
    let mut unflagged = false;
    let ind_path = &at.path;
    let ind_node = file.node(ind_path);
    for (key, text) in &ch.plans {
        let at = At::of(place(ind_node, key, INDICATOR_KEYS));
        edits.set_or_insert(file, ind_path, key, text, at, None);
    }
    if ch.fields.is_empty() && ch.parts.is_empty() {
        return Ok(false);
    }
    ch.fields
        .sort_by_key(|(k, _)| BLOCK_KEYS.iter().position(|b| b == k));
    let part_item = |name: &str, text: &str| {
        NewValue::Map(vec![
            ("ten".into(), NewValue::text(name)),
            ("gia_tri".into(), NewValue::text(text)),
        ])
    };
    let ky_path = ind_path.key("ky");
    let block_path = ky_path.key(period.key());
    match file.node(&block_path) {
        Some(node @ Node::Mapping { .. }) => {
            for (key, text) in &ch.fields {
                let at = At::of(place(Some(node), key, BLOCK_KEYS));
                edits.set_or_insert(file, &block_path, key, text, at, None);
            }
            if !ch.parts.is_empty() {
                let list_path = block_path.key("thanh_phan");
                let list = file.node(&list_path);
                let mut new_items = vec![];
                for (name, text) in &ch.parts {
                    let index = list.and_then(|l| {
                        l.items().iter().position(|it| {
                            it.entry("ten")
                                .and_then(|e| e.value.as_str())
                                .is_some_and(|t| crate::text::normalize(t.trim()) == *name)
                        })
                    });
                    match index {
                        Some(i) => edits.push(
                            file,
                            Op::Set(list_path.index(i).key("gia_tri"), text.clone()),
                        ),
                        None if list.is_some() => {
                            edits.push(file, Op::Append(list_path.clone(), part_item(name, text)));
                        }
                        None => new_items.push(part_item(name, text)),
                    }
                }
                if !new_items.is_empty() {
                    edits.push(
                        file,
                        Op::Insert {
                            map: block_path.clone(),
                            at: At::of(place(Some(node), "thanh_phan", BLOCK_KEYS)),
                            key: "thanh_phan".into(),
                            value: NewValue::List(new_items),
                            comment: None,
                        },
                    );
                }
            }
            if block.is_some_and(|b| b.minh_hoa) {
                edits.push(file, Op::Remove(block_path.clone(), "minh_hoa".into()));
                unflagged = true;
                edits.notes.push(format!(
                    "bỏ `minh_hoa: true` ở khối `{period}` của chỉ tiêu `{}`: số liệu đã thay bằng số nhập",
                    ind.id.0
                ));
            }
        }
        Some(_) => {
            return Err(Error::new(
                Diagnostic::error(format!(
                    "khối `{period}` của chỉ tiêu `{}` không phải một bảng khóa: giá trị",
                    ind.id.0
                ))
                .at_opt(ind.field_location(&["ky", period.key()])),
            ));
        }
        None => {
            let mut entries: Vec<(String, NewValue)> = ch
                .fields
                .iter()
                .map(|(k, t)| (k.to_string(), NewValue::text(t)))
                .collect();
            if !ch.parts.is_empty() {
                entries.push((
                    "thanh_phan".into(),
                    NewValue::List(ch.parts.iter().map(|(n, t)| part_item(n, t)).collect()),
                ));
            }
            let new_block = NewValue::Map(entries);
            match file.node(&ky_path) {
                Some(ky @ Node::Mapping { .. }) => edits.push(
                    file,
                    Op::Insert {
                        map: ky_path.clone(),
                        at: At::of(place(Some(ky), period.key(), PERIOD_KEYS)),
                        key: period.key().into(),
                        value: new_block,
                        comment: None,
                    },
                ),
                _ => edits.push(
                    file,
                    Op::Insert {
                        map: ind_path.clone(),
                        at: At::of(place(ind_node, "ky", INDICATOR_KEYS)),
                        key: "ky".into(),
                        value: NewValue::Map(vec![(period.key().into(), new_block)]),
                        comment: None,
                    },
                ),
            }
        }
    }
    Ok(unflagged)
}

/// The period's own flag, once nothing of it is illustrative any more.
pub(super) fn period_flag(edits: &mut Edits, old: &DataSet, period: Period, unflagged: &[&str]) {
    let changed = !edits.written.is_empty();
    let still = old.indicators.iter().any(|i| {
        i.minh_hoa
            || (i.ky.get(period).is_some_and(|b| b.minh_hoa)
                && !unflagged.contains(&i.id.0.as_str()))
    });
    if changed && !still && old.period_meta(period).is_some_and(|m| m.minh_hoa) {
        let meta = &old.meta_source;
        edits.push(
            meta,
            Op::Remove(
                YamlPath::root().key("cac_ky").key(period.key()),
                "minh_hoa".into(),
            ),
        );
        edits.notes.push(format!(
            "bỏ `minh_hoa: true` của kỳ `{period}` trong `{}`: không còn khối số liệu minh họa nào của kỳ này",
            meta.path.display()
        ));
    }
}

/// So-lieu values: into the period's own file.
pub(super) fn so_lieu_ops(
    edits: &mut Edits,
    old: &DataSet,
    files: &DataFiles,
    period: Period,
    values: &[Taken],
) -> Result<()> {
    let seen = old.figures_for(period);
    for t in values {
        let Target::SoLieu { file: stem, key } = &t.target else {
            continue;
        };
        let Some(f) = seen.iter().find(|f| file_stem(&f.path) == *stem) else {
            continue;
        };
        let old_value = f.values.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let text = match (&t.value, old_value) {
            (r @ Read::Number(..), Some(Value::Number(n))) if equal(n, r) => continue,
            (r @ Read::Number(..), Some(Value::Number(n))) => number_text(r, None, Some(n)),
            (r @ Read::Number(..), _) => number_text(r, None, None),
            (Read::Text(s), Some(Value::Text(o))) if s == o => continue,
            (Read::Text(s) | Read::Plan(_, s), _) => Some(s.clone()),
        };
        let Some(text) = text else { continue };
        edits.written.push(Written {
            target: t.target.clone(),
            text: text.clone(),
        });
        let rel = Path::new("ky")
            .join(period.key())
            .join("so-lieu")
            .join(format!("{stem}.yaml"));
        let comment = old
            .figures
            .iter()
            .find(|s| file_stem(&s.path) == *stem)
            .and_then(|s| s.source.as_deref())
            .and_then(|src| line_comment(src, key));
        match files.get(&rel) {
            Some(Ok(src)) => {
                edits.set_or_insert(src, &YamlPath::root(), key, &text, At::End, comment);
            }
            Some(Err(e)) => return Err(e.clone()),
            None => {
                let body = edits.new_files.entry(rel).or_insert_with(|| {
                    format!(
                        "# yaml-language-server: $schema=../../../schema.json\n# Số liệu riêng của kỳ {period} (thay các khóa cùng tên của data/so-lieu/{stem}.yaml),\n# ghi bởi `baocao import`.\n"
                    )
                });
                body.push_str(&format!("{}: {}", yaml_scalar(key), yaml_scalar(&text)));
                if let Some(c) = comment {
                    body.push_str(&format!("  # {c}"));
                }
                body.push('\n');
            }
        }
    }
    Ok(())
}
