//! The appendix (biểu) from its description (`bieu::Table`): its heading lines, the short line
//! under "(Kèm theo …)", and the table with its header rows repeated on every page
//! (`w:tblHeader`), rows that never split, merged header cells, group rows across the columns.

use super::Ctx;
use super::front::{centred, rule_at};
use super::props::{self, Ind, Line, PPr, RPr, Spacing, TcPr};
use super::text::para;
use super::units::{Shape, eighths, mm, pt};
use super::xml::Xml;
use crate::bieu::{ColumnKind, Table};

/// Table gaps the decree does not give; the same values as templates/nd30.typ's.
pub mod gap {
    /// The table's rules, pt (`net-bang`).
    pub const RULE: f64 = 0.5;
    /// Cell padding, pt (`dem-o-bang`).
    pub const INSET: f64 = 4.0;
    /// After the line under "(Kèm theo …)", pt (`cach-sau-kem-theo`).
    pub const AFTER_REFERENCE: f64 = 6.0;
    /// Leading of the heading lines, em (`gian-dong-tieu-de`): the line under them sits on
    /// the next line's baseline.
    pub const HEADING_LEADING: f64 = 0.35;
}

/// Cell margins in twips (top, bottom, left and right) that leave the PDF's inset around the
/// text: Word's line box holds the ascender above the cap height and the descent, where
/// Typst's holds neither; the sides keep the inset unless a cell's longest word would not fit
/// (Word breaks such a word inside, where Typst lets it run into the inset).
fn cell_margins(ctx: &Ctx, table: &Table, widths: &[i64], size: f64) -> (i64, i64, i64) {
    let f = &ctx.faces;
    let top = (gap::INSET - (f.ascent() - f.cap_height()) * size).max(0.0);
    let bottom = (gap::INSET - f.descent() * size).max(0.0);
    let widest_word = |text: &str, shape| {
        text.split_whitespace()
            .map(|w| f.width(w, size, shape))
            .fold(0.0, f64::max)
    };
    let mut side = gap::INSET;
    let single = |row: &[crate::bieu::HeaderCell]| {
        let mut col = 0;
        row.iter()
            .map(move |h| {
                let c = col;
                col += h.colspan.max(1);
                (c, h)
            })
            .filter(|(_, h)| h.colspan <= 1)
            .map(|(c, h)| (c, widest_word(&h.text, Shape::BOLD)))
            .collect::<Vec<_>>()
    };
    let mut words: Vec<(usize, f64)> = vec![];
    if let [first, ..] = table.header.as_slice() {
        words.extend(single(first));
    }
    for r in table.rows() {
        for (c, cell) in r.cells.iter().enumerate() {
            words.push((c, widest_word(&cell.text, Shape::REGULAR)));
        }
    }
    for (c, w) in words {
        if let Some(&cw) = widths.get(c) {
            // Half a point to spare: readers round widths.
            side = side.min(((cw as f64 / 20.0 - w) / 2.0 - 0.5).max(1.0));
        }
    }
    (pt(top), pt(bottom), pt(side))
}

/// Column widths in twips: as described, the columns without a width sharing the rest.
pub fn column_widths(table: &Table, text_width: i64) -> Vec<i64> {
    let fixed: i64 = table
        .columns
        .iter()
        .filter_map(|c| c.width_mm)
        .map(|w| mm(f64::from(w)))
        .sum();
    let free = table
        .columns
        .iter()
        .filter(|c| c.width_mm.is_none())
        .count() as i64;
    let rest = (text_width - fixed).max(0);
    let mut shared_left = rest;
    let mut left = free;
    table
        .columns
        .iter()
        .map(|c| match c.width_mm {
            Some(w) => mm(f64::from(w)),
            None => {
                let w = shared_left / left.max(1);
                shared_left -= w;
                left -= 1;
                w
            }
        })
        .collect()
}

fn cell_para(size: f64, left: bool) -> PPr {
    PPr {
        spacing: Some(Spacing {
            before: 0,
            after: 0,
            line: Some(Line::Auto(240)),
        }),
        ind: Some(Ind::default()),
        jc: Some(if left { "left" } else { "center" }),
        mark: RPr {
            size: Some(size),
            ..RPr::default()
        },
        ..PPr::default()
    }
}

