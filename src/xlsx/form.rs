//! `baocao form FILE.xlsx`: a workbook for the departments to fill.
//!
//! - One sheet per data/chi-tieu file, one row per indicator (every one, even with no block
//!   for the period yet): id, name, unit (locked), the plan (unlocked, text accepted: "dưới 1",
//!   "6,6-6,8") and the period's figures (thực hiện, ước thực hiện, cùng kỳ: unlocked, tinted,
//!   validated as numbers, each with a note of its unit). The parts of a total ("Trong đó")
//!   get rows of their own under it, keyed by the id and the part's name. Current values are
//!   filled in; the sheets are protected.
//! - One sheet per so-lieu file: key, the description from the YAML comment on its line,
//!   value (as the period sees it).
//! - A hidden sheet with the period, the year, the ids and the so-lieu files ([`INFO_SHEET`]).

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Note, Worksheet, XlsxError,
};

use super::bieu::{save, to_f64};
use super::{
    INFO_SHEET, WorkbookMeta, font, mm_to_px, new_workbook, number_format, sheet_name, write_info,
    xlsx_error,
};
use crate::data::{DataSet, FigureFile, Indicator, SourceFile, Value};
use crate::diag::{Diagnostic, Error, Result};
use crate::figures::{Plan, plan_display};
use crate::format::Number;
use crate::indicator::InPeriod;
use crate::output::{self, WriteOptions};
use crate::period::Period;

/// The columns of an indicator sheet, left to right.
pub(super) mod col {
    pub const ID: u16 = 0;
    pub const NAME: u16 = 1;
    pub const PART: u16 = 2;
    pub const UNIT: u16 = 3;
    pub const PLAN: u16 = 4;
    pub const THUC_HIEN: u16 = 5;
    pub const UOC: u16 = 6;
    pub const CUNG_KY: u16 = 7;
}

/// The header row of every sheet of the form (0-based); data start below it.
pub(super) const HEADER_ROW: u32 = 2;

/// Header texts of an indicator sheet (the plan's gets the year).
pub(super) const H_ID: &str = "Mã chỉ tiêu";
pub(super) const H_NAME: &str = "Chỉ tiêu";
pub(super) const H_PART: &str = "Thành phần (Trong đó)";
pub(super) const H_UNIT: &str = "ĐVT";
pub(super) const H_THUC_HIEN: &str = "Thực hiện";
pub(super) const H_UOC: &str = "Ước thực hiện";
pub(super) const H_CUNG_KY: &str = "Cùng kỳ năm trước";
/// Header texts of a so-lieu sheet.
pub(super) const H_KEY: &str = "Khóa";
pub(super) const H_DESCRIPTION: &str = "Mô tả";
pub(super) const H_VALUE: &str = "Giá trị";

/// What `baocao form` wrote.
#[derive(Debug)]
pub struct FormWritten {
    pub path: PathBuf,
    pub period: Period,
    pub indicators: usize,
    pub sheets: usize,
}

/// Write the form of `period` (the default period when `None`) for the report at `root` to
/// `path` (a `.xlsx` file), atomically.
pub fn write_form(root: &Path, path: &Path, period: Option<Period>) -> Result<FormWritten> {
    check_xlsx_name(path)?;
    let data = crate::data::load(root)?;
    let period = period.unwrap_or(data.default_period());
    data.require_period(period)?;
    let meta = WorkbookMeta::new(&data, period, None)?;
    let (bytes, sheets) = form_workbook_counted(&data, &meta)?;
    output::write_atomic(path, &bytes, &WriteOptions::default())?;
    Ok(FormWritten {
        path: path.to_path_buf(),
        period,
        indicators: data.indicators.len(),
        sheets,
    })
}

/// A workbook's name must end in `.xlsx` (so that no data file or template is written over).
pub(super) fn check_xlsx_name(path: &Path) -> Result<()> {
    let ok = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            Diagnostic::error(format!("`{}` không phải tệp `.xlsx`", path.display()))
                .hint("đặt tên tệp bảng tính có đuôi `.xlsx`, ví dụ `so-lieu-6-thang.xlsx`"),
        ))
    }
}

/// The form of `meta.period` as .xlsx bytes.
pub fn form_workbook(data: &DataSet, meta: &WorkbookMeta) -> Result<Vec<u8>> {
    form_workbook_counted(data, meta).map(|(b, _)| b)
}

