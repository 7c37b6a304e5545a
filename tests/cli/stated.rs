//! Stated ratios and implied bases (issue 18): a changed figure never leaves a stale ratio
//! behind. A ratio replaced by its implied base is recomputed; a ratio that stays stated and
//! no longer belongs to its figure makes `build` and `check` warn, the PDF a draft, and `diff`
//! list it; `check --apply-bases` changes only the lines it reports and no printed word.

use std::collections::BTreeMap;

use crate::fixture::*;

const PERIODS: [&str; 4] = ["quy-1", "6-thang", "9-thang", "ca-nam"];
const KINH_TE: &str = "data/chi-tieu/kinh-te.yaml";

/// The text of each period's PDF, built to `<tag>-<period>.pdf`.
fn texts(f: &Fixture, tag: &str) -> Vec<String> {
    PERIODS
        .iter()
        .map(|p| {
            let out = format!("{tag}-{p}.pdf");
            f.run(&["build", "--period", p, "-o", &out]).success();
            pdf_text(&f.path(&out))
        })
        .collect()
}

/// The PDF's title (pdfinfo).
fn title(f: &Fixture) -> String {
    pdf_info(&f.pdf())
        .lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The changes `check --apply-bases` printed, by file: (line, removed lines, added lines),
/// each line trimmed.
type Reported = BTreeMap<String, Vec<(usize, Vec<String>, Vec<String>)>>;

fn reported(stdout: &str) -> Reported {
    let mut out: Reported = BTreeMap::new();
    let mut current: Option<(String, usize)> = None;
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("  - ") {
            let (file, at) = current.clone().expect("a change header");
            let list = out.entry(file).or_default();
            match list.last_mut() {
                Some(c) if c.0 == at => c.1.push(rest.to_string()),
                _ => list.push((at, vec![rest.to_string()], vec![])),
            }
        } else if let Some(rest) = line.strip_prefix("  + ") {
            let (file, at) = current.clone().expect("a change header");
            let c = out
                .get_mut(&file)
                .and_then(|l| l.last_mut())
                .expect("- first");
            assert_eq!(c.0, at);
            c.2.push(rest.to_string());
        } else if line.starts_with("data/") && line.contains(": chỉ tiêu `") {
            let mut parts = line.splitn(3, ':');
            let file = parts.next().unwrap().to_string();
            let at = parts.next().unwrap().parse().expect("a line number");
            current = Some((file, at));
        }
    }
    out
}

/// `old` with the reported changes made, every line trimmed.
fn replay(old: &str, changes: &[(usize, Vec<String>, Vec<String>)]) -> Vec<String> {
    let old: Vec<String> = old.lines().map(|l| l.trim().to_string()).collect();
    let mut out = vec![];
    let mut next = 1;
    for (at, removed, added) in changes {
        assert!(*at >= next, "changes out of order at line {at}");
        out.extend(old[next - 1..at - 1].iter().cloned());
        assert_eq!(
            &old[at - 1..at - 1 + removed.len()],
            removed.as_slice(),
            "the `-` lines at {at} are the file's"
        );
        out.extend(added.iter().cloned());
        next = at + removed.len();
    }
    out.extend(old[next - 1..].iter().cloned());
    out
}

