//! The map from rendered markup back to templates: every plain template line carries a marker
//! comment (`/*@name:line@*/`) while it is rendered, so that a Typst error in rendered content,
//! or a changed sentence in `baocao diff`, can be traced to the template and line it came from;
//! and the texts of the templates as the build read them ([`TemplateTexts`]), from which every
//! diagnostic in a template takes its source line: a template is read once per build, and what
//! a message quotes is what was rendered, even if the file changes meanwhile (watch).
//! (Positions in data files are kept by the data loader, with each file's text:
//! `data::positions::SourceFile`.)

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::diag::{Diagnostic, Snippet};

/// The templates one build read (minijinja's templates and the Typst files the layout
/// imports), by name under templates/, each as read: byte-order mark dropped, CRLF made LF,
/// NFC, before line markers. Shared by the minijinja loader, the Typst world and the error
/// mapping; cloning shares the same map.
#[derive(Clone, Debug, Default)]
pub struct TemplateTexts(Arc<Mutex<BTreeMap<String, Arc<str>>>>);

impl TemplateTexts {
    /// Keep `text` as the template `name` (a path under templates/, `/`-separated).
    pub fn record(&self, name: &str, text: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(name.to_string(), Arc::from(text));
        }
    }

    /// The template `name` as it was read, if it was.
    pub fn get(&self, name: &str) -> Option<Arc<str>> {
        self.0.lock().ok()?.get(name).cloned()
    }

    /// Forget every text (a new build reads its templates again).
    pub fn clear(&self) {
        if let Ok(mut map) = self.0.lock() {
            map.clear();
        }
    }

    /// Line `line` (from 1) of template `name`.
    pub fn line(&self, name: &str, line: usize) -> Option<String> {
        let text = self.get(name)?;
        text.lines().nth(line.checked_sub(1)?).map(str::to_string)
    }

    /// Give each diagnostic located in a template (`templates/<name>`, relative, no source
    /// line yet) its source line, with a caret at its column, or the line's text underlined.
    pub fn fill_snippets(&self, diags: &mut [Diagnostic]) {
        for d in diags {
            let Some(loc) = &mut d.location else { continue };
            let (Some(line), None) = (loc.line, &loc.snippet) else {
                continue;
            };
            let Some(name) = template_name(&loc.file) else {
                continue;
            };
            let Some(l) = self.line(&name, line) else {
                continue;
            };
            loc.snippet = Some(match loc.column {
                Some(c) => Snippet::new(&l, c.saturating_sub(1), 1),
                None => Snippet::line(&l),
            });
        }
    }
}

/// `templates/a/b.typ.j2` → `a/b.typ.j2`; `None` for a path not under templates/.
fn template_name(path: &Path) -> Option<String> {
    let rest = path.strip_prefix("templates").ok()?;
    let parts: Vec<&str> = rest
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    (!parts.is_empty()).then(|| parts.join("/"))
}

pub const MARK_OPEN: &str = " /*@";
pub const MARK_CLOSE: &str = "@*/";

/// Append `/*@name:line@*/` to each line that is plain markup (not inside a minijinja tag,
/// a Typst raw block, and not a line holding a block tag, whose newline minijinja trims).
pub fn add_markers(name: &str, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut open_tag = false; // inside a multi-line {{ }}, {% %} or {# #}
    let mut in_raw = false;
    let lines: Vec<&str> = text.split('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        let starts_open = open_tag;
        // Track tag state through the line.
        let bytes = line.as_bytes();
        let mut j = 0;
        while j + 1 < bytes.len() {
            let pair = &bytes[j..j + 2];
            if !open_tag && (pair == b"{{" || pair == b"{%" || pair == b"{#") {
                open_tag = true;
                j += 2;
                continue;
            }
            if open_tag && (pair == b"}}" || pair == b"%}" || pair == b"#}") {
                open_tag = false;
                j += 2;
                continue;
            }
            j += 1;
        }
        if line.matches("```").count() % 2 == 1 {
            in_raw = !in_raw;
        }
        let has_block = line.contains("{%")
            || line.contains("{#")
            || line.contains("%}")
            || line.contains("#}");
        let is_last = i + 1 == lines.len();
        // A blank line must stay blank: it separates paragraphs.
        let blank = line.trim().is_empty();
        if !blank
            && !starts_open
            && !open_tag
            && !in_raw
            && !has_block
            && !is_last
            && !line.contains("```")
            && !line.contains("/*")
            && !line.contains("*/")
        {
            out.push_str(MARK_OPEN);
            out.push_str(name);
            out.push(':');
            out.push_str(&(i + 1).to_string());
            out.push_str(MARK_CLOSE);
        }
        if !is_last {
            out.push('\n');
        }
    }
    out
}

