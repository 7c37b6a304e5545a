//! `baocao build`: the pipeline end to end, reproducibility, atomic writes, the sandbox.

use crate::fixture::*;

#[test]
fn builds_the_default_report_and_prints_its_path() {
    let f = Fixture::default_report();
    f.run(&["build"])
        .success()
        .stdout_contains("output/bao-cao-6-thang-2024.pdf");
    let bytes = std::fs::read(f.pdf()).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&f.pdf());
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(text.contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(text.contains("Phần thứ nhất") && text.contains("Phần thứ hai"));
    assert!(text.contains("TM. ỦY BAN NHÂN DÂN"));
    assert!(text.contains("Nơi nhận:"));
}

#[test]
fn help_is_vietnamese() {
    let f = Fixture::empty();
    f.run(&["--help"])
        .success()
        .stdout_contains("Dựng báo cáo ra PDF");
    f.run(&["build", "--help"])
        .success()
        .stdout_contains("Thư mục báo cáo");
    f.run(&["khong-co-lenh"]).failure();
}

#[test]
fn two_builds_give_the_same_bytes_dated_by_the_report() {
    let f = Fixture::default_report();
    f.run(&["build", "-o", "a.pdf"]).success();
    f.run(&["build", "-o", "b.pdf"]).success();
    let a = std::fs::read(f.path("a.pdf")).unwrap();
    let b = std::fs::read(f.path("b.pdf")).unwrap();
    assert_eq!(a, b, "same input must give the same bytes");
    // The report's day is blank (/6/2024): the PDF is dated by the data cut-off, 31/5/2024.
    let info = pdf_info(&f.path("a.pdf"));
    assert!(info.contains("2024-05-31"), "{info}");
    // With a full date, that date.
    f.edit("data/bao-cao.yaml", "ngay: /6/2024", "ngay: 05/7/2024");
    f.run(&["build", "-o", "c.pdf"]).success();
    assert!(pdf_info(&f.path("c.pdf")).contains("2024-07-05"));
    // SOURCE_DATE_EPOCH overrides (1700000000 = 2023-11-14).
    f.run_env(
        &["build", "-o", "d.pdf"],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    )
    .success();
    assert!(pdf_info(&f.path("d.pdf")).contains("2023-11-14"));
}

#[test]
fn metadata_title_author_language() {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let info = pdf_info(&f.pdf());
    assert!(
        info.contains("Title:") && info.contains("Tình hình thực hiện các chỉ tiêu"),
        "{info}"
    );
    assert!(
        info.contains("Author:") && info.contains("Ủy ban nhân dân thành phố Cao Bằng"),
        "{info}"
    );
    let raw = std::fs::read(f.pdf()).unwrap();
    assert!(
        raw.windows(8).any(|w| w == b"/Lang (v" || w == b"/Lang(vi"),
        "no /Lang vi in the PDF"
    );
}

#[test]
fn blank_fields_render_as_space_never_none() {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let text = pdf_text(&f.pdf());
    assert!(
        text.contains("Số: /BC-UBND"),
        "blank number: {}",
        &text[..300.min(text.len())]
    );
    assert!(text.contains("Cao Bằng, ngày tháng 6 năm 2024"));
    for bad in ["none", "None", "null", "\"\""] {
        assert!(!text.contains(bad), "`{bad}` printed in the PDF");
    }
}

#[test]
fn date_rule_pads_day_and_months_one_and_two() {
    let f = Fixture::default_report();
    f.edit("data/bao-cao.yaml", "ngay: /6/2024", "ngay: 5/1/2024");
    f.run(&["build"]).success();
    assert!(pdf_text(&f.pdf()).contains("Cao Bằng, ngày 05 tháng 01 năm 2024"));
    f.edit("data/bao-cao.yaml", "ngay: 5/1/2024", "ngay: 15/6/2024");
    f.run(&["build"]).success();
    let t = pdf_text(&f.pdf());
    assert!(t.contains("ngày 15 tháng 6 năm 2024") && !t.contains("tháng 06"));
}

#[test]
fn headings_are_numbered_by_the_layout() {
    let f = Fixture::default_report();
    f.write(
        "templates/bao-cao.typ.j2",
        "#import \"nd30.typ\": *\n#show: van-ban.with(meta)\n\
         #phan[Thử]\n#muc[Một]\n#muc[Hai]\n#khoan[Khoản]\n#tieu-khoan[Tiểu]\n\
         #diem[A:] x\n\n#diem[B:] x\n\n#diem[C:] x\n\n#diem[D:] x\n\n#diem[Đ:] x\n\n#diem[E:] x\n\n#diem[G:] x\n\n\
         #muc[Ba]\n#phan[Sau]\n#khoan[Đầu]\n\n- gạch\n+ cộng\n\nHết./.\n",
    );
    f.run(&["build"]).success();
    let t = pdf_text(&f.pdf());
    for want in [
        "Phần thứ nhất THỬ",
        "I. MỘT",
        "II. HAI",
        "1. Khoản",
        "1.1. Tiểu",
        "a) A:",
        "d) D:",
        "đ) Đ:",
        "e) E:",
        "g) G:",
        "III. BA",
        "Phần thứ hai SAU",
        "1. Đầu",
        "- gạch",
        "+ cộng",
    ] {
        assert!(t.contains(want), "missing `{want}` in: {t}");
    }
    assert!(!t.contains('•'), "a Typst list bullet was printed");
}

