//! Many in-place edits of one data file, all computed against the same parse and applied
//! together: a value replaced, a key inserted (before or after a field, at the end of a
//! block), an item appended to a list, a `key: value` line removed. An import of thousands of
//! figures parses each file once instead of once per edit; only the edited bytes change.

use super::edit::{Insert, NewValue, write_item, yaml_scalar};
use super::events::Style;
use super::positions::{Node, SourceFile, YamlPath};
use crate::diag::{Diagnostic, Error, Location, Result};

/// One change of the text: the bytes `start..end` replaced by `text`.
#[derive(Clone, Debug)]
struct Splice {
    start: usize,
    end: usize,
    text: String,
}

/// Edits of one file, gathered, then applied by [`Patch::apply`].
#[derive(Debug)]
pub struct Patch<'a> {
    file: &'a SourceFile,
    splices: Vec<Splice>,
}

fn error(file: &SourceFile, message: String, at: Option<Location>) -> Error {
    Error::new(Diagnostic::error(message).at(at.unwrap_or_else(|| Location::file(&file.path))))
}

impl<'a> Patch<'a> {
    pub fn new(file: &'a SourceFile) -> Self {
        Self {
            file,
            splices: vec![],
        }
    }

    pub fn file(&self) -> &'a SourceFile {
        self.file
    }

    pub fn is_empty(&self) -> bool {
        self.splices.is_empty()
    }

    /// Replace the scalar at `path` with `value`, quoted when it must be. A scalar written
    /// over several lines (`|`, `>`) is refused.
    pub fn set(&mut self, path: &YamlPath, value: &str) -> Result<()> {
        let f = self.file;
        let Some(Node::Scalar { span, style, .. }) = f.node(path) else {
            return Err(error(
                f,
                format!("`{path}` không phải một giá trị đơn"),
                f.location(path),
            ));
        };
        if matches!(style, Style::Literal | Style::Folded) {
            return Err(error(
                f,
                format!("giá trị nhiều dòng (`|`, `>`) ở `{path}` không sửa tại chỗ được"),
                f.location(path),
            ));
        }
        self.splices.push(Splice {
            start: span.start.index,
            end: span.end.index,
            text: yaml_scalar(value),
        });
        Ok(())
    }

    /// Replace the scalar at `path` with `yaml`, YAML text as it is (`false`, `"a: b"`).
    pub fn replace(&mut self, path: &YamlPath, yaml: &str) -> Result<()> {
        self.set(path, "")?;
        if let Some(last) = self.splices.last_mut() {
            last.text = yaml.to_string();
        }
        Ok(())
    }

    /// Add `key: value` to the map at `map`, at `at` (see [`SourceFile::insert_key`]).
    pub fn insert(
        &mut self,
        map: &YamlPath,
        at: Insert,
        key: &str,
        value: &NewValue,
    ) -> Result<()> {
        self.insert_with_comment(map, at, key, value, None)
    }

    /// [`Patch::insert`], with `# comment` after the new key.
    pub fn insert_with_comment(
        &mut self,
        map: &YamlPath,
        at: Insert,
        key: &str,
        value: &NewValue,
        comment: Option<&str>,
    ) -> Result<()> {
        let (pos, text) = self.file.insertion(map, at, key, value, comment)?;
        self.splices.push(Splice {
            start: pos,
            end: pos,
            text,
        });
        Ok(())
    }

    /// Append `item` to the block list at `list`, its dash under the last item's.
    pub fn append_item(&mut self, list: &YamlPath, item: &NewValue) -> Result<()> {
        let f = self.file;
        let refuse = || {
            error(
                f,
                format!("không thêm được một mục vào danh sách `{list}`"),
                f.location(list),
            )
        };
        let Some(Node::Sequence {
            flow: false, items, ..
        }) = f.node(list)
        else {
            return Err(refuse());
        };
        let last = items.last().ok_or_else(refuse)?;
        // The dash of the last item: the last `-` before the item's first character.
        let start = last.span().start.index;
        let dash = f.text[..start].rfind('-').ok_or_else(refuse)?;
        let line_start = f.text[..dash].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        if !f.text[line_start..dash].trim().is_empty() {
            return Err(refuse());
        }
        let column = f.text[line_start..dash].chars().count();
        let nl = if f.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let mut text = String::new();
        write_item(&mut text, column, 2, item, nl);
        let pos = line_after(f, last.content_end().index, &mut text, nl);
        self.splices.push(Splice {
            start: pos,
            end: pos,
            text,
        });
        Ok(())
    }

    /// Remove the entry `key` of the block map `map`: its whole lines when it stands on lines
    /// of its own (its comment goes with it); else `None` (the caller chooses another edit).
    pub fn remove_entry(&mut self, map: &YamlPath, key: &str) -> Result<Option<()>> {
        let f = self.file;
        let Some(Node::Mapping {
            flow: false,
            entries,
            ..
        }) = f.node(map)
        else {
            return Ok(None);
        };
        let Some(e) = entries.iter().find(|e| e.key_str() == Some(key)) else {
            return Err(error(
                f,
                format!("không tìm thấy `{}`", map.key(key)),
                f.location(map),
            ));
        };
        let start = e.key.span().start.index;
        let line_start = f.text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        if !f.text[line_start..start].trim().is_empty() {
            return Ok(None);
        }
        let end = e.value.content_end().index;
        let rest = &f.text[end..];
        let eol = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let tail = rest[..eol].trim();
        if !(tail.is_empty() || tail.starts_with('#')) {
            return Ok(None);
        }
        let mut stop = end + eol;
        if f.text[stop..].starts_with("\r\n") {
            stop += 2;
        } else if stop < f.text.len() {
            stop += 1;
        }
        self.splices.push(Splice {
            start: line_start,
            end: stop,
            text: String::new(),
        });
        Ok(Some(()))
    }

    /// The text with every edit made. Insertions at the same place keep the order they were
    /// added in; two edits of the same bytes are an error.
    pub fn apply(mut self) -> Result<String> {
        // Stable: insertions at one point stay in the order given.
        self.splices.sort_by_key(|s| (s.start, s.end));
        let text = &self.file.text;
        let mut out = String::with_capacity(text.len() + 256);
        let mut at = 0;
        for s in &self.splices {
            if s.start < at {
                return Err(error(
                    self.file,
                    format!(
                        "hai thay đổi chồng lên nhau trong `{}`",
                        self.file.path.display()
                    ),
                    None,
                ));
            }
            out.push_str(&text[at..s.start]);
            out.push_str(&s.text);
            at = s.end;
        }
        out.push_str(&text[at..]);
        Ok(out)
    }
}

