//! `baocao watch`: rebuild on every change under data/, templates/ or fonts/.
//!
//! A dependency-free poller (as mdBook's): every `interval` the folders are scanned for
//! modification times and sizes; a change waits until the folder is quiet (editors save in
//! several steps), then the report is rebuilt by the same `Project`, so the Typst world and
//! its memoised layout are reused and a rebuild is incremental. `Project::build` evicts old
//! cache entries after every build, so memory stays flat. Every format asked for (`--format`)
//! is rebuilt each time. A failed build writes nothing: the last good files stay in place. A font change reopens the project (a new font book).
//!
//! This module does not print: it reports `Event`s to the caller (main.rs prints them).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

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

/// Modification time and size of every file under the watched folders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<PathBuf, (Option<SystemTime>, u64)>);

impl Snapshot {
    /// Scan `dirs`, leaving out the files in `own` (canonical paths of what watch itself
    /// writes: a PDF written into a watched folder must not trigger the next rebuild).
    /// Each real folder is walked once, however many links lead to it, so a link back up
    /// the tree (`data/so-lieu/a -> ..`) is no endless walk.
    pub fn scan(dirs: &[PathBuf], own: &[PathBuf]) -> Self {
        let mut map = BTreeMap::new();
        let mut seen = HashSet::new();
        for d in dirs {
            scan_dir(d, own, &mut seen, &mut map);
        }
        Snapshot(map)
    }

    /// Drop the entries of files in `own` (see `scan`).
    pub fn forget(&mut self, own: &[PathBuf]) {
        self.0.retain(|p, _| !is_own(p, own));
    }

    /// Files added, removed or modified between `self` and `newer`.
    pub fn changes(&self, newer: &Snapshot) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = vec![];
        for (p, v) in &newer.0 {
            if self.0.get(p) != Some(v) {
                out.push(p.clone());
            }
        }
        for p in self.0.keys() {
            if !newer.0.contains_key(p) {
                out.push(p.clone());
            }
        }
        out.sort();
        out
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Editor droppings that must not trigger a rebuild: hidden files (vim's `.x.swp`, our own
/// `.x.tmp`), backups (`x~`), vim's write test file `4913`.
fn ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Whether `path` is one of `own` (compared canonically, only when the names agree).
fn is_own(path: &Path, own: &[PathBuf]) -> bool {
    own.iter()
        .any(|o| o.file_name() == path.file_name() && path.canonicalize().is_ok_and(|c| c == *o))
}

/// A folder's identity (device and inode): the same for every path that leads to it.
fn folder_id(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

fn scan_dir(
    dir: &Path,
    own: &[PathBuf],
    seen: &mut HashSet<(u64, u64)>,
    map: &mut BTreeMap<PathBuf, (Option<SystemTime>, u64)>,
) {
    // Follow a link to the folder, but walk each real folder once.
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            if !seen.insert(folder_id(&meta)) {
                return;
            }
        }
        _ => return,
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<(PathBuf, bool)> = rd
        .flatten()
        .filter(|e| !ignored(&e.file_name().to_string_lossy()))
        .map(|e| {
            let is_link = e.file_type().is_ok_and(|t| t.is_symlink());
            (e.path(), is_link)
        })
        .collect();
    // Real entries before links, so a folder is named by its own path when a link to it
    // sits beside it.
    entries.sort_by_key(|(_, is_link)| *is_link);
    for (path, _) in entries {
        // Follow symlinks: a linked data file is watched like any other.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            scan_dir(&path, own, seen, map);
        } else if !is_own(&path, own) {
            map.insert(path, (meta.modified().ok(), meta.len()));
        }
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
        }
    }

