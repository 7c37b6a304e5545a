//! Every period from the same data: quý I, 6 tháng, 9 tháng and the year-end report. For each,
//! the output name, the trích yếu and title, the Phần thứ hai heading, the appendix columns,
//! one computed figure and the DỰ THẢO mark (the illustrative periods are drafts; the
//! six-month report reproduces the reference and is not).

use std::path::Path;
use std::process::Command;

use crate::fixture::{Fixture, pdf_info, pdf_text_raw};

/// Pixels of page 2 (grey, 36 dpi) in the colour of the DỰ THẢO mark (#d2d2d2).
fn mark_pixels(pdf: &Path) -> usize {
    let out = Command::new("pdftoppm")
        .args([
            "-gray",
            "-r",
            "36",
            "-f",
            "2",
            "-l",
            "2",
            pdf.to_str().unwrap(),
        ])
        .output()
        .expect("pdftoppm (poppler-utils)");
    assert!(out.status.success(), "pdftoppm failed on {}", pdf.display());
    // PGM: "P5\n<w> <h>\n255\n" then one byte a pixel.
    let data = out.stdout;
    let mut newlines = 0;
    let start = data
        .iter()
        .position(|b| {
            newlines += (*b == b'\n') as usize;
            newlines == 3
        })
        .unwrap()
        + 1;
    data[start..].iter().filter(|p| **p == 210).count()
}

struct Expect {
    period: &'static str,
    file: &'static str,
    /// The trích yếu under "BÁO CÁO", then the title of Phần thứ nhất.
    title: &'static str,
    phan_hai: &'static str,
    columns: &'static str,
    /// A derived figure, computed by hand from data/chi-tieu/kinh-te.yaml (thu_ngan_sach).
    figure: &'static str,
    draft: bool,
}

const PERIODS: [Expect; 4] = [
    Expect {
        period: "quy-1",
        file: "output/bao-cao-quy-1-2024.pdf",
        title: "BÁO CÁO Tình hình thực hiện các chỉ tiêu phát triển kinh tế - xã hội quý I, \
                nhiệm vụ, giải pháp trọng tâm 9 tháng cuối năm 2024 Phần thứ nhất KẾT QUẢ THỰC \
                HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI QUÝ I NĂM 2024",
        phan_hai: "Phần thứ hai NHIỆM VỤ VÀ GIẢI PHÁP TRỌNG TÂM 9 THÁNG CUỐI NĂM 2024 1. Nông \
                   nghiệp, lâm nghiệp",
        columns: "STT Chỉ tiêu ĐVT Kế hoạch năm 2024 Thực hiện quý I năm 2024 Ghi chú Kế hoạch \
                  năm Cùng kỳ",
        // thuc_hien 62,040 (to 15/3) / ke_hoach 329,130 = 18,849…%
        figure: "Thu ngân sách thành phố đạt 18,85% kế hoạch Tỉnh và HĐND giao, bằng 112,4% so \
                 với cùng kỳ",
        draft: true,
    },
    Expect {
        period: "6-thang",
        file: "output/bao-cao-6-thang-2024.pdf",
        title: "BÁO CÁO Tình hình thực hiện các chỉ tiêu phát triển kinh tế - xã hội 6 tháng đầu \
                năm, nhiệm vụ, giải pháp trọng tâm 6 tháng cuối năm 2024 Phần thứ nhất KẾT QUẢ \
                THỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2024",
        phan_hai: "Phần thứ hai NHIỆM VỤ VÀ GIẢI PHÁP TRỌNG TÂM 6 THÁNG CUỐI NĂM 2024 1. Nông \
                   nghiệp, lâm nghiệp",
        columns: "STT Chỉ tiêu ĐVT Kế hoạch năm 2024 Thực hiện 6 tháng năm 2024 Ghi chú Kế hoạch \
                  năm Cùng kỳ",
        // 155,108 / 329,130 = 47,126…%
        figure: "Thu ngân sách thành phố đạt 47,13% kế hoạch Tỉnh và HĐND giao, bằng 115,7% so \
                 với cùng kỳ",
        draft: false,
    },
    Expect {
        period: "9-thang",
        file: "output/bao-cao-9-thang-2024.pdf",
        title: "BÁO CÁO Tình hình thực hiện các chỉ tiêu phát triển kinh tế - xã hội 9 tháng đầu \
                năm, nhiệm vụ, giải pháp trọng tâm 3 tháng cuối năm 2024 Phần thứ nhất KẾT QUẢ \
                THỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI 9 THÁNG ĐẦU NĂM 2024",
        phan_hai: "Phần thứ hai NHIỆM VỤ VÀ GIẢI PHÁP TRỌNG TÂM 3 THÁNG CUỐI NĂM 2024 1. Nông \
                   nghiệp, lâm nghiệp",
        columns: "STT Chỉ tiêu ĐVT Kế hoạch năm 2024 Thực hiện 9 tháng năm 2024 Ghi chú Kế hoạch \
                  năm Cùng kỳ",
        // 238,410 / 329,130 = 72,436…%
        figure: "Thu ngân sách thành phố đạt 72,44% kế hoạch Tỉnh và HĐND giao, bằng 114,2% so \
                 với cùng kỳ",
        draft: true,
    },
    Expect {
        period: "ca-nam",
        file: "output/bao-cao-ca-nam-2024.pdf",
        title: "BÁO CÁO Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2024; mục \
                tiêu, nhiệm vụ và giải pháp phát triển kinh tế - xã hội năm 2025 Phần thứ nhất \
                KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2024",
        phan_hai: "Phần thứ hai MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM \
                   2025 I. BỐI CẢNH, DỰ BÁO TÌNH HÌNH",
        columns: "STT Chỉ tiêu ĐVT Thực hiện năm 2023 Kế hoạch năm 2024 Ước thực hiện cả năm \
                  2024 Kế hoạch năm 2025 Ghi chú Kế hoạch Năm 2023",
        // the estimate: 345,620 / 329,130 = 105,010…%; 345,620 / 312,450 (2023) = 110,616…%
        figure: "Thu ngân sách thành phố đạt 105,01% kế hoạch Tỉnh và HĐND giao, bằng 110,6% so \
                 với năm 2023",
        draft: true,
    },
];

