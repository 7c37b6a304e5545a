//! The parts built from the document's metadata and the decree's table rather than from the
//! HTML tree: the first-page header (a borderless two-column table on the official samples'
//! grid, office-formats.md §1), "BÁO CÁO" and the trích yếu with their lines, and Nơi nhận
//! beside the signature (a borderless table on the same grid).
//!
//! The lines are bottom borders of empty paragraphs, indented to their length: in the flow,
//! exact, and drawn by every reader (no text box, no drawing).

use super::Ctx;
use super::props::{self, Ind, Line, PPr, RPr, Spacing, TcPr};
use super::text::para;
use super::units::{Shape, eighths, mm, pt};
use super::xml::Xml;

/// Typographic gaps the decree does not give; the same values as templates/nd30.typ's.
pub mod gap {
    /// Header: the names row to the Số/date row, pt (`cach-hang-tieu-de`).
    pub const HEADER_ROWS: f64 = 12.0;
    /// Header to "BÁO CÁO", pt (`cach-sau-tieu-de`).
    pub const AFTER_HEADER: f64 = 16.0;
    /// The trích yếu's measure, of the text width (`rong-trich-yeu`).
    pub const TITLE_MEASURE: f64 = 0.88;
    /// After the trích yếu's line, pt (`cach-sau-trich-yeu`).
    pub const AFTER_TITLE: f64 = 10.0;
    /// Baseline of a text to the line under it, em (`cach-net`).
    pub const RULE_GAP: f64 = 0.4;
}

/// The exact height of a rule paragraph, twips, for a line `below` points under the baseline
/// of text of `size` points: the border sits at the paragraph's bottom plus its 1 pt space,
/// and the line of text above ends a descent under its baseline.
fn rule_height(ctx: &Ctx, below: f64, size: f64) -> i64 {
    let descent = ctx.faces.descent() * size;
    pt((below - descent - 1.0).max(0.5))
}

/// An empty paragraph drawing a centred line `length` points long in a measure `measure`
/// twips wide, [`gap::RULE_GAP`] under the baseline of text of `size` points.
pub fn rule(x: &mut Xml, ctx: &Ctx, measure: i64, length: f64, size: f64, after: f64) {
    rule_at(x, ctx, measure, length, (gap::RULE_GAP * size, size), after);
}

/// A rule `at.0` points under the baseline of text of `at.1` points.
pub fn rule_at(x: &mut Xml, ctx: &Ctx, measure: i64, length: f64, at: (f64, f64), after: f64) {
    let side = ((measure - pt(length)) / 2).max(0);
    let ppr = PPr {
        bottom_border: Some(eighths(ctx.nd30.net_ke.net)),
        spacing: Some(Spacing {
            before: 0,
            after: pt(after),
            line: Some(Line::Exact(rule_height(ctx, at.0, at.1))),
        }),
        ind: Some(Ind {
            left: side,
            right: side,
            first_line: 0,
        }),
        mark: RPr {
            size: Some(1.0),
            ..RPr::default()
        },
        ..PPr::default()
    };
    x.open("w:p", &[]);
    ppr.write(x, None);
    x.close();
}

/// A centred paragraph of the header and signature blocks (single spacing, no indent).
pub(super) fn centred(before: f64, keep_next: bool) -> PPr {
    PPr {
        keep_next,
        spacing: Some(Spacing {
            before: pt(before),
            after: 0,
            line: Some(Line::Auto(240)),
        }),
        ind: Some(Ind::default()),
        jc: Some("center"),
        ..PPr::default()
    }
}

