//! Reading the report's HTML tree (Typst's HTML target of the same markup) into the Word
//! copy's blocks: paragraphs with their style, runs with their weight, slant and run-in style,
//! line breaks, footnote references with the notes' text, links; and, where the tree holds
//! the parts built from the metadata, a placeholder the writer fills from `Document`
//! (the table of elements and classes is at the top of `docx`).

use std::collections::HashMap;

use typst_html::{HtmlDocument, HtmlElement, HtmlNode, attr, tag};

use crate::diag::{Error, Result};

/// A paragraph's style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParaStyle {
    /// Body text.
    Body,
    /// Heading 1-4: Phần, mục (I.), khoản (1.), tiểu khoản (1.1.).
    Heading(u8),
    /// The closing sentence, kept with the signature that follows.
    Closing,
}

/// A heading that runs into its paragraph, with its character style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunIn {
    /// "1. Title" (bold).
    Khoan,
    /// "1.1. Title" (bold italic).
    TieuKhoan,
    /// "a) Title" (italic).
    Diem,
}

/// How a run looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fmt {
    pub bold: bool,
    pub italic: bool,
    pub superscript: bool,
    pub run_in: Option<RunIn>,
}

/// Inline content.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String, Fmt),
    Break,
    /// A footnote reference: the index of the note in [`Body::notes`].
    Note(usize),
    /// An external link and its content.
    Link(String, Vec<Inline>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Para {
    pub style: ParaStyle,
    pub inlines: Vec<Inline>,
}

/// A block of the document, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Para(Para),
    /// The first-page header (agency, Quốc hiệu, Số, date).
    Header,
    /// "BÁO CÁO" and the trích yếu.
    Title,
    /// Nơi nhận and the signature.
    Signature,
    /// The appendix (biểu), in its own section.
    Appendix,
}

/// The document's blocks and its footnotes, each the inline content of one note.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Body {
    pub blocks: Vec<Block>,
    pub notes: Vec<Vec<Inline>>,
}

/// Class names of the HTML tree (templates/nd30.typ's HTML branch).
pub mod class {
    pub const HEADER: &str = "nd30-tieu-de";
    pub const TITLE: &str = "nd30-ten-van-ban";
    pub const DRAFT: &str = "nd30-du-thao";
    pub const CLOSING: &str = "nd30-loi-ket";
    pub const SIGNATURE: &str = "nd30-ky-nhan";
    pub const APPENDIX: &str = "nd30-phu-luc";
    pub const KHOAN: &str = "nd30-khoan";
    pub const TIEU_KHOAN: &str = "nd30-tieu-khoan";
    pub const DIEM: &str = "nd30-diem";
}

fn has_class(e: &HtmlElement, name: &str) -> bool {
    e.attrs
        .get(attr::class)
        .is_some_and(|c| c.split_whitespace().any(|c| c == name))
}

fn role(e: &HtmlElement) -> Option<&str> {
    e.attrs.get(attr::role).map(|r| r.as_str())
}

fn element_children(e: &HtmlElement) -> impl Iterator<Item = &HtmlElement> {
    e.children.iter().filter_map(|n| match n {
        HtmlNode::Element(e) => Some(e),
        _ => None,
    })
}

/// The `<body>` of the document.
fn body_of(doc: &HtmlDocument) -> Result<&HtmlElement> {
    let root = doc.root();
    if root.tag == tag::body {
        return Ok(root);
    }
    element_children(root)
        .find(|e| e.tag == tag::body)
        .ok_or_else(|| Error::msg("bản Word: cây HTML của báo cáo không có `<body>`"))
}

/// Read the tree.
pub fn read(doc: &HtmlDocument) -> Result<Body> {
    let body = body_of(doc)?;
    let mut r = Reader::default();
    // The notes' text first (they follow the text that refers to them).
    for e in element_children(body) {
        if e.tag == tag::section && role(e) == Some("doc-endnotes") {
            r.collect_endnotes(e);
        }
    }
    r.blocks(body)?;
    Ok(Body {
        blocks: r.blocks,
        notes: r.notes,
    })
}

#[derive(Default)]
struct Reader<'a> {
    blocks: Vec<Block>,
    notes: Vec<Vec<Inline>>,
    /// The endnotes' `<li>` by id.
    endnotes: HashMap<&'a str, &'a HtmlElement>,
}

