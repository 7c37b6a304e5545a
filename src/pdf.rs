//! Stage 5: export the pages to PDF with reproducible bytes, PDF/A-2b on request (`export`
//! calls it; `output` writes the bytes).

use typst::diag::SourceDiagnostic;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::{Diagnostic, Error, Result};
use crate::typeset::ReportWorld;

/// The creation time of the PDF and of the Word copy's properties, in UTC:
/// `source_date_epoch` (seconds, from the SOURCE_DATE_EPOCH variable, read by main) when
/// given, else the given date at 00:00.
pub fn creation_time(date: (i32, u8, u8), source_date_epoch: Option<i64>) -> Result<Datetime> {
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
        return Ok(d);
    }
    let d = Datetime::from_ymd_hms(date.0, date.1, date.2, 0, 0, 0).ok_or_else(|| {
        Error::msg(format!(
            "ngày {}/{}/{} không hợp lệ",
            date.2, date.1, date.0
        ))
    })?;
    Ok(d)
}

/// SOURCE_DATE_EPOCH's text as seconds since 1970 (for main, which reads the variable).
pub fn parse_source_date_epoch(text: &str) -> Result<i64> {
    text.trim()
        .parse()
        .map_err(|_| Error::msg(format!("SOURCE_DATE_EPOCH = `{text}` không phải số giây")))
}

/// How the PDF is exported: its stable identifier, its creation time, and whether it must
/// conform to PDF/A-2b (ISO 19005-2, level B: TCVN 14159-2:2024 for electronic records).
#[derive(Clone, Debug)]
pub struct PdfSettings {
    pub ident: String,
    /// The creation time (UTC, [`creation_time`]); the Word copy's properties take it too.
    pub created: Datetime,
    pub pdf_a: bool,
}

/// The standard `--pdf-a` asks for.
pub const PDF_A: PdfStandard = PdfStandard::A_2b;

/// Export to PDF bytes. With `pdf_a`, typst-pdf validates PDF/A-2b as it writes and refuses a
/// file that would not conform; its refusals come back in Vietnamese, located in the templates
/// by `world` when Typst knows where the offending text came from.
pub fn export(doc: &PagedDocument, settings: &PdfSettings, world: &ReportWorld) -> Result<Vec<u8>> {
    let standards = if settings.pdf_a {
        PdfStandards::new(&[PDF_A])
            .map_err(|e| Error::msg(format!("xuất PDF/A: {}", e.message())))?
    } else {
        PdfStandards::default()
    };
    let options = PdfOptions {
        ident: Smart::Custom(settings.ident.clone()),
        creator: Smart::Custom(Some(format!("baocao {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(settings.created)),
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options)
        .map_err(|errs| Error(errs.iter().map(|d| export_error(world, d)).collect()))
}

/// typst-pdf's error as ours: a PDF/A refusal says what does not conform in Vietnamese (the
/// original text kept as `chi tiết`), with what to do; anything else keeps Typst's words.
fn export_error(world: &ReportWorld, d: &SourceDiagnostic) -> Diagnostic {
    let mut out = world.diagnostic(d);
    let prefix = format!("{} error: ", PDF_A_NAME);
    match d.message.strip_prefix(&prefix) {
        Some(reason) => {
            let (what, hint) = refusal_vi(reason);
            out.message = format!("không xuất được PDF/A-2b: {what}\nchi tiết: {}", d.message);
            out.hints = vec![hint.to_string()];
        }
        None => out.message = format!("xuất PDF: {}", d.message),
    }
    out
}

/// The name typst-pdf gives the standard in its messages.
const PDF_A_NAME: &str = "PDF/A-2b";

/// Typst's quoting of a value in a message (`` `"中"` ``, `'x'`) taken off.
fn unquote(s: &str) -> &str {
    s.trim_matches(|c| c == '`' || c == '"' || c == '\'')
}

/// Why a file is not PDF/A-2b (typst-pdf's reason, without its prefix), and what to do.
fn refusal_vi(reason: &str) -> (String, &'static str) {
    const FONT_HINT: &str = "thêm vào `fonts/` (hoặc `--font-dir`) một phông có chữ này, \
                             hoặc thay chữ đó trong số liệu, mẫu";
    if let Some(rest) = reason.strip_prefix("the text ")
        && let Some((text, font)) = rest.split_once(" could not be displayed with ")
    {
        let font = font.strip_prefix("font ").unwrap_or(font);
        return (
            format!(
                "chữ “{}” không có trong phông {}: PDF/A không cho in ô trống thay chữ",
                unquote(text),
                unquote(font)
            ),
            FONT_HINT,
        );
    }
    if reason.contains("disallowed codepoint") || reason.contains("contains the codepoint") {
        let ch = reason
            .split('`')
            .nth(1)
            .map(|c| format!(" “{}”", unquote(c)))
            .unwrap_or_default();
        return (
            format!("có ký tự{ch} mà PDF/A không cho phép (ký tự điều khiển hay vùng dùng riêng)"),
            "bỏ ký tự đó khỏi số liệu, mẫu",
        );
    }
    if reason.contains("not mapped to a code point") || reason.contains("missing codepoints") {
        return ("có chữ không gắn với mã Unicode nào".into(), FONT_HINT);
    }
    if reason.starts_with("license of ") {
        return (
            "giấy phép của một phông không cho nhúng vào tệp lưu trữ".into(),
            "dùng phông khác (Liberation Serif có sẵn trong baocao cho phép nhúng)",
        );
    }
    if reason.contains("transparency") {
        return (
            "có màu hoặc hình trong suốt".into(),
            "dùng màu, hình không trong suốt trong mẫu",
        );
    }
    if reason.contains("smooth scaling") {
        return (
            "có hình được làm mịn khi phóng to".into(),
            "đặt `scaling: \"pixelated\"` cho hình trong mẫu",
        );
    }
    if reason.contains("longer than 32767") {
        return (
            "có một chuỗi dài hơn 32.767 ký tự (thường là tiêu đề, tên cơ quan)".into(),
            "rút ngắn trích yếu, tên cơ quan",
        );
    }
    if reason.contains("attached file") {
        return ("có tệp đính kèm".into(), "bỏ tệp đính kèm khỏi mẫu");
    }
    if reason.contains("PostScript") {
        return (
            "có dải màu hình nón (mã PostScript)".into(),
            "bỏ dải màu đó khỏi mẫu",
        );
    }
    (
        "tệp không đạt chuẩn".into(),
        "xem dòng chi tiết; bỏ `--pdf-a` để dựng PDF thường",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_in_vietnamese() {
        let (what, hint) =
            refusal_vi("the text `\"中\"` could not be displayed with font `\"Liberation Serif\"`");
        assert_eq!(
            what,
            "chữ “中” không có trong phông Liberation Serif: PDF/A không cho in ô trống thay chữ"
        );
        assert!(hint.contains("fonts/"));
        let (what, _) = refusal_vi("the text contains the disallowed codepoint `'\\u{1}'`");
        assert!(what.starts_with("có ký tự “\\u{1}”"), "{what}");
        let (what, _) = refusal_vi("something new");
        assert_eq!(what, "tệp không đạt chuẩn");
    }
}
