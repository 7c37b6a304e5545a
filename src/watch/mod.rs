//! `baocao watch`: rebuild on every change under data/, templates/ or fonts/.
//!
//! A dependency-free poller (as mdBook's, `snapshot`): every `interval` the folders are
//! scanned for modification times and sizes; a change waits until the folder is quiet
//! (editors save in several steps), then the report is rebuilt in a worker process
//! (`worker`) that keeps the same `Project` across rebuilds, so the Typst world and its
//! memoised layout are reused and a rebuild is incremental. The worker evicts old cache
//! entries after answering each successful build, so memory stays flat and the user does not
//! wait for the eviction. Every format asked for (`--format`) is rebuilt each time. A failed
//! build writes nothing: the last good files stay in place. A font change reopens the project
//! (a new font book). A rebuild that spends its time or memory budget ends its worker, not the
//! watch: the next change starts a fresh worker.
//!
//! This module does not print: it reports `Event`s to the caller (main.rs prints them).

mod snapshot;
pub mod worker;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use snapshot::Snapshot;
use worker::{Outcome, Setup, Worker};

use crate::budget::Limits;
use crate::data::Period;
use crate::diag::{Error, Result};
use crate::project::{BuildOptions, Built, Project};

/// The folders of a report that a change is looked for in.
pub const WATCHED: [&str; 3] = ["data", "templates", "fonts"];

/// The default time between two scans.
pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(200);

/// How long the folder must stay unchanged before a rebuild starts.
const QUIET: Duration = Duration::from_millis(100);

#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub period: Option<Period>,
    /// The formats, the output file, PDF/A: as for `build`.
    pub build: BuildOptions,
    pub font_dirs: Vec<PathBuf>,
    pub interval: Duration,
    /// Stop after this many rebuilds (the first build not counted); for tests and scripts.
    pub max_rebuilds: Option<usize>,
    /// The PDF's creation time (SOURCE_DATE_EPOCH), as for `build`.
    pub source_date_epoch: Option<i64>,
    /// The budgets of each rebuild.
    pub limits: Limits,
    /// The command that starts a worker: the baocao program and its arguments
    /// (`watch-worker`, …); the rest of its setup goes through its stdin.
    pub worker: Vec<OsString>,
}

