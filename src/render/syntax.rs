//! The rendered markup parsed as Typst (typst::syntax), without typesetting: a markup error (an
//! unclosed `#strong[`) is found by `check` as it would stop `build`, located at the template
//! and line it came from (the line markers, [`crate::source_map::locate`]), in Vietnamese with
//! Typst's own words kept as `chi tiết`.

use std::path::Path;

use typst::syntax::{LinkedNode, SyntaxKind, SyntaxNode, parse};

use super::Rendered;
use crate::diag::{Diagnostic, Location};
use crate::source_map::{locate, strip_markers};

/// Every syntax error of the rendered markup, located in its template.
pub fn syntax_errors(rendered: &Rendered) -> Vec<Diagnostic> {
    errors_in_tree(rendered, &parse(&rendered.markup))
}

/// As [`syntax_errors`], from the markup's tree already parsed (a build takes the Typst
/// world's, so the markup is parsed once, and incrementally in watch).
pub fn errors_in_tree(rendered: &Rendered, tree: &SyntaxNode) -> Vec<Diagnostic> {
    let markup = &rendered.markup;
    if !tree.diagnosis().errors {
        return vec![];
    }
    let mut out = vec![];
    let mut errors = vec![];
    collect(&LinkedNode::new(tree), &mut errors);
    for (offset, text, message) in errors {
        let mut d = Diagnostic::error(format!(
            "mã Typst dựng từ mẫu sai cú pháp: {}\nchi tiết: {message}",
            vietnamese(&message, &text)
        ));
        if let Some((name, line)) = locate(markup, offset) {
            let path = Path::new("templates").join(&name);
            let column = column_in_template(rendered, &name, line, markup, offset, &text);
            d.location = Some(match column {
                Some(c) => Location::at(path, line, c),
                None => Location::line(path, line),
            });
        }
        if let Some(h) = hint(&message, &text) {
            d = d.hint(h);
        }
        if !out.contains(&d) {
            out.push(d);
        }
    }
    rendered.templates.fill_snippets(&mut out);
    out
}

/// The error nodes below `node`: their offset in the markup, their text and Typst's message.
fn collect(node: &LinkedNode, out: &mut Vec<(usize, String, String)>) {
    if node.kind() == SyntaxKind::Error {
        let (errors, _) = node.get().errors_and_warnings();
        for e in errors {
            out.push((
                node.offset(),
                node.get().full_text().to_string(),
                e.message.to_string(),
            ));
        }
        return;
    }
    if !node.get().diagnosis().errors {
        return;
    }
    for child in node.children() {
        collect(&child, out);
    }
}

/// What a thing Typst expected or met is called in Vietnamese.
fn thing(english: &str) -> String {
    match english {
        "expression" => "một biểu thức".into(),
        "semicolon or line break" => "dấu `;` hoặc xuống dòng".into(),
        "comma or semicolon" => "dấu `,` hoặc `;`".into(),
        "identifier" => "một tên".into(),
        "block" => "một khối `{ … }` hoặc `[ … ]`".into(),
        "argument list" => "danh sách đối số `( … )`".into(),
        "keyword `in`" => "từ khóa `in`".into(),
        "pattern" => "một mẫu gán".into(),
        "named or keyed pair" => "một cặp `tên: giá trị`".into(),
        "closing bracket" => "dấu `]`".into(),
        "closing paren" => "dấu `)`".into(),
        "closing brace" => "dấu `}`".into(),
        "end of file" => "hết văn bản".into(),
        other => format!("`{other}`"),
    }
}

/// Typst's message in Vietnamese; `text` is the erroneous text.
fn vietnamese(message: &str, text: &str) -> String {
    let closing = match text.trim() {
        "[" => Some("]"),
        "(" => Some(")"),
        "{" => Some("}"),
        _ => None,
    };
    match message {
        "unclosed delimiter" => match closing {
            Some(c) => format!("dấu `{}` mở mà không có `{c}` đóng", text.trim()),
            None => "dấu mở ngoặc không có dấu đóng".into(),
        },
        "unclosed string" => "chuỗi thiếu dấu `\"` đóng".into(),
        "unclosed raw text" => "đoạn mã thô (`` ` ``) thiếu dấu đóng".into(),
        "unclosed label" => "nhãn `<…>` thiếu dấu `>` đóng".into(),
        "label cannot be empty" => "nhãn `<>` rỗng".into(),
        "unclosed Unicode escape sequence" => "mã Unicode `\\u{…}` thiếu dấu `}` đóng".into(),
        "unexpected end of block comment" => "dấu `*/` đóng chú thích mà không có `/*` mở".into(),
        _ => {
            if let Some(rest) = message.strip_prefix("expected ") {
                match rest.split_once(", found ") {
                    Some((want, found)) => {
                        format!("cần {} nhưng gặp {}", thing(want), thing(found))
                    }
                    None => format!("thiếu {}", thing(rest)),
                }
            } else if let Some(rest) = message.strip_prefix("unexpected ") {
                format!("{} không đúng chỗ", thing(rest))
            } else {
                "lỗi cú pháp".into()
            }
        }
    }
}

