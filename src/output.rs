//! Stage 6: write what a build produces (the PDF, the `--emit-typst` file) without ever
//! losing the last good one, and without being turned against the user in a shared folder.
//!
//! A write goes to a temporary file beside the target, then is renamed over it, so a failure
//! at any step leaves the old file as it was. The temporary file is
//! - named unpredictably, `.<name>.<16 hex digits>.tmp` (the name cut so that the whole stays
//!   within the file system's limit: a target name of 255 bytes still works);
//! - created exclusively and never through a link (`O_CREAT | O_EXCL | O_NOFOLLOW`), private
//!   (0600) until it is complete, and reached through a descriptor of its folder only
//!   (`openat`, `renameat`), so no path is resolved twice;
//! - locked (`flock`) while it is written: an unlocked one of that naming beside the target is
//!   the leftover of a killed writer, and the next write to the target removes it;
//! - removed on SIGINT, SIGTERM and SIGHUP (`signals`).
//!
//! Before anything is written, `check_targets` refuses a target that would replace one of the
//! report's inputs, or the other output of the same build (`target`).

mod signals;
mod target;

use std::ffi::{CString, OsStr, OsString};
use std::fs::File;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

pub use signals::remove_registered as remove_temporary_files;
pub use target::{check_targets, landing};

use crate::diag::{Diagnostic, Error, Result, io_reason};

/// Test hooks of a write (the hidden `--test-*` flags of `build`); all off by default.
#[derive(Clone, Debug, Default)]
pub struct WriteOptions {
    /// Use this name for the temporary file instead of a random one (so that a test can plant
    /// a link there first).
    pub temp_name: Option<OsString>,
    /// Fail after part of the bytes were written.
    pub fail_while_writing: bool,
    /// Called with the temporary file's path once it holds every byte, before the rename
    /// (a test sends a signal meanwhile).
    pub hold: Option<fn(&Path)>,
}

/// The bytes a temporary name adds to the target's: `.`, `.`, 16 hex digits, `.tmp`.
const TEMP_OVERHEAD: usize = 1 + 1 + 16 + 4;

/// How many random names are tried before giving up (a clash is all but impossible).
const ATTEMPTS: usize = 8;

/// Write `bytes` to `path` atomically (see the module's documentation).
pub fn write_atomic(path: &Path, bytes: &[u8], opts: &WriteOptions) -> Result<()> {
    write_all_atomic(&[(path, bytes)], opts)
}

/// Write several files as one: every temporary file is written in full first, and only then
/// are they renamed over their targets, one after the other. A failure before the renames
/// (no room, no permission, a folder that cannot be made) removes every temporary file and
/// leaves every target as it was. The renames themselves, in folders already open, do not fail
/// but for a vanished folder; should one fail, the targets renamed before it keep their new
/// content.
pub fn write_all_atomic(files: &[(&Path, &[u8])], opts: &WriteOptions) -> Result<()> {
    let _stage = crate::budget::enter(crate::budget::Stage::Write);
    // The folders first, so that temporary files can borrow them.
    let mut places = Vec::with_capacity(files.len());
    for (path, _) in files {
        let (dir, name) = split(path)?;
        // Work in the folder the target lands in, links and `..` resolved: `out/../x.pdf`
        // creates no `out/`. Messages name the folder as the user wrote it.
        let real = landing(path)
            .ok()
            .and_then(|l| l.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| dir.clone());
        if !real.is_dir() {
            create_dir(&real, &dir)?;
        }
        let folder = Folder::open(&real, &dir)?;
        let prefix = temp_prefix(&name, folder.name_max());
        places.push((folder, name, prefix));
    }
    let mut temps: Vec<Temp> = Vec::with_capacity(files.len());
    let mut filled = Ok(());
    for ((folder, _, prefix), (_, bytes)) in places.iter().zip(files) {
        let step = folder.remove_stale(prefix).and_then(|()| {
            let mut temp = Temp::create(folder, prefix, opts)?;
            let result = temp.fill(bytes, opts);
            temps.push(temp);
            result
        });
        if let Err(e) = step {
            filled = Err(e);
            break;
        }
    }
    let result = filled.and_then(|()| {
        temps
            .iter_mut()
            .zip(&places)
            .try_for_each(|(temp, (_, name, _))| temp.commit(name))
    });
    match result {
        Ok(()) => Ok(()),
        Err(mut e) => {
            // The temporary files must go; failing that is an error of its own.
            for temp in &mut temps {
                if let Err(cleanup) = temp.discard() {
                    e.0.extend(cleanup.0);
                }
            }
            Err(e)
        }
    }
}

