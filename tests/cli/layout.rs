//! The layout holds for other shapes of report: part headings centred whatever their length,
//! agency lines broken only between compounds, a Nơi nhận list of any length running on to
//! the next page, and content that would overflow a page refused. Positions are read back from
//! the PDF with `pdftotext -bbox`; the decree's rules with ../shared/tools/nd30check.py.

use std::path::Path;
use std::process::Command;

use crate::fixture::*;

const MM: f64 = 72.0 / 25.4;
/// The portrait text block: left margin 30 mm, right 15 mm, top and bottom 20 mm.
const BLOCK_LEFT: f64 = 30.0 * MM;
const BLOCK_RIGHT: f64 = (210.0 - 15.0) * MM;
const BLOCK_TOP: f64 = 20.0 * MM;
const BLOCK_BOTTOM: f64 = (297.0 - 20.0) * MM;
/// The left column of the header grid (6,5 cm).
const LEFT_COLUMN_END: f64 = BLOCK_LEFT + 65.0 * MM;

#[derive(Debug, Clone)]
struct Word {
    page: usize,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// A line of words (same page, tops within 2 pt), left to right.
#[derive(Debug, Clone)]
struct Line {
    page: usize,
    y0: f64,
    y1: f64,
    x0: f64,
    x1: f64,
    text: String,
}

impl Line {
    fn centre(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
}

fn attr(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

/// Every word of the PDF with its box (`pdftotext -bbox`), pages from 1.
fn words(pdf: &Path) -> Vec<Word> {
    let out = Command::new("pdftotext")
        .args(["-bbox", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed by the tests");
    assert!(out.status.success(), "pdftotext -bbox failed");
    let html = String::from_utf8_lossy(&out.stdout);
    let mut page = 0;
    let mut words = vec![];
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let (tag, text) = rest.split_once('>').unwrap();
            let text = text.trim_end_matches("</word>").replace("&amp;", "&");
            words.push(Word {
                page,
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
                text,
            });
        }
    }
    words
}

fn lines(words: impl IntoIterator<Item = Word>) -> Vec<Line> {
    let mut ws: Vec<Word> = words.into_iter().collect();
    ws.sort_by(|a, b| {
        (a.page, a.y0, a.x0)
            .partial_cmp(&(b.page, b.y0, b.x0))
            .unwrap()
    });
    let mut out: Vec<(Line, Vec<Word>)> = vec![];
    for w in ws {
        match out
            .iter_mut()
            .find(|(l, _)| l.page == w.page && (l.y0 - w.y0).abs() < 2.0)
        {
            Some((l, members)) => {
                l.x0 = l.x0.min(w.x0);
                l.x1 = l.x1.max(w.x1);
                l.y1 = l.y1.max(w.y1);
                members.push(w);
            }
            None => out.push((
                Line {
                    page: w.page,
                    y0: w.y0,
                    y1: w.y1,
                    x0: w.x0,
                    x1: w.x1,
                    text: String::new(),
                },
                vec![w],
            )),
        }
    }
    out.into_iter()
        .map(|(mut l, mut ws)| {
            ws.sort_by(|a, b| a.x0.partial_cmp(&b.x0).unwrap());
            l.text = ws
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            l
        })
        .collect()
}

/// The decree's rules measured on a PDF: tests/tools/nd30check.py (a copy of the shared
/// tool, so CI needs nothing outside the repository).
fn nd30check(pdf: &Path) -> String {
    let tool = repo().join("tests/tools/nd30check.py");
    let out = Command::new("python3")
        .arg(&tool)
        .arg(pdf)
        .output()
        .expect("python3 is needed by nd30check.py");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn assert_nd30(pdf: &Path, what: &str) {
    let report = nd30check(pdf);
    assert!(
        report.contains(" passed, 0 failed"),
        "{what}: nd30check:\n{report}"
    );
}

/// The page holding "Nơi nhận:", and how full each page before it is (the lowest text in the
/// text block, as a share of its height).
fn fill_before_signature(pdf: &Path) -> (usize, Vec<(usize, f64)>) {
    let ws = words(pdf);
    let sig = ws
        .iter()
        .find(|w| w.text == "nhận:" && w.x0 < LEFT_COLUMN_END)
        .map(|w| w.page)
        .expect("no `Nơi nhận:`");
    let fill = (1..sig)
        .map(|p| {
            let low = ws
                .iter()
                .filter(|w| w.page == p && w.y0 > BLOCK_TOP)
                .map(|w| w.y1)
                .fold(BLOCK_TOP, f64::max);
            (p, (low - BLOCK_TOP) / (BLOCK_BOTTOM - BLOCK_TOP))
        })
        .collect();
    (sig, fill)
}

/// `noi_nhan` of data/bao-cao.yaml replaced by `n` recipients.
fn recipients(f: &Fixture, n: usize) {
    let meta = f.read("data/bao-cao.yaml");
    let start = meta.find("noi_nhan:\n").unwrap();
    let end = start + meta[start..].find("luu:").unwrap();
    let list: String = (1..=n)
        .map(|i| format!("  - Cơ quan nhận số {i}\n"))
        .collect();
    f.write(
        "data/bao-cao.yaml",
        &format!("{}noi_nhan:\n{list}{}", &meta[..start], &meta[end..]),
    );
}

fn assert_all_recipients(pdf: &Path, n: usize) {
    let text = pdf_text(pdf);
    for i in 1..=n {
        assert!(
            text.contains(&format!("- Cơ quan nhận số {i};")),
            "recipient {i} of {n} not printed"
        );
    }
    assert!(text.contains("- Lưu: VT."), "the `- Lưu` line is lost");
}

#[test]
fn part_headings_are_centred_on_the_text_block() {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let ls = lines(words(&f.pdf()));
    let centre = (BLOCK_LEFT + BLOCK_RIGHT) / 2.0;
    let mut title_lines = vec![];
    for (i, l) in ls.iter().enumerate() {
        if !l.text.starts_with("Phần thứ ") {
            continue;
        }
        // The heading, then its title's lines: centred, capitals.
        let title: Vec<&Line> = ls[i + 1..]
            .iter()
            .take_while(|t| t.page == l.page && t.text.to_uppercase() == t.text)
            .collect();
        for m in std::iter::once(l).chain(title.iter().copied()) {
            let off = (m.centre() - centre) / MM;
            assert!(
                off.abs() <= 1.0,
                "`{}` is {off:.1} mm off the text block's centre",
                m.text
            );
        }
        title_lines.push(title.len());
    }
    // Phần thứ nhất has a two-line title, Phần thứ hai a one-line title.
    assert_eq!(title_lines, [2, 1], "part headings found: {title_lines:?}");
}

#[test]
fn agency_lines_break_between_compounds_only() {
    let f = Fixture::default_report();
    // One line for the whole name, too long for the 6,5 cm column.
    f.edit(
        "data/bao-cao.yaml",
        "co_quan:\n  - ỦY BAN NHÂN DÂN\n  - THÀNH PHỐ CAO BẰNG\n",
        "co_quan:\n  - ỦY BAN NHÂN DÂN THÀNH PHỐ CAO BẰNG\n",
    );
    f.run(&["build", "-o", "ubnd.pdf"]).success();
    // A phòng under its parent agency.
    f.edit(
        "data/bao-cao.yaml",
        "co_quan:\n  - ỦY BAN NHÂN DÂN THÀNH PHỐ CAO BẰNG\n",
        "co_quan_chu_quan:\n  - ỦY BAN NHÂN DÂN HUYỆN HÒA AN\nco_quan:\n  - PHÒNG TÀI CHÍNH - KẾ HOẠCH\n",
    );
    let r = f.run(&["build", "-o", "phong.pdf"]).success();
    // No header line warning (the data's arithmetic warnings are counted on their own line).
    assert!(
        !r.stderr().contains("dài hơn cột tiêu đề"),
        "{}",
        r.stderr()
    );
    for (pdf, want) in [
        ("ubnd.pdf", &["ỦY BAN NHÂN DÂN", "THÀNH PHỐ CAO BẰNG"][..]),
        (
            "phong.pdf",
            &[
                "ỦY BAN NHÂN DÂN",
                "HUYỆN HÒA AN",
                "PHÒNG TÀI CHÍNH -",
                "KẾ HOẠCH",
            ][..],
        ),
    ] {
        let ws = words(&f.path(pdf));
        let so = ws
            .iter()
            .find(|w| w.page == 1 && w.text == "Số:")
            .unwrap()
            .y0;
        let header: Vec<String> = lines(
            ws.into_iter()
                .filter(|w| w.page == 1 && w.x1 <= LEFT_COLUMN_END + 1.0 && w.y0 < so - 1.0),
        )
        .into_iter()
        .map(|l| l.text)
        .collect();
        assert_eq!(header, want, "{pdf}");
        for l in &header {
            assert!(
                !l.ends_with("THÀNH") && !l.ends_with("KẾ"),
                "{pdf}: `{l}` breaks a compound"
            );
        }
    }
}

#[test]
fn an_agency_line_that_cannot_break_well_is_a_warning() {
    let f = Fixture::default_report();
    f.edit(
        "data/bao-cao.yaml",
        "  - THÀNH PHỐ CAO BẰNG\n",
        "  - TRUNG TÂM PHÁT TRIỂN QUỸ ĐẤT VÀ DỊCH VỤ CÔNG ÍCH\n",
    );
    f.run(&["build"])
        .success()
        .stderr_contains(
            "cảnh báo: dòng `TRUNG TÂM PHÁT TRIỂN QUỸ ĐẤT VÀ DỊCH VỤ CÔNG ÍCH` của `co_quan` dài hơn cột tiêu đề",
        )
        .stderr_contains("data/bao-cao.yaml:5:5");
}

#[test]
fn eighty_recipients_all_print_and_run_on_to_the_next_page() {
    let f = Fixture::default_report();
    recipients(&f, 80);
    f.run(&["build"]).success();
    assert_all_recipients(&f.pdf(), 80);
    let (sig, fill) = fill_before_signature(&f.pdf());
    for (page, full) in fill {
        assert!(full >= 0.5, "page {page} of {sig} is {full:.2} full");
    }
    // The list runs on from the signature's page: the page after it starts with recipients.
    let ls = lines(words(&f.pdf()));
    let next = ls
        .iter()
        .find(|l| l.page == sig + 1 && l.y0 > BLOCK_TOP)
        .unwrap();
    assert!(next.text.starts_with("- Cơ quan nhận số"), "{next:?}");
    assert_nd30(&f.pdf(), "80 recipients");
}

/// A paragraph of three lines or so.
const PARA: &str = "Đoạn văn bản dùng để thử cách dàn trang khi danh sách nơi nhận dài, gồm nhiều \
                    câu có độ dài như một đoạn trong báo cáo thật, đủ cho ba dòng chữ trên một \
                    trang khổ A4 với lề trái ba mươi milimét và lề phải mười lăm milimét.";

/// A root template of our own: the header, `before` (markup), the closing sentence and the
/// signature.
fn root_template(f: &Fixture, before: &str) {
    f.write(
        "templates/bao-cao.typ.j2",
        &format!(
            "#import \"nd30.typ\": *\n#show: van-ban.with(meta)\n#tieu-de(meta)\n\n{before}\n\n\
             #loi-ket[Trên đây là Báo cáo {{{{ bc.trich_yeu }}}} của {{{{ bc.ten_co_quan }}}}./.]\n\n\
             #chu-ky(meta)\n"
        ),
    );
}

fn paras(n: usize) -> String {
    (0..n).map(|_| format!("{PARA}\n\n")).collect()
}

#[test]
fn forty_recipients_leave_no_page_half_empty() {
    // The closing sentence falls in the upper half of page 2, and the signature with 40
    // recipients does not fit below it whole: the list must run on, not jump to page 3 and
    // leave page 2 more than half empty.
    let f = Fixture::default_report();
    recipients(&f, 40);
    root_template(
        &f,
        &format!(
            "#phan[Kết quả]\n\n#muc[Tình hình]\n\n{}#pagebreak()\n\n{}",
            paras(6),
            paras(4)
        ),
    );
    f.run(&["build"]).success();
    assert_all_recipients(&f.pdf(), 40);
    let (sig, fill) = fill_before_signature(&f.pdf());
    assert_eq!(
        sig, 2,
        "the signature starts right under the closing sentence, on page 2"
    );
    for (page, full) in fill {
        assert!(full >= 0.5, "page {page} of {sig} is {full:.2} full");
    }
    let ls = lines(words(&f.pdf()));
    let last = ls
        .iter()
        .filter(|l| l.page == 2)
        .map(|l| l.y1)
        .fold(0.0, f64::max);
    assert!(
        last > BLOCK_BOTTOM - 15.0 * MM,
        "the list stops {:.0} mm above the bottom of page 2",
        (BLOCK_BOTTOM - last) / MM
    );
    assert_nd30(&f.pdf(), "40 recipients");
}

#[test]
fn the_signature_keeps_the_closing_sentence_with_it() {
    // Page 2 full but for the closing sentence's lines: the signature cannot fit under it,
    // and takes the closing sentence along to page 3.
    let f = Fixture::default_report();
    root_template(
        &f,
        "#pagebreak()\n#block(width: 100%, height: 225mm)[Khối chiếm gần hết trang.]",
    );
    f.run(&["build"]).success();
    let ls = lines(words(&f.pdf()));
    let closing = ls.iter().find(|l| l.text.contains("Trên đây là")).unwrap();
    let label = ls.iter().find(|l| l.text.starts_with("Nơi nhận:")).unwrap();
    assert_eq!(label.page, 3);
    assert_eq!(
        closing.page, label.page,
        "the signature stands alone on its page"
    );
}

#[test]
fn content_pushed_past_the_margins_is_an_error_and_the_old_pdf_stays() {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let good = std::fs::read(f.pdf()).unwrap();
    let original = f.read("templates/phan-1/mo-dau.typ.j2");
    let lines = original.lines().count();
    // An unbreakable block taller than a page.
    f.write(
        "templates/phan-1/mo-dau.typ.j2",
        &format!(
            "{original}\n#block(breakable: false)[{{% for i in range(70) %}}Dòng thứ {{{{ i }}}} của một khối không ngắt trang được. \\\n{{% endfor %}}]\n"
        ),
    );
    f.run(&["build"])
        .failure()
        .stderr_contains("lỗi: nội dung tràn ra ngoài lề dưới ở trang")
        .stderr_contains("Dòng thứ")
        .stderr_contains("templates/phan-1/mo-dau.typ.j2:");
    assert_eq!(std::fs::read(f.pdf()).unwrap(), good, "the old PDF changed");
    // A table wider than the text block.
    f.write(
        "templates/phan-1/mo-dau.typ.j2",
        &format!("{original}\n#table(columns: (90mm, 90mm), [Ô một], [Ô hai rất rộng])\n"),
    );
    f.run(&["build"])
        .failure()
        .stderr_contains("lỗi: nội dung tràn ra ngoài lề phải ở trang")
        .stderr_contains(&format!("templates/phan-1/mo-dau.typ.j2:{}", lines + 2));
    // A word longer than the line.
    let long = "X".repeat(90);
    f.write(
        "templates/phan-1/mo-dau.typ.j2",
        &format!("{original}\nMã số {long} hết.\n"),
    );
    f.run(&["build"])
        .failure()
        .stderr_contains("lỗi: nội dung tràn ra ngoài lề phải ở trang")
        .stderr_contains(&long[..40]);
    assert_eq!(std::fs::read(f.pdf()).unwrap(), good, "the old PDF changed");
}

#[test]
fn every_period_passes_the_decree_check() {
    let f = Fixture::default_report();
    f.run(&["build", "--all-periods"]).success();
    for period in ["quy-1", "6-thang", "9-thang", "ca-nam"] {
        assert_nd30(
            &f.path(&format!("output/bao-cao-{period}-2024.pdf")),
            period,
        );
    }
}

#[test]
fn a_phong_report_signed_kt_passes_the_decree_check() {
    let f = Fixture::default_report();
    f.edit(
        "data/bao-cao.yaml",
        "co_quan:\n  - ỦY BAN NHÂN DÂN\n  - THÀNH PHỐ CAO BẰNG\n",
        "co_quan_chu_quan:\n  - ỦY BAN NHÂN DÂN HUYỆN HÒA AN\nco_quan:\n  - PHÒNG TÀI CHÍNH - KẾ HOẠCH\n",
    );
    f.edit(
        "data/bao-cao.yaml",
        "  quyen_han:\n    - TM. ỦY BAN NHÂN DÂN\n  chuc_vu:\n    - CHỦ TỊCH\n  ho_ten: \"\"",
        "  quyen_han:\n    - KT. TRƯỞNG PHÒNG\n  chuc_vu:\n    - PHÓ TRƯỞNG PHÒNG\n  ho_ten: Nguyễn Văn An",
    );
    recipients(&f, 80);
    f.run(&["build"]).success();
    assert_all_recipients(&f.pdf(), 80);
    let (sig, _) = fill_before_signature(&f.pdf());
    let right = lines(
        words(&f.pdf())
            .into_iter()
            .filter(|w| w.page == sig && w.x0 > LEFT_COLUMN_END),
    );
    let signer: Vec<&str> = right
        .iter()
        .map(|l| l.text.as_str())
        .filter(|t| t.contains("PHÒNG") || t.contains("Nguyễn"))
        .collect();
    assert_eq!(
        signer,
        ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Nguyễn Văn An"]
    );
    assert_nd30(&f.pdf(), "phòng, KT., 80 recipients");
}
