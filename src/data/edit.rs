//! In-place edits of a data file through the positions kept from parsing: replace one
//! scalar's text ("this field of this indicator in this period"), or insert a key after a
//! field or at the end of a block, with the block's own indentation and line breaks. Each
//! returns the file's new text; only the edited bytes differ, comments and layout stay, and
//! the result is parsed again to check that it holds the intended value.
//!
//! Writing the text back (atomically, the byte-order mark put back with
//! [`SourceFile::bytes_with`]) is the caller's.

use super::events::{self, Kind, Style};
use super::positions::{Node, Seg, SourceFile, YamlPath};
use crate::diag::{Diagnostic, Error, Location, Result};

/// Where a new key goes in its map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Insert<'a> {
    /// Right after this key's entry (its value, nested blocks included, and its line's
    /// comment): the next line.
    After(&'a str),
    /// After the map's last entry.
    End,
    /// On the line before this key's entry (in a flow map: after the last entry).
    Before(&'a str),
}

/// The value of a new key: a scalar's YAML text (`134,1`, `"a: b"`), or a block of keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewValue {
    Scalar(String),
    Map(Vec<(String, NewValue)>),
    /// A block list (`- ten: …` items).
    List(Vec<NewValue>),
}

impl NewValue {
    /// A scalar holding `value` exactly: written plain when YAML reads it back the same, else
    /// in double quotes.
    pub fn text(value: &str) -> Self {
        NewValue::Scalar(yaml_scalar(value))
    }
}

/// `value` as YAML text that reads back as exactly `value`: plain when that works (`182,575`,
/// `Thu ngân sách`), else double-quoted with escapes (`"a: b"`, `"#1"`, `""`).
pub fn yaml_scalar(value: &str) -> String {
    let reads_back = |text: &str| {
        let doc = format!("k: {text}\n");
        let (evs, err) = events::events(&doc);
        let scalars: Vec<(&String, Style)> = evs
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::Scalar { value, style } => Some((value, *style)),
                _ => None,
            })
            .collect();
        err.is_none() && scalars.len() == 2 && scalars[1].0 == value
    };
    // A plain `null`, `~`, `true` or an empty value is read by serde as something else.
    let special = matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off"
    );
    if !special && !value.contains(['\n', '\r', '\t']) && reads_back(value) {
        return value.to_string();
    }
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn edit_error(file: &SourceFile, message: String, at: Option<Location>) -> Error {
    Error::new(Diagnostic::error(message).at(at.unwrap_or_else(|| Location::file(&file.path))))
}