/// A path as the user gave it, without a leading `./`.
fn shown(p: &Path) -> String {
    p.strip_prefix(".").unwrap_or(p).display().to_string()
}

/// The target's folder (`.` when it has none) and its name; a path that names no file
/// (`..`, `/`) is refused.
fn split(path: &Path) -> Result<(PathBuf, OsString)> {
    let name = match path.components().next_back() {
        Some(std::path::Component::Normal(n)) => n.to_os_string(),
        _ => {
            return Err(Error::msg(format!(
                "`{}` không phải tên một tệp",
                path.display()
            )));
        }
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name))
}

/// Create the target's folder `real` (`dir` as the user wrote it). When that fails because
/// something is in the way, say what: a link to nowhere, or a file, is not a folder that
/// "already exists".
fn create_dir(real: &Path, dir: &Path) -> Result<()> {
    let err = match std::fs::create_dir_all(real) {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    let mut chain: Vec<&Path> = dir
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    chain.reverse();
    for p in chain {
        let Ok(meta) = std::fs::symlink_metadata(p) else {
            break;
        };
        let followed = std::fs::metadata(p);
        if meta.file_type().is_symlink() && followed.is_err() {
            let to = std::fs::read_link(p).unwrap_or_default();
            return Err(Error::msg(format!(
                "không tạo được thư mục `{}`: `{}` là liên kết tượng trưng tới `{}`, nơi không tồn tại\nchi tiết: {err}",
                shown(dir),
                shown(p),
                to.display()
            )));
        }
        if !followed.is_ok_and(|m| m.is_dir()) {
            return Err(Error::msg(format!(
                "không tạo được thư mục `{}`: `{}` là một tệp, không phải thư mục\nchi tiết: {err}",
                shown(dir),
                shown(p)
            )));
        }
    }
    Err(Error::io("tạo thư mục", dir, err))
}

/// The last OS error, for a failed libc call.
fn os_error() -> std::io::Error {
    std::io::Error::last_os_error()
}

fn cstring(name: &OsStr) -> Result<CString> {
    CString::new(name.as_bytes()).map_err(|_| {
        Error::msg(format!(
            "tên tệp `{}` chứa ký tự NUL",
            name.to_string_lossy()
        ))
    })
}

/// `fstat` of a descriptor.
fn fstat(fd: RawFd) -> std::io::Result<libc::stat> {
    // SAFETY: `st` is plain data that fstat fills in; `fd` is open for the caller's lifetime.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) != 0 {
            return Err(os_error());
        }
        Ok(st)
    }
}

/// The target's folder, open: every name in it is reached through this descriptor.
struct Folder {
    fd: OwnedFd,
    /// As the user wrote it, for messages.
    path: PathBuf,
    /// Resolved.
    real: PathBuf,
}