pub fn strip_markers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..i]);
        match rest[i..].find(MARK_CLOSE) {
            Some(j) => rest = &rest[i + j + MARK_CLOSE.len()..],
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The template and line that produced byte `pos` of the rendered markup.
pub fn locate(markup: &str, pos: usize) -> Option<(String, usize)> {
    let pos = pos.min(markup.len());
    let pos = (0..=pos).rev().find(|p| markup.is_char_boundary(*p))?;
    let line_end = markup[pos..]
        .find('\n')
        .map(|i| pos + i)
        .unwrap_or(markup.len());
    // The marker at the end of this line, if any.
    if let Some(i) = markup[pos..line_end].rfind(MARK_OPEN) {
        return parse_marker(&markup[pos + i..]).map(|(n, l, _)| (n, l));
    }
    // Else the nearest marker before, plus the lines in between.
    let before = &markup[..pos];
    let i = before.rfind(MARK_OPEN)?;
    let (name, line, len) = parse_marker(&markup[i..])?;
    let between = markup
        .get(i + len..pos)
        .map_or(0, |s| s.matches('\n').count());
    Some((name, line + between))
}

pub fn parse_marker(s: &str) -> Option<(String, usize, usize)> {
    let body = s.strip_prefix(MARK_OPEN)?;
    let end = body.find(MARK_CLOSE)?;
    let (name, line) = body[..end].rsplit_once(':')?;
    Some((
        name.to_string(),
        line.parse().ok()?,
        MARK_OPEN.len() + end + MARK_CLOSE.len(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;

    #[test]
    fn template_diagnostics_quote_the_text_as_read() {
        let texts = TemplateTexts::default();
        texts.record("phan-1/a.typ.j2", "dòng một\n  Dòng {{ x }} hai\n");
        let mut diags = vec![
            Diagnostic::error("e").at(Location::line("templates/phan-1/a.typ.j2", 2)),
            Diagnostic::error("e").at(Location::at("templates/phan-1/a.typ.j2", 1, 3)),
            // Not read by this build, not a template, past the end: left without a line.
            Diagnostic::error("e").at(Location::line("templates/b.typ.j2", 1)),
            Diagnostic::error("e").at(Location::line("data/bao-cao.yaml", 1)),
            Diagnostic::error("e").at(Location::line("templates/phan-1/a.typ.j2", 9)),
        ];
        texts.fill_snippets(&mut diags);
        let snippet = |i: usize| diags[i].location.as_ref().unwrap().snippet.clone();
        assert_eq!(snippet(0), Some(Snippet::new("  Dòng {{ x }} hai", 2, 16)));
        assert_eq!(snippet(1), Some(Snippet::new("dòng một", 2, 1)));
        assert!((2..5).all(|i| snippet(i).is_none()));
        // A new build forgets the old texts.
        texts.clear();
        assert_eq!(texts.get("phan-1/a.typ.j2"), None);
    }

    #[test]
    fn markers_round_trip() {
        let src = "Dòng một\n{% if x %}\nDòng {{ a }}\n\n{% endif %}\ncuối";
        let marked = add_markers("a.typ.j2", src);
        assert!(marked.contains("Dòng một /*@a.typ.j2:1@*/"));
        assert!(marked.contains("Dòng {{ a }} /*@a.typ.j2:3@*/"));
        assert!(!marked.contains(":2@*/"), "block-tag lines carry no marker");
        assert!(marked.contains("@*/\n\n{% endif"), "blank lines stay blank");
        assert_eq!(strip_markers(&marked), src);
    }

    #[test]
    fn locate_finds_template_line() {
        let markup = "a /*@x.typ.j2:1@*/\nb c /*@x.typ.j2:7@*/\nd";
        assert_eq!(
            locate(markup, markup.find('c').unwrap()),
            Some(("x.typ.j2".into(), 7))
        );
        assert_eq!(
            locate(markup, markup.len() - 1),
            Some(("x.typ.j2".into(), 8))
        );
    }
}
