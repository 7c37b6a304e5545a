//! The map from rendered markup back to templates: every plain template line carries a marker
//! comment (`/*@name:line@*/`) while it is rendered, so that a Typst error in rendered content,
//! or a changed sentence in `baocao diff`, can be traced to the template and line it came from.
//! (Positions in data files are kept by the data loader.)

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
