//! Loading data/: every file parsed, then the checks that need the whole set.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::model::*;
use super::read::{read_text, yaml_files};
use super::scalar::*;
use super::yaml_error::{find_tab_indent, yaml_diagnostic};
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::period::Period;

/// Parse one YAML file into `T`, turning serde_yaml's error into a located Vietnamese message.
pub fn parse_yaml<T: for<'de> Deserialize<'de>>(path: &Path, text: &str) -> Result<T> {
    if text.trim().is_empty() {
        return Err(Error::new(
            Diagnostic::error("tệp rỗng").at(Location::file(path)),
        ));
    }
    if let Some((line, col)) = find_tab_indent(text) {
        return Err(Error::new(
            Diagnostic::error("YAML không cho phép thụt lề bằng ký tự Tab")
                .at(Location::at(path, line, col))
                .hint("thay Tab bằng dấu cách"),
        ));
    }
    serde_yaml::from_str::<T>(text).map_err(|e| Error::new(yaml_diagnostic(path, text, &e)))
}

/// Find the 1-based line of `key:` (first occurrence) in a YAML file, for semantic errors.
pub fn find_key_location(path: &Path, key: &str) -> Option<Location> {
    let text = std::fs::read_to_string(path).ok()?;
    let needle = format!("{key}:");
    text.lines().enumerate().find_map(|(i, l)| {
        let t = l.trim_start().trim_start_matches("- ");
        t.starts_with(&needle)
            .then(|| Location::at(path, i + 1, l.len() - l.trim_start().len() + 1))
    })
}

/// The line of `keys`, each looked for after the previous one, inside the block (list item or
/// map entry) that starts at `start`: for a message about one field of an indicator.
pub fn find_nested_key(start: &Location, keys: &[&str]) -> Option<Location> {
    let text = std::fs::read_to_string(&start.file).ok()?;
    let first = start.line?;
    let indent = start.column.unwrap_or(1).saturating_sub(1);
    let mut keys = keys.iter();
    let mut want = format!("{}:", keys.next()?);
    for (i, l) in text.lines().enumerate().skip(first.saturating_sub(1)) {
        let t = l.trim_start();
        let lead = l.len() - t.len();
        if i + 1 > first && !t.is_empty() && !t.starts_with('#') && lead <= indent {
            break;
        }
        let key = t.trim_start_matches("- ").trim_start_matches("{ ");
        if key.starts_with(&want) {
            match keys.next() {
                Some(k) => want = format!("{k}:"),
                None => {
                    return Some(Location::at(
                        &start.file,
                        i + 1,
                        lead + t.len() - key.len() + 1,
                    ));
                }
            }
        }
    }
    None
}

/// Every `id: <id>` line of an indicator file, in order: (id, line, column).
fn id_lines(text: &str) -> Vec<(&str, usize, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            let v = t.strip_prefix("id:")?.trim().trim_matches(['"', '\'']);
            Some((v, i + 1, l.len() - l.trim_start().len() + 1))
        })
        .collect()
}

/// At most this many errors of one kind are listed for one file; then one line counts the rest.
const MAX_SAME_ERRORS: usize = 20;