impl SourceFile {
    /// The line break this file uses (`\r\n` when it has any, else `\n`).
    fn newline(&self) -> &'static str {
        if self.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        }
    }

    fn node_or_error(&self, path: &YamlPath) -> Result<&Node> {
        self.node(path).ok_or_else(|| {
            edit_error(
                self,
                format!("không tìm thấy `{path}` trong `{}`", self.path.display()),
                None,
            )
        })
    }

    /// The text with the scalar at `path` replaced by `yaml` (YAML source text: `160,2`,
    /// `"a: b"`). A scalar written over several lines (`|`, `>`) is refused.
    pub fn replace_scalar(&self, path: &YamlPath, yaml: &str) -> Result<String> {
        let node = self.node_or_error(path)?;
        let Node::Scalar { span, style, .. } = node else {
            return Err(edit_error(
                self,
                format!("`{path}` không phải một giá trị đơn"),
                self.location(path),
            ));
        };
        if matches!(style, Style::Literal | Style::Folded) {
            return Err(edit_error(
                self,
                format!("giá trị nhiều dòng (`|`, `>`) ở `{path}` không sửa tại chỗ được"),
                self.location(path),
            ));
        }
        let mut out = String::with_capacity(self.text.len() + yaml.len());
        out.push_str(&self.text[..span.start.index]);
        out.push_str(yaml);
        out.push_str(&self.text[span.end.index..]);
        Ok(out)
    }

    /// The text with the scalar at `path` set to `value` (quoted when it must be), checked by
    /// parsing the result again.
    pub fn set_scalar(&self, path: &YamlPath, value: &str) -> Result<String> {
        let out = self.replace_scalar(path, &yaml_scalar(value))?;
        let check = SourceFile::new(&self.path, out.clone(), self.bom);
        match check.node(path).and_then(Node::as_str) {
            Some(v) if v == value => Ok(out),
            _ => Err(edit_error(
                self,
                format!("không ghi được `{value}` vào `{path}`"),
                self.location(path),
            )),
        }
    }

    /// The text with the scalar at `path` set to `value`: replaced in place when it is
    /// written; else added at the end of the nearest map on the path that is written, the
    /// missing maps nested in (`ca-nam:` then `cung_ky: …` below it), `# comment` on the
    /// first new line. Checked by parsing the result again.
    pub fn set_or_insert(
        &self,
        path: &YamlPath,
        value: &str,
        comment: Option<&str>,
    ) -> Result<String> {
        if self.node(path).is_some() {
            return self.set_scalar(path, value);
        }
        let not_found = || {
            edit_error(
                self,
                format!("không thêm được `{path}` vào `{}`", self.path.display()),
                None,
            )
        };
        let segs = &path.0;
        let n = (0..segs.len())
            .rev()
            .find(|&n| self.node(&YamlPath(segs[..n].to_vec())).is_some())
            .ok_or_else(not_found)?;
        let keys: Vec<&str> = segs[n..]
            .iter()
            .map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) => None,
            })
            .collect::<Option<_>>()
            .ok_or_else(not_found)?;
        let mut nested = NewValue::text(value);
        for k in keys[1..].iter().rev() {
            nested = NewValue::Map(vec![(k.to_string(), nested)]);
        }
        let parent = YamlPath(segs[..n].to_vec());
        let out = self.insert_key(&parent, Insert::End, keys[0], &nested, comment)?;
        let check = SourceFile::new(&self.path, out.clone(), self.bom);
        match check.node(path).and_then(Node::as_str) {
            Some(v) if v == value => Ok(out),
            _ => Err(not_found()),
        }
    }

    /// The text with `key: value` added to the map at `map` (`# comment` after it on its
    /// line, if given), at `at`. In a block map the new line takes the map's indentation and
    /// the file's line breaks; in a flow map (`{ a: 1 }`) the entry is added with `, `.
    pub fn insert_key(
        &self,
        map: &YamlPath,
        at: Insert,
        key: &str,
        value: &NewValue,
        comment: Option<&str>,
    ) -> Result<String> {
        let (pos, lines) = self.insertion(map, at, key, value, comment)?;
        let mut out = String::with_capacity(self.text.len() + lines.len());
        out.push_str(&self.text[..pos]);
        out.push_str(&lines);
        out.push_str(&self.text[pos..]);
        Ok(out)
    }

    /// Where [`SourceFile::insert_key`] inserts, and the text it inserts there (nothing
    /// else changes): for edits gathered and applied together ([`super::Patch`]).
    pub fn insertion(
        &self,
        map: &YamlPath,
        at: Insert,
        key: &str,
        value: &NewValue,
        comment: Option<&str>,
    ) -> Result<(usize, String)> {
        let node = self.node_or_error(map)?;
        let Node::Mapping {
            flow,
            entries,
            span,
        } = node
        else {
            return Err(edit_error(
                self,
                format!("`{map}` không phải một bảng khóa: giá trị"),
                self.location(map),
            ));
        };
        if entries.iter().any(|e| e.key_str() == Some(key)) {
            return Err(edit_error(
                self,
                format!("khóa `{key}` đã có trong `{map}`"),
                self.key_location(&map.key(key)),
            ));
        }
        let find = |k: &str| {
            entries
                .iter()
                .find(|e| e.key_str() == Some(k))
                .ok_or_else(|| {
                    edit_error(
                        self,
                        format!(
                            "không tìm thấy `{}` trong `{}`",
                            map.key(k),
                            self.path.display()
                        ),
                        self.location(map),
                    )
                })
        };
        let (after, before) = match at {
            Insert::After(k) => (Some(find(k)?), None),
            Insert::Before(k) if *flow => (entries.last(), Some(find(k)?)),
            Insert::Before(k) => (None, Some(find(k)?)),
            Insert::End => (entries.last(), None),
        };
        let key_text = yaml_scalar(key);
        if *flow {
            let NewValue::Scalar(v) = value else {
                return Err(edit_error(
                    self,
                    format!(
                        "`{map}` viết trên một dòng (`{{ … }}`): chỉ thêm được một giá trị đơn"
                    ),
                    self.location(map),
                ));
            };
            return Ok(match after {
                Some(e) => (e.value.span().end.index, format!(", {key_text}: {v}")),
                // `{}`: just after the brace.
                None => (span.start.index + 1, format!("{key_text}: {v}")),
            });
        }
        // A block map has at least one entry (an empty map is written `{}`).
        let Some(first) = entries.first() else {
            return Err(edit_error(
                self,
                format!("`{map}` rỗng"),
                self.location(map),
            ));
        };
        let indent = first.key.span().start.column;
        // The step of nested blocks: as the map's own nested maps are indented, else 2.
        let step = entries
            .iter()
            .find_map(|e| match &e.value {
                Node::Mapping {
                    flow: false,
                    entries: inner,
                    ..
                } => inner
                    .first()
                    .map(|i| i.key.span().start.column.saturating_sub(indent)),
                _ => None,
            })
            .filter(|s| *s > 0)
            .unwrap_or(2);
        let nl = self.newline();
        let mut lines = String::new();
        write_entry(&mut lines, indent, step, &key_text, value, comment, nl);
        if let Some(b) = before {
            // The start of the key's line.
            let start = b.key.span().start.index;
            let pos = self.text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            if !self.text[pos..start].trim().is_empty() {
                return Err(edit_error(
                    self,
                    format!(
                        "không thêm được `{key}` vào `{map}` trước `{}`",
                        b.key_str().unwrap_or("")
                    ),
                    self.location(map),
                ));
            }
            return Ok((pos, lines));
        }
        // The insertion point: the start of the line after the entry (after its comment).
        let end = after.map_or(span.start, |e| e.value.content_end());
        let pos = if end.column == 0 && end.index > 0 {
            end.index
        } else {
            match self.text[end.index..].find(['\n', '\r']) {
                Some(i) => {
                    let i = end.index + i;
                    i + if self.text[i..].starts_with("\r\n") {
                        2
                    } else {
                        1
                    }
                }
                None => {
                    // The last line has no line break: give it one.
                    lines.insert_str(0, nl);
                    self.text.len()
                }
            }
        };
        Ok((pos, lines))
    }
}