fn form_workbook_counted(data: &DataSet, meta: &WorkbookMeta) -> Result<(Vec<u8>, usize)> {
    let period = meta.period;
    let mut wb = new_workbook(meta)?;
    let mut taken: Vec<String> = vec![INFO_SHEET.to_string()];
    let mut ids: Vec<(String, String)> = vec![];
    let mut files: Vec<(String, String)> = vec![];

    // Indicator files, in the order they are loaded.
    let mut groups: Vec<(PathBuf, Vec<&Indicator>)> = vec![];
    for ind in &data.indicators {
        let file = ind
            .source
            .as_ref()
            .map(|s| s.file_path().to_path_buf())
            .unwrap_or_default();
        match groups.iter_mut().find(|(f, _)| *f == file) {
            Some((_, list)) => list.push(ind),
            None => groups.push((file, vec![ind])),
        }
    }
    for (file, list) in &groups {
        let stem = file_stem(file);
        let name = sheet_name(&stem, &taken);
        taken.push(name.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(xlsx_error)?;
        indicator_sheet(ws, file, list, meta).map_err(xlsx_error)?;
        ids.extend(list.iter().map(|i| (i.id.0.clone(), name.clone())));
    }

    // So-lieu files, as the period sees them.
    for f in data.figures_for(period) {
        let stem = file_stem(&f.path);
        let name = sheet_name(&format!("so-lieu {stem}"), &taken);
        taken.push(name.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(xlsx_error)?;
        figure_sheet(ws, &f, data, meta).map_err(xlsx_error)?;
        files.push((stem, name));
    }
    let sheets = taken.len() - 1;
    write_info(&mut wb, "form", period, meta.year, &ids, &files)?;
    Ok((save(&mut wb)?, sheets))
}

/// A data file's path from `data/` on (`data/chi-tieu/kinh-te.yaml`), whatever folder the
/// report is in: the form's bytes do not depend on where it was made.
fn in_data(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.iter().rposition(|p| p == "data") {
        Some(i) => parts[i..].join("/"),
        None => path.display().to_string(),
    }
}

pub(super) fn file_stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("du-lieu")
        .to_string()
}

struct Formats {
    title: Format,
    intro: Format,
    header: Format,
    locked: Format,
    locked_part: Format,
    input: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = font(12.0)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        Formats {
            title: font(14.0).set_bold(),
            intro: font(12.0).set_italic(),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xD9D9D9)),
            locked: cell.clone(),
            locked_part: cell
                .clone()
                .set_italic()
                .set_font_color(Color::RGB(0x404040)),
            input: cell
                .set_unlocked()
                .set_align(FormatAlign::Right)
                .set_background_color(Color::RGB(0xFFF2CC)),
        }
    }

    fn number(&self, n: &Number) -> Format {
        self.input.clone().set_num_format(number_format(n.decimals))
    }
}

/// The plan's header, with the year.
pub(super) fn plan_header(meta: &WorkbookMeta) -> String {
    format!("Kế hoạch năm {}", meta.year.get())
}

