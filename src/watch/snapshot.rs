//! The poller's view of the watched folders: modification time and size of every file.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

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

#[cfg(test)]
mod tests {
    use super::*;

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
