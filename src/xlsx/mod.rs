//! Figures in and out through Excel.
//!
//! - `bieu`: the attached indicator table (biểu) as a workbook, written from the same
//!   description as the PDF appendix ([`crate::bieu::Table`]);
//! - `form`: `baocao form`, a workbook for the departments to fill (one sheet per indicator
//!   file, one per so-lieu file, a hidden sheet with the period, the year and the ids);
//! - `read`: a workbook read back (calamine): cells with their cached values, merged regions,
//!   the hidden sheet;
//! - `import`: `baocao import`, a filled form, the biểu workbook or a workbook baocao did not
//!   make, matched row by row to the indicators, every cell checked first, then written back
//!   into the YAML in place (`edits` gathers the changes, `apply` makes them).
//!
//! Every workbook is the same bytes for the same input: rust_xlsxwriter gives its zip entries
//! a fixed time and order, and the document's creation time is the report's date, as the
//! PDF's.

mod apply;
mod bieu;
mod edits;
mod form;
mod import;
mod read;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

pub use apply::{Imported, import};
pub use bieu::bieu_workbook;
pub use form::{FormWritten, form_workbook, write_form};
pub use import::ImportOptions;

use crate::data::DataSet;
use crate::diag::{Error, Result};
use crate::period::{Period, Year};

/// The hidden sheet that says which report, period and year a workbook belongs to.
pub const INFO_SHEET: &str = "baocao";
/// The font of every cell (the report's: Times New Roman, or Liberation Serif in its place).
const FONT: &str = "Times New Roman";

/// What a workbook says about the document it comes with.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkbookMeta {
    pub period: Period,
    pub year: Year,
    /// The document's title (the PDF's: `Báo cáo <trích yếu>`, `DỰ THẢO - ` in front of a draft).
    pub title: String,
    /// The issuing agency (`ten_co_quan`).
    pub author: String,
    /// "(Kèm theo Báo cáo số …/BC-UBND ngày … của …)", as under the appendix's title.
    pub attached_to: String,
    pub draft: bool,
    /// The creation time written in the document's properties: the report's date at 00:00
    /// UTC, or `SOURCE_DATE_EPOCH` seconds when given (as the PDF's).
    pub created: Created,
}

/// When a workbook says it was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Created {
    Date(i32, u8, u8),
    Epoch(i64),
}

impl WorkbookMeta {
    /// The metadata of `period`'s report; `source_date_epoch` as for the PDF. Marked a draft
    /// only when the data says so (`du_thao`); a build knows more ([`Self::of_document`]).
    pub fn new(data: &DataSet, period: Period, source_date_epoch: Option<i64>) -> Result<Self> {
        let doc = crate::document::Document::new(data, period, false)?;
        Ok(Self::of_document(
            &doc,
            period,
            data.year(),
            Self::created(data, period, source_date_epoch)?,
        ))
    }

    /// The metadata of a document a build laid out: its title, agency and draft mark are the
    /// PDF's, so a draft's workbook says DỰ THẢO as its PDF does.
    pub fn of_document(
        doc: &crate::document::Document,
        period: Period,
        year: Year,
        created: Created,
    ) -> Self {
        Self {
            period,
            year,
            title: doc.tieu_de_pdf.clone(),
            author: doc.ten_co_quan.clone(),
            attached_to: doc.kem_theo.clone(),
            draft: doc.du_thao,
            created,
        }
    }

    /// The creation time: `SOURCE_DATE_EPOCH` when given, else the report's date.
    pub fn created(
        data: &DataSet,
        period: Period,
        source_date_epoch: Option<i64>,
    ) -> Result<Created> {
        Ok(match source_date_epoch {
            Some(secs) => Created::Epoch(secs),
            None => {
                let (y, m, d) = crate::project::document_date(data, period)?;
                Created::Date(y, m, d)
            }
        })
    }

    fn properties(&self) -> Result<DocProperties> {
        let time = match self.created {
            Created::Date(y, m, d) => u16::try_from(y)
                .ok()
                .and_then(|y| ExcelDateTime::from_ymd(y, m, d).ok()),
            Created::Epoch(secs) => ExcelDateTime::from_timestamp(secs).ok(),
        }
        .ok_or_else(|| {
            Error::msg(match self.created {
                Created::Date(y, m, d) => format!("ngày {d}/{m}/{y} không ghi được vào bảng tính"),
                Created::Epoch(s) => format!("SOURCE_DATE_EPOCH = `{s}` ngoài khoảng cho phép"),
            })
        })?;
        Ok(DocProperties::new()
            .set_title(&self.title)
            .set_author(&self.author)
            .set_company(&self.author)
            .set_creation_datetime(&time))
    }
}