impl SourceFile {
    /// The byte range of the line holding byte `at`, without its line break.
    fn line_around(&self, at: usize) -> (usize, usize) {
        let start = self.text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let end = self.text[at..]
            .find(['\n', '\r'])
            .map_or(self.text.len(), |i| at + i);
        (start, end)
    }

    /// The comment of the line holding byte `at`, found after byte `after` (its text after
    /// `#`, trimmed).
    fn line_comment(&self, after: usize) -> Option<String> {
        let (_, end) = self.line_around(after);
        let rest = &self.text[after..end];
        let hash = rest
            .char_indices()
            .find(|&(i, c)| c == '#' && (i == 0 || rest[..i].ends_with([' ', '\t'])))?
            .0;
        Some(rest[hash + 1..].trim().to_string()).filter(|c| !c.is_empty())
    }

    /// The text with the entry `key` of the map at `map` replaced by `new_key: value` (YAML
    /// text, on one line), then `# comment` and the comment the entry's first line had,
    /// joined by "; ". In a block map the entry's lines (a nested block too) become that one
    /// line; in a flow map (`{ a: 1, b: 2 }`) the entry is replaced where it stands and the
    /// comment goes at the end of the line if it has none. Checked by parsing the result again.
    pub fn replace_entry(
        &self,
        map: &YamlPath,
        key: &str,
        new_key: &str,
        value: &str,
        comment: Option<&str>,
    ) -> Result<String> {
        let parent = self.node_or_error(map)?;
        let Node::Mapping { flow, .. } = parent else {
            return Err(edit_error(
                self,
                format!("`{map}` không phải một bảng khóa: giá trị"),
                self.location(map),
            ));
        };
        let entry = parent.entry(key).ok_or_else(|| {
            edit_error(
                self,
                format!(
                    "không tìm thấy `{}` trong `{}`",
                    map.key(key),
                    self.path.display()
                ),
                self.location(map),
            )
        })?;
        if parent.entry(new_key).is_some() && new_key != key {
            return Err(edit_error(
                self,
                format!("khóa `{new_key}` đã có trong `{map}`"),
                self.key_location(&map.key(new_key)),
            ));
        }
        let start = entry.key.span().start.index;
        let new_entry = format!("{}: {value}", yaml_scalar(new_key));
        let mut out = String::with_capacity(self.text.len() + 80);
        if *flow {
            let end = entry.value.span().end.index;
            let (_, line_end) = self.line_around(end);
            out.push_str(&self.text[..start]);
            out.push_str(&new_entry);
            out.push_str(&self.text[end..line_end]);
            if let Some(c) = comment
                && self.line_comment(end).is_none()
            {
                out.push_str("  # ");
                out.push_str(&c.replace(['\n', '\r'], " "));
            }
            out.push_str(&self.text[line_end..]);
        } else {
            let key_end = entry.key.span().end.index;
            let (_, first_end) = self.line_around(key_end);
            let old = self.line_comment(match &entry.value {
                Node::Scalar { span, .. } if span.start.line == entry.key.span().start.line => {
                    span.end.index
                }
                _ => key_end,
            });
            let last = entry.value.content_end().index.max(key_end);
            let (_, last_end) = self.line_around(last.saturating_sub(1).max(key_end));
            let comment: Vec<String> = comment
                .map(|c| c.replace(['\n', '\r'], " "))
                .into_iter()
                .chain(old)
                .collect();
            out.push_str(&self.text[..start]);
            out.push_str(&new_entry);
            if !comment.is_empty() {
                out.push_str("  # ");
                out.push_str(&comment.join("; "));
            }
            out.push_str(&self.text[last_end.max(first_end)..]);
        }
        let check = SourceFile::new(&self.path, out.clone(), self.bom);
        let want = SourceFile::new(&self.path, format!("k: {value}\n"), false);
        let want = want.node(&YamlPath::root().key("k")).and_then(Node::as_str);
        match check.node(&map.key(new_key)).and_then(Node::as_str) {
            Some(v) if Some(v) == want => Ok(out),
            _ => Err(edit_error(
                self,
                format!("không ghi được `{new_key}: {value}` vào `{map}`"),
                self.location(map),
            )),
        }
    }

