//! `baocao watch`: a changed figure reaches the PDF; a broken file keeps the old PDF and the
//! watcher recovers once it is fixed. Each test spawns the real binary, polls with a timeout,
//! and kills it at the end (or lets `--max-rebuilds` stop it).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixture::*;

/// Generous: the machine may be busy building.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A running `baocao watch`, its output captured in files of the fixture.
struct Watcher {
    child: Child,
    out: PathBuf,
    err: PathBuf,
}

impl Watcher {
    fn start(f: &Fixture, extra: &[&str]) -> Self {
        let out = f.path("watch.out");
        let err = f.path("watch.err");
        let child = Command::new(BIN)
            .arg("watch")
            .args(["--interval-ms", "50"])
            .args(extra)
            .current_dir(&f.root)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .expect("start baocao watch");
        Watcher { child, out, err }
    }

    fn stdout(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap_or_default()
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.err).unwrap_or_default()
    }

    /// Wait until stdout holds `n` lines containing `what`.
    fn wait_lines(&mut self, what: &str, n: usize) {
        let t0 = Instant::now();
        loop {
            if self.stdout().lines().filter(|l| l.contains(what)).count() >= n {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "watch exited ({status}) before `{what}` x{n}\nstdout:\n{}\nstderr:\n{}",
                    self.stdout(),
                    self.stderr()
                );
            }
            assert!(
                t0.elapsed() < TIMEOUT,
                "timed out waiting for `{what}` x{n}\nstdout:\n{}\nstderr:\n{}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait for the process to end by itself (`--max-rebuilds`).
    fn wait_exit(&mut self) -> std::process::ExitStatus {
        let t0 = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(
                t0.elapsed() < TIMEOUT,
                "watch did not stop\nstdout:\n{}",
                self.stdout()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// `Fixture::edit`, saved atomically (see `Fixture::write_atomic`).
fn edit_atomic(f: &Fixture, rel: &str, from: &str, to: &str) {
    let text = f.read(rel);
    assert!(text.contains(from), "`{from}` not in {rel}");
    f.write_atomic(rel, &text.replacen(from, to, 1));
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_changed_figure_reaches_the_pdf() {
    let f = Fixture::default_report();
    let mut w = Watcher::start(&f, &["--max-rebuilds", "1"]);
    w.wait_lines("đã ghi", 1);
    assert!(
        w.stdout()
            .starts_with("đang theo dõi `data/`, `templates/`, `fonts/`"),
        "{}",
        w.stdout()
    );
    let before = pdf_text(&f.pdf());
    assert!(
        before.contains("Thu ngân sách thành phố đạt 47,13% kế hoạch"),
        "{before}"
    );

    edit_atomic(
        &f,
        "data/chi-tieu/kinh-te.yaml",
        "thuc_hien: 155,108",
        "thuc_hien: 160,2",
    );
    // `--max-rebuilds 1`: the process stops after this rebuild.
    assert!(w.wait_exit().success(), "{}", w.stderr());
    let out = w.stdout();
    assert!(
        out.contains("thay đổi: data/chi-tieu/kinh-te.yaml"),
        "{out}"
    );
    let rebuilt = out
        .lines()
        .find(|l| l.starts_with("đã dựng lại"))
        .expect("a rebuild line");
    assert!(
        rebuilt.contains("output/bao-cao-6-thang-2024.pdf") && rebuilt.ends_with(" ms"),
        "{rebuilt}"
    );
    let after = pdf_text(&f.pdf());
    assert!(
        after.contains("Thu ngân sách thành phố đạt 48,67% kế hoạch"),
        "{after}"
    );
    assert!(after.contains("160,2/329,130"), "the figure itself");
}

#[test]
fn a_broken_file_keeps_the_old_pdf_and_recovers_when_fixed() {
    let f = Fixture::default_report();
    let mut w = Watcher::start(&f, &[]);
    w.wait_lines("đã ghi", 1);
    let good = std::fs::read(f.pdf()).unwrap();

    // Broken YAML: an error with its location, and the PDF stays as it was.
    let original = f.read("data/so-lieu/nong-nghiep.yaml");
    f.write_atomic(
        "data/so-lieu/nong-nghiep.yaml",
        &format!("{original}\nlua_xuan_nang_suat_2: [\n"),
    );
    w.wait_lines("chưa dựng được", 1);
    assert!(
        w.stderr().contains("lỗi:") && w.stderr().contains("data/so-lieu/nong-nghiep.yaml:"),
        "{}",
        w.stderr()
    );
    assert_eq!(
        std::fs::read(f.pdf()).unwrap(),
        good,
        "a failed rebuild changed the PDF"
    );

    // Fixed (with a new figure): the watcher rebuilds and the new figure is in the PDF.
    f.write_atomic(
        "data/so-lieu/nong-nghiep.yaml",
        &original.replacen("lua_xuan_nang_suat: 56", "lua_xuan_nang_suat: 58", 1),
    );
    w.wait_lines("đã dựng lại", 1);
    let fixed = std::fs::read(f.pdf()).unwrap();
    assert_ne!(fixed, good);
    assert!(pdf_text(&f.pdf()).contains("Năng suất: 58 tạ/ha"));

    // A broken template: the template and line are named; the PDF still stays.
    let tpl = f.read("templates/phu-luc/bieu-chi-tieu.typ.j2");
    f.write_atomic(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "Dòng một\n\n#khong-co-ham()\n",
    );
    w.wait_lines("chưa dựng được", 2);
    assert!(
        w.stderr()
            .contains("templates/phu-luc/bieu-chi-tieu.typ.j2:3"),
        "{}",
        w.stderr()
    );
    assert_eq!(std::fs::read(f.pdf()).unwrap(), fixed);
    f.write_atomic("templates/phu-luc/bieu-chi-tieu.typ.j2", &tpl);
    w.wait_lines("đã dựng lại", 2);
    assert!(pdf_text(&f.pdf()).contains("Năng suất: 58 tạ/ha"));
    assert!(
        w.child.try_wait().unwrap().is_none(),
        "watch must keep running after errors"
    );
}

#[test]
fn editor_droppings_do_not_trigger_a_rebuild() {
    let f = Fixture::default_report();
    let mut w = Watcher::start(&f, &[]);
    w.wait_lines("đã ghi", 1);
    f.write("data/chi-tieu/.kinh-te.yaml.swp", "rác");
    f.write("templates/nd30.typ~", "rác");
    std::thread::sleep(Duration::from_millis(600));
    assert!(!w.stdout().contains("thay đổi:"), "{}", w.stdout());
    // A real change still does.
    edit_atomic(&f, "data/bao-cao.yaml", "ngay: /6/2024", "ngay: 20/6/2024");
    w.wait_lines("đã dựng lại", 1);
    assert!(pdf_text(&f.pdf()).contains("ngày 20 tháng 6 năm 2024"));
}

#[test]
fn a_pdf_written_into_a_watched_folder_does_not_loop() {
    let f = Fixture::default_report();
    let mut w = Watcher::start(&f, &["-o", "templates/ban-in.pdf", "--max-rebuilds", "1"]);
    w.wait_lines("đã ghi", 1);
    std::thread::sleep(Duration::from_millis(800));
    assert!(!w.stdout().contains("thay đổi:"), "{}", w.stdout());
    edit_atomic(
        &f,
        "data/chi-tieu/kinh-te.yaml",
        "thuc_hien: 155,108",
        "thuc_hien: 160,2",
    );
    assert!(w.wait_exit().success());
    let out = w.stdout();
    assert_eq!(out.matches("thay đổi:").count(), 1, "{out}");
    assert!(
        out.contains("thay đổi: data/chi-tieu/kinh-te.yaml\n"),
        "{out}"
    );
    assert!(pdf_text(&f.path("templates/ban-in.pdf")).contains("160,2/329,130"));
}

#[test]
fn every_format_asked_for_is_rebuilt() {
    let f = Fixture::default_report();
    let html = f.path("output/bao-cao-6-thang-2024.html");
    let mut w = Watcher::start(&f, &["--format", "pdf,html", "--max-rebuilds", "1"]);
    w.wait_lines("đã ghi", 1);
    assert!(
        w.stdout()
            .contains("đã ghi output/bao-cao-6-thang-2024.pdf, output/bao-cao-6-thang-2024.html ("),
        "{}",
        w.stdout()
    );
    let before = std::fs::read_to_string(&html).unwrap();
    assert!(before.contains("155,108/329,130"));
    edit_atomic(
        &f,
        "data/chi-tieu/kinh-te.yaml",
        "thuc_hien: 155,108",
        "thuc_hien: 160,2",
    );
    assert!(w.wait_exit().success(), "{}", w.stderr());
    let out = w.stdout();
    // Writing the HTML (in output/, not watched) triggers nothing; one change, one rebuild.
    assert_eq!(out.matches("thay đổi:").count(), 1, "{out}");
    assert!(
        out.contains(
            "đã dựng lại output/bao-cao-6-thang-2024.pdf, output/bao-cao-6-thang-2024.html ("
        ),
        "{out}"
    );
    let after = std::fs::read_to_string(&html).unwrap();
    assert!(
        after.contains("160,2/329,130"),
        "the HTML has the new figure"
    );
    assert!(after.contains("Thu ngân sách thành phố đạt 48,67% kế hoạch"));
    assert!(pdf_text(&f.pdf()).contains("160,2/329,130"));
}

/// The resident memory of a process, in KiB (Linux).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line["VmRSS:".len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Issue 16, item 4: two links back up the tree (`data/so-lieu/a -> ..`, `b -> ..`) made the
/// scan walk an ever-growing tree: no build started and memory grew without bound. Each real
/// folder is walked once now.
#[cfg(unix)]
#[test]
fn symlink_cycles_do_not_stop_watch() {
    let f = Fixture::default_report();
    std::os::unix::fs::symlink("..", f.path("data/so-lieu/a")).unwrap();
    std::os::unix::fs::symlink("..", f.path("data/so-lieu/b")).unwrap();
    std::os::unix::fs::symlink(".", f.path("templates/chinh-no")).unwrap();
    let mut w = Watcher::start(&f, &["--max-rebuilds", "1"]);
    let t0 = Instant::now();
    while !w.stdout().contains("đã ghi") {
        if let Ok(Some(status)) = w.child.try_wait() {
            panic!("watch exited ({status}):\n{}\n{}", w.stdout(), w.stderr());
        }
        // Fail fast (and spare the machine) if the scan runs away again.
        let rss = rss_kib(w.child.id()).unwrap_or(0);
        assert!(
            rss < 400_000,
            "watch holds {rss} KiB before its first build"
        );
        assert!(t0.elapsed() < TIMEOUT, "no build started:\n{}", w.stdout());
        std::thread::sleep(Duration::from_millis(100));
    }
    // A change inside the cycle is still seen once, by its real path.
    edit_atomic(&f, "data/bao-cao.yaml", "ngay: /6/2024", "ngay: 20/6/2024");
    assert!(w.wait_exit().success());
    let out = w.stdout();
    assert!(out.contains("thay đổi: data/bao-cao.yaml\n"), "{out}");
    assert!(pdf_text(&f.pdf()).contains("ngày 20 tháng 6 năm 2024"));
}

/// Issue 18: a `watch` rebuild after a figure changed under its stated ratio still writes the
/// PDF, warns with the indicator, the ratio and both figures, and marks the PDF DỰ THẢO.
#[test]
fn a_rebuild_warns_of_a_stale_stated_ratio() {
    let f = Fixture::default_report();
    let mut w = Watcher::start(&f, &["--max-rebuilds", "1"]);
    w.wait_lines("đã ghi", 1);
    assert!(!w.stderr().contains("tỷ lệ đã cũ"), "{}", w.stderr());
    // thu_ngan_sach's 115,7% of last year was stated for `thuc_hien` 155,108.
    edit_atomic(
        &f,
        "data/chi-tieu/kinh-te.yaml",
        "thuc_hien: 155,108        # đến ngày chốt số liệu 31/5",
        "thuc_hien: 160,2          # đến ngày chốt số liệu 31/5",
    );
    assert!(w.wait_exit().success(), "{}", w.stderr());
    let err = w.stderr();
    assert!(
        err.contains(
            "cảnh báo: chỉ tiêu `thu_ngan_sach` (Thu ngân sách thành phố), kỳ 6-thang: tỷ lệ so \
             với cùng kỳ ghi tay 115,7% là của `thuc_hien` 155,108, nay `thuc_hien` là 160,2: tỷ \
             lệ đã cũ, bản in DỰ THẢO cho đến khi cập nhật tỷ lệ"
        ),
        "{err}"
    );
    assert!(w.stdout().contains("đã dựng lại"), "{}", w.stdout());
    assert!(
        pdf_info(&f.pdf()).contains("DỰ THẢO - Báo cáo"),
        "{}",
        pdf_info(&f.pdf())
    );
}
