//! Integration tests: one binary (linked once), one module a feature. Each test copies the
//! default report (data/, templates/) into a temporary folder and runs the real `baocao`.

mod fixture;
mod snapshot;

mod accepted;
mod blank;
mod budgets;
mod build;
mod check;
mod concurrency;
mod corpus;
mod diagnostics;
mod diff;
mod docx;
mod fixtures;
mod formats;
mod hardening;
mod init;
mod injection;
mod layout;
mod output;
mod output_props;
mod periods;
mod props;
mod report;
mod scale;
mod schema;
mod stated;
mod watch;
mod wording;
mod xlsx;
