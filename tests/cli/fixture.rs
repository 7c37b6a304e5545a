//! Test fixture: a copy of the default report folder, and helpers to run baocao on it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const BIN: &str = env!("CARGO_BIN_EXE_baocao");

/// The repository (the default report folder).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary report folder, removed on drop.
pub struct Fixture {
    pub root: PathBuf,
}

static N: AtomicUsize = AtomicUsize::new(0);

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

impl Fixture {
    /// An empty temporary folder.
    pub fn empty() -> Self {
        let root = std::env::temp_dir().join(format!(
            "baocao-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        Fixture { root }
    }

    /// A copy of the default report (data/ and templates/).
    pub fn default_report() -> Self {
        let f = Self::empty();
        copy_dir(&repo().join("data"), &f.root.join("data"));
        copy_dir(&repo().join("templates"), &f.root.join("templates"));
        f
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Write a file the way editors that save atomically do (a temporary file, then rename),
    /// so that a watcher never sees it half written, however loaded the machine is.
    pub fn write_atomic(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        // The temporary file lives outside data/, templates/ and fonts/: not watched.
        let tmp = self.root.join(".luu-tam");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &p).unwrap();
    }

    /// Replace `from` by `to` in a file; panics when `from` is absent (a stale test).
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "`{from}` not in {rel}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Run baocao with `args` in this folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(&self.root)
            .env_remove("SOURCE_DATE_EPOCH");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run(cmd.output().expect("run baocao"))
    }

    /// The default output of the six-month report.
    pub fn pdf(&self) -> PathBuf {
        self.path("output/bao-cao-6-thang-2024.pdf")
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

pub struct Run(pub Output);

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub fn success(self) -> Self {
        assert!(
            self.0.status.success(),
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    pub fn failure(self) -> Self {
        assert!(
            !self.0.status.success(),
            "expected failure\nstdout: {}\nstderr: {}",
            self.stdout(),
            self.stderr()
        );
        assert!(
            !self.stderr().contains("panicked"),
            "panic: {}",
            self.stderr()
        );
        self
    }
    pub fn stderr_contains(self, s: &str) -> Self {
        assert!(
            self.stderr().contains(s),
            "stderr lacks `{s}`:\n{}",
            self.stderr()
        );
        self
    }
    pub fn stdout_contains(self, s: &str) -> Self {
        assert!(
            self.stdout().contains(s),
            "stdout lacks `{s}`:\n{}",
            self.stdout()
        );
        self
    }
}

/// True under continuous integration (`CI` set and not `false` or `0`, as CI services set it).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A test cannot run its check because an outside tool is missing or cannot work here: under
/// CI (which installs every tool, .ci/run) that is a failure; elsewhere the test says so on
/// stderr and the caller returns. Never a silent skip.
#[track_caller]
pub fn tool_unavailable(tool: &str, why: &str) {
    assert!(
        !in_ci(),
        "`{tool}` is needed here and CI is set: {why} (.ci/run installs it)"
    );
    eprintln!("SKIPPED: `{tool}`: {why} (with CI=true this fails)");
}

/// The text of a PDF (pdftotext, reading order), whitespace collapsed.
pub fn pdf_text(pdf: &Path) -> String {
    pdftotext(pdf, "-layout")
}

/// The text of a PDF in content order (`pdftotext -raw`: a table's cells one after another),
/// whitespace collapsed.
pub fn pdf_text_raw(pdf: &Path) -> String {
    pdftotext(pdf, "-raw")
}

fn pdftotext(pdf: &Path, mode: &str) -> String {
    let out = Command::new("pdftotext")
        .args([mode, pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed by the tests");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The logical structure of a tagged PDF with the text of each element
/// (`pdfinfo -struct-text`): one element a line, indented by depth, text lines quoted.
pub fn pdf_struct_text(pdf: &Path) -> String {
    let out = Command::new("pdfinfo")
        .args(["-struct-text", pdf.to_str().unwrap()])
        .output()
        .expect("pdfinfo (poppler-utils) is needed by the tests");
    assert!(
        out.status.success(),
        "pdfinfo -struct-text failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `pdfinfo` fields.
pub fn pdf_info(pdf: &Path) -> String {
    let out = Command::new("pdfinfo")
        .args(["-isodates", pdf.to_str().unwrap()])
        .output()
        .expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether `tool` can be run. A test that needs it skips without it, except under `CI=true`,
/// where a missing tool fails the test (CI installs it; a silent skip would hide a gap).
pub fn have_tool(tool: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        tool_unavailable(tool, "not installed");
    }
    found
}

/// A git command in `dir`, with a fixed author and no signing; panics when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Kiểm thử",
            "-c",
            "user.email=kiem-thu@example.vn",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
