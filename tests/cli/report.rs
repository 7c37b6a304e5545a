//! The built-in report: it holds the reference's key passages, and its figures follow data/.

use crate::fixture::*;

#[test]
fn the_default_report_holds_its_key_passages_and_figures() {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let t = pdf_text(&f.pdf());
    for want in [
        // title and parts
        "BÁO CÁO Tình hình thực hiện các chỉ tiêu phát triển kinh tế - xã hội 6 tháng đầu năm",
        "Phần thứ nhất KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2024",
        "I. ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2024",
        "III. ĐÁNH GIÁ CHUNG", // the reference's second "II." numbered right
        "Phần thứ hai",
        // computed figures
        "Thu ngân sách thành phố đạt 47,13% kế hoạch Tỉnh và HĐND giao, bằng 115,7% so với cùng kỳ",
        "23 chỉ tiêu phát triển kinh tế",
        "6.112/11.550 tấn, đạt 52,9% kế hoạch",
        "119,34/429 tỷ đồng",
        "1.146/1.220 con, đạt 93,93% kế hoạch",
        // the closing sentence and the signature block
        "của Ủy ban nhân dân thành phố Cao Bằng./.",
        "- Lưu: VT.",
        // the appendix
        "Biểu số 01",
        "(Kèm theo Báo cáo số",
    ] {
        assert!(t.contains(want), "missing `{want}`");
    }
    // All 14 footnotes, at the bottom of their pages, with their full text.
    for snippet in [
        "Lúa xuân: Diện tích: 706,5/700 ha",
        "01 vụ cháy tại phường Ngọc xuân",
        "Kết quả, giải nhất cá nhân nam",
        "Tỷ lệ tiêm chủng đầy đủ cho trẻ dưới 1 tuổi đạt 17,9%",
        "Nghị định 94/2023/NĐ-CP quy định về chính sách giảm thuế",
        "Quyết định số 320/QĐ-TTg ngày 08/3/2022",
    ] {
        assert!(t.contains(snippet), "footnote text `{snippet}` missing");
    }
    // The three legal references are links.
    let raw = String::from_utf8_lossy(&std::fs::read(f.pdf()).unwrap()).into_owned();
    for uri in [
        "keyword=01/nq-cp",
        "Nghi-dinh-94-2023-ND-CP",
        "Nghi-quyet-110-2023-QH15",
    ] {
        assert!(raw.contains(uri), "no link to {uri}");
    }
    // 14 footnote entries: the separator-line numbering runs 1..14.
    let out = std::process::Command::new("pdftotext")
        .arg(f.pdf())
        .arg("-")
        .output()
        .unwrap();
    let plain = String::from_utf8_lossy(&out.stdout);
    let notes = plain.lines().filter(|l| {
        let d: String = l.chars().take_while(|c| c.is_ascii_digit()).collect();
        !d.is_empty()
            && d.parse::<u32>().is_ok_and(|n| (1..=14).contains(&n))
            && l.len() > d.len() + 20
    });
    assert!(notes.count() >= 14, "fewer than 14 footnote entries");
}

#[test]
fn changing_one_indicator_changes_every_figure_derived_from_it() {
    let f = Fixture::default_report();
    f.run(&["build", "-o", "cu.pdf"]).success();
    let before = pdf_text(&f.path("cu.pdf"));
    // Giá trị sản xuất nông nghiệp: 105 -> 139 of a plan of 278 (37,8% -> 50,0%).
    f.edit(
        "data/chi-tieu/kinh-te.yaml",
        "        uoc_thuc_hien: 105\n",
        "        uoc_thuc_hien: 139\n",
    );
    f.run(&["build", "-o", "moi.pdf"]).success();
    let after = pdf_text(&f.path("moi.pdf"));
    let pairs = [
        // Part one, mục I (the summary)
        (
            "Giá trị sản xuất nông nghiệp đạt 37,8%",
            "Giá trị sản xuất nông nghiệp đạt 50,0%",
        ),
        // 1.1 a) Trồng trọt
        (
            "105/278 tỷ đồng, đạt 37,8% kế hoạch",
            "139/278 tỷ đồng, đạt 50,0% kế hoạch",
        ),
        // the appendix row: ĐVT, plan, value, % of plan
        (
            "Giá trị sản xuất nông nghiệp tỷ đồng 278 105 37,77",
            "Giá trị sản xuất nông nghiệp tỷ đồng 278 139 50,00",
        ),
    ];
    for (old, new) in pairs {
        assert!(before.contains(old), "before: `{old}` missing");
        assert!(!after.contains(old), "after: `{old}` still printed");
        assert!(after.contains(new), "after: `{new}` missing");
    }
}
