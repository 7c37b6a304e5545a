//! The layout holds for other shapes of report: part headings centred whatever their length,
//! agency lines broken only between compounds. Positions are read back from the PDF with `pdftotext -bbox`; the decree's rules with
//! ../shared/tools/nd30check.py.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fixture::*;

const MM: f64 = 72.0 / 25.4;
/// The portrait text block: left margin 30 mm, right 15 mm.
const BLOCK_LEFT: f64 = 30.0 * MM;
const BLOCK_RIGHT: f64 = (210.0 - 15.0) * MM;
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

/// ../shared/tools/nd30check.py, found next to the repository (or its worktree's parent).
/// Missing, the check is skipped with a message, and fails under CI.
fn nd30check(pdf: &Path) -> Option<String> {
    let repo = repo();
    let tool: Option<PathBuf> = repo
        .ancestors()
        .skip(1)
        .take(3)
        .map(|d| d.join("shared/tools/nd30check.py"))
        .find(|p| p.is_file());
    let Some(tool) = tool else {
        assert!(
            std::env::var_os("CI").is_none(),
            "nd30check.py not found next to {}",
            repo.display()
        );
        eprintln!(
            "nd30check.py not found: the decree check of {} is skipped",
            pdf.display()
        );
        return None;
    };
    let out = Command::new("python3")
        .arg(&tool)
        .arg(pdf)
        .output()
        .expect("python3 is needed by nd30check.py");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn assert_nd30(pdf: &Path, what: &str) {
    if let Some(report) = nd30check(pdf) {
        assert!(
            report.contains(" passed, 0 failed"),
            "{what}: nd30check:\n{report}"
        );
    }
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
    assert!(!r.stderr().contains("cảnh báo"), "{}", r.stderr());
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
