//! Small text utilities shared by the stages: Unicode normalisation, Typst escaping,
//! nearest-name hints.

use unicode_normalization::UnicodeNormalization;

/// Compose decomposed (NFD) Vietnamese into NFC, so "ế" typed as e + ◌̂ + ◌́ equals "ế".
pub fn normalize(text: &str) -> String {
    if unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        text.to_string()
    } else {
        text.nfc().collect()
    }
}

/// Escape a string so that Typst markup prints it literally: every character that could start
/// markup or code gets a backslash; line breaks become spaces.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Only digits so far (after leading spaces): a following "." would make a numbered list.
    let mut leading_digits = false;
    let mut started = false;
    let mut prev = '\0';
    for c in s.chars() {
        match c {
            '\\' | '#' | '*' | '_' | '`' | '$' | '@' | '<' | '>' | '[' | ']' | '~' | '=' | '-'
            | '+' | '/' | '\'' | '"' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '.' if leading_digits => out.push_str("\\."),
            // "..." is Typst's shorthand for "…": a dot after a dot is escaped.
            '.' if prev == '.' => out.push_str("\\."),
            // Typst also breaks lines at U+2028, U+2029 and U+0085: two of them in data
            // would split the paragraph, or start a list item after them.
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{b}' | '\u{c}' => {
                out.push(' ')
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
        // A dropped control character prints nothing: "\0 1." still starts with "1.".
        if !c.is_whitespace() && !c.is_control() {
            leading_digits = c.is_ascii_digit() && (!started || leading_digits);
            started = true;
        }
        prev = c;
    }
    out
}

/// A Typst string literal holding `s` ("…" with escapes), for use in Typst code.
pub fn typst_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Levenshtein distance over chars.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The known name nearest to `name`, if it is near enough to be a likely typo.
pub fn nearest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = distance(name, k);
        // A prefix/suffix relation also counts as near ("thu_ngan_sach" vs "thu_ngan_sach_tp").
        let d = if k.contains(name) || name.contains(k) {
            d.min(2)
        } else {
            d
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    let (d, k) = best?;
    (d <= (name.chars().count() / 3).max(2)).then_some(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_code() {
        let cases = [
            ("#read(\"x\")", "\\#read(\\\"x\\\")"),
            ("*đậm* _nghiêng_ $x$", "\\*đậm\\* \\_nghiêng\\_ \\$x\\$"),
            ("@nhan <nhan> ]", "\\@nhan \\<nhan\\> \\]"),
            ("{{ x }}", "\\{\\{ x \\}\\}"),
            ("a // b", "a \\/\\/ b"),
            ("1. mục", "1\\. mục"),
            // A value could land at the start of a line, where "2." would open a list.
            ("2.976,4", "2\\.976,4"),
            ("Tổ 2.", "Tổ 2."),
            ("dòng 1\ndòng 2", "dòng 1 dòng 2"),
            ("a ... b", "a .\\.\\. b"),
            ("\0\n1. mục", " 1\\. mục"),
            ("x\u{2028}\u{2028}y\u{2029}1. z", "x  y 1. z"),
        ];
        for (input, want) in cases {
            assert_eq!(escape_markup(input), want, "{input}");
        }
    }

    #[test]
    fn string_literal() {
        assert_eq!(typst_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }

    #[test]
    fn nfd_is_composed() {
        let nfd = "Ca\u{302}\u{301}p"; // "Cấp" decomposed
        assert_eq!(normalize(nfd), "Cấp");
    }

    #[test]
    fn nearest_names() {
        let known = ["thu_ngan_sach", "tong_dan_trau", "viec_lam_moi"];
        assert_eq!(nearest("thu_ngan_sac", known), Some("thu_ngan_sach"));
        assert_eq!(nearest("viec_lam", known), Some("viec_lam_moi"));
        assert_eq!(nearest("xyz_hoan_toan_khac", known), None);
    }
}