fn hint(message: &str, text: &str) -> Option<String> {
    match (message, text.trim()) {
        ("unclosed delimiter", "[") => Some(
            "mỗi `[` (như trong `#strong[…]`, `#footnote[…]`) cần một `]` đóng; dấu `]` là chữ \
             thường thì viết `\\]`"
                .into(),
        ),
        ("unclosed delimiter", "(") => Some("mỗi `(` sau lệnh `#…` cần một `)` đóng".into()),
        ("unclosed string", _) => {
            Some("chuỗi trong mã Typst viết trong `\"…\"` trên một dòng".into())
        }
        _ => None,
    }
}

/// The column (1-based, in characters) of the error in its template line: where the error's
/// own text, with as much of the text just before it in the markup as the template shares (up
/// to 12 characters; a value the template printed is not in it), stands once in that line.
fn column_in_template(
    rendered: &Rendered,
    name: &str,
    line: usize,
    markup: &str,
    offset: usize,
    text: &str,
) -> Option<usize> {
    let template_line = strip_markers(&rendered.templates.line(name, line)?);
    let line_start = markup[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before: Vec<char> = markup[line_start..offset].chars().collect();
    let head: String = text.chars().take(12).collect();
    (0..=before.len().min(12)).rev().find_map(|k| {
        let lead: String = before[before.len() - k..].iter().collect();
        let needle = format!("{lead}{head}");
        if needle.is_empty() || template_line.matches(&needle).count() != 1 {
            return None;
        }
        let at = template_line.find(&needle)? + lead.len();
        Some(template_line[..at].chars().count() + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source_map::{TemplateTexts, add_markers};

    fn errors(template: &str) -> Vec<Diagnostic> {
        let rendered = Rendered {
            markup: add_markers("a.typ.j2", template),
            period: crate::period::Period::Half,
            reads: Default::default(),
            templates: Default::default(),
        };
        syntax_errors(&rendered)
    }

    #[test]
    fn an_unclosed_bracket_is_found_at_its_template_line() {
        let e = errors("Dòng một.\n\nDòng hai #strong[đậm và tiếp\n\nDòng bốn.\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].message
                .starts_with("mã Typst dựng từ mẫu sai cú pháp: dấu `[` mở mà không có `]` đóng"),
            "{}",
            e[0].message
        );
        assert!(e[0].message.contains("chi tiết: unclosed delimiter"));
        let loc = e[0].location.as_ref().unwrap();
        assert_eq!(loc.file, Path::new("templates/a.typ.j2"));
        assert_eq!(loc.line, Some(3));
    }

    #[test]
    fn the_column_is_found_past_printed_values() {
        // The template as the render read it: the column and the quoted line come from it.
        let template = "Thu {{ x }} #strong[đậm mãi\n";
        let templates = TemplateTexts::default();
        templates.record("a.typ.j2", template);
        let rendered = Rendered {
            markup: add_markers("a.typ.j2", "Thu 155,108 #strong[đậm mãi\n"),
            period: crate::period::Period::Half,
            reads: Default::default(),
            templates,
        };
        let e = syntax_errors(&rendered);
        let loc = e[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (Some(1), Some(20)));
        let snippet = loc.snippet.as_ref().expect("the template line is quoted");
        assert_eq!(snippet.text, "Thu {{ x }} #strong[đậm mãi");
        assert_eq!(snippet.start, 19);
    }

    #[test]
    fn clean_markup_has_no_errors() {
        assert!(errors("Chữ *đậm* và #strong[đậm] và #footnote[chú].\n").is_empty());
    }

    #[test]
    fn messages_are_vietnamese() {
        for (msg, text, want) in [
            ("unclosed string", "\"a", "chuỗi thiếu dấu `\"` đóng"),
            (
                "expected expression, found end of file",
                "",
                "cần một biểu thức nhưng gặp hết văn bản",
            ),
            ("unexpected closing bracket", "]", "dấu `]` không đúng chỗ"),
            ("something new", "", "lỗi cú pháp"),
        ] {
            assert_eq!(vietnamese(msg, text), want);
        }
    }
}
