//! Template errors as located Vietnamese diagnostics, with hints naming the nearest known
//! indicator, field or figure.

use std::path::Path;
use std::sync::Arc;

use minijinja::ErrorKind;
use minijinja::value::Object;

use super::ROOT;
use super::context::Ctx;
use super::helpers::UndefinedArg;
use super::values::{FIELDS, FLAGS, IndView};
use crate::diag::{Diagnostic, Error, Location};
use crate::source_map::{TemplateTexts, strip_markers};
use crate::text::nearest;

/// The innermost error: it carries the template and line where it happened.
fn innermost(e: &minijinja::Error) -> &minijinja::Error {
    let mut inner: &minijinja::Error = e;
    while let Some(src) =
        std::error::Error::source(inner).and_then(|s| s.downcast_ref::<minijinja::Error>())
    {
        inner = src;
    }
    inner
}

/// Whether the render stopped because its fuel ran out.
pub fn is_out_of_fuel(e: &minijinja::Error) -> bool {
    innermost(e).kind() == ErrorKind::OutOfFuel
}

/// The fuel (`fuel`, the budget that was given) ran out: the template and line that were
/// running, with how to raise the budget.
pub fn out_of_fuel(
    root: &Path,
    texts: &TemplateTexts,
    ctx: &Arc<Ctx>,
    e: &minijinja::Error,
    fuel: u64,
) -> Error {
    let mut err = template_error(root, texts, ctx, e);
    if let Some(d) = err.0.first_mut() {
        d.message = format!(
            "mẫu chạy quá giới hạn {} bước (fuel của minijinja) khi dựng lời văn: đã dừng\nchi tiết: {}",
            crate::format::format_number(rust_decimal::Decimal::from(fuel), 0),
            innermost(e).kind()
        );
        d.hints.push(
            "có thể một vòng lặp `{% for %}` ở dòng này lặp quá nhiều lần, hoặc các vòng lặp lồng nhau"
                .into(),
        );
        d.hints.push(format!(
            "nếu báo cáo thật sự cần nhiều hơn, tăng giới hạn: `--template-fuel {}` (0: không giới hạn)",
            fuel.saturating_mul(2)
        ));
    }
    err
}

