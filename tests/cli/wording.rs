//! Wording that holds for any figure (issue 12, items 4-8): a missing figure, a plan of 0, a
//! rate indicator, the appendix's decimals, and punctuation typed by the user. Each test builds
//! the default report with one more indicator (data/chi-tieu/thu.yaml), a sentence about it at
//! the end of Phần thứ hai, and a row for it in the appendix, then reads the PDF's text.

use crate::fixture::*;

/// The default report with `yaml` as data/chi-tieu/thu.yaml (one or more indicators), the
/// template line `sentence` after the last paragraph of Phần thứ hai, and the indicators `ids`
/// in a third group of the appendix.
fn report_with(yaml: &str, sentence: &str, ids: &[&str]) -> Fixture {
    let f = Fixture::default_report();
    f.write("data/chi-tieu/thu.yaml", yaml);
    let tpl = "templates/phan-2/nhiem-vu.typ.j2";
    let text = f.read(tpl);
    f.write(tpl, &format!("{text}\n\n{sentence}\n"));
    let bieu = f.read("data/bieu.yaml");
    let rows: String = ids.iter().map(|id| format!("      - {id}\n")).collect();
    f.write(
        "data/bieu.yaml",
        &format!("{bieu}  - ten: Nhóm thử\n    chi_tieu:\n{rows}"),
    );
    f
}

/// The appendix row of `name`: the text from the name to the end of the line it is on.
fn appendix_row(f: &Fixture, name: &str) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", f.pdf().to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed by the tests");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text
        .lines()
        .rfind(|l| l.contains(name))
        .unwrap_or_else(|| panic!("no appendix row for {name}"));
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `n` characters of `t` from where `needle` starts (the start of `t` when it is absent).
fn around(t: &str, needle: &str, n: usize) -> String {
    t[t.find(needle).unwrap_or(0)..].chars().take(n).collect()
}

/// Item 4: a plan exists but the period has no figure: the words say so, not "chưa có kế hoạch".
#[test]
fn a_missing_figure_is_not_a_missing_plan() {
    let f = report_with(
        "chi_tieu:\n  - id: thu_a\n    ten: Chỉ tiêu thử A\n    don_vi: con\n    ke_hoach: 100\n    ky:\n      9-thang:\n        thuc_hien: 50\n",
        "Câu thử A: {{ pt_ke_hoach(ct.thu_a, 1) }}; {{ so_cung_ky(ct.thu_a, 1) }}.",
        &["thu_a"],
    );
    f.run(&["build"]).success();
    let t = pdf_text(&f.pdf());
    assert!(
        t.contains("Câu thử A: chưa có số liệu; chưa có số cùng kỳ."),
        "{}",
        around(&t, "Câu thử A", 120)
    );
    assert!(!t.contains("Câu thử A: chưa có kế hoạch"));
    // The appendix cell wraps: read the cells in content order.
    let raw = around(&pdf_text_raw(&f.pdf()), "Chỉ tiêu thử A", 60);
    assert!(raw.contains("chưa đến kỳ đánh giá"), "{raw}");
}

/// Item 5: a plan of 0 says "kế hoạch bằng 0" (not "số gốc bằng 0") in every sentence form,
/// the appendix does not say "Đạt", and `check` warns.
#[test]
fn a_plan_of_zero_has_its_own_words() {
    let f = report_with(
        "chi_tieu:\n  - id: thu_b\n    ten: Chỉ tiêu thử B\n    don_vi: vụ\n    ke_hoach: 0\n    ky:\n      6-thang:\n        thuc_hien: 3\n        cung_ky: 4\n",
        "Câu thử B: {{ pt_ke_hoach(ct.thu_b, 1) }}; {{ ty_le(ct.thu_b.th, ct.thu_b.kh, 1) }}; {{ tom_tat(ct.thu_b) }}.",
        &["thu_b"],
    );
    f.run(&["build"]).success();
    let t = pdf_text(&f.pdf());
    let at = t.find("Câu thử B").expect("the sentence");
    let s = &t[at..t[at..].find('.').map_or(t.len(), |e| at + e + 1)];
    assert!(!s.contains("số gốc"), "{s}");
    assert_eq!(
        s,
        "Câu thử B: không so sánh được (kế hoạch bằng 0); không so sánh được (kế hoạch bằng 0); \
         3/0 vụ, bằng 75,0% so với cùng kỳ."
    );
    let row = appendix_row(&f, "Chỉ tiêu thử B");
    assert!(!row.contains("Đạt"), "{row}");
    assert!(row.contains("Kế hoạch bằng 0"), "{row}");
    f.run(&["check"])
        .success()
        .stderr_contains("cảnh báo: chỉ tiêu `thu_b` (Chỉ tiêu thử B): kế hoạch bằng 0")
        .stderr_contains("data/chi-tieu/thu.yaml:5");
}

