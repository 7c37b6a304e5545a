//! Whole-output snapshots: a run's exit code, stdout and stderr, compared whole with an
//! expected file. `BAOCAO_BLESS=1 cargo test …` rewrites the expected files instead (after an
//! intended change of the messages); review the rewrite with `git diff` before committing.

use std::path::{Path, PathBuf};
use std::process::Output;

/// True when the expected files are to be rewritten (`BAOCAO_BLESS=1`).
pub fn blessing() -> bool {
    std::env::var_os("BAOCAO_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The folder of the snapshots of tests/cli/ (the corpus keeps its own, one per case).
pub fn dir() -> PathBuf {
    crate::fixture::repo().join("tests/snapshots")
}

/// `text` with the report folder's path (as given and as the system resolves it) replaced by
/// `[ROOT]`, so that the snapshot does not depend on the temporary folder.
pub fn normalise(text: &str, root: &Path) -> String {
    let mut out = text.to_string();
    let mut roots = vec![root.to_path_buf()];
    if let Ok(canonical) = root.canonicalize() {
        roots.push(canonical);
    }
    // The longer first, so that a prefix of the other does not leave a tail behind.
    roots.sort_by_key(|r| std::cmp::Reverse(r.as_os_str().len()));
    for r in roots {
        out = out.replace(&r.display().to_string(), "[ROOT]");
    }
    out
}

/// A run as a snapshot: the exit code, then stdout and stderr when not empty, normalised.
pub fn transcript(out: &Output, root: &Path) -> String {
    let mut s = match out.status.code() {
        Some(code) => format!("exit: {code}\n"),
        None => "exit: killed by a signal\n".to_string(),
    };
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if !bytes.is_empty() {
            s.push_str(&format!("--- {name}\n"));
            s.push_str(&normalise(&String::from_utf8_lossy(bytes), root));
            if !s.ends_with('\n') {
                s.push_str("\n[no newline at the end]\n");
            }
        }
    }
    s
}

/// Compare `actual` with the expected file `path`: Ok when equal, or when blessing (the file
/// is then rewritten if it differs); otherwise Err with a line diff and how to re-bless.
pub fn compare(path: &Path, actual: &str) -> Result<(), String> {
    let expected = std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    if expected.as_deref() == Some(actual) {
        return Ok(());
    }
    if blessing() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(path, actual).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("blessed {}", path.display());
        return Ok(());
    }
    let shown = path
        .strip_prefix(crate::fixture::repo())
        .unwrap_or(path)
        .display();
    Err(match expected {
        None => {
            format!("no snapshot {shown}; the output was:\n{actual}\n(BAOCAO_BLESS=1 writes it)")
        }
        Some(expected) => format!(
            "the output differs from {shown} (- expected, + actual):\n{}\n\
             (an intended change? re-bless with BAOCAO_BLESS=1 and review `git diff`)",
            diff(&expected, actual)
        ),
    })
}

/// Panic unless `actual` matches the snapshot `tests/snapshots/<name>.txt`.
#[track_caller]
pub fn assert_snapshot(name: &str, actual: &str) {
    if let Err(e) = compare(&dir().join(format!("{name}.txt")), actual) {
        panic!("{e}");
    }
}

/// Run baocao with `args` in the fixture and assert its whole output (exit code, stdout,
/// stderr) against `tests/snapshots/<name>.txt`.
#[track_caller]
pub fn assert_run(name: &str, f: &crate::fixture::Fixture, args: &[&str]) {
    let run = f.run(args);
    let actual = format!(
        "$ baocao {}\n{}",
        args.join(" "),
        transcript(&run.0, &f.root)
    );
    assert_snapshot(name, &actual);
}

/// A line diff (longest common subsequence), each line marked ` `, `-` or `+`.
pub fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // Outputs are short (the corpus caps its errors): the quadratic table is fine.
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("  {}\n", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        }
    }
    out
}

#[test]
fn the_diff_marks_what_changed() {
    assert_eq!(
        diff("a\nb\nc\n", "a\nx\nc\nd\n"),
        "  a\n- b\n+ x\n  c\n+ d\n"
    );
}

#[test]
fn the_root_is_replaced_everywhere() {
    let root = std::env::temp_dir().join("baocao-snapshot-root");
    let text = format!(
        "lỗi: {}/data/x.yaml và {}\n",
        root.display(),
        root.display()
    );
    assert_eq!(
        normalise(&text, &root),
        "lỗi: [ROOT]/data/x.yaml và [ROOT]\n"
    );
}
