//! The package's other parts: styles (Times New Roman 14 pt named, not embedded, in every
//! script slot; the body, heading, run-in, note and link styles), settings (the footnote
//! separators, Vietnamese decimal and list separators), the font table, the page headers
//! (page number, DỰ THẢO watermark), footnotes, document properties, content types.

use typst::foundations::Datetime;

use super::body::Body;
use super::props::{Ind, Line, PPr, RPr, Spacing};
use super::text::{self, Rels, style};
use super::units::{half_points, mm, pt};
use super::xml::Xml;
use super::{Ctx, FONT};
use crate::diag::Result;

pub const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_V: &str = "urn:schemas-microsoft-com:vml";
const NS_O: &str = "urn:schemas-microsoft-com:office:office";
const NS_W10: &str = "urn:schemas-microsoft-com:office:word";

/// The body style's id: every heading's next style.
pub const BODY: &str = "BodyText";
pub const FOOTNOTE_TEXT: &str = "FootnoteText";
/// Heading style ids, level 1-4.
pub const HEADINGS: [&str; 4] = ["Heading1", "Heading2", "Heading3", "Heading4"];

fn fonts(x: &mut Xml) {
    x.empty(
        "w:rFonts",
        &[
            ("w:ascii", FONT),
            ("w:hAnsi", FONT),
            ("w:eastAsia", FONT),
            ("w:cs", FONT),
        ],
    );
}

fn style_open(x: &mut Xml, kind: &str, id: &str, name: &str, default: bool) {
    let mut a = vec![("w:type", kind), ("w:styleId", id)];
    if default {
        a.push(("w:default", "1"));
    }
    x.open("w:style", &a);
    x.val("w:name", name);
}

/// A style's `w:rPr` (fonts named explicitly so no theme font creeps in).
fn style_rpr(x: &mut Xml, bold: bool, italic: bool, size: Option<f64>, superscript: bool) {
    x.open("w:rPr", &[]);
    fonts(x);
    if bold {
        x.empty("w:b", &[]).empty("w:bCs", &[]);
    }
    if italic {
        x.empty("w:i", &[]).empty("w:iCs", &[]);
    }
    x.val("w:color", "000000");
    if let Some(s) = size {
        let hp = half_points(s).to_string();
        x.val("w:sz", &hp).val("w:szCs", &hp);
    }
    if superscript {
        x.val("w:vertAlign", "superscript");
    }
    x.close();
}

/// word/styles.xml.
pub fn styles(ctx: &Ctx) -> Result<Vec<u8>> {
    let n = ctx.nd30;
    let body_ppr = PPr {
        spacing: Some(Spacing {
            before: pt(n.doan.cach_doan),
            after: 0,
            line: Some(ctx.metrics.body_line),
        }),
        ind: Some(Ind {
            left: 0,
            right: 0,
            first_line: mm(n.doan.thut_dau_dong),
        }),
        jc: Some("both"),
        ..PPr::default()
    };
    let mut x = Xml::new();
    x.open("w:styles", &[("xmlns:w", NS_W)]);
    write_styles(&mut x, ctx, &body_ppr);
    x.close();
    x.finish()
}

