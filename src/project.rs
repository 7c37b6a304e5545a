//! The pipeline of one report folder: load data -> render templates -> typeset -> export every
//! format asked for (`export`: PDF, HTML) in memory -> write them all, or none.
//! (`figures` and `format` are pure and called from `render`; `check` audits the figures.)

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use typst::foundations::Datetime;

use crate::budget::Limits;
use crate::data::{self, DataSet, Period};
use crate::diag::{Diagnostic, Error, Result};
use crate::document::{self, LayoutData};
use crate::draft::Status;
use crate::export::{self, Format, Sources};
use crate::output::{self, WriteOptions};
use crate::pdf::{self, PdfSettings};
use crate::render::{self, Rendered, TemplateTexts};
use crate::text::typst_string;
use crate::typeset::{self, ReportWorld};
use crate::{bases, bieu, check, stated, xlsx};

/// The DỰ THẢO mark nd30.typ draws on a draft's pages (templates/du-thao.svg).
const DRAFT_MARK: &str = "du-thao.svg";

/// A report folder with its Typst world, kept across rebuilds.
pub struct Project {
    pub root: PathBuf,
    /// The PDF's creation time in seconds since 1970 (SOURCE_DATE_EPOCH), instead of the
    /// report's date.
    pub source_date_epoch: Option<i64>,
    /// The template budgets of every render (fuel, markup size); time and memory are the
    /// process's (`budget`).
    pub limits: Limits,
    /// Evict the old entries of Typst's caches at the end of each build (true by default); the
    /// `watch` worker evicts after it has answered instead, so the user does not wait for it.
    pub evict_after_build: bool,
    world: ReportWorld,
    /// The templates the last build read: its diagnostics quote their lines from here.
    templates: TemplateTexts,
    /// How outputs are written (test hooks; all off by default).
    write: WriteOptions,
}

/// What a build makes and where it goes (Serialize/Deserialize: from the watch to its
/// `watch` worker).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildOptions {
    /// The formats to write (once each; `pdf` when empty).
    pub formats: Vec<Format>,
    /// The one output file (`-o`), when a single format is asked for; else each format goes to
    /// `output/bao-cao-<kỳ>-<năm>.<ext>`.
    #[serde(with = "crate::diag::path_bytes::option")]
    pub output: Option<PathBuf>,
    /// Also write the standalone Typst markup here (`--emit-typst`).
    #[serde(with = "crate::diag::path_bytes::option")]
    pub emit_typst: Option<PathBuf>,
    /// Write the PDF as PDF/A-2b (`--pdf-a`).
    pub pdf_a: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            formats: vec![Format::Pdf],
            output: None,
            emit_typst: None,
            pdf_a: false,
        }
    }
}

/// What a build produced (Serialize/Deserialize: from the `watch` worker to the watch).
#[derive(Debug, Serialize, Deserialize)]
pub struct Built {
    /// The files written, one per format, in [`Format`]'s order.
    #[serde(with = "crate::diag::path_bytes::many")]
    pub outputs: Vec<PathBuf>,
    pub period: Period,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
    /// Why the report is a draft, and the placeholders it still holds.
    pub status: Status,
}

/// What `check` found: every problem, and why the report it checked would be a draft.
#[derive(Debug)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    /// The status of each period checked.
    pub status: Vec<Status>,
}

#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
pub struct Timings {
    pub load: Duration,
    pub render: Duration,
    pub typeset: Duration,
    /// PDF export.
    pub pdf: Duration,
    /// HTML compilation and encoding (zero when not asked for).
    pub html: Duration,
    /// The biểu workbook (zero when not asked for).
    pub xlsx: Duration,
    /// The Word copy (zero when not asked for), with the HTML tree's compilation when `html`
    /// is not asked for too.
    pub docx: Duration,
    /// Writing every output.
    pub write: Duration,
    pub total: Duration,
}

