//! Reading a workbook's figures: which period, which sheet holds what, which row is which
//! indicator, and every cell checked before anything is written.
//!
//! A sheet is a table when one of its first rows is a header with a key column (the id, or
//! else the indicator's name; a so-lieu sheet: the key) and at least one figure column. A
//! header may span two rows and merged cells ("So sánh (%)" over two columns); a title above
//! it, a total row or group rows below it, columns in any order and extra sheets are fine.
//! Columns are known by their header: the form's, the biểu's, or the usual words
//! ("Mã", "Tên chỉ tiêu", "Thực hiện", "Ước thực hiện", "Cùng kỳ", "Kế hoạch"); a % column
//! ("So sánh (%)", "Tỷ lệ (%)") is derived and never read.
//!
//! Rows are matched by the id column; without one, by the indicator's name exactly (after
//! Unicode normalisation). A row with figures that matches nothing is a warning, never a
//! guess; an id that no indicator has is an error.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::bieu::from_f64;
use super::form::{H_CUNG_KY, H_ID, H_KEY, H_NAME, H_PART, H_THUC_HIEN, H_UNIT, H_UOC, H_VALUE};
use super::read::{Book, CellValue, Sheet};
use super::sheet_cell;
use crate::bieu::{self, ColumnKind};
use crate::budget::Limits;
use crate::data::DataSet;
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::figures::{Plan, parse_plan};
use crate::format::parse_number;
use crate::period::Period;
use crate::text::normalize;

/// How `baocao import` runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// `--period`: required for a workbook without the hidden sheet; else it must agree.
    pub period: Option<Period>,
    /// Print the changes, write nothing.
    pub dry_run: bool,
    /// The template budgets of the renders its comparison makes (fuel, markup size; time and
    /// memory are the process's, `budget`).
    pub limits: Limits,
}

/// A field of an indicator that a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    ThucHien,
    UocThucHien,
    CungKy,
    /// The biểu's figure column: the field the period's figure comes from (the estimate when
    /// the block has one, else the result).
    Figure,
    Plan,
    NextPlan,
}

impl Field {
    /// How the user calls it.
    pub fn label(self) -> &'static str {
        match self {
            Field::ThucHien => "thực hiện",
            Field::UocThucHien => "ước thực hiện",
            Field::CungKy => "cùng kỳ",
            Field::Figure => "số thực hiện của kỳ",
            Field::Plan => "kế hoạch",
            Field::NextPlan => "kế hoạch năm sau",
        }
    }
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Role {
    Id,
    Name,
    Part,
    Key,
    Value,
    Field(Field),
}

/// Where a value goes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Indicator { id: String, field: Field },
    Part { id: String, name: String },
    SoLieu { file: String, key: String },
}

/// A value read from a cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Read {
    /// A number: its value and the decimals it holds (a text's as written; a numeric cell's
    /// at full precision).
    Number(Decimal, u32, Option<f64>),
    /// A plan that is not a number ("dưới 1", "6,6-6,8"), as typed.
    Plan(Plan, String),
    /// A so-lieu text.
    Text(String),
}

/// One value taken from the workbook.
#[derive(Clone, Debug)]
pub struct Taken {
    /// `sheet!cell`.
    pub at: String,
    pub target: Target,
    pub value: Read,
}

/// What a workbook gives, checked: its period, the values, and the warnings.
#[derive(Debug)]
pub struct Reading {
    pub period: Period,
    pub values: Vec<Taken>,
    pub warnings: Vec<Diagnostic>,
}

fn key(text: &str) -> String {
    normalize(text.trim())
}

