//! The two sides of a comparison, read into memory: a report folder or a data folder from
//! disk, the report's data/ with one YAML file replaced, or data/ at a git revision (through
//! `git ls-tree` and `git show`). Nothing is written anywhere: no temporary folder, and the
//! messages name the files as the user does (`ban-cu/data/…`, `HEAD~1:data/…`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::data::{DataFiles, is_data_file};
use crate::diag::{Diagnostic, Error, Result};

/// Where one side of the comparison comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Side {
    /// A report folder (with data/) or a data folder.
    Folder(PathBuf),
    /// One YAML file of data/.
    File(PathBuf),
    /// data/ at a git revision of the repository that holds the report folder.
    Git(String),
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Side::Folder(p) | Side::File(p) => write!(f, "{}", p.display()),
            Side::Git(rev) => write!(f, "git:{rev}"),
        }
    }
}

/// A revision git would read as an option (`-h`, `--output=…`) is refused before git runs.
fn check_revision(rev: &str) -> Result<()> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(Error::new(
            Diagnostic::error(format!("phiên bản git `{rev}` không hợp lệ"))
                .hint("tên phiên bản không được rỗng hay bắt đầu bằng `-`: `HEAD~1`, một nhánh, một thẻ, một mã commit"),
        ));
    }
    Ok(())
}

/// Read a command-line argument: `git:REV`, an existing path, or a revision git knows.
pub fn parse_side(arg: &str, root: &Path) -> Result<Side> {
    if let Some(rev) = arg.strip_prefix("git:") {
        check_revision(rev)?;
        return Ok(Side::Git(rev.to_string()));
    }
    let path = PathBuf::from(arg);
    if path.is_dir() {
        return Ok(Side::Folder(path));
    }
    if path.is_file() {
        return Ok(Side::File(path));
    }
    if !arg.starts_with('-') && git_knows(root, arg) {
        return Ok(Side::Git(arg.to_string()));
    }
    Err(Error::new(
        Diagnostic::error(format!(
            "`{arg}` không phải thư mục, tệp hay phiên bản git nào"
        ))
        .hint("so sánh hai thư mục báo cáo (hay hai thư mục data/), hai tệp YAML, hoặc hai phiên bản git: `baocao diff HEAD~1 .`, `baocao diff git:v1 git:v2`"),
    ))
}

fn git_knows(root: &Path, rev: &str) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Where `file` goes in data/: its path under data/ when it lies in a folder named data
/// (`…/data/chi-tieu/kinh-te.yaml`), else the one data file of the report with its name.
fn place_in_data(file: &Path, report: &DataFiles) -> Result<PathBuf> {
    let comps: Vec<_> = file.components().collect();
    if let Some(i) = comps.iter().rposition(|c| c.as_os_str() == "data") {
        let rel: PathBuf = comps[i + 1..].iter().collect();
        if !rel.as_os_str().is_empty() {
            return Ok(rel);
        }
    }
    let name = file.file_name().unwrap_or_default();
    let mut found: Vec<PathBuf> = report
        .iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.file_name() == Some(name))
        .cloned()
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Error::new(
            Diagnostic::error(format!(
                "không biết tệp `{}` thay cho tệp nào trong `{}`",
                file.display(),
                report.dir.display()
            ))
            .hint("đặt tên tệp như tệp nó thay (ví dụ `kinh-te.yaml`), hoặc so sánh hai thư mục data/"),
        )),
        _ => Err(Error::new(
            Diagnostic::error(format!(
                "có nhiều tệp tên `{}` trong `{}`",
                name.to_string_lossy(),
                report.dir.display()
            ))
            .hint("ghi đường dẫn có `data/…`, ví dụ `ban-cu/data/chi-tieu/kinh-te.yaml`"),
        )),
    }
}

/// A path as printed: without a leading `./`.
fn shown(p: &Path) -> PathBuf {
    p.strip_prefix(".").unwrap_or(p).to_path_buf()
}

