//! Stage 5: export the pages to PDF with reproducible bytes (`output` writes them).

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::diag::{Diagnostic, Error, Result};

/// The PDF's creation date: SOURCE_DATE_EPOCH when set, else the given date at 00:00 UTC.
pub fn timestamp(date: (i32, u8, u8)) -> Result<Timestamp> {
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| Error::msg(format!("SOURCE_DATE_EPOCH = `{epoch}` không phải số giây")))?;
        let dt = chrono::DateTime::from_timestamp(secs, 0).ok_or_else(|| {
            Error::msg(format!(
                "SOURCE_DATE_EPOCH = `{epoch}` ngoài khoảng cho phép"
            ))
        })?;
        use chrono::{Datelike, Timelike};
        let d = Datetime::from_ymd_hms(
            dt.year(),
            dt.month() as u8,
            dt.day() as u8,
            dt.hour() as u8,
            dt.minute() as u8,
            dt.second() as u8,
        )
        .ok_or_else(|| Error::msg("SOURCE_DATE_EPOCH ngoài khoảng cho phép"))?;
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