fn write_styles(x: &mut Xml, ctx: &Ctx, body_ppr: &PPr) {
    let n = ctx.nd30;
    let m = &ctx.metrics;
    let size = n.co_chu.than;
    x.open("w:docDefaults", &[]);
    x.open("w:rPrDefault", &[]).open("w:rPr", &[]);
    fonts(x);
    let hp = half_points(size).to_string();
    x.val("w:sz", &hp).val("w:szCs", &hp);
    x.empty(
        "w:lang",
        &[
            ("w:val", "vi-VN"),
            ("w:eastAsia", "vi-VN"),
            ("w:bidi", "ar-SA"),
        ],
    );
    x.close().close();
    // No line of a paragraph alone at the foot or head of a page, as Typst's layout avoids.
    x.open("w:pPrDefault", &[]).open("w:pPr", &[]);
    x.empty("w:widowControl", &[]);
    Spacing {
        before: 0,
        after: 0,
        line: Some(Line::Auto(240)),
    }
    .write(x);
    x.close().close();
    x.close();

    style_open(x, "paragraph", "Normal", "Normal", true);
    x.empty("w:qFormat", &[]);
    style_rpr(x, false, false, Some(size), false);
    x.close();

    style_open(x, "paragraph", BODY, "Body Text", false);
    x.val("w:basedOn", "Normal");
    x.empty("w:qFormat", &[]);
    body_ppr.write(x, None);
    style_rpr(x, false, false, Some(size), false);
    x.close();

    // Headings: typed numbers, the body's indent and spacing, kept with the next paragraph;
    // Phần centred with a larger space above. The outline level puts them in Word's
    // navigation pane; the next paragraph is body text.
    let part_before = pt(m.leading_pt + 2.0 * n.doan.cach_doan);
    for (i, id) in HEADINGS.iter().enumerate() {
        let level = i as u8;
        style_open(x, "paragraph", id, &format!("heading {}", i + 1), false);
        x.val("w:basedOn", "Normal").val("w:next", BODY);
        x.empty("w:uiPriority", &[("w:val", "9")]);
        x.empty("w:qFormat", &[]);
        let mut ppr = PPr {
            keep_next: true,
            keep_lines: true,
            outline: Some(level),
            ..body_ppr.clone()
        };
        if level == 0 {
            ppr.spacing = ppr.spacing.map(|s| Spacing {
                before: part_before,
                ..s
            });
            ppr.ind = Some(Ind::default());
            ppr.jc = Some("center");
        }
        ppr.write(x, None);
        style_rpr(x, true, level == 3, Some(size), false);
        x.close();
    }

    // Run-in headings: character styles.
    for (id, name, bold, italic) in [
        (style::KHOAN, "Khoản liền đoạn", true, false),
        (style::TIEU_KHOAN, "Tiểu khoản liền đoạn", true, true),
        (style::DIEM, "Điểm liền đoạn", false, true),
    ] {
        style_open(x, "character", id, name, false);
        x.empty("w:qFormat", &[]);
        x.open("w:rPr", &[]);
        if bold {
            x.empty("w:b", &[]).empty("w:bCs", &[]);
        }
        if italic {
            x.empty("w:i", &[]).empty("w:iCs", &[]);
        }
        x.close();
        x.close();
    }

    // Footnotes: the house size, justified, the number at the margin and the text right after
    // it, as the PDF has them (Typst sets no indent on a note).
    style_open(x, "paragraph", FOOTNOTE_TEXT, "footnote text", false);
    x.val("w:basedOn", "Normal");
    PPr {
        spacing: Some(Spacing {
            before: 0,
            after: 0,
            line: Some(Line::Auto(240)),
        }),
        ind: Some(Ind::default()),
        jc: Some("both"),
        ..PPr::default()
    }
    .write(x, None);
    style_rpr(x, false, false, Some(n.co_chu.chu_thich), false);
    x.close();
    style_open(x, "character", style::NOTE_REF, "footnote reference", false);
    x.open("w:rPr", &[])
        .val("w:vertAlign", "superscript")
        .close();
    x.close();

    // Links look like the PDF's: text, no colour.
    style_open(x, "character", style::LINK, "Hyperlink", false);
    x.open("w:rPr", &[]).val("w:color", "000000").close();
    x.close();

    style_open(x, "paragraph", "Header", "header", false);
    x.val("w:basedOn", "Normal");
    x.open("w:pPr", &[]).val("w:jc", "center").close();
    x.close();

    style_open(x, "table", "TableNormal", "Normal Table", true);
    x.open("w:tblPr", &[]);
    x.empty("w:tblInd", &[("w:w", "0"), ("w:type", "dxa")]);
    x.open("w:tblCellMar", &[]);
    x.empty("w:top", &[("w:w", "0"), ("w:type", "dxa")]);
    x.empty("w:left", &[("w:w", "108"), ("w:type", "dxa")]);
    x.empty("w:bottom", &[("w:w", "0"), ("w:type", "dxa")]);
    x.empty("w:right", &[("w:w", "108"), ("w:type", "dxa")]);
    x.close().close();
    x.close();
}

/// word/settings.xml: the footnote separators (ids -1 and 0), Vietnamese separators.
pub fn settings() -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open("w:settings", &[("xmlns:w", NS_W)]);
    x.val("w:defaultTabStop", "720");
    x.val("w:characterSpacingControl", "doNotCompress");
    x.open("w:footnotePr", &[]);
    x.empty("w:footnote", &[("w:id", "-1")]);
    x.empty("w:footnote", &[("w:id", "0")]);
    x.close();
    x.open("w:compat", &[]);
    x.empty(
        "w:compatSetting",
        &[
            ("w:name", "compatibilityMode"),
            ("w:uri", "http://schemas.microsoft.com/office/word"),
            ("w:val", "15"),
        ],
    );
    x.close();
    x.val("w:themeFontLang", "vi-VN");
    x.val("w:decimalSymbol", ",");
    x.val("w:listSeparator", ";");
    x.close();
    x.finish()
}

