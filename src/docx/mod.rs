//! The Word copy (`.docx`): the same report as the PDF, in Word's own structures, for the
//! level above to compile its report from and for last-minute edits.
//!
//! Route: the prose comes from the HTML tree of the same markup (Typst's HTML target,
//! [`typst_html::HtmlDocument`], which the web copy also uses), so there is no second copy of
//! it and footnotes, links and run-in headings arrive as elements. The tree has no page setup,
//! sections or header block: those come from the document's metadata
//! ([`crate::document::Document`]), the decree's table ([`crate::nd30::ND30`]) and the biểu's
//! description ([`crate::bieu::Table`]). The XML parts are written here with quick-xml and
//! packed with zip (fixed entry order and times), not with docx-rs: it has no repeated header
//! row, no footnote separators, and process-wide ids that change the bytes of a second
//! document built in the same process (../shared/docs/office-formats.md §3).
//!
//! What the writer reads from the tree (templates/nd30.typ's HTML branch makes the classes):
//!
//! | element | class / role | Word |
//! |---|---|---|
//! | `div` | `nd30-tieu-de` | the first-page header table, from `Document` |
//! | `h1` | `nd30-ten-van-ban` | "BÁO CÁO" and the trích yếu with its line, from `Document` |
//! | `p` | `nd30-du-thao` | nothing in the text: a draft has the DỰ THẢO watermark on every page |
//! | `h2`, `h3`, `h4`, `h5` | (`nd30-phan`, `-muc`, `-khoan`, `-tieu-khoan`) | Heading 1-4, the numbers typed |
//! | `strong` | `nd30-khoan`, `nd30-tieu-khoan`, `nd30-diem` | run-in heading: character style in the body paragraph |
//! | `p` | (none), `li` | a Body Text paragraph |
//! | `p` | `nd30-loi-ket` | the closing sentence, kept with the signature |
//! | `div` | `nd30-ky-nhan` | Nơi nhận beside the signature, from `Document` |
//! | `section` | `nd30-phu-luc` | the appendix, its own landscape section, from `bieu::Table` |
//! | `strong`, `em`, `sup` | (other) | bold, italic, superscript runs |
//! | `a href="http…"` | | a hyperlink |
//! | `sup` | role `doc-noteref` | a footnote reference; the note's text is the `li` it links to in `section` role `doc-endnotes` |
//! | `br` | | a line break |
//!
//! Other block elements are read through; frames (what Typst could only draw) are left out.
//!
//! The package: `[Content_Types].xml`, `_rels/.rels`, `docProps/core.xml` (dates by the PDF's
//! rule), `docProps/app.xml`, `word/document.xml` and its rels, `styles.xml`, `settings.xml`,
//! `fontTable.xml`, `footnotes.xml` (and its rels when a note has a link), and two page
//! headers a section (default: the centred PAGE field; first page: none), in that order,
//! every entry dated 1980-01-01. Same input, same bytes, in any process.

mod appendix;
pub mod body;
mod document;
mod front;
mod package;
mod parts;
mod props;
mod text;
mod units;
mod xml;

use typst::foundations::Datetime;
use typst_html::HtmlDocument;

use crate::bieu::Table;
use crate::diag::{Error, Result};
use crate::document::{Document, LayoutData};
use crate::nd30::{A4_WIDTH_MM, Nd30};

use body::Block;
use document::Sections;
use props::{Line, SectPr};
use text::Rels;
use units::{Faces, mm};

/// The font the Word copy names (not embedded): Liberation Serif, which the PDF embeds, has
/// its widths.
pub const FONT: &str = "Times New Roman";

/// The distance of the page header from the top edge, mm: the official samples' 1 cm
/// (office-formats.md §1, `pgMar@header` 567); the page number sits in the top margin.
const HEADER_DISTANCE_MM: f64 = 10.0;

/// Spacing derived from the decree's table and the faces.
pub(crate) struct Metrics {
    /// The gap between lines of the body, pt.
    pub leading_pt: f64,
    /// The body's line spacing: the PDF's line pitch (cap height + leading: where Typst puts
    /// lines) over Word's single line of the same face, never below single.
    pub body_line: Line,
}

/// What every part is written from.
pub(crate) struct Ctx<'a> {
    pub nd30: &'a Nd30,
    /// The portrait text width, twips (page width less the margins, each rounded as Word
    /// has them).
    pub text_width: i64,
    pub doc: &'a Document,
    pub faces: Faces,
    pub metrics: Metrics,
}

/// The paper's width and height in mm.
fn paper(nd30: &Nd30) -> Result<(f64, f64)> {
    match nd30.kho_giay {
        "a4" => Ok((A4_WIDTH_MM, 297.0)),
        other => Err(Error::msg(format!(
            "bản Word: chưa hỗ trợ khổ giấy `{other}`"
        ))),
    }
}

const CT: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.";

