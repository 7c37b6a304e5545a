//! The rendered report as sentences (with the template lines they come from), and the
//! sentences that read differently between two renderings.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::figures::FigureChange;
use crate::source_map;

// Sentences of the rendered report

/// A sentence (or a heading, a list line, a line of a code block) of the rendered markup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The markup, line markers removed, lines joined by a space.
    pub markup: String,
    /// Where it starts: template name (under templates/) and line.
    pub location: Option<(String, usize)>,
    /// Every template line it spans.
    pub lines: Vec<(String, usize)>,
}

/// Split marked markup (from `render::render`) into sentences, each with its template lines.
pub fn segments(marked: &str) -> Vec<Segment> {
    // Lines, cleaned, with their template locations.
    let mut lines: Vec<(String, Option<(String, usize)>)> = vec![];
    let mut offset = 0;
    for line in marked.split('\n') {
        let loc = source_map::locate(marked, offset);
        offset += line.len() + 1;
        lines.push((source_map::strip_markers(line).trim_end().to_string(), loc));
    }
    let mut out = vec![];
    let mut para: Vec<(String, Option<(String, usize)>)> = vec![];
    let flush = |para: &mut Vec<(String, Option<(String, usize)>)>, out: &mut Vec<Segment>| {
        if para.is_empty() {
            return;
        }
        if is_code(&para[0].0) {
            for (text, loc) in para.drain(..) {
                out.push(Segment {
                    markup: text.trim().to_string(),
                    lines: loc.iter().cloned().collect(),
                    location: loc,
                });
            }
        } else {
            sentences(para, out);
            para.clear();
        }
    };
    // Inside a block of code opened by a line like `#bang(` or `#phu-luc(meta)[` (a table),
    // every line is compared on its own until the brackets close.
    let mut depth: i64 = 0;
    for (text, loc) in lines {
        let t = text.trim();
        if depth > 0 || call_head(t) {
            flush(&mut para, &mut out);
            depth = (depth + bracket_balance(t)).max(0);
            if !t.is_empty() {
                out.push(Segment {
                    markup: t.to_string(),
                    lines: loc.iter().cloned().collect(),
                    location: loc,
                });
            }
        } else if t.is_empty() {
            flush(&mut para, &mut out);
        } else {
            para.push((text, loc));
        }
    }
    flush(&mut para, &mut out);
    out
}

/// A line that is only the head of a call whose arguments or body go on below:
/// `#bang(`, `#phu-luc(meta, tieu-de: "…")[`.
fn call_head(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('#') else {
        return false;
    };
    let name_len = rest
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(rest.len());
    if name_len == 0 {
        return false;
    }
    let rest = &rest[name_len..];
    if rest == "(" || rest == "[" {
        return true;
    }
    // Balanced arguments, then an opening bracket at the end.
    rest.starts_with('(') && rest.ends_with('[') && bracket_balance(&rest[..rest.len() - 1]) == 0
}

/// Opening minus closing brackets and parentheses, outside strings and escapes.
fn bracket_balance(t: &str) -> i64 {
    let mut n = 0;
    let mut in_str = false;
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => in_str = !in_str,
            '(' | '[' if !in_str => n += 1,
            ')' | ']' if !in_str => n -= 1,
            _ => {}
        }
    }
    n
}

/// A paragraph of code (definitions, tables): compared line by line.
fn is_code(first: &str) -> bool {
    let t = first.trim_start();
    ["#let ", "#show", "#set ", "#import ", "//"]
        .iter()
        .any(|p| t.starts_with(p))
        || (t.starts_with('#') && (t.ends_with('(') || t.ends_with('[')))
}