/// What happened, for the caller to show.
#[derive(Debug)]
pub enum Event<'a> {
    /// Polling started on these folders (relative to the report folder when inside it).
    Watching(&'a [PathBuf]),
    /// These files changed, added or removed (same naming); a rebuild follows.
    Changed(&'a [PathBuf]),
    /// A build succeeded; `first` for the build at start.
    Built { built: &'a Built, first: bool },
    /// A build failed; nothing was written.
    Failed(&'a Error),
    /// A rebuild spent its time or memory budget: its worker said so on stderr and ended;
    /// nothing was written.
    Stopped,
}

/// Which part of the report a changed file belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// data/: figures (re-render and re-typeset)
    Data,
    /// templates/: wording or layout (re-render and re-typeset)
    Templates,
    /// fonts/ or a `--font-dir`: the font book changes, the world is rebuilt
    Fonts,
}

/// The kind of change of `rel`, a path relative to the report folder; font folders given with
/// `--font-dir` are absolute and count as fonts.
pub fn classify(rel: &Path) -> ChangeKind {
    if rel.starts_with("data") {
        ChangeKind::Data
    } else if rel.starts_with("templates") {
        ChangeKind::Templates
    } else {
        ChangeKind::Fonts
    }
}

/// One report kept open across builds: the project (and its Typst world) is created once and
/// reused; only a font change, or a failure to open, makes it be created again.
pub struct Session {
    pub root: PathBuf,
    period: Option<Period>,
    build: BuildOptions,
    font_dirs: Vec<PathBuf>,
    project: Option<Project>,
    /// The PDF's creation time (SOURCE_DATE_EPOCH), as for `build`.
    pub source_date_epoch: Option<i64>,
    /// The template budgets of each build (fuel, markup size).
    pub limits: Limits,
    /// Whether each build evicts Typst's old cache entries itself (`Project`); the worker
    /// evicts after answering.
    pub evict_after_build: bool,
}

impl Session {
    pub fn new(
        root: &Path,
        period: Option<Period>,
        build: BuildOptions,
        font_dirs: Vec<PathBuf>,
    ) -> Self {
        Self {
            root: root.to_path_buf(),
            period,
            build,
            font_dirs,
            project: None,
            source_date_epoch: None,
            limits: Limits::default(),
            evict_after_build: true,
        }
    }

    /// The folders to poll: data/, templates/, fonts/ and every `--font-dir`.
    pub fn watched_dirs(&self) -> Vec<PathBuf> {
        watched_dirs(&self.root, &self.font_dirs)
    }

    /// Build (again). `reopen` drops the world first (fonts changed).
    pub fn rebuild(&mut self, reopen: bool) -> Result<Built> {
        if reopen {
            self.project = None;
        }
        let project = match self.project.take() {
            Some(p) => p,
            None => {
                let mut p = Project::open(&self.root, &self.font_dirs)?;
                p.source_date_epoch = self.source_date_epoch;
                p.limits = self.limits;
                p.evict_after_build = self.evict_after_build;
                p
            }
        };
        self.project.insert(project).build(self.period, &self.build)
    }

    /// A path as the user knows it: relative to the report folder when inside it.
    pub fn display_path(&self, p: &Path) -> PathBuf {
        display_path(&self.root, p)
    }
}

/// The folders to poll: data/, templates/, fonts/ of `root` and every `--font-dir`.
pub fn watched_dirs(root: &Path, font_dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = WATCHED.iter().map(|d| root.join(d)).collect();
    dirs.extend(font_dirs.iter().cloned());
    dirs
}

/// A path as the user knows it: relative to the report folder `root` when inside it.
pub fn display_path(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

/// The watch's worker, started when a rebuild needs one (at first, and after one ended).
struct Workers<'a> {
    opts: &'a Options,
    current: Option<Worker>,
}

impl Workers<'_> {
    /// Rebuild in the current worker, or a fresh one; `reopen`: fonts changed.
    fn rebuild(&mut self, reopen: bool) -> Outcome {
        let (worker, reopen) = match self.current.take() {
            Some(w) if !w.ended() => (w, reopen),
            _ => {
                let setup = Setup::new(
                    self.opts.root.clone(),
                    self.opts.period,
                    self.opts.build.clone(),
                    self.opts.font_dirs.clone(),
                    self.opts.source_date_epoch,
                    self.opts.limits,
                );
                match Worker::start(&self.opts.worker, &setup) {
                    // A fresh worker opens the project anyway.
                    Ok(w) => (w, false),
                    Err(e) => return Outcome::Failed(e),
                }
            }
        };
        let worker = self.current.insert(worker);
        worker.rebuild(reopen)
    }
}

/// Watch the report folder and rebuild on every change until stopped (Ctrl+C), or until
/// `max_rebuilds` rebuilds were done.
pub fn run(opts: &Options, mut report: impl FnMut(Event)) -> Result<()> {
    if !opts.root.is_dir() {
        return Err(Error::msg(format!(
            "không tìm thấy thư mục báo cáo `{}`",
            opts.root.display()
        )));
    }
    let dirs = watched_dirs(&opts.root, &opts.font_dirs);
    let shown: Vec<PathBuf> = dirs.iter().map(|d| display_path(&opts.root, d)).collect();
    report(Event::Watching(&shown));

    let mut workers = Workers {
        opts,
        current: None,
    };
    // The files this watch wrote (canonical paths), left out of the scans.
    let mut own: Vec<PathBuf> = vec![];
    let mut snapshot = Snapshot::scan(&dirs, &own);
    let outcome = workers.rebuild(false);
    show(outcome, true, &mut snapshot, &mut own, &mut report);

    let mut rebuilds = 0;
    loop {
        if opts.max_rebuilds.is_some_and(|max| rebuilds >= max) {
            return Ok(());
        }
        std::thread::sleep(opts.interval);
        let mut now = Snapshot::scan(&dirs, &own);
        if now == snapshot {
            continue;
        }
        // Let the editor finish writing: wait until two scans agree (at most about a second).
        let settle = Instant::now();
        loop {
            std::thread::sleep(QUIET);
            let again = Snapshot::scan(&dirs, &own);
            if again == now || settle.elapsed() > Duration::from_secs(1) {
                now = again;
                break;
            }
            now = again;
        }
        let changed = snapshot.changes(&now);
        snapshot = now;
        if changed.is_empty() {
            continue;
        }
        let rel: Vec<PathBuf> = changed
            .iter()
            .map(|p| display_path(&opts.root, p))
            .collect();
        report(Event::Changed(&rel));
        let fonts = rel.iter().any(|p| classify(p) == ChangeKind::Fonts);
        let outcome = workers.rebuild(fonts);
        show(outcome, false, &mut snapshot, &mut own, &mut report);
        rebuilds += 1;
    }
}

/// Report what a rebuild came to.
fn show(
    outcome: Outcome,
    first: bool,
    snapshot: &mut Snapshot,
    own: &mut Vec<PathBuf>,
    report: &mut impl FnMut(Event),
) {
    match outcome {
        Outcome::Built(built) => {
            note_output(&built, snapshot, own);
            report(Event::Built {
                built: &built,
                first,
            })
        }
        Outcome::Failed(e) => report(Event::Failed(&e)),
        Outcome::Stopped => report(Event::Stopped),
    }
}

/// Remember the files a build wrote, so that writing them is not taken for a change.
fn note_output(built: &Built, snapshot: &mut Snapshot, own: &mut Vec<PathBuf>) {
    for out in &built.outputs {
        if let Ok(c) = out.canonicalize()
            && !own.contains(&c)
        {
            own.push(c);
            snapshot.forget(own);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_classified_by_folder() {
        assert_eq!(
            classify(Path::new("data/chi-tieu/kinh-te.yaml")),
            ChangeKind::Data
        );
        assert_eq!(
            classify(Path::new("templates/nd30.typ")),
            ChangeKind::Templates
        );
        assert_eq!(classify(Path::new("fonts/a.ttf")), ChangeKind::Fonts);
        assert_eq!(
            classify(Path::new("/usr/share/fonts/a.ttf")),
            ChangeKind::Fonts
        );
    }
}