/// The Word copy's bytes: the HTML tree `html` of the report's markup for one period, its
/// metadata and the decree's numbers (`layout`), its appendix table if it has one, and the
/// creation time (`created`, UTC: the PDF's rule, `pdf::creation_time`).
pub fn write(
    html: &HtmlDocument,
    layout: &LayoutData,
    table: Option<&Table>,
    created: Datetime,
) -> Result<Vec<u8>> {
    let body = body::read(html)?;
    let faces = Faces::load()?;
    let nd30 = &layout.nd30;
    let size = nd30.co_chu.than;
    let pitch = faces.cap_height() + nd30.doan.gian_dong;
    let metrics = Metrics {
        leading_pt: nd30.doan.gian_dong * size,
        body_line: Line::Auto(((240.0 * pitch / faces.single_line()).round() as i64).max(240)),
    };
    let (w, h) = paper(nd30)?;
    let ctx = Ctx {
        nd30,
        text_width: mm(w) - mm(nd30.le.trai) - mm(nd30.le.phai),
        doc: &layout.van_ban,
        faces,
        metrics,
    };
    let table = table.filter(|_| body.blocks.contains(&Block::Appendix));

    let mut rels = Rels::default();
    rels.part("styles", "styles.xml");
    rels.part("settings", "settings.xml");
    rels.part("fontTable", "fontTable.xml");
    rels.part("footnotes", "footnotes.xml");
    let section = |rels: &mut Rels, n: usize, landscape: bool, m: crate::nd30::Margins| SectPr {
        header_default: rels.part("header", &format!("header{}.xml", 2 * n + 1)),
        header_first: rels.part("header", &format!("header{}.xml", 2 * n + 2)),
        width: mm(if landscape { h } else { w }),
        height: mm(if landscape { w } else { h }),
        landscape,
        top: mm(m.tren),
        bottom: mm(m.duoi),
        left: mm(m.trai),
        right: mm(m.phai),
        header: mm(HEADER_DISTANCE_MM),
        footer: mm(HEADER_DISTANCE_MM),
        restart_numbers: n > 0,
        next_page: n > 0,
    };
    let report = section(&mut rels, 0, false, nd30.le);
    let appendix = table.map(|_| {
        let p = &nd30.phu_luc;
        let margins = if p.ngang { p.le } else { nd30.le };
        section(&mut rels, 1, p.ngang, margins)
    });
    let headers = if appendix.is_some() { 4 } else { 2 };
    let sections = Sections { report, appendix };

    let document = document::document(&ctx, &body, table, &sections, &mut rels)?;
    let mut note_rels = Rels::default();
    let footnotes = parts::footnotes(&body, &mut note_rels)?;

    let mut files: Vec<(String, Vec<u8>)> = vec![];
    let mut types: Vec<(String, String)> = vec![];
    let mut part = |name: &str, ct: Option<String>, bytes: Vec<u8>| {
        if let Some(ct) = ct {
            types.push((name.to_string(), ct));
        }
        files.push((name.to_string(), bytes));
    };
    let mut package = Rels::default();
    package.part("officeDocument", "word/document.xml");
    package.raw(
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml",
    );
    package.part("extended-properties", "docProps/app.xml");
    part("_rels/.rels", None, package.xml()?);
    part(
        "docProps/core.xml",
        Some("application/vnd.openxmlformats-package.core-properties+xml".into()),
        parts::core(&ctx, created)?,
    );
    part(
        "docProps/app.xml",
        Some("application/vnd.openxmlformats-officedocument.extended-properties+xml".into()),
        parts::app(&ctx)?,
    );
    part(
        "word/document.xml",
        Some(format!("{CT}document.main+xml")),
        document,
    );
    part("word/_rels/document.xml.rels", None, rels.xml()?);
    part(
        "word/styles.xml",
        Some(format!("{CT}styles+xml")),
        parts::styles(&ctx)?,
    );
    part(
        "word/settings.xml",
        Some(format!("{CT}settings+xml")),
        parts::settings()?,
    );
    part(
        "word/fontTable.xml",
        Some(format!("{CT}fontTable+xml")),
        parts::font_table()?,
    );
    part(
        "word/footnotes.xml",
        Some(format!("{CT}footnotes+xml")),
        footnotes,
    );
    if !note_rels.is_empty() {
        part("word/_rels/footnotes.xml.rels", None, note_rels.xml()?);
    }
    for i in 0..headers {
        // Odd parts are a section's default header (with the page number), even ones its
        // first page's.
        part(
            &format!("word/header{}.xml", i + 1),
            Some(format!("{CT}header+xml")),
            parts::header(&ctx, i % 2 == 0, i + 1)?,
        );
    }
    let type_refs: Vec<(&str, &str)> = types
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_str()))
        .collect();
    let content_types = parts::content_types(&type_refs)?;
    files.insert(0, ("[Content_Types].xml".into(), content_types));
    package::zip(&files)
}

#[cfg(test)]
mod tests;