impl Project {
    /// Open the report folder `root`; `font_dirs` add faces to the embedded ones (the folder's
    /// own fonts/ is always read).
    pub fn open(root: &Path, font_dirs: &[PathBuf]) -> Result<Self> {
        if !root.is_dir() {
            return Err(Error::msg(format!(
                "không tìm thấy thư mục báo cáo `{}`",
                root.display()
            )));
        }
        for sub in ["data", "templates"] {
            if !root.join(sub).is_dir() {
                return Err(Error::new(
                    Diagnostic::error(format!("thư mục `{}` thiếu `{sub}/`", root.display()))
                        .hint("chạy trong thư mục báo cáo, dùng `--root DIR`, hoặc tạo thư mục mới bằng `baocao init DIR`"),
                ));
            }
        }
        for d in font_dirs {
            if !d.is_dir() {
                return Err(Error::msg(format!(
                    "không tìm thấy thư mục phông chữ `{}`",
                    d.display()
                )));
            }
        }
        let mut dirs = vec![root.join("fonts")];
        dirs.extend(font_dirs.iter().cloned());
        let fonts = typeset::load_fonts(&dirs)?;
        let world = ReportWorld::new(root, fonts)?;
        Ok(Self {
            root: root.to_path_buf(),
            source_date_epoch: None,
            limits: Limits::default(),
            evict_after_build: true,
            world,
            templates: TemplateTexts::default(),
            write: WriteOptions::default(),
        })
    }

    /// Set the test hooks of every later write (the hidden `--test-*` flags).
    pub fn set_write_options(&mut self, write: WriteOptions) {
        self.write = write;
    }

    pub fn load(&self) -> Result<DataSet> {
        data::load(&self.root)
    }

    /// The default output path of a period in a format: `output/bao-cao-<period>-<year>.<ext>`.
    pub fn default_output(&self, data: &DataSet, period: Period, format: Format) -> PathBuf {
        self.root
            .join("output")
            .join(period.file_name(data.year(), format.ext()))
    }

    /// Run the whole pipeline for one period. Template paths in the diagnostics start with
    /// the report folder ([`crate::diag::in_report`]), with their lines as this build read
    /// them.
    pub fn build(&mut self, period: Option<Period>, opts: &BuildOptions) -> Result<Built> {
        self.templates.clear();
        match self.build_inner(period, opts) {
            Ok(mut built) => {
                self.templates.fill_snippets(&mut built.warnings);
                crate::diag::in_report(&mut built.warnings, &self.root);
                Ok(built)
            }
            Err(mut e) => {
                self.templates.fill_snippets(&mut e.0);
                Err(e.in_report(&self.root))
            }
        }
    }

