//! Budgets (issue 17): a runaway template ends with a Vietnamese message and exit code 1,
//! naming the template line (minijinja's fuel, the markup cap) or the stage (Typst, stopped
//! by the time or memory limit), never a backtrace; the last good PDF stays and no temporary
//! file is left. A data string over 100 KB is a warning naming its key and line. (A runaway
//! rebuild in `watch` is in watch.rs; tests/budgets/run.sh measures the runaways under
//! `/usr/bin/time -v`.)

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixture::*;

/// The template runaways are appended to (64 lines: the appended one is line 65).
const TEMPLATE: &str = "templates/phan-1/mo-dau.typ.j2";

/// A copy of the default report with its good PDF built.
fn built_report() -> (Fixture, Vec<u8>) {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let pdf = std::fs::read(f.pdf()).unwrap();
    (f, pdf)
}

fn append(f: &Fixture, rel: &str, text: &str) {
    let mut t = f.read(rel);
    assert!(t.ends_with('\n'));
    t.push_str(text);
    f.write(rel, &t);
}

/// Run, and insist on exit code 1 (not a panic's 101, not a signal), no backtrace, within
/// `max`; the stderr.
fn stopped(f: &Fixture, args: &[&str], max: Duration) -> String {
    let t0 = Instant::now();
    // RUST_BACKTRACE set: a panic would print its backtrace; none may come.
    let run = f.run_env(args, &[("RUST_BACKTRACE", "1")]);
    let took = t0.elapsed();
    let err = run.stderr();
    assert_eq!(run.0.status.code(), Some(1), "{args:?}: {err}");
    assert!(took < max, "{args:?} took {took:?}: {err}");
    for bad in [
        "panicked",
        "backtrace",
        "RUST_BACKTRACE",
        "memory allocation of",
    ] {
        assert!(!err.contains(bad), "{args:?}: `{bad}` in {err}");
    }
    assert!(err.starts_with("lỗi: "), "{args:?}: {err}");
    err
}

