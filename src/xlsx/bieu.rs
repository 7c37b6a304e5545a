//! The biểu as a workbook: the PDF appendix's title, header, groups and rows, from the same
//! description ([`Table`]).
//!
//! - Figures are numbers with the display format of their decimals (`#,##0.0`).
//! - A % cell computed by baocao from two figures of its row that the sheet holds (the figure
//!   over a numeric plan, or over last year's figure in the year-end table) is a formula,
//!   `=E7/D7*100`, with its result cached, when that plain formula, rounded half away from
//!   zero to the column's decimals, reads as the printed text. Every other % cell is a value:
//!   a ratio the data states, a share of a range or bound plan ("6,6-6,8", "dưới 1", where a
//!   lower-is-better target counts as met), a ratio to a base the table does not show (the
//!   mid-year tables have no "cùng kỳ" column).
//! - "chưa đến kỳ đánh giá" and "-" are text, as printed.
//! - Merged header cells, the columns' widths in millimetres, the header frozen, A4 landscape
//!   fitted to the page width with the header rows repeated on every page.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet};

use super::{
    WorkbookMeta, cell_name, font, mm_to_in, mm_to_px, new_workbook, number_format, write_info,
    xlsx_error,
};
use crate::bieu::{Cell, ColumnKind, Source, Table};
use crate::diag::Result;
use crate::figures::round_half_away;
use crate::format::format_number;
use crate::nd30::ND30;

/// The sheet's name.
const SHEET: &str = "Biểu số 01";
/// A4 landscape width, mm.
const PAGE_WIDTH_MM: f64 = 297.0;
/// The first header row (0-based): after the label, the title, the "Kèm theo" line and a
/// blank row.
const HEADER_ROW: u32 = 4;

/// The biểu of one period as .xlsx bytes. `--format xlsx` writes these to
/// `output/bao-cao-<kỳ>-<năm>.xlsx`:
/// `bieu_workbook(&bieu::describe(&data, period)?, &WorkbookMeta::new(&data, period, epoch)?)`.
pub fn bieu_workbook(table: &Table, meta: &WorkbookMeta) -> Result<Vec<u8>> {
    let mut wb = new_workbook(meta)?;
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(xlsx_error)?;
    write_table(ws, table, meta).map_err(xlsx_error)?;
    let ids: Vec<(String, String)> = table
        .rows()
        .map(|r| (r.id.clone(), SHEET.to_string()))
        .collect();
    write_info(&mut wb, "bieu", meta.period, meta.year, &ids, &[])?;
    save(&mut wb)
}

pub(super) fn save(wb: &mut Workbook) -> Result<Vec<u8>> {
    wb.save_to_buffer().map_err(xlsx_error)
}

/// The formats of the table's cells.
struct Formats {
    header: Format,
    text: Format,
    name: Format,
    group_number: Format,
    group_name: Format,
}

impl Formats {
    fn new() -> Self {
        let size = ND30.phu_luc.bang;
        let cell = font(size)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        Formats {
            header: cell.clone().set_bold().set_align(FormatAlign::Center),
            text: cell.clone().set_align(FormatAlign::Center),
            name: cell.clone().set_align(FormatAlign::Left),
            group_number: cell.clone().set_bold().set_align(FormatAlign::Center),
            group_name: cell.set_bold().set_align(FormatAlign::Left),
        }
    }

    fn number(&self, decimals: u32) -> Format {
        self.text.clone().set_num_format(number_format(decimals))
    }
}