    /// The folders to poll: data/, templates/, fonts/ and every `--font-dir`.
    pub fn watched_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = WATCHED.iter().map(|d| self.root.join(d)).collect();
        dirs.extend(self.font_dirs.iter().cloned());
        dirs
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
                p
            }
        };
        self.project.insert(project).build(self.period, &self.build)
    }

    /// A path as the user knows it: relative to the report folder when inside it.
    pub fn display_path(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
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
    let mut session = Session::new(
        &opts.root,
        opts.period,
        opts.build.clone(),
        opts.font_dirs.clone(),
    );
    session.source_date_epoch = opts.source_date_epoch;
    let dirs = session.watched_dirs();
    let shown: Vec<PathBuf> = dirs.iter().map(|d| session.display_path(d)).collect();
    report(Event::Watching(&shown));

    // The files this watch wrote (canonical paths), left out of the scans.
    let mut own: Vec<PathBuf> = vec![];
    let mut snapshot = Snapshot::scan(&dirs, &own);
    match session.rebuild(false) {
        Ok(built) => {
            note_output(&built, &mut snapshot, &mut own);
            report(Event::Built {
                built: &built,
                first: true,
            })
        }
        Err(e) => report(Event::Failed(&e)),
    }

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
        let rel: Vec<PathBuf> = changed.iter().map(|p| session.display_path(p)).collect();
        report(Event::Changed(&rel));
        let fonts = rel.iter().any(|p| classify(p) == ChangeKind::Fonts);
        match session.rebuild(fonts) {
            Ok(built) => {
                note_output(&built, &mut snapshot, &mut own);
                report(Event::Built {
                    built: &built,
                    first: false,
                })
            }
            Err(e) => report(Event::Failed(&e)),
        }
        rebuilds += 1;
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

    #[test]
    fn editor_droppings_are_ignored() {
        for name in [
            ".kinh-te.yaml.swp",
            "kinh-te.yaml~",
            "4913",
            ".bao-cao.pdf.1.0.tmp",
        ] {
            assert!(ignored(name), "{name}");
        }
        assert!(!ignored("kinh-te.yaml"));
    }

    #[test]
    fn snapshot_sees_added_modified_and_removed_files() {
        let dir = std::env::temp_dir().join(format!("baocao-watch-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let dirs = vec![dir.join("data")];
        std::fs::write(dir.join("data/a.yaml"), "a: 1").unwrap();
        let s0 = Snapshot::scan(&dirs, &[]);
        assert_eq!(s0.len(), 1);
        std::fs::write(dir.join("data/a.yaml"), "a: 12").unwrap();
        std::fs::write(dir.join("data/b.yaml"), "b: 1").unwrap();
        std::fs::write(dir.join("data/.a.yaml.swp"), "x").unwrap();
        let s1 = Snapshot::scan(&dirs, &[]);
        assert_eq!(
            s0.changes(&s1),
            vec![dir.join("data/a.yaml"), dir.join("data/b.yaml")]
        );
        std::fs::remove_file(dir.join("data/b.yaml")).unwrap();
        let s2 = Snapshot::scan(&dirs, &[]);
        assert_eq!(s1.changes(&s2), vec![dir.join("data/b.yaml")]);
        // A file watch writes itself is left out, and forgotten from an older snapshot.
        let own = vec![dir.join("data/a.yaml").canonicalize().unwrap()];
        assert!(Snapshot::scan(&dirs, &own).is_empty());
        let mut s3 = s2.clone();
        s3.forget(&own);
        assert!(s3.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn links_back_up_the_tree_are_walked_once() {
        let dir = std::env::temp_dir().join(format!("baocao-watch-cycle-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data/so-lieu")).unwrap();
        std::fs::write(dir.join("data/a.yaml"), "a: 1").unwrap();
        std::fs::write(dir.join("data/so-lieu/b.yaml"), "b: 1").unwrap();
        for (name, target) in [("a", ".."), ("b", ".."), ("c", "."), ("d", "../..")] {
            std::os::unix::fs::symlink(target, dir.join("data/so-lieu").join(name)).unwrap();
        }
        let s = Snapshot::scan(&[dir.join("data")], &[]);
        let files: Vec<&PathBuf> = s.0.keys().collect();
        // Each file once, by its real path; `d` leads out of data/ to the report folder,
        // which is walked once too (and holds data/, already seen).
        assert_eq!(
            files,
            vec![&dir.join("data/a.yaml"), &dir.join("data/so-lieu/b.yaml")]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
