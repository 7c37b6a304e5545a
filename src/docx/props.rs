//! Paragraph, run, cell and section properties, each written in the schema's child order
//! (ECMA-376 Part 1 §17.3.1.26 `pPr`, §17.3.2.28 `rPr`, §17.4.42 `tcPr`, §17.6.17 `sectPr`):
//! Word reports "unreadable content" for children out of order.

use super::xml::Xml;

/// Line spacing: `auto` in 240ths of a line, or `exact` in twips.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Line {
    Auto(i64),
    Exact(i64),
}

/// `w:spacing`: before and after in twips, and the line.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Spacing {
    pub before: i64,
    pub after: i64,
    pub line: Option<Line>,
}

/// `w:ind` in twips.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Ind {
    pub left: i64,
    pub right: i64,
    pub first_line: i64,
}

/// Run properties.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RPr {
    pub style: Option<&'static str>,
    pub bold: bool,
    pub italic: bool,
    /// Size in points.
    pub size: Option<f64>,
    pub superscript: bool,
}

impl RPr {
    pub fn is_empty(&self) -> bool {
        *self == RPr::default()
    }

    pub fn write(&self, x: &mut Xml) {
        if self.is_empty() {
            return;
        }
        x.open("w:rPr", &[]);
        if let Some(s) = self.style {
            x.val("w:rStyle", s);
        }
        if self.bold {
            x.empty("w:b", &[]).empty("w:bCs", &[]);
        }
        if self.italic {
            x.empty("w:i", &[]).empty("w:iCs", &[]);
        }
        if let Some(size) = self.size {
            let hp = super::units::half_points(size).to_string();
            x.val("w:sz", &hp).val("w:szCs", &hp);
        }
        if self.superscript {
            x.val("w:vertAlign", "superscript");
        }
        x.close();
    }
}

/// Paragraph properties.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PPr {
    pub style: Option<&'static str>,
    pub keep_next: bool,
    pub keep_lines: bool,
    /// A bottom border (the drawn line), its width in eighths of a point.
    pub bottom_border: Option<i64>,
    pub spacing: Option<Spacing>,
    pub ind: Option<Ind>,
    pub jc: Option<&'static str>,
    pub outline: Option<u8>,
    /// The paragraph mark's run properties.
    pub mark: RPr,
}

impl PPr {
    /// Write `w:pPr`; `sect` is the section that ends with this paragraph.
    pub fn write(&self, x: &mut Xml, sect: Option<&SectPr>) {
        if *self == PPr::default() && sect.is_none() {
            return;
        }
        x.open("w:pPr", &[]);
        if let Some(s) = self.style {
            x.val("w:pStyle", s);
        }
        if self.keep_next {
            x.empty("w:keepNext", &[]);
        }
        if self.keep_lines {
            x.empty("w:keepLines", &[]);
        }
        if let Some(sz) = self.bottom_border {
            x.open("w:pBdr", &[]).empty(
                "w:bottom",
                &[
                    ("w:val", "single"),
                    ("w:sz", &sz.to_string()),
                    ("w:space", "1"),
                    ("w:color", "auto"),
                ],
            );
            x.close();
        }
        if let Some(sp) = self.spacing {
            sp.write(x);
        }
        if let Some(ind) = self.ind {
            ind.write(x);
        }
        if let Some(jc) = self.jc {
            x.val("w:jc", jc);
        }
        if let Some(l) = self.outline {
            x.val("w:outlineLvl", &l.to_string());
        }
        self.mark.write(x);
        if let Some(s) = sect {
            s.write(x);
        }
        x.close();
    }
}

impl Spacing {
    pub fn write(&self, x: &mut Xml) {
        let before = self.before.to_string();
        let after = self.after.to_string();
        let mut attrs: Vec<(&str, String)> = vec![("w:before", before), ("w:after", after)];
        match self.line {
            Some(Line::Auto(v)) => {
                attrs.push(("w:line", v.to_string()));
                attrs.push(("w:lineRule", "auto".into()));
            }
            Some(Line::Exact(v)) => {
                attrs.push(("w:line", v.to_string()));
                attrs.push(("w:lineRule", "exact".into()));
            }
            None => {}
        }
        let a: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        x.empty("w:spacing", &a);
    }
}

impl Ind {
    pub fn write(&self, x: &mut Xml) {
        let (l, r, f) = (
            self.left.to_string(),
            self.right.to_string(),
            self.first_line.to_string(),
        );
        x.empty(
            "w:ind",
            &[("w:left", &l), ("w:right", &r), ("w:firstLine", &f)],
        );
    }
}

/// A section's page: size and margins in twips, its header parts, numbering and first page.
#[derive(Clone, Debug, PartialEq)]
pub struct SectPr {
    /// Relationship ids of the default and the first-page header.
    pub header_default: String,
    pub header_first: String,
    pub width: i64,
    pub height: i64,
    pub landscape: bool,
    pub top: i64,
    pub bottom: i64,
    pub left: i64,
    pub right: i64,
    pub header: i64,
    pub footer: i64,
    /// Restart page numbers at 1.
    pub restart_numbers: bool,
    /// A section break before it starts a new page (the appendix).
    pub next_page: bool,
}

