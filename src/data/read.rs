//! Reading data files into memory, from disk or from bytes given (a git revision), with the
//! limits and checks that come before YAML. Loading (`load`) then parses the set in memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::positions::SourceFile;
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::period::Period;

/// The largest data file baocao reads (4 MiB). A report's figures fit in far less (2.000
/// indicators take about 0,5 MB); a bigger file is a mistake, such as a whole spreadsheet
/// export or a wrong file, and is refused before it is read.
pub const MAX_DATA_FILE: u64 = 4 * 1024 * 1024;

fn too_big(path: &Path, len: u64) -> Diagnostic {
    let mb = |n: u64| {
        crate::format::format_number(
            rust_decimal::Decimal::from(n) / rust_decimal::Decimal::from(1024 * 1024),
            1,
        )
    };
    Diagnostic::error(format!(
        "tệp quá lớn ({} MB; tệp số liệu tối đa {} MB)",
        mb(len),
        MAX_DATA_FILE / (1024 * 1024)
    ))
    .at(Location::file(path))
    .hint("kiểm tra xem có dán nhầm cả bảng tính hay chọn nhầm tệp không; nếu số liệu thật sự nhiều, chia thành nhiều tệp trong cùng thư mục")
}

/// Read a data file from disk as text: see [`decode`]. At most [`MAX_DATA_FILE`] bytes are
/// read; a folder, a device or a pipe named like a data file is refused.
pub fn read_text(path: &Path) -> Result<String> {
    read_bytes(path)
        .and_then(|b| decode(path, &b))
        .map(|(text, _)| text)
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    if let Ok(meta) = std::fs::metadata(path) {
        // A folder, a device (a link to /dev/zero never ends) or a pipe (blocks) named *.yaml.
        if !meta.is_file() {
            return Err(Error::new(
                Diagnostic::error("không phải một tệp thường (là thư mục, thiết bị hay đường ống)")
                    .at(Location::file(path))
                    .hint("tệp số liệu là tệp văn bản YAML: đổi tên hoặc chuyển mục này ra khỏi data/"),
            ));
        }
        if meta.len() > MAX_DATA_FILE {
            return Err(Error::new(too_big(path, meta.len())));
        }
    }
    // Never more than the limit, even if the file grows while it is read.
    let mut bytes = vec![];
    {
        use std::io::Read;
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_DATA_FILE + 1).read_to_end(&mut bytes))
            .map_err(|e| Error::io("đọc", path, e))?;
    }
    Ok(bytes)
}

/// A data file's bytes as text, exactly as written (CRLF kept, so that positions are the
/// file's own and an in-place edit changes only its bytes): UTF-8, a byte-order mark accepted
/// (left out of the text; the flag says it was there), no NUL or other control character.
/// Decomposed Vietnamese is composed where values are read (`scalar`), not here. Errors name
/// `path`, line and column.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, bool)> {
    if bytes.len() as u64 > MAX_DATA_FILE {
        return Err(Error::new(too_big(path, bytes.len() as u64)));
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let bytes = if bom { &bytes[3..] } else { bytes };
    let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
        let upto = &bytes[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|b| **b == b'\n').count() + 1;
        let last = upto.rsplit(|b| *b == b'\n').next().unwrap_or(&[]);
        let col = std::str::from_utf8(last).map_or(last.len(), |s| s.chars().count()) + 1;
        Error::new(
            Diagnostic::error("tệp không phải văn bản UTF-8")
                .at(Location::at(path, line, col))
                .hint("lưu lại tệp với bảng mã UTF-8"),
        )
    })?;
    let at = |i: usize| {
        let line = text[..i].matches('\n').count() + 1;
        let col = text[..i]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        Location::at(path, line, col)
    };
    if let Some(i) = text.find('\0') {
        return Err(Error::new(
            Diagnostic::error("tệp chứa ký tự NUL: có vẻ là tệp nhị phân, không phải YAML")
                .at(at(i))
                .hint("kiểm tra xem có chọn nhầm tệp không; tệp số liệu là văn bản YAML lưu bằng UTF-8"),
        ));
    }
    // Other control characters (YAML refuses them; libyaml would not say where).
    let control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}');
    if let Some(i) = text.find(control) {
        let c = text[i..].chars().next().unwrap_or('?');
        return Err(Error::new(
            Diagnostic::error(format!(
                "tệp chứa ký tự điều khiển U+{:04X}, YAML không cho phép",
                c as u32
            ))
            .at(at(i))
            .hint("xóa ký tự này (thường lẫn vào khi dán từ Excel hay e-mail); nếu cả tệp là ký tự lạ thì có vẻ đã chọn nhầm tệp"),
        ));
    }
    Ok((text, bom))
}

fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = vec![];
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io("đọc thư mục", dir, e)),
    };
    for entry in rd {
        let entry = entry.map_err(|e| Error::io("đọc thư mục", dir, e))?;
        let p = entry.path();
        if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

/// Whether `rel` (a path under data/) is a file that loading reads: bao-cao.yaml, bieu.yaml,
/// and the YAML files of chi-tieu/, so-lieu/ and `ky/<period>/so-lieu/`.
pub fn is_data_file(rel: &Path) -> bool {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    let yaml = |name: &str| {
        matches!(
            Path::new(name).extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        )
    };
    match parts.as_slice() {
        ["bao-cao.yaml"] | ["bieu.yaml"] => true,
        ["chi-tieu" | "so-lieu", name] => yaml(name),
        ["ky", period, "so-lieu", name] => Period::from_key(period).is_some() && yaml(name),
        _ => false,
    }
}

/// The data files of one report in memory: each by its path under data/, with its text and
/// positions, or the error met reading it. Loading reads nothing else.
#[derive(Clone, Debug, Default)]
pub struct DataFiles {
    /// data/ as the user names it: `data`, `../ban-cu/data`, `HEAD~1:data`.
    pub dir: PathBuf,
    files: BTreeMap<PathBuf, Result<Arc<SourceFile>>>,
    /// Errors met listing a folder (not a file's own).
    pub errors: Vec<Diagnostic>,
}

impl DataFiles {
    /// An empty set for the data folder named `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            ..Self::default()
        }
    }

    /// Read the data files of the folder `data` from disk (each named under `data` as given).
    pub fn read_dir(data: &Path) -> Self {
        let mut out = Self::new(data);
        out.read(PathBuf::from("bao-cao.yaml"));
        if data.join("bieu.yaml").exists() {
            out.read(PathBuf::from("bieu.yaml"));
        }
        let mut dirs = vec![PathBuf::from("chi-tieu"), PathBuf::from("so-lieu")];
        for p in Period::ALL {
            let dir = Path::new("ky").join(p.key()).join("so-lieu");
            if data.join(&dir).is_dir() {
                dirs.push(dir);
            }
        }
        for dir in dirs {
            match yaml_files(&data.join(&dir)) {
                Ok(files) => {
                    for f in files {
                        if let Some(name) = f.file_name() {
                            out.read(dir.join(name));
                        }
                    }
                }
                Err(e) => out.errors.extend(e.0),
            }
        }
        out
    }

    fn read(&mut self, rel: PathBuf) {
        let path = self.dir.join(&rel);
        let file = read_bytes(&path).and_then(|b| source(&path, &b));
        self.files.insert(rel, file);
    }

    /// Add (or replace) the file `rel` with the file `path` read from disk (named `path`).
    pub fn read_file(&mut self, rel: impl Into<PathBuf>, path: &Path) {
        let file = read_bytes(path).and_then(|b| source(path, &b));
        self.files.insert(rel.into(), file);
    }

    /// Add (or replace) the file `rel` with `bytes`, named `display` in messages.
    pub fn insert(&mut self, rel: impl Into<PathBuf>, display: impl Into<PathBuf>, bytes: &[u8]) {
        let display = display.into();
        let file = source(&display, bytes);
        self.files.insert(rel.into(), file);
    }

    /// Add (or replace) the file `rel` with `text`, named `display` in messages, without a
    /// byte-order mark unless `bom` (an edited file keeps its own).
    pub fn insert_text(
        &mut self,
        rel: impl Into<PathBuf>,
        display: impl Into<PathBuf>,
        text: String,
        bom: bool,
    ) {
        let file = SourceFile::new(display.into(), text, bom);
        self.files.insert(rel.into(), Ok(Arc::new(file)));
    }

    /// The file `rel` (a path under data/): its text, or the error met reading it.
    pub fn get(&self, rel: &Path) -> Option<&Result<Arc<SourceFile>>> {
        self.files.get(rel)
    }

    /// Every file, by its path under data/.
    pub fn iter(&self) -> impl Iterator<Item = (&PathBuf, &Result<Arc<SourceFile>>)> {
        self.files.iter()
    }

    /// The paths of the files directly in the folder `dir` (under data/), in order.
    pub fn in_dir(&self, dir: &Path) -> Vec<&PathBuf> {
        self.files
            .keys()
            .filter(|rel| rel.parent() == Some(dir))
            .collect()
    }

    /// How the file `rel` is named to the user.
    pub fn display(&self, rel: &Path) -> PathBuf {
        match self.files.get(rel) {
            Some(Ok(f)) => f.path.clone(),
            _ => self.dir.join(rel),
        }
    }
}

fn source(display: &Path, bytes: &[u8]) -> Result<Arc<SourceFile>> {
    let (text, bom) = decode(display, bytes)?;
    Ok(Arc::new(SourceFile::new(display, text, bom)))
}
