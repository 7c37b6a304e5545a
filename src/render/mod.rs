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

use crate::data::DataSet;
use crate::diag::Result;
use crate::period::Period;
pub use crate::source_map::TemplateTexts;
use crate::source_map::strip_markers;
pub use context::Reads;
use context::{Ctx, build_context};
use env::make_env;
use errors::template_error;
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

/// Render the report for `period`.
pub fn render(root: &Path, data: &DataSet, period: Period) -> Result<Rendered> {
    render_with(root, data, period, TemplateTexts::default())
}

/// As [`render`], keeping the templates it reads in `texts` (the build shares them with the
/// Typst world and the diagnostics). An error's template line is already attached.
pub fn render_with(
    root: &Path,
    data: &DataSet,
    period: Period,
    texts: TemplateTexts,
) -> Result<Rendered> {
    let ctx = Arc::new(Ctx::new(data.clone(), period));
    let context = build_context(&ctx)?;
    let env = make_env(root, ctx.clone(), texts.clone());
    let fail = |e: minijinja::Error| {
        let mut err = template_error(root, &texts, &ctx, &e);
        texts.fill_snippets(&mut err.0);
        err
    };
    let tmpl = env.get_template(ROOT).map_err(fail)?;
    let markup = tmpl.render(context).map_err(fail)?;
    let reads = ctx.reads.lock().map(|r| r.clone()).unwrap_or_default();
    Ok(Rendered {
        markup,
        period,
        reads,
        templates: texts,
    })
}
