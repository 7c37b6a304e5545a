//! The output formats of a build, and the one seam their writers plug into.
//!
//! A build loads, renders and typesets once; then every requested [`Format`]'s writer turns
//! the build's products ([`Sources`]) into bytes, all in memory. Only when every writer has
//! succeeded does `project` write the files, together (`output::write_all_atomic`): one failing
//! format writes nothing, and the previous files stay as they were.
//!
//! Adding a format (as the Word copy was) is one variant of [`Format`] (its name and file
//! extension) and one writer function called from [`produce`], which takes what it needs:
//! - [`Sources::paged`], the laid-out pages (the PDF);
//! - [`Sources::html_document`], the HTML tree of the same markup for Typst's HTML target,
//!   compiled once on first use and shared (the HTML copy; a DOCX writer may walk it: the
//!   elements and classes are listed at the top of `html`; the Word copy walks it);
//! - [`Sources::rendered`], the rendered Typst markup;
//! - [`Sources::table`], the appendix's description (`bieu::Table`);
//! - [`Sources::layout`], the document's metadata (`document::Document`) and the decree's
//!   numbers (`nd30::Nd30`).

use std::cell::{OnceCell, RefCell};
use std::path::Path;

use serde::{Deserialize, Serialize};
use typst_html::HtmlDocument;
use typst_layout::PagedDocument;

use crate::bieu;
use crate::budget::{self, Stage};
use crate::diag::{Diagnostic, Error, Result};
use crate::document::LayoutData;
use crate::pdf::PdfSettings;
use crate::render::Rendered;
use crate::typeset::ReportWorld;
use crate::{docx, html, pdf, xlsx};

/// A format baocao writes. The order of the variants is the order outputs are produced,
/// written and listed in.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    clap::ValueEnum,
    Serialize,
    Deserialize,
)]
pub enum Format {
    /// The signed, printed report (Nghị định 30's layout).
    #[value(name = "pdf")]
    Pdf,
    /// The web copy for the portal: one self-contained HTML file.
    #[value(name = "html")]
    Html,
    /// The biểu as an Excel workbook, for the level above (`xlsx::bieu_workbook`).
    #[value(name = "xlsx")]
    Xlsx,
    /// The Word copy: the same report in Word's own structures (`docx::write`).
    #[value(name = "docx")]
    Docx,
}

/// The format names, for messages: "pdf, html".
pub const NAMES: &str = "pdf, html, xlsx, docx";

impl Format {
    pub const ALL: [Format; 4] = [Format::Pdf, Format::Html, Format::Xlsx, Format::Docx];

    /// The name on the command line, and the output file's extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
        }
    }

    /// The format a file name's extension names (any case).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Self::ALL.into_iter().find(|f| f.ext() == ext)
    }
}

/// The formats asked for, once each, in [`Format`]'s order; `pdf` when none.
pub fn normalise(formats: &[Format]) -> Vec<Format> {
    let mut v = formats.to_vec();
    v.sort();
    v.dedup();
    if v.is_empty() {
        v.push(Format::Pdf);
    }
    v
}

/// Check the command line's choice of outputs before any work: `-o FILE` names one file, so it
/// takes one format, whose extension it must have; `--pdf-a` needs the PDF. An error here is
/// bad usage (exit code 2).
pub fn check_usage(formats: &[Format], output: Option<&Path>, pdf_a: bool) -> Result<()> {
    if let Some(out) = output {
        if formats.len() > 1 {
            let list: Vec<&str> = formats.iter().map(|f| f.ext()).collect();
            return Err(Error::new(
                Diagnostic::error(format!(
                    "`-o {}` ghi một tệp, nhưng `--format {}` yêu cầu {} định dạng",
                    out.display(),
                    list.join(","),
                    formats.len()
                ))
                .hint(
                    "bỏ `-o` để ghi mỗi định dạng vào `output/bao-cao-<kỳ>-<năm>.<đuôi>`, \
                     hoặc dựng từng định dạng với `-o` riêng",
                ),
            ));
        }
        let format = formats.first().copied().unwrap_or(Format::Pdf);
        if Format::from_path(out) != Some(format) {
            let stem = out
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "bao-cao".into());
            return Err(Error::new(
                Diagnostic::error(format!(
                    "`-o {}`: tệp {} phải có đuôi `.{}`",
                    out.display(),
                    format.ext().to_uppercase(),
                    format.ext()
                ))
                .hint(format!(
                    "ví dụ `-o {}`; định dạng chọn bằng `--format` ({NAMES}), mặc định pdf",
                    out.with_file_name(format!("{stem}.{}", format.ext()))
                        .display()
                )),
            ));
        }
    }
    if pdf_a && !formats.contains(&Format::Pdf) {
        return Err(Error::new(
            Diagnostic::error("`--pdf-a` chỉ dùng được khi dựng PDF")
                .hint("thêm `pdf` vào `--format`, ví dụ `--format pdf,html --pdf-a`"),
        ));
    }
    Ok(())
}