/// A header's text as compared: composed, lower case, single spaces.
fn folded(text: &str) -> String {
    normalize(text)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The period of the workbook (its hidden sheet's, or `--period`), checked against the
/// report's year.
fn period_of(book: &Book, data: &DataSet, asked: Option<Period>) -> Result<Period> {
    let file = book.path.display();
    let Some(info) = &book.info else {
        return asked.ok_or_else(|| {
            Error::new(
                Diagnostic::error(format!(
                    "bảng tính `{file}` không do baocao tạo nên không ghi kỳ báo cáo"
                ))
                .hint("ghi kỳ của số liệu: `--period 6-thang` (quy-1, 6-thang, 9-thang, ca-nam)"),
            )
        });
    };
    let own = Period::from_key(info.period.trim()).ok_or_else(|| {
        Error::msg(format!(
            "trang ẩn `{}` của `{file}` ghi kỳ `{}` không có",
            super::INFO_SHEET,
            info.period
        ))
    })?;
    if let Some(p) = asked
        && p != own
    {
        return Err(Error::new(
            Diagnostic::error(format!(
                "bảng tính `{file}` là số liệu kỳ `{own}`, không phải kỳ `{p}`"
            ))
            .hint(format!("bỏ `--period`, hoặc ghi `--period {own}`")),
        ));
    }
    let year = data.year().get().to_string();
    if info.year.trim() != year {
        return Err(Error::new(
            Diagnostic::error(format!(
                "bảng tính `{file}` là số liệu năm {}, báo cáo là năm {year}",
                info.year.trim()
            ))
            .hint("tạo phiếu mới cho năm này bằng `baocao form`"),
        ));
    }
    Ok(own)
}

/// The role of a column from its header parts (top to bottom).
fn role(parts: &[String], period: Period, data: &DataSet) -> Option<Role> {
    let whole = parts.join(" ");
    let all = folded(&whole);
    if all.contains('%') || all.contains("so sánh") {
        return None;
    }
    let last = folded(parts.last()?);
    let year = data.year();
    // The biểu's own headers.
    for c in bieu::columns(period, year) {
        if folded(&c.header) == last && c.parent.is_none() {
            return match c.kind {
                ColumnKind::Name => Some(Role::Name),
                ColumnKind::Figure => Some(Role::Field(Field::Figure)),
                ColumnKind::Plan => Some(Role::Field(Field::Plan)),
                ColumnKind::Base => Some(Role::Field(Field::CungKy)),
                ColumnKind::NextPlan => Some(Role::Field(Field::NextPlan)),
                _ => None,
            };
        }
    }
    let y = year.get();
    let exact = [
        (H_ID, Role::Id),
        (H_NAME, Role::Name),
        (H_PART, Role::Part),
        (H_THUC_HIEN, Role::Field(Field::ThucHien)),
        (H_UOC, Role::Field(Field::UocThucHien)),
        (H_CUNG_KY, Role::Field(Field::CungKy)),
        (H_KEY, Role::Key),
        (H_VALUE, Role::Value),
        ("mã", Role::Id),
        ("mã số", Role::Id),
        ("id", Role::Id),
        ("tên chỉ tiêu", Role::Name),
        ("tên", Role::Name),
        ("nội dung", Role::Name),
        ("khoá", Role::Key),
    ];
    if let Some((_, r)) = exact.iter().find(|(h, _)| folded(h) == last) {
        return Some(*r);
    }
    let starts = |p: &str| last.starts_with(p);
    if matches!(last.as_str(), "stt" | "tt") || last == folded(H_UNIT) || starts("đơn vị") {
        return None;
    }
    if starts("thành phần") {
        return Some(Role::Part);
    }
    if starts("ước") {
        return Some(Role::Field(Field::UocThucHien));
    }
    if starts("cùng kỳ")
        || starts("thực hiện cùng kỳ")
        || starts(&format!("thực hiện năm {}", y - 1))
    {
        return Some(Role::Field(Field::CungKy));
    }
    if starts("thực hiện") {
        return Some(Role::Field(Field::ThucHien));
    }
    if starts(&format!("kế hoạch năm {}", y + 1)) {
        return Some(Role::Field(Field::NextPlan));
    }
    if starts("kế hoạch") {
        return Some(Role::Field(Field::Plan));
    }
    if starts("mã chỉ tiêu") {
        return Some(Role::Id);
    }
    None
}

/// A sheet's table: where its header ends and which column holds what.
struct Layout {
    first_row: u32,
    columns: Vec<(u32, Role)>,
}

impl Layout {
    fn col(&self, role: Role) -> Option<u32> {
        self.columns
            .iter()
            .find(|(_, r)| *r == role)
            .map(|(c, _)| *c)
    }
}

/// The first row (of the first 30) that reads as a header.
fn layout(sheet: &Sheet, period: Period, data: &DataSet) -> Option<Layout> {
    let last_row = sheet.last_row()?;
    let last_col = sheet.last_col()?;
    for h in 0..=last_row.min(30) {
        // A header cell merged downwards makes the header that many rows deep.
        let bottom = (0..=last_col)
            .map(|c| sheet.merged_down_to(h, c))
            .max()
            .unwrap_or(h)
            .min(h + 3);
        let mut columns: Vec<(u32, Role)> = vec![];
        for c in 0..=last_col {
            let mut parts: Vec<String> = vec![];
            for r in h..=bottom {
                let t = sheet.text(r, c, true);
                if !t.is_empty() && parts.last() != Some(&t) {
                    parts.push(t);
                }
            }
            if parts.is_empty() {
                continue;
            }
            if let Some(role) = role(&parts, period, data)
                && !columns.iter().any(|(_, r)| *r == role)
            {
                columns.push((c, role));
            }
        }
        let has = |r: Role| columns.iter().any(|(_, x)| *x == r);
        let fields = columns.iter().any(|(_, r)| matches!(r, Role::Field(_)));
        if ((has(Role::Id) || has(Role::Name)) && fields) || (has(Role::Key) && has(Role::Value)) {
            return Some(Layout {
                first_row: bottom + 1,
                columns,
            });
        }
    }
    None
}

/// A text that says there is no figure: blank, or the biểu's own words for it ("-",
/// "chưa đến kỳ đánh giá"), so that the biểu workbook imports as it was written.
fn no_figure(text: &str) -> bool {
    let t = folded(text);
    t.is_empty() || t == bieu::MISSING || t == folded(bieu::NOT_DUE)
}

/// A cell read as a figure (the same parser as YAML for text).
fn figure(value: &CellValue) -> std::result::Result<Option<Read>, (String, Option<String>)> {
    match value {
        CellValue::Empty => Ok(None),
        CellValue::Number(f) => match from_f64(*f) {
            Some(d) => {
                let d = d.normalize();
                Ok(Some(Read::Number(d, d.scale(), Some(*f))))
            }
            None => Err((format!("`{f}` quá lớn để tính toán chính xác"), None)),
        },
        CellValue::Text(s) if no_figure(s) => Ok(None),
        CellValue::Text(s) => parse_number(&normalize(s))
            .map(|n| Some(Read::Number(n.value, n.decimals, None)))
            .map_err(|e| (e.message, e.hint)),
        CellValue::Bool(b) => Err((
            format!("ô chứa giá trị đúng/sai (`{b}`), không phải số"),
            None,
        )),
        CellValue::Error(e) => Err((
            format!("ô báo lỗi `{e}`"),
            Some("sửa công thức hay ghi thẳng số vào ô".into()),
        )),
        CellValue::Date(d) => Err((
            format!("ô là ngày giờ (`{d}`), không phải số"),
            Some("định dạng ô là số (Number/General) rồi ghi lại số".into()),
        )),
    }
}

/// A cell read as a plan: a number, or a text the plan parser accepts.
fn plan(value: &CellValue) -> std::result::Result<Option<Read>, (String, Option<String>)> {
    match value {
        CellValue::Text(s) if !no_figure(s) => {
            let text = normalize(s.trim());
            match parse_plan(&text).map_err(|e| (e.message, e.hint))? {
                Plan::Value(n) => Ok(Some(Read::Number(n.value, n.decimals, None))),
                p => Ok(Some(Read::Plan(p, text))),
            }
        }
        other => figure(other),
    }
}

/// A so-lieu cell: a number when it looks like one (as in YAML), else text.
fn so_lieu(value: &CellValue) -> std::result::Result<Option<Read>, (String, Option<String>)> {
    match value {
        CellValue::Text(s) if !s.trim().is_empty() => {
            let t = normalize(s.trim());
            let numeric = t.starts_with(|c: char| c.is_ascii_digit())
                || (t.starts_with(['-', '−', ',', '.'])
                    && t.chars().nth(1).is_some_and(|c| c.is_ascii_digit()));
            if numeric {
                figure(value)
            } else {
                Ok(Some(Read::Text(t)))
            }
        }
        other => figure(other),
    }
}

/// Read every sheet of `book` against `data`: the values, or every bad cell at once.
pub fn read_values(book: &Book, data: &DataSet, opts: &ImportOptions) -> Result<Reading> {
    let period = period_of(book, data, opts.period)?;
    let file = book.path.display().to_string();
    let mut errors: Vec<Diagnostic> = vec![];
    let mut warnings: Vec<Diagnostic> = vec![];
    let mut values: Vec<Taken> = vec![];
    let at_file = || Location::file(&book.path);

    let by_id: HashMap<&str, &crate::data::Indicator> = data
        .indicators
        .iter()
        .map(|i| (i.id.0.as_str(), i))
        .collect();
    let mut by_name: HashMap<String, Vec<&crate::data::Indicator>> = HashMap::new();
    for i in &data.indicators {
        by_name.entry(key(&i.ten.0)).or_default().push(i);
    }
    let figures = data.figures_for(period);
    let stem_of = |f: &crate::data::FigureFile| super::form::file_stem(&f.path);

    for sheet in &book.sheets {
        let Some(lay) = layout(sheet, period, data) else {
            if sheet.last_row().is_some() {
                warnings.push(
                    Diagnostic::warning(format!(
                        "trang `{}` không có dòng tiêu đề nào nhận ra được: bỏ qua",
                        sheet.name
                    ))
                    .at(at_file())
                    .hint("cần một cột mã chỉ tiêu (hay tên chỉ tiêu) và một cột số liệu (Thực hiện, Ước thực hiện, Cùng kỳ, Kế hoạch); số liệu khác: cột Khóa và Giá trị"),
                );
            }
            continue;
        };
        let Some(last) = sheet.last_row() else {
            continue;
        };
        let cell = |r: u32, c: u32| sheet_cell(&sheet.name, r, c);
        if let (Some(kc), Some(vc)) = (lay.col(Role::Key), lay.col(Role::Value)) {
            // A so-lieu sheet: its file from the hidden sheet, else the key's one file.
            let named = book
                .info
                .as_ref()
                .and_then(|i| i.files.iter().find(|(_, s)| *s == sheet.name))
                .map(|(f, _)| f.clone());
            for r in lay.first_row..=last {
                let k = sheet.text(r, kc, false);
                let v = sheet.value(r, vc, false);
                if k.is_empty() {
                    continue;
                }
                let owners: Vec<&crate::data::FigureFile> = figures
                    .iter()
                    .filter(|f| named.as_ref().is_none_or(|n| stem_of(f) == *n))
                    .filter(|f| f.values.iter().any(|(key, _)| *key == k))
                    .collect();
                let owner = match owners.as_slice() {
                    [one] => stem_of(one),
                    [] => {
                        errors.push(
                            Diagnostic::error(format!(
                                "ô `{}`: không có số liệu nào khóa `{k}`",
                                cell(r, kc)
                            ))
                            .at(at_file()),
                        );
                        continue;
                    }
                    _ => {
                        errors.push(
                            Diagnostic::error(format!(
                                "ô `{}`: khóa `{k}` có trong nhiều tệp số liệu",
                                cell(r, kc)
                            ))
                            .at(at_file())
                            .hint("dùng phiếu do `baocao form` tạo: mỗi tệp số liệu một trang"),
                        );
                        continue;
                    }
                };
                match so_lieu(&v) {
                    Ok(Some(value)) => values.push(Taken {
                        at: cell(r, vc),
                        target: Target::SoLieu {
                            file: owner,
                            key: k,
                        },
                        value,
                    }),
                    Ok(None) => {}
                    Err((message, hint)) => errors.push(bad(
                        &cell(r, vc),
                        &format!("số liệu `{k}`"),
                        message,
                        hint,
                        at_file(),
                    )),
                }
            }
            continue;
        }
        let fields: Vec<(u32, Field)> = lay
            .columns
            .iter()
            .filter_map(|(c, r)| match r {
                Role::Field(f) => Some((*c, *f)),
                _ => None,
            })
            .collect();
        let id_col = lay.col(Role::Id);
        let name_col = lay.col(Role::Name);
        let part_col = lay.col(Role::Part);
        for r in lay.first_row..=last {
            let filled = fields
                .iter()
                .any(|(c, _)| !matches!(sheet.value(r, *c, false), CellValue::Empty));
            let ind = match (id_col, name_col) {
                (Some(ic), _) => {
                    let id = sheet.text(r, ic, false);
                    if id.is_empty() {
                        if filled {
                            warnings.push(
                                Diagnostic::warning(format!(
                                    "dòng {} của trang `{}` có số nhưng không có mã chỉ tiêu: bỏ qua",
                                    r + 1,
                                    sheet.name
                                ))
                                .at(at_file()),
                            );
                        }
                        continue;
                    }
                    match by_id.get(id.as_str()) {
                        Some(i) => *i,
                        None => {
                            let mut d = Diagnostic::error(format!(
                                "ô `{}`: không có chỉ tiêu nào mã `{id}`",
                                cell(r, ic)
                            ))
                            .at(at_file());
                            if let Some(n) = crate::text::nearest(&id, by_id.keys().copied()) {
                                d = d.hint(format!("có phải là `{n}`?"));
                            }
                            errors.push(d);
                            continue;
                        }
                    }
                }
                (None, Some(nc)) => {
                    let name = key(&sheet.text(r, nc, true));
                    match by_name.get(&name).map(Vec::as_slice) {
                        Some([one]) => *one,
                        Some(many) if filled => {
                            warnings.push(
                                Diagnostic::warning(format!(
                                    "dòng {} của trang `{}`: {} chỉ tiêu cùng tên “{name}”, không đoán: bỏ qua",
                                    r + 1,
                                    sheet.name,
                                    many.len()
                                ))
                                .at(at_file())
                                .hint("thêm cột `Mã chỉ tiêu` để chỉ đúng chỉ tiêu"),
                            );
                            continue;
                        }
                        _ => {
                            if filled && !name.is_empty() {
                                warnings.push(
                                    Diagnostic::warning(format!(
                                        "dòng {} của trang `{}` (“{name}”) không khớp tên chỉ tiêu nào: bỏ qua",
                                        r + 1,
                                        sheet.name
                                    ))
                                    .at(at_file()),
                                );
                            }
                            continue;
                        }
                    }
                }
                (None, None) => continue,
            };
            let id = ind.id.0.clone();
            let part = part_col
                .map(|c| key(&sheet.text(r, c, false)))
                .filter(|p| !p.is_empty());
            let negative_ok = crate::check::may_be_negative(ind);
            let mut part_value: Option<(String, Read)> = None;
            for (c, field) in &fields {
                let v = sheet.value(r, *c, false);
                if part.is_some() && *field == Field::Plan {
                    continue;
                }
                let what = match &part {
                    Some(p) => format!("chỉ tiêu `{id}`, thành phần “{p}”"),
                    None => format!("chỉ tiêu `{id}`, {}", field.label()),
                };
                let read = match field {
                    Field::Plan | Field::NextPlan => plan(&v),
                    _ => figure(&v),
                };
                let read = match read {
                    Ok(Some(x)) => x,
                    Ok(None) => continue,
                    Err((message, hint)) => {
                        errors.push(bad(&cell(r, *c), &what, message, hint, at_file()));
                        continue;
                    }
                };
                if let Read::Number(d, _, _) = &read
                    && d.is_sign_negative()
                    && !d.is_zero()
                    && !negative_ok
                {
                    errors.push(bad(
                        &cell(r, *c),
                        &what,
                        format!("{} là số âm", crate::format::format_number(*d, read_decimals(&read))),
                        Some("số lượng, diện tích, giá trị không thể âm; nếu đây là tốc độ tăng trưởng thì đơn vị tính là `%`".into()),
                        at_file(),
                    ));
                    continue;
                }
                match &part {
                    Some(p) => {
                        if let Some((first, other)) = &part_value
                            && other != &read
                        {
                            errors.push(bad(
                                &cell(r, *c),
                                &what,
                                format!("thành phần đã có số ở ô `{first}`"),
                                Some("mỗi thành phần chỉ ghi một số".into()),
                                at_file(),
                            ));
                            continue;
                        }
                        if part_value.is_none() {
                            values.push(Taken {
                                at: cell(r, *c),
                                target: Target::Part {
                                    id: id.clone(),
                                    name: p.clone(),
                                },
                                value: read.clone(),
                            });
                            part_value = Some((cell(r, *c), read));
                        }
                    }
                    None => values.push(Taken {
                        at: cell(r, *c),
                        target: Target::Indicator {
                            id: id.clone(),
                            field: *field,
                        },
                        value: read,
                    }),
                }
            }
        }
    }

    // One figure given twice, differently.
    let mut seen: HashMap<&Target, &Taken> = HashMap::new();
    for t in &values {
        if let Some(first) = seen.get(&t.target) {
            if !same(&first.value, &t.value) {
                errors.push(
                    Diagnostic::error(format!(
                        "ô `{}` và ô `{}` ghi hai số khác nhau cho {}",
                        first.at,
                        t.at,
                        describe(&t.target)
                    ))
                    .at(at_file()),
                );
            }
        } else {
            seen.insert(&t.target, t);
        }
    }
    if !errors.is_empty() {
        let n = errors.len();
        errors.push(
            Diagnostic::error(format!(
                "không nhập gì từ `{file}`: {n} ô sai, chưa ghi tệp nào"
            ))
            .hint("sửa các ô trên rồi chạy lại `baocao import`"),
        );
        errors.extend(warnings);
        return Err(Error(errors));
    }
    Ok(Reading {
        period,
        values,
        warnings,
    })
}

fn read_decimals(r: &Read) -> u32 {
    match r {
        Read::Number(_, d, _) => *d,
        _ => 0,
    }
}

/// Two reads of the same figure agree.
fn same(a: &Read, b: &Read) -> bool {
    match (a, b) {
        (Read::Number(x, _, _), Read::Number(y, _, _)) => x == y,
        _ => a == b,
    }
}

/// How a target is named to the user.
pub fn describe(t: &Target) -> String {
    match t {
        Target::Indicator { id, field } => format!("chỉ tiêu `{id}`, {}", field.label()),
        Target::Part { id, name } => format!("chỉ tiêu `{id}`, thành phần “{name}”"),
        Target::SoLieu { file, key } => format!("số liệu `{key}` (tệp {file})"),
    }
}

fn bad(cell: &str, what: &str, message: String, hint: Option<String>, at: Location) -> Diagnostic {
    let mut d = Diagnostic::error(format!("ô `{cell}` ({what}): {message}")).at(at);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_follow_the_yaml_notation() {
        let t = |s: &str| figure(&CellValue::Text(s.into()));
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(t("1.146"), Ok(Some(Read::Number(d("1146"), 0, None))));
        assert_eq!(t("2.976,4"), Ok(Some(Read::Number(d("2976.4"), 1, None))));
        assert_eq!(t("  "), Ok(None));
        assert_eq!(t("-"), Ok(None));
        assert_eq!(t("Chưa đến kỳ đánh giá"), Ok(None));
        assert_eq!(plan(&CellValue::Text("-".into())), Ok(None));
        let (message, hint) = t("2976.4").unwrap_err();
        assert_eq!(message, "`2976.4` không đúng cách viết số của báo cáo");
        assert!(hint.unwrap().contains("`2.976,4`"));
        // A numeric cell as it is, every decimal it holds.
        assert_eq!(
            figure(&CellValue::Number(2976.4)),
            Ok(Some(Read::Number(d("2976.4"), 1, Some(2976.4))))
        );
        assert_eq!(
            figure(&CellValue::Number(1146.0)),
            Ok(Some(Read::Number(d("1146"), 0, Some(1146.0))))
        );
        assert!(figure(&CellValue::Error("#DIV/0!".into())).is_err());
        assert!(figure(&CellValue::Bool(true)).is_err());
        // A plan may be text.
        assert!(matches!(
            plan(&CellValue::Text("dưới 1".into())),
            Ok(Some(Read::Plan(Plan::Bound(..), _)))
        ));
        assert_eq!(
            so_lieu(&CellValue::Text("Hoàn thành".into())),
            Ok(Some(Read::Text("Hoàn thành".into())))
        );
    }

    fn sheet(rows: &[&[&str]], merged: Vec<calamine::Dimensions>) -> Sheet {
        let h = rows.len() as u32;
        let w = rows.iter().map(|r| r.len()).max().unwrap_or(1) as u32;
        let mut range = calamine::Range::new((0, 0), (h - 1, w - 1));
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    let v = match text.parse::<f64>() {
                        Ok(f) => calamine::Data::Float(f),
                        Err(_) => calamine::Data::String(text.to_string()),
                    };
                    range.set_value((r as u32, c as u32), v);
                }
            }
        }
        Sheet::new("Trang 1", range, merged)
    }

    #[test]
    fn a_header_under_a_title_over_two_rows() {
        let data = crate::data::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let dim = |a: (u32, u32), b: (u32, u32)| calamine::Dimensions { start: a, end: b };
        let s = sheet(
            &[
                &["BÁO CÁO", "", "", "", ""],
                &[
                    "STT",
                    "Tên chỉ tiêu",
                    "So sánh (%)",
                    "",
                    "Thực hiện năm 2023",
                ],
                &["", "", "Kế hoạch", "Cùng kỳ", ""],
                &["1", "Thu ngân sách thành phố", "50", "100", "300"],
            ],
            vec![
                dim((0, 0), (0, 4)),
                dim((1, 0), (2, 0)),
                dim((1, 1), (2, 1)),
                dim((1, 2), (1, 3)),
                dim((1, 4), (2, 4)),
            ],
        );
        let lay = layout(&s, Period::Half, &data).unwrap();
        assert_eq!(lay.first_row, 3);
        // The % columns under "So sánh (%)" are not read; last year's figure is `cung_ky`.
        assert_eq!(
            lay.columns,
            vec![(1, Role::Name), (4, Role::Field(Field::CungKy))]
        );
        // The biểu's own headers for the period.
        let s = sheet(
            &[&[
                "STT",
                "Chỉ tiêu",
                "ĐVT",
                "Kế hoạch năm 2024",
                "Thực hiện 6 tháng năm 2024",
                "Ghi chú",
            ]],
            vec![],
        );
        let lay = layout(&s, Period::Half, &data).unwrap();
        assert_eq!(
            lay.columns,
            vec![
                (1, Role::Name),
                (3, Role::Field(Field::Plan)),
                (4, Role::Field(Field::Figure))
            ]
        );
        // Nothing to read: no layout.
        assert!(layout(&sheet(&[&["Ghi chú"], &["x"]], vec![]), Period::Half, &data).is_none());
    }

    #[test]
    fn headers_are_folded() {
        assert_eq!(folded("  Kế   hoạch\nNĂM 2024 "), "kế hoạch năm 2024");
    }
}
