//! Positions kept from parsing: each data file's text with the tree of its nodes (every key,
//! scalar, list and map with its byte range, line and column), built from libyaml's events
//! (`events`), so that every message about a data value points at it without searching the
//! text again, and in-place edits (`edit`) know the exact bytes to change.
//!
//! A node is named by a YAML path such as `chi_tieu[3].ky.6-thang.thuc_hien`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::events::{self, Event, Kind, Mark, Style};
use crate::diag::{Location, Snippet};

// ---------------------------------------------------------------------------------------------
// YAML paths

/// One step of a YAML path: a key of a map, or an index in a list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// The path of a node from the file's root: `chi_tieu[3].ky.6-thang.thuc_hien`. Keys are
/// separated by `.`, list indexes are in brackets (a key holding `.` or `[` cannot be named).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct YamlPath(pub Vec<Seg>);

impl YamlPath {
    pub fn root() -> Self {
        Self::default()
    }

    /// This path, then `key`.
    pub fn key(&self, key: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(key.to_string()));
        p
    }

    /// This path, then item `index` (0-based).
    pub fn index(&self, index: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(index));
        p
    }

    /// This path, then each of `keys`.
    pub fn keys(&self, keys: &[&str]) -> Self {
        keys.iter().fold(self.clone(), |p, k| p.key(k))
    }

    /// The path of the parent node and the last step, unless this is the root.
    pub fn split_last(&self) -> Option<(YamlPath, &Seg)> {
        let (last, rest) = self.0.split_last()?;
        Some((YamlPath(rest.to_vec()), last))
    }

    /// Read `a.b[2].c`; `None` for a malformed path (`a..b`, `a[x]`).
    pub fn parse(s: &str) -> Option<Self> {
        let mut out = vec![];
        if s.is_empty() {
            return Some(Self(out));
        }
        for part in s.split('.') {
            let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
            if name.is_empty() {
                return None;
            }
            out.push(Seg::Key(name.to_string()));
            while !rest.is_empty() {
                let close = rest.find(']')?;
                let n = rest.get(1..close)?.parse().ok()?;
                if !rest.starts_with('[') {
                    return None;
                }
                out.push(Seg::Index(n));
                rest = &rest[close + 1..];
            }
        }
        Some(Self(out))
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The tree of nodes

/// Where a node is: from its first character to just after its last (for a block list or map,
/// libyaml ends it where the next token starts; see [`Node::content_end`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub start: Mark,
    pub end: Mark,
}

/// A YAML node with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Scalar {
        span: Span,
        value: String,
        style: Style,
    },
    Sequence {
        span: Span,
        flow: bool,
        items: Vec<Node>,
    },
    Mapping {
        span: Span,
        flow: bool,
        entries: Vec<Entry>,
    },
    Alias {
        span: Span,
    },
}