/// Split a paragraph into sentences: after `.`, `!`, `?` or `…` followed by a space and a
/// character that is not a lower-case letter (`47,13%`, `1.300` and `TP. trung tâm` stay
/// whole); a line opening with `- `, `+ ` or a heading call starts a new one too.
fn sentences(para: &[(String, Option<(String, usize)>)], out: &mut Vec<Segment>) {
    // The paragraph as one line, and for each character the paragraph line it came from.
    let mut chars: Vec<char> = vec![];
    let mut line_of: Vec<usize> = vec![];
    let mut breaks: BTreeSet<usize> = BTreeSet::new();
    for (k, (text, _)) in para.iter().enumerate() {
        let t = text.trim();
        if k > 0 {
            chars.push(' ');
            line_of.push(k);
        }
        if starts_item(t) {
            breaks.insert(chars.len());
        }
        for c in t.chars() {
            chars.push(c);
            line_of.push(k);
        }
    }
    let mut cut = |from: usize, to: usize| {
        let text: String = chars[from..to].iter().collect();
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let first = (from..to).find(|&i| chars[i] != ' ').unwrap_or(from);
        let mut lines: Vec<(String, usize)> = vec![];
        for &k in &line_of[first..to] {
            if let Some(l) = &para[k].1
                && lines.last() != Some(l)
            {
                lines.push(l.clone());
            }
        }
        out.push(Segment {
            markup: text.to_string(),
            location: para[line_of[first]].1.clone(),
            lines,
        });
    };
    let n = chars.len();
    let (mut start, mut i) = (0, 0);
    // Depth of content blocks: a footnote's sentences belong to the sentence it hangs on.
    let mut depth = 0usize;
    while i < n {
        if depth == 0 && i > start && breaks.contains(&i) {
            cut(start, i);
            start = i;
        }
        let c = chars[i];
        let escaped = i > 0 && chars[i - 1] == '\\';
        i += 1;
        if escaped {
            continue;
        }
        if c == '[' {
            depth += 1;
        } else if c == ']' {
            depth = depth.saturating_sub(1);
        }
        if depth == 0 && matches!(c, '.' | '!' | '?' | '…') {
            // Closing quotes and brackets stay with the sentence (and the `/.` of `./.`).
            while i < n && matches!(chars[i], '"' | '”' | ')' | '’' | '/' | '.') {
                i += 1;
            }
            if i < n
                && chars[i] == ' '
                && chars[i..]
                    .iter()
                    .find(|c| **c != ' ')
                    .is_some_and(|c| !c.is_lowercase())
            {
                cut(start, i);
                start = i;
            }
        }
    }
    cut(start, n);
}

/// A line that starts its own segment: a dash or plus line, or a heading call.
fn starts_item(t: &str) -> bool {
    t.starts_with("- ")
        || t.starts_with("+ ")
        || ["#phan", "#muc", "#khoan", "#tieu-khoan", "#diem"]
            .iter()
            .any(|h| t.starts_with(h) && t[h.len()..].starts_with(['[', '(']))
}