fn indicator_sheet(
    ws: &mut Worksheet,
    file: &Path,
    list: &[&Indicator],
    meta: &WorkbookMeta,
) -> std::result::Result<(), XlsxError> {
    let f = Formats::new();
    let words = meta.period.words(meta.year);
    ws.write_string_with_format(
        0,
        0,
        format!("SỐ LIỆU CHỈ TIÊU {}", words.ten.to_uppercase()),
        &f.title,
    )?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "Tệp {}. Ghi số vào ô nền vàng (để trống: giữ số cũ); kế hoạch ghi được chữ (dưới 1; 6,6-6,8).",
            in_data(file)
        ),
        &f.intro,
    )?;
    let headers = [
        (col::ID, H_ID.to_string(), 32.0),
        (col::NAME, H_NAME.to_string(), 90.0),
        (col::PART, H_PART.to_string(), 40.0),
        (col::UNIT, H_UNIT.to_string(), 22.0),
        (col::PLAN, plan_header(meta), 28.0),
        (col::THUC_HIEN, H_THUC_HIEN.to_string(), 28.0),
        (col::UOC, H_UOC.to_string(), 28.0),
        (col::CUNG_KY, H_CUNG_KY.to_string(), 28.0),
    ];
    for (c, text, mm) in &headers {
        ws.write_string_with_format(HEADER_ROW, *c, text, &f.header)?;
        ws.set_column_width_pixels(*c, mm_to_px(*mm))?;
    }
    ws.set_default_note_author("baocao");
    let mut validations: Vec<(u32, u16, bool)> = vec![];
    let mut row = HEADER_ROW + 1;
    for ind in list {
        let view = InPeriod::new(ind, meta.period);
        let unit = view.unit();
        let nonnegative = !crate::check::may_be_negative(ind);
        ws.write_string_with_format(row, col::ID, &ind.id.0, &f.locked)?;
        ws.write_string_with_format(row, col::NAME, &ind.ten.0, &f.locked)?;
        ws.write_blank(row, col::PART, &f.locked)?;
        ws.write_string_with_format(row, col::UNIT, unit, &f.locked)?;
        match ind.ke_hoach.as_ref().map(|p| &p.0) {
            Some(Plan::Value(n)) => {
                ws.write_number_with_format(row, col::PLAN, to_f64(n.value), &f.number(n))?;
            }
            Some(p) => {
                ws.write_string_with_format(row, col::PLAN, plan_display(p), &f.input)?;
            }
            None => {
                ws.write_blank(row, col::PLAN, &f.input)?;
            }
        }
        let v = view.values;
        let figures = [
            (col::THUC_HIEN, v.and_then(|v| v.thuc_hien.as_ref())),
            (col::UOC, v.and_then(|v| v.uoc_thuc_hien.as_ref())),
            (col::CUNG_KY, v.and_then(|v| v.cung_ky.as_ref())),
        ];
        for (c, fig) in figures {
            figure_cell(ws, &f, row, c, fig.map(|x| &x.0), unit)?;
            validations.push((row, c, nonnegative));
        }
        row += 1;
        // The parts: the period's own, else those of the latest period that has some.
        let parts = part_names(ind, meta.period);
        let total_col = match v {
            Some(v) if v.uoc_thuc_hien.is_some() => col::UOC,
            _ => col::THUC_HIEN,
        };
        for name in parts {
            let value = v.and_then(|v| {
                v.thanh_phan
                    .iter()
                    .find(|c| c.ten.0 == name)
                    .and_then(|c| c.gia_tri.as_ref().map(|g| &g.0))
            });
            ws.write_string_with_format(row, col::ID, &ind.id.0, &f.locked_part)?;
            ws.write_string_with_format(row, col::NAME, "Trong đó:", &f.locked_part)?;
            ws.write_string_with_format(row, col::PART, &name, &f.locked_part)?;
            ws.write_string_with_format(row, col::UNIT, unit, &f.locked_part)?;
            for c in [col::PLAN, col::THUC_HIEN, col::UOC, col::CUNG_KY] {
                if c == total_col {
                    figure_cell(ws, &f, row, c, value, unit)?;
                    validations.push((row, c, nonnegative));
                } else {
                    ws.write_blank(row, c, &f.locked_part)?;
                }
            }
            row += 1;
        }
    }
    // Validation: runs of cells of one column with the same rule share one range.
    validations.sort_by_key(|&(r, c, n)| (c, r, n));
    let mut i = 0;
    while i < validations.len() {
        let (r0, c, n) = validations[i];
        let mut j = i;
        while j + 1 < validations.len() {
            let (r, cc, nn) = validations[j + 1];
            if cc == c && nn == n && r == validations[j].0 + 1 {
                j += 1;
            } else {
                break;
            }
        }
        ws.add_data_validation(r0, c, validations[j].0, c, &number_validation(n)?)?;
        i = j + 1;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
    ws.protect();
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    Ok(())
}

/// An input cell for a figure: its value (blank when there is none) and a note of its unit.
fn figure_cell(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    col: u16,
    value: Option<&Number>,
    unit: &str,
) -> std::result::Result<(), XlsxError> {
    match value {
        Some(n) => ws.write_number_with_format(row, col, to_f64(n.value), &f.number(n))?,
        None => ws.write_blank(row, col, &f.input)?,
    };
    let unit = if unit.trim().is_empty() {
        "(không ghi)"
    } else {
        unit
    };
    let note = Note::new(format!("Đơn vị tính: {unit}"))
        .add_author_prefix(false)
        .set_width(160)
        .set_height(30);
    ws.insert_note(row, col, &note)?;
    Ok(())
}