/// A key and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    /// The key's text, when the key is a scalar.
    pub fn key_str(&self) -> Option<&str> {
        match &self.key {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::Scalar { span, .. }
            | Node::Sequence { span, .. }
            | Node::Mapping { span, .. }
            | Node::Alias { span } => *span,
        }
    }

    /// A scalar's text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match self {
            Node::Mapping { entries, .. } => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match self {
            Node::Sequence { items, .. } => items,
            _ => &[],
        }
    }

    /// The first entry of a map with this key.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key_str() == Some(key))
    }

    /// The child one step away.
    pub fn child(&self, seg: &Seg) -> Option<&Node> {
        match seg {
            Seg::Key(k) => self.entry(k).map(|e| &e.value),
            Seg::Index(i) => self.items().get(*i),
        }
    }

    /// The node at `path` below this one.
    pub fn at(&self, path: &YamlPath) -> Option<&Node> {
        path.0.iter().try_fold(self, |n, seg| n.child(seg))
    }

    /// Just after the node's last character: for a block list or map, the end of its last
    /// descendant (libyaml's own end mark is the start of the next token, maybe lines below,
    /// after comments).
    pub fn content_end(&self) -> Mark {
        match self {
            Node::Mapping {
                flow: false,
                entries,
                span,
            } => entries.last().map_or(span.start, |e| e.value.content_end()),
            Node::Sequence {
                flow: false,
                items,
                span,
            } => items.last().map_or(span.start, Node::content_end),
            n => n.span().end,
        }
    }

    /// The part to underline when a message is about this node: a scalar whole; a map's
    /// first `key: value` when it is on one line (else the key); a flow list on one line whole;
    /// else its first character.
    pub fn caret(&self) -> Span {
        match self {
            Node::Mapping { entries, .. } if !entries.is_empty() => {
                let first = &entries[0];
                let key = first.key.span();
                let value = first.value.span();
                if matches!(first.value, Node::Scalar { .. }) && value.end.line == key.start.line {
                    Span {
                        start: key.start,
                        end: value.end,
                    }
                } else {
                    key
                }
            }
            Node::Sequence {
                flow: true, span, ..
            } if span.end.line == span.start.line => *span,
            Node::Mapping { span, .. } | Node::Sequence { span, .. } => Span {
                start: span.start,
                end: span.start,
            },
            n => n.span(),
        }
    }

    /// The outermost node (a map whose first key starts there) or the deepest one (that key)
    /// that starts at byte `index`.
    fn starting_at(&self, index: usize, outer: bool) -> Option<&Node> {
        let span = self.span();
        if index < span.start.index || index > span.end.index.max(span.start.index) {
            return None;
        }
        if outer && span.start.index == index {
            return Some(self);
        }
        let below = match self {
            Node::Mapping { entries, .. } => entries.iter().find_map(|e| {
                e.key
                    .starting_at(index, outer)
                    .or_else(|| e.value.starting_at(index, outer))
            }),
            Node::Sequence { items, .. } => items.iter().find_map(|n| n.starting_at(index, outer)),
            _ => None,
        };
        below.or_else(|| (span.start.index == index).then_some(self))
    }
}

/// The first document's root node, built from the events; `None` when there is none.
fn tree(events: &[Event]) -> Option<Node> {
    enum Frame {
        Seq(Mark, bool, Vec<Node>),
        Map(Mark, bool, Vec<Entry>, Option<Node>),
    }
    let mut stack: Vec<Frame> = vec![];
    for ev in events {
        let done = match &ev.kind {
            Kind::Scalar { value, style } => Node::Scalar {
                span: Span {
                    start: ev.start,
                    end: ev.end,
                },
                value: value.clone(),
                style: *style,
            },
            Kind::Alias => Node::Alias {
                span: Span {
                    start: ev.start,
                    end: ev.end,
                },
            },
            Kind::SequenceStart { flow } => {
                stack.push(Frame::Seq(ev.start, *flow, vec![]));
                continue;
            }
            Kind::MappingStart { flow } => {
                stack.push(Frame::Map(ev.start, *flow, vec![], None));
                continue;
            }
            Kind::SequenceEnd => match stack.pop()? {
                Frame::Seq(start, flow, items) => Node::Sequence {
                    span: Span { start, end: ev.end },
                    flow,
                    items,
                },
                Frame::Map(..) => return None,
            },
            Kind::MappingEnd => match stack.pop()? {
                Frame::Map(start, flow, entries, _) => Node::Mapping {
                    span: Span { start, end: ev.end },
                    flow,
                    entries,
                },
                Frame::Seq(..) => return None,
            },
            Kind::Other | Kind::StreamEnd => continue,
        };
        match stack.last_mut() {
            None => return Some(done),
            Some(Frame::Seq(_, _, items)) => items.push(done),
            Some(Frame::Map(_, _, entries, pending)) => match pending.take() {
                None => *pending = Some(done),
                Some(key) => entries.push(Entry { key, value: done }),
            },
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// A data file in memory

/// One data file: its name for the user, its exact text (a byte-order mark left out and
/// remembered), and the positions of its nodes.
pub struct SourceFile {
    /// The path as the user names it: `data/chi-tieu/kinh-te.yaml`, `HEAD~1:data/bao-cao.yaml`.
    pub path: PathBuf,
    /// The file's text as written (CRLF kept): positions are byte offsets into it.
    pub text: String,
    /// The file began with a UTF-8 byte-order mark (not part of `text`).
    pub bom: bool,
    root: Option<Node>,
    /// Where each line starts (byte offsets), with libyaml's line breaks.
    lines: Vec<usize>,
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SourceFile({})", self.path.display())
    }
}

/// Byte offsets where lines start: after `\r\n`, `\r`, `\n`, U+0085, U+2028 and U+2029, the
/// breaks libyaml counts.
fn line_starts(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\r' => {
                if let Some((_, '\n')) = chars.peek() {
                    chars.next();
                    out.push(i + 2);
                } else {
                    out.push(i + 1);
                }
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push(i + c.len_utf8()),
            _ => {}
        }
    }
    out
}