/// word/fontTable.xml: Times New Roman with its classification, so a machine without it
/// substitutes a Roman serif of the same widths when it has one.
pub fn font_table() -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open("w:fonts", &[("xmlns:w", NS_W)]);
    x.open("w:font", &[("w:name", FONT)]);
    x.val("w:panose1", "02020603050405020304");
    x.val("w:charset", "00");
    x.val("w:family", "roman");
    x.val("w:pitch", "variable");
    x.close();
    x.close();
    x.finish()
}

/// A page header: the centred PAGE field (`number`), and the DỰ THẢO watermark on a draft.
/// `shape` numbers the watermark's shape (unique in the document).
pub fn header(ctx: &Ctx, number: bool, shape: usize) -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open(
        "w:hdr",
        &[
            ("xmlns:w", NS_W),
            ("xmlns:r", NS_R),
            ("xmlns:v", NS_V),
            ("xmlns:o", NS_O),
            ("xmlns:w10", NS_W10),
        ],
    );
    x.open("w:p", &[]);
    PPr {
        style: Some("Header"),
        jc: Some("center"),
        ..PPr::default()
    }
    .write(&mut x, None);
    if ctx.doc.du_thao {
        watermark(&mut x, shape);
    }
    if number {
        let rpr = RPr {
            size: Some(ctx.nd30.co_chu.so_trang),
            ..RPr::default()
        };
        let field = |x: &mut Xml, kind: &str| {
            x.open("w:r", &[]);
            rpr.write(x);
            x.empty("w:fldChar", &[("w:fldCharType", kind)]);
            x.close();
        };
        field(&mut x, "begin");
        x.open("w:r", &[]);
        rpr.write(&mut x);
        x.leaf("w:instrText", &[("xml:space", "preserve")], " PAGE ");
        x.close();
        field(&mut x, "separate");
        text::run(&mut x, "1", rpr);
        field(&mut x, "end");
    }
    x.close();
    x.close();
    x.finish()
}

/// The watermark Word itself makes (Design > Watermark): WordArt text behind the page, in the
/// header, centred on the margins; the size, grey and angle of the PDF's mark
/// (templates/du-thao.svg, `goc-du-thao` in nd30.typ).
fn watermark(x: &mut Xml, shape: usize) {
    x.open("w:r", &[]).open("w:pict", &[]);
    x.open(
        "v:shapetype",
        &[
            ("id", "_x0000_t136"),
            ("coordsize", "21600,21600"),
            ("o:spt", "136"),
            ("adj", "10800"),
            ("path", "m@7,l@8,m@5,21600l@6,21600e"),
        ],
    );
    x.open("v:formulas", &[]);
    for eqn in [
        "sum #0 0 10800",
        "prod #0 2 1",
        "sum 21600 0 @1",
        "sum 0 0 @2",
        "sum 21600 0 @3",
        "if @0 @3 0",
        "if @0 21600 @1",
        "if @0 0 @2",
        "if @0 @4 21600",
        "mid @5 @6",
        "mid @8 @5",
        "mid @7 @8",
        "mid @6 @7",
        "sum @6 0 @5",
    ] {
        x.empty("v:f", &[("eqn", eqn)]);
    }
    x.close();
    x.empty(
        "v:path",
        &[
            ("textpathok", "t"),
            ("o:connecttype", "custom"),
            ("o:connectlocs", "@9,0;@10,10800;@11,21600;@12,10800"),
            ("o:connectangles", "270,180,90,0"),
        ],
    );
    x.empty("v:textpath", &[("on", "t"), ("fitshape", "t")]);
    x.open("v:handles", &[])
        .empty(
            "v:h",
            &[("position", "#0,bottomRight"), ("xrange", "6629,14971")],
        )
        .close();
    x.empty(
        "o:lock",
        &[("v:ext", "edit"), ("text", "t"), ("shapetype", "t")],
    );
    x.close();
    let id = format!("PowerPlusWaterMarkObject{shape}");
    let spid = format!("_x0000_s{}", 2049 + shape);
    x.open(
        "v:shape",
        &[
            ("id", &id),
            ("o:spid", &spid),
            ("type", "#_x0000_t136"),
            (
                "style",
                "position:absolute;margin-left:0;margin-top:0;width:476pt;height:106pt;\
                 rotation:320;z-index:-251655168;mso-position-horizontal:center;\
                 mso-position-horizontal-relative:margin;mso-position-vertical:center;\
                 mso-position-vertical-relative:margin",
            ),
            ("o:allowincell", "f"),
            ("fillcolor", "#d2d2d2"),
            ("stroked", "f"),
        ],
    );
    x.empty(
        "v:textpath",
        &[
            (
                "style",
                "font-family:\"Times New Roman\";font-size:1pt;font-weight:bold",
            ),
            ("string", "DỰ THẢO"),
        ],
    );
    x.empty("w10:wrap", &[("anchorx", "margin"), ("anchory", "margin")]);
    x.close();
    x.close().close();
}