/// Load data/ under `root`. Collects every error of every file before failing.
pub fn load(root: &Path) -> Result<DataSet> {
    let data = root.join("data");
    let mut errors: Vec<Diagnostic> = vec![];
    fn collect(errors: &mut Vec<Diagnostic>, r: Result<()>) {
        if let Err(e) = r {
            errors.extend(e.0);
        }
    }

    let meta_path = data.join("bao-cao.yaml");
    let mut meta = None;
    collect(
        &mut errors,
        (|| {
            let text = read_text(&meta_path)?;
            meta = Some(parse_yaml::<Meta>(&meta_path, &text)?);
            Ok(())
        })(),
    );

    let mut indicators: Vec<Indicator> = vec![];
    match yaml_files(&data.join("chi-tieu")) {
        Ok(files) => {
            for path in files {
                collect(
                    &mut errors,
                    (|| {
                        let text = read_text(&path)?;
                        let file: IndicatorFile = parse_yaml(&path, &text)?;
                        // Indicators come in the order of their `id:` lines: one pass finds
                        // each, and a repeated id gets its own line, not the first one's.
                        let lines = id_lines(&text);
                        let mut next = 0;
                        for mut ind in file.chi_tieu {
                            let found = lines[next.min(lines.len())..]
                                .iter()
                                .position(|(id, _, _)| *id == ind.id.0)
                                .map(|k| next + k);
                            ind.location = Some(match found {
                                Some(k) => {
                                    next = k + 1;
                                    Location::at(&path, lines[k].1, lines[k].2)
                                }
                                None => Location::file(&path),
                            });
                            indicators.push(ind);
                        }
                        Ok(())
                    })(),
                );
            }
        }
        Err(e) => errors.extend(e.0),
    }

    let figures = load_figure_files(&data.join("so-lieu"), &mut errors);
    let mut period_figures = vec![];
    for p in Period::ALL {
        let dir = data.join("ky").join(p.key()).join("so-lieu");
        if dir.is_dir() {
            period_figures.push((p, load_figure_files(&dir, &mut errors)));
        }
    }

    let table_path = data.join("bieu.yaml");
    let mut table = None;
    if table_path.exists() {
        collect(
            &mut errors,
            (|| {
                let text = read_text(&table_path)?;
                table = Some(parse_yaml::<TableSpec>(&table_path, &text)?);
                Ok(())
            })(),
        );
    }

    // Semantic checks that need the whole set.
    let mut seen: BTreeMap<&str, &Indicator> = BTreeMap::new();
    for ind in &indicators {
        let id = ind.id.0.as_str();
        if !is_identifier(id) {
            errors.push(
                Diagnostic::error(format!("mã chỉ tiêu `{id}` không hợp lệ"))
                    .at_opt(ind.location.clone())
                    .hint("mã chỉ gồm chữ thường không dấu, chữ số và `_`, bắt đầu bằng chữ: `thu_ngan_sach`"),
            );
        }
        if let Some(first) = seen.get(id) {
            let mut d = Diagnostic::error(format!("mã chỉ tiêu `{id}` bị khai báo hai lần"))
                .at_opt(ind.location.clone());
            if let Some(l) = &first.location {
                d = d.hint(format!("lần đầu ở {l}"));
            }
            errors.push(d);
        } else {
            seen.insert(id, ind);
        }
        if let Some(d) = ind.so_thap_phan {
            if d > 6 {
                errors.push(
                    Diagnostic::error(format!("chỉ tiêu `{id}`: so_thap_phan = {d} quá lớn"))
                        .at_opt(ind.location.clone())
                        .hint("dùng từ 0 đến 6 chữ số thập phân"),
                );
            }
        }
    }
    let mut names: BTreeMap<&str, &Path> = BTreeMap::new();
    for f in &figures {
        if let Some(p) = names.insert(&f.name, &f.path) {
            errors.push(
                Diagnostic::error(format!("hai tệp số liệu cùng tên `{}`", f.name))
                    .at(Location::file(&f.path))
                    .hint(format!(
                        "đổi tên một trong hai tệp (tệp kia: {})",
                        p.display()
                    )),
            );
        }
        let bad: Vec<&String> = f
            .values
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !is_identifier(k))
            .collect();
        for k in bad.iter().take(MAX_SAME_ERRORS) {
            errors.push(
                Diagnostic::error(format!("khóa số liệu `{k}` không hợp lệ"))
                    .at_opt(find_key_location(&f.path, k))
                    .hint("khóa chỉ gồm chữ thường không dấu, chữ số và `_`, bắt đầu bằng chữ"),
            );
        }
        if bad.len() > MAX_SAME_ERRORS {
            errors.push(
                Diagnostic::error(format!(
                    "còn {} khóa số liệu không hợp lệ khác trong tệp này",
                    bad.len() - MAX_SAME_ERRORS
                ))
                .at(Location::file(&f.path)),
            );
        }
    }
    if let Some(t) = &table {
        let unknown: Vec<&Text> = t
            .nhom
            .iter()
            .flat_map(|g| &g.chi_tieu)
            .filter(|id| !seen.contains_key(id.0.as_str()))
            .collect();
        let known: Vec<&str> = seen.keys().copied().collect();
        for id in unknown.iter().take(MAX_SAME_ERRORS) {
            let mut d = Diagnostic::error(format!(
                "biểu chỉ tiêu nhắc đến chỉ tiêu `{}` không có",
                id.0
            ))
            .at_opt(find_value_location(&table_path, &id.0));
            if let Some(n) = crate::text::nearest(&id.0, known.iter().copied()) {
                d = d.hint(format!("có phải là `{n}`?"));
            }
            errors.push(d);
        }
        if unknown.len() > MAX_SAME_ERRORS {
            errors.push(
                Diagnostic::error(format!(
                    "còn {} chỉ tiêu khác trong biểu không có",
                    unknown.len() - MAX_SAME_ERRORS
                ))
                .at(Location::file(&table_path)),
            );
        }
    }

    if !errors.is_empty() {
        return Err(Error(errors));
    }
    let meta = meta.expect("meta parsed when no error was recorded");
    if meta.cac_ky.is_empty() {
        return Err(Error::new(
            Diagnostic::error("chưa khai báo kỳ báo cáo nào trong `cac_ky`")
                .at_opt(find_key_location(&meta_path, "cac_ky")),
        ));
    }
    Ok(DataSet {
        period_figures,
        meta,
        meta_path,
        indicators,
        figures,
        table,
        table_path,
    })
}

/// Read every so-lieu file of a folder (flat key -> value), collecting errors.
fn load_figure_files(dir: &Path, errors: &mut Vec<Diagnostic>) -> Vec<FigureFile> {
    let mut figures = vec![];
    let files = match yaml_files(dir) {
        Ok(files) => files,
        Err(e) => {
            errors.extend(e.0);
            return figures;
        }
    };
    for path in files {
        let r: Result<()> = (|| {
            let text = read_text(&path)?;
            let values: StrictMap<Value> = parse_yaml(&path, &text)?;
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .replace('-', "_");
            figures.push(FigureFile {
                name: stem,
                path: path.clone(),
                values: values.0,
            });
            Ok(())
        })();
        if let Err(e) = r {
            errors.extend(e.0);
        }
    }
    figures
}

/// The line where a value (e.g. an id in a list) appears.
pub fn find_value_location(path: &Path, value: &str) -> Option<Location> {
    let text = std::fs::read_to_string(path).ok()?;
    let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
    // Every occurrence on a line counts: `[thu_ngan_sach, thu_ngan_sac]` finds the second.
    text.lines().enumerate().find_map(|(i, l)| {
        l.match_indices(value).find_map(|(col, _)| {
            let before = l[..col].chars().last();
            let after = l[col + value.len()..].chars().next();
            (boundary(before) && boundary(after))
                .then(|| Location::at(path, i + 1, l[..col].chars().count() + 1))
        })
    })
}

pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