/// Item 6: a rate changes by percentage points; its ratio to last year stays a ratio.
#[test]
fn a_rate_changes_by_percentage_points() {
    let f = report_with(
        "chi_tieu:\n  - id: thu_c\n    ten: Tỷ lệ thử C\n    don_vi: \"%\"\n    so_thap_phan: 2\n    cao_hon_tot: false\n    ky:\n      6-thang:\n        thuc_hien: 0,79\n        cung_ky: 0,95\n  - id: thu_d\n    ten: Tỷ lệ thử D\n    don_vi: \"%\"\n    ky:\n      6-thang:\n        thuc_hien: 2,53\n        cung_ky: 2,4\n",
        "Câu thử C: {{ tang_giam(ct.thu_c) }}, bằng {{ so_cung_ky(ct.thu_c) }} {{ ky.so_sanh }}; \
         D {{ tang_giam(ct.thu_d) }}, {{ tang_giam(ct.thu_d, 2) }}.",
        &["thu_c"],
    );
    f.run(&["build"]).success();
    let t = pdf_text(&f.pdf());
    assert!(
        t.contains(
            "Câu thử C: giảm 0,16 điểm phần trăm so với cùng kỳ, bằng 83,16% so với cùng kỳ; \
             D tăng 0,1 điểm phần trăm so với cùng kỳ, tăng 0,13 điểm phần trăm so với cùng kỳ."
        ),
        "{}",
        around(&t, "Câu thử C", 200)
    );
    // The appendix keeps the ratio.
    let row = appendix_row(&f, "Tỷ lệ thử C");
    assert!(row.contains("83,16"), "{row}");
}

/// Item 7: the appendix's % columns print at the indicator's `so_thap_phan`, as the text does.
#[test]
fn the_appendix_follows_so_thap_phan() {
    let f = report_with(
        "chi_tieu:\n  - id: thu_e\n    ten: Chỉ tiêu thử E\n    don_vi: ha\n    so_thap_phan: 1\n    ke_hoach: 1.000\n    ky:\n      6-thang:\n        thuc_hien: 926,4\n        cung_ky: 900\n  - id: thu_f\n    ten: Chỉ tiêu thử F\n    don_vi: ha\n    so_thap_phan: 0\n    ke_hoach: 1.000\n    ky:\n      6-thang:\n        thuc_hien: 926,4\n        so_voi_cung_ky: 102,93\n",
        "Câu thử E: {{ tom_tat(ct.thu_e) }}; F {{ tom_tat(ct.thu_f) }}.",
        &["thu_e", "thu_f"],
    );
    f.run(&["build"]).success();
    let t = pdf_text(&f.pdf());
    assert!(
        t.contains("Câu thử E: 926,4/1.000 ha, đạt 92,6% kế hoạch, bằng 102,9% so với cùng kỳ; F 926,4/1.000 ha, đạt 93% kế hoạch, bằng 103% so với cùng kỳ."),
        "{}",
        around(&t, "Câu thử E", 200)
    );
    let e = appendix_row(&f, "Chỉ tiêu thử E");
    assert!(e.ends_with("ha 1.000 926,4 92,6 102,9"), "{e}");
    let f_row = appendix_row(&f, "Chỉ tiêu thử F");
    assert!(f_row.ends_with("ha 1.000 926,4 93 103"), "{f_row}");
}

/// Item 8: a recipient typed with its own ';' and `luu` typed with its own '.' print once.
#[test]
fn punctuation_typed_by_the_user_is_never_doubled() {
    let f = Fixture::default_report();
    f.edit(
        "data/bao-cao.yaml",
        "  - Thường trực Thành ủy\n",
        "  - Thường trực Thành ủy;\n  - \"- Sở Tài chính.\"\n  - \"Sở Xây dựng ;\"\n",
    );
    f.edit("data/bao-cao.yaml", "luu: VT", "luu: VT, TH.");
    f.run(&["build"]).success();
    let t = pdf_text(&f.pdf());
    let start = t.find("Nơi nhận:").expect("Nơi nhận");
    let t = &t[start..start + t[start..].find("Biểu số").expect("the appendix")];
    for doubled in [";;", "..", "; ;", "- -", "Tài chính.;", "Sở Xây dựng ;"] {
        assert!(!t.contains(doubled), "`{doubled}` in the Nơi nhận");
    }
    for item in [
        "- Thường trực Thành ủy;",
        "- Sở Tài chính;",
        "- Sở Xây dựng;",
        "- Lưu: VT, TH.",
    ] {
        assert!(t.contains(item), "`{item}` missing");
    }
}