/// The markup as a reader sees it: calls like `#diem[…]` reduced to their text, a footnote in
/// brackets, escapes removed.
pub fn plain(markup: &str) -> String {
    let chars: Vec<char> = markup.chars().collect();
    let mut out = String::new();
    // For each open content block: whether it is a footnote.
    let mut stack: Vec<bool> = vec![];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c == '#' && i + 1 < chars.len() && chars[i + 1].is_alphabetic() {
            let start = i;
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_alphanumeric() || matches!(chars[j], '-' | '_' | '.'))
            {
                j += 1;
            }
            let name: String = chars[i + 1..j].iter().collect();
            // Arguments in parentheses, strings respected.
            if j < chars.len() && chars[j] == '(' {
                let mut depth = 0;
                let mut in_str = false;
                while j < chars.len() {
                    let ch = chars[j];
                    if in_str {
                        if ch == '\\' {
                            j += 1;
                        } else if ch == '"' {
                            in_str = false;
                        }
                    } else if ch == '"' {
                        in_str = true;
                    } else if ch == '(' {
                        depth += 1;
                    } else if ch == ')' {
                        depth -= 1;
                        if depth == 0 {
                            j += 1;
                            break;
                        }
                    }
                    j += 1;
                }
            }
            if j < chars.len() && chars[j] == '[' {
                let footnote = name == "footnote";
                if footnote {
                    out.push_str(" [");
                }
                stack.push(footnote);
                i = j + 1;
            } else {
                out.extend(&chars[start..j.min(chars.len())]);
                i = j;
            }
            continue;
        }
        if c == ']' && !stack.is_empty() {
            if stack.pop() == Some(true) {
                out.push(']');
            }
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A sentence that reads differently with the new figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceChange {
    /// Template and line of the sentence (new side, else old).
    pub location: Option<(String, usize)>,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Changed figures its template lines refer to.
    pub figures: Vec<String>,
}

pub(super) enum Op {
    Same,
    Del(usize),
    Ins(usize),
}

/// A longest-common-subsequence edit script between `a` and `b` (common ends trimmed first).
pub(super) fn edit_script<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Op> {
    let mut pre = 0;
    while pre < a.len() && pre < b.len() && a[pre] == b[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < a.len() - pre && suf < b.len() - pre && a[a.len() - 1 - suf] == b[b.len() - 1 - suf]
    {
        suf += 1;
    }
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let (n, m) = (am.len(), bm.len());
    let mut ops: Vec<Op> = (0..pre).map(|_| Op::Same).collect();
    if n * m > 20_000_000 {
        // Too large to align: everything in the middle differs.
        ops.extend((0..n).map(|i| Op::Del(pre + i)));
        ops.extend((0..m).map(|j| Op::Ins(pre + j)));
    } else {
        // lcs[i][j]: LCS length of am[i..] and bm[j..].
        let w = m + 1;
        let mut lcs = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * w + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(Op::Same);
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j]) {
                ops.push(Op::Ins(pre + j));
                j += 1;
            } else {
                ops.push(Op::Del(pre + i));
                i += 1;
            }
        }
    }
    ops.extend((0..suf).map(|_| Op::Same));
    ops
}

/// The sentences that differ between two renderings, old and new paired in order.
pub fn changed_sentences(
    old: &[Segment],
    new: &[Segment],
    figures: &[FigureChange],
    templates: &Path,
) -> Vec<SentenceChange> {
    let a: Vec<&str> = old.iter().map(|s| s.markup.as_str()).collect();
    let b: Vec<&str> = new.iter().map(|s| s.markup.as_str()).collect();
    let ops = edit_script(&a, &b);
    // An indicator's row is found by its name cell (`[Thu ngân sách thành phố]`): looked up
    // among the bracketed cells of a sentence, so thousands of changed rows and figures stay
    // fast; a name with brackets of its own is searched for in the whole text.
    let mut by_cell: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut odd_cells: Vec<usize> = vec![];
    for (k, f) in figures.iter().enumerate() {
        if let Some(cell) = &f.cell {
            let inner = cell.trim_start_matches('[').trim_end_matches(']');
            if inner.contains(['[', ']']) {
                odd_cells.push(k);
            } else {
                by_cell.entry(cell.as_str()).or_default().push(k);
            }
        }
    }
    // The figures each set of template lines mentions (a table's rows share one line).
    let mut mentioned: HashMap<Vec<(String, usize)>, Vec<String>> = HashMap::new();
    let mut out = vec![];
    let mut dels: Vec<usize> = vec![];
    let mut ins: Vec<usize> = vec![];
    let mut flush = |dels: &mut Vec<usize>, ins: &mut Vec<usize>| {
        let n = dels.len().max(ins.len());
        for k in 0..n {
            let o = dels.get(k).map(|&i| &old[i]);
            let nw = ins.get(k).map(|&j| &new[j]);
            let seg = nw.or(o);
            let mut lines: Vec<(String, usize)> = vec![];
            for s in [o, nw].into_iter().flatten() {
                lines.extend(s.lines.iter().cloned());
            }
            let (old_text, new_text) = (o.map(|s| plain(&s.markup)), nw.map(|s| plain(&s.markup)));
            let mut by = mentioned
                .entry(lines.clone())
                .or_insert_with(|| referenced(&lines, figures, templates))
                .clone();
            let texts: Vec<&str> = [&old_text, &new_text]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            let mut in_row: Vec<usize> = texts
                .iter()
                .flat_map(|t| bracketed(t))
                .filter_map(|cell| by_cell.get(cell))
                .flatten()
                .copied()
                .collect();
            in_row.extend(odd_cells.iter().copied().filter(|&k| {
                figures[k]
                    .cell
                    .as_ref()
                    .is_some_and(|cell| texts.iter().any(|t| t.contains(cell.as_str())))
            }));
            // In the figures' order.
            in_row.sort_unstable();
            in_row.dedup();
            for f in in_row.into_iter().map(|k| &figures[k]) {
                if !by.contains(&f.short) {
                    by.push(f.short.clone());
                }
            }
            out.push(SentenceChange {
                location: seg.and_then(|s| s.location.clone()),
                old: old_text.map(|t| table_row(&t)),
                new: new_text.map(|t| table_row(&t)),
                figures: by,
            });
        }
        dels.clear();
        ins.clear();
    };
    for op in ops {
        match op {
            Op::Same => flush(&mut dels, &mut ins),
            Op::Del(i) => dels.push(i),
            Op::Ins(j) => ins.push(j),
        }
    }
    flush(&mut dels, &mut ins);
    // Pairs that read the same once markup is removed are not worth a reviewer's time.
    out.retain(|c| c.old != c.new);
    out
}