impl SourceFile {
    /// Keep `text` (read from `path`, as named to the user) and the positions of its nodes.
    pub fn new(path: impl Into<PathBuf>, text: String, bom: bool) -> Self {
        let (events, error) = events::events(&text);
        let root = if error.is_none() { tree(&events) } else { None };
        Self {
            path: path.into(),
            lines: line_starts(&text),
            text,
            bom,
            root,
        }
    }

    /// The root node; `None` when libyaml refuses the text (or it is empty).
    pub fn root(&self) -> Option<&Node> {
        self.root.as_ref()
    }

    /// The node at `path`.
    pub fn node(&self, path: &YamlPath) -> Option<&Node> {
        self.root()?.at(path)
    }

    /// The number of lines, as libyaml counts them.
    pub fn line_count(&self) -> usize {
        let last_empty = self.lines.last().is_some_and(|&s| s == self.text.len());
        (self.lines.len() - usize::from(last_empty && self.lines.len() > 1)).max(1)
    }

    /// Line `line` (0-based) without its break; empty past the end.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.lines.get(line) else {
            return "";
        };
        let end = self.lines.get(line + 1).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
    }

    /// Where `span` is, for the user, with its line and the span underlined (to the end of its
    /// first line when it runs over several).
    pub fn span_location(&self, span: Span) -> Location {
        // An empty node at the very end (a document of only `---`) is past the last line:
        // point at the end of the last line instead.
        let lines = self.line_count();
        if span.start.line >= lines {
            let last = self.line_text(lines - 1);
            let column = last.chars().count();
            return Location::at(&self.path, lines, column + 1)
                .with_snippet(Snippet::new(last, column, 1));
        }
        let line = self.line_text(span.start.line);
        let len = if span.end.line == span.start.line {
            span.end.column.saturating_sub(span.start.column)
        } else {
            line.chars().count().saturating_sub(span.start.column)
        };
        Location::at(&self.path, span.start.line + 1, span.start.column + 1)
            .with_snippet(Snippet::new(line, span.start.column, len))
    }

    /// Where the value at `path` is (its caret: see [`Node::caret`]).
    pub fn location(&self, path: &YamlPath) -> Option<Location> {
        Some(self.span_location(self.node(path)?.caret()))
    }

    /// Where the key that ends `path` is written (`ke_hoach` in `chi_tieu[0].ke_hoach`); for
    /// an item of a list, the item itself.
    pub fn key_location(&self, path: &YamlPath) -> Option<Location> {
        let (parent, last) = path.split_last()?;
        let parent = self.node(&parent)?;
        match last {
            Seg::Key(k) => Some(self.span_location(parent.entry(k)?.key.span())),
            Seg::Index(i) => Some(self.span_location(parent.items().get(*i)?.caret())),
        }
    }

    /// Where a parser error at (byte `index`, 1-based `line` and `column`) is: the node that
    /// starts there underlined (the map rather than its first key when `outer`: a missing
    /// field), else one character. A position past the end of the file points at its last
    /// line.
    pub fn error_location(
        &self,
        index: usize,
        line: usize,
        column: usize,
        outer: bool,
    ) -> Location {
        if let Some(node) = self.root().and_then(|r| r.starting_at(index, outer)) {
            return self.span_location(node.caret());
        }
        let lines = self.line_count();
        let (line, column) = if line > lines {
            (lines, self.line_text(lines - 1).chars().count() + 1)
        } else {
            (line.max(1), column.max(1))
        };
        Location::at(&self.path, line, column).with_snippet(Snippet::new(
            self.line_text(line - 1),
            column - 1,
            1,
        ))
    }

    /// Where `key` is written a second time in the map that holds it twice and encloses byte
    /// `index` (serde reports a repeated key where its map starts, or at its value).
    pub fn repeated_key(&self, index: usize, key: &str) -> Option<Location> {
        fn find<'a>(n: &'a Node, index: usize, key: &str, best: &mut Option<&'a Node>) {
            let span = n.span();
            let repeated = n
                .entries()
                .iter()
                .filter(|e| e.key_str().map(str::trim) == Some(key))
                .nth(1);
            if let Some(e) = repeated {
                let inside = span.start.index <= index && index <= span.end.index;
                if inside || best.is_none() {
                    *best = Some(&e.key);
                }
            }
            for e in n.entries() {
                find(&e.value, index, key, best);
            }
            for i in n.items() {
                find(i, index, key, best);
            }
        }
        let mut best = None;
        find(self.root()?, index, key, &mut best);
        Some(self.span_location(best?.span()))
    }

    /// The file's bytes with `text` in place of its text (the byte-order mark put back).
    pub fn bytes_with(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(text.as_bytes());
        out
    }
}