/// The lines of a header column: each author's line whole when it fits `width` points,
/// otherwise broken between its pieces into as few lines as fit (as nd30.typ's `dong-vua`).
fn fit_lines(
    ctx: &Ctx,
    lines: &[crate::document::HeaderLine],
    size: f64,
    shape: Shape,
    width: f64,
) -> Vec<String> {
    let mut out = vec![];
    for l in lines {
        let mut cur: Option<String> = None;
        for p in &l.doan {
            cur = Some(match cur {
                None => p.clone(),
                Some(c) => {
                    let joined = format!("{c} {p}");
                    if ctx.faces.width(&joined, size, shape) <= width {
                        joined
                    } else {
                        out.push(c);
                        p.clone()
                    }
                }
            });
        }
        out.extend(cur);
    }
    out
}

fn cell(x: &mut Xml, width: i64, body: impl FnOnce(&mut Xml)) {
    x.open("w:tc", &[]);
    TcPr {
        width,
        span: 1,
        ..TcPr::default()
    }
    .write(x);
    body(x);
    x.close();
}

/// The two columns of the decree's grid, in twips: the left one, and the rest of the text
/// width (so that they add up to it exactly).
pub fn grid(ctx: &Ctx) -> (i64, i64) {
    let left = mm(ctx.nd30.luoi.trai);
    (left, ctx.text_width - left)
}

fn twips_to_pt(t: i64) -> f64 {
    t as f64 / 20.0
}

/// The first-page header: agency and Quốc hiệu with their lines, then Số and the date line.
/// `first`: it opens the document, after a paragraph of one point (LibreOffice 7.4 puts an
/// empty line of the Normal style before a table that opens a document).
pub fn header(x: &mut Xml, ctx: &Ctx, first: bool) {
    if first {
        super::document::small_paragraph(x, None);
    }
    let d = ctx.doc;
    let s = &ctx.nd30.co_chu;
    let (left, right) = grid(ctx);
    x.open("w:tbl", &[]);
    props::table_props(x, left + right, None, (0, 0, 0));
    props::table_grid(x, &[left, right]);

    // Row 1: agency | Quốc hiệu and Tiêu ngữ.
    x.open("w:tr", &[]);
    props::row_props(x, false);
    cell(x, left, |x| {
        let parent = fit_lines(
            ctx,
            &d.co_quan_chu_quan,
            s.co_quan,
            Shape::REGULAR,
            twips_to_pt(left),
        );
        let issuing = fit_lines(ctx, &d.co_quan, s.co_quan, Shape::BOLD, twips_to_pt(left));
        if !parent.is_empty() {
            let rpr = RPr {
                size: Some(s.co_quan),
                ..RPr::default()
            };
            para(x, &centred(0.0, true), &parent.join("\n"), rpr);
        }
        let bold = RPr {
            bold: true,
            size: Some(s.co_quan),
            ..RPr::default()
        };
        para(x, &centred(0.0, true), &issuing.join("\n"), bold);
        let widest = issuing
            .iter()
            .map(|l| ctx.faces.width(l, s.co_quan, Shape::BOLD))
            .fold(0.0, f64::max);
        rule(
            x,
            ctx,
            left,
            widest * ctx.nd30.net_ke.co_quan,
            s.co_quan,
            0.0,
        );
    });
    cell(x, right, |x| {
        let qh = RPr {
            bold: true,
            size: Some(s.quoc_hieu),
            ..RPr::default()
        };
        para(x, &centred(0.0, true), QUOC_HIEU, qh);
        let tn = RPr {
            bold: true,
            size: Some(s.tieu_ngu),
            ..RPr::default()
        };
        para(x, &centred(0.0, true), TIEU_NGU, tn);
        let w = ctx.faces.width(TIEU_NGU, s.tieu_ngu, Shape::BOLD);
        rule(x, ctx, right, w * ctx.nd30.net_ke.tieu_ngu, s.tieu_ngu, 0.0);
    });
    x.close();

    // Row 2: Số | place and date, on one row so that they share a baseline.
    x.open("w:tr", &[]);
    props::row_props(x, false);
    cell(x, left, |x| {
        let rpr = RPr {
            size: Some(s.so_ky_hieu),
            ..RPr::default()
        };
        para(
            x,
            &centred(gap::HEADER_ROWS, false),
            &format!("Số: {}", d.so_ky_hieu),
            rpr,
        );
    });
    cell(x, right, |x| {
        let rpr = RPr {
            italic: true,
            size: Some(s.dia_danh_ngay),
            ..RPr::default()
        };
        para(x, &centred(gap::HEADER_ROWS, false), &d.dong_ngay, rpr);
    });
    x.close();
    x.close();
}