const HEADINGS: [(typst_html::HtmlTag, u8); 4] =
    [(tag::h2, 1), (tag::h3, 2), (tag::h4, 3), (tag::h5, 4)];

impl<'a> Reader<'a> {
    fn collect_endnotes(&mut self, section: &'a HtmlElement) {
        for list in element_children(section) {
            for li in element_children(list).filter(|e| e.tag == tag::li) {
                if let Some(id) = li.attrs.get(attr::id) {
                    self.endnotes.insert(id.as_str(), li);
                }
            }
        }
    }

    /// The block-level children of `parent`.
    fn blocks(&mut self, parent: &'a HtmlElement) -> Result<()> {
        let mut loose: Vec<Inline> = vec![];
        for node in &parent.children {
            let e = match node {
                HtmlNode::Element(e) if !is_inline(e) => e,
                // Inline content straight in a block: a paragraph of its own.
                _ => {
                    self.inline(node, Fmt::default(), &mut loose)?;
                    continue;
                }
            };
            self.flush(&mut loose);
            if e.tag == tag::section && role(e) == Some("doc-endnotes") {
                continue;
            }
            if has_class(e, class::HEADER) {
                self.blocks.push(Block::Header);
            } else if has_class(e, class::TITLE) || e.tag == tag::h1 {
                self.blocks.push(Block::Title);
            } else if has_class(e, class::SIGNATURE) {
                self.blocks.push(Block::Signature);
            } else if has_class(e, class::APPENDIX) {
                self.blocks.push(Block::Appendix);
            } else if has_class(e, class::DRAFT) {
                // The watermark of every page stands for it.
            } else if let Some((_, level)) = HEADINGS.iter().find(|(t, _)| *t == e.tag) {
                self.para(e, ParaStyle::Heading(*level))?;
            } else if e.tag == tag::p {
                let style = if has_class(e, class::CLOSING) {
                    ParaStyle::Closing
                } else {
                    ParaStyle::Body
                };
                self.para(e, style)?;
            } else if e.tag == tag::ul || e.tag == tag::ol {
                // Items as the report writes them: "- " or "1. " typed.
                let items = element_children(e).filter(|li| li.tag == tag::li);
                for (i, li) in items.enumerate() {
                    let mark = if e.tag == tag::ul {
                        "- ".to_string()
                    } else {
                        format!("{}. ", i + 1)
                    };
                    self.para_with(li, ParaStyle::Body, &mark)?;
                }
            } else if e.tag == tag::li {
                self.para(e, ParaStyle::Body)?;
            } else {
                // div, section, ul, ol, …: their blocks in order.
                self.blocks(e)?;
            }
        }
        self.flush(&mut loose);
        Ok(())
    }

    fn flush(&mut self, loose: &mut Vec<Inline>) {
        let inlines = trim(std::mem::take(loose));
        if !inlines.is_empty() {
            self.blocks.push(Block::Para(Para {
                style: ParaStyle::Body,
                inlines,
            }));
        }
    }

    fn para(&mut self, e: &'a HtmlElement, style: ParaStyle) -> Result<()> {
        self.para_with(e, style, "")
    }

    /// A paragraph of `e`'s content after the text `mark`.
    fn para_with(&mut self, e: &'a HtmlElement, style: ParaStyle, mark: &str) -> Result<()> {
        let mut inlines = vec![];
        push_text(&mut inlines, mark, Fmt::default());
        for n in &e.children {
            self.inline(n, Fmt::default(), &mut inlines)?;
        }
        let inlines = trim(inlines);
        if !inlines.is_empty() {
            self.blocks.push(Block::Para(Para { style, inlines }));
        }
        Ok(())
    }

    fn inline(&mut self, node: &'a HtmlNode, fmt: Fmt, out: &mut Vec<Inline>) -> Result<()> {
        match node {
            HtmlNode::Text(t, _) => push_text(out, t, fmt),
            HtmlNode::Element(e) => self.element(e, fmt, out)?,
            // Introspection markers; frames (content Typst could only draw) are not text.
            HtmlNode::Tag(_) | HtmlNode::Frame(_) => {}
        }
        Ok(())
    }