impl Folder {
    fn open(real: &Path, path: &Path) -> Result<Folder> {
        let c = cstring(real.as_os_str())?;
        // SAFETY: a NUL-terminated path; the descriptor returned is owned below.
        let fd = unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(Error::io("mở thư mục", path, os_error()));
        }
        Ok(Folder {
            // SAFETY: `fd` was just opened and is owned by nothing else.
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
            path: path.to_path_buf(),
            real: real.to_path_buf(),
        })
    }

    fn raw(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// The longest name this file system takes (255 when it does not say).
    fn name_max(&self) -> usize {
        // SAFETY: fpathconf on an open descriptor.
        let n = unsafe { libc::fpathconf(self.raw(), libc::_PC_NAME_MAX) };
        if n > 0 { n as usize } else { 255 }
    }

    fn display(&self, name: &OsStr) -> PathBuf {
        self.path.join(name)
    }

    /// `fstatat` of a name in this folder, links not followed.
    fn lstat(&self, name: &CString) -> std::io::Result<libc::stat> {
        // SAFETY: as `fstat`; `name` is NUL-terminated.
        unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            if libc::fstatat(
                self.raw(),
                name.as_ptr(),
                &mut st,
                libc::AT_SYMLINK_NOFOLLOW,
            ) != 0
            {
                return Err(os_error());
            }
            Ok(st)
        }
    }

    fn unlink(&self, name: &CString) -> std::io::Result<()> {
        // SAFETY: unlinkat of a NUL-terminated name in an open folder.
        if unsafe { libc::unlinkat(self.raw(), name.as_ptr(), 0) } != 0 {
            return Err(os_error());
        }
        Ok(())
    }

    /// Remove the temporary files of this target that no writer holds: leftovers of a writer
    /// killed with SIGKILL, or of a machine that stopped. Only regular files of ours (same
    /// owner) are touched; a link or a file in use is left alone.
    fn remove_stale(&self, prefix: &OsStr) -> Result<()> {
        let Ok(rd) = std::fs::read_dir(&self.real) else {
            return Ok(());
        };
        // SAFETY: geteuid has no preconditions.
        let uid = unsafe { libc::geteuid() };
        for entry in rd.flatten() {
            let name = entry.file_name();
            if !is_temp_name(&name, prefix) {
                continue;
            }
            let c = cstring(&name)?;
            // SAFETY: openat of a NUL-terminated name; never follows a link, never blocks.
            let fd = unsafe {
                libc::openat(
                    self.raw(),
                    c.as_ptr(),
                    libc::O_RDONLY
                        | libc::O_NOFOLLOW
                        | libc::O_NONBLOCK
                        | libc::O_NOCTTY
                        | libc::O_CLOEXEC,
                )
            };
            if fd < 0 {
                continue; // a link, or gone already
            }
            // SAFETY: just opened, owned here (closed on drop, which releases the lock).
            let file = unsafe { OwnedFd::from_raw_fd(fd) };
            let Ok(st) = fstat(file.as_raw_fd()) else {
                continue;
            };
            if st.st_mode & libc::S_IFMT != libc::S_IFREG || st.st_uid != uid {
                continue;
            }
            // SAFETY: flock on our descriptor.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                continue; // a writer is at work on it
            }
            // Still the same file under that name (not replaced since it was opened)?
            match self.lstat(&c) {
                Ok(now) if now.st_dev == st.st_dev && now.st_ino == st.st_ino => {}
                _ => continue,
            }
            self.unlink(&c)
                .map_err(|e| Error::io("xoá tệp tạm cũ", &self.display(&name), e))?;
        }
        Ok(())
    }
}

/// The part of the target's name kept in its temporary name: all of it when that fits in
/// `name_max` bytes, else its start, cut at a character boundary.
fn temp_prefix(name: &OsStr, name_max: usize) -> OsString {
    let room = name_max.saturating_sub(TEMP_OVERHEAD);
    let bytes = name.as_bytes();
    if bytes.len() <= room {
        return name.to_os_string();
    }
    let mut end = room;
    if let Ok(s) = std::str::from_utf8(bytes) {
        while end > 0 && !s.is_char_boundary(end) {
            end -= 1;
        }
    }
    OsString::from_vec(bytes[..end].to_vec())
}

fn temp_name(prefix: &OsStr, random: u64) -> OsString {
    let mut v = b".".to_vec();
    v.extend_from_slice(prefix.as_bytes());
    v.extend_from_slice(format!(".{random:016x}.tmp").as_bytes());
    OsString::from_vec(v)
}

