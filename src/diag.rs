//! Diagnostics: one error type carrying locations, rendered once by `main`.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a user file: 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }

    pub fn line(file: impl Into<PathBuf>, line: usize) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: None,
        }
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
#[derive(Clone, Debug, PartialEq, Eq)]
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

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        };
        write!(f, "{label}: {}", self.message)?;
        if let Some(loc) = &self.location {
            write!(f, "\n --> {loc}")?;
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

/// Read a file, naming it in the error.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io("đọc", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

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