/// The data files of one side, in memory. `root` is the report folder (its data/ for a YAML
/// file side, its git repository for a revision).
pub fn read_side(side: &Side, root: &Path) -> Result<DataFiles> {
    match side {
        Side::Folder(dir) => {
            if dir.join("data").is_dir() {
                return Ok(DataFiles::read_dir(&dir.join("data")));
            }
            if !dir.join("bao-cao.yaml").is_file() {
                return Err(Error::new(
                    Diagnostic::error(format!(
                        "`{}` không có `data/` cũng không có `bao-cao.yaml`",
                        dir.display()
                    ))
                    .hint("đưa vào một thư mục báo cáo hay một thư mục data/"),
                ));
            }
            // A data folder itself.
            Ok(DataFiles::read_dir(dir))
        }
        Side::File(file) => {
            let mut files = DataFiles::read_dir(&root.join("data"));
            let rel = place_in_data(file, &files)?;
            files.read_file(rel, file);
            Ok(files)
        }
        Side::Git(rev) => {
            check_revision(rev)?;
            let names = git(
                root,
                &["ls-tree", "-r", "-z", "--name-only", rev, "--", "data"],
            )
            .map_err(|e| git_error(rev, e))?;
            let names: Vec<String> = String::from_utf8_lossy(&names)
                .split('\0')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if names.is_empty() {
                return Err(Error::new(
                    Diagnostic::error(format!("phiên bản git `{rev}` không có thư mục `data/`"))
                        .hint("kiểm tra tên phiên bản bằng `git log --oneline -- data`"),
                ));
            }
            let named =
                |p: &Path| PathBuf::from(format!("{rev}:{}", shown(&root.join(p)).display()));
            let mut files = DataFiles::new(named(Path::new("data")));
            for name in &names {
                let Ok(rel) = Path::new(name).strip_prefix("data") else {
                    continue;
                };
                if !is_data_file(rel) {
                    continue;
                }
                let bytes = git(root, &["show", &format!("{rev}:./{name}")])
                    .map_err(|e| git_error(rev, e))?;
                files.insert(rel, named(Path::new(name)), &bytes);
            }
            Ok(files)
        }
    }
}

fn git(root: &Path, args: &[&str]) -> std::result::Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("không chạy được `git`: {}", crate::diag::io_reason(&e)))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(out.stdout)
}

fn git_error(rev: &str, detail: String) -> Error {
    // git speaks English: a Vietnamese reason first, git's words kept for the expert.
    let lower = detail.to_lowercase();
    let reason = if detail.starts_with("không chạy được") {
        None
    } else if lower.contains("not a git repository") {
        Some("thư mục báo cáo không nằm trong một kho git")
    } else if lower.contains("dubious ownership") {
        Some("git từ chối kho này vì nó thuộc một người dùng khác")
    } else if lower.contains("not a valid object name")
        || lower.contains("unknown revision")
        || lower.contains("bad revision")
        || lower.contains("invalid object name")
        || lower.contains("ambiguous argument")
    {
        Some("kho git không có phiên bản này")
    } else if lower.contains("does not exist in") || lower.contains("exists on disk, but not in") {
        Some("phiên bản này không có thư mục `data/`")
    } else {
        Some("git báo lỗi")
    };
    let detail = match reason {
        Some(r) => format!("{r}\nchi tiết: {detail}"),
        None => detail,
    };
    Error::new(
        Diagnostic::error(format!(
            "không đọc được `data/` ở phiên bản git `{rev}`: {detail}"
        ))
        .hint("chạy trong một kho git, với một phiên bản có thật: `HEAD~1`, một nhánh, một thẻ"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_that_git_would_read_as_an_option_is_refused() {
        let root = Path::new(".");
        for arg in ["git:-h", "git:--output=/tmp/x", "git:"] {
            let e = parse_side(arg, root).unwrap_err();
            assert!(e.to_string().contains("không hợp lệ"), "{e}");
        }
        let e = parse_side("--help", root).unwrap_err();
        assert!(e.to_string().contains("không phải thư mục"), "{e}");
        assert!(read_side(&Side::Git("-p".into()), root).is_err());
    }
}
