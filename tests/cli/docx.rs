//! The Word copy (`build --format docx`): its package read part by part (well-formed XML,
//! relationships, content types), the Nghị định 30 structures in it, and its bytes.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::fixture::{Fixture, have_tool};
use crate::formats::{fidelity_tool, recall};
use crate::layout::assert_nd30;

/// An XML element, parsed whole.
#[derive(Debug, Default, Clone)]
struct El {
    name: String,
    attrs: HashMap<String, String>,
    children: Vec<El>,
    text: String,
}

impl El {
    fn attr(&self, k: &str) -> Option<&str> {
        self.attrs.get(k).map(String::as_str)
    }

    /// Every descendant (and itself) named `name`, in document order.
    fn all<'a>(&'a self, name: &str) -> Vec<&'a El> {
        let mut out = vec![];
        self.walk(&mut |e| {
            if e.name == name {
                out.push(e);
            }
        });
        out
    }

    fn walk<'a>(&'a self, f: &mut impl FnMut(&'a El)) {
        f(self);
        for c in &self.children {
            c.walk(f);
        }
    }

    fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of every `w:t` under it.
    fn w_text(&self) -> String {
        self.all("w:t").iter().map(|t| t.text.as_str()).collect()
    }
}

/// Parse a part; panics (naming it) if it is not well-formed XML.
fn parse(name: &str, bytes: &[u8]) -> El {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{name}: not UTF-8"));
    let mut r = Reader::from_str(text);
    r.config_mut().check_end_names = true;
    let mut stack: Vec<El> = vec![El::default()];
    let open = |e: &quick_xml::events::BytesStart| El {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap_or_else(|e| panic!("{name}: bad attribute: {e}"));
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..El::default()
    };
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => stack.push(open(&e)),
            Ok(Event::Empty(e)) => {
                let el = open(&e);
                stack.last_mut().unwrap().children.push(el);
            }
            Ok(Event::End(_)) => {
                let el = stack.pop().unwrap();
                stack
                    .last_mut()
                    .unwrap_or_else(|| panic!("{name}: unbalanced"))
                    .children
                    .push(el);
            }
            Ok(Event::Text(t)) => stack.last_mut().unwrap().text += &t.xml10_content(),
            Ok(Event::GeneralRef(g)) => {
                let s = match g.as_ref() {
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "amp" => "&".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => panic!("{name}: unexpected entity &{other};"),
                };
                stack.last_mut().unwrap().text += &s;
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name}: not well-formed XML: {e}"),
        }
    }
    assert_eq!(stack.len(), 1, "{name}: unclosed elements");
    let root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "{name}: one root element");
    root.children.into_iter().next().unwrap()
}

/// A .docx: its entries in order, with their bytes.
struct Package {
    names: Vec<String>,
    parts: BTreeMap<String, Vec<u8>>,
    /// Each entry's modification time as (year, month, day, hour, minute).
    times: Vec<(u16, u8, u8, u8, u8)>,
}

impl Package {
    fn open(path: &Path) -> Self {
        let bytes = std::fs::read(path).unwrap();
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut names = vec![];
        let mut parts = BTreeMap::new();
        let mut times = vec![];
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let t = f.last_modified().unwrap_or_default();
            times.push((t.year(), t.month(), t.day(), t.hour(), t.minute()));
            let mut b = vec![];
            f.read_to_end(&mut b).unwrap();
            names.push(f.name().to_string());
            parts.insert(f.name().to_string(), b);
        }
        Package {
            names,
            parts,
            times,
        }
    }

    fn xml(&self, name: &str) -> El {
        parse(
            name,
            self.parts
                .get(name)
                .unwrap_or_else(|| panic!("no part {name}")),
        )
    }
}

/// Build `args` with `--format pdf,docx` in a copy of the default report.
fn build(f: &Fixture, extra: &[&str]) {
    let mut args = vec!["build", "--format", "pdf,docx"];
    args.extend_from_slice(extra);
    f.run(&args).success();
}