    /// The text with the scalar at `path` turned into a map of `entries` (key, value as
    /// text): a block under the key (its line's comment kept on the key's line), or `{ a:
    /// "x", b: "y" }` where the scalar stands in a flow map. Checked by parsing the result
    /// again.
    pub fn scalar_to_map(&self, path: &YamlPath, entries: &[(&str, &str)]) -> Result<String> {
        let (map, key) = match path.split_last() {
            Some((map, Seg::Key(k))) => (map, k.clone()),
            _ => {
                return Err(edit_error(
                    self,
                    format!("`{path}` không phải một khóa của bảng"),
                    None,
                ));
            }
        };
        let parent = self.node_or_error(&map)?;
        let entry = parent.entry(&key).ok_or_else(|| {
            edit_error(
                self,
                format!("không tìm thấy `{path}`"),
                self.location(&map),
            )
        })?;
        let Node::Scalar { span, style, .. } = &entry.value else {
            return Err(edit_error(
                self,
                format!("`{path}` không phải một giá trị đơn"),
                self.location(path),
            ));
        };
        if matches!(style, Style::Literal | Style::Folded) {
            return Err(edit_error(
                self,
                format!("giá trị nhiều dòng (`|`, `>`) ở `{path}` không sửa tại chỗ được"),
                self.location(path),
            ));
        }
        let quoted = |v: &str| {
            let q = yaml_scalar(v);
            if q.starts_with('"') {
                q
            } else {
                format!("\"{q}\"")
            }
        };
        let mut out = String::with_capacity(self.text.len() + 80);
        let flow = matches!(parent, Node::Mapping { flow: true, .. });
        if flow || span.start.line != entry.key.span().start.line {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", yaml_scalar(k), quoted(v)))
                .collect();
            out.push_str(&self.text[..span.start.index]);
            out.push_str(&format!("{{ {} }}", inner.join(", ")));
            out.push_str(&self.text[span.end.index..]);
        } else {
            let (_, line_end) = self.line_around(span.start.index);
            let indent = entry.key.span().start.column;
            let nl = self.newline();
            // `key:` as written, the value's text and what followed it on the line dropped.
            out.push_str(self.text[..span.start.index].trim_end());
            if let Some(c) = self.line_comment(span.end.index) {
                out.push_str("  # ");
                out.push_str(&c);
            }
            for (k, v) in entries {
                out.push_str(nl);
                out.push_str(&" ".repeat(indent + 2));
                out.push_str(&format!("{}: {}", yaml_scalar(k), yaml_scalar(v)));
            }
            out.push_str(&self.text[line_end..]);
        }
        let check = SourceFile::new(&self.path, out.clone(), self.bom);
        let ok = entries
            .iter()
            .all(|(k, v)| check.node(&path.key(k)).and_then(Node::as_str) == Some(*v));
        if ok {
            Ok(out)
        } else {
            Err(edit_error(
                self,
                format!("không ghi được bảng mới vào `{path}`"),
                self.location(path),
            ))
        }
    }
}

