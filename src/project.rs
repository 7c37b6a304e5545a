//! The pipeline of one report folder: load data -> render templates -> typeset -> write PDF.
//! (`figures` and `format` are pure and called from `render`; `check` audits the figures.)

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use typst::foundations::Datetime;

use crate::data::{self, DataSet, Period};
use crate::diag::{Diagnostic, Error, Result};
use crate::output::{self, WriteOptions};
use crate::render::{self, Rendered};
use crate::typeset::{self, ReportWorld};
use crate::{check, pdf};

/// A report folder with its Typst world, kept across rebuilds.
pub struct Project {
    pub root: PathBuf,
    world: ReportWorld,
    /// How outputs are written (test hooks; all off by default).
    write: WriteOptions,
}

/// What a build produced.
#[derive(Debug)]
pub struct Built {
    pub output: PathBuf,
    pub period: Period,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub load: Duration,
    pub render: Duration,
    pub typeset: Duration,
    pub pdf: Duration,
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
            world,
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

    /// The default output path of a period: output/bao-cao-<period>-<year>.pdf.
    pub fn default_output(&self, data: &DataSet, period: Period) -> Result<PathBuf> {
        Ok(self
            .root
            .join("output")
            .join(period.file_name(data.year(), "pdf")))
    }

    /// Run the whole pipeline for one period.
    pub fn build(
        &mut self,
        period: Option<Period>,
        output: Option<&Path>,
        emit_typst: Option<&Path>,
    ) -> Result<Built> {
        let t0 = Instant::now();
        let data = self.load()?;
        let period = match period {
            Some(p) => p,
            None => data.default_period(),
        };
        // A figure that cannot be (a negative count) stops the build as it stops `check`, so
        // no PDF is ever made from it; the audit's warnings stay with `check`.
        let impossible: Vec<Diagnostic> = check::audit(&data, period)
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        if !impossible.is_empty() {
            return Err(Error(impossible));
        }
        // Where the outputs go, refused before any work when they would replace an input.
        let out = match output {
            Some(p) => p.to_path_buf(),
            None => self.default_output(&data, period)?,
        };
        output::check_targets(&self.root, &out, emit_typst)?;
        let t_load = t0.elapsed();
        let rendered = render::render(&self.root, &data, period)?;
        let t_render = t0.elapsed();
        let date = document_date(&data, period)?;
        if let Some(path) = emit_typst {
            let text = self.standalone_markup(&rendered)?;
            output::write_atomic(path, text.as_bytes(), &self.write)?;
        }
        self.world.update(
            &rendered.markup,
            Datetime::from_ymd(date.0, date.1, date.2)
                .unwrap_or(Datetime::from_ymd(2000, 1, 1).expect("valid")),
        );
        let (doc, mut warnings) = self.world.compile();
        let doc = doc.map_err(|mut e| {
            e.0.append(&mut warnings);
            e
        })?;
        let t_typeset = t0.elapsed();
        let year = data.year();
        let bytes = pdf::export(
            &doc,
            &format!("baocao-{}-{year}", period.key()),
            pdf::timestamp(date)?,
        )?;
        output::write_atomic(&out, &bytes, &self.write)?;
        let total = t0.elapsed();
        typeset::evict();
        Ok(Built {
            output: out,
            period,
            pages: doc.pages().len(),
            warnings,
            timings: Timings {
                load: t_load,
                render: t_render - t_load,
                typeset: t_typeset - t_render,
                pdf: total - t_typeset,
                total,
            },
        })
    }

    /// Validate data and templates without typesetting; every problem at once.
    pub fn check(&self, period: Option<Period>) -> Result<Vec<Diagnostic>> {
        let data = self.load()?;
        let periods = match period {
            Some(p) => vec![p],
            None => vec![data.default_period()],
        };
        let mut diags = render::lint_templates(&self.root);
        for p in periods {
            if let Err(e) = render::render(&self.root, &data, p) {
                diags.extend(e.0);
            } else if let Err(e) = document_date(&data, p) {
                // What build would refuse, check refuses too (both dates blank).
                diags.extend(e.0);
            }
            diags.extend(check::audit(&data, p));
        }
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Error(diags));
        }
        Ok(diags)
    }

    /// The markup with the layout library inlined: one file the typst CLI compiles alone.
    pub fn standalone_markup(&self, rendered: &Rendered) -> Result<String> {
        let clean = rendered.clean();
        let lib_path = self.root.join("templates").join("nd30.typ");
        let lib = std::fs::read_to_string(&lib_path).map_err(|e| Error::io("đọc", &lib_path, e))?;
        let import = "#import \"nd30.typ\": *";
        Ok(match clean.find(import) {
            Some(i) => format!(
                "{}// --- templates/nd30.typ (inlined by baocao) ---\n{}\n// --- end of nd30.typ ---\n{}",
                &clean[..i],
                lib,
                &clean[i + import.len()..]
            ),
            None => clean,
        })
    }

    /// Render only (used by `diff`).
    pub fn render(&self, data: &DataSet, period: Period) -> Result<Rendered> {
        render::render(&self.root, data, period)
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
                .at_opt(data::find_key_location(&data.meta_path, "ngay_so_lieu"))
                .hint("ghi đủ ngày chốt số liệu, ví dụ `ngay_so_lieu: 31/5/2024`"),
            )),
        },
    }
}