/// The resolved target of relationship `target` of the part `source` (`word/document.xml`).
fn resolve(source: &str, target: &str) -> String {
    let dir = match source.rsplit_once('/') {
        Some((d, _)) => d.to_string(),
        None => String::new(),
    };
    let mut parts: Vec<&str> = if target.starts_with('/') {
        vec![]
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.trim_start_matches('/').split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn check_package(p: &Package) {
    // Every part is well-formed XML.
    for name in &p.names {
        parse(name, &p.parts[name]);
    }
    // Every part has a content type: an override, or a default for its extension.
    let types = p.xml("[Content_Types].xml");
    let overrides: Vec<&str> = types
        .all("Override")
        .iter()
        .filter_map(|o| o.attr("PartName"))
        .collect();
    let defaults: Vec<&str> = types
        .all("Default")
        .iter()
        .filter_map(|d| d.attr("Extension"))
        .collect();
    for name in p.names.iter().filter(|n| *n != "[Content_Types].xml") {
        let ext = name.rsplit('.').next().unwrap();
        assert!(
            overrides.contains(&format!("/{name}").as_str()) || defaults.contains(&ext),
            "{name} has no content type"
        );
    }
    for o in &overrides {
        assert!(
            p.parts.contains_key(o.trim_start_matches('/')),
            "override for a missing part {o}"
        );
    }
    // Every relationship's target exists; every r:id used by a part is one of its own.
    for rels_name in p.names.iter().filter(|n| n.ends_with(".rels")) {
        let source = rels_name
            .replace("_rels/", "")
            .trim_end_matches(".rels")
            .to_string();
        let rels = p.xml(rels_name);
        let mut ids = vec![];
        for r in rels.all("Relationship") {
            ids.push(r.attr("Id").unwrap().to_string());
            if r.attr("TargetMode") == Some("External") {
                assert!(r.attr("Target").unwrap().starts_with("http"));
                continue;
            }
            let target = resolve(&source, r.attr("Target").unwrap());
            assert!(
                p.parts.contains_key(&target),
                "{rels_name}: target {target} missing"
            );
        }
        if let Some(bytes) = p.parts.get(&source) {
            let part = parse(&source, bytes);
            part.walk(&mut |e| {
                if let Some(id) = e.attr("r:id") {
                    assert!(ids.iter().any(|i| i == id), "{source}: r:id {id} unknown");
                }
            });
        }
    }
}

#[test]
fn the_package_holds_the_report_in_words_structures() {
    let f = Fixture::default_report();
    build(&f, &[]);
    assert!(f.pdf().is_file());
    let p = Package::open(&f.path("output/bao-cao-6-thang-2024.docx"));
    check_package(&p);

    // Fixed order, fixed times.
    assert_eq!(p.names[0], "[Content_Types].xml");
    assert_eq!(p.names[1], "_rels/.rels");
    assert!(
        p.times.iter().all(|t| *t == (1980, 1, 1, 0, 0)),
        "{:?}",
        p.times
    );

    let doc = p.xml("word/document.xml");
    let body = doc.child("w:body").unwrap();

    // Two sections: portrait A4, then the appendix with width and height swapped.
    let sects = doc.all("w:sectPr");
    assert_eq!(sects.len(), 2);
    let size = |s: &El| {
        let sz = s.child("w:pgSz").unwrap();
        (
            sz.attr("w:w").unwrap().parse::<i64>().unwrap(),
            sz.attr("w:h").unwrap().parse::<i64>().unwrap(),
            sz.attr("w:orient").map(str::to_string),
        )
    };
    assert_eq!(size(sects[0]), (11906, 16838, None));
    assert_eq!(size(sects[1]), (16838, 11906, Some("landscape".into())));
    assert_eq!(body.children.last().unwrap().name, "w:sectPr");
    let mar = sects[0].child("w:pgMar").unwrap();
    assert_eq!(
        ["w:top", "w:bottom", "w:left", "w:right"].map(|k| mar.attr(k).unwrap()),
        ["1134", "1134", "1701", "850"]
    );
    // Page numbers from page 2, again from 1 in the appendix; explicit headers per section.
    for s in &sects {
        assert!(s.child("w:titlePg").is_some());
        let kinds: Vec<&str> = s
            .all("w:headerReference")
            .iter()
            .map(|h| h.attr("w:type").unwrap())
            .collect();
        assert_eq!(kinds, ["default", "first"]);
    }
    assert_eq!(
        sects[1]
            .child("w:pgNumType")
            .and_then(|n| n.attr("w:start")),
        Some("1")
    );
    let header1 = p.xml("word/header1.xml");
    let instr: String = header1
        .all("w:instrText")
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(instr.trim(), "PAGE");
    assert!(p.xml("word/header2.xml").all("w:instrText").is_empty());

    // The first-page header: a borderless table on the 65 + 100 mm grid, Số and date below.
    let tables = body.all("w:tbl");
    let grid = |t: &El| -> Vec<i64> {
        t.all("w:gridCol")
            .iter()
            .map(|g| g.attr("w:w").unwrap().parse().unwrap())
            .collect()
    };
    assert_eq!(grid(tables[0]), [3685, 5670]);
    let rows = tables[0].all("w:tr");
    assert_eq!(rows.len(), 2);
    assert!(rows[0].w_text().contains("ỦY BAN NHÂN DÂN"));
    assert!(
        rows[0]
            .w_text()
            .contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    );
    assert!(rows[1].w_text().starts_with("Số:"));
    assert!(rows[1].w_text().contains("Cao Bằng, ngày"));
    assert!(
        tables[0]
            .all("w:top")
            .iter()
            .any(|b| b.attr("w:val") == Some("nil"))
    );
    // The lines: bordered empty paragraphs; the Tiêu ngữ's as long as its text (6,05 cm), the
    // agency's 1/3-1/2 of "THÀNH PHỐ CAO BẰNG" (5,36 cm: office-formats.md §1).
    let rule_cm = |cell: &El| -> f64 {
        let p = cell
            .all("w:p")
            .into_iter()
            .find(|p| !p.all("w:pBdr").is_empty())
            .expect("a line");
        let ind = p.all("w:ind")[0];
        let w: i64 = cell.all("w:tcW")[0].attr("w:w").unwrap().parse().unwrap();
        let l: i64 = ind.attr("w:left").unwrap().parse().unwrap();
        let r: i64 = ind.attr("w:right").unwrap().parse().unwrap();
        (w - l - r) as f64 / 567.0
    };
    let cells = rows[0].all("w:tc");
    let agency = rule_cm(cells[0]);
    let tieu_ngu = rule_cm(cells[1]);
    assert!((tieu_ngu - 6.05).abs() < 0.05, "{tieu_ngu}");
    assert!((5.36 / 3.0..=5.36 / 2.0).contains(&agency), "{agency}");

    // BÁO CÁO, then the trích yếu.
    let paras: Vec<&El> = body.children.iter().filter(|c| c.name == "w:p").collect();
    let pos = |text: &str| paras.iter().position(|p| p.w_text() == text);
    let bc = pos("BÁO CÁO").expect("BÁO CÁO");
    assert!(
        paras[bc + 1]
            .w_text()
            .starts_with("Tình hình thực hiện các chỉ tiêu")
    );

    // Headings: typed numbers, Heading 1-4; run-in headings with a character style.
    let style_of = |p: &El| {
        p.all("w:pStyle")
            .first()
            .and_then(|s| s.attr("w:val"))
            .unwrap_or("")
            .to_string()
    };
    let with_style = |s: &str| -> Vec<String> {
        paras
            .iter()
            .filter(|p| style_of(p) == s)
            .map(|p| p.w_text())
            .collect()
    };
    let h1 = with_style("Heading1");
    assert_eq!(h1.len(), 2);
    assert!(h1[0].starts_with("Phần thứ nhất"));
    assert!(h1[1].starts_with("Phần thứ hai"));
    let h2 = with_style("Heading2");
    assert_eq!(
        h2[0],
        "I. ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2024"
    );
    assert!(with_style("Heading3").contains(&"1. Lĩnh vực kinh tế".to_string()));
    assert!(
        with_style("Heading4")
            .iter()
            .any(|t| t.starts_with("1.1. "))
    );
    let run_in: Vec<String> = body
        .all("w:r")
        .into_iter()
        .filter(|r| {
            r.all("w:rStyle")
                .iter()
                .any(|s| s.attr("w:val") == Some("DiemLien"))
        })
        .map(|r| r.w_text())
        .collect();
    assert_eq!(run_in[0], "a) Trồng trọt:");
    assert!(
        body.all("w:rStyle")
            .iter()
            .any(|s| s.attr("w:val") == Some("TieuKhoanLien"))
    );
    // Body text: the body style; "- " lines typed as text.
    let body_text = with_style("BodyText");
    assert!(body_text.len() > 100);
    assert!(body_text.iter().any(|t| t.starts_with("- ")));
    assert!(body_text.iter().any(|t| t.ends_with("./.")));

    // The styles: each heading with its outline level and the body style next.
    let styles = p.xml("word/styles.xml");
    let style = |id: &str| {
        styles
            .all("w:style")
            .into_iter()
            .find(|s| s.attr("w:styleId") == Some(id))
            .unwrap_or_else(|| panic!("no style {id}"))
            .clone()
    };
    for (i, id) in ["Heading1", "Heading2", "Heading3", "Heading4"]
        .iter()
        .enumerate()
    {
        let s = style(id);
        assert_eq!(
            s.all("w:outlineLvl")[0].attr("w:val"),
            Some(i.to_string().as_str()),
            "{id}"
        );
        assert_eq!(s.child("w:next").unwrap().attr("w:val"), Some("BodyText"));
        assert_eq!(
            s.child("w:name").unwrap().attr("w:val"),
            Some(format!("heading {}", i + 1).as_str())
        );
    }
    let bt = style("BodyText");
    assert_eq!(bt.all("w:jc")[0].attr("w:val"), Some("both"));
    assert_eq!(bt.all("w:ind")[0].attr("w:firstLine"), Some("567"));
    assert_eq!(bt.all("w:spacing")[0].attr("w:before"), Some("120"));
    // Footnotes as the PDF sets them: the number at the margin, no indent.
    let ft = style("FootnoteText");
    assert_eq!(ft.all("w:ind")[0].attr("w:firstLine"), Some("0"));
    assert_eq!(ft.all("w:jc")[0].attr("w:val"), Some("both"));
    // Times New Roman 14 pt, named in every script slot, Vietnamese.
    let defaults = styles.child("w:docDefaults").unwrap();
    let fonts = defaults.all("w:rFonts")[0];
    for slot in ["w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"] {
        assert_eq!(fonts.attr(slot), Some("Times New Roman"), "{slot}");
    }
    assert_eq!(defaults.all("w:sz")[0].attr("w:val"), Some("28"));
    assert_eq!(defaults.all("w:lang")[0].attr("w:val"), Some("vi-VN"));
    assert!(
        !p.names.iter().any(|n| n.contains("fonts/")),
        "no embedded font"
    );

    // The 14 footnotes, after the separators, each referenced once from the text.
    let notes = p.xml("word/footnotes.xml");
    let all = notes.all("w:footnote");
    assert_eq!(all[0].attr("w:type"), Some("separator"));
    assert_eq!(all[0].attr("w:id"), Some("-1"));
    assert_eq!(all[0].all("w:separator").len(), 1);
    assert_eq!(all[1].attr("w:type"), Some("continuationSeparator"));
    assert_eq!(all[1].attr("w:id"), Some("0"));
    assert_eq!(all[1].all("w:continuationSeparator").len(), 1);
    let real: Vec<&&El> = all.iter().filter(|n| n.attr("w:type").is_none()).collect();
    assert_eq!(real.len(), 14);
    for (i, n) in real.iter().enumerate() {
        assert_eq!(n.attr("w:id"), Some((i + 1).to_string().as_str()));
        assert_eq!(n.all("w:footnoteRef").len(), 1);
        assert!(n.w_text().trim().len() > 10);
    }
    let refs: Vec<&str> = body
        .all("w:footnoteReference")
        .iter()
        .map(|r| r.attr("w:id").unwrap())
        .collect();
    assert_eq!(refs, (1..=14).map(|i| i.to_string()).collect::<Vec<_>>());
    assert!(real[0].w_text().contains("Lúa xuân"));
    let settings = p.xml("word/settings.xml");
    let ids: Vec<&str> = settings
        .all("w:footnotePr")
        .iter()
        .flat_map(|f| f.all("w:footnote"))
        .map(|f| f.attr("w:id").unwrap())
        .collect();
    assert_eq!(ids, ["-1", "0"]);

    // Links, in the text and in a note.
    let rels = p.xml("word/_rels/document.xml.rels");
    let external = rels
        .all("Relationship")
        .iter()
        .filter(|r| r.attr("TargetMode") == Some("External"))
        .count();
    assert!(external >= 1, "{external}");
    assert!(!body.all("w:hyperlink").is_empty());
    assert!(!notes.all("w:hyperlink").is_empty());

    // Nơi nhận beside the signature, on the same grid, then the appendix table.
    let sig = tables
        .iter()
        .find(|t| t.w_text().contains("Nơi nhận:"))
        .expect("signature table");
    assert_eq!(grid(sig), [3685, 5670]);
    let sig_cells = sig.all("w:tc");
    assert!(sig_cells[0].w_text().starts_with("Nơi nhận:"));
    assert!(sig_cells[0].w_text().contains("- Lưu: VT."));
    assert!(sig_cells[1].w_text().starts_with("TM. ỦY BAN NHÂN DÂN"));
    let closing = paras
        .iter()
        .find(|p| p.w_text().starts_with("Trên đây là"))
        .unwrap();
    assert_eq!(closing.all("w:keepNext").len(), 1);
    let bieu = tables.last().unwrap();
    let bieu_rows = bieu.all("w:tr");
    let header_rows: Vec<&&El> = bieu_rows
        .iter()
        .take_while(|r| !r.all("w:tblHeader").is_empty())
        .collect();
    assert_eq!(header_rows.len(), 2, "the two header rows repeat");
    assert!(header_rows[0].w_text().starts_with("STT"));
    // The name column's header is left-aligned, as its cells and the PDF's; the others centred.
    let head_cells = header_rows[0].all("w:tc");
    let jc = |c: &El| c.all("w:jc")[0].attr("w:val").map(str::to_string);
    assert_eq!(head_cells[1].w_text(), "Chỉ tiêu");
    assert_eq!(jc(head_cells[1]).as_deref(), Some("left"));
    assert_eq!(jc(head_cells[0]).as_deref(), Some("center"));
    assert!(bieu_rows.iter().all(|r| !r.all("w:cantSplit").is_empty()));
    assert!(bieu.w_text().contains("Chỉ tiêu kinh tế"));

    // No text box, no drawing in the text; no DỰ THẢO on an issued report.
    for part in ["word/document.xml", "word/header1.xml", "word/header2.xml"] {
        let x = p.xml(part);
        for name in ["w:txbxContent", "w:drawing", "w:pict", "v:textbox"] {
            assert!(x.all(name).is_empty(), "{part} has {name}");
        }
    }
    assert!(!String::from_utf8_lossy(&p.parts["word/document.xml"]).contains("DỰ THẢO"));

    // Document properties: the title, and the report's date rule (a blank day: the cut-off
    // date, 31/5/2024).
    let core = p.xml("docProps/core.xml");
    assert!(
        core.child("dc:title")
            .unwrap()
            .text
            .starts_with("Báo cáo Tình hình")
    );
    assert_eq!(
        core.child("dcterms:created").unwrap().text,
        "2024-05-31T00:00:00Z"
    );
}

#[test]
fn a_draft_has_the_watermark_in_every_header_and_not_in_the_text() {
    let f = Fixture::default_report();
    // The first quarter's figures are illustrative: a draft.
    build(&f, &["--period", "quy-1"]);
    let p = Package::open(&f.path("output/bao-cao-quy-1-2024.docx"));
    check_package(&p);
    let headers: Vec<&String> = p.names.iter().filter(|n| n.contains("header")).collect();
    assert_eq!(headers.len(), 4);
    let mut shapes = vec![];
    for h in headers {
        let x = p.xml(h);
        let paths = x.all("v:textpath");
        let mark = paths
            .iter()
            .find_map(|t| t.attr("string"))
            .unwrap_or_else(|| panic!("{h} has no watermark"));
        assert_eq!(mark, "DỰ THẢO");
        shapes.push(x.all("v:shape")[0].attr("id").unwrap().to_string());
    }
    shapes.sort();
    shapes.dedup();
    assert_eq!(shapes.len(), 4, "each shape its own id");
    let doc = p.xml("word/document.xml");
    assert!(!doc.w_text().contains("DỰ THẢO"));
    let core = p.xml("docProps/core.xml");
    assert!(
        core.child("dc:title")
            .unwrap()
            .text
            .starts_with("DỰ THẢO - ")
    );
}

#[test]
fn all_periods_give_the_bytes_of_each_period_alone_and_the_date_rule_holds() {
    let f = Fixture::default_report();
    f.run(&["build", "--all-periods", "--format", "pdf,docx"])
        .success();
    let periods = ["quy-1", "6-thang", "9-thang", "ca-nam"];
    let all: Vec<Vec<u8>> = periods
        .iter()
        .map(|p| std::fs::read(f.path(&format!("output/bao-cao-{p}-2024.docx"))).unwrap())
        .collect();
    for p in periods {
        assert!(f.path(&format!("output/bao-cao-{p}-2024.pdf")).is_file());
    }
    for (p, bytes) in periods.iter().zip(&all) {
        let g = Fixture::default_report();
        g.run(&["build", "--period", p, "--format", "docx"])
            .success()
            .stdout_contains(&format!("bao-cao-{p}-2024.docx"));
        let alone = std::fs::read(g.path(&format!("output/bao-cao-{p}-2024.docx"))).unwrap();
        assert!(
            alone == *bytes,
            "{p}: --all-periods differs from the period alone"
        );
        assert!(!g.pdf().exists(), "only the Word copy was asked for");
    }
    // The year-end report: its own columns in the appendix.
    let ca_nam = Package::open(&f.path("output/bao-cao-ca-nam-2024.docx"));
    check_package(&ca_nam);
    let t = ca_nam.xml("word/document.xml");
    assert!(
        t.all("w:tbl")
            .last()
            .unwrap()
            .w_text()
            .contains("Kế hoạch năm 2025")
    );
    // SOURCE_DATE_EPOCH wins over the report's date.
    f.run_env(
        &["build", "--format", "docx"],
        &[("SOURCE_DATE_EPOCH", "1720000000")],
    )
    .success();
    let p = Package::open(&f.path("output/bao-cao-6-thang-2024.docx"));
    let core = p.xml("docProps/core.xml");
    assert_eq!(
        core.child("dcterms:modified").unwrap().text,
        "2024-07-03T09:46:40Z"
    );
    assert!(p.times.iter().all(|t| *t == (1980, 1, 1, 0, 0)));
}

#[test]
fn one_output_file_takes_one_format_of_its_extension() {
    let f = Fixture::default_report();
    let r = f
        .run(&["build", "--format", "pdf,docx", "-o", "x.pdf"])
        .failure();
    assert_eq!(r.0.status.code(), Some(2));
    assert!(
        r.stderr()
            .contains("`-o x.pdf` ghi một tệp, nhưng `--format pdf,docx` yêu cầu 2 định dạng"),
        "{}",
        r.stderr()
    );
    let r = f
        .run(&["build", "--format", "docx", "-o", "x.pdf"])
        .failure();
    assert_eq!(r.0.status.code(), Some(2));
    assert!(
        r.stderr().contains("tệp DOCX phải có đuôi `.docx`"),
        "{}",
        r.stderr()
    );
    f.run(&["build", "--format", "docx", "-o", "ban-word.docx"])
        .success();
    let p = Package::open(&f.path("ban-word.docx"));
    check_package(&p);
    assert!(!f.path("x.pdf").exists());
}

/// Every file of the folder with its bytes (none when it does not exist).
fn files_in(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| (e.path(), std::fs::read(e.path()).unwrap()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_failing_word_copy_writes_no_file() {
    // The HTML tree the Word copy is read from fails (a template that stops only for Typst's
    // HTML target): no PDF either, in a fresh folder and over an earlier build's files.
    let f = Fixture::default_report();
    let stop = "\n#context if target() == \"html\" { assert(false, message: \"dừng cây HTML\") }\n";
    let root = f.read("templates/bao-cao.typ.j2");
    f.write("templates/bao-cao.typ.j2", &format!("{root}{stop}"));
    f.run(&["build", "--format", "pdf,docx"])
        .failure()
        .stderr_contains("dừng cây HTML")
        .stdout_contains("không dựng được: 1 lỗi");
    assert!(files_in(&f.path("output")).is_empty());
    // The PDF alone builds: the failure was the Word copy's.
    f.run(&["build"]).success();
    f.write("templates/bao-cao.typ.j2", &root);
    f.run(&["build", "--format", "pdf,docx"]).success();
    let before = files_in(&f.path("output"));
    assert_eq!(before.len(), 2);
    // Changed data and the Word copy failing: neither file changes, no temporary file stays.
    f.edit(
        "data/chi-tieu/kinh-te.yaml",
        "thuc_hien: 155,108",
        "thuc_hien: 160,2",
    );
    f.write("templates/bao-cao.typ.j2", &format!("{root}{stop}"));
    f.run(&["build", "--format", "pdf,docx"]).failure();
    assert_eq!(files_in(&f.path("output")), before);
}

#[test]
fn libreoffice_lays_the_word_copy_out_by_the_decree_with_the_pdfs_text() {
    if !have_tool("soffice") {
        return;
    }
    let Some(tool) = fidelity_tool() else { return };
    let f = Fixture::default_report();
    f.run(&["build", "--all-periods", "--format", "pdf,docx"])
        .success();
    let periods = ["quy-1", "6-thang", "9-thang", "ca-nam"];
    let docx: Vec<PathBuf> = periods
        .iter()
        .map(|p| f.path(&format!("output/bao-cao-{p}-2024.docx")))
        .collect();
    // One LibreOffice for the four files, with a profile of its own so that runs do not share
    // one.
    let profile = format!("file://{}", f.path("lo-profile").display());
    let t = Instant::now();
    let lo = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(f.path("lo"))
        .args(&docx)
        .output()
        .expect("soffice");
    eprintln!("soffice: 4 files in {:.1} s", t.elapsed().as_secs_f64());
    for p in periods {
        let converted = f.path(&format!("lo/bao-cao-{p}-2024.pdf"));
        assert!(
            converted.is_file(),
            "{p}: LibreOffice made no PDF: {}{}",
            String::from_utf8_lossy(&lo.stdout),
            String::from_utf8_lossy(&lo.stderr)
        );
        assert_nd30(
            &converted,
            &format!("{p}: the Word copy through LibreOffice"),
        );
        let word = recall(&tool, &converted);
        let pdf = recall(&tool, &f.path(&format!("output/bao-cao-{p}-2024.pdf")));
        eprintln!("{p}: fidelity: PDF {pdf:.2}%, Word copy through LibreOffice {word:.2}%");
        assert!(
            (word - pdf).abs() <= 0.5,
            "{p}: Word copy {word:.2}% against PDF {pdf:.2}%: more than 0,5 points apart"
        );
    }
}