fn cell(x: &mut Xml, tc: TcPr, text: &str, size: f64, bold: bool, left: bool) {
    cell_kept(x, tc, text, size, (bold, left, false));
}

/// A cell of one paragraph; `how`: bold, left-aligned, kept with the next row.
fn cell_kept(x: &mut Xml, tc: TcPr, text: &str, size: f64, how: (bool, bool, bool)) {
    let (bold, left, keep) = how;
    x.open("w:tc", &[]);
    tc.write(x);
    let rpr = RPr {
        bold,
        size: Some(size),
        ..RPr::default()
    };
    let mut ppr = cell_para(size, left);
    ppr.keep_next = keep;
    para(x, &ppr, text, rpr);
    x.close();
}

/// The appendix: heading lines, reference line and its rule, then the table.
pub fn appendix(x: &mut Xml, ctx: &Ctx, table: &Table, text_width: i64) {
    let p = &ctx.nd30.phu_luc;
    let size = p.tieu_de;
    let bold = RPr {
        bold: true,
        size: Some(size),
        ..RPr::default()
    };
    para(x, &centred(0.0, true), &table.label, bold);
    para(x, &centred(0.0, true), &table.title.to_uppercase(), bold);
    let italic = RPr {
        italic: true,
        size: Some(size),
        ..RPr::default()
    };
    para(x, &centred(0.0, true), &ctx.doc.kem_theo, italic);
    let length = p.net_kem_theo * 72.0 / 25.4;
    let next_line = (ctx.faces.cap_height() + gap::HEADING_LEADING) * size;
    rule_at(
        x,
        ctx,
        text_width,
        length,
        (next_line, size),
        gap::AFTER_REFERENCE,
    );

    let widths = column_widths(table, text_width);
    let n = widths.len();
    let sz = p.bang;
    x.open("w:tbl", &[]);
    props::table_props(
        x,
        widths.iter().sum(),
        Some(eighths(gap::RULE)),
        cell_margins(ctx, table, &widths, sz),
    );
    props::table_grid(x, &widths);

    // The name column is left-aligned, its header cell too (the PDF's `align`); the others
    // are centred.
    let name_col = table
        .columns
        .iter()
        .position(|c| c.kind == ColumnKind::Name);
    // Header rows: a cell spanning rows starts a vertical merge continued below it.
    let mut pending: Vec<Option<usize>> = vec![None; n]; // rows still to cover, by column
    for row in &table.header {
        x.open("w:tr", &[]);
        props::row_props(x, true);
        let mut col = 0;
        let mut cells = row.iter();
        while col < n {
            if let Some(left) = pending[col] {
                cell(
                    x,
                    TcPr {
                        width: widths[col],
                        span: 1,
                        vmerge: Some(false),
                        vcenter: true,
                    },
                    "",
                    sz,
                    true,
                    false,
                );
                pending[col] = if left > 1 { Some(left - 1) } else { None };
                col += 1;
                continue;
            }
            let Some(h) = cells.next() else { break };
            let span = h.colspan.max(1).min(n - col);
            let merge = h.rowspan > 1;
            cell(
                x,
                TcPr {
                    width: widths[col..col + span].iter().sum(),
                    span,
                    vmerge: merge.then_some(true),
                    vcenter: true,
                },
                &h.text,
                sz,
                true,
                span == 1 && Some(col) == name_col,
            );
            if merge {
                pending[col] = Some(h.rowspan - 1);
            }
            col += span;
        }
        x.close();
    }

    for g in &table.groups {
        x.open("w:tr", &[]);
        props::row_props(x, false);
        let tc = |width, span| TcPr {
            width,
            span,
            vmerge: None,
            vcenter: true,
        };
        // A group's title row stays on the page of its first row.
        cell_kept(x, tc(widths[0], 1), &g.numeral, sz, (true, false, true));
        if n > 1 {
            let w = widths[1..].iter().sum();
            cell_kept(x, tc(w, n - 1), &g.name, sz, (true, true, true));
        }
        x.close();
        for r in &g.rows {
            x.open("w:tr", &[]);
            props::row_props(x, false);
            for (i, c) in r.cells.iter().enumerate().take(n) {
                cell(x, tc(widths[i], 1), &c.text, sz, false, Some(i) == name_col);
            }
            x.close();
        }
    }
    x.close();
}
