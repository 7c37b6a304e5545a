//! The hidden `baocao bench-rebuild`, used by tests/bench/run.sh: the time of a watch rebuild
//! after a one-figure change, measured exactly as `watch` rebuilds (a worker process that
//! keeps the project, `watch::worker`, asked over its pipe), and the worker's memory as it
//! goes.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::budget::Limits;
use crate::diag::{Error, Result};
use crate::period::Period;
use crate::project::{BuildOptions, Timings};
use crate::watch::worker::{Outcome, Setup, Worker};

/// Timings of rebuilds after a one-figure change, measured as `watch` rebuilds, plus the
/// worker's memory as they go.
#[derive(Debug)]
pub struct BenchReport {
    /// The first build in the worker (project opened, world created, nothing memoised).
    pub first: Timings,
    /// Each rebuild after the figure was changed on disk. `total` is the round trip through
    /// the worker's pipe, as `watch` waits for it.
    pub rebuilds: Vec<Timings>,
    /// The worker's resident memory (KiB) after the first rebuild and after the last one; its
    /// peak.
    pub rss_after_first_kib: Option<u64>,
    pub rss_after_last_kib: Option<u64>,
    pub peak_rss_kib: Option<u64>,
}

/// The report folder and how its worker is started (as `watch::Options` has them).
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub period: Option<Period>,
    /// The formats, the output file, PDF/A: as for `build`.
    pub build: BuildOptions,
    pub limits: Limits,
    /// The command that starts a worker (see `watch::Options::worker`).
    pub worker: Vec<OsString>,
}

/// Change `from` in `file` (under the report folder) and rebuild, `runs` times, each time to a
/// value not seen before: `{n}` in `to` becomes 100, 101, … (so no rebuild can reuse the layout
/// memoised for an earlier value). The file is restored at the end.
pub fn bench_rebuild(
    opts: &Options,
    file: &Path,
    from: &str,
    to: &str,
    runs: usize,
) -> Result<BenchReport> {
    let path = opts.root.join(file);
    let original = std::fs::read_to_string(&path).map_err(|e| Error::io("đọc", &path, e))?;
    if !original.contains(from) {
        return Err(Error::msg(format!(
            "`{}` không có đoạn `{from}` để thay",
            path.display()
        )));
    }
    let setup = Setup::new(
        opts.root.clone(),
        opts.period,
        opts.build.clone(),
        vec![],
        None,
        opts.limits,
    );
    let mut worker = Worker::start(&opts.worker, &setup)?;
    let pid = worker.pid();
    let first = built(worker.rebuild(false))?;
    let mut rebuilds = Vec::with_capacity(runs);
    let mut rss_after_first = None;
    let result = (|| -> Result<()> {
        for i in 0..runs {
            let text = original.replacen(from, &to.replace("{n}", &(100 + i).to_string()), 1);
            std::fs::write(&path, text).map_err(|e| Error::io("ghi", &path, e))?;
            rebuilds.push(built(worker.rebuild(false))?);
            if i == 0 {
                rss_after_first = memory_kib(pid, "VmRSS:");
            }
        }
        Ok(())
    })();
    std::fs::write(&path, &original).map_err(|e| Error::io("ghi", &path, e))?;
    result?;
    Ok(BenchReport {
        first,
        rebuilds,
        rss_after_first_kib: rss_after_first,
        rss_after_last_kib: memory_kib(pid, "VmRSS:"),
        peak_rss_kib: memory_kib(pid, "VmHWM:"),
    })
}

/// The timings of a build that succeeded.
fn built(outcome: Outcome) -> Result<Timings> {
    match outcome {
        Outcome::Built(b) => Ok(b.timings),
        Outcome::Failed(e) => Err(e),
        Outcome::Stopped => Err(Error::msg("tiến trình dựng đã dừng (xem thông báo ở trên)")),
    }
}

/// A memory figure of process `pid` from /proc/<pid>/status (Linux), in KiB.
fn memory_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
