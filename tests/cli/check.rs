//! `baocao check`: every problem at once, each with a location. The messages are compared
//! whole with tests/snapshots/check/*.txt (`BAOCAO_BLESS=1` rewrites them).

use crate::fixture::*;
use crate::snapshot::assert_run;

#[test]
fn default_data_checks_clean_of_errors() {
    let f = Fixture::default_report();
    assert_run("check/default_data", &f, &["check"]);
}

#[test]
fn broken_yaml_names_file_line_and_column() {
    let f = Fixture::default_report();
    f.write("data/so-lieu/hong.yaml", "a: 1\nb: \"chưa đóng\nc: 3\n");
    assert_run("check/broken_yaml", &f, &["check"]);
}

#[test]
fn a_figure_in_the_wrong_convention_is_an_error_with_a_hint() {
    let f = Fixture::default_report();
    f.write("data/so-lieu/thu.yaml", "# thử\nmot: 1.146\nhai: 2976.4\n");
    assert_run("check/wrong_convention", &f, &["check"]);
}

#[test]
fn figures_are_read_as_written() {
    // 1.146 is one thousand one hundred and forty-six; the share is computed from it.
    let f = Fixture::default_report();
    f.write("data/so-lieu/thu.yaml", "a: 1.146\nb: 2.292\n");
    f.write("templates/phu-luc/bieu-chi-tieu.typ.j2", "Tỷ lệ {{ ty_le(sl.thu.a, sl.thu.b, 1) }} tổng {{ tong(sl.thu.a, sl.thu.b) }} số {{ sl.thu.a }}\n");
    f.run(&["build"]).success();
    let t = pdf_text(&f.pdf());
    assert!(
        t.contains("Tỷ lệ 50,0% tổng 3.438 số 1.146"),
        "{}",
        &t[t.len().saturating_sub(400)..]
    );
}

#[test]
fn components_that_do_not_add_up_are_warnings_with_both_values() {
    let f = Fixture::default_report();
    f.write(
        "data/chi-tieu/thu.yaml",
        "chi_tieu:\n  - id: tong_thu\n    ten: Tổng thu\n    don_vi: tỷ đồng\n    ky:\n      6-thang:\n        thuc_hien: 100\n        thanh_phan:\n          - ten: A\n            gia_tri: 60\n          - ten: B\n            gia_tri: 30,5\n",
    );
    assert_run("check/components_do_not_add_up", &f, &["check"]);
}

#[test]
fn stated_ratio_and_implausible_share_are_warnings() {
    let f = Fixture::default_report();
    f.write(
        "data/chi-tieu/thu.yaml",
        "chi_tieu:\n  - id: a\n    ten: A\n    ke_hoach: 200\n    ky:\n      6-thang: { thuc_hien: 100, cung_ky: 80, so_voi_cung_ky: 120 }\n  - id: b\n    ten: B\n    ke_hoach: 1.000\n    ky:\n      6-thang: { thuc_hien: 500.000 }\n",
    );
    assert_run("check/stated_ratio_implausible_share", &f, &["check"]);
}

#[test]
fn a_decimal_comma_inside_braces_gets_a_hint() {
    let f = Fixture::default_report();
    f.write("data/chi-tieu/thu.yaml", "chi_tieu:\n  - id: a\n    ten: A\n    ky:\n      6-thang:\n        thuc_hien: 1\n        thanh_phan:\n          - { ten: B, gia_tri: 84,34 }\n");
    assert_run("check/decimal_comma_in_braces", &f, &["check"]);
}

#[test]
fn a_swallowed_semicolon_is_a_warning() {
    let f = Fixture::default_report();
    f.write(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "Câu#footnote[Chú thích.]; tiếp theo\n",
    );
    assert_run("check/swallowed_semicolon", &f, &["check"]);
}

#[test]
fn a_negative_count_is_an_error() {
    let f = Fixture::default_report();
    f.write("data/chi-tieu/thu.yaml", "chi_tieu:\n  - id: a\n    ten: A\n    don_vi: con\n    ky:\n      6-thang: { thuc_hien: -5 }\n");
    assert_run("check/negative_count", &f, &["check"]);
}

#[test]
fn unknown_id_names_template_line_and_nearest_id() {
    let f = Fixture::default_report();
    f.write(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "Dòng một\n\nThu {{ pt_ke_hoach(ct.thu_ngan_sac, 2) }}\n",
    );
    assert_run("check/unknown_indicator_id", &f, &["check"]);
    f.write(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "{{ sl.nong_nghiep.lua_xuan_nang_sua }}\n",
    );
    assert_run("check/unknown_figure_key", &f, &["check"]);
}

#[test]
fn every_problem_is_listed_at_once() {
    let f = Fixture::default_report();
    f.write("data/so-lieu/x1.yaml", "a: 2976.4\n");
    f.write("data/so-lieu/x2.yaml", "b: 1,2,3\n");
    assert_run("check/every_problem_at_once", &f, &["check"]);
}

#[test]
fn data_strings_print_literally() {
    let f = Fixture::default_report();
    let evil =
        "#read(\"x\") *đậm* _n_ $x$ @nhan <nhan> ] [ {{ ct }} {% if %} // chú \\ ~ = - + `r`";
    f.write(
        "data/so-lieu/thu.yaml",
        &format!("chuoi: '{}'\n", evil.replace('\'', "''")),
    );
    f.write(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "Đầu {{ sl.thu.chuoi }} cuối\n",
    );
    f.run(&["build"]).success();
    let t = pdf_text(&f.pdf());
    let want = evil.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        t.contains(&format!("Đầu {want} cuối")),
        "not literal: {}",
        &t[t.len().saturating_sub(300)..]
    );
}

