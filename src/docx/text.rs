//! Runs and paragraphs of text: the inline content read from the HTML tree written as
//! `w:r`, `w:hyperlink` and `w:footnoteReference`, with the relationships their links need.

use super::body::{Fmt, Inline, RunIn};
use super::props::{PPr, RPr};
use super::xml::Xml;

/// Relationship type URIs.
pub mod rel {
    const BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    pub fn of(kind: &str) -> String {
        format!("{BASE}{kind}")
    }
}

/// One part's relationships, numbered in the order they are added (`rId1`, `rId2`, …).
#[derive(Clone, Debug, Default)]
pub struct Rels {
    /// (id, type, target, external)
    pub list: Vec<(String, String, String, bool)>,
}

impl Rels {
    /// Add a relationship to a part of the package; its id.
    pub fn part(&mut self, kind: &str, target: &str) -> String {
        self.add(kind, target, false)
    }

    /// The id of a link to `url` (one relationship a URL).
    pub fn hyperlink(&mut self, url: &str) -> String {
        let kind = rel::of("hyperlink");
        if let Some((id, ..)) = self
            .list
            .iter()
            .find(|(_, k, t, ext)| *ext && *k == kind && t == url)
        {
            return id.clone();
        }
        self.add("hyperlink", url, true)
    }

    /// Add a relationship of a type outside the officeDocument namespace; its id.
    pub fn raw(&mut self, type_uri: &str, target: &str) -> String {
        let id = format!("rId{}", self.list.len() + 1);
        self.list
            .push((id.clone(), type_uri.to_string(), target.to_string(), false));
        id
    }

    fn add(&mut self, kind: &str, target: &str, external: bool) -> String {
        let id = format!("rId{}", self.list.len() + 1);
        self.list
            .push((id.clone(), rel::of(kind), target.to_string(), external));
        id
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The `.rels` part.
    pub fn xml(&self) -> crate::diag::Result<Vec<u8>> {
        let mut x = Xml::new();
        x.open(
            "Relationships",
            &[(
                "xmlns",
                "http://schemas.openxmlformats.org/package/2006/relationships",
            )],
        );
        for (id, kind, target, external) in &self.list {
            let mut attrs = vec![("Id", id.as_str()), ("Type", kind), ("Target", target)];
            if *external {
                attrs.push(("TargetMode", "External"));
            }
            x.empty("Relationship", &attrs);
        }
        x.close();
        x.finish()
    }
}

/// Character style ids of the run-in headings and of notes and links.
pub mod style {
    pub const KHOAN: &str = "DeMucLien";
    pub const TIEU_KHOAN: &str = "TieuKhoanLien";
    pub const DIEM: &str = "DiemLien";
    pub const NOTE_REF: &str = "FootnoteReference";
    pub const LINK: &str = "Hyperlink";
}

fn run_props(fmt: Fmt, base: RPr) -> RPr {
    match fmt.run_in {
        // The character style carries weight and slant.
        Some(r) => RPr {
            style: Some(match r {
                RunIn::Khoan => style::KHOAN,
                RunIn::TieuKhoan => style::TIEU_KHOAN,
                RunIn::Diem => style::DIEM,
            }),
            superscript: fmt.superscript,
            ..base
        },
        None => RPr {
            bold: base.bold || fmt.bold,
            italic: base.italic || fmt.italic,
            superscript: base.superscript || fmt.superscript,
            ..base
        },
    }
}

/// A run of text.
pub fn run(x: &mut Xml, text: &str, rpr: RPr) {
    if text.is_empty() {
        return;
    }
    x.open("w:r", &[]);
    rpr.write(x);
    x.leaf("w:t", &[("xml:space", "preserve")], text);
    x.close();
}

/// A line break.
pub fn line_break(x: &mut Xml, rpr: RPr) {
    x.open("w:r", &[]);
    rpr.write(x);
    x.empty("w:br", &[]);
    x.close();
}

/// Inline content with `base` under every run; footnote marks as references to notes
/// numbered from 1 (none inside a note); links through `rels`.
pub fn inlines(x: &mut Xml, v: &[Inline], base: RPr, rels: &mut Rels, in_note: bool) {
    for i in v {
        match i {
            Inline::Text(t, fmt) => run(x, t, run_props(*fmt, base)),
            Inline::Break => line_break(x, base),
            Inline::Note(n) if !in_note => {
                x.open("w:r", &[]);
                RPr {
                    style: Some(style::NOTE_REF),
                    ..RPr::default()
                }
                .write(x);
                x.empty("w:footnoteReference", &[("w:id", &(n + 1).to_string())]);
                x.close();
            }
            Inline::Note(_) => {}
            Inline::Link(url, inner) => {
                let id = rels.hyperlink(url);
                x.open("w:hyperlink", &[("r:id", &id), ("w:history", "1")]);
                let linked = RPr {
                    style: base.style.or(Some(style::LINK)),
                    ..base
                };
                inlines(x, inner, linked, rels, in_note);
                x.close();
            }
        }
    }
}

/// A paragraph of one run of plain text (with `\n` as line breaks).
pub fn para(x: &mut Xml, ppr: &PPr, text: &str, rpr: RPr) {
    x.open("w:p", &[]);
    ppr.write(x, None);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            line_break(x, rpr);
        }
        run(x, line, rpr);
    }
    x.close();
}