/// A number, at least 0 when the figure cannot be negative.
fn number_validation(nonnegative: bool) -> std::result::Result<DataValidation, XlsxError> {
    let rule = if nonnegative {
        DataValidationRule::GreaterThanOrEqualTo(0.0)
    } else {
        DataValidationRule::Between(-1e15, 1e15)
    };
    let message = if nonnegative {
        "Ghi một số không âm, ví dụ 1.146 hoặc 2.976,4. Để trống nếu giữ số cũ."
    } else {
        "Ghi một số, ví dụ 1,5 hoặc -0,3. Để trống nếu giữ số cũ."
    };
    DataValidation::new()
        .allow_decimal_number(rule)
        .set_input_title("Số liệu")?
        .set_input_message(message)?
        .set_error_title("Không phải số hợp lệ")?
        .set_error_message(message)
        .map(|d| d.set_error_style(DataValidationErrorStyle::Stop))
}

/// The names of `ind`'s parts to list for `period`: the period's own, else those of the
/// latest period that has some.
pub(super) fn part_names(ind: &Indicator, period: Period) -> Vec<String> {
    let names = |p: Period| -> Vec<String> {
        ind.ky
            .get(p)
            .map(|v| v.thanh_phan.iter().map(|c| c.ten.0.clone()).collect())
            .unwrap_or_default()
    };
    let own = names(period);
    if !own.is_empty() {
        return own;
    }
    Period::ALL
        .into_iter()
        .rev()
        .map(names)
        .find(|n| !n.is_empty())
        .unwrap_or_default()
}

fn figure_sheet(
    ws: &mut Worksheet,
    file: &FigureFile,
    data: &DataSet,
    meta: &WorkbookMeta,
) -> std::result::Result<(), XlsxError> {
    let f = Formats::new();
    let words = meta.period.words(meta.year);
    ws.write_string_with_format(
        0,
        0,
        format!("SỐ LIỆU KHÁC {}", words.ten.to_uppercase()),
        &f.title,
    )?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "Tệp {}. Số ghi ở đây là của riêng kỳ {} (data/ky/{}/so-lieu/); để trống: giữ số cũ.",
            in_data(&file.path),
            meta.period,
            meta.period
        ),
        &f.intro,
    )?;
    for (c, text, mm) in [
        (0u16, H_KEY, 60.0),
        (1, H_DESCRIPTION, 80.0),
        (2, H_VALUE, 32.0),
    ] {
        ws.write_string_with_format(HEADER_ROW, c, text, &f.header)?;
        ws.set_column_width_pixels(c, mm_to_px(mm))?;
    }
    // Where each key is written: the period's own file first, then the shared one.
    let overlay = data
        .period_figures
        .iter()
        .find(|(p, _)| *p == meta.period)
        .and_then(|(_, files)| files.iter().find(|o| o.name == file.name));
    let shared = data.figures.iter().find(|s| s.name == file.name);
    for (row, (key, value)) in (HEADER_ROW + 1..).zip(&file.values) {
        let description = [overlay, shared]
            .into_iter()
            .flatten()
            .filter_map(|x| x.source.as_deref())
            .find_map(|src| line_comment(src, key))
            .unwrap_or_default();
        ws.write_string_with_format(row, 0, key, &f.locked)?;
        ws.write_string_with_format(row, 1, &description, &f.locked)?;
        match value {
            Value::Number(n) => {
                ws.write_number_with_format(row, 2, to_f64(n.value), &f.number(n))?
            }
            Value::Text(t) => ws.write_string_with_format(row, 2, t, &f.input)?,
        };
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 1)?;
    ws.protect();
    Ok(())
}

/// The comment on the line of `key`'s value in a flat map file (`# tạ/ha`), if any.
pub(super) fn line_comment(src: &SourceFile, key: &str) -> Option<String> {
    let entry = src.root()?.entry(key)?;
    let end = entry.value.content_end().index;
    let rest = &src.text[end..];
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let comment = line.trim().strip_prefix('#')?.trim();
    (!comment.is_empty()).then(|| crate::text::normalize(comment))
}