/// Whether `name` is a temporary name of the target whose prefix is `prefix`.
fn is_temp_name(name: &OsStr, prefix: &OsStr) -> bool {
    let b = name.as_bytes();
    let p = prefix.as_bytes();
    let Some(rest) = b
        .strip_prefix(b".")
        .and_then(|r| r.strip_prefix(p))
        .and_then(|r| r.strip_prefix(b"."))
        .and_then(|r| r.strip_suffix(b".tmp"))
    else {
        return false;
    };
    rest.len() == 16 && rest.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

/// 64 unpredictable bits: SipHash keyed by `RandomState`, whose keys come from the OS's
/// random source, over a counter and the time.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(N.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.finish()
}

/// The process's file-creation mask (Linux reports it in /proc; 022 when it does not).
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("Umask:"))?;
            u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
        })
        .unwrap_or(0o022)
}

/// A temporary file being written: created, locked, registered for removal on a signal.
struct Temp<'a> {
    // Field order is drop order: unregister before the file (and its lock) goes.
    _registration: signals::Registration,
    file: File,
    folder: &'a Folder,
    name: CString,
    path: PathBuf,
    /// Renamed over the target, or removed: nothing left to clean up.
    done: bool,
}

impl<'a> Temp<'a> {
    fn create(folder: &'a Folder, prefix: &OsStr, opts: &WriteOptions) -> Result<Temp<'a>> {
        let attempts = if opts.temp_name.is_some() {
            1
        } else {
            ATTEMPTS
        };
        for _ in 0..attempts {
            let name = match &opts.temp_name {
                Some(n) => n.clone(),
                None => temp_name(prefix, random_u64()),
            };
            let path = folder.display(&name);
            if name.as_bytes().contains(&b'/') || name == "." || name == ".." {
                return Err(Error::msg(format!(
                    "tên tệp tạm `{}` không hợp lệ",
                    name.to_string_lossy()
                )));
            }
            let c = cstring(&name)?;
            // SAFETY: openat of a NUL-terminated name in an open folder. O_EXCL with O_CREAT
            // fails on any existing name, a link included; O_NOFOLLOW says so twice.
            let fd = unsafe {
                libc::openat(
                    folder.raw(),
                    c.as_ptr(),
                    libc::O_WRONLY
                        | libc::O_CREAT
                        | libc::O_EXCL
                        | libc::O_NOFOLLOW
                        | libc::O_NOCTTY
                        | libc::O_CLOEXEC,
                    0o600 as libc::c_uint,
                )
            };
            if fd < 0 {
                let e = os_error();
                if e.kind() == std::io::ErrorKind::AlreadyExists && opts.temp_name.is_none() {
                    continue;
                }
                return Err(Error::io("tạo tệp tạm", &path, e));
            }
            // SAFETY: just created; owned by nothing else.
            let file = unsafe { File::from_raw_fd(fd) };
            let registration = signals::register(folder.raw(), &c);
            // Blocking: a cleaner holds the lock only while it checks and unlinks.
            loop {
                // SAFETY: flock on our descriptor.
                if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
                    break;
                }
                let e = os_error();
                if e.kind() != std::io::ErrorKind::Interrupted {
                    return Err(Error::io("khoá tệp tạm", &path, e));
                }
            }
            // A writer that removes stale files may have taken ours for one between the
            // creation and the lock: then the name no longer leads to our file; try again.
            let ours = fstat(file.as_raw_fd()).map_err(|e| Error::io("đọc", &path, e))?;
            match folder.lstat(&c) {
                Ok(st) if st.st_dev == ours.st_dev && st.st_ino == ours.st_ino => {
                    return Ok(Temp {
                        _registration: registration,
                        file,
                        folder,
                        name: c,
                        path,
                        done: false,
                    });
                }
                _ => {
                    drop(registration);
                    continue;
                }
            }
        }
        Err(Error::msg(format!(
            "không tạo được tệp tạm trong `{}`: {ATTEMPTS} tên ngẫu nhiên đều đã có",
            shown(&folder.path)
        )))
    }