/// A minijinja error as a located Vietnamese diagnostic, with a hint for unknown names.
pub fn template_error(
    root: &Path,
    texts: &TemplateTexts,
    ctx: &Arc<Ctx>,
    e: &minijinja::Error,
) -> Error {
    let inner = innermost(e);
    let name = inner.name().or(e.name()).unwrap_or(ROOT).to_string();
    let line = inner.line().or(e.line());
    let path = Path::new("templates").join(&name);
    let loc = match line {
        Some(l) => Location::line(path.clone(), l),
        None => Location::file(path.clone()),
    };
    // An include wraps the real error with the English detail `error in "name"`: skip it.
    let detail = inner
        .detail()
        .or(e.detail())
        .filter(|d| !d.starts_with("error in "))
        .map(str::to_string);
    // minijinja's English (`x` is undefined; tried to include non-existing template "x")
    // becomes a Vietnamese reason, the original kept as `chi tiết` for the expert.
    let undefined = detail.as_deref().and_then(|d| {
        let end = d.find("` is undefined")?;
        let start = d[..end].rfind('`')?;
        Some((d[start + 1..end].to_string(), d.to_string()))
    });
    // The template line, markers stripped, to name what it wrote and give hints; and the
    // lines up to it, for a call written over several lines.
    let source = inner
        .template_source()
        .map(str::to_string)
        .or_else(|| texts.get(&name).map(|t| t.to_string()));
    let lines_to = |first: usize, last: usize| -> Option<String> {
        let src = source.as_deref()?;
        let lines: Vec<String> = src
            .lines()
            .skip(first.checked_sub(1)?)
            .take(last + 1 - first)
            .map(strip_markers)
            .collect();
        (!lines.is_empty()).then(|| lines.join(" "))
    };
    let line_text = line.and_then(|l| lines_to(l, l));
    let call_text = line.and_then(|l| lines_to(l.saturating_sub(2).max(1), l));
    // A helper's argument that is undefined: what the template wrote there.
    let undefined_arg = detail.as_deref().and_then(UndefinedArg::parse);
    let message = match inner.kind() {
        ErrorKind::UndefinedError if undefined_arg.is_some() => {
            let arg = undefined_arg.as_ref().expect("checked");
            match call_text
                .as_deref()
                .and_then(|t| written_argument(ctx, t, &arg.func, arg.index))
            {
                Some(written) => format!("`{written}` {}", arg.what()),
                None => arg.detail(),
            }
        }
        ErrorKind::UndefinedError => match &undefined {
            Some((name, original)) => {
                format!("tên `{name}` không xác định trong mẫu\nchi tiết: {original}")
            }
            None => format!(
                "tên không xác định trong mẫu{}",
                detail
                    .as_ref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            ),
        },
        ErrorKind::SyntaxError => format!(
            "sai cú pháp mẫu{}",
            detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        ErrorKind::TemplateNotFound => match detail.as_deref() {
            // The name in minijinja's words is quoted ("x" or 'x'); the loader's own words,
            // Vietnamese, are lost behind an include, so the reason is looked for on disk.
            Some(d) if d.starts_with("tried to include") || d.starts_with("template \"") => {
                let several = d.starts_with("tried to include one of multiple");
                let wanted = d.find(['"', '\'']).filter(|_| !several).and_then(|a| {
                    let q = d[a..].chars().next()?;
                    let b = d.rfind(q)?;
                    (b > a).then(|| &d[a + 1..b])
                });
                let dir = root.join("templates");
                let reason = match wanted {
                    Some(w) if w.split('/').any(|s| s == "..") || w.starts_with('/') => {
                        format!("mẫu `{w}` nằm ngoài thư mục templates/")
                    }
                    Some(w) if dir.join(w).is_dir() => {
                        format!("mẫu `{w}` là một thư mục, không phải tệp")
                    }
                    Some(w) if std::fs::symlink_metadata(dir.join(w)).is_ok() => {
                        match (dir.join(w).canonicalize(), dir.canonicalize()) {
                            (Ok(real), Ok(base)) if !real.starts_with(&base) => format!(
                                "mẫu `{w}` trỏ ra ngoài thư mục templates/ (liên kết tượng trưng)"
                            ),
                            _ => match std::fs::read(dir.join(w)) {
                                Err(e) => format!(
                                    "không đọc được mẫu `{w}`: {}",
                                    crate::diag::io_reason(&e)
                                        .lines()
                                        .next()
                                        .unwrap_or_default()
                                ),
                                Ok(_) => format!("không nạp được mẫu `{w}`"),
                            },
                        }
                    }
                    Some(w) => format!("không tìm thấy mẫu `{w}`"),
                    None => "không tìm thấy mẫu nào trong các mẫu đã nêu".into(),
                };
                format!("{reason}\nchi tiết: {d}")
            }
            Some(d) => d.to_string(),
            None => "không tìm thấy mẫu".into(),
        },
        ErrorKind::UnknownFunction => format!(
            "hàm không có{}",
            detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        ErrorKind::UnknownFilter => format!(
            "bộ lọc không có{}",
            detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        ErrorKind::MissingArgument => format!(
            "thiếu đối số{}",
            detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        ErrorKind::TooManyArguments => format!(
            "thừa đối số{}",
            detail
                .as_ref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        _ => detail.clone().unwrap_or_else(|| inner.to_string()),
    };
    let mut d = Diagnostic::error(message).at(loc);
    if let Some(text) = &line_text {
        for h in unknown_name_hints(ctx, text) {
            if !d.hints.contains(&h) {
                d = d.hint(h);
            }
        }
    }
    if inner.kind() == ErrorKind::UndefinedError
        && d.hints.is_empty()
        && undefined.is_none()
        && undefined_arg.is_none()
        && let Some(det) = detail
    {
        d = d.hint(det);
    }
    Error::new(d)
}

/// The text of argument `index` of the call of `func` on the template line `line`
/// (`pt_ke_hoach(ct.thu_ngan_sac, 2)` → `ct.thu_ngan_sac`); with several calls of `func`,
/// the one whose argument names something the data does not have.
fn written_argument(ctx: &Arc<Ctx>, line: &str, func: &str, index: usize) -> Option<String> {
    let mut found: Vec<String> = vec![];
    for (start, _) in line.match_indices(&format!("{func}(")) {
        let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
        if line[..start].chars().last().is_some_and(ident) {
            continue;
        }
        if let Some(arg) = call_arguments(&line[start + func.len() + 1..])
            .into_iter()
            .nth(index)
            .filter(|a| !a.is_empty())
        {
            found.push(arg);
        }
    }
    let unresolved = |a: &String| !unknown_name_hints(ctx, a).is_empty();
    found
        .iter()
        .find(|a| unresolved(a))
        .or(found.first())
        .cloned()
}

/// The arguments of a call, from just after its `(`: split at the commas outside brackets and
/// quotes, up to the closing `)` (as far as the line goes).
fn call_arguments(after_paren: &str) -> Vec<String> {
    let mut args = vec![];
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut cur = String::new();
    for c in after_paren.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')') if depth == 0 => {
                args.push(cur.trim().to_string());
                return args;
            }
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                args.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    args.push(cur.trim().to_string());
    args
}

/// For `ct.x`, `ct.x.y` and `sl.f.k` references on a template line that do not resolve,
/// a hint naming the nearest known name.
fn unknown_name_hints(ctx: &Arc<Ctx>, line: &str) -> Vec<String> {
    let mut hints = vec![];
    let ids: Vec<&str> = ctx
        .data
        .indicators
        .iter()
        .map(|i| i.id.0.as_str())
        .collect();
    for (start, _) in line.match_indices("ct.") {
        if start > 0
            && line[..start]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let parts: Vec<&str> = line[start + 3..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .next()
            .unwrap_or("")
            .split('.')
            .collect();
        let id = parts[0];
        if id.is_empty() {
            continue;
        }
        match ctx.data.indicator(id) {
            None => {
                let mut h = format!("không có chỉ tiêu `{id}`");
                if let Some(n) = nearest(id, ids.iter().copied()) {
                    h.push_str(&format!("; có phải là `{n}`?"));
                }
                hints.push(h);
            }
            Some(ind) => {
                if let Some(field) = parts.get(1) {
                    if !FIELDS.contains(field) && !FLAGS.contains(field) {
                        let mut h = format!("chỉ tiêu không có thuộc tính `{field}`");
                        if let Some(n) = nearest(field, FIELDS) {
                            h.push_str(&format!("; có phải là `{n}`?"));
                        }
                        hints.push(h);
                    } else {
                        let index = ctx
                            .data
                            .indicators
                            .iter()
                            .position(|i| std::ptr::eq(i, ind))
                            .unwrap_or_default();
                        let view = Arc::new(IndView::new(ctx.clone(), index));
                        if view.get_value_by_str(field).is_none() {
                            hints.push(format!(
                                "chỉ tiêu `{id}` không có số `{field}` cho kỳ `{}` (xem {})",
                                ctx.period,
                                ind.location
                                    .as_ref()
                                    .map(|l| l.to_string())
                                    .unwrap_or_default()
                            ));
                        }
                    }
                }
            }
        }
    }
    let figures = ctx.data.figures_for(ctx.period);
    let files: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
    for (start, _) in line.match_indices("sl.") {
        if start > 0
            && line[..start]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let path = line[start + 3..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .next()
            .unwrap_or("");
        let mut parts = path.split('.');
        let (Some(file), key) = (parts.next(), parts.next()) else {
            continue;
        };
        match figures.iter().find(|f| f.name == file) {
            None => {
                let mut h = format!(
                    "không có tệp số liệu `data/so-lieu/{}.yaml`",
                    file.replace('_', "-")
                );
                if let Some(n) = nearest(file, files.iter().copied()) {
                    h.push_str(&format!("; có phải là `sl.{n}`?"));
                }
                hints.push(h);
            }
            Some(f) => {
                if let Some(key) = key
                    && !f.values.iter().any(|(k, _)| k == key)
                {
                    // As the user opens it from where the command runs (`./` left out).
                    let path = f.path.strip_prefix(".").unwrap_or(&f.path);
                    let mut h = format!("`{}` không có khóa `{key}`", path.display());
                    if let Some(n) = nearest(key, f.values.iter().map(|(k, _)| k.as_str())) {
                        h.push_str(&format!("; có phải là `{n}`?"));
                    }
                    hints.push(h);
                }
            }
        }
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_arguments_split_at_the_top_level() {
        assert_eq!(
            call_arguments("ct.thu_ngan_sac, 2) }} và"),
            ["ct.thu_ngan_sac", "2"]
        );
        assert_eq!(
            call_arguments("a(b, c), \"x, y\", [1, 2]) rest"),
            ["a(b, c)", "\"x, y\"", "[1, 2]"]
        );
        // A call that goes on past the line: what the line has.
        assert_eq!(call_arguments("sl.a.b,"), ["sl.a.b", ""]);
    }
}
