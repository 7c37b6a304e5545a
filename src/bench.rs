//! The hidden `baocao bench-rebuild`, used by tests/bench/run.sh: the time of a watch rebuild
//! after a one-figure change, measured in one process exactly as `watch` rebuilds (the same
//! `watch::Session`), and the process's memory as it goes.

use std::path::Path;

use crate::diag::{Error, Result};
use crate::period::Period;
use crate::project::{BuildOptions, Timings};
use crate::watch::Session;

/// Timings of rebuilds after a one-figure change, measured in this process exactly as `watch`
/// rebuilds (same `Session::rebuild`), plus the process's memory as they go.
#[derive(Debug)]
pub struct BenchReport {
    /// The first build in this process (project opened, world created, nothing memoised).
    pub first: Timings,
    /// Each rebuild after the figure was changed on disk.
    pub rebuilds: Vec<Timings>,
    /// Resident memory (KiB) after the first rebuild and after the last one; peak.
    pub rss_after_first_kib: Option<u64>,
    pub rss_after_last_kib: Option<u64>,
    pub peak_rss_kib: Option<u64>,
}

/// Change `from` in `file` (under the report folder) and rebuild, `runs` times, each time to a
/// value not seen before: `{n}` in `to` becomes 100, 101, … (so no rebuild can reuse the layout
/// memoised for an earlier value). The file is restored at the end.
pub fn bench_rebuild(
    root: &Path,
    period: Option<Period>,
    build: BuildOptions,
    file: &Path,
    from: &str,
    to: &str,
    runs: usize,
) -> Result<BenchReport> {
    let path = root.join(file);
    let original = std::fs::read_to_string(&path).map_err(|e| Error::io("đọc", &path, e))?;
    if !original.contains(from) {
        return Err(Error::msg(format!(
            "`{}` không có đoạn `{from}` để thay",
            path.display()
        )));
    }
    let mut session = Session::new(root, period, build, vec![]);
    let first = session.rebuild(false)?.timings;
    let mut rebuilds = Vec::with_capacity(runs);
    let mut rss_after_first = None;
    let result = (|| -> Result<()> {
        for i in 0..runs {
            let text = original.replacen(from, &to.replace("{n}", &(100 + i).to_string()), 1);
            std::fs::write(&path, text).map_err(|e| Error::io("ghi", &path, e))?;
            rebuilds.push(session.rebuild(false)?.timings);
            if i == 0 {
                rss_after_first = memory_kib("VmRSS:");
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
        rss_after_last_kib: memory_kib("VmRSS:"),
        peak_rss_kib: memory_kib("VmHWM:"),
    })
}

/// A memory figure of this process from /proc/self/status (Linux), in KiB.
fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