    fn fill(&mut self, bytes: &[u8], opts: &WriteOptions) -> Result<()> {
        if opts.fail_while_writing {
            self.file
                .write_all(&bytes[..bytes.len() / 2])
                .map_err(|e| Error::io("ghi", &self.path, e))?;
            return Err(Error::msg(format!(
                "ghi `{}` thất bại (giả lập lỗi khi ghi)",
                shown(&self.path)
            )));
        }
        self.file
            .write_all(bytes)
            .map_err(|e| Error::io("ghi", &self.path, e))?;
        self.file
            .sync_all()
            .map_err(|e| Error::io("ghi", &self.path, e))?;
        if let Some(hold) = opts.hold {
            hold(&self.path);
        }
        Ok(())
    }

    /// Give the file the target's permissions (or the usual ones for a new file), then rename
    /// it over the target.
    fn commit(&mut self, target: &OsStr) -> Result<()> {
        let target_c = cstring(target)?;
        let target_path = self.folder.display(target);
        let mode = match self.folder.lstat(&target_c) {
            Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFREG => st.st_mode & 0o777,
            _ => 0o666 & !umask(),
        };
        // SAFETY: fchmod on our descriptor.
        if unsafe { libc::fchmod(self.file.as_raw_fd(), mode as libc::mode_t) } != 0 {
            return Err(Error::io("đặt quyền cho", &self.path, os_error()));
        }
        // SAFETY: renameat of two NUL-terminated names in one open folder.
        let rc = unsafe {
            libc::renameat(
                self.folder.raw(),
                self.name.as_ptr(),
                self.folder.raw(),
                target_c.as_ptr(),
            )
        };
        if rc != 0 {
            return Err(Error::io("thay tệp", &target_path, os_error()));
        }
        self.done = true;
        // The rename itself on disk: best effort (the new file is in place either way).
        // SAFETY: fsync on the folder's descriptor.
        unsafe { libc::fsync(self.folder.raw()) };
        Ok(())
    }

    /// Remove the temporary file after a failure.
    fn discard(&mut self) -> Result<()> {
        if self.done {
            return Ok(());
        }
        self.done = true;
        match self.folder.unlink(&self.name) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::new(Diagnostic::error(format!(
                "không xoá được tệp tạm `{}`: {}",
                shown(&self.path),
                io_reason(&e)
            )))),
        }
    }
}

