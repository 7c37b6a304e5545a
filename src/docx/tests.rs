//! The writer on markup compiled for Typst's HTML target: what the tree reader makes of each
//! element of the mapping, and whole packages written twice in one process.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use typst::foundations::Datetime;

use super::body::{self, Block, Fmt, Inline, ParaStyle, RunIn};
use crate::document::LayoutData;
use crate::typeset::{ReportWorld, load_fonts};

static N: AtomicUsize = AtomicUsize::new(0);

/// A folder with an empty templates/, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new() -> Self {
        let p = std::env::temp_dir().join(format!(
            "baocao-docx-unit-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(p.join("templates")).unwrap();
        Dir(p)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn html(markup: &str) -> typst_html::HtmlDocument {
    let dir = Dir::new();
    let mut world = ReportWorld::new(&dir.0, load_fonts(&[]).unwrap()).unwrap();
    world.update(markup, None, Datetime::from_ymd(2024, 6, 30).unwrap());
    let (doc, _) = world.compile_html();
    match doc {
        Ok(d) => d,
        Err(e) => panic!("{:?}", e.0.iter().map(|d| &d.message).collect::<Vec<_>>()),
    }
}

fn text(t: &str, fmt: Fmt) -> Inline {
    Inline::Text(t.into(), fmt)
}

#[test]
fn the_reader_follows_the_mapping() {
    let doc = html(
        r##"#let the(tag, lop, body) = html.elem(tag, attrs: (class: lop), body)
#the("div", "nd30-tieu-de")[header]
#the("h1", "nd30-ten-van-ban")[BÁO CÁO]
#the("p", "nd30-du-thao")[DỰ THẢO]
#the("h2", "nd30-phan")[Phần thứ nhất #linebreak() TIÊU ĐỀ]
#the("h3", "nd30-muc")[I. MỤC]
#the("h4", "nd30-khoan")[1\. Khoản]
#the("h5", "nd30-tieu-khoan")[1.1. Tiểu khoản]

#the("strong", "nd30-diem", emph[a) Điểm:]) Lời *đậm* và _nghiêng_ có chú thích#footnote[Ghi chú có #link("https://example.vn/a?b=1&c=2")[liên kết].].

#the("strong", "nd30-khoan")[2\. Liền:] Tiếp theo.

- Gạch đầu dòng
+ Đánh số

#the("p", "nd30-loi-ket")[Trên đây là báo cáo./.]
#the("div", "nd30-ky-nhan")[ký]
#the("section", "nd30-phu-luc")[biểu]
"##,
    );
    let b = body::read(&doc).unwrap();
    let styles: Vec<String> = b
        .blocks
        .iter()
        .map(|bl| match bl {
            Block::Para(p) => format!("{:?}: {}", p.style, body::plain(&p.inlines)),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        styles,
        [
            "Header",
            "Title",
            "Heading(1): Phần thứ nhất\nTIÊU ĐỀ",
            "Heading(2): I. MỤC",
            "Heading(3): 1. Khoản",
            "Heading(4): 1.1. Tiểu khoản",
            "Body: a) Điểm: Lời đậm và nghiêng có chú thích.",
            "Body: 2. Liền: Tiếp theo.",
            "Body: - Gạch đầu dòng",
            "Body: 1. Đánh số",
            "Closing: Trên đây là báo cáo./.",
            "Signature",
            "Appendix",
        ]
    );
    // (Lists reach the reader as `ul`/`ol` only without nd30.typ's show rules.)
    let Block::Para(p) = &b.blocks[6] else {
        panic!()
    };
    let diem = Fmt {
        italic: true,
        run_in: Some(RunIn::Diem),
        ..Fmt::default()
    };
    let bold = Fmt {
        bold: true,
        ..Fmt::default()
    };
    let italic = Fmt {
        italic: true,
        ..Fmt::default()
    };
    let plain = Fmt::default();
    assert_eq!(
        p.inlines,
        [
            text("a) Điểm:", diem),
            text(" Lời ", plain),
            text("đậm", bold),
            text(" và ", plain),
            text("nghiêng", italic),
            text(" có chú thích", plain),
            Inline::Note(0),
            text(".", plain),
        ]
    );
    let Block::Para(p) = &b.blocks[7] else {
        panic!()
    };
    assert_eq!(
        p.inlines[0],
        text(
            "2. Liền:",
            Fmt {
                bold: false,
                run_in: Some(RunIn::Khoan),
                ..Fmt::default()
            }
        )
    );
    assert!(matches!(p.style, ParaStyle::Body));
    // The note's text, its back link left out, its link kept.
    assert_eq!(b.notes.len(), 1);
    assert_eq!(
        b.notes[0],
        [
            text("Ghi chú có ", plain),
            Inline::Link(
                "https://example.vn/a?b=1&c=2".into(),
                vec![text("liên kết", plain)]
            ),
            text(".", plain),
        ]
    );
}

#[test]
fn a_note_mark_without_its_note_is_an_error_not_a_blank() {
    let doc = html(
        r##"Chữ#html.elem("sup", attrs: (role: "doc-noteref"))[#html.elem("a", attrs: (href: "#khong-co"))[1]]"##,
    );
    let e = body::read(&doc).unwrap_err();
    assert!(e.0[0].message.contains("chú thích"), "{:?}", e.0[0].message);
}

fn default_layout() -> (LayoutData, Option<crate::bieu::Table>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = crate::data::load(root).unwrap();
    let period = data.default_period();
    (
        LayoutData::new(&data, period, false).unwrap(),
        crate::bieu::describe(&data, period),
    )
}

#[test]
fn the_same_input_gives_the_same_bytes_in_one_process() {
    let doc = html(
        r##"#html.elem("div", attrs: (class: "nd30-tieu-de"))[x]
Một đoạn#footnote[Chú thích #link("https://a.vn")[a].] và #link("https://b.vn")[b].
#html.elem("div", attrs: (class: "nd30-ky-nhan"))[x]
#html.elem("section", attrs: (class: "nd30-phu-luc"))[x]
"##,
    );
    let (layout, table) = default_layout();
    let when = Datetime::from_ymd_hms(2024, 6, 30, 0, 0, 0).unwrap();
    let a = super::write(&doc, &layout, table.as_ref(), when).unwrap();
    let b = super::write(&doc, &layout, table.as_ref(), when).unwrap();
    assert_eq!(a, b);
    let later = Datetime::from_ymd_hms(2024, 7, 1, 8, 0, 0).unwrap();
    let c = super::write(&doc, &layout, table.as_ref(), later).unwrap();
    assert_ne!(a, c, "the date is in core.xml");
    // Without the appendix's table the package has one section and two headers.
    let d = super::write(&doc, &layout, None, when).unwrap();
    let names = |bytes: &[u8]| -> Vec<String> {
        let z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        z.file_names().map(str::to_string).collect()
    };
    assert!(names(&a).contains(&"word/header4.xml".to_string()));
    assert!(!names(&d).iter().any(|n| n.contains("header3")));
    assert!(names(&a).contains(&"word/_rels/footnotes.xml.rels".to_string()));
}
