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

/// `-o` and `--pdf-a` reach the worker that rebuilds: the first build and the rebuild both
/// write the archival PDF to the file asked for.
#[test]
fn the_worker_keeps_the_output_file_and_pdf_a() {
    let f = Fixture::default_report();
    let out = f.path("ban-luu.pdf");
    let mut w = Watcher::start(&f, &["-o", "ban-luu.pdf", "--pdf-a", "--max-rebuilds", "1"]);
    w.wait_lines("đã ghi", 1);
    let archival =
        |bytes: &[u8]| String::from_utf8_lossy(bytes).contains("<pdfaid:part>2</pdfaid:part>");
    assert!(archival(&std::fs::read(&out).unwrap()), "the first build");
    edit_atomic(
        &f,
        "data/chi-tieu/kinh-te.yaml",
        "thuc_hien: 155,108",
        "thuc_hien: 160,2",
    );
    assert!(w.wait_exit().success(), "{}", w.stderr());
    assert!(
        w.stdout().contains("đã dựng lại ban-luu.pdf ("),
        "{}",
        w.stdout()
    );
    let rebuilt = std::fs::read(&out).unwrap();
    assert!(archival(&rebuilt), "the rebuild");
    assert!(pdf_text(&out).contains("160,2/329,130"));
    assert!(!f.pdf().exists(), "nothing at the default output");
}

/// The processes whose parent is `pid` and that are not yet ended (zombies left out).
fn live_children(pid: u32) -> Vec<u32> {
    let mut out = vec![];
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(child) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`: comm may hold spaces, so split after its `)`.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(1) == Some(&pid.to_string().as_str()) && fields.first() != Some(&"Z") {
            out.push(child);
        }
    }
    out
}

/// Issue 17: a runaway template used to hang watch (Typst cannot be interrupted). Each
/// rebuild runs in a worker process under the time and memory limits: a runaway is reported,
/// the old PDF stays, watch goes on, and the next good save rebuilds.
#[test]
fn a_runaway_template_is_reported_and_the_next_good_save_rebuilds() {
    let f = Fixture::default_report();
    let tpl = "templates/phan-1/mo-dau.typ.j2";
    let original = f.read(tpl);
    let mut w = Watcher::start(&f, &["--time-limit", "4", "--memory-limit", "768"]);
    w.wait_lines("đã ghi", 1);
    let good = std::fs::read(f.pdf()).unwrap();
    let workers = live_children(w.child.id());
    assert_eq!(workers.len(), 1, "one worker: {workers:?}");

    // A Typst loop that runs for minutes: stopped at the time limit, in the worker.
    f.write_atomic(
        tpl,
        &format!("{original}#for i in range(100000) {{ for j in range(100000) {{}} }}\n"),
    );
    w.wait_lines("chưa dựng được", 1);
    assert!(
        w.stderr().contains(
            "lỗi: vượt giới hạn thời gian 4 giây khi đang dàn trang (Typst): đã dừng, các tệp đã có giữ nguyên\n"
        ),
        "{}",
        w.stderr()
    );
    assert_eq!(std::fs::read(f.pdf()).unwrap(), good, "the PDF changed");

    // Fixed, with a new word: a fresh worker rebuilds it.
    f.write_atomic(tpl, &original.replacen("quyết\n", "quyết liệt,\n", 1));
    w.wait_lines("đã dựng lại", 1);
    assert!(pdf_text(&f.pdf()).contains("quyết liệt,"));
    let fixed = std::fs::read(f.pdf()).unwrap();

    // A Typst loop that grows without bound: stopped at the memory limit.
    f.write_atomic(
        tpl,
        &format!("{original}#for i in range(1000000000) {{}}\n"),
    );
    w.wait_lines("chưa dựng được", 2);
    assert!(
        w.stderr()
            .contains("lỗi: vượt giới hạn bộ nhớ 768 MiB khi đang dàn trang (Typst)"),
        "{}",
        w.stderr()
    );
    assert_eq!(std::fs::read(f.pdf()).unwrap(), fixed, "the PDF changed");

    // A minijinja loop that never ends: an error at its line (the worker lives on).
    f.write_atomic(
        tpl,
        &format!(
            "{original}{{% for i in range(100000) %}}{{% for j in range(100000) %}}{{% endfor %}}{{% endfor %}}\n"
        ),
    );
    w.wait_lines("chưa dựng được", 3);
    assert!(
        w.stderr().contains("mẫu chạy quá giới hạn 10.000.000 bước")
            && w.stderr().contains(&format!("{tpl}:65")),
        "{}",
        w.stderr()
    );
    assert_eq!(std::fs::read(f.pdf()).unwrap(), fixed, "the PDF changed");

    f.write_atomic(tpl, &original);
    w.wait_lines("đã dựng lại", 2);
    assert_eq!(
        std::fs::read(f.pdf()).unwrap(),
        good,
        "back to the first text, back to the first bytes"
    );
    for bad in ["panicked", "backtrace", "memory allocation of"] {
        assert!(!w.stderr().contains(bad), "{}", w.stderr());
    }
    assert!(
        w.child.try_wait().unwrap().is_none(),
        "watch must keep running"
    );
    assert!(
        std::fs::read_dir(f.path("output")).unwrap().count() == 1,
        "a temporary file was left"
    );

    // Killed (as by `kill -9`), the watch takes its worker with it.
    let workers = live_children(w.child.id());
    assert_eq!(workers.len(), 1, "one worker: {workers:?}");
    let _ = w.child.kill();
    let _ = w.child.wait();
    let t0 = Instant::now();
    while std::fs::read_to_string(format!("/proc/{}/stat", workers[0])).is_ok_and(|s| {
        !s.rsplit_once(')')
            .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
    }) {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "the worker outlived its watch"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
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
