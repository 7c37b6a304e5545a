//! Stage 5: export the pages to PDF with reproducible bytes, and write the file atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::diag::{Diagnostic, Error, Result};

/// The PDF's creation date: `source_date_epoch` (seconds, from the SOURCE_DATE_EPOCH
/// variable, read by main) when given, else the given date at 00:00 UTC.
pub fn timestamp(date: (i32, u8, u8), source_date_epoch: Option<i64>) -> Result<Timestamp> {
    if let Some(secs) = source_date_epoch {
        use chrono::{Datelike, Timelike};
        let out_of_range = || {
            Error::msg(format!(
                "SOURCE_DATE_EPOCH = `{secs}` ngoài khoảng cho phép"
            ))
        };
        let dt = chrono::DateTime::from_timestamp(secs, 0).ok_or_else(out_of_range)?;
        let d = Datetime::from_ymd_hms(
            dt.year(),
            dt.month() as u8,
            dt.day() as u8,
            dt.hour() as u8,
            dt.minute() as u8,
            dt.second() as u8,
        )
        .ok_or_else(out_of_range)?;
        return Ok(Timestamp::new_utc(d));
    }
    let d = Datetime::from_ymd_hms(date.0, date.1, date.2, 0, 0, 0).ok_or_else(|| {
        Error::msg(format!(
            "ngày {}/{}/{} không hợp lệ",
            date.2, date.1, date.0
        ))
    })?;
    Ok(Timestamp::new_utc(d))
}

/// SOURCE_DATE_EPOCH's text as seconds since 1970 (for main, which reads the variable).
pub fn parse_source_date_epoch(text: &str) -> Result<i64> {
    text.trim()
        .parse()
        .map_err(|_| Error::msg(format!("SOURCE_DATE_EPOCH = `{text}` không phải số giây")))
}

/// Export to PDF bytes.
pub fn export(doc: &PagedDocument, ident: &str, ts: Timestamp) -> Result<Vec<u8>> {
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("baocao {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(ts),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|errs| {
        Error(
            errs.iter()
                .map(|d| Diagnostic::error(format!("xuất PDF: {}", d.message)))
                .collect(),
        )
    })
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// then renamed over the target. A failure at any step leaves the old file as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("tạo thư mục", &dir, e))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("bao-cao.pdf");
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), unique()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io("tạo tệp tạm", &tmp, e))?;
        f.write_all(bytes).map_err(|e| Error::io("ghi", &tmp, e))?;
        if fail_while_writing() {
            return Err(Error::msg(format!(
                "ghi `{}` thất bại (giả lập lỗi khi ghi)",
                tmp.display()
            )));
        }
        f.sync_all().map_err(|e| Error::io("ghi", &tmp, e))?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(|e| Error::io("thay tệp", path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// `BAOCAO_TEST_FAIL_WRITE=1` makes the write fail after part of the new PDF was written.
/// Only for tests of the atomic write; documented in the README.
fn fail_while_writing() -> bool {
    std::env::var_os("BAOCAO_TEST_FAIL_WRITE").is_some()
}
