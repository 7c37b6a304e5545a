//! baocao: YAML figures + Vietnamese templates -> a report typeset to PDF by Typst, following
//! Nghị định 30/2020/NĐ-CP.
//!
//! Pipeline, one module a stage: `data` (load) -> `figures`/`format` (compute, pure) ->
//! `render` (minijinja -> Typst markup) -> `typeset` (embedded Typst) -> `pdf` (export) ->
//! `output` (safe write). `document` gives the layout its data (the metadata, with `nd30`,
//! the decree's numbers); `overflow` finds content the layout pushed past the margins.
//! `project` runs the stages; `check` audits the figures; `stated` tells a stated ratio that
//! no longer belongs to its figure, `bases` finds the base a stated ratio implies;
//! `placeholder` finds the «…» left to fill and `draft` says why a report is a draft; `watch`
//! rebuilds on change, `diff` compares two data sets, `assets` carries the built-in report and
//! `init` writes a new report folder (the sample, or a blank start); `budget` bounds the time,
//! memory and template work of a command; `cli` and `main` sit on top.

pub mod assets;
pub mod bases;
pub mod bench;
pub mod bieu;
pub mod budget;
pub mod check;
pub mod cli;
pub mod data;
pub mod diag;
pub mod diff;
pub mod document;
pub mod docx;
pub mod draft;
pub mod export;
pub mod figures;
pub mod format;
pub mod html;
pub mod indicator;
pub mod init;
pub mod nd30;
pub mod output;
pub mod overflow;
pub mod pdf;
pub mod period;
pub mod placeholder;
pub mod project;
pub mod render;
pub mod source_map;
pub mod stated;
pub mod text;
pub mod typeset;
pub mod watch;
pub mod xlsx;

pub use project::Project;