/// Every `[…]` of `text` (no nesting), brackets included.
fn bracketed(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = 0;
    std::iter::from_fn(move || {
        let open = rest + text[rest..].find('[')?;
        let close = open + text[open..].find(']')?;
        // A `[` inside starts the next candidate.
        let inner_open = text[open + 1..close].rfind('[').map(|i| open + 1 + i);
        let start = inner_open.unwrap_or(open);
        rest = close + 1;
        Some(&text[start..=close])
    })
}

/// The changed figures that the template lines mention.
fn referenced(
    lines: &[(String, usize)],
    figures: &[FigureChange],
    templates: &Path,
) -> Vec<String> {
    let mut texts = String::new();
    let mut seen = BTreeSet::new();
    for (name, line) in lines {
        if !seen.insert((name.clone(), *line)) {
            continue;
        }
        if let Ok(t) = std::fs::read_to_string(templates.join(name))
            && let Some(l) = t.lines().nth(line.saturating_sub(1))
        {
            texts.push_str(l);
            texts.push('\n');
        }
    }
    let mut out: Vec<String> = vec![];
    for f in figures {
        let hit = f.refs.iter().any(|r| {
            texts.match_indices(r.as_str()).any(|(i, _)| {
                let after = texts[i + r.len()..].chars().next();
                !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        });
        if hit && !out.contains(&f.short) {
            out.push(f.short.clone());
        }
    }
    out
}

/// A row of table cells (`[1], [Lúa], [5,1],`) shown as `1 | Lúa | 5,1`; other text as is.
fn table_row(t: &str) -> String {
    let body = t.trim().trim_end_matches(',');
    match body.strip_prefix('[').and_then(|b| b.strip_suffix(']')) {
        Some(cells) if body.contains("], [") => cells.split("], [").collect::<Vec<_>>().join(" | "),
        _ => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn bracketed_cells() {
        let got: Vec<&str> = bracketed("[8], [Thu ngân sách], [tỷ [đồng], x]").collect();
        assert_eq!(got, ["[8]", "[Thu ngân sách]", "[đồng]"]);
        assert_eq!(bracketed("không có").count(), 0);
        assert_eq!(bracketed("[mở mà không đóng").count(), 0);
    }

    #[test]
    fn sentences_split_at_full_stops_not_at_decimals_or_lower_case() {
        let marked = "Thu ngân sách đạt 47,13% kế hoạch. Vốn đầu tư 1.300 tỷ đồng đạt /*@a.typ.j2:1@*/\n\
                      65%. TP. trung tâm vẫn vậy! Hết /*@a.typ.j2:2@*/\n\n#muc[Tiêu đề] /*@a.typ.j2:4@*/\n- gạch một. /*@a.typ.j2:5@*/\n- gạch hai";
        let segs = segments(marked);
        let texts: Vec<&str> = segs.iter().map(|s| s.markup.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Thu ngân sách đạt 47,13% kế hoạch.",
                "Vốn đầu tư 1.300 tỷ đồng đạt 65%.",
                "TP. trung tâm vẫn vậy!",
                "Hết",
                "#muc[Tiêu đề]",
                "- gạch một.",
                "- gạch hai",
            ]
        );
        assert_eq!(segs[1].location, Some(("a.typ.j2".into(), 1)));
        assert_eq!(
            segs[1].lines,
            vec![("a.typ.j2".into(), 1), ("a.typ.j2".into(), 2)]
        );
        assert_eq!(segs[2].location, Some(("a.typ.j2".into(), 2)));
        assert_eq!(segs[4].location, Some(("a.typ.j2".into(), 4)));
    }

    #[test]
    fn a_footnote_stays_with_its_sentence() {
        let segs =
            segments("Đạt kế hoạch#footnote[Lúa: 5 ha. Ngô: 6 ha.] đề ra. Tiếp \\[theo\\]. Hết.");
        let texts: Vec<&str> = segs.iter().map(|s| s.markup.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Đạt kế hoạch#footnote[Lúa: 5 ha. Ngô: 6 ha.] đề ra.",
                "Tiếp \\[theo\\].",
                "Hết."
            ]
        );
    }

    #[test]
    fn a_table_block_compares_row_by_row() {
        let marked = "Trên đây là báo cáo.\n\n#chu-ky(meta)\n#phu-luc(meta, tieu-de: \"Biểu (a)\")[\n#bang(\n  o: (\n    [1], [Lúa], [5,1],\n    [2], [Ngô], [\\(6\\)],\n  ),\n)\n]\nSau biểu.";
        let texts: Vec<String> = segments(marked).into_iter().map(|s| s.markup).collect();
        assert_eq!(
            texts,
            vec![
                "Trên đây là báo cáo.",
                "#chu-ky(meta)",
                "#phu-luc(meta, tieu-de: \"Biểu (a)\")[",
                "#bang(",
                "o: (",
                "[1], [Lúa], [5,1],",
                "[2], [Ngô], [\\(6\\)],",
                "),",
                ")",
                "]",
                "Sau biểu."
            ]
        );
        assert!(!call_head("#diem[Trồng trọt:] lời văn#footnote["));
        assert!(call_head("#bang(") && call_head("#phu-luc(meta)["));
    }

    #[test]
    fn code_paragraphs_compare_line_by_line() {
        let segs = segments("#bang(\n  o: (\n    [1], [Lúa], [5,1],\n  ),\n)");
        assert_eq!(segs.len(), 5);
        assert_eq!(segs[2].markup, "[1], [Lúa], [5,1],");
    }

    #[test]
    fn plain_text_drops_calls_and_escapes() {
        assert_eq!(
            plain("#diem[Trồng trọt:] đạt 31\\/5\\/2024"),
            "Trồng trọt: đạt 31/5/2024"
        );
        assert_eq!(
            plain("đạt kế hoạch#footnote[Lúa: #strong[706,5] ha] và"),
            "đạt kế hoạch [Lúa: 706,5 ha] và"
        );
        assert_eq!(plain("#tieu-khoan(lien: true)[Y tế:] Tốt"), "Y tế: Tốt");
        assert_eq!(
            plain("#link(\"https://a.vn/(x)\")[Nghị quyết]"),
            "Nghị quyết"
        );
        assert_eq!(plain("#chu-ky(meta)"), "#chu-ky(meta)");
    }

    #[test]
    fn sentences_pair_in_order_and_name_their_figures() {
        let seg = |t: &str| Segment {
            markup: t.into(),
            location: Some(("x.typ.j2".into(), 1)),
            lines: vec![],
        };
        let old = vec![seg("A."), seg("B 1."), seg("C."), seg("D 2.")];
        let new = vec![seg("A."), seg("B 3."), seg("C."), seg("D 4."), seg("E.")];
        let got = changed_sentences(&old, &new, &[], Path::new("/nonexistent"));
        let pairs: Vec<(Option<&str>, Option<&str>)> = got
            .iter()
            .map(|c| (c.old.as_deref(), c.new.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                (Some("B 1."), Some("B 3.")),
                (Some("D 2."), Some("D 4.")),
                (None, Some("E."))
            ]
        );
    }
}