impl SectPr {
    pub fn write(&self, x: &mut Xml) {
        x.open("w:sectPr", &[]);
        x.empty(
            "w:headerReference",
            &[("w:type", "default"), ("r:id", &self.header_default)],
        );
        x.empty(
            "w:headerReference",
            &[("w:type", "first"), ("r:id", &self.header_first)],
        );
        if self.next_page {
            x.val("w:type", "nextPage");
        }
        let (w, h) = (self.width.to_string(), self.height.to_string());
        let mut size: Vec<(&str, &str)> = vec![("w:w", &w), ("w:h", &h)];
        if self.landscape {
            size.push(("w:orient", "landscape"));
        }
        x.empty("w:pgSz", &size);
        let m: Vec<String> = [
            self.top,
            self.right,
            self.bottom,
            self.left,
            self.header,
            self.footer,
        ]
        .iter()
        .map(|v| v.to_string())
        .collect();
        x.empty(
            "w:pgMar",
            &[
                ("w:top", &m[0]),
                ("w:right", &m[1]),
                ("w:bottom", &m[2]),
                ("w:left", &m[3]),
                ("w:header", &m[4]),
                ("w:footer", &m[5]),
                ("w:gutter", "0"),
            ],
        );
        if self.restart_numbers {
            x.empty("w:pgNumType", &[("w:start", "1")]);
        }
        x.empty("w:cols", &[("w:space", "720")]);
        x.empty("w:titlePg", &[]);
        x.empty("w:docGrid", &[("w:linePitch", "360")]);
        x.close();
    }
}

/// A table cell's properties: width in twips, columns spanned, vertical merge, alignment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TcPr {
    pub width: i64,
    pub span: usize,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues it.
    pub vmerge: Option<bool>,
    pub vcenter: bool,
}

impl TcPr {
    pub fn write(&self, x: &mut Xml) {
        x.open("w:tcPr", &[]);
        x.empty(
            "w:tcW",
            &[("w:w", &self.width.to_string()), ("w:type", "dxa")],
        );
        if self.span > 1 {
            x.val("w:gridSpan", &self.span.to_string());
        }
        match self.vmerge {
            Some(true) => {
                x.val("w:vMerge", "restart");
            }
            Some(false) => {
                x.empty("w:vMerge", &[]);
            }
            None => {}
        }
        if self.vcenter {
            x.val("w:vAlign", "center");
        }
        x.close();
    }
}

/// `w:tblPr` of a table `width` twips wide: fixed layout, no indent, borders of `border`
/// eighths of a point (none when `None`), cell margins in twips (top, bottom, sides).
pub fn table_props(x: &mut Xml, width: i64, border: Option<i64>, margins: (i64, i64, i64)) {
    x.open("w:tblPr", &[]);
    x.empty("w:tblW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
    x.empty("w:tblInd", &[("w:w", "0"), ("w:type", "dxa")]);
    x.open("w:tblBorders", &[]);
    let sz = border.map(|b| b.to_string());
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        match &sz {
            Some(sz) => x.empty(
                side,
                &[
                    ("w:val", "single"),
                    ("w:sz", sz),
                    ("w:space", "0"),
                    ("w:color", "auto"),
                ],
            ),
            None => x.empty(side, &[("w:val", "nil")]),
        };
    }
    x.close();
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    let (t, b, h) = (
        margins.0.to_string(),
        margins.1.to_string(),
        margins.2.to_string(),
    );
    x.open("w:tblCellMar", &[]);
    x.empty("w:top", &[("w:w", &t), ("w:type", "dxa")]);
    x.empty("w:left", &[("w:w", &h), ("w:type", "dxa")]);
    x.empty("w:bottom", &[("w:w", &b), ("w:type", "dxa")]);
    x.empty("w:right", &[("w:w", &h), ("w:type", "dxa")]);
    x.close();
    x.empty(
        "w:tblLook",
        &[
            ("w:val", "0000"),
            ("w:firstRow", "0"),
            ("w:lastRow", "0"),
            ("w:firstColumn", "0"),
            ("w:lastColumn", "0"),
            ("w:noHBand", "1"),
            ("w:noVBand", "1"),
        ],
    );
    x.close();
}

/// `w:tblGrid` with these column widths in twips.
pub fn table_grid(x: &mut Xml, widths: &[i64]) {
    x.open("w:tblGrid", &[]);
    for w in widths {
        x.empty("w:gridCol", &[("w:w", &w.to_string())]);
    }
    x.close();
}

/// `w:trPr`: rows never split across pages; header rows repeat on every page.
pub fn row_props(x: &mut Xml, header: bool) {
    x.open("w:trPr", &[]).empty("w:cantSplit", &[]);
    if header {
        x.empty("w:tblHeader", &[]);
    }
    x.close();
}
