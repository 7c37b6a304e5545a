//! The minijinja environment: the loader over templates/ (nothing outside it, line markers
//! added), strict undefined values, Typst escaping of every value from data.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, ErrorKind, State, UndefinedBehavior};

use super::context::Ctx;
use crate::source_map::{TemplateTexts, add_markers};
use crate::text::escape_markup;

pub fn templates_dir(root: &Path) -> PathBuf {
    root.join("templates")
}

/// Load a template by name from templates/, refusing names that leave the folder.
/// The text as read is kept in `texts`, for the diagnostics' source lines.
fn load_template(
    dir: &Path,
    name: &str,
    texts: &TemplateTexts,
) -> std::result::Result<Option<String>, minijinja::Error> {
    if name.split('/').any(|s| s == ".." || s.is_empty())
        || name.starts_with('/')
        || name.contains('\\')
    {
        return Err(minijinja::Error::new(
            ErrorKind::TemplateNotFound,
            format!("mẫu `{name}` nằm ngoài thư mục templates/"),
        ));
    }
    let path = dir.join(name);
    // Follow symlinks, then insist on staying inside templates/, as the Typst world does.
    if let (Ok(real), Ok(base)) = (path.canonicalize(), dir.canonicalize())
        && !real.starts_with(&base)
    {
        return Err(minijinja::Error::new(
            ErrorKind::TemplateNotFound,
            format!("mẫu `{name}` trỏ ra ngoài thư mục templates/ (liên kết tượng trưng)"),
        ));
    }
    match std::fs::read(&path) {
        Ok(bytes) => {
            let bytes = bytes
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(&bytes)
                .to_vec();
            let text = String::from_utf8(bytes).map_err(|_| {
                minijinja::Error::new(
                    ErrorKind::BadSerialization,
                    format!("mẫu `{name}` không phải văn bản UTF-8"),
                )
            })?;
            let text = crate::text::normalize(&text.replace("\r\n", "\n"));
            texts.record(name, &text);
            Ok(Some(add_markers(name, &text)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(minijinja::Error::new(
            ErrorKind::TemplateNotFound,
            format!(
                "không đọc được mẫu `{name}`: {}",
                crate::diag::io_reason(&e)
            ),
        )),
    }
}

/// The environment of one render; the templates it loads are kept in `texts`.
pub fn make_env(root: &Path, ctx: Arc<Ctx>, texts: TemplateTexts) -> Environment<'static> {
    let mut env = Environment::new();
    let dir = templates_dir(root);
    env.set_loader(move |name| load_template(&dir, name, &texts));
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".typ.j2") || name.ends_with(".typ") {
            AutoEscape::Custom("typst".into())
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(
        |out: &mut minijinja::Output, state: &mut State, value: &Value| {
            if value.is_undefined() {
                return Err(minijinja::Error::new(
                    ErrorKind::UndefinedError,
                    "giá trị không xác định",
                ));
            }
            if value.is_none() {
                return Err(minijinja::Error::new(
                    ErrorKind::UndefinedError,
                    "giá trị trống (none)",
                ));
            }
            let text = value.to_string();
            let escape = !value.is_safe() && !matches!(state.auto_escape(), AutoEscape::None);
            let text = if escape { escape_markup(&text) } else { text };
            out.write_str(&text)
                .map_err(|_| minijinja::Error::new(ErrorKind::WriteFailure, "ghi thất bại"))
        },
    );
    // keep_trailing_newline: an included section ends with its newline, so the text that
    // follows an include starts a new paragraph.
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.set_recursion_limit(64);
    super::helpers::register(&mut env, ctx);
    env
}