/// What one build produced, for the writers. The HTML tree is compiled on first use.
pub struct Sources<'a> {
    world: &'a ReportWorld,
    pub paged: &'a PagedDocument,
    pub rendered: &'a Rendered,
    pub table: Option<&'a bieu::Table>,
    pub layout: &'a LayoutData,
    pub pdf: PdfSettings,
    /// The workbook's properties, when `xlsx` is asked for.
    pub workbook: Option<xlsx::WorkbookMeta>,
    html: OnceCell<HtmlDocument>,
    warnings: RefCell<Vec<Diagnostic>>,
}

impl<'a> Sources<'a> {
    pub fn new(
        world: &'a ReportWorld,
        paged: &'a PagedDocument,
        rendered: &'a Rendered,
        table: Option<&'a bieu::Table>,
        layout: &'a LayoutData,
        pdf: PdfSettings,
    ) -> Self {
        Self {
            world,
            paged,
            rendered,
            table,
            layout,
            pdf,
            workbook: None,
            html: OnceCell::new(),
            warnings: RefCell::new(vec![]),
        }
    }

    /// The HTML tree of the report (Typst's HTML target on the same world and markup),
    /// compiled on the first call; its warnings are kept for [`Self::take_warnings`], whether
    /// or not it fails.
    pub fn html_document(&self) -> Result<&HtmlDocument> {
        if let Some(doc) = self.html.get() {
            return Ok(doc);
        }
        let (doc, warnings) = self.world.compile_html();
        // Kept for the build to report, with its errors when there are some.
        self.warnings.borrow_mut().extend(warnings);
        let doc = doc?;
        Ok(self.html.get_or_init(|| doc))
    }

    /// The warnings the writers met so far (the HTML compilation's).
    pub fn take_warnings(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.warnings.borrow_mut())
    }
}

/// The bytes of one output.
pub fn produce(format: Format, sources: &Sources) -> Result<Vec<u8>> {
    // For the message of a spent time or memory budget (`budget`).
    let _stage = budget::enter(match format {
        Format::Pdf => Stage::Pdf,
        Format::Html => Stage::Html,
        Format::Xlsx => Stage::Xlsx,
        Format::Docx => Stage::Docx,
    });
    match format {
        Format::Pdf => pdf::export(sources.paged, &sources.pdf, sources.world),
        Format::Html => html::export(sources),
        Format::Xlsx => {
            let Some(table) = sources.table else {
                return Err(Error::new(
                    Diagnostic::error("báo cáo không có biểu kèm theo: không có gì để ghi ra Excel")
                        .hint("thêm `data/bieu.yaml` (xem templates/HUONG-DAN.md), hoặc bỏ `xlsx` khỏi `--format`"),
                ));
            };
            let meta = sources.workbook.as_ref().ok_or_else(|| {
                Error::msg("thiếu thông tin văn bản của bảng tính (lỗi của baocao)")
            })?;
            xlsx::bieu_workbook(table, meta)
        }
        Format::Docx => docx::write(
            sources.html_document()?,
            sources.layout,
            sources.table,
            sources.pdf.created,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_deduplicated_in_order() {
        assert_eq!(normalise(&[]), vec![Format::Pdf]);
        assert_eq!(
            normalise(&[Format::Html, Format::Pdf, Format::Html]),
            vec![Format::Pdf, Format::Html]
        );
        assert_eq!(Format::from_path(Path::new("a/b.HTML")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("b.htm")), None);
        assert_eq!(Format::from_path(Path::new("b")), None);
    }

    #[test]
    fn output_option_takes_one_format_with_its_extension() {
        let pdf = [Format::Pdf];
        let html = [Format::Html];
        let both = [Format::Pdf, Format::Html];
        assert!(check_usage(&pdf, Some(Path::new("x.pdf")), false).is_ok());
        assert!(check_usage(&html, Some(Path::new("x.html")), false).is_ok());
        assert!(check_usage(&both, None, true).is_ok());
        let e = check_usage(&both, Some(Path::new("x.pdf")), false).unwrap_err();
        assert!(e.0[0].message.contains("2 định dạng"), "{}", e.0[0].message);
        let e = check_usage(&html, Some(Path::new("x.pdf")), false).unwrap_err();
        assert!(e.0[0].message.contains("`.html`"), "{}", e.0[0].message);
        assert!(
            e.0[0].hints[0].contains("`-o x.html`"),
            "{:?}",
            e.0[0].hints
        );
        assert!(check_usage(&pdf, Some(Path::new("x")), false).is_err());
        let e = check_usage(&html, None, true).unwrap_err();
        assert!(e.0[0].message.contains("`--pdf-a`"));
    }
}