    fn build_inner(&mut self, period: Option<Period>, opts: &BuildOptions) -> Result<Built> {
        let t0 = Instant::now();
        let formats = export::normalise(&opts.formats);
        export::check_usage(&formats, opts.output.as_deref(), opts.pdf_a)?;
        let data = self.load()?;
        let period = match period {
            Some(p) => p,
            None => data.default_period(),
        };
        // A figure that cannot be (a negative count) stops the build as it stops `check`, so
        // no output is ever made from it; the audit's warnings are listed by `check`, counted here.
        let (impossible, arithmetic): (Vec<Diagnostic>, Vec<Diagnostic>) =
            check::audit(&data, period)
                .into_iter()
                .partition(Diagnostic::is_error);
        if !impossible.is_empty() {
            return Err(Error(impossible));
        }
        // Where the outputs go, refused before any work when they would replace an input.
        let outs: Vec<(Format, PathBuf)> = match &opts.output {
            Some(p) => vec![(formats[0], p.clone())],
            None => formats
                .iter()
                .map(|&f| (f, self.default_output(&data, period, f)))
                .collect(),
        };
        let paths: Vec<&Path> = outs.iter().map(|(_, p)| p.as_path()).collect();
        output::check_targets(&self.root, &paths, opts.emit_typst.as_deref())?;
        let t_load = t0.elapsed();
        let rendered = render::render_with(
            &self.root,
            &data,
            period,
            &self.limits,
            self.templates.clone(),
        )?;
        let status = Status::new(&self.root, &data, period, &rendered);
        let layout = LayoutData::new(&data, period, status.is_draft())?;
        let layout_json = layout.to_json()?;
        let t_render = t0.elapsed();
        let date = document_date(&data, period)?;
        let standalone = match &opts.emit_typst {
            Some(_) => Some(self.standalone_markup(&rendered, &layout_json)?),
            None => None,
        };
        self.world.update(
            &rendered.markup,
            Some(layout_json),
            Datetime::from_ymd(date.0, date.1, date.2)
                .unwrap_or(Datetime::from_ymd(2000, 1, 1).expect("valid")),
        );
        // A markup error is named in Vietnamese at its template line, as `check` names it,
        // from the tree the world parsed (once; incrementally in watch).
        let syntax = render::errors_in_tree(&rendered, self.world.main_tree());
        if !syntax.is_empty() {
            return Err(Error(syntax));
        }
        if let (Some(path), Some(text)) = (&opts.emit_typst, &standalone) {
            output::write_atomic(path, text.as_bytes(), &self.write)?;
        }
        // The pages are laid out whatever the formats: the layout's checks (content past the
        // margins, header lines) hold for every output.
        let (doc, mut warnings) = self.world.compile();
        let doc = doc.map_err(|mut e| {
            e.0.append(&mut warnings);
            e
        })?;
        // Content the layout would cut off is an error, as Typst's own are.
        let overflows = self.world.overflows(&doc);
        if !overflows.is_empty() {
            return Err(Error(overflows.into_iter().chain(warnings).collect()));
        }
        warnings.extend(document::layout_warnings(&data, &typeset::notes(&doc)));
        warnings.extend(data.warnings.iter().cloned());
        // A stated ratio that no longer belongs to its figure: named in full (and the PDF is
        // a draft, `document`).
        warnings.extend(stated::stale_warnings(&data, period));
        warnings.extend(check::build_summary(&arithmetic));
        let t_typeset = t0.elapsed();
        // Every output in memory first; nothing is written unless all of them succeed.
        let table = bieu::describe(&data, period);
        let mut sources = Sources::new(
            &self.world,
            &doc,
            &rendered,
            table.as_ref(),
            &layout,
            PdfSettings {
                ident: format!("baocao-{}-{}", period.key(), data.year()),
                created: pdf::creation_time(date, self.source_date_epoch)?,
                pdf_a: opts.pdf_a,
            },
        );
        if outs.iter().any(|(f, _)| *f == Format::Xlsx) {
            let created = xlsx::WorkbookMeta::created(&data, period, self.source_date_epoch)?;
            sources.workbook = Some(xlsx::WorkbookMeta::of_document(
                &layout.van_ban,
                period,
                data.year(),
                created,
            ));
        }
        let (mut t_pdf, mut t_html, mut t_xlsx, mut t_docx) = (
            Duration::ZERO,
            Duration::ZERO,
            Duration::ZERO,
            Duration::ZERO,
        );
        let mut products: Vec<(&Path, Vec<u8>)> = Vec::with_capacity(outs.len());
        for (format, path) in &outs {
            let t = Instant::now();
            let bytes = export::produce(*format, &sources).map_err(|mut e| {
                e.0.extend(warnings.drain(..).chain(sources.take_warnings()));
                e
            })?;
            match format {
                Format::Pdf => t_pdf += t.elapsed(),
                Format::Html => t_html += t.elapsed(),
                Format::Xlsx => t_xlsx += t.elapsed(),
                Format::Docx => t_docx += t.elapsed(),
            }
            products.push((path.as_path(), bytes));
        }
        warnings.extend(sources.take_warnings());
        drop(sources);
        let t_write = Instant::now();
        let files: Vec<(&Path, &[u8])> = products.iter().map(|(p, b)| (*p, b.as_slice())).collect();
        output::write_all_atomic(&files, &self.write)?;
        let write = t_write.elapsed();
        let total = t0.elapsed();
        if self.evict_after_build {
            typeset::evict();
        }
        Ok(Built {
            outputs: outs.into_iter().map(|(_, p)| p).collect(),
            period,
            pages: doc.pages().len(),
            warnings,
            timings: Timings {
                load: t_load,
                render: t_render - t_load,
                typeset: t_typeset - t_render,
                pdf: t_pdf,
                html: t_html,
                xlsx: t_xlsx,
                docx: t_docx,
                write,
                total,
            },
            status,
        })
    }

    /// Validate data and templates without typesetting; every problem at once, each
    /// placeholder still to fill as a warning, and why the report would be a draft.
    pub fn check(&self, period: Option<Period>) -> Result<Checked> {
        match self.check_inner(period) {
            Ok(mut checked) => {
                crate::diag::in_report(&mut checked.diagnostics, &self.root);
                Ok(checked)
            }
            Err(e) => Err(e.in_report(&self.root)),
        }
    }