    fn element(&mut self, e: &'a HtmlElement, mut fmt: Fmt, out: &mut Vec<Inline>) -> Result<()> {
        if e.tag == tag::br {
            out.push(Inline::Break);
            return Ok(());
        }
        if e.tag == tag::sup && role(e) == Some("doc-noteref") {
            return self.note(e, out);
        }
        if e.tag == tag::strong {
            if has_class(e, class::KHOAN) {
                fmt.run_in = Some(RunIn::Khoan);
            } else if has_class(e, class::TIEU_KHOAN) {
                fmt.run_in = Some(RunIn::TieuKhoan);
            } else if has_class(e, class::DIEM) {
                fmt.run_in = Some(RunIn::Diem);
            } else {
                fmt.bold = true;
            }
        } else if e.tag == tag::em {
            fmt.italic = true;
        } else if e.tag == tag::sup {
            fmt.superscript = true;
        } else if e.tag == tag::a
            && let Some(url) = e.attrs.get(attr::href).filter(|h| is_external(h))
        {
            let mut inner = vec![];
            for n in &e.children {
                self.inline(n, fmt, &mut inner)?;
            }
            out.push(Inline::Link(url.to_string(), inner));
            return Ok(());
        }
        for n in &e.children {
            self.inline(n, fmt, out)?;
        }
        Ok(())
    }

    /// A footnote mark: its note's text (from the endnote it links to) becomes a note.
    fn note(&mut self, sup: &'a HtmlElement, out: &mut Vec<Inline>) -> Result<()> {
        let target = element_children(sup)
            .find(|a| a.tag == tag::a)
            .and_then(|a| a.attrs.get(attr::href))
            .and_then(|h| h.strip_prefix('#'));
        let Some(li) = target.and_then(|t| self.endnotes.get(t).copied()) else {
            return Err(Error::msg(
                "bản Word: một dấu chú thích không trỏ tới chú thích nào trong cây HTML",
            ));
        };
        let mut inlines = vec![];
        for n in &li.children {
            // The note starts with its back link (`sup` role `doc-backlink`), not text.
            if let HtmlNode::Element(e) = n
                && e.tag == tag::sup
                && role(e) == Some("doc-backlink")
            {
                continue;
            }
            self.inline_or_block(n, &mut inlines)?;
        }
        self.notes.push(trim(inlines));
        out.push(Inline::Note(self.notes.len() - 1));
        Ok(())
    }

    /// A note's content: inline, or paragraphs joined by line breaks.
    fn inline_or_block(&mut self, n: &'a HtmlNode, out: &mut Vec<Inline>) -> Result<()> {
        match n {
            HtmlNode::Element(e) if e.tag == tag::p => {
                if !out.is_empty() {
                    out.push(Inline::Break);
                }
                for c in &e.children {
                    self.inline(c, Fmt::default(), out)?;
                }
                Ok(())
            }
            _ => self.inline(n, Fmt::default(), out),
        }
    }
}

fn is_external(href: &str) -> bool {
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| href.starts_with(p))
}

/// Elements that sit inside a paragraph.
fn is_inline(e: &HtmlElement) -> bool {
    [
        tag::strong,
        tag::em,
        tag::a,
        tag::sup,
        tag::sub,
        tag::span,
        tag::br,
        tag::b,
        tag::i,
        tag::code,
        tag::small,
    ]
    .contains(&e.tag)
}

/// Append text, merged with the previous run when it looks the same.
fn push_text(out: &mut Vec<Inline>, text: &str, fmt: Fmt) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text(prev, f)) = out.last_mut()
        && *f == fmt
    {
        prev.push_str(text);
        return;
    }
    out.push(Inline::Text(text.to_string(), fmt));
}

/// Without the white space at the start and end of a paragraph.
fn trim(mut v: Vec<Inline>) -> Vec<Inline> {
    while let Some(Inline::Text(t, _)) = v.first_mut() {
        let s = t.trim_start();
        if s.is_empty() {
            v.remove(0);
        } else {
            *t = s.to_string();
            break;
        }
    }
    while let Some(Inline::Text(t, _)) = v.last_mut() {
        let s = t.trim_end();
        if s.is_empty() {
            v.pop();
        } else {
            *t = s.to_string();
            break;
        }
    }
    v
}

/// The plain text of inline content (footnote marks left out).
pub fn plain(v: &[Inline]) -> String {
    let mut s = String::new();
    for i in v {
        match i {
            Inline::Text(t, _) => s.push_str(t),
            Inline::Break => s.push('\n'),
            Inline::Note(_) => {}
            Inline::Link(_, inner) => s.push_str(&plain(inner)),
        }
    }
    s
}