#[test]
fn a_failed_build_keeps_the_last_good_pdf() {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let good = std::fs::read(f.pdf()).unwrap();
    // A failure while the new PDF is being written (after its bytes were produced).
    f.edit("data/bao-cao.yaml", "ngay: /6/2024", "ngay: 20/6/2024");
    f.run(&["build", "--test-fail-write"])
        .failure()
        .stderr_contains("giả lập");
    assert_eq!(std::fs::read(f.pdf()).unwrap(), good, "the old PDF changed");
    // A failure before: a broken template.
    f.write(
        "templates/phan-1/mo-dau.typ.j2",
        "{{ ct.khong_co_chi_tieu.th }}",
    );
    f.run(&["build"])
        .failure()
        .stderr_contains("templates/phan-1/mo-dau.typ.j2:1");
    assert_eq!(std::fs::read(f.pdf()).unwrap(), good);
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(f.path("output"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn packages_are_refused() {
    let f = Fixture::default_report();
    f.edit(
        "templates/bao-cao.typ.j2",
        "#import \"nd30.typ\": *",
        "#import \"@preview/cetz:0.3.0\": *\n#import \"nd30.typ\": *",
    );
    f.run(&["build"]).failure().stderr_contains("không tải gói");
}

#[test]
fn typst_reads_nothing_outside_templates() {
    let f = Fixture::default_report();
    for expr in [
        "#read(\"../data/bao-cao.yaml\")",
        "#read(\"/../../data/bao-cao.yaml\")",
        "#image(\"../output/x.png\")",
    ] {
        f.write("templates/phu-luc/bieu-chi-tieu.typ.j2", expr);
        let r = f.run(&["build"]).failure();
        assert!(
            r.stderr().contains("dàn trang (Typst)"),
            "{expr}: {}",
            r.stderr()
        );
    }
    // A symlink inside templates/ that points out of it is refused too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(f.path("data/bao-cao.yaml"), f.path("templates/lo.txt"))
            .unwrap();
        f.write(
            "templates/phu-luc/bieu-chi-tieu.typ.j2",
            "#read(\"lo.txt\")",
        );
        f.run(&["build"])
            .failure()
            .stderr_contains("chỉ cho Typst đọc tệp trong thư mục templates/");
    }
    // Reading a file that is inside templates/ works (a logo, an included layout file).
    f.write(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "#read(\"HUONG-DAN.md\").len()",
    );
    f.run(&["build"]).success();
}

#[test]
fn typst_errors_name_the_template_and_line() {
    let f = Fixture::default_report();
    f.write(
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "Dòng một\n\nDòng hai #khong-co-ham()\n",
    );
    f.run(&["build"])
        .failure()
        .stderr_contains("templates/phu-luc/bieu-chi-tieu.typ.j2:3");
    // An error inside the layout library names it.
    f.edit(
        "templates/nd30.typ",
        "#let cach-net = 0.4em",
        "#let cach-net = 0.4em + \"x\"",
    );
    f.run(&["build"])
        .failure()
        .stderr_contains("templates/nd30.typ:");
}

#[test]
fn emitted_typst_of_every_period_compiles_on_its_own() {
    // Drafts included: quy-1, 9-thang and ca-nam carry the DỰ THẢO mark (du-thao.svg).
    let f = Fixture::default_report();
    let alone = Fixture::empty();
    for period in ["quy-1", "6-thang", "9-thang", "ca-nam"] {
        let typ = format!("{period}.typ");
        let pdf = format!("{period}.pdf");
        f.run(&[
            "build",
            "--period",
            period,
            "--emit-typst",
            &typ,
            "-o",
            &pdf,
        ])
        .success();
        let markup = f.read(&typ);
        assert!(
            !markup.contains("/*@"),
            "{period}: line markers leaked into the emitted markup"
        );
        for needed in [
            "#import \"nd30.typ\"",
            "json(\"/du-lieu.json\")",
            "\"du-thao.svg\"",
        ] {
            assert!(
                !markup.contains(needed),
                "{period}: the emitted file still needs `{needed}`"
            );
        }
        // The layout data is inlined as a dictionary, the decree's table with it.
        assert!(
            markup.contains("#let du-lieu = (\n  nd30: (\n    kho-giay: \"a4\","),
            "{period}: no inlined layout data"
        );
        // Compiled in a folder that holds nothing else (and with no layout data served), it
        // gives the pages baocao built.
        let pages = baocao::typeset::compile_standalone(&alone.root, &markup)
            .unwrap_or_else(|e| panic!("{period}: does not compile alone: {e:?}"));
        let built: usize = pdf_info(&f.path(&pdf))
            .lines()
            .find_map(|l| l.strip_prefix("Pages:").map(|v| v.trim().parse().unwrap()))
            .unwrap();
        assert_eq!(pages, built, "{period}: pages alone and as built");
    }
}

#[test]
fn extra_fonts_are_read_from_font_dir() {
    let f = Fixture::default_report();
    f.run(&["build", "--font-dir", "khong-co-thu-muc"])
        .failure()
        .stderr_contains("khong-co-thu-muc");
    std::fs::create_dir_all(f.path("fonts-x")).unwrap();
    f.write("fonts-x/hong.ttf", "không phải phông chữ");
    f.run(&["build", "--font-dir", "fonts-x"])
        .failure()
        .stderr_contains("phông chữ");
}