/// The Quốc hiệu and the Tiêu ngữ [PL1 II.1].
pub const QUOC_HIEU: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const TIEU_NGU: &str = "Độc lập - Tự do - Hạnh phúc";

/// "BÁO CÁO", the trích yếu, and the line under it (a fraction of its widest line, as the
/// trích yếu breaks in its measure).
pub fn title(x: &mut Xml, ctx: &Ctx) {
    let size = ctx.nd30.co_chu.than;
    let bold = RPr {
        bold: true,
        size: Some(size),
        ..RPr::default()
    };
    para(x, &centred(gap::AFTER_HEADER, true), "BÁO CÁO", bold);
    let text_width = ctx.text_width;
    let measure = (text_width as f64 * gap::TITLE_MEASURE).round() as i64;
    let side = (text_width - measure) / 2;
    let mut ppr = centred(0.0, true);
    ppr.ind = Some(Ind {
        left: side,
        right: side,
        first_line: 0,
    });
    para(x, &ppr, &ctx.doc.trich_yeu, bold);
    let widest = ctx
        .faces
        .wrap(&ctx.doc.trich_yeu, size, Shape::BOLD, twips_to_pt(measure))
        .iter()
        .map(|l| ctx.faces.width(l, size, Shape::BOLD))
        .fold(0.0, f64::max);
    rule(
        x,
        ctx,
        text_width,
        widest * ctx.nd30.net_ke.trich_yeu,
        size,
        gap::AFTER_TITLE,
    );
}

/// Nơi nhận (left) beside the signature (right), on the header's grid, as one row that does
/// not break across pages; the closing sentence before it keeps with it.
pub fn signature(x: &mut Xml, ctx: &Ctx) {
    let d = ctx.doc;
    let s = &ctx.nd30.co_chu;
    let (left, right) = grid(ctx);
    // As far from the closing sentence as the PDF: two paragraph gaps.
    let before = ctx.metrics.leading_pt + 2.0 * ctx.nd30.doan.cach_doan;
    x.open("w:tbl", &[]);
    props::table_props(x, left + right, None, (0, 0, 0));
    props::table_grid(x, &[left, right]);
    x.open("w:tr", &[]);
    props::row_props(x, false);
    cell(x, left, |x| {
        let mut ppr = centred(before, true);
        ppr.jc = Some("left");
        let label = RPr {
            bold: true,
            italic: true,
            size: Some(s.noi_nhan),
            ..RPr::default()
        };
        para(x, &ppr, "Nơi nhận:", label);
        let item = RPr {
            size: Some(s.noi_nhan_muc),
            ..RPr::default()
        };
        let mut ppr = centred(0.0, true);
        ppr.jc = Some("left");
        for n in &d.noi_nhan {
            para(x, &ppr, &format!("- {n};"), item);
        }
        ppr.keep_next = false;
        para(x, &ppr, &format!("- Lưu: {}.", d.luu), item);
    });
    cell(x, right, |x| {
        let bold = RPr {
            bold: true,
            size: Some(s.chu_ky),
            ..RPr::default()
        };
        let titles: Vec<&str> = d
            .quyen_han
            .iter()
            .chain(&d.chuc_vu)
            .map(String::as_str)
            .collect();
        para(x, &centred(before, true), &titles.join("\n"), bold);
        // Room for the handwritten signature, then the name (left blank when not known).
        let name = centred(ctx.nd30.luoi.khoang_ky * 72.0 / 25.4, false);
        para(x, &name, d.ho_ten.as_deref().unwrap_or(""), bold);
    });
    x.close();
    x.close();
}