fn check_period(f: &Fixture, e: &Expect) {
    let pdf = f.path(e.file);
    let text = pdf_text_raw(&pdf);
    for (what, want) in [
        ("title", e.title),
        ("Phần thứ hai", e.phan_hai),
        ("appendix columns", e.columns),
        ("computed figure", e.figure),
    ] {
        assert!(
            text.contains(want),
            "{}: {what} `{want}` not in the PDF",
            e.period
        );
    }
    let info = pdf_info(&pdf);
    let title = info
        .lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .unwrap_or("")
        .trim();
    assert_eq!(
        title.starts_with("DỰ THẢO"),
        e.draft,
        "{}: document title `{title}`",
        e.period
    );
}

#[test]
fn each_period_builds_with_its_title_tasks_columns_and_figures() {
    let f = Fixture::default_report();
    let mut marks = vec![];
    for e in &PERIODS {
        f.run(&["build", "--period", e.period])
            .success()
            .stdout_contains(e.file);
        check_period(&f, e);
        marks.push((e, mark_pixels(&f.path(e.file))));
    }
    // The DỰ THẢO mark is drawn (as outlines, not text) on the drafts only.
    let official = marks.iter().find(|(e, _)| !e.draft).unwrap().1;
    for (e, n) in &marks {
        if e.draft {
            assert!(
                *n > 3 * official + 500,
                "{}: no DỰ THẢO mark ({n} mark pixels, official report {official})",
                e.period
            );
        }
    }
}

#[test]
fn the_year_end_report_lists_next_years_targets_from_data() {
    let f = Fixture::default_report();
    f.run(&["build", "--period", "ca-nam"]).success();
    let text = pdf_text_raw(&f.path("output/bao-cao-ca-nam-2024.pdf"));
    for want in [
        "II. MỤC TIÊU TỔNG QUÁT",
        "III. CÁC CHỈ TIÊU CHỦ YẾU NĂM 2025",
        "- Thu ngân sách thành phố: 352,500 tỷ đồng;",
        "- Tỷ lệ hộ nghèo: dưới 0,8%;",
        "- Giảm tỷ lệ hộ nghèo: 0,15%.",
        "IV. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU 1. Nông nghiệp, lâm nghiệp",
        // tasks are next year's: the year in them follows
        "Tập trung thực hiện Chương trình xây dựng nông thôn mới năm 2025",
        // 20 of the 23 appendix indicators meet their plan (not industry and public investment,
        // below plan, nor schools, which has no plan)
        "có 20/23 chỉ tiêu phát triển kinh tế - xã hội chủ yếu đạt và vượt kế hoạch",
    ] {
        assert!(text.contains(want), "`{want}` not in the year-end report");
    }
    // A next-year target changed in data changes the list and the appendix.
    f.edit(
        "data/chi-tieu/kinh-te.yaml",
        "ke_hoach_nam_sau: 352,500",
        "ke_hoach_nam_sau: 360,000",
    );
    f.run(&["build", "--period", "ca-nam"]).success();
    let text = pdf_text_raw(&f.path("output/bao-cao-ca-nam-2024.pdf"));
    assert!(text.contains("- Thu ngân sách thành phố: 360,000 tỷ đồng;"));
    assert!(text.contains("312,450 329,130 345,620 105,0 110,6 360,000 Đạt"));
}

#[test]
fn a_period_overlay_replaces_the_shared_figures() {
    // data/ky/ca-nam/so-lieu/noi-chinh.yaml gives the year's TTHC counts; the six-month
    // report keeps data/so-lieu/noi-chinh.yaml.
    let f = Fixture::default_report();
    f.run(&["build", "--all-periods"]).success();
    let year = pdf_text_raw(&f.path("output/bao-cao-ca-nam-2024.pdf"));
    let half = pdf_text_raw(&f.path("output/bao-cao-6-thang-2024.pdf"));
    // 2.798 / 2.903 = 96,38…%, 2.903 - 2.798 = 105; 1.365 / 1.416 = 96,39…%, 1.416 - 1.365 = 51
    assert!(year.contains(
        "đã tiếp nhận 2.903 hồ sơ. Trong đó, số hồ sơ đã giải quyết 2.798/2.903 hồ sơ, đạt \
         96,4%; số hồ sơ đang giải quyết 105"
    ));
    assert!(half.contains(
        "đã tiếp nhận 1.416 hồ sơ. Trong đó, số hồ sơ đã giải quyết 1.365/1.416 hồ sơ, đạt \
         96,4%; số hồ sơ đang giải quyết 51"
    ));
}

#[test]
fn all_periods_builds_every_period_the_data_declares() {
    let f = Fixture::default_report();
    let run = f.run(&["build", "--all-periods"]).success();
    for e in &PERIODS {
        assert!(f.path(e.file).is_file(), "{} missing", e.file);
        assert!(run.stdout().contains(e.file), "{}", run.stdout());
    }
    let pdfs = std::fs::read_dir(f.path("output"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf")
        })
        .count();
    assert_eq!(pdfs, 4);
}