/// `check --apply-bases` on the built-in data as it was (every ratio written alone): only the
/// lines it reports change, 23 ratios become bases and 95 are tied to their figure, the text
/// of every period's PDF is the same before and after, and a second run changes nothing.
#[test]
fn apply_bases_changes_only_the_lines_it_reports_and_no_printed_word() {
    let f = Fixture::default_report();
    let legacy = repo().join("tests/stated/legacy-chi-tieu");
    let mut before_files = BTreeMap::new();
    for e in std::fs::read_dir(&legacy).unwrap() {
        let p = e.unwrap().path();
        let name = format!("data/chi-tieu/{}", p.file_name().unwrap().to_str().unwrap());
        let text = std::fs::read_to_string(&p).unwrap();
        f.write(&name, &text);
        before_files.insert(name, text);
    }
    let before = texts(&f, "truoc");
    let r = f.run(&["check", "--apply-bases"]).success();
    let out = r.stdout();
    assert!(
        out.contains(
            "đã thay 23 tỷ lệ ghi tay bằng số cùng kỳ, ghi kèm số liệu cho 95 tỷ lệ, giữ nguyên 0 \
             tỷ lệ đã ghi kèm số liệu; đã sửa 3 tệp"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "data/chi-tieu/kinh-te.yaml:326: chỉ tiêu `tong_dan_trau`, kỳ 6-thang: \
             `so_voi_cung_ky` 94,09% thay bằng số cùng kỳ `cung_ky: 1.218` (1.146 / 1.218 = 94,09%)\n  \
             - so_voi_cung_ky: 94,09\n  \
             + cung_ky: 1.218  # suy từ so_voi_cung_ky: 94,09 (1.146 / 1.218 = 94,09%)\n"
        ),
        "{out}"
    );
    let changes = reported(&out);
    assert_eq!(changes.len(), 3, "{changes:?}");
    for (name, old) in &before_files {
        let now: Vec<String> = f.read(name).lines().map(|l| l.trim().to_string()).collect();
        let list = changes.get(name).map(Vec::as_slice).unwrap_or_default();
        assert_eq!(
            now,
            replay(old, list),
            "{name}: a line changed that was not reported"
        );
    }
    // No printed word changed, in any period.
    let after = texts(&f, "sau");
    for ((p, a), b) in PERIODS.iter().zip(&before).zip(&after) {
        assert_eq!(a, b, "the text of the {p} report changed");
    }
    // Nothing left to do.
    let converted: Vec<String> = before_files.keys().map(|n| f.read(n)).collect();
    f.run(&["check", "--apply-bases"])
        .success()
        .stdout_contains(
            "đã thay 0 tỷ lệ ghi tay bằng số cùng kỳ, ghi kèm số liệu cho 0 tỷ lệ, giữ nguyên 95",
        );
    let again: Vec<String> = before_files.keys().map(|n| f.read(n)).collect();
    assert_eq!(converted, again);
}

/// The shipped data is converted: nothing left to apply, and no ratio without its figure.
#[test]
fn the_built_in_data_records_every_stated_ratio() {
    let f = Fixture::default_report();
    let kinh_te = f.read(KINH_TE);
    let r = f.run(&["check", "--apply-bases"]).success();
    assert!(
        !r.stderr().contains("không ghi số liệu nó ứng với"),
        "{}",
        r.stderr()
    );
    r.stdout_contains("đã thay 0 tỷ lệ ghi tay bằng số cùng kỳ, ghi kèm số liệu cho 0 tỷ lệ");
    assert_eq!(f.read(KINH_TE), kinh_te);
}

/// The case, base stored: `thuc_hien` of `tong_dan_trau` from 1.146 to 1.200
/// recomputes the comparison with last year, 1.200 / 1.218 = 98,52 %.
#[test]
fn a_changed_figure_recomputes_its_ratio_from_the_implied_base() {
    let f = Fixture::default_report();
    f.edit(
        KINH_TE,
        "        thuc_hien: 1.146\n        cung_ky: 1.218",
        "        thuc_hien: 1.200\n        cung_ky: 1.218",
    );
    let r = f.run(&["build"]).success();
    assert!(!r.stderr().contains("tỷ lệ đã cũ"), "{}", r.stderr());
    let t = pdf_text(&f.pdf());
    assert!(
        t.contains("1.200/1.220 con, đạt 98,36% kế hoạch, bằng 98,52% so với cùng kỳ"),
        "{t}"
    );
    assert!(!title(&f).starts_with("DỰ THẢO"), "{}", title(&f));
}