impl Drop for Temp<'_> {
    fn drop(&mut self) {
        // Only on an early return or a panic between creation and commit.
        if !self.done {
            let _ = self.folder.unlink(&self.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("baocao-output-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn temporary_names_fit_and_are_recognised() {
        let long = OsString::from(format!("{}.pdf", "ệ".repeat(83)));
        assert_eq!(long.len(), 253);
        let prefix = temp_prefix(&long, 255);
        assert!(prefix.len() <= 255 - TEMP_OVERHEAD);
        assert!(std::str::from_utf8(prefix.as_bytes()).is_ok());
        let name = temp_name(&prefix, random_u64());
        assert!(name.len() <= 255, "{}", name.len());
        assert!(is_temp_name(&name, &prefix));
        let short = temp_name(OsStr::new("a.pdf"), 0xabc);
        assert_eq!(short, ".a.pdf.0000000000000abc.tmp");
        assert!(is_temp_name(&short, OsStr::new("a.pdf")));
        for other in [
            ".a.pdf.tmp",
            ".a.pdf.123.0.tmp",
            ".b.pdf.0000000000000abc.tmp",
            ".a.pdf.0000000000000ABC.tmp",
            "a.pdf",
        ] {
            assert!(
                !is_temp_name(OsStr::new(other), OsStr::new("a.pdf")),
                "{other}"
            );
        }
        assert_ne!(random_u64(), random_u64());
    }

    #[test]
    fn a_write_replaces_the_target_and_leaves_nothing_else() {
        let d = scratch("write");
        let target = d.join("ra/bao-cao.pdf");
        write_atomic(&target, b"%PDF-1", &WriteOptions::default()).unwrap();
        write_atomic(&target, b"%PDF-2", &WriteOptions::default()).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF-2");
        let names: Vec<_> = std::fs::read_dir(d.join("ra"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![OsString::from("bao-cao.pdf")]);
        // A failing write keeps the old file and removes its temporary file.
        let opts = WriteOptions {
            fail_while_writing: true,
            ..Default::default()
        };
        assert!(write_atomic(&target, b"%PDF-3", &opts).is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF-2");
        assert_eq!(std::fs::read_dir(d.join("ra")).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn several_files_are_written_all_or_none() {
        let d = scratch("all");
        let (a, b) = (d.join("ra/a.pdf"), d.join("ra/a.html"));
        let none = WriteOptions::default();
        write_all_atomic(&[(&a, b"%PDF-1"), (&b, b"<html>1")], &none).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"%PDF-1");
        assert_eq!(std::fs::read(&b).unwrap(), b"<html>1");
        // The second file's folder cannot be made (a file is in the way): neither is written,
        // and the first one's temporary file is gone.
        std::fs::write(d.join("chan"), "tệp").unwrap();
        let blocked = d.join("chan/a.html");
        assert!(write_all_atomic(&[(&a, b"%PDF-2"), (&blocked, b"<html>2")], &none).is_err());
        assert_eq!(std::fs::read(&a).unwrap(), b"%PDF-1");
        // The first temporary file written in full, the second one cannot be created (one
        // fixed temporary name for both, so the second finds the first's): neither target
        // changes, and the first temporary file is removed.
        let fixed = WriteOptions {
            temp_name: Some(OsString::from(".tam")),
            ..Default::default()
        };
        let e = write_all_atomic(&[(&a, b"%PDF-2"), (&b, b"<html>2")], &fixed).unwrap_err();
        assert!(e.0[0].message.contains(".tam"), "{}", e.0[0].message);
        assert_eq!(std::fs::read(&a).unwrap(), b"%PDF-1");
        assert_eq!(std::fs::read(&b).unwrap(), b"<html>1");
        // A write failing half-way through the first file: nothing renamed.
        let fail = WriteOptions {
            fail_while_writing: true,
            ..Default::default()
        };
        assert!(write_all_atomic(&[(&a, b"%PDF-3"), (&b, b"<html>3")], &fail).is_err());
        assert_eq!(std::fs::read(&a).unwrap(), b"%PDF-1");
        assert_eq!(std::fs::read(&b).unwrap(), b"<html>1");
        let mut names: Vec<_> = std::fs::read_dir(d.join("ra"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![OsString::from("a.html"), OsString::from("a.pdf")]
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn stale_files_go_and_others_stay() {
        let d = scratch("stale");
        let prefix = OsStr::new("x.pdf");
        let stale = d.join(temp_name(prefix, 1));
        std::fs::write(&stale, "cũ").unwrap();
        // A locked one (a writer at work), a link of our naming, a file of another target.
        let busy = d.join(temp_name(prefix, 2));
        std::fs::write(&busy, "đang ghi").unwrap();
        let held = File::open(&busy).unwrap();
        // SAFETY: flock on a descriptor we own.
        assert_eq!(unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX) }, 0);
        std::fs::write(d.join("dich"), "đích").unwrap();
        let link = d.join(temp_name(prefix, 3));
        std::os::unix::fs::symlink("dich", &link).unwrap();
        let other = d.join(temp_name(OsStr::new("y.pdf"), 4));
        std::fs::write(&other, "khác").unwrap();
        write_atomic(&d.join("x.pdf"), b"%PDF", &WriteOptions::default()).unwrap();
        assert!(!stale.exists());
        assert!(busy.exists());
        assert!(std::fs::symlink_metadata(&link).is_ok());
        assert_eq!(std::fs::read_to_string(d.join("dich")).unwrap(), "đích");
        assert!(other.exists());
        drop(held);
        let _ = std::fs::remove_dir_all(&d);
    }
}
