//! Reading data files from disk, with the limits and checks that come before YAML.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error, Location, Result};

/// The largest data file baocao reads (4 MiB). A report's figures fit in far less (2.000
/// indicators take about 0,5 MB); a bigger file is a mistake, such as a whole spreadsheet
/// export or a wrong file, and is refused before it is read.
pub const MAX_DATA_FILE: u64 = 4 * 1024 * 1024;

fn too_big(path: &Path, len: u64) -> Diagnostic {
    let mb = |n: u64| {
        crate::format::format_number(
            rust_decimal::Decimal::from(n) / rust_decimal::Decimal::from(1024 * 1024),
            1,
        )
    };
    Diagnostic::error(format!(
        "tệp quá lớn ({} MB; tệp số liệu tối đa {} MB)",
        mb(len),
        MAX_DATA_FILE / (1024 * 1024)
    ))
    .at(Location::file(path))
    .hint("kiểm tra xem có dán nhầm cả bảng tính hay chọn nhầm tệp không; nếu số liệu thật sự nhiều, chia thành nhiều tệp trong cùng thư mục")
}

/// Read a data file as text: UTF-8 (a byte-order mark is accepted), CRLF accepted, NFC text
/// expected (decomposed Vietnamese is composed by the caller's normalisation step).
pub fn read_text(path: &Path) -> Result<String> {
    if let Ok(meta) = std::fs::metadata(path) {
        // A folder, a device (a link to /dev/zero never ends) or a pipe (blocks) named *.yaml.
        if !meta.is_file() {
            return Err(Error::new(
                Diagnostic::error("không phải một tệp thường (là thư mục, thiết bị hay đường ống)")
                    .at(Location::file(path))
                    .hint("tệp số liệu là tệp văn bản YAML: đổi tên hoặc chuyển mục này ra khỏi data/"),
            ));
        }
        if meta.len() > MAX_DATA_FILE {
            return Err(Error::new(too_big(path, meta.len())));
        }
    }
    // Never more than the limit, even if the file grows while it is read.
    let mut bytes = vec![];
    {
        use std::io::Read;
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_DATA_FILE + 1).read_to_end(&mut bytes))
            .map_err(|e| Error::io("đọc", path, e))?;
    }
    if bytes.len() as u64 > MAX_DATA_FILE {
        return Err(Error::new(too_big(path, bytes.len() as u64)));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
        let upto = &bytes[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|b| **b == b'\n').count() + 1;
        let last = upto.rsplit(|b| *b == b'\n').next().unwrap_or(&[]);
        let col = std::str::from_utf8(last).map_or(last.len(), |s| s.chars().count()) + 1;
        Error::new(
            Diagnostic::error("tệp không phải văn bản UTF-8")
                .at(Location::at(path, line, col))
                .hint("lưu lại tệp với bảng mã UTF-8"),
        )
    })?;
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        let col = text[..at]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        return Err(Error::new(
            Diagnostic::error("tệp chứa ký tự NUL: có vẻ là tệp nhị phân, không phải YAML")
                .at(Location::at(path, line, col))
                .hint("kiểm tra xem có chọn nhầm tệp không; tệp số liệu là văn bản YAML lưu bằng UTF-8"),
        ));
    }
    // Other control characters (YAML refuses them; libyaml would not say where).
    let control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}');
    if let Some(at) = text.find(control) {
        let c = text[at..].chars().next().unwrap_or('?');
        let line = text[..at].matches('\n').count() + 1;
        let col = text[..at]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        return Err(Error::new(
            Diagnostic::error(format!(
                "tệp chứa ký tự điều khiển U+{:04X}, YAML không cho phép",
                c as u32
            ))
            .at(Location::at(path, line, col))
            .hint("xóa ký tự này (thường lẫn vào khi dán từ Excel hay e-mail); nếu cả tệp là ký tự lạ thì có vẻ đã chọn nhầm tệp"),
        ));
    }
    // CRLF (Windows) and a lone CR (old Mac) are line breaks to YAML as well: one LF each, so
    // that the lines we count for messages are YAML's lines.
    Ok(crate::text::normalize(
        &text.replace("\r\n", "\n").replace('\r', "\n"),
    ))
}

pub(crate) fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = vec![];
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io("đọc thư mục", dir, e)),
    };
    for entry in rd {
        let entry = entry.map_err(|e| Error::io("đọc thư mục", dir, e))?;
        let p = entry.path();
        if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}
