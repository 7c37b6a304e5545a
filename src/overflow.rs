//! Content the page cannot hold. Typst says nothing when an unbreakable block is taller than a
//! page, or a table or a line is wider than the text block: it lays the content out past the
//! margin (and past the paper's edge). The laid-out frames show it: every text run, drawn shape
//! and image of a page's body must lie inside the text block.
//!
//! The text block comes from the margins the layout was given (the decree's table), not from
//! the frames, whose nesting Typst may flatten. The page number (in the top margin) and the
//! DỰ THẢO mark (the page background) are labelled by the layout and not looked at. Punctuation that Typst hangs into the margin on purpose
//! (`text.overhang`) does not count.

use typst::foundations::Label;
use typst::layout::{Abs, Frame, FrameItem, GroupItem, Point, Rect, Size, Transform};
use typst::syntax::Span;
use typst_layout::PagedDocument;

/// How far past the text block content may reach before it counts: rounding, and the half
/// stroke of a rule drawn on the block's edge.
const TOLERANCE_PT: f64 = 1.0;

/// The margin that content crossed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Top,
    Bottom,
    Left,
    Right,
}

impl Side {
    /// The margin's name, as messages print it.
    pub fn name(self) -> &'static str {
        match self {
            Side::Top => "lề trên",
            Side::Bottom => "lề dưới",
            Side::Left => "lề trái",
            Side::Right => "lề phải",
        }
    }
}

/// Content of one page past one margin.
#[derive(Clone, Debug)]
pub struct Overflow {
    /// The physical page, from 1.
    pub page: usize,
    pub side: Side,
    /// How far the content reaches past the text block (the furthest item).
    pub by: Abs,
    /// The first text past the margin in reading order (empty when only a shape or an image
    /// crossed it), and where it came from.
    pub text: String,
    pub span: Span,
}

/// Every page's content past its text block, one entry a page and margin. `text_block` gives
/// the text block of a page of a given size (from the margins the layout was given); groups
/// labelled `skip` (the page number, the background mark) are not looked at.
pub fn find(
    doc: &PagedDocument,
    text_block: impl Fn(Size) -> Rect,
    skip: Option<Label>,
) -> Vec<Overflow> {
    let mut out = vec![];
    for (i, page) in doc.pages().iter().enumerate() {
        let block = text_block(page.frame.size());
        let bounds = Bounds {
            min: block.min,
            max: block.max,
        };
        let mut found: Vec<Overflow> = vec![];
        walk(
            &page.frame,
            Transform::identity(),
            &bounds,
            skip,
            &mut |side, by, text, span| match found.iter_mut().find(|o| o.side == side) {
                Some(o) => {
                    o.by = o.by.max(by);
                    if o.text.is_empty() && !text.is_empty() {
                        o.text = text.to_string();
                        o.span = span;
                    }
                }
                None => found.push(Overflow {
                    page: i + 1,
                    side,
                    by,
                    text: text.to_string(),
                    span,
                }),
            },
        );
        found.sort_by_key(|o| o.side);
        out.extend(found);
    }
    out
}

/// The text block, in page coordinates.
struct Bounds {
    min: Point,
    max: Point,
}

impl Bounds {
    /// The margins `p` lies past, and by how much.
    fn past(&self, p: Point, mut report: impl FnMut(Side, Abs)) {
        let tol = Abs::pt(TOLERANCE_PT);
        let checks = [
            (Side::Left, self.min.x - p.x),
            (Side::Right, p.x - self.max.x),
            (Side::Top, self.min.y - p.y),
            (Side::Bottom, p.y - self.max.y),
        ];
        for (side, by) in checks {
            if by > tol {
                report(side, by);
            }
        }
    }
}

/// Characters Typst lets hang into the margin at a line's start or end.
fn hangs(c: char) -> bool {
    matches!(c, '–' | '—' | '-' | '\u{ad}' | '.' | ',' | ':' | ';') || c.is_whitespace()
}

fn walk(
    frame: &Frame,
    ts: Transform,
    bounds: &Bounds,
    skip: Option<Label>,
    report: &mut impl FnMut(Side, Abs, &str, Span),
) {
    for (pos, item) in frame.items() {
        let at = |p: Point| (*pos + p).transform(ts);
        match item {
            FrameItem::Group(GroupItem {
                frame: inner,
                transform,
                clip,
                label,
                ..
            }) => {
                if skip.is_some() && *label == skip {
                    continue;
                }
                let inner_ts = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(*transform);
                if clip.is_some() {
                    // What a clipping group hides is hidden on purpose: only its box counts.
                    let p = |x, y| Point::new(x, y).transform(inner_ts);
                    for corner in corners(inner.size()) {
                        bounds.past(p(corner.x, corner.y), |s, by| {
                            report(s, by, "", Span::detached())
                        });
                    }
                } else {
                    walk(inner, inner_ts, bounds, skip, report);
                }
            }
            FrameItem::Text(text) => {
                // The ink from the first to the last glyph that does not hang, on the baseline.
                let mut x = Abs::zero();
                let mut ink: Option<(Abs, Abs)> = None;
                let mut span = Span::detached();
                for g in &text.glyphs {
                    let advance = g.x_advance.at(text.size);
                    let c = text.text[g.range()].chars().next().unwrap_or(' ');
                    if !hangs(c) {
                        ink = Some(match ink {
                            Some((start, _)) => (start, x + advance),
                            None => (x, x + advance),
                        });
                        if span.is_detached() {
                            span = g.span.0;
                        }
                    }
                    x += advance;
                }
                let Some((start, end)) = ink else { continue };
                let shown: String = text.text.trim().chars().take(60).collect();
                for p in [at(Point::with_x(start)), at(Point::with_x(end))] {
                    bounds.past(p, |s, by| report(s, by, &shown, span));
                }
            }
            FrameItem::Shape(shape, span) => {
                let r = shape.bbox(false);
                for corner in corners(Size::new(r.max.x - r.min.x, r.max.y - r.min.y)) {
                    bounds.past(at(r.min + corner), |s, by| report(s, by, "", *span));
                }
            }
            FrameItem::Image(_, size, span) => {
                for corner in corners(*size) {
                    bounds.past(at(corner), |s, by| report(s, by, "", *span));
                }
            }
            FrameItem::Link(..) | FrameItem::Tag(..) => {}
        }
    }
}

fn corners(size: Size) -> [Point; 4] {
    [
        Point::zero(),
        Point::with_x(size.x),
        Point::with_y(size.y),
        size.to_point(),
    ]
}
