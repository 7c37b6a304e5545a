//! Stage 3: render the minijinja templates (templates/*.typ.j2) with the data into one Typst
//! markup string.
//!
//! Every value from data is escaped for Typst (a string is always text, never markup); every
//! derived figure comes from [`crate::indicator::InPeriod`] through a helper and is printed by
//! `format`. Each template line carries a marker comment ([`crate::source_map`]) so that a
//! Typst error in rendered content can be traced back to the template and line it came from.
//!
//! `values`: figures and indicators as template values; `context`: what templates see;
//! `helpers`: the template functions; `env`: the environment and loader; `errors`: template
//! errors as diagnostics; `lint`: warnings about template text; `syntax`: the rendered markup
//! parsed as Typst, its errors located in the templates.

mod context;
mod env;
mod errors;
pub mod helpers;
mod lint;
mod syntax;
mod values;

use std::path::Path;
use std::sync::Arc;

use crate::budget::{self, Limits, Stage};
use crate::data::DataSet;
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::period::Period;
pub use crate::source_map::TemplateTexts;
use crate::source_map::strip_markers;
pub use context::Reads;
use context::{Ctx, build_context};
use env::make_env;
use errors::{is_out_of_fuel, out_of_fuel, template_error};
pub use lint::lint_templates;
pub use syntax::{errors_in_tree, syntax_errors};
pub use values::FigVal;

/// The root template.
pub const ROOT: &str = "bao-cao.typ.j2";

/// The rendered Typst markup (with line markers) and what it was made from.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub markup: String,
    pub period: Period,
    /// The indicators and so-lieu values the templates read.
    pub reads: Reads,
    /// The templates as this render read them.
    pub templates: TemplateTexts,
}

impl Rendered {
    /// The markup without the line markers: what `--emit-typst` writes.
    pub fn clean(&self) -> String {
        strip_markers(&self.markup)
    }
}

/// Render the report for `period`, within the template budgets of `limits` (fuel and the
/// markup's size; the others are the process's).
pub fn render(root: &Path, data: &DataSet, period: Period, limits: &Limits) -> Result<Rendered> {
    render_with(root, data, period, limits, TemplateTexts::default())
}

/// As [`render`], keeping the templates it reads in `texts` (the build shares them with the
/// Typst world and the diagnostics). An error's template line is already attached.
pub fn render_with(
    root: &Path,
    data: &DataSet,
    period: Period,
    limits: &Limits,
    texts: TemplateTexts,
) -> Result<Rendered> {
    let _stage = budget::enter(Stage::Render);
    let ctx = Arc::new(Ctx::new(data.clone(), period));
    let context = build_context(&ctx)?;
    let mut env = make_env(root, ctx.clone(), texts.clone());
    env.set_fuel(limits.fuel);
    let located = |mut err: Error| {
        texts.fill_snippets(&mut err.0);
        err
    };
    let tmpl = env
        .get_template(ROOT)
        .map_err(|e| located(template_error(root, &texts, &ctx, &e)))?;
    let mut out = Capped::new(limits.markup);
    if let Err(e) = tmpl.render_captured_to(context, &mut out) {
        return Err(located(match (out.refused, limits.markup) {
            (true, Some(cap)) => markup_too_large(&out.bytes, cap),
            _ => match limits.fuel {
                Some(fuel) if is_out_of_fuel(&e) => out_of_fuel(root, &texts, &ctx, &e, fuel),
                _ => template_error(root, &texts, &ctx, &e),
            },
        }));
    }
    // minijinja writes whole `str`s: the bytes are UTF-8.
    let markup = String::from_utf8(out.bytes)
        .map_err(|_| Error::msg("lời văn dựng từ mẫu không phải văn bản UTF-8"))?;
    let reads = ctx.reads.lock().map(|r| r.clone()).unwrap_or_default();
    Ok(Rendered {
        markup,
        period,
        reads,
        templates: texts,
    })
}

/// The rendered markup, refused past `cap` bytes (a write that would pass it fails whole, so
/// the bytes kept end where the template was when the cap was met).
struct Capped {
    bytes: Vec<u8>,
    cap: Option<u64>,
    refused: bool,
}

impl Capped {
    fn new(cap: Option<u64>) -> Self {
        Self {
            bytes: Vec::with_capacity(64 * 1024),
            cap,
            refused: false,
        }
    }
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self
            .cap
            .is_some_and(|cap| (self.bytes.len() + buf.len()) as u64 > cap)
        {
            self.refused = true;
            return Err(std::io::Error::other("markup cap"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The markup passed `cap` bytes: an error at the template line that was writing it (the last
/// line marker in what was written; minijinja's own error has lost it behind the writer).
fn markup_too_large(written: &[u8], cap: u64) -> Error {
    let mib = cap / (1024 * 1024);
    let text = String::from_utf8_lossy(written);
    let mut d = Diagnostic::error(format!(
        "lời văn dựng từ mẫu vượt giới hạn {mib} MiB mã Typst: đã dừng"
    ));
    let last = text
        .rfind(crate::source_map::MARK_OPEN)
        .and_then(|i| crate::source_map::parse_marker(&text[i..]));
    match last {
        Some((name, line, _)) => {
            d = d
                .at(Location::line(Path::new("templates").join(name), line))
                .hint("mẫu đang ghi ra dòng này khi vượt giới hạn: có thể một vòng lặp `{% for %}` lặp quá nhiều lần");
        }
        None => {
            d = d.hint("có thể một vòng lặp `{% for %}` của mẫu lặp quá nhiều lần");
        }
    }
    Error::new(d.hint(format!(
        "nếu báo cáo thật sự dài như vậy, tăng giới hạn: `--markup-limit {}` (MiB; 0: không giới hạn)",
        mib.saturating_mul(2).max(1)
    )))
}
