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
    // Footnote texts (their count is checked exactly below).
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
        // the appendix row: ĐVT, plan, value, % of plan (at the indicator's so_thap_phan)
        (
            "Giá trị sản xuất nông nghiệp tỷ đồng 278 105 37,8",
            "Giá trị sản xuất nông nghiệp tỷ đồng 278 139 50,0",
        ),
    ];
    for (old, new) in pairs {
        assert!(before.contains(old), "before: `{old}` missing");
        assert!(!after.contains(old), "after: `{old}` still printed");
        assert!(after.contains(new), "after: `{new}` missing");
    }
}

/// The footnotes of a report: the `#footnote[` calls in its emitted Typst, and in its tagged
/// PDF (`pdfinfo -struct-text`) the footnote entries (`Note` elements: label and text) and
/// the marks in the body (`Lbl` elements outside a `Note`, labelled by a number).
#[derive(Debug)]
struct Footnotes {
    calls: usize,
    entries: Vec<(String, String)>,
    marks: Vec<String>,
}

impl Footnotes {
    /// The counts and numbers, with the start of each entry (for failure messages).
    fn summary(&self) -> String {
        let entries: Vec<String> = self
            .entries
            .iter()
            .map(|(l, t)| format!("{l}: {}…", t.chars().take(40).collect::<String>()))
            .collect();
        format!(
            "{} calls; marks {:?}; {} entries:\n{}",
            self.calls,
            self.marks,
            self.entries.len(),
            entries.join("\n")
        )
    }
}

fn footnotes(f: &Fixture) -> Footnotes {
    f.run(&[
        "build",
        "-o",
        "chu-thich.pdf",
        "--emit-typst",
        "chu-thich.typ",
    ])
    .success();
    let calls = f.read("chu-thich.typ").matches("#footnote[").count();
    let tree = pdf_struct_text(&f.path("chu-thich.pdf"));
    // (indent, line): an element's subtree is the lines after it that are indented deeper.
    let lines: Vec<(usize, &str)> = tree
        .lines()
        .map(|l| (l.len() - l.trim_start().len(), l.trim()))
        .collect();
    let subtree = |i: usize| {
        let indent = lines[i].0;
        lines[i + 1..]
            .iter()
            .take_while(move |(d, _)| *d > indent)
            .map(|(d, l)| (*d, *l))
    };
    let quoted = |l: &str| -> Option<String> {
        (l.len() >= 2 && l.starts_with('"') && l.ends_with('"'))
            .then(|| l[1..l.len() - 1].to_string())
    };
    let (mut entries, mut marks) = (vec![], vec![]);
    let mut note_end = 0; // lines before this index are inside the last Note
    for (i, &(_, line)) in lines.iter().enumerate() {
        if line.starts_with("Note ") {
            note_end = i + 1 + subtree(i).count();
            let (mut label, mut text) = (String::new(), String::new());
            let mut lbl_indent = None;
            for (d, l) in subtree(i) {
                if lbl_indent.is_some_and(|li| d <= li) {
                    lbl_indent = None;
                }
                if l.starts_with("Lbl ") && label.is_empty() {
                    lbl_indent = Some(d);
                } else if let Some(q) = quoted(l) {
                    if lbl_indent.is_some() {
                        label.push_str(&q);
                    } else {
                        text.push_str(&q);
                    }
                }
            }
            entries.push((label, text));
        } else if line.starts_with("Lbl ") && i >= note_end {
            let label: String = subtree(i).filter_map(|(_, l)| quoted(l)).collect();
            if !label.is_empty() && label.chars().all(|c| c.is_ascii_digit()) {
                marks.push(label);
            }
        }
    }
    Footnotes {
        calls,
        entries,
        marks,
    }
}

/// `text` without its first `#footnote[…]` (brackets balanced).
fn without_first_footnote(text: &str) -> Option<String> {
    let start = text.find("#footnote[")?;
    let mut depth = 0;
    for (i, c) in text[start..].char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    let end = start + i + 1;
                    return Some(format!("{}{}", &text[..start], &text[end..]));
                }
            }
            _ => {}
        }
    }
    None
}

/// Exactly 14 footnotes: 14 calls in the Typst, 14 marks in the body numbered 1 to 14, and 14
/// entries at the page feet numbered 1 to 14, each with its text. One footnote fewer fails.
#[test]
fn the_default_report_has_exactly_14_footnotes() {
    let numbers: Vec<String> = (1..=14).map(|n| n.to_string()).collect();
    let f = Fixture::default_report();
    let notes = footnotes(&f);
    assert_eq!(notes.calls, 14, "{}", notes.summary());
    assert_eq!(notes.marks, numbers, "marks in the body");
    let labels: Vec<&String> = notes.entries.iter().map(|(l, _)| l).collect();
    assert_eq!(labels, numbers.iter().collect::<Vec<_>>(), "entries");
    for (label, text) in &notes.entries {
        assert!(
            text.trim().chars().count() > 20,
            "entry {label} is empty: `{text}`"
        );
    }
    assert!(
        notes.entries[0]
            .1
            .starts_with("Lúa xuân: Diện tích: 706,5/700 ha"),
        "{:?}",
        notes.entries[0]
    );
    // The control: without the footnote of danh-gia-chung (the last one), the count says 13.
    let file = "templates/phan-1/danh-gia-chung.typ.j2";
    let text = f.read(file);
    let last = text.rfind("#footnote[").unwrap();
    let fewer = without_first_footnote(&text[last..]).unwrap();
    f.write(file, &format!("{}{fewer}", &text[..last]));
    let fewer = footnotes(&f);
    assert_eq!(
        (fewer.calls, fewer.marks.len(), fewer.entries.len()),
        (13, 13, 13),
        "{}",
        fewer.summary()
    );
}

/// The built-in report keeps the reference's text: tests/tools/fidelity.py (recall of the
/// reference's word 5-grams, tests/seed/) stays at its measured 98,71 % or above.
#[test]
fn the_default_report_keeps_the_reference_text() {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/tools/fidelity.py"))
        .arg(f.pdf())
        .output()
        .expect("python3 runs tests/tools/fidelity.py");
    let text = String::from_utf8_lossy(&out.stdout);
    let recall: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("recall of reference 5-grams: "))
        .and_then(|v| v.trim().trim_end_matches('%').parse().ok())
        .unwrap_or_else(|| panic!("no recall line in:\n{text}"));
    assert!(recall >= 98.7, "fidelity fell to {recall}%:\n{text}");
}