/// The start of the line after byte `end` (after its comment); at the end of a file without
/// a final line break, the break is put in front of `text`.
fn line_after(f: &SourceFile, end: usize, text: &mut String, nl: &str) -> usize {
    match f.text[end..].find(['\n', '\r']) {
        Some(i) => {
            let i = end + i;
            i + if f.text[i..].starts_with("\r\n") {
                2
            } else {
                1
            }
        }
        None => {
            text.insert_str(0, nl);
            f.text.len()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{IndicatorFile, Period, parse_yaml};
    use std::path::Path;

    const XA_HOI: &str = include_str!("../../data/chi-tieu/xa-hoi.yaml");

    fn path(s: &str) -> YamlPath {
        YamlPath::parse(s).unwrap()
    }

    #[test]
    fn many_edits_from_one_parse() {
        let f = SourceFile::new("x.yaml", XA_HOI.to_string(), false);
        let mut p = Patch::new(&f);
        p.set(&path("chi_tieu[1].ky.6-thang.thuc_hien"), "1.029")
            .unwrap();
        p.insert(
            &path("chi_tieu[1].ky.6-thang"),
            Insert::End,
            "cung_ky",
            &NewValue::text("88,0"),
        )
        .unwrap();
        assert_eq!(
            p.remove_entry(&path("chi_tieu[1].ky.quy-1"), "minh_hoa")
                .unwrap(),
            Some(())
        );
        let out = p.apply().unwrap();
        let parsed: IndicatorFile = parse_yaml(Path::new("x.yaml"), &out).unwrap();
        let half = parsed.chi_tieu[1].ky.get(Period::Half).unwrap();
        assert_eq!(half.thuc_hien.as_ref().unwrap().0.written, "1.029");
        assert_eq!(half.cung_ky.as_ref().unwrap().0.written, "88,0");
        assert!(
            !parsed.chi_tieu[1]
                .ky
                .get(Period::Quarter1)
                .unwrap()
                .minh_hoa
        );
        // Only those lines differ: one replaced, one added, one removed.
        let expected = XA_HOI
            .replacen(
                "      quy-1:\n        minh_hoa: true\n        thuc_hien: 28\n",
                "      quy-1:\n        thuc_hien: 28\n",
                1,
            )
            .replacen(
                "        thuc_hien: 28             # số trường hiện có (lũy kế)\n",
                "        thuc_hien: 1.029             # số trường hiện có (lũy kế)\n",
                1,
            );
        let g = "        ghi_chu: \"Năm 2024 phấn đấu công nhận mới Trường mầm non Tân Giang\"\n";
        let expected = expected.replacen(
            &format!("{g}      9-thang:"),
            &format!("{g}        cung_ky: 88,0\n      9-thang:"),
            1,
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn an_item_is_appended_under_the_last_one() {
        let text = "chi_tieu:\n  - id: a\n    ten: A\n    ky:\n      6-thang:\n        thuc_hien: 5\n        thanh_phan:\n          - ten: X\n            gia_tri: 2\n";
        let f = SourceFile::new("x.yaml", text.to_string(), false);
        let mut p = Patch::new(&f);
        let item = NewValue::Map(vec![
            ("ten".into(), NewValue::text("Y: mới")),
            ("gia_tri".into(), NewValue::text("3")),
        ]);
        p.append_item(&path("chi_tieu[0].ky.6-thang.thanh_phan"), &item)
            .unwrap();
        let out = p.apply().unwrap();
        assert_eq!(
            out,
            format!("{text}          - ten: \"Y: mới\"\n            gia_tri: 3\n")
        );
        // A new list under a new key, with the block's indentation.
        let f = SourceFile::new("x.yaml", out.clone(), false);
        let mut p = Patch::new(&f);
        p.insert(
            &path("chi_tieu[0].ky"),
            Insert::Before("6-thang"),
            "quy-1",
            &NewValue::Map(vec![(
                "thanh_phan".into(),
                NewValue::List(vec![item.clone()]),
            )]),
        )
        .unwrap();
        let out2 = p.apply().unwrap();
        assert!(
            out2.contains("    ky:\n      quy-1:\n        thanh_phan:\n          - ten: \"Y: mới\"\n            gia_tri: 3\n      6-thang:\n"),
            "{out2}"
        );
        let parsed: IndicatorFile = parse_yaml(Path::new("x.yaml"), &out2).unwrap();
        assert_eq!(
            parsed.chi_tieu[0]
                .ky
                .get(Period::Quarter1)
                .unwrap()
                .thanh_phan[0]
                .ten
                .0,
            "Y: mới"
        );
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let f = SourceFile::new("x.yaml", "a: 1\nb: 2\n".to_string(), false);
        let mut p = Patch::new(&f);
        p.set(&path("a"), "3").unwrap();
        p.set(&path("a"), "4").unwrap();
        assert!(p.apply().is_err());
        // A line that is not the entry's alone is not removed.
        let f = SourceFile::new("x.yaml", "l:\n  - a: 1\n    b: 2\n".to_string(), false);
        let mut p = Patch::new(&f);
        assert_eq!(p.remove_entry(&path("l[0]"), "a").unwrap(), None);
        assert_eq!(p.remove_entry(&path("l[0]"), "b").unwrap(), Some(()));
        assert_eq!(p.apply().unwrap(), "l:\n  - a: 1\n");
    }
}
