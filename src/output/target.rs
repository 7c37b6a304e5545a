//! Where a write lands, and the targets a build refuses: an output never replaces the report's
//! inputs (data/, templates/), and the outputs (PDF, HTML, …) and the `--emit-typst` file are
//! different files.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Error, Result, io_reason};

/// The folders of a report that an output must not replace anything in.
const INPUTS: [&str; 2] = ["data", "templates"];

/// Where a write to `path` lands: its folder with every link and `..` resolved, as the kernel
/// resolves them once missing folders are created, and its own name, unresolved (the rename
/// replaces a link there; it does not write through it).
pub fn landing(path: &Path) -> std::io::Result<PathBuf> {
    let name = match path.components().next_back() {
        Some(Component::Normal(n)) => n.to_os_string(),
        _ => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "no file name",
            ));
        }
    };
    let parent = path.parent().unwrap_or(Path::new(""));
    let mut cur = if parent.is_absolute() {
        PathBuf::from("/")
    } else {
        std::env::current_dir()?.canonicalize()?
    };
    for c in parent.components() {
        match c {
            Component::RootDir | Component::Prefix(_) => cur = PathBuf::from("/"),
            Component::CurDir => {}
            // `cur` is resolved, so its parent is the real one (`link/..` is the parent of
            // the link's target, as for the kernel).
            Component::ParentDir => {
                cur.pop();
            }
            Component::Normal(n) => {
                let next = cur.join(n);
                // Missing: it will be created as a real folder.
                cur = next.canonicalize().unwrap_or(next);
            }
        }
    }
    Ok(cur.join(name))
}

/// Whether `path` is a regular file that starts like an output of an earlier build: a PDF, or
/// the HTML copy.
fn is_output(path: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    let mut head = [0u8; 15];
    let mut n = 0;
    if meta.is_file()
        && let Ok(mut f) = std::fs::File::open(path)
    {
        n = f.read(&mut head).unwrap_or(0);
    }
    head[..n].starts_with(b"%PDF-") || head[..n].starts_with(b"<!DOCTYPE html>")
}

/// Refuse, before anything is built, an output (`outputs`: the PDF, the HTML copy, …, whether
/// `-o` or the default names) or `emit` (`--emit-typst`) that would replace something in the
/// report's data/ or templates/ (links and `..` resolved), and two of them that are one file.
/// A new file there is allowed, and so is replacing an earlier output (the PDF an earlier
/// `-o templates/ban-in.pdf` wrote).
pub fn check_targets(root: &Path, outputs: &[&Path], emit: Option<&Path>) -> Result<()> {
    let inputs: Vec<(&str, PathBuf)> = INPUTS
        .iter()
        .filter_map(|d| Some((*d, root.join(d).canonicalize().ok()?)))
        .collect();
    let mut landed: Vec<(&str, &Path, PathBuf)> = vec![];
    let targets = outputs
        .iter()
        .map(|p| ("-o", *p, true))
        .chain(emit.map(|p| ("--emit-typst", p, false)));
    for (flag, path, output) in targets {
        if !matches!(path.components().next_back(), Some(Component::Normal(_))) {
            return Err(Error::msg(format!(
                "`{flag} {}` không phải tên một tệp",
                path.display()
            )));
        }
        let land = landing(path).map_err(|e| {
            Error::msg(format!(
                "không xác định được chỗ ghi `{}`: {}",
                path.display(),
                io_reason(&e)
            ))
        })?;
        for (name, dir) in &inputs {
            if !land.starts_with(dir) {
                continue;
            }
            let exists = std::fs::symlink_metadata(&land).is_ok();
            if exists && !(output && is_output(&land)) {
                let rel = land.strip_prefix(dir).unwrap_or(&land);
                let example = if output {
                    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("pdf");
                    format!("output/ban-in.{ext}")
                } else {
                    "output/bao-cao.typ".to_string()
                };
                return Err(Error::new(
                    Diagnostic::error(format!(
                        "không ghi đè `{}`: đó là `{name}/{}` của báo cáo",
                        path.display(),
                        rel.display()
                    ))
                    .hint(format!(
                        "chọn một tệp ngoài `data/` và `templates/`, ví dụ `{flag} {example}`"
                    )),
                ));
            }
        }
        if let Some((other_flag, other, _)) = landed.iter().find(|(_, _, l)| *l == land) {
            return Err(Error::msg(if *other_flag != flag {
                format!(
                    "`-o` và `--emit-typst` cùng trỏ tới một tệp (`{}`): PDF và mã Typst phải là hai tệp khác nhau",
                    other.display()
                )
            } else {
                format!(
                    "hai tệp đầu ra cùng trỏ tới một tệp (`{}` và `{}`)",
                    other.display(),
                    path.display()
                )
            }));
        }
        landed.push((flag, path, land));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landing_resolves_the_folder_and_keeps_the_name() {
        let d = std::env::temp_dir().join(format!("baocao-landing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("a/b")).unwrap();
        std::os::unix::fs::symlink("a/b", d.join("lb")).unwrap();
        std::os::unix::fs::symlink("x", d.join("a/b/ten")).unwrap();
        let real = d.canonicalize().unwrap();
        assert_eq!(landing(&d.join("lb/ten")).unwrap(), real.join("a/b/ten"));
        // `lb/..` is the parent of lb's target, a/.
        assert_eq!(landing(&d.join("lb/../f")).unwrap(), real.join("a/f"));
        // Missing folders are taken as they will be created; `..` after one undoes it.
        assert_eq!(landing(&d.join("moi/../lb/f")).unwrap(), real.join("a/b/f"));
        assert_eq!(landing(&d.join("moi/cu/f")).unwrap(), real.join("moi/cu/f"));
        assert!(landing(Path::new("..")).is_err());
        assert!(landing(Path::new("/")).is_err());
        let _ = std::fs::remove_dir_all(&d);
    }
}
