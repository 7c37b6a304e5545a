//! Word's units, and the embedded faces' metrics the Word copy needs: text widths (for the
//! drawn lines, which are as long as a fraction of their text, and for breaking the header's
//! lines as the PDF does) and the line height that gives the PDF's leading.
//!
//! Widths come from the same Liberation Serif faces the PDF is set in (metric-compatible with
//! Times New Roman, which the Word copy names), kerning off, as Word sets text without `w:kern`.

use ttf_parser::Face;

use crate::assets::EMBEDDED_FONTS;
use crate::diag::{Error, Result};

/// Twentieths of a point (dxa) in a millimetre.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

/// A length in millimetres as twips (dxa).
pub fn mm(v: f64) -> i64 {
    (v * TWIPS_PER_MM).round() as i64
}

/// A length in points as twips.
pub fn pt(v: f64) -> i64 {
    (v * 20.0).round() as i64
}

/// A font size in points as half-points (`w:sz`).
pub fn half_points(v: f64) -> i64 {
    (v * 2.0).round() as i64
}

/// A border width in points as eighths of a point (`w:sz` of a border), at least 2 (Word's
/// thinnest).
pub fn eighths(v: f64) -> i64 {
    ((v * 8.0).round() as i64).max(2)
}

/// The four faces the PDF is set in.
pub struct Faces {
    faces: Vec<Face<'static>>,
}

/// Weight and slant of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    pub bold: bool,
    pub italic: bool,
}

impl Shape {
    pub const REGULAR: Shape = Shape {
        bold: false,
        italic: false,
    };
    pub const BOLD: Shape = Shape {
        bold: true,
        italic: false,
    };
}

impl Faces {
    /// The embedded faces: regular, bold, italic, bold italic (in `EMBEDDED_FONTS`' order).
    pub fn load() -> Result<Self> {
        let faces: Vec<Face<'static>> = EMBEDDED_FONTS
            .iter()
            .filter_map(|(_, data)| Face::parse(data, 0).ok())
            .collect();
        if faces.len() != EMBEDDED_FONTS.len() {
            return Err(Error::msg(
                "bản Word: không đọc được phông chữ nhúng để đo chữ",
            ));
        }
        Ok(Faces { faces })
    }

    fn face(&self, shape: Shape) -> &Face<'static> {
        let i = match (shape.bold, shape.italic) {
            (false, false) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (true, true) => 3,
        };
        &self.faces[i]
    }

    /// The width of `text` at `size` points, in points (no kerning; a character the face
    /// lacks counts as half an em).
    pub fn width(&self, text: &str, size: f64, shape: Shape) -> f64 {
        let face = self.face(shape);
        let upm = f64::from(face.units_per_em());
        let units: f64 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map(f64::from)
                    .unwrap_or(upm / 2.0)
            })
            .sum();
        units / upm * size
    }

    /// The regular face's cap height, in ems: where Typst's lines start (`top-edge`).
    pub fn cap_height(&self) -> f64 {
        let face = self.face(Shape::REGULAR);
        let upm = f64::from(face.units_per_em());
        f64::from(face.capital_height().unwrap_or(face.ascender())) / upm
    }

    /// The regular face's ascender above the baseline, in ems.
    pub fn ascent(&self) -> f64 {
        let face = self.face(Shape::REGULAR);
        f64::from(face.ascender()) / f64::from(face.units_per_em())
    }

    /// The regular face's descent below the baseline, in ems.
    pub fn descent(&self) -> f64 {
        let face = self.face(Shape::REGULAR);
        -f64::from(face.descender()) / f64::from(face.units_per_em())
    }

    /// The regular face's single line (ascender + descender + line gap), in ems: what Word's
    /// "single" spacing gives.
    pub fn single_line(&self) -> f64 {
        let face = self.face(Shape::REGULAR);
        let upm = f64::from(face.units_per_em());
        f64::from(
            i32::from(face.ascender()) - i32::from(face.descender()) + i32::from(face.line_gap()),
        ) / upm
    }

    /// Greedy line breaking of `text` at spaces into lines no wider than `measure` points.
    pub fn wrap(&self, text: &str, size: f64, shape: Shape, measure: f64) -> Vec<String> {
        let mut lines: Vec<String> = vec![];
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && self.width(&candidate, size, shape) > measure {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_match_word() {
        // office-formats.md §1: A4 11906 x 16838, margins 15/20/30 mm = 851/1134/1701.
        assert_eq!(mm(210.0), 11906);
        assert_eq!(mm(297.0), 16838);
        assert_eq!((mm(20.0), mm(30.0), mm(10.0)), (1134, 1701, 567));
        assert_eq!(half_points(13.0), 26);
        assert_eq!(pt(6.0), 120);
        assert_eq!(eighths(0.75), 6);
    }

    #[test]
    fn widths_are_the_liberation_serif_ones() {
        let f = Faces::load().unwrap();
        // office-formats.md §1's table: Quốc hiệu 13 pt bold 9,57 cm, Tiêu ngữ 14 pt bold 6,05 cm.
        let cm = |pt: f64| pt * 2.54 / 72.0;
        let qh = cm(f.width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13.0, Shape::BOLD));
        let tn = cm(f.width("Độc lập - Tự do - Hạnh phúc", 14.0, Shape::BOLD));
        assert!((qh - 9.57).abs() < 0.02, "{qh}");
        assert!((tn - 6.05).abs() < 0.02, "{tn}");
        assert!(f.cap_height() > 0.6 && f.cap_height() < 0.7);
        assert!(f.single_line() > 1.1 && f.single_line() < 1.2);
        let lines = f.wrap("một hai ba bốn năm sáu", 14.0, Shape::REGULAR, 60.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), "một hai ba bốn năm sáu");
    }
}