/// word/footnotes.xml: the separator (-1) and continuation separator (0), then one note a
/// reference, numbered from 1 in the order of the text; links through `rels`.
pub fn footnotes(body: &Body, rels: &mut Rels) -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open("w:footnotes", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
    for (id, kind, mark) in [
        ("-1", "separator", "w:separator"),
        ("0", "continuationSeparator", "w:continuationSeparator"),
    ] {
        x.open("w:footnote", &[("w:type", kind), ("w:id", id)]);
        x.open("w:p", &[]);
        PPr {
            spacing: Some(Spacing {
                before: 0,
                after: 0,
                line: Some(Line::Auto(240)),
            }),
            ..PPr::default()
        }
        .write(&mut x, None);
        x.open("w:r", &[]).empty(mark, &[]).close();
        x.close();
        x.close();
    }
    for (i, note) in body.notes.iter().enumerate() {
        x.open("w:footnote", &[("w:id", &(i + 1).to_string())]);
        x.open("w:p", &[]);
        PPr {
            style: Some(FOOTNOTE_TEXT),
            ..PPr::default()
        }
        .write(&mut x, None);
        x.open("w:r", &[]);
        RPr {
            style: Some(style::NOTE_REF),
            ..RPr::default()
        }
        .write(&mut x);
        x.empty("w:footnoteRef", &[]);
        x.close();
        text::inlines(&mut x, note, RPr::default(), rels, true);
        x.close();
        x.close();
    }
    x.close();
    x.finish()
}

/// A W3CDTF date-time (UTC).
fn w3cdtf(d: Datetime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.year().unwrap_or(2000),
        d.month().unwrap_or(1),
        d.day().unwrap_or(1),
        d.hour().unwrap_or(0),
        d.minute().unwrap_or(0),
        d.second().unwrap_or(0)
    )
}

/// docProps/core.xml: title, creator, language, and the dates of the PDF's rule.
pub fn core(ctx: &Ctx, created: Datetime) -> Result<Vec<u8>> {
    let when = w3cdtf(created);
    let mut x = Xml::new();
    x.open(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:dcmitype", "http://purl.org/dc/dcmitype/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    x.leaf("dc:title", &[], &ctx.doc.tieu_de_pdf);
    x.leaf("dc:creator", &[], &ctx.doc.ten_co_quan);
    x.leaf("dc:language", &[], "vi-VN");
    let t = [("xsi:type", "dcterms:W3CDTF")];
    x.leaf("dcterms:created", &t, &when);
    x.leaf("dcterms:modified", &t, &when);
    x.close();
    x.finish()
}

/// docProps/app.xml.
pub fn app(ctx: &Ctx) -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open(
        "Properties",
        &[
            (
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
            ),
            (
                "xmlns:vt",
                "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
            ),
        ],
    );
    x.leaf(
        "Application",
        &[],
        &format!("baocao {}", env!("CARGO_PKG_VERSION")),
    );
    x.leaf("DocSecurity", &[], "0");
    x.leaf("Company", &[], &ctx.doc.ten_co_quan);
    x.close();
    x.finish()
}

/// [Content_Types].xml: a default for .rels and .xml, an override for every part.
pub fn content_types(parts: &[(&str, &str)]) -> Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    x.empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    );
    x.empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    );
    for (name, ct) in parts {
        let part = format!("/{name}");
        x.empty("Override", &[("PartName", &part), ("ContentType", ct)]);
    }
    x.close();
    x.finish()
}