fn write_table(
    ws: &mut Worksheet,
    table: &Table,
    meta: &WorkbookMeta,
) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
    let ncols = table.columns.len() as u16;
    let last = ncols - 1;
    let title_size = ND30.phu_luc.tieu_de;
    let centred = font(title_size)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    ws.merge_range(0, 0, 0, last, &table.label, &centred.clone().set_bold())?;
    ws.merge_range(
        1,
        0,
        1,
        last,
        &table.title.to_uppercase(),
        &centred.clone().set_bold(),
    )?;
    ws.set_row_height(1, title_size * 2.6)?;
    ws.merge_range(2, 0, 2, last, &meta.attached_to, &centred.set_italic())?;

    // Columns: widths in millimetres; the one without a width takes what the page leaves.
    let le = ND30.phu_luc.le;
    let fixed: u32 = table.columns.iter().filter_map(|c| c.width_mm).sum();
    let rest = (PAGE_WIDTH_MM - le.trai - le.phai - f64::from(fixed)).max(40.0);
    let widths: Vec<f64> = table
        .columns
        .iter()
        .map(|c| c.width_mm.map_or(rest, f64::from))
        .collect();
    for (i, mm) in widths.iter().enumerate() {
        ws.set_column_width_pixels(i as u16, mm_to_px(*mm))?;
    }
    // Spreadsheets do not grow a row for wrapped text on their own: as many lines as the
    // widest cell needs.
    let line_pt = ND30.phu_luc.bang * 1.3;
    let height = |texts: &mut dyn Iterator<Item = (&str, f64)>| {
        let lines = texts.map(|(t, mm)| wrapped_lines(t, mm)).max().unwrap_or(1);
        line_pt * lines as f64 + 3.0
    };

    // The header: each cell over its colspan and rowspan.
    let f = Formats::new();
    let mut occupied = vec![vec![false; ncols as usize]; table.header.len()];
    for (r, row) in table.header.iter().enumerate() {
        let mut c = 0usize;
        for h in row {
            while c < ncols as usize && occupied[r][c] {
                c += 1;
            }
            let (r0, c0) = (HEADER_ROW + r as u32, c as u16);
            let (r1, c1) = (
                r0 + h.rowspan.max(1) as u32 - 1,
                c0 + h.colspan.max(1) as u16 - 1,
            );
            if (r0, c0) == (r1, c1) {
                ws.write_string_with_format(r0, c0, &h.text, &f.header)?;
            } else {
                ws.merge_range(r0, c0, r1, c1, &h.text, &f.header)?;
            }
            let (rows, cols) = (h.rowspan.max(1), h.colspan.max(1));
            for line in occupied.iter_mut().skip(r).take(rows) {
                for slot in line.iter_mut().skip(c).take(cols) {
                    *slot = true;
                }
            }
            c += h.colspan.max(1);
        }
    }
    let header_rows = table.header.len().max(1) as u32;
    for r in 0..header_rows {
        ws.set_row_height(HEADER_ROW + r, if header_rows == 1 { 48.0 } else { 30.0 })?;
    }
    let first = HEADER_ROW + header_rows;

    // Groups and rows.
    let mut row = first;
    let index = |kind: ColumnKind| table.columns.iter().position(|c| c.kind == kind);
    for g in &table.groups {
        ws.write_string_with_format(row, 0, &g.numeral, &f.group_number)?;
        ws.merge_range(row, 1, row, last, &g.name, &f.group_name)?;
        let across: f64 = widths[1..].iter().sum();
        ws.set_row_height(row, height(&mut std::iter::once((g.name.as_str(), across))))?;
        row += 1;
        for r in &g.rows {
            ws.set_row_height(
                row,
                height(
                    &mut r
                        .cells
                        .iter()
                        .map(|c| c.text.as_str())
                        .zip(widths.iter().copied()),
                ),
            )?;
            for (c, (cell, col)) in r.cells.iter().zip(&table.columns).enumerate() {
                let c = c as u16;
                match cell.source {
                    Source::Figure | Source::Stated => match cell.value {
                        Some(v) => {
                            ws.write_number_with_format(
                                row,
                                c,
                                to_f64(v),
                                &f.number(cell.decimals.unwrap_or(0)),
                            )?;
                        }
                        None => {
                            ws.write_string_with_format(row, c, &cell.text, &f.text)?;
                        }
                    },
                    Source::Computed { of, over } => {
                        let decimals = cell.decimals.unwrap_or(0);
                        let operands = index(of).zip(index(over)).and_then(|(a, b)| {
                            let (x, y) = (&r.cells[a], &r.cells[b]);
                            (x.source == Source::Figure && y.source == Source::Figure)
                                .then_some(((a, x.value?), (b, y.value?)))
                        });
                        let formula = operands.and_then(|((a, x), (b, y))| {
                            plain_ratio(x, y, cell).map(|result| {
                                Formula::new(format!(
                                    "={}/{}*100",
                                    cell_name(row, a as u32),
                                    cell_name(row, b as u32)
                                ))
                                .set_result(result)
                            })
                        });
                        match (formula, cell.value) {
                            (Some(formula), _) => {
                                ws.write_formula_with_format(row, c, formula, &f.number(decimals))?;
                            }
                            (None, Some(v)) => {
                                ws.write_number_with_format(
                                    row,
                                    c,
                                    to_f64(v),
                                    &f.number(decimals),
                                )?;
                            }
                            (None, None) => {
                                ws.write_string_with_format(row, c, &cell.text, &f.text)?;
                            }
                        }
                    }
                    Source::Text if col.kind == ColumnKind::Number => {
                        match cell.text.parse::<u32>() {
                            Ok(n) => ws.write_number_with_format(row, c, n, &f.text)?,
                            Err(_) => ws.write_string_with_format(row, c, &cell.text, &f.text)?,
                        };
                    }
                    Source::Text | Source::Missing | Source::NotDue | Source::Placeholder => {
                        let format = if col.kind == ColumnKind::Name {
                            &f.name
                        } else {
                            &f.text
                        };
                        if cell.text.is_empty() {
                            ws.write_blank(row, c, format)?;
                        } else {
                            ws.write_string_with_format(row, c, &cell.text, format)?;
                        }
                    }
                }
            }
            row += 1;
        }
    }

    // The view and the printed page.
    ws.set_freeze_panes(first, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, first - 1)?;
    ws.set_margins(
        mm_to_in(le.trai),
        mm_to_in(le.phai),
        mm_to_in(le.tren),
        mm_to_in(le.duoi),
        0.3,
        0.3,
    );
    let draft = if meta.draft { "&LDỰ THẢO" } else { "" };
    ws.set_header(format!("{draft}&C&P"));
    Ok(())
}