/// The tied form of the same ratio, as when no single base fits.
const TIED: &str = "        so_voi_cung_ky:\n          ty_le: 94,09\n          thuc_hien: 1.146\n";
const BASE_LINE: &str =
    "        cung_ky: 1.218  # suy từ so_voi_cung_ky: 94,09 (1.146 / 1.218 = 94,09%)\n";

/// The case, ratio still stated: `build` writes the PDF with a warning naming the
/// indicator, the ratio, the figure it belonged to and the figure now; the PDF is DỰ THẢO;
/// `check` warns too; `diff` lists it under its heading with file:line; once the ratio is
/// updated, all is clean.
#[test]
fn a_stale_stated_ratio_warns_marks_the_draft_and_is_listed_by_diff() {
    let f = Fixture::default_report();
    f.edit(KINH_TE, BASE_LINE, TIED);
    let r = f.run(&["build"]).success();
    assert!(!r.stderr().contains("tỷ lệ đã cũ"), "{}", r.stderr());
    assert!(!title(&f).starts_with("DỰ THẢO"), "{}", title(&f));
    copy_dir(&f.path("data"), &f.path("cu/data"));
    let line = {
        let t = f.read(KINH_TE);
        t[..t.find(TIED).expect("the tied ratio")].lines().count() + 1
    };

    f.edit(
        KINH_TE,
        &format!("        thuc_hien: 1.146\n{TIED}"),
        &format!("        thuc_hien: 1.200\n{TIED}"),
    );
    let warning = "cảnh báo: chỉ tiêu `tong_dan_trau` (Tổng đàn trâu), kỳ 6-thang: tỷ lệ so với \
                   cùng kỳ ghi tay 94,09% là của `thuc_hien` 1.146, nay `thuc_hien` là 1.200: tỷ \
                   lệ đã cũ, bản in DỰ THẢO cho đến khi cập nhật tỷ lệ";
    let at = format!(" --> data/chi-tieu/kinh-te.yaml:{line}:9");
    let r = f.run(&["build"]).success();
    assert!(r.stderr().contains(warning), "{}", r.stderr());
    assert!(r.stderr().contains(&at), "{}", r.stderr());
    assert!(f.pdf().exists());
    assert!(title(&f).starts_with("DỰ THẢO - "), "{}", title(&f));
    // The stale ratio is still what the sentence prints, beside the new figure.
    assert!(pdf_text(&f.pdf()).contains("1.200/1.220 con, đạt 98,36% kế hoạch, bằng 94,09%"));
    f.run(&["check"]).success().stderr_contains(warning);
    let d = f.run(&["diff", "cu/data"]).success();
    let out = d.stdout();
    let heading = out
        .find("tỷ lệ ghi tay cần cập nhật: 1")
        .unwrap_or_else(|| panic!("{out}"));
    let listed = &out[heading..];
    assert!(
        listed.contains(
            "  chỉ tiêu `tong_dan_trau` (Tổng đàn trâu), kỳ 6-thang: tỷ lệ so với cùng kỳ ghi tay \
             94,09% là của `thuc_hien` 1.146, nay `thuc_hien` là 1.200\n     --> \
             data/chi-tieu/kinh-te.yaml:"
        ),
        "{listed}"
    );
    assert!(
        listed.contains(&format!("kinh-te.yaml:{line}:9\n")),
        "{listed}"
    );

    // The ratio updated with its figure: no warning, no draft.
    f.edit(
        KINH_TE,
        "          ty_le: 94,09\n          thuc_hien: 1.146\n",
        "          ty_le: 98,52\n          thuc_hien: 1.200\n",
    );
    let r = f.run(&["build"]).success();
    assert!(!r.stderr().contains("tỷ lệ đã cũ"), "{}", r.stderr());
    assert!(!title(&f).starts_with("DỰ THẢO"), "{}", title(&f));
}