/// A node of a data file: the file and the node's path in it (an indicator, a period's block).
#[derive(Clone, Debug)]
pub struct NodeRef {
    pub file: Arc<SourceFile>,
    pub path: YamlPath,
}

impl NodeRef {
    pub fn new(file: &Arc<SourceFile>, path: YamlPath) -> Self {
        Self {
            file: Arc::clone(file),
            path,
        }
    }

    /// The path of `keys` below this node (`ky.6-thang.thuc_hien` below an indicator).
    pub fn below(&self, keys: &[&str]) -> YamlPath {
        self.path.keys(keys)
    }

    /// Where the value of `keys` below this node is written (for a block list or map, its
    /// key: `thanh_phan:`); where its nearest written ancestor is when the field is absent
    /// (the period's block, else the node itself).
    pub fn field_location(&self, keys: &[&str]) -> Option<Location> {
        (0..=keys.len()).rev().find_map(|n| {
            let path = self.below(&keys[..n]);
            match self.file.node(&path)? {
                Node::Mapping { flow: false, .. } | Node::Sequence { flow: false, .. } if n > 0 => {
                    self.file.key_location(&path)
                }
                _ => self.file.location(&path),
            }
        })
    }

    pub fn file_path(&self) -> &Path {
        &self.file.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINH_TE: &str = include_str!("../../data/chi-tieu/kinh-te.yaml");

    fn path(s: &str) -> YamlPath {
        YamlPath::parse(s).unwrap()
    }

    #[test]
    fn paths_read_and_print() {
        for s in [
            "chi_tieu[3].ky.6-thang.thuc_hien",
            "",
            "a",
            "nhom[0].chi_tieu[11]",
            "a[1][2]",
        ] {
            assert_eq!(path(s).to_string(), s);
        }
        assert_eq!(
            path("chi_tieu[3].ky"),
            YamlPath::root().key("chi_tieu").index(3).key("ky")
        );
        for bad in ["a..b", "a[x]", "[1]", "a[1", "a.[1]"] {
            assert_eq!(YamlPath::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_value_of_a_real_file_is_found_by_its_path() {
        let f = SourceFile::new("data/chi-tieu/kinh-te.yaml", KINH_TE.to_string(), false);
        let node = f.node(&path("chi_tieu[0].ky.6-thang.thuc_hien")).unwrap();
        assert_eq!(node.as_str(), Some("155,108"));
        let span = node.span();
        assert_eq!(&f.text[span.start.index..span.end.index], "155,108");
        let loc = f
            .location(&path("chi_tieu[0].ky.6-thang.thuc_hien"))
            .unwrap();
        let line = KINH_TE
            .lines()
            .position(|l| l.contains("thuc_hien: 155,108"))
            .unwrap()
            + 1;
        assert_eq!((loc.line, loc.column), (Some(line), Some(20)));
        let snip = loc.snippet.unwrap();
        assert_eq!(
            snip.text,
            "        thuc_hien: 155,108        # đến ngày chốt số liệu 31/5"
        );
        assert_eq!((snip.start, snip.len), (19, 7));
        // A key, and an indicator (a list item: its first `key: value`).
        let key = f.key_location(&path("chi_tieu[0].ke_hoach")).unwrap();
        assert_eq!(key.snippet.unwrap().len, "ke_hoach".len());
        let ind = f.location(&path("chi_tieu[1]")).unwrap();
        let s = ind.snippet.unwrap();
        assert_eq!(
            s.text.chars().skip(s.start).take(s.len).collect::<String>(),
            "id: htx_thanh_lap_moi"
        );
        // Every scalar's span holds its text (plain scalars of this file are written as read).
        fn walk(n: &Node, text: &str, count: &mut usize) {
            match n {
                Node::Scalar {
                    span,
                    value,
                    style: Style::Plain,
                } => {
                    assert_eq!(&text[span.start.index..span.end.index], value);
                    *count += 1;
                }
                _ => {
                    for e in n.entries() {
                        walk(&e.key, text, count);
                        walk(&e.value, text, count);
                    }
                    for i in n.items() {
                        walk(i, text, count);
                    }
                }
            }
        }
        let mut count = 0;
        walk(f.root().unwrap(), &f.text, &mut count);
        assert!(count > 500, "{count}");
    }

    #[test]
    fn crlf_lines_and_errors_past_the_end() {
        let f = SourceFile::new("x.yaml", "a: 1\r\nb: sai\r\n".into(), true);
        assert_eq!(f.line_count(), 2);
        assert_eq!(f.line_text(1), "b: sai");
        let loc = f.location(&path("b")).unwrap();
        assert_eq!((loc.line, loc.column), (Some(2), Some(4)));
        assert_eq!(f.bytes_with("a"), b"\xEF\xBB\xBFa");
        let broken = SourceFile::new("y.yaml", "a: [1,\n".into(), false);
        assert!(broken.root().is_none());
        let loc = broken.error_location(7, 9, 1, false);
        assert_eq!(loc.line, Some(1));
        assert_eq!(loc.snippet.unwrap().text, "a: [1,");
        // Lone CR and U+2028 break lines for libyaml, so they do here.
        assert_eq!(line_starts("a\rb\u{2028}c"), vec![0, 2, 6]);
    }

    #[test]
    fn block_ends_are_their_last_values_not_the_next_token() {
        let text = "a:\n  b: 1\n  c:\n    - x\n    - y   # note\n# comment\nd: 2\n";
        let f = SourceFile::new("x.yaml", text.into(), false);
        let a = f.node(&path("a")).unwrap();
        assert_eq!(a.content_end().index, text.find("y   #").unwrap() + 1);
        let err = f.error_location(text.find("- y").unwrap() + 2, 5, 7, false);
        assert_eq!(err.snippet.unwrap().len, 1);
        // A map and its first key start at the same byte: the key, or the map's first line.
        let at = text.find("b: 1").unwrap();
        assert_eq!(f.error_location(at, 2, 3, false).snippet.unwrap().len, 1);
        assert_eq!(f.error_location(at, 2, 3, true).snippet.unwrap().len, 4);
    }
}
