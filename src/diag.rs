//! Diagnostics: one error type carrying locations, rendered once by `main`, in one of two
//! formats: `human` (the message, ` --> file:line:col`, the source line with a caret, hints) or
//! `short` (`file:line:col: lỗi: message`, one line each, for editors).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

// Serialize/Deserialize: diagnostics travel from the `watch` worker to the watch
// (`crate::watch::worker`), as JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a user file: 1-based line and column, and the source line when it is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    #[serde(with = "path_bytes")]
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The line's text with the part to underline; it travels with the location, so a file
    /// read from memory (a git revision) or a template shows its line as well.
    pub snippet: Option<Snippet>,
}

/// A source line and the part of it to underline with `^`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// The line, without its line break.
    pub text: String,
    /// The underlined part: its first character (0-based, in characters) and its length in
    /// characters (at least 1).
    pub start: usize,
    pub len: usize,
}

impl Snippet {
    /// `len` characters of `text` from character `start` (0-based), kept inside the line.
    pub fn new(text: &str, start: usize, len: usize) -> Self {
        let chars = text.chars().count();
        let start = start.min(chars);
        Self {
            text: text.to_string(),
            start,
            len: len.min(chars.saturating_sub(start)).max(1),
        }
    }

    /// A whole line, its text underlined (leading and trailing blanks left out): for a
    /// location that has a line and no column, such as a template line.
    pub fn line(text: &str) -> Self {
        let lead = text.chars().take_while(|c| c.is_whitespace()).count();
        let body = text.trim().chars().count();
        Self::new(text, lead, body)
    }
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
            snippet: None,
        }
    }

    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: Some(column),
            snippet: None,
        }
    }

    pub fn line(file: impl Into<PathBuf>, line: usize) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: None,
            snippet: None,
        }
    }

    pub fn with_snippet(mut self, snippet: Snippet) -> Self {
        self.snippet = Some(snippet);
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.file.strip_prefix(".").unwrap_or(&self.file);
        write!(f, "{}", path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// One message for the user, in Vietnamese.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            hints: vec![],
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn at_opt(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How diagnostics are printed (`--diagnostic-format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The message, ` --> file:line:col`, the source line with a caret, the hints.
    #[default]
    Human,
    /// `file:line:col: lỗi: message`, one line each (for editors).
    Short,
}

impl Diagnostic {
    fn label(&self) -> &'static str {
        match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        }
    }

    /// The diagnostic as printed in `format` (no final line break).
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Human => self.to_string(),
            Format::Short => {
                let message = self
                    .message
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                match &self.location {
                    Some(loc) => format!("{loc}: {}: {message}", self.label()),
                    None => format!("{}: {message}", self.label()),
                }
            }
        }
    }
}

/// A line as printed: a tab takes four columns.
fn expand_tabs(s: &str) -> String {
    s.replace('\t', "    ")
}

/// ` | line` and ` | ^^^` under the snippet, with the line number in the gutter.
fn write_snippet(f: &mut fmt::Formatter<'_>, line: usize, s: &Snippet) -> fmt::Result {
    let number = line.to_string();
    let pad = " ".repeat(number.len() + 1);
    let before: String = s.text.chars().take(s.start).collect();
    let marked: String = s.text.chars().skip(s.start).take(s.len).collect();
    let offset = expand_tabs(&before).chars().count();
    let width = expand_tabs(&marked).chars().count().max(1);
    write!(f, "\n{pad}|")?;
    write!(f, "\n{number} | {}", expand_tabs(&s.text).trim_end())?;
    write!(f, "\n{pad}| {}{}", " ".repeat(offset), "^".repeat(width))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label(), self.message)?;
        if let Some(loc) = &self.location {
            write!(f, "\n --> {loc}")?;
            if let (Some(line), Some(snippet)) = (loc.line, &loc.snippet) {
                write_snippet(f, line, snippet)?;
            }
        }
        for hint in &self.hints {
            write!(f, "\ngợi ý: {hint}")?;
        }
        Ok(())
    }
}

/// A failure: one or more diagnostics (never empty), plus the warnings met on the way.
#[derive(Clone, Debug)]
pub struct Error(pub Vec<Diagnostic>);

impl Error {
    pub fn new(diag: Diagnostic) -> Self {
        Self(vec![diag])
    }

    pub fn msg(message: impl Into<String>) -> Self {
        Self::new(Diagnostic::error(message))
    }

    /// An I/O error that names its path.
    pub fn io(action: &str, path: &Path, err: std::io::Error) -> Self {
        Self::new(Diagnostic::error(format!(
            "không {action} được `{}`: {}",
            path.display(),
            io_reason(&err)
        )))
    }
}

impl Error {
    /// See [`in_report`].
    pub fn in_report(mut self, root: &Path) -> Self {
        in_report(&mut self.0, root);
        self
    }
}

/// Name the templates of the report folder `root` as the user can open them from where the
/// command runs: a location `templates/…` (relative to the report folder, as rendering and
/// typesetting give it) gets `root` in front. Its source line comes from the text the build
/// read (`source_map::TemplateTexts::fill_snippets`), never from the file read again. Data
/// paths already start with `root`; a path that is no file under `root` is left as it is.
pub fn in_report(diags: &mut [Diagnostic], root: &Path) {
    for d in diags {
        let Some(loc) = &mut d.location else { continue };
        let under_templates = loc.file.is_relative()
            && loc.file.components().next().map(|c| c.as_os_str()) == Some("templates".as_ref());
        let path = root.join(&loc.file);
        if !under_templates || !path.is_file() {
            continue;
        }
        loc.file = path.strip_prefix(".").unwrap_or(&path).to_path_buf();
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Self::new(d)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A path as its bytes in serde (`#[serde(with = "path_bytes")]`): a path need not be UTF-8,
/// and serde's own form of a path refuses one that is not.
pub mod path_bytes {
    use std::ffi::OsString;
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    use std::path::{Path, PathBuf};

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(path.as_os_str().as_bytes())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        Vec::<u8>::deserialize(d).map(|b| PathBuf::from(OsString::from_vec(b)))
    }

    /// An optional path as its bytes (`#[serde(with = "path_bytes::option")]`).
    pub mod option {
        use std::ffi::OsString;
        use std::os::unix::ffi::{OsStrExt, OsStringExt};
        use std::path::PathBuf;

        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(path: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
            match path {
                Some(p) => s.serialize_some(p.as_os_str().as_bytes()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
            Option::<Vec<u8>>::deserialize(d)
                .map(|b| b.map(|b| PathBuf::from(OsString::from_vec(b))))
        }
    }

    /// Several paths, each as its bytes (`#[serde(with = "path_bytes::many")]`).
    pub mod many {
        use std::ffi::OsString;
        use std::os::unix::ffi::{OsStrExt, OsStringExt};
        use std::path::PathBuf;

        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(paths: &[PathBuf], s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(paths.iter().map(|p| p.as_os_str().as_bytes()))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PathBuf>, D::Error> {
            Vec::<Vec<u8>>::deserialize(d).map(|v| {
                v.into_iter()
                    .map(|b| PathBuf::from(OsString::from_vec(b)))
                    .collect()
            })
        }
    }
}

/// The reason of an I/O error in Vietnamese, then the OS's own words on a second line for
/// the expert: `không có quyền truy cập` / `chi tiết: Permission denied (os error 13)`.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let by_code = match err.raw_os_error() {
        Some(libc::ENAMETOOLONG) => Some("tên tệp quá dài"),
        Some(libc::ELOOP) => Some("quá nhiều liên kết tượng trưng lồng nhau"),
        Some(libc::EDQUOT) => Some("vượt hạn mức dung lượng đĩa"),
        Some(libc::EMFILE | libc::ENFILE) => Some("quá nhiều tệp đang mở"),
        Some(libc::EXDEV) => Some("không chuyển được tệp sang ổ đĩa khác"),
        Some(libc::EBUSY | libc::ETXTBSY) => Some("tệp đang được dùng"),
        Some(libc::EIO) => Some("lỗi đọc ghi của thiết bị"),
        _ => None,
    };
    let reason = by_code.unwrap_or(match err.kind() {
        NotFound => "không tìm thấy",
        PermissionDenied => "không có quyền truy cập",
        AlreadyExists => "đã tồn tại",
        InvalidData => "dữ liệu không hợp lệ",
        IsADirectory => "là một thư mục",
        NotADirectory => "một phần của đường dẫn không phải thư mục",
        DirectoryNotEmpty => "thư mục không rỗng",
        StorageFull => "hết chỗ trống trên đĩa",
        ReadOnlyFilesystem => "hệ thống tệp chỉ cho đọc",
        FileTooLarge => "tệp quá lớn",
        InvalidFilename => "tên tệp không hợp lệ",
        InvalidInput => "giá trị không hợp lệ",
        UnexpectedEof => "tệp kết thúc giữa chừng",
        Interrupted => "bị ngắt giữa chừng",
        OutOfMemory => "hết bộ nhớ",
        Unsupported => "hệ thống không hỗ trợ thao tác này",
        _ => "lỗi của hệ điều hành",
    });
    format!("{reason}\nchi tiết: {err}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_format_shows_the_line_with_a_caret() {
        let text = "lua_xuan_san_luong: 2976.4";
        let d = Diagnostic::error("`2976.4` không đúng cách viết số của báo cáo")
            .at(Location::at("data/so-lieu/nong-nghiep.yaml", 12, 21)
                .with_snippet(Snippet::new(text, 20, 6)))
            .hint("viết `2.976,4`");
        assert_eq!(
            d.render(Format::Human),
            "lỗi: `2976.4` không đúng cách viết số của báo cáo\n \
             --> data/so-lieu/nong-nghiep.yaml:12:21\n   \
             |\n\
             12 | lua_xuan_san_luong: 2976.4\n   \
             |                     ^^^^^^\n\
             gợi ý: viết `2.976,4`"
        );
        assert_eq!(
            d.render(Format::Short),
            "data/so-lieu/nong-nghiep.yaml:12:21: lỗi: `2976.4` không đúng cách viết số của báo cáo"
        );
    }

    #[test]
    fn a_template_line_is_underlined_under_its_text() {
        let d = Diagnostic::warning("tên không xác định trong mẫu").at(Location::line(
            "templates/a.typ.j2",
            7,
        )
        .with_snippet(Snippet::line("  Thu {{ ct.x }}\tđạt  ")));
        assert_eq!(
            d.to_string(),
            "cảnh báo: tên không xác định trong mẫu\n --> templates/a.typ.j2:7\n  |\n\
             7 |   Thu {{ ct.x }}    đạt\n  |   ^^^^^^^^^^^^^^^^^^^^^"
        );
        assert_eq!(
            d.render(Format::Short),
            "templates/a.typ.j2:7: cảnh báo: tên không xác định trong mẫu"
        );
    }

    #[test]
    fn carets_stay_inside_the_line_and_short_format_is_one_line() {
        let s = Snippet::new("ab", 5, 9);
        assert_eq!((s.start, s.len), (2, 1));
        let s = Snippet::new("ắc quy", 1, 10);
        assert_eq!((s.start, s.len), (1, 5));
        let d = Diagnostic::error("hai\ndòng");
        assert_eq!(d.render(Format::Short), "lỗi: hai dòng");
    }

    #[test]
    fn os_reasons_are_vietnamese_with_the_original_kept() {
        for (code, vi) in [
            (libc::ENOENT, "không tìm thấy"),
            (libc::EACCES, "không có quyền truy cập"),
            (libc::EEXIST, "đã tồn tại"),
            (libc::EISDIR, "là một thư mục"),
            (libc::ENOTDIR, "một phần của đường dẫn không phải thư mục"),
            (libc::ENOSPC, "hết chỗ trống trên đĩa"),
            (libc::EROFS, "hệ thống tệp chỉ cho đọc"),
            (libc::ENAMETOOLONG, "tên tệp quá dài"),
            (libc::ELOOP, "quá nhiều liên kết tượng trưng lồng nhau"),
        ] {
            let e = std::io::Error::from_raw_os_error(code);
            let r = io_reason(&e);
            let (first, second) = r.split_once('\n').unwrap();
            assert_eq!(first, vi, "{code}");
            assert_eq!(second, format!("chi tiết: {e}"));
            assert!(second.contains(&format!("(os error {code})")));
        }
    }
}