/// A ratio written alone cannot be told stale: `check` warns, naming the unique base; when
/// its figure changes, `diff` still lists it (the ratio did not change with its figure).
#[test]
fn a_ratio_written_alone_is_a_warning_and_diff_lists_it_when_its_figure_changes() {
    let f = Fixture::default_report();
    f.edit(KINH_TE, BASE_LINE, "        so_voi_cung_ky: 94,09\n");
    f.run(&["check"])
        .success()
        .stderr_contains(
            "cảnh báo: chỉ tiêu `tong_dan_trau` (Tổng đàn trâu), kỳ 6-thang: tỷ lệ so với cùng kỳ \
             ghi tay 94,09% không ghi số liệu nó ứng với",
        )
        .stderr_contains("gợi ý: số cùng kỳ duy nhất cho tỷ lệ này: `cung_ky: 1.218`");
    // `build` counts it with the other arithmetic warnings.
    f.run(&["build"])
        .success()
        .stderr_contains("cảnh báo: số liệu có 3 cảnh báo số học");
    copy_dir(&f.path("data"), &f.path("cu/data"));
    f.edit(
        KINH_TE,
        "        thuc_hien: 1.146\n        so_voi_cung_ky: 94,09\n",
        "        thuc_hien: 1.200\n        so_voi_cung_ky: 94,09\n",
    );
    f.run(&["diff", "cu/data"])
        .success()
        .stdout_contains("tỷ lệ ghi tay cần cập nhật: 1")
        .stdout_contains(
            "chỉ tiêu `tong_dan_trau` (Tổng đàn trâu), kỳ 6-thang: tỷ lệ so với cùng kỳ ghi tay \
             94,09% không đổi, nhưng số liệu đổi từ 1.146 thành 1.200 (tính lại: khoảng 98,52%)",
        );
}

/// The block form's mistakes are errors where they stand.
#[test]
fn the_block_form_is_checked() {
    let f = Fixture::default_report();
    f.edit(
        KINH_TE,
        BASE_LINE,
        "        so_voi_cung_ky:\n          ty_le: 94,09\n          thuc_hein: 1.146\n",
    );
    f.run(&["check"])
        .failure()
        .stderr_contains("lỗi: trường `thuc_hein` không có trong mẫu dữ liệu")
        .stderr_contains("gợi ý: có phải là `thuc_hien`?");
    f.edit(KINH_TE, "          thuc_hein: 1.146\n", "");
    f.run(&["check"])
        .failure()
        .stderr_contains("lỗi: tỷ lệ ghi tay chưa ghi số liệu nó ứng với");
    f.edit(
        KINH_TE,
        "          ty_le: 94,09\n",
        "          ty_le: 94.09\n          thuc_hien: 1.146\n",
    );
    f.run(&["check"])
        .failure()
        .stderr_contains("lỗi: `94.09` không đúng cách viết số của báo cáo");
}

/// A copy of a folder and its subfolders.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

/// A ratio YAML reads as a float (`1.146`, a thousands separator) is read from its own text:
/// 1.146 %, not 1,146 %.
#[test]
fn a_ratio_with_a_thousands_separator_is_read_as_written() {
    let f = Fixture::default_report();
    f.write(
        "data/chi-tieu/thu.yaml",
        "chi_tieu:\n  - id: thu_a\n    ten: A\n    ky:\n      6-thang:\n        thuc_hien: 11.460\n        so_voi_cung_ky:\n          ty_le: 1.146\n          thuc_hien: 11.460\n  - id: thu_b\n    ten: B\n    ky:\n      6-thang:\n        thuc_hien: 5\n        so_voi_cung_ky: 1.150\n",
    );
    f.write(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "Câu thử: {{ so_cung_ky(ct.thu_a, 0) }} và {{ so_cung_ky(ct.thu_b, 0) }}.\n",
    );
    f.run(&["build"]).success();
    assert!(
        pdf_text(&f.pdf()).contains("Câu thử: 1.146% và 1.150%."),
        "{}",
        pdf_text(&f.pdf())
    );
}
