//! A workbook read back with calamine: each visible sheet's cells (a formula gives its cached
//! value) and merged regions, and the hidden [`INFO_SHEET`] when there is one.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Dimensions, Range, Reader, SheetVisible, Xlsx};

use super::INFO_SHEET;
use crate::diag::{Diagnostic, Error, Result};

/// The largest workbook import reads (64 MiB): a form of 2.000 indicators takes about 1 MB.
pub const MAX_WORKBOOK: u64 = 64 * 1024 * 1024;

/// A cell's value, as import sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    /// An error value (`#DIV/0!`).
    Error(String),
    /// A date or a time (a number with a date format).
    Date(String),
}

/// One visible sheet.
#[derive(Debug)]
pub struct Sheet {
    pub name: String,
    cells: Range<Data>,
    merged: Vec<Dimensions>,
}

impl Sheet {
    /// A sheet from its cells and merged regions (also for tests).
    pub fn new(name: &str, cells: Range<Data>, merged: Vec<Dimensions>) -> Self {
        Sheet {
            name: name.to_string(),
            cells,
            merged,
        }
    }

    /// The last row with a cell (0-based), if any.
    pub fn last_row(&self) -> Option<u32> {
        self.cells.end().map(|(r, _)| r)
    }

    /// The last column with a cell (0-based), if any.
    pub fn last_col(&self) -> Option<u32> {
        self.cells.end().map(|(_, c)| c)
    }

    /// The value at (row, col), from A1 = (0, 0). A cell inside a merged region reads as the
    /// region's first cell when `merged` is true, as empty otherwise.
    pub fn value(&self, row: u32, col: u32, merged: bool) -> CellValue {
        let (row, col) = if merged {
            self.merged
                .iter()
                .find(|d| d.contains(row, col))
                .map_or((row, col), |d| d.start)
        } else {
            (row, col)
        };
        match self.cells.get_value((row, col)) {
            None | Some(Data::Empty) => CellValue::Empty,
            Some(Data::Float(f)) => CellValue::Number(*f),
            Some(Data::Int(i)) => CellValue::Number(*i as f64),
            Some(Data::String(s)) => CellValue::Text(s.clone()),
            Some(Data::Bool(b)) => CellValue::Bool(*b),
            Some(Data::Error(e)) => CellValue::Error(e.to_string()),
            Some(Data::DateTime(d)) => CellValue::Date(d.to_string()),
            Some(Data::DateTimeIso(s) | Data::DurationIso(s)) => CellValue::Date(s.clone()),
        }
    }

    /// The cell's text, trimmed, for headers and keys: a number as its digits.
    pub fn text(&self, row: u32, col: u32, merged: bool) -> String {
        match self.value(row, col, merged) {
            CellValue::Text(s) | CellValue::Date(s) | CellValue::Error(s) => s.trim().to_string(),
            CellValue::Number(f) => format!("{f}"),
            CellValue::Bool(b) => b.to_string(),
            CellValue::Empty => String::new(),
        }
    }

    /// The last row of the merged region that starts at (row, col), else `row`.
    pub fn merged_down_to(&self, row: u32, col: u32) -> u32 {
        self.merged
            .iter()
            .find(|d| d.start == (row, col))
            .map_or(row, |d| d.end.0)
    }
}

/// What the hidden sheet says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Info {
    /// `form` or `bieu`.
    pub kind: String,
    pub period: String,
    pub year: String,
    /// (id, sheet) of each indicator row.
    pub ids: Vec<(String, String)>,
    /// (so-lieu file stem, sheet).
    pub files: Vec<(String, String)>,
}

/// A workbook in memory.
#[derive(Debug)]
pub struct Book {
    pub path: PathBuf,
    pub sheets: Vec<Sheet>,
    pub info: Option<Info>,
}

/// Read the workbook at `path`: its visible sheets and the hidden sheet baocao writes.
pub fn read_book(path: &Path) -> Result<Book> {
    let fail = |why: String| {
        Error::new(
            Diagnostic::error(format!(
                "không đọc được bảng tính `{}`: {why}",
                path.display()
            ))
            .hint("mở tệp bằng Excel hay LibreOffice rồi lưu lại dạng `.xlsx` (Excel Workbook)"),
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| Error::io("đọc", path, e))?;
    if !meta.is_file() {
        return Err(fail("không phải một tệp thường".into()));
    }
    if meta.len() > MAX_WORKBOOK {
        return Err(fail(format!(
            "tệp quá lớn ({} MB; tối đa {} MB)",
            meta.len() / (1024 * 1024),
            MAX_WORKBOOK / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io("đọc", path, e))?;
    read_bytes(path, bytes).map_err(|e| fail(format!("không phải tệp .xlsx hợp lệ\nchi tiết: {e}")))
}

fn read_bytes(path: &Path, bytes: Vec<u8>) -> std::result::Result<Book, calamine::XlsxError> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))?;
    let metadata: Vec<(String, SheetVisible)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    let mut sheets = vec![];
    let mut info = None;
    for (name, visible) in metadata {
        if name == INFO_SHEET && visible != SheetVisible::Visible {
            let cells = wb.worksheet_range(&name)?;
            info = Some(read_info(&Sheet::new(&name, cells, vec![])));
            continue;
        }
        if visible != SheetVisible::Visible {
            continue;
        }
        let cells = wb.worksheet_range(&name)?;
        let merged = wb.merge_cells_by_sheet_name(&name)?;
        sheets.push(Sheet::new(&name, cells, merged));
    }
    Ok(Book {
        path: path.to_path_buf(),
        sheets,
        info,
    })
}

fn read_info(sheet: &Sheet) -> Info {
    let mut info = Info::default();
    let Some(last) = sheet.last_row() else {
        return info;
    };
    for r in 0..=last {
        let (a, b, c) = (
            sheet.text(r, 0, false),
            sheet.text(r, 1, false),
            sheet.text(r, 2, false),
        );
        match a.as_str() {
            "loai" => info.kind = b,
            "ky" => info.period = b,
            "nam" => info.year = b,
            "chi_tieu" => info.ids.push((b, c)),
            "so_lieu" => info.files.push((b, c)),
            _ => {}
        }
    }
    info
}
