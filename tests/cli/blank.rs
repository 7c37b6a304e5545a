//! `baocao init DIR --blank` (issue 11): a clean start for any unit that builds at once
//! (item 1), placeholders `«…»` (item 2), the appendix from data (item 4), the fonts in the
//! folder (item 5) and the draft mark explained (item 6).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fixture::*;

/// Words of the built-in sample (UBND thành phố Cao Bằng) that a blank report never holds.
pub const SAMPLE_WORDS: [&str; 13] = [
    "Cao Bằng",
    "CAO BẰNG",
    "Sông Hiến",
    "Hưng Đạo",
    "Chu Trinh",
    "Đề Thám",
    "Ngọc Xuân",
    "Hợp Giang",
    "Vĩnh Quang",
    "Sông Bằng",
    "Duyệt Trung",
    "Hoà Chung",
    "XVIII",
];

/// `baocao init <name> --blank <args>` in `f`; the new folder.
fn init_blank(f: &Fixture, name: &str, args: &[&str]) -> PathBuf {
    let mut all = vec!["init", name, "--blank"];
    all.extend_from_slice(args);
    f.run(&all)
        .success()
        .stdout_contains(&format!("đã tạo thư mục báo cáo `{name}`"));
    f.path(name)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Whether the parts of `want`, split at `|`, are in `text` in that order (the columns of a
/// page come out of pdftotext side by side).
fn in_order(text: &str, want: &str) -> bool {
    let mut at = 0;
    want.split('|').all(|part| match text[at..].find(part) {
        Some(i) => {
            at += i + part.len();
            true
        }
        None => false,
    })
}

/// The short warnings of `check` (`tệp:dòng:cột: cảnh báo: …`) about placeholders.
fn placeholder_warnings(run: &Run) -> Vec<String> {
    run.stderr()
        .lines()
        .filter(|l| l.contains(": cảnh báo: chỗ trống `«"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_blank_folder_builds_at_once_as_a_draft_with_no_sample_text_or_figures() {
    let f = Fixture::empty();
    let dir = init_blank(&f, "bc", &["--year", "2025"]);
    for p in [
        "README.md",
        "data/bao-cao.yaml",
        "data/bieu.yaml",
        "data/schema.json",
        "data/chi-tieu/kinh-te.yaml",
        "data/so-lieu/chung.yaml",
        "templates/bao-cao.typ.j2",
        "templates/phan-1/danh-gia-chung.typ.j2",
        "templates/phan-2/nhiem-vu.typ.j2",
        "templates/phu-luc/bieu-chi-tieu.typ.j2",
        "templates/nd30.typ",
        "templates/HUONG-DAN.md",
        "fonts/LiberationSerif-Regular.ttf",
        ".gitignore",
    ] {
        assert!(dir.join(p).is_file(), "{p} missing");
    }
    // No file of the sample's data or prose.
    assert!(!dir.join("data/chi-tieu/ngan-sach-dat-dai.yaml").exists());
    assert!(!dir.join("templates/phan-1/nong-nghiep.typ.j2").exists());
    // Every text file of the folder (the guide and the layout library included).
    fn texts(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                texts(&p, out);
            } else if let Ok(t) = std::fs::read_to_string(&p) {
                out.push((p, t));
            }
        }
    }
    let mut files = vec![];
    texts(&dir, &mut files);
    assert!(files.len() > 15, "{}", files.len());
    for (p, t) in &files {
        for w in SAMPLE_WORDS {
            assert!(!t.contains(w), "sample word `{w}` in {}", p.display());
        }
    }
    // No figure: every figure field of the indicators is a placeholder.
    let data = baocao::data::load(&dir).unwrap();
    assert_eq!(data.indicators.len(), 6);
    for ind in &data.indicators {
        let v = baocao::indicator::InPeriod::new(ind, baocao::period::Period::Half);
        assert!(v.figure().is_none() && v.plan().is_none() && v.base().is_none());
        assert!(
            v.pending_figure().is_some() && v.pending_plan().is_some(),
            "{}",
            ind.id.0
        );
    }
    // The data validates against its own schema (placeholders included).
    let out = crate::schema::validate(&dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let check = f
        .run(&["check", "--root", "bc", "--diagnostic-format", "short"])
        .success();
    let warnings = placeholder_warnings(&check);
    assert!(warnings.len() > 30, "{}", check.stderr());
    check.stdout_contains(&format!(
        "kiểm tra xong: 0 lỗi, {} cảnh báo",
        warnings.len()
    ));
    let build = f.run(&["build", "--root", "bc"]).success();
    build
        .stdout_contains(&format!("còn {} chỗ trống «…» chưa điền", warnings.len()))
        .stdout_contains("bản DỰ THẢO vì:")
        .stdout_contains("chỗ trống «…» chưa điền\n      bc/data/bao-cao.yaml: dòng ");
    let pdf = dir.join("output/bao-cao-6-thang-2025.pdf");
    let title = pdf_info(&pdf);
    assert!(
        title.contains("Title:           DỰ THẢO - Báo cáo"),
        "{title}"
    );
    let text = pdf_text(&pdf);
    for w in SAMPLE_WORDS {
        assert!(!text.contains(w), "sample word `{w}` in the blank PDF");
    }
    for want in [
        "ỦY BAN NHÂN DÂN",
        "Phần thứ nhất KẾT QUẢ THỰC HIỆN NHIỆM VỤ PHÁT TRIỂN KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2025",
        "Tổng sản lượng lương thực có hạt: «thực hiện».",
        "ĐÁNH GIÁ CHUNG",
        "Phần thứ hai NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM 6 THÁNG CUỐI NĂM 2025",
        "TM. ỦY BAN NHÂN DÂN",
        "Biểu số 01",
    ] {
        assert!(text.contains(want), "`{want}` not in:\n{text}");
    }
    // The blank shape obeys the decree as the sample does: its few long lines are the ones
    // that showed a closing sentence narrower than the text block and punctuation hanging
    // into the margin (nd30check "body justified": 7/14 lines flush).
    crate::layout::assert_nd30(&pdf, "init --blank");
}

#[test]
fn check_locates_each_placeholder_and_a_figure_placeholder_is_no_number() {
    let f = Fixture::empty();
    let dir = init_blank(&f, "bc", &["--year", "2025"]);
    let check = f
        .run(&["check", "--root", "bc", "--diagnostic-format", "short"])
        .success();
    // Each warning points at a «: file, line and column are right.
    for w in placeholder_warnings(&check) {
        let mut parts = w.splitn(4, ':');
        let (file, line, col) = (
            parts.next().unwrap(),
            parts.next().unwrap().parse::<usize>().unwrap(),
            parts.next().unwrap().parse::<usize>().unwrap(),
        );
        let text = read(&f.path(file));
        let l = text.lines().nth(line - 1).unwrap();
        let from: String = l.chars().skip(col - 1).collect();
        let quoted = w.split('`').nth(1).unwrap();
        assert!(from.starts_with(quoted), "{w}: line is `{l}`");
    }
    // Fill one indicator: its sentence and its row print the figures and the computed ratios;
    // the others still print their placeholders.
    let file = dir.join("data/chi-tieu/kinh-te.yaml");
    let yaml = read(&file);
    let yaml = yaml
        .replacen("ke_hoach: «kế hoạch»", "ke_hoach: 2.500", 1)
        .replacen("thuc_hien: «thực hiện»", "thuc_hien: 1.234,5", 1)
        .replacen("cung_ky: «cùng kỳ»", "cung_ky: 1.100", 1);
    std::fs::write(&file, yaml).unwrap();
    let after = f
        .run(&["check", "--root", "bc", "--diagnostic-format", "short"])
        .success();
    assert_eq!(
        placeholder_warnings(&after).len() + 3,
        placeholder_warnings(&check).len()
    );
    f.run(&["build", "--root", "bc"]).success();
    let pdf = dir.join("output/bao-cao-6-thang-2025.pdf");
    let text = pdf_text(&pdf);
    // 1.234,5 / 2.500 = 49,38 %; 1.234,5 / 1.100 = 112,227… %
    assert!(
        text.contains(
            "Tổng sản lượng lương thực có hạt: 1.234,5/2.500 tấn, đạt 49,4% kế hoạch, bằng 112,2% so với cùng kỳ."
        ),
        "{text}"
    );
    assert!(
        text.contains("Thu ngân sách nhà nước trên địa bàn: «thực hiện»."),
        "{text}"
    );
    let raw = pdf_text_raw(&pdf);
    assert!(
        raw.contains("1 Tổng sản lượng lương thực có hạt tấn 2.500 1.234,5 49,4 112,2"),
        "{raw}"
    );
    assert!(
        raw.contains("2 Thu ngân sách nhà nước trên địa bàn triệu đồng «kế hoạch» «thực hiện» - -"),
        "{raw}"
    );
    // A placeholder in a so-lieu value reaches `so()` and `ty_le()` as a placeholder, not an error.
    std::fs::write(
        dir.join("templates/phan-1/quoc-phong-an-ninh.typ.j2"),
        "#khoan[Quốc phòng]\n\nSố hồ sơ {{ so(sl.chung.ho_so_thu_tuc_hanh_chinh, 1) }}, tỷ lệ {{ ty_le(sl.chung.ho_so_thu_tuc_hanh_chinh, 5) }}.\n",
    )
    .unwrap();
    f.run(&["build", "--root", "bc"]).success();
    assert!(pdf_text(&pdf).contains("Số hồ sơ «số hồ sơ», tỷ lệ «số hồ sơ»."));
}

/// The levels of local government and a department under its parent: what the flags write,
/// and what the PDF prints of it.
#[test]
fn each_level_and_a_department_under_a_parent_agency() {
    struct Case {
        name: &'static str,
        args: &'static [&'static str],
        yaml: &'static [&'static str],
        pdf: &'static str,
        text: &'static [&'static str],
    }
    let cases = [
        Case {
            name: "tinh",
            args: &[
                "--agency",
                "ỦY BAN NHÂN DÂN",
                "--agency",
                "TỈNH LAM SƠN",
                "--place",
                "Lam Sơn",
                "--period",
                "quy-1",
                "--year",
                "2026",
            ],
            yaml: &[
                "co_quan:\n  - ỦY BAN NHÂN DÂN\n  - TỈNH LAM SƠN\n",
                "ten_co_quan: Ủy ban nhân dân tỉnh Lam Sơn\n",
                "dia_danh: Lam Sơn\n",
                "ky_mac_dinh: quy-1\n",
                "cac_ky:\n  quy-1:\n",
                "ngay: /3/2026",
                "ngay_so_lieu: 14/3/2026",
                "quyen_han:\n    - TM. ỦY BAN NHÂN DÂN\n  chuc_vu:\n    - CHỦ TỊCH\n",
            ],
            pdf: "output/bao-cao-quy-1-2026.pdf",
            text: &[
                "ỦY BAN NHÂN DÂN|TỈNH LAM SƠN",
                "Lam Sơn, ngày",
                "QUÝ I NĂM 2026",
                "NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM 9 THÁNG CUỐI NĂM 2026",
                "TM. ỦY BAN NHÂN DÂN|CHỦ TỊCH",
            ],
        },
        Case {
            name: "xa",
            args: &[
                "--agency",
                "ỦY BAN NHÂN DÂN",
                "--agency",
                "XÃ TÂN LẬP",
                "--period",
                "9-thang",
                "--year",
                "2025",
            ],
            yaml: &[
                "ten_co_quan: Ủy ban nhân dân xã Tân Lập\n",
                "dia_danh: «Địa danh»\n",
                "ky_hieu: BC-UBND\n",
            ],
            pdf: "output/bao-cao-9-thang-2025.pdf",
            text: &[
                "XÃ TÂN LẬP",
                "9 THÁNG ĐẦU NĂM 2025",
                "của Ủy ban nhân dân xã Tân Lập./.",
            ],
        },
        Case {
            // One long value, stored as given: the layout breaks it before PHƯỜNG.
            name: "phuong",
            args: &[
                "--agency",
                "ỦY BAN NHÂN DÂN PHƯỜNG HÒA BÌNH",
                "--signer",
                "kt",
                "--year",
                "2025",
            ],
            yaml: &[
                "co_quan:\n  - ỦY BAN NHÂN DÂN PHƯỜNG HÒA BÌNH\n",
                "quyen_han:\n    - TM. ỦY BAN NHÂN DÂN\n    - KT. CHỦ TỊCH\n  chuc_vu:\n    - PHÓ CHỦ TỊCH\n",
            ],
            pdf: "output/bao-cao-6-thang-2025.pdf",
            text: &["TM. ỦY BAN NHÂN DÂN|KT. CHỦ TỊCH|PHÓ CHỦ TỊCH"],
        },
        Case {
            name: "phong",
            args: &[
                "--parent-agency",
                "ỦY BAN NHÂN DÂN",
                "--parent-agency",
                "XÃ TÂN LẬP",
                "--agency",
                "PHÒNG KINH TẾ",
                "--symbol",
                "BC-PKT",
                "--signer",
                "kt",
                "--period",
                "ca-nam",
                "--year",
                "2025",
            ],
            yaml: &[
                "co_quan_chu_quan:\n  - ỦY BAN NHÂN DÂN\n  - XÃ TÂN LẬP\n",
                "co_quan:\n  - PHÒNG KINH TẾ\n",
                "ten_co_quan: Phòng Kinh tế\n",
                "ky_hieu: BC-PKT\n",
                "trich_yeu: Kết quả thực hiện nhiệm vụ năm 2025; phương hướng, nhiệm vụ trọng tâm năm 2026\n",
                "quyen_han:\n    - KT. TRƯỞNG PHÒNG\n  chuc_vu:\n    - PHÓ TRƯỞNG PHÒNG\n",
            ],
            pdf: "output/bao-cao-ca-nam-2025.pdf",
            text: &[
                "BC-PKT",
                "Phần thứ nhất KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2025",
                "Phần thứ hai MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP NĂM 2026",
                "Tổng sản lượng lương thực có hạt: «kế hoạch năm sau» tấn;",
                "KT. TRƯỞNG PHÒNG|PHÓ TRƯỞNG PHÒNG",
                "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU NĂM 2025 VÀ KẾ HOẠCH NĂM 2026",
            ],
        },
    ];
    let f = Fixture::empty();
    for c in &cases {
        let dir = init_blank(&f, c.name, c.args);
        let yaml = read(&dir.join("data/bao-cao.yaml"));
        for want in c.yaml {
            assert!(yaml.contains(want), "{}: `{want}` not in\n{yaml}", c.name);
        }
        let build = f.run(&["build", "--root", c.name]).success();
        assert!(
            !build.stderr().contains("cảnh báo"),
            "{}: {}",
            c.name,
            build.stderr()
        );
        build.stdout_contains("bản DỰ THẢO vì:");
        let text = pdf_text(&dir.join(c.pdf));
        for want in c.text {
            assert!(in_order(&text, want), "{}: `{want}` not in\n{text}", c.name);
        }
        for w in SAMPLE_WORDS {
            assert!(!text.contains(w), "{}: sample word `{w}`", c.name);
        }
    }
    // The parent agency is printed above the agency, the agency's lines bold.
    let header = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1", "-layout"])
        .arg(f.path("phong/output/bao-cao-ca-nam-2025.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let header = String::from_utf8_lossy(&header.stdout);
    let (a, b, c) = (
        header.find("ỦY BAN NHÂN DÂN").unwrap(),
        header.find("XÃ TÂN LẬP").unwrap(),
        header.find("PHÒNG KINH TẾ").unwrap(),
    );
    assert!(a < b && b < c, "{header}");
}

#[test]
fn every_period_and_signer_builds_at_once() {
    let f = Fixture::empty();
    for (i, (period, signer)) in [
        ("quy-1", "tl"),
        ("6-thang", "q"),
        ("9-thang", "tm"),
        ("ca-nam", "kt"),
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("bc{i}");
        init_blank(
            &f,
            &name,
            &["--period", period, "--signer", signer, "--year", "2025"],
        );
        f.run(&["build", "--root", &name]).success();
        let pdf = f.path(&format!("{name}/output/bao-cao-{period}-2025.pdf"));
        let text = pdf_text(&pdf);
        let sign = match signer {
            "tl" => "TL. CHỦ TỊCH|«CHỨC VỤ NGƯỜI KÝ»",
            "q" => "TM. ỦY BAN NHÂN DÂN|Q. CHỦ TỊCH",
            "tm" => "TM. ỦY BAN NHÂN DÂN|CHỦ TỊCH",
            _ => "TM. ỦY BAN NHÂN DÂN|KT. CHỦ TỊCH|PHÓ CHỦ TỊCH",
        };
        assert!(in_order(&text, sign), "{period} {signer}: {text}");
    }
}

#[test]
fn blank_flags_need_blank_and_bad_values_are_usage_errors() {
    let f = Fixture::empty();
    for args in [
        &["init", "a", "--agency", "PHÒNG KINH TẾ"][..],
        &["init", "a", "--blank", "--year", "99"],
        &["init", "a", "--blank", "--year", "hai"],
        &["init", "a", "--blank", "--signer", "ky-thay"],
        &["init", "a", "--blank", "--period", "nam"],
        &["init", "a", "--blank", "--agency", ""],
    ] {
        let run = f.run(args);
        assert_eq!(run.0.status.code(), Some(2), "{args:?}: {}", run.stderr());
        assert!(!f.path("a").exists(), "{args:?} wrote something");
    }
    // The help names every flag, in Vietnamese.
    let help = f.run(&["init", "--help"]).success().stdout();
    for flag in [
        "--blank",
        "--agency",
        "--parent-agency",
        "--name",
        "--place",
        "--symbol",
        "--year",
        "--period",
        "--signer",
    ] {
        assert!(help.contains(flag), "{flag} not in help:\n{help}");
    }
    assert!(!help.contains("--with-fonts"), "{help}");
}

/// Item 4: the appendix's title and any number of groups (roman numerals past X) come from
/// the blank's data/bieu.yaml.
#[test]
fn the_blank_appendix_takes_its_title_and_groups_from_bieu_yaml() {
    let f = Fixture::empty();
    let dir = init_blank(&f, "bc", &["--year", "2025"]);
    let mut yaml = String::from("tieu_de: Kết quả các chỉ tiêu của đơn vị\nnhom:\n");
    for i in 1..=11 {
        yaml.push_str(&format!(
            "  - ten: Nhóm số {i}\n    chi_tieu: [viec_lam_moi]\n"
        ));
    }
    std::fs::write(dir.join("data/bieu.yaml"), yaml).unwrap();
    f.run(&["build", "--root", "bc"]).success();
    let raw = pdf_text_raw(&dir.join("output/bao-cao-6-thang-2025.pdf"));
    assert!(
        raw.contains("KẾT QUẢ CÁC CHỈ TIÊU CỦA ĐƠN VỊ 6 THÁNG ĐẦU NĂM 2025"),
        "{raw}"
    );
    assert!(
        raw.contains("X Nhóm số 10") && raw.contains("XI Nhóm số 11"),
        "{raw}"
    );
    assert!(
        !raw.contains("PHÁT TRIỂN KINH TẾ - XÃ HỘI CHỦ YẾU"),
        "{raw}"
    );
}

/// The font families a PDF embeds (pdffonts).
fn pdf_fonts(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdffonts")
        .arg(pdf)
        .output()
        .expect("pdffonts (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Item 5: in a folder from `init` (both forms), the `--emit-typst` file typesets with that
/// folder's fonts/ alone (no embedded face, no system font) and embeds Liberation Serif only.
#[test]
fn an_init_folder_s_emitted_typst_typesets_with_its_own_fonts_only() {
    let f = Fixture::empty();
    f.run(&["init", "mau"]).success();
    init_blank(&f, "trong", &["--year", "2025"]);
    for name in ["mau", "trong"] {
        f.run(&[
            "build",
            "--root",
            name,
            "--emit-typst",
            &format!("{name}.typ"),
        ])
        .success();
        let markup = f.read(&format!("{name}.typ"));
        let alone = Fixture::empty();
        let fonts = baocao::typeset::folder_fonts(&[f.path(&format!("{name}/fonts"))]).unwrap();
        assert_eq!(fonts.len(), 4, "{name}: the four faces");
        let (pdf, warnings) = baocao::typeset::standalone_pdf(&alone.root, &markup, fonts)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
        let path = alone.path("alone.pdf");
        std::fs::write(&path, pdf).unwrap();
        let families = pdf_fonts(&path);
        assert!(!families.is_empty());
        for fam in &families {
            // Subset names: ABCDEF+LiberationSerif-Bold.
            let base = fam.split('+').next_back().unwrap();
            assert!(base.starts_with("LiberationSerif"), "{name}: embeds {fam}");
        }
        // Without the folder's fonts the same file falls back and Typst says so: the check
        // above can fail.
        let none = Fixture::empty();
        let (_, warnings) = baocao::typeset::standalone_pdf(&none.root, &markup, vec![]).unwrap();
        assert!(!warnings.is_empty(), "{name}: no warning without fonts");
    }
}

// ---------------------------------------------------------------------------------------------
// Item 6: the draft mark explained, and only what the report prints counts

const UNPRINTED: &str = "chi_tieu:\n  - id: chua_in\n    ten: Chỉ tiêu không in\n    minh_hoa: true\n    ky:\n      6-thang:\n        thuc_hien: 5\n";

#[test]
fn an_illustrative_indicator_counts_only_when_the_report_prints_it() {
    let f = Fixture::default_report();
    f.run(&["build", "-o", "truoc.pdf"]).success();
    f.write("data/chi-tieu/them.yaml", UNPRINTED);
    let build = f.run(&["build", "-o", "sau.pdf"]).success();
    assert!(!build.stdout().contains("DỰ THẢO"), "{}", build.stdout());
    assert_eq!(
        std::fs::read(f.path("truoc.pdf")).unwrap(),
        std::fs::read(f.path("sau.pdf")).unwrap(),
        "an indicator no template and no row reads changes nothing"
    );
    assert!(!f.run(&["check"]).success().stdout().contains("DỰ THẢO"));
    // Listed in the appendix, it is printed: the report is a draft, and says why and where.
    let bieu = f.read("data/bieu.yaml");
    f.write(
        "data/bieu.yaml",
        &format!("{bieu}  - ten: Nhóm thêm\n    chi_tieu: [chua_in]\n"),
    );
    let why = "bản DỰ THẢO vì:\n  - báo cáo in số liệu minh họa (`minh_hoa: true`) của 1 chỉ tiêu: `chua_in`\n      data/chi-tieu/them.yaml: dòng 4";
    f.run(&["build", "-o", "sau.pdf"])
        .success()
        .stdout_contains(why);
    assert!(pdf_info(&f.path("sau.pdf")).contains("Title:           DỰ THẢO - "));
    f.run(&["check"]).success().stdout_contains(why);
    // Read by a template instead: the same.
    f.write("data/bieu.yaml", &bieu);
    let root = f.read("templates/bao-cao.typ.j2");
    f.write(
        "templates/bao-cao.typ.j2",
        &root.replace(
            "#chu-ky(meta)",
            "Thêm: {{ ct.chua_in.th }}.\n\n#chu-ky(meta)",
        ),
    );
    f.run(&["build", "-o", "sau.pdf"])
        .success()
        .stdout_contains(why);
}

#[test]
fn du_thao_and_an_illustrative_period_are_explained_with_their_line() {
    let f = Fixture::default_report();
    let meta = f.read("data/bao-cao.yaml");
    let line = meta.lines().position(|l| l == "du_thao: false").unwrap() + 1;
    f.write(
        "data/bao-cao.yaml",
        &meta.replace("du_thao: false", "du_thao: true"),
    );
    f.run(&["build"]).success().stdout_contains(&format!(
        "bản DỰ THẢO vì:\n  - dữ liệu ghi `du_thao: true` (data/bao-cao.yaml:{line}:10)\n"
    ));
    f.run(&["check"])
        .success()
        .stdout_contains("dữ liệu ghi `du_thao: true`");
    f.write("data/bao-cao.yaml", &meta);
    // The year-end report: the period's own mark, then the indicators it prints.
    let line = meta
        .lines()
        .enumerate()
        .skip_while(|(_, l)| *l != "  ca-nam:")
        .find(|(_, l)| l.trim() == "minh_hoa: true")
        .unwrap()
        .0
        + 1;
    f.run(&["build", "--period", "ca-nam"])
        .success()
        .stdout_contains(&format!(
            "bản DỰ THẢO vì:\n  - số liệu kỳ `ca-nam` là minh họa (`minh_hoa: true`) (data/bao-cao.yaml:{line}:15)\n  - báo cáo in số liệu minh họa (`minh_hoa: true`) của "
        ));
    // The six-month report of the sample is no draft, and says nothing.
    let out = f.run(&["build"]).success().stdout();
    assert!(
        !out.contains("DỰ THẢO") && !out.contains("chỗ trống"),
        "{out}"
    );
}
