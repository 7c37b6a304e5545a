//! word/document.xml: the blocks in order, each section ending with its properties (the
//! portrait report; the appendix in its own landscape section).

use super::Ctx;
use super::appendix;
use super::body::{Block, Body, Para, ParaStyle};
use super::front;
use super::parts::{BODY, HEADINGS, NS_R, NS_W};
use super::props::{Line, PPr, RPr, SectPr, Spacing};
use super::text::{self, Rels};
use super::xml::Xml;
use crate::bieu::Table;
use crate::diag::Result;

/// The document's sections: the report's pages and, when there is an appendix, its pages.
pub struct Sections {
    pub report: SectPr,
    pub appendix: Option<SectPr>,
}

fn paragraph(x: &mut Xml, p: &Para, rels: &mut Rels) {
    // The closing sentence stays whole and on the signature's page (the heading styles keep
    // with the next paragraph themselves).
    let (style, keep) = match p.style {
        ParaStyle::Body => (BODY, false),
        ParaStyle::Closing => (BODY, true),
        ParaStyle::Heading(l) => (HEADINGS[usize::from(l.clamp(1, 4)) - 1], false),
    };
    x.open("w:p", &[]);
    PPr {
        style: Some(style),
        keep_next: keep,
        keep_lines: keep,
        ..PPr::default()
    }
    .write(x, None);
    text::inlines(x, &p.inlines, RPr::default(), rels, false);
    x.close();
}

/// An empty paragraph of one point: after a table (Word wants a paragraph there) and to
/// carry the properties of the section it ends.
pub fn small_paragraph(x: &mut Xml, sect: Option<&SectPr>) {
    x.open("w:p", &[]);
    PPr {
        spacing: Some(Spacing {
            before: 0,
            after: 0,
            line: Some(Line::Exact(20)),
        }),
        mark: RPr {
            size: Some(1.0),
            ..RPr::default()
        },
        ..PPr::default()
    }
    .write(x, sect);
    x.close();
}

/// The main document part; hyperlinks go to `rels`.
pub fn document(
    ctx: &Ctx,
    body: &Body,
    table: Option<&Table>,
    sections: &Sections,
    rels: &mut Rels,
) -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open("w:document", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
    x.open("w:body", &[]);
    // A table must be followed by a paragraph before the section ends.
    let mut after_table = false;
    let mut in_appendix = false;
    for (i, block) in body.blocks.iter().enumerate() {
        match block {
            Block::Para(p) => {
                paragraph(&mut x, p, rels);
                after_table = false;
            }
            Block::Header => {
                front::header(&mut x, ctx, i == 0);
                after_table = true;
            }
            Block::Title => {
                front::title(&mut x, ctx);
                after_table = false;
            }
            Block::Signature => {
                front::signature(&mut x, ctx);
                after_table = true;
            }
            Block::Appendix => {
                let (Some(table), Some(sect)) = (table, &sections.appendix) else {
                    continue;
                };
                if in_appendix {
                    continue;
                }
                // The report's section ends here; the appendix starts on a new page.
                small_paragraph(&mut x, Some(&sections.report));
                let width = sect.width - sect.left - sect.right;
                appendix::appendix(&mut x, ctx, table, width);
                in_appendix = true;
                after_table = true;
            }
        }
    }
    if after_table {
        small_paragraph(&mut x, None);
    }
    match (&sections.appendix, in_appendix) {
        (Some(a), true) => a.write(&mut x),
        _ => sections.report.write(&mut x),
    }
    x.close();
    x.close();
    x.finish()
}