/// `key: value` lines at `indent`, a nested map `step` further in.
fn write_entry(
    out: &mut String,
    indent: usize,
    step: usize,
    key: &str,
    value: &NewValue,
    comment: Option<&str>,
    nl: &str,
) {
    out.push_str(&" ".repeat(indent));
    out.push_str(key);
    out.push(':');
    if let NewValue::Scalar(v) = value {
        out.push(' ');
        out.push_str(v);
    }
    if let Some(c) = comment {
        out.push_str("  # ");
        out.push_str(&c.replace(['\n', '\r'], " "));
    }
    out.push_str(nl);
    match value {
        NewValue::Map(entries) => {
            for (k, v) in entries {
                write_entry(out, indent + step, step, &yaml_scalar(k), v, None, nl);
            }
        }
        NewValue::List(items) => {
            for item in items {
                write_item(out, indent + step, step, item, nl);
            }
        }
        NewValue::Scalar(_) => {}
    }
}

/// A list item `- …` whose dash is at column `dash`: a map's entries two columns further in
/// (the first on the dash's line), a scalar after the dash.
pub(super) fn write_item(out: &mut String, dash: usize, step: usize, item: &NewValue, nl: &str) {
    match item {
        NewValue::Map(entries) => {
            for (i, (k, v)) in entries.iter().enumerate() {
                let mut entry = String::new();
                write_entry(&mut entry, dash + 2, step, &yaml_scalar(k), v, None, nl);
                if i == 0 {
                    out.push_str(&" ".repeat(dash));
                    out.push_str("- ");
                    out.push_str(&entry[dash + 2..]);
                } else {
                    out.push_str(&entry);
                }
            }
        }
        NewValue::Scalar(v) => {
            out.push_str(&" ".repeat(dash));
            out.push_str("- ");
            out.push_str(v);
            out.push_str(nl);
        }
        NewValue::List(items) => {
            out.push_str(&" ".repeat(dash));
            out.push('-');
            out.push_str(nl);
            for i in items {
                write_item(out, dash + 2, step, i, nl);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{IndicatorFile, Meta, Period, StrictMap, Value, parse_yaml};
    use std::path::Path;

    const KINH_TE: &str = include_str!("../../data/chi-tieu/kinh-te.yaml");
    const XA_HOI: &str = include_str!("../../data/chi-tieu/xa-hoi.yaml");
    const NONG_NGHIEP: &str = include_str!("../../data/so-lieu/nong-nghiep.yaml");
    const BAO_CAO: &str = include_str!("../../data/bao-cao.yaml");

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile::new(name, text.to_string(), false)
    }

    fn path(s: &str) -> YamlPath {
        YamlPath::parse(s).unwrap()
    }

    /// The bytes that differ: (removed, added), after the common beginning and end.
    fn changed<'a>(old: &'a str, new: &'a str) -> (&'a str, &'a str) {
        let pre = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let suf = old[pre..]
            .bytes()
            .rev()
            .zip(new[pre..].bytes().rev())
            .take_while(|(a, b)| a == b)
            .count();
        (&old[pre..old.len() - suf], &new[pre..new.len() - suf])
    }

    fn indicators(text: &str) -> IndicatorFile {
        parse_yaml(Path::new("x.yaml"), text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    const BLOCK: &str = "chi_tieu:\n  - id: a\n    ten: A\n    ky:\n      6-thang:\n        thuc_hien: 1.146\n        so_voi_cung_ky: 94,09     # gốc chỉ nêu tỷ lệ\n        ghi_chu: x\n";

    #[test]
    fn an_entry_is_replaced_by_another_on_its_line() {
        let f = file("a.yaml", BLOCK);
        let map = path("chi_tieu[0].ky.6-thang");
        let out = f
            .replace_entry(
                &map,
                "so_voi_cung_ky",
                "cung_ky",
                "1.218",
                Some("suy từ 94,09"),
            )
            .unwrap();
        assert_eq!(
            out,
            BLOCK.replace(
                "so_voi_cung_ky: 94,09     # gốc chỉ nêu tỷ lệ",
                "cung_ky: 1.218  # suy từ 94,09; gốc chỉ nêu tỷ lệ"
            )
        );
        let ind = &indicators(&out).chi_tieu[0];
        let v = ind.ky.get(Period::Half).unwrap();
        assert_eq!(v.cung_ky.as_ref().unwrap().0.written, "1.218");
        assert!(v.so_voi_cung_ky.is_none());
        // A block value (the tied form) goes whole; the lines around stay.
        let tied = BLOCK.replace(
            "so_voi_cung_ky: 94,09     # gốc chỉ nêu tỷ lệ\n",
            "so_voi_cung_ky:   # gốc\n          ty_le: 94,09\n          thuc_hien: 1.146   # lúc ghi\n",
        );
        let out = file("a.yaml", &tied)
            .replace_entry(&map, "so_voi_cung_ky", "cung_ky", "1.218", Some("suy ra"))
            .unwrap();
        assert_eq!(
            out,
            BLOCK.replace(
                "so_voi_cung_ky: 94,09     # gốc chỉ nêu tỷ lệ",
                "cung_ky: 1.218  # suy ra; gốc"
            )
        );
        // A flow map: in place, the comment at the end of the line.
        let flow = "chi_tieu:\n  - id: a\n    ky:\n      6-thang: { thuc_hien: 100, so_voi_cung_ky: 120 }\n";
        let out = file("a.yaml", flow)
            .replace_entry(&map, "so_voi_cung_ky", "cung_ky", "83", Some("suy ra"))
            .unwrap();
        assert_eq!(
            out,
            "chi_tieu:\n  - id: a\n    ky:\n      6-thang: { thuc_hien: 100, cung_ky: 83 }  # suy ra\n"
        );
        // An existing key is not written twice.
        assert!(
            f.replace_entry(&map, "so_voi_cung_ky", "thuc_hien", "1", None)
                .is_err()
        );
    }

    #[test]
    fn a_scalar_becomes_a_block_with_its_comment_kept() {
        let f = file("a.yaml", BLOCK);
        let at = path("chi_tieu[0].ky.6-thang.so_voi_cung_ky");
        let out = f
            .scalar_to_map(&at, &[("ty_le", "94,09"), ("thuc_hien", "1.146")])
            .unwrap();
        assert_eq!(
            out,
            BLOCK.replace(
                "so_voi_cung_ky: 94,09     # gốc chỉ nêu tỷ lệ",
                "so_voi_cung_ky:  # gốc chỉ nêu tỷ lệ\n          ty_le: 94,09\n          thuc_hien: 1.146"
            )
        );
        let ind = &indicators(&out).chi_tieu[0];
        let r = ind
            .ky
            .get(Period::Half)
            .unwrap()
            .so_voi_cung_ky
            .as_ref()
            .unwrap();
        assert_eq!(r.ratio.written, "94,09");
        assert_eq!(r.stated_for.as_ref().unwrap().1.written, "1.146");
        // In a flow map: a flow map, the numbers quoted (a comma there separates entries).
        let flow = "chi_tieu:\n  - id: a\n    ten: A\n    ky:\n      6-thang: { thuc_hien: 100, so_voi_cung_ky: 120,5 }\n";
        let flow = flow.replace("120,5", "\"120,5\"");
        let out = file("a.yaml", &flow)
            .scalar_to_map(&at, &[("ty_le", "120,5"), ("thuc_hien", "100")])
            .unwrap();
        assert!(
            out.contains("so_voi_cung_ky: { ty_le: \"120,5\", thuc_hien: \"100\" } }"),
            "{out}"
        );
        let ind = &indicators(&out).chi_tieu[0];
        let r = ind
            .ky
            .get(Period::Half)
            .unwrap()
            .so_voi_cung_ky
            .as_ref()
            .unwrap();
        assert_eq!(r.ratio.written, "120,5");
    }

    #[test]
    fn a_figure_is_replaced_in_place() {
        let f = file("data/chi-tieu/kinh-te.yaml", KINH_TE);
        let at = path("chi_tieu[0].ky.6-thang.thuc_hien");
        let out = f.replace_scalar(&at, "160,2").unwrap();
        assert_eq!(changed(KINH_TE, &out), ("55,108", "60,2"));
        let parsed = indicators(&out);
        let v = parsed.chi_tieu[0].ky.get(Period::Half).unwrap();
        assert_eq!(v.thuc_hien.as_ref().unwrap().0.written, "160,2");
        // Everything else reads as before.
        let before = indicators(KINH_TE);
        assert_eq!(parsed.chi_tieu.len(), before.chi_tieu.len());
        assert_eq!(
            v.uoc_thuc_hien.as_ref().unwrap().0.written,
            before.chi_tieu[0]
                .ky
                .get(Period::Half)
                .unwrap()
                .uoc_thuc_hien
                .as_ref()
                .unwrap()
                .0
                .written
        );
        // A list or a map is not a scalar; a path that is not there is an error.
        assert!(f.replace_scalar(&path("chi_tieu[0].ky"), "1").is_err());
        assert!(
            f.replace_scalar(&path("chi_tieu[0].ky.quy-2.thuc_hien"), "1")
                .is_err()
        );
    }

    #[test]
    fn a_text_that_needs_quotes_gets_them() {
        let f = file("data/so-lieu/nong-nghiep.yaml", NONG_NGHIEP);
        for value in ["Lúa: 5 ha", "#1", "true", "a \"b\" c", "2.976,4", "- x"] {
            let out = f.set_scalar(&path("cui_khai_thac"), value).unwrap();
            let (removed, _) = changed(NONG_NGHIEP, &out);
            assert!(removed.len() <= 2, "{removed:?}");
            let map: StrictMap<Value> =
                parse_yaml(Path::new("x.yaml"), &out).unwrap_or_else(|e| panic!("{e}"));
            let got = map
                .0
                .iter()
                .find(|(k, _)| k == "cui_khai_thac")
                .map(|(_, v)| v);
            match got {
                Some(Value::Text(t)) => assert_eq!(t, value),
                Some(Value::Number(n)) => assert_eq!(n.written, value),
                None => panic!("lost"),
            }
        }
        assert_eq!(yaml_scalar("Lúa: 5 ha"), "\"Lúa: 5 ha\"");
        assert_eq!(yaml_scalar("182,575"), "182,575");
    }

    #[test]
    fn a_key_is_inserted_after_a_field_with_its_comment() {
        let f = file("data/chi-tieu/kinh-te.yaml", KINH_TE);
        let out = f
            .insert_key(
                &path("chi_tieu[0].ky.6-thang"),
                Insert::After("thuc_hien"),
                "cung_ky",
                &NewValue::text("134,1"),
                Some("gợi ý của baocao check"),
            )
            .unwrap();
        let (removed, added) = changed(KINH_TE, &out);
        assert_eq!(removed, "");
        assert!(
            out.contains(
                "        thuc_hien: 155,108        # đến ngày chốt số liệu 31/5\n        cung_ky: 134,1  # gợi ý của baocao check\n        uoc_thuc_hien: 182,575"
            ),
            "{added:?}"
        );
        let v = indicators(&out).chi_tieu[0]
            .ky
            .get(Period::Half)
            .cloned()
            .unwrap();
        assert_eq!(v.cung_ky.unwrap().0.written, "134,1");
        // At the end of the block: after its last field, before the comment line below it.
        let out = f
            .insert_key(
                &path("chi_tieu[0].ky.6-thang"),
                Insert::End,
                "cung_ky",
                &NewValue::text("134,1"),
                None,
            )
            .unwrap();
        assert_eq!(changed(KINH_TE, &out).0, "");
        assert!(out.contains("thuc_hien: 155,108   # tỷ lệ của số đến ngày chốt số liệu, như câu văn in nó\n        cung_ky: 134,1\n        # Ghi chú"), "{out}");
        let v = indicators(&out).chi_tieu[0]
            .ky
            .get(Period::Half)
            .cloned()
            .unwrap();
        assert_eq!(v.cung_ky.unwrap().0.written, "134,1");
        // A key already there is refused.
        assert!(
            f.insert_key(
                &path("chi_tieu[0].ky.6-thang"),
                Insert::End,
                "thuc_hien",
                &NewValue::text("1"),
                None
            )
            .is_err()
        );
    }

    #[test]
    fn a_block_is_inserted_with_the_files_indentation() {
        // The first indicator of xa-hoi.yaml with its ca-nam block taken out, then put back.
        let block = "      ca-nam:\n        minh_hoa: true\n        uoc_thuc_hien: 90,6\n        cung_ky: 89,8\n";
        assert!(XA_HOI.contains(block));
        let without = XA_HOI.replacen(block, "", 1);
        let f = file("data/chi-tieu/xa-hoi.yaml", &without);
        let value = NewValue::Map(vec![
            ("minh_hoa".into(), NewValue::Scalar("true".into())),
            ("uoc_thuc_hien".into(), NewValue::text("90,6")),
            ("cung_ky".into(), NewValue::text("89,8")),
        ]);
        let ky = path("chi_tieu[0].ky");
        let out = f
            .insert_key(&ky, Insert::End, "ca-nam", &value, None)
            .unwrap();
        assert_eq!(out, XA_HOI);
        let out = f
            .insert_key(
                &ky,
                Insert::After("6-thang"),
                "ca-nam",
                &value,
                Some("minh họa"),
            )
            .unwrap();
        assert_eq!(changed(&without, &out).0, "");
        let (before, after) = (indicators(XA_HOI), indicators(&out));
        let (a, b) = (
            before.chi_tieu[0].ky.get(Period::Year).unwrap(),
            after.chi_tieu[0].ky.get(Period::Year).unwrap(),
        );
        assert_eq!(a.uoc_thuc_hien, b.uoc_thuc_hien);
        assert_eq!(a.cung_ky, b.cung_ky);
        assert!(b.minh_hoa);
        assert!(out.contains("      6-thang:"));
        assert!(out.contains("      ca-nam:  # minh họa\n        minh_hoa: true\n"));
    }

    #[test]
    fn a_value_is_set_where_it_is_or_added_with_the_blocks_it_needs() {
        let block = "      ca-nam:\n        minh_hoa: true\n        uoc_thuc_hien: 90,6\n        cung_ky: 89,8\n";
        let without = XA_HOI.replacen(block, "", 1);
        let f = file("data/chi-tieu/xa-hoi.yaml", &without);
        let out = f
            .set_or_insert(
                &path("chi_tieu[0].ky.ca-nam.cung_ky"),
                "89,8",
                Some("gợi ý"),
            )
            .unwrap();
        assert_eq!(
            changed(&without, &out),
            ("", "      ca-nam:  # gợi ý\n        cung_ky: 89,8\n")
        );
        let got = indicators(&out).chi_tieu[0]
            .ky
            .get(Period::Year)
            .cloned()
            .unwrap();
        assert_eq!(got.cung_ky.unwrap().0.written, "89,8");
        // Written already: replaced in place, the comment left out.
        let g = file("data/chi-tieu/xa-hoi.yaml", XA_HOI);
        let out = g
            .set_or_insert(
                &path("chi_tieu[0].ky.ca-nam.cung_ky"),
                "89,9",
                Some("gợi ý"),
            )
            .unwrap();
        assert_eq!(changed(XA_HOI, &out), ("8", "9"));
        // A list item that is not there cannot be made up.
        assert!(
            g.set_or_insert(&path("chi_tieu[99].ten"), "x", None)
                .is_err()
        );
    }

    #[test]
    fn metadata_crlf_flow_maps_and_a_last_line_without_break() {
        let f = file("data/bao-cao.yaml", BAO_CAO);
        let out = f
            .insert_key(
                &path("cac_ky.6-thang"),
                Insert::After("so"),
                "minh_hoa",
                &NewValue::text("true"),
                None,
            )
            .unwrap();
        // (`true` is quoted by `text`: a boolean needs the plain form.)
        let out2 = f
            .insert_key(
                &path("cac_ky.6-thang"),
                Insert::After("so"),
                "minh_hoa",
                &NewValue::Scalar("true".into()),
                None,
            )
            .unwrap();
        assert_eq!(changed(BAO_CAO, &out).0, "");
        let meta: Meta = parse_yaml(Path::new("x.yaml"), &out2).unwrap();
        assert!(meta.cac_ky.get(Period::Half).unwrap().minh_hoa);

        let crlf = "chi_tieu:\r\n  - id: a\r\n    ten: A\r\n    ky:\r\n      6-thang: { thuc_hien: 5 }\r\n";
        let f = file("x.yaml", crlf);
        let out = f
            .insert_key(
                &path("chi_tieu[0]"),
                Insert::After("ten"),
                "don_vi",
                &NewValue::text("ha"),
                None,
            )
            .unwrap();
        assert_eq!(
            out,
            crlf.replace("    ten: A\r\n", "    ten: A\r\n    don_vi: ha\r\n")
        );
        let out = f
            .insert_key(
                &path("chi_tieu[0].ky.6-thang"),
                Insert::End,
                "cung_ky",
                &NewValue::text("4"),
                None,
            )
            .unwrap();
        assert_eq!(changed(crlf, &out), ("", ", cung_ky: 4"));
        let v = indicators(&out).chi_tieu[0]
            .ky
            .get(Period::Half)
            .cloned()
            .unwrap();
        assert_eq!(v.cung_ky.unwrap().0.written, "4");
        let out = f
            .replace_scalar(&path("chi_tieu[0].ky.6-thang.thuc_hien"), "6")
            .unwrap();
        assert_eq!(changed(crlf, &out), ("5", "6"));

        let bare = "a: 1\nb: 2";
        let f = file("x.yaml", bare);
        let out = f
            .insert_key(
                &YamlPath::root(),
                Insert::End,
                "c",
                &NewValue::text("3"),
                None,
            )
            .unwrap();
        assert_eq!(out, "a: 1\nb: 2\nc: 3\n");
        let out = f
            .insert_key(
                &YamlPath::root(),
                Insert::After("a"),
                "c",
                &NewValue::text("3"),
                None,
            )
            .unwrap();
        assert_eq!(out, "a: 1\nc: 3\nb: 2");
    }
}
