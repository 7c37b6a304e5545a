//! Stage 5: export the pages to PDF with reproducible bytes (`output` writes them).

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
    let _stage = crate::budget::enter(crate::budget::Stage::Pdf);
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