/// Issue 16, item 5: the plausibility tests apply to every figure field, not only to the one a
/// sentence prefers (`uoc_thuc_hien` when set). A misplaced thousands separator in `thuc_hien`
/// printed "đạt 47.126,7% kế hoạch" with no warning.
#[test]
fn a_misplaced_separator_in_any_figure_field_is_flagged() {
    let f = Fixture::default_report();
    f.edit(
        "data/chi-tieu/kinh-te.yaml",
        "thuc_hien: 155,108",
        "thuc_hien: 155.108",
    );
    let r = f.run(&["check"]).success();
    let err = r.stderr();
    let warning = err
        .split("cảnh báo: ")
        .find(|w| w.contains("`thu_ngan_sach`") && w.contains("gõ nhầm hàng nghìn"))
        .unwrap_or_else(|| panic!("no implausibility warning for thu_ngan_sach:\n{err}"));
    assert!(warning.contains("`thuc_hien`"), "{warning}");
    assert!(warning.contains("155.108"), "{warning}");
    assert!(warning.contains("47.126,7%"), "{warning}");
    assert!(
        warning.contains("data/chi-tieu/kinh-te.yaml:23"),
        "the warning points at the field's line: {warning}"
    );
    // The same slip in `cung_ky` is caught too (ratio to last year).
    let f = Fixture::default_report();
    f.write(
        "data/chi-tieu/thu.yaml",
        "chi_tieu:\n  - id: a\n    ten: A\n    ky:\n      6-thang:\n        thuc_hien: 120\n        uoc_thuc_hien: 130\n        cung_ky: 110.000\n",
    );
    f.run(&["check"])
        .success()
        .stderr_contains("`cung_ky` 110.000")
        .stderr_contains("data/chi-tieu/thu.yaml:8");
}

/// Issue 12, item 11: a Typst markup error in a template (an unclosed `#strong[`) is found by
/// `check`, which does not typeset, at its template line and column, in Vietnamese; `build`
/// names it the same way and keeps the last good PDF.
#[test]
fn a_markup_error_is_found_without_building() {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let good = std::fs::read(f.pdf()).unwrap();
    f.write(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "Dòng một\n\nThu {{ ct.thu_ngan_sach.th }} tỷ đồng, #strong[tăng mạnh\n\nDòng cuối\n",
    );
    let want = "lỗi: mã Typst dựng từ mẫu sai cú pháp: dấu `[` mở mà không có `]` đóng";
    let at = " --> templates/phu-luc/bieu-chi-tieu.typ.j2:3:47";
    let r = f.run(&["check"]).failure();
    let err = r.stderr();
    assert!(err.contains(want) && err.contains(at), "{err}");
    assert!(!err.contains("dàn trang (Typst)"), "check typeset: {err}");
    r.stdout_contains("kiểm tra xong: 1 lỗi");
    let r = f.run(&["build"]).failure();
    assert!(
        r.stderr().contains(want) && r.stderr().contains(at),
        "{}",
        r.stderr()
    );
    assert_eq!(
        std::fs::read(f.pdf()).unwrap(),
        good,
        "the last good PDF stays"
    );
    f.run(&["check", "--diagnostic-format", "short"])
        .failure()
        .stderr_contains("templates/phu-luc/bieu-chi-tieu.typ.j2:3:47: lỗi: mã Typst");
}

/// Issue 12, item 12: an undefined argument of a helper names what the template wrote, on a
/// line or over several.
#[test]
fn an_undefined_argument_names_what_the_template_wrote() {
    let f = Fixture::default_report();
    f.write(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "A {{ so_cung_ky(ct.thu_ngan_sach, 1) }} và {{ tom_tat(ct.tong_dan_trauu) }}\n",
    );
    f.run(&["check"])
        .failure()
        .stderr_contains("lỗi: `ct.tong_dan_trauu` không phải là chỉ tiêu")
        .stderr_contains("có phải là `tong_dan_trau`?");
    f.write(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "B {{ tong(sl.nong_nghiep.lua_xuan_nang_suat,\n   sl.nong_nghiep.lua_xuan_nang_sua) }}\n",
    );
    f.run(&["check"])
        .failure()
        .stderr_contains("lỗi: `sl.nong_nghiep.lua_xuan_nang_sua` không có số liệu")
        .stderr_contains("gợi ý: `data/so-lieu/nong-nghiep.yaml` không có khóa");
}

/// Issue 12, item 13: `build` counts the arithmetic warnings that `check` lists, in one line.
#[test]
fn build_counts_the_arithmetic_warnings() {
    let f = Fixture::default_report();
    let check = f.run(&["check"]).success();
    let listed = check.stderr().matches("cảnh báo: chỉ tiêu").count();
    assert!(listed >= 2, "{}", check.stderr());
    let r = f.run(&["build"]).success();
    let err = r.stderr();
    let line = format!(
        "cảnh báo: số liệu có {listed} cảnh báo số học (thành phần không cộng bằng số tổng, tỷ lệ \
         đã ghi khác tỷ lệ tính được, số khó tin, tỷ lệ ghi tay chưa ghi số liệu, …): chạy \
         `baocao check` để xem từng cảnh báo"
    );
    assert!(err.lines().any(|l| l == line), "{err}");
    assert!(
        !err.contains("tong_muc_luu_chuyen"),
        "build lists them: {err}"
    );
}