/// rust_xlsxwriter's error, in Vietnamese with the original kept.
fn xlsx_error(e: XlsxError) -> Error {
    Error::msg(format!("không tạo được bảng tính\nchi tiết: {e}"))
}

/// A new workbook with the document's properties.
fn new_workbook(meta: &WorkbookMeta) -> Result<Workbook> {
    let mut wb = Workbook::new();
    wb.set_properties(&meta.properties()?);
    Ok(wb)
}

/// The base cell format: the report's font at `size` points.
fn font(size: f64) -> Format {
    Format::new().set_font_name(FONT).set_font_size(size)
}

/// Excel's number format for `decimals` places: `#,##0`, `#,##0.0`, … (Excel shows it with
/// the reader's separators: 1.234,5 on a Vietnamese Windows).
pub fn number_format(decimals: u32) -> String {
    if decimals == 0 {
        "#,##0".into()
    } else {
        format!("#,##0.{}", "0".repeat(decimals.min(15) as usize))
    }
}

/// A column's letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_name(mut col: u32) -> String {
    let mut out = vec![];
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A cell's A1 name (0-based row and column).
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row + 1)
}

/// `sheet!A1` as Excel writes it: the sheet's name in quotes unless it is letters, digits
/// and `_` only.
pub fn sheet_cell(sheet: &str, row: u32, col: u32) -> String {
    let plain = !sheet.is_empty() && sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        format!("{sheet}!{}", cell_name(row, col))
    } else {
        format!("'{}'!{}", sheet.replace('\'', "''"), cell_name(row, col))
    }
}

/// A sheet name Excel accepts, not in `taken`: at most 31 characters, none of `[]:*?/\`,
/// no quote at either end; `-2`, `-3`, … added when taken.
fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').to_string();
    let base: String = clean.chars().take(31).collect();
    let free = |n: &str| !taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    if !base.is_empty() && free(&base) && base.to_lowercase() != INFO_SHEET {
        return base;
    }
    for k in 2.. {
        let suffix = format!("-{k}");
        let head: String = clean.chars().take(31 - suffix.len()).collect();
        let name = format!("{head}{suffix}");
        if free(&name) {
            return name;
        }
    }
    unreachable!("a free name exists")
}

/// Millimetres as pixels at 96 dpi (Excel's column widths).
fn mm_to_px(mm: f64) -> u32 {
    (mm / 25.4 * 96.0).round() as u32
}

/// Millimetres as inches (page margins).
fn mm_to_in(mm: f64) -> f64 {
    mm / 25.4
}

/// The hidden sheet: what the workbook is (`bieu` or `form`), its period and year, then one
/// row per indicator (`chi_tieu`, id, sheet) and per so-lieu sheet (`so_lieu`, file, sheet).
fn write_info(
    wb: &mut Workbook,
    kind: &str,
    period: Period,
    year: Year,
    ids: &[(String, String)],
    files: &[(String, String)],
) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(INFO_SHEET).map_err(xlsx_error)?;
    let rows: Vec<[String; 3]> = [
        ["loai".to_string(), kind.to_string(), String::new()],
        ["ky".into(), period.key().into(), String::new()],
        ["nam".into(), year.get().to_string(), String::new()],
        ["phien_ban".into(), "1".into(), String::new()],
    ]
    .into_iter()
    .chain(
        ids.iter()
            .map(|(id, sheet)| ["chi_tieu".into(), id.clone(), sheet.clone()]),
    )
    .chain(
        files
            .iter()
            .map(|(file, sheet)| ["so_lieu".into(), file.clone(), sheet.clone()]),
    )
    .collect();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(r as u32, c as u16, text)
                    .map_err(xlsx_error)?;
            }
        }
    }
    ws.set_hidden(true);
    ws.protect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_cells_and_sheets() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(cell_name(6, 4), "E7");
        assert_eq!(sheet_cell("kinh_te", 0, 0), "kinh_te!A1");
        assert_eq!(sheet_cell("kinh-te", 6, 5), "'kinh-te'!F7");
        assert_eq!(sheet_cell("a'b", 0, 0), "'a''b'!A1");
        let taken = vec!["kinh-te".to_string()];
        assert_eq!(sheet_name("kinh-te", &taken), "kinh-te-2");
        assert_eq!(sheet_name("a/b:c", &taken), "a-b-c");
        assert_eq!(sheet_name(&"x".repeat(40), &taken).chars().count(), 31);
        assert_eq!(sheet_name("BAOCAO", &taken), "BAOCAO-2");
        assert_eq!(number_format(0), "#,##0");
        assert_eq!(number_format(3), "#,##0.000");
    }
}