/// How many lines `text` takes in a cell `mm` wide at the table's size (words wrapped; an
/// average Times character is a little under half the font size wide).
fn wrapped_lines(text: &str, mm: f64) -> usize {
    let char_mm = ND30.phu_luc.bang * 0.45 * 25.4 / 72.0;
    let per_line = (((mm - 2.0) / char_mm).floor() as usize).max(1);
    let mut lines = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if used > 0 && used + 1 + n > per_line {
            lines += 1;
            used = 0;
        }
        used += if used > 0 { 1 } else { 0 } + n;
        while used > per_line {
            lines += 1;
            used -= per_line;
        }
    }
    lines
}

/// A decimal as the nearest f64 (what the cell holds).
pub(super) fn to_f64(v: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    v.to_f64().unwrap_or(0.0)
}

/// An f64 as a decimal: its shortest text that reads back as it (what a reader of the cell
/// sees at full precision).
pub(super) fn from_f64(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    let text = format!("{x}");
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&format!("{x:e}")).ok())
}

/// The cached result of `=x/y*100` computed as a spreadsheet does (in f64), when that result
/// rounded half away from zero to the cell's decimals reads as the cell's text.
fn plain_ratio(x: Decimal, y: Decimal, cell: &Cell) -> Option<String> {
    let (x, y) = (to_f64(x), to_f64(y));
    if y == 0.0 {
        return None;
    }
    let result = x / y * 100.0;
    let d = from_f64(result)?;
    let decimals = cell.decimals.unwrap_or(0);
    (format_number(round_half_away(d, decimals), decimals) == cell.text)
        .then(|| format!("{result}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bieu::Source;

    fn cell(text: &str, decimals: u32) -> Cell {
        Cell {
            text: text.into(),
            value: None,
            decimals: Some(decimals),
            source: Source::Computed {
                of: ColumnKind::Figure,
                over: ColumnKind::Plan,
            },
        }
    }

    #[test]
    fn a_formula_only_where_it_prints_the_same() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // 155,108 / 329,130 = 47,126…%: the formula prints 47,13.
        let r = plain_ratio(d("155.108"), d("329.130"), &cell("47,13", 2)).unwrap();
        assert!(r.starts_with("47.12"), "{r}");
        // A text that the formula does not give (a stated 100 for a bound plan): no formula.
        assert_eq!(plain_ratio(d("0.79"), d("1"), &cell("100,00", 2)), None);
        assert_eq!(plain_ratio(d("5"), d("0"), &cell("-", 2)), None);
        assert_eq!(from_f64(2976.4), Some(d("2976.4")));
        assert_eq!(from_f64(1e30), None);
        assert_eq!(from_f64(1.5e-7), Some(d("0.00000015")));
        assert_eq!(wrapped_lines("", 20.0), 1);
        assert_eq!(wrapped_lines("-", 20.0), 1);
        assert_eq!(wrapped_lines("chưa đến kỳ đánh giá", 24.0), 2);
        assert!(wrapped_lines(&"chữ ".repeat(60), 100.0) >= 3);
    }
}