/// The output folder holds the good PDF, unchanged, and nothing else.
fn pdf_kept(f: &Fixture, good: &[u8]) {
    assert_eq!(std::fs::read(f.pdf()).unwrap(), good, "the PDF changed");
    let names: Vec<String> = std::fs::read_dir(f.path("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["bao-cao-6-thang-2024.pdf"],
        "a file was left behind"
    );
}

#[test]
fn nested_template_loops_run_out_of_fuel_at_their_line() {
    let (f, good) = built_report();
    append(
        &f,
        TEMPLATE,
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
    );
    for cmd in ["check", "build"] {
        let err = stopped(&f, &[cmd], Duration::from_secs(60));
        assert!(
            err.starts_with(
                "lỗi: mẫu chạy quá giới hạn 10.000.000 bước (fuel của minijinja) khi dựng lời văn: đã dừng\n"
            ),
            "{cmd}: {err}"
        );
        assert!(
            err.contains(&format!(" --> {TEMPLATE}:65\n")),
            "{cmd}: {err}"
        );
        assert!(err.contains("`--template-fuel 20000000`"), "{cmd}: {err}");
    }
    pdf_kept(&f, &good);
    // A smaller budget stops it sooner, with its own number.
    let err = stopped(
        &f,
        &["check", "--template-fuel", "5000"],
        Duration::from_secs(30),
    );
    assert!(err.contains("quá giới hạn 5.000 bước"), "{err}");
    // The default report itself needs far less.
    f.write(TEMPLATE, &Fixture::default_report().read(TEMPLATE));
    f.run(&["check", "--template-fuel", "50000"]).success();
}

/// `diff` and `import` render the templates too (both sides of their comparison): the same
/// fuel stops a runaway loop there, and import writes nothing. `form` renders nothing and
/// takes no limit.
#[test]
fn diff_and_import_run_out_of_fuel_at_their_line() {
    let (f, good) = built_report();
    f.run(&["form", "phieu.xlsx"]).success();
    let data_before = f.read("data/chi-tieu/kinh-te.yaml");
    append(
        &f,
        TEMPLATE,
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
    );
    for args in [
        &["diff", "data"][..],
        &["import", "phieu.xlsx"][..],
        &[
            "import",
            "--dry-run",
            "--template-fuel",
            "5000",
            "phieu.xlsx",
        ][..],
    ] {
        let err = stopped(&f, args, Duration::from_secs(60));
        let fuel = if args.contains(&"5000") {
            "5.000"
        } else {
            "10.000.000"
        };
        assert!(
            err.contains(&format!("mẫu chạy quá giới hạn {fuel} bước")),
            "{args:?}: {err}"
        );
        assert!(err.contains(&format!("{TEMPLATE}:65")), "{args:?}: {err}");
    }
    assert_eq!(f.read("data/chi-tieu/kinh-te.yaml"), data_before);
    pdf_kept(&f, &good);
    let form = f.run(&["form", "--time-limit", "5", "phieu-2.xlsx"]);
    assert_eq!(form.0.status.code(), Some(2), "{}", form.stderr());
}

#[test]
fn a_template_loop_that_writes_without_end_stops_at_the_markup_cap() {
    let (f, good) = built_report();
    append(
        &f,
        TEMPLATE,
        "{% for i in range(100000) %}\n{% for j in range(100000) %}\nDòng {{ i }} {{ j }}\n{% endfor %}\n{% endfor %}\n",
    );
    for cmd in ["check", "build"] {
        let err = stopped(&f, &[cmd], Duration::from_secs(60));
        assert!(
            err.starts_with("lỗi: lời văn dựng từ mẫu vượt giới hạn 16 MiB mã Typst: đã dừng\n"),
            "{cmd}: {err}"
        );
        // The line that was writing, not the loop's end.
        assert!(
            err.contains(&format!(" --> {TEMPLATE}:67\n")),
            "{cmd}: {err}"
        );
        assert!(err.contains("`--markup-limit 32`"), "{cmd}: {err}");
    }
    pdf_kept(&f, &good);
    let err = stopped(
        &f,
        &["check", "--markup-limit", "1"],
        Duration::from_secs(30),
    );
    assert!(err.contains("vượt giới hạn 1 MiB"), "{err}");
}

#[test]
fn a_typst_loop_that_grows_stops_at_the_memory_limit_naming_the_stage() {
    let (f, good) = built_report();
    append(&f, TEMPLATE, "#for i in range(1000000000) {}\n");
    // check does not typeset: the loop is only Typst text to it.
    f.run(&["check"]).success();
    let err = stopped(
        &f,
        &["build", "--memory-limit", "768"],
        Duration::from_secs(60),
    );
    assert!(
        err.starts_with(
            "lỗi: vượt giới hạn bộ nhớ 768 MiB khi đang dàn trang (Typst): đã dừng, các tệp đã có giữ nguyên\n"
        ),
        "{err}"
    );
    assert!(err.contains("`--memory-limit 1536`"), "{err}");
    pdf_kept(&f, &good);
    // One line, no hints, in the short format.
    let err = stopped(
        &f,
        &[
            "build",
            "--memory-limit",
            "512",
            "--diagnostic-format",
            "short",
        ],
        Duration::from_secs(60),
    );
    assert_eq!(
        err,
        "lỗi: vượt giới hạn bộ nhớ 512 MiB khi đang dàn trang (Typst): đã dừng, các tệp đã có giữ nguyên\n"
    );
    pdf_kept(&f, &good);
}

#[test]
fn a_slow_typst_loop_stops_at_the_time_limit_naming_the_stage() {
    let (f, good) = built_report();
    append(
        &f,
        TEMPLATE,
        "#for i in range(100000) { for j in range(100000) {} }\n",
    );
    let t0 = Instant::now();
    let err = stopped(&f, &["build", "--time-limit", "3"], Duration::from_secs(60));
    assert!(t0.elapsed() >= Duration::from_secs(3));
    assert!(
        err.starts_with(
            "lỗi: vượt giới hạn thời gian 3 giây khi đang dàn trang (Typst): đã dừng, các tệp đã có giữ nguyên\n"
        ),
        "{err}"
    );
    assert!(err.contains("`--time-limit 6`"), "{err}");
    pdf_kept(&f, &good);
}

/// The time limit met while the PDF is being written: its temporary file is removed, the old
/// PDF stays.
#[test]
fn a_limit_met_while_writing_removes_the_temporary_file() {
    let (f, good) = built_report();
    f.edit(
        "data/chi-tieu/kinh-te.yaml",
        "thuc_hien: 155,108",
        "thuc_hien: 160,2",
    );
    // `--test-hold-write` waits two minutes once the temporary file is complete.
    let child = Command::new(BIN)
        .args(["build", "--test-hold-write", "--time-limit", "15"])
        .current_dir(&f.root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("(kiểm thử) đang giữ tệp tạm"), "{err}");
    assert!(
        err.contains(
            "lỗi: vượt giới hạn thời gian 15 giây khi đang ghi tệp: đã dừng, các tệp đã có giữ nguyên\n"
        ),
        "{err}"
    );
    pdf_kept(&f, &good);
}

#[test]
fn a_data_string_over_100_kb_is_a_warning_naming_its_key_and_line() {
    let f = Fixture::default_report();
    let file = "data/so-lieu/nong-nghiep.yaml";
    let lines = f.read(file).lines().count();
    // The warnings of the report as it is (the arithmetic summary of main's audit): the long
    // string adds one.
    let before = f.run(&["build"]).success();
    let count = |out: &str| -> usize {
        out.lines()
            .find_map(|l| l.strip_prefix("dựng xong: 0 lỗi, "))
            .and_then(|rest| rest.strip_suffix(" cảnh báo"))
            .map_or(0, |n| n.parse().expect("a count"))
    };
    let warned = count(&before.stdout());
    // 130 KB on one line, as a whole document pasted into a value; and just under 100 KB.
    let long = "Lời văn dán nhầm. ".repeat(6000);
    let short = "x".repeat(100 * 1024);
    append(
        &f,
        file,
        &format!("ghi_chu_dan_nham: {long}\nghi_chu_ngan: {short}\n"),
    );
    // Rounded half up, as the message prints it.
    let kb = (long.trim_end().len() + 512) / 1024;
    let expected = format!(
        "cảnh báo: giá trị của `ghi_chu_dan_nham` dài {kb} KB (trên 100 KB): không câu nào của báo cáo dài như vậy\n --> {file}:{}:19\n",
        lines + 1
    );
    let check = f.run(&["check"]).success();
    assert!(check.stderr().contains(&expected), "{}", check.stderr());
    assert!(
        !check.stderr().contains("ghi_chu_ngan"),
        "{}",
        check.stderr()
    );
    // The huge line is cut in the snippet.
    assert!(
        check.stderr().lines().all(|l| l.chars().count() < 400),
        "{}",
        check.stderr()
    );
    let build = f.run(&["build"]).success();
    assert!(build.stderr().contains(&expected), "{}", build.stderr());
    assert_eq!(count(&build.stdout()), warned + 1, "{}", build.stdout());
    // Deep in a file, the key is named by its path.
    let mut ind = f.read("data/chi-tieu/kinh-te.yaml");
    let at = ind.find("  ten: ").expect("an indicator's name") + 2;
    let end = at + ind[at..].find('\n').unwrap();
    ind.replace_range(at..end, &format!("ten: {long}"));
    f.write("data/chi-tieu/kinh-te.yaml", &ind);
    let check = f.run(&["check"]).success();
    assert!(
        check.stderr().contains(&format!(
            "cảnh báo: giá trị của `chi_tieu[0].ten` dài {kb} KB"
        )),
        "{}",
        check.stderr()
    );
}