    fn check_inner(&self, period: Option<Period>) -> Result<Checked> {
        let data = self.load()?;
        let periods = match period {
            Some(p) => vec![p],
            None => vec![data.default_period()],
        };
        let mut diags = render::lint_templates(&self.root);
        diags.extend(data.warnings.iter().cloned());
        let mut status = vec![];
        for p in periods {
            match render::render(&self.root, &data, p, &self.limits) {
                Err(e) => diags.extend(e.0),
                Ok(rendered) => {
                    // What Typst's parser would refuse, found without typesetting.
                    diags.extend(render::syntax_errors(&rendered));
                    if let Err(e) = document_date(&data, p) {
                        // What build would refuse, check refuses too (both dates blank).
                        diags.extend(e.0);
                    }
                    status.push(Status::new(&self.root, &data, p, &rendered));
                }
            }
            diags.extend(check::audit(&data, p));
            diags.extend(stated::stale_warnings(&data, p));
        }
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Error(diags));
        }
        for s in &status {
            diags.extend(s.placeholders.iter().map(|p| p.warning()));
        }
        Ok(Checked {
            diagnostics: diags,
            status,
        })
    }

    /// `check --apply-bases`: the unique implied base of each stated ratio written in place of
    /// it, every other stated ratio tied to its figure ([`bases::apply`]); paths in the result
    /// as the user opens them.
    pub fn apply_bases(&self) -> Result<bases::Applied> {
        let data = self.load().map_err(|e| e.in_report(&self.root))?;
        bases::apply(&self.root, &data, &self.limits).map_err(|e| e.in_report(&self.root))
    }

    /// The markup as one file the typst CLI compiles alone: the layout library inlined, the
    /// layout data (`layout_data`, the JSON Typst reads at `document::DATA_PATH`) written as a
    /// dictionary in place of the call that reads it, and the DỰ THẢO mark's SVG as bytes.
    pub fn standalone_markup(&self, rendered: &Rendered, layout_data: &[u8]) -> Result<String> {
        let clean = rendered.clean();
        let templates = self.root.join("templates");
        let lib_path = templates.join("nd30.typ");
        let lib = std::fs::read_to_string(&lib_path).map_err(|e| Error::io("đọc", &lib_path, e))?;
        let import = "#import \"nd30.typ\": *";
        let mut text = match clean.find(import) {
            Some(i) => format!(
                "{}// --- templates/nd30.typ (inlined by baocao) ---\n{}\n// --- end of nd30.typ ---\n{}",
                &clean[..i],
                lib,
                &clean[i + import.len()..]
            ),
            None => clean,
        };
        if text.contains(document::DATA_CALL) {
            let data = document::typst_literal(layout_data)?;
            text = text.replace(document::DATA_CALL, &data);
        }
        let mark = format!("\"{DRAFT_MARK}\"");
        if text.contains(&mark) {
            let svg_path = templates.join(DRAFT_MARK);
            let svg =
                std::fs::read_to_string(&svg_path).map_err(|e| Error::io("đọc", &svg_path, e))?;
            text = text.replace(&mark, &format!("bytes({})", typst_string(&svg)));
        }
        Ok(text)
    }
}

/// The document's date: the report's date, or the data cut-off date when the day is blank.
pub fn document_date(data: &DataSet, period: Period) -> Result<(i32, u8, u8)> {
    let pm = data.require_period(period)?;
    let d = &pm.ngay.0;
    let c = &pm.ngay_so_lieu.0;
    match (d.day, d.month) {
        (Some(day), Some(month)) => Ok((d.year, month as u8, day as u8)),
        _ => match (c.day, c.month) {
            (Some(day), Some(month)) => Ok((c.year, month as u8, day as u8)),
            _ => Err(Error::new(
                Diagnostic::error(
                    "ngày báo cáo và ngày chốt số liệu đều để trống: không có ngày cho tệp PDF",
                )
                .at_opt(data.meta_location(&format!("cac_ky.{period}.ngay_so_lieu")))
                .hint("ghi đủ ngày chốt số liệu, ví dụ `ngay_so_lieu: 31/5/2024`"),
            )),
        },
    }
}
