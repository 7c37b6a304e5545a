//! Issue 16, items 2, 3, 6 and 8: how outputs are written. The temporary file is private,
//! created exclusively and never through a link; it is removed on SIGINT and SIGTERM, and a
//! kill -9 leftover by the next write; long names work; an output never replaces the report's
//! inputs or the `--emit-typst` file. The hidden `--test-*` flags are the test hooks.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixture::*;

/// Every entry under `dir` (links not followed): path -> (kind, bytes or link target).
fn tree(dir: &Path) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.file_type().is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.push((p, format!("link {}", t.display())));
            } else if meta.is_dir() {
                out.push((p.clone(), "dir".into()));
                walk(&p, out);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((
                    p,
                    format!(
                        "file {:o} {} {:x}",
                        meta.mode() & 0o7777,
                        bytes.len(),
                        hash(&bytes)
                    ),
                ));
            }
        }
    }
    let mut out = vec![];
    walk(dir, &mut out);
    out.sort();
    out
}

fn hash(bytes: &[u8]) -> u64 {
    // FNV-1a: enough to tell two files apart in a test.
    bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x100000001b3)
    })
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A build held open by `--test-hold-write` after its temporary file was written.
struct Held {
    child: Child,
    temp: PathBuf,
}

impl Held {
    fn start(f: &Fixture, extra: &[&str]) -> Held {
        let mut cmd = Command::new(BIN);
        cmd.args(["build", "--test-hold-write"])
            .args(extra)
            .current_dir(&f.root)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        // A shell starts a background job with SIGINT ignored (POSIX), and baocao rightly
        // leaves an ignored signal ignored: the tests of the handled signals start the child
        // with the default dispositions, wherever `cargo test` itself was started.
        // SAFETY: signal() is async-signal-safe, as pre_exec requires.
        unsafe {
            cmd.pre_exec(|| {
                for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                    libc::signal(sig, libc::SIG_DFL);
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn baocao");
        // Owned at once, so that a failing test still kills and reaps it (Drop).
        let mut held = Held {
            child,
            temp: PathBuf::new(),
        };
        let mut err = BufReader::new(held.child.stderr.take().unwrap());
        let mut seen = String::new();
        let t0 = Instant::now();
        loop {
            let mut line = String::new();
            assert!(
                err.read_line(&mut line).unwrap() > 0,
                "the build ended before holding its write:\n{seen}"
            );
            seen.push_str(&line);
            if let Some(rest) = line
                .trim_end()
                .strip_prefix("(kiểm thử) đang giữ tệp tạm `")
            {
                held.temp = f.root.join(rest.trim_end_matches('`'));
                // Keep draining stderr so the child never blocks on a full pipe.
                std::thread::spawn(move || {
                    let mut sink = String::new();
                    while err.read_line(&mut sink).unwrap_or(0) > 0 {
                        sink.clear();
                    }
                });
                return held;
            }
            assert!(t0.elapsed() < Duration::from_secs(300), "{seen}");
        }
    }

    fn signal(&mut self, sig: i32) -> std::process::ExitStatus {
        // SAFETY: kill(2) on the pid of our own child.
        let rc = unsafe { libc::kill(self.child.id() as i32, sig) };
        assert_eq!(rc, 0);
        self.child.wait().unwrap()
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether another process holds an exclusive lock on `path`.
fn locked(path: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let f = std::fs::File::open(path).unwrap();
    // SAFETY: flock(2) on a descriptor we own; a lock we get is released when `f` closes.
    let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    rc != 0
}

#[test]
fn a_long_output_name_works_up_to_the_limit() {
    let f = Fixture::default_report();
    // 255 bytes, the limit of a name on Linux file systems; ASCII, then 3-byte letters.
    let ascii = format!("{}.pdf", "a".repeat(251));
    let viet = format!("bao-cao-{}.pdf", "ệ".repeat(81));
    assert_eq!((ascii.len(), viet.len()), (255, 255));
    for name in [&ascii, &viet] {
        let out = format!("ra/{name}");
        f.run(&["build", "-o", &out]).success();
        let bytes = std::fs::read(f.path(&out)).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    }
    assert_eq!(names(&f.path("ra")), {
        let mut v = vec![ascii.clone(), viet.clone()];
        v.sort();
        v
    });
    // One byte more is the OS's refusal, in Vietnamese.
    let long = format!("{}.pdf", "a".repeat(252));
    f.run(&["build", "-o", &format!("ra/{long}")])
        .failure()
        .stderr_contains("tên tệp quá dài")
        .stderr_contains("chi tiết: ");
}

#[test]
fn an_output_never_replaces_the_reports_inputs() {
    let f = Fixture::default_report();
    std::os::unix::fs::symlink("data", f.path("lien-ket-data")).unwrap();
    std::fs::create_dir_all(f.path("ra")).unwrap();
    // Inputs whose names an output could have: a note named like a PDF, a page of the
    // templates named like the HTML copy.
    f.write("data/ghi-chu.pdf", "ghi chú của người soạn, không phải PDF");
    f.write("templates/trang.html", "<p>mẫu</p>");
    let before = tree(&f.root);
    // An input's own name is not an output's: `-o` must end in the format's extension, so it
    // is bad usage before anything is looked at (exit code 2).
    for out in [
        "data/bao-cao.yaml",
        "templates/bao-cao.typ.j2",
        "templates/nd30.typ",
        "ra/../data/chi-tieu/kinh-te.yaml",
        "lien-ket-data/bao-cao.yaml",
        "data/chi-tieu",
    ] {
        let r = f.run(&["build", "-o", out]);
        assert_eq!(r.0.status.code(), Some(2), "{out}: {}", r.stderr());
        assert!(
            r.stderr().contains("phải có đuôi `.pdf`"),
            "{out}: {}",
            r.stderr()
        );
        assert_eq!(tree(&f.root), before, "{out} changed a file");
    }
    // Named like an output, an input is still never replaced (exit code 1).
    for args in [
        vec!["-o", "data/ghi-chu.pdf"],
        vec!["-o", "ra/../data/ghi-chu.pdf"],
        vec!["-o", "lien-ket-data/ghi-chu.pdf"],
        vec!["--format", "html", "-o", "templates/trang.html"],
        vec!["--emit-typst", "templates/nd30.typ"],
        vec!["--emit-typst", "lien-ket-data/bao-cao.yaml"],
    ] {
        let mut all = vec!["build"];
        all.extend(&args);
        let r = f.run(&all).failure();
        assert_eq!(r.0.status.code(), Some(1), "{args:?}");
        let err = r.stderr();
        assert!(
            err.contains("lỗi: không ghi đè") && err.contains("của báo cáo"),
            "{args:?}: {err}"
        );
        assert_eq!(tree(&f.root), before, "{args:?} changed a file");
    }
    // The absolute path is resolved the same way.
    let abs = f.path("data/ghi-chu.pdf");
    f.run(&["build", "-o", abs.to_str().unwrap()]).failure();
    assert_eq!(tree(&f.root), before);
    // A new PDF beside the templates is fine, and so is writing it again.
    f.run(&["build", "-o", "templates/ban-in.pdf"]).success();
    f.run(&["build", "-o", "templates/ban-in.pdf"]).success();
}

#[test]
fn the_pdf_and_the_emitted_typst_are_two_files() {
    let f = Fixture::default_report();
    std::os::unix::fs::symlink(".", f.path("cung-cho")).unwrap();
    for (o, e) in [
        ("x.pdf", "x.pdf"),
        ("x.pdf", "cung-cho/x.pdf"),
        ("./a/../x.pdf", "x.pdf"),
    ] {
        f.run(&["build", "-o", o, "--emit-typst", e])
            .failure()
            .stderr_contains("`-o` và `--emit-typst`");
        assert!(!f.path("x.pdf").exists(), "{o} {e}");
    }
    f.run(&["build", "-o", "x.pdf", "--emit-typst", "x.typ"])
        .success();
}

#[test]
fn a_dangling_output_link_is_not_already_existing() {
    let f = Fixture::default_report();
    std::os::unix::fs::symlink("khong-co/ra", f.path("output")).unwrap();
    let r = f.run(&["build"]).failure();
    let err = r.stderr();
    assert!(!err.contains("đã tồn tại"), "{err}");
    assert!(
        err.contains("`output` là liên kết tượng trưng tới `khong-co/ra`, nơi không tồn tại"),
        "{err}"
    );
    // A file where the folder should be.
    std::fs::remove_file(f.path("output")).unwrap();
    f.write("output", "tệp");
    let r = f.run(&["build"]).failure();
    let err = r.stderr();
    assert!(
        err.contains("`output` là một tệp, không phải thư mục"),
        "{err}"
    );
}

/// Item 2: a link planted at the temporary name is never followed; the build fails, and the
/// link, its target, the last good PDF and every other file stay as they were.
#[test]
fn a_link_planted_at_the_temporary_name_is_not_followed() {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    f.write("nan-nhan.txt", "của người khác");
    std::os::unix::fs::symlink("../nan-nhan.txt", f.path("output/.tam-co-dinh.tmp")).unwrap();
    std::os::unix::fs::symlink("../chua-co.txt", f.path("output/.tam-treo.tmp")).unwrap();
    let before = tree(&f.root);
    for name in [".tam-co-dinh.tmp", ".tam-treo.tmp"] {
        let r = f.run(&["build", "--test-temp-name", name]).failure();
        let err = r.stderr();
        assert!(err.contains("lỗi: không tạo tệp tạm được"), "{err}");
        assert!(err.contains(": đã tồn tại\nchi tiết: File exists"), "{err}");
        assert_eq!(tree(&f.root), before, "a file changed (temp name {name})");
        assert!(!f.path("chua-co.txt").exists());
    }
    // The same with `--emit-typst`.
    let r = f
        .run(&[
            "build",
            "--emit-typst",
            "output/ma.typ",
            "--test-temp-name",
            ".tam-co-dinh.tmp",
        ])
        .failure();
    assert!(
        r.stderr().contains("không tạo tệp tạm được"),
        "{}",
        r.stderr()
    );
    assert_eq!(tree(&f.root), before);
}

/// The temporary file is private (0600) and locked while it is written.
#[test]
fn the_temporary_file_is_private_and_locked() {
    let f = Fixture::default_report();
    let mut held = Held::start(&f, &["-o", "ra/bao-cao.pdf"]);
    let meta = std::fs::symlink_metadata(&held.temp).unwrap();
    assert!(meta.is_file());
    assert_eq!(meta.mode() & 0o777, 0o600);
    assert!(locked(&held.temp), "the writer holds no lock");
    let name = held.temp.file_name().unwrap().to_str().unwrap().to_string();
    assert!(
        name.starts_with(".bao-cao.pdf.") && name.ends_with(".tmp"),
        "{name}"
    );
    // Two holds name their temporary files differently, and not from the pid alone.
    let mut other = Held::start(&f, &["-o", "ra/bao-cao.pdf"]);
    assert_ne!(other.temp, held.temp);
    for h in [&mut held, &mut other] {
        let pid = h.child.id().to_string();
        assert!(
            !h.temp.to_str().unwrap().contains(&pid),
            "{}",
            h.temp.display()
        );
        h.signal(libc::SIGTERM);
    }
    assert_eq!(names(&f.path("ra")), Vec::<String>::new());
    // The PDF written at last has the usual permissions, not the temporary file's.
    f.run(&["build", "-o", "ra/bao-cao.pdf"]).success();
    let mode = std::fs::metadata(f.path("ra/bao-cao.pdf"))
        .unwrap()
        .permissions()
        .mode();
    assert_ne!(mode & 0o777, 0o600, "{mode:o}");
}

/// Item 3: SIGINT and SIGTERM during the write remove the temporary file; the process still
/// ends by the signal, and the last good PDF is kept.
#[test]
fn sigint_and_sigterm_during_the_write_leave_no_temporary_file() {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let good = std::fs::read(f.pdf()).unwrap();
    for sig in [libc::SIGINT, libc::SIGTERM] {
        let mut held = Held::start(&f, &[]);
        assert!(held.temp.exists());
        let status = held.signal(sig);
        assert_eq!(status.signal(), Some(sig), "{status:?}");
        assert!(!held.temp.exists(), "signal {sig}: temporary file left");
        assert_eq!(names(&f.path("output")), vec!["bao-cao-6-thang-2024.pdf"]);
        assert_eq!(std::fs::read(f.pdf()).unwrap(), good);
    }
}

/// Item 3: a kill -9 leftover is unlocked, so the next write to that output removes it; a
/// locked one (a writer still at work) is left alone.
#[test]
fn a_kill_9_leftover_is_removed_by_the_next_build() {
    let f = Fixture::default_report();
    let mut killed = Held::start(&f, &[]);
    let status = killed.signal(libc::SIGKILL);
    assert_eq!(status.signal(), Some(libc::SIGKILL));
    assert!(killed.temp.exists(), "kill -9 cannot clean up");
    let leftover = killed.temp.clone();
    // A writer still at work on the same output.
    let mut busy = Held::start(&f, &[]);
    f.run(&["build"]).success();
    assert!(
        !leftover.exists(),
        "the stale temporary file is still there"
    );
    assert!(busy.temp.exists(), "a locked temporary file was removed");
    busy.signal(libc::SIGTERM);
    assert_eq!(names(&f.path("output")), vec!["bao-cao-6-thang-2024.pdf"]);
}
