//! `baocao init DIR`: a new report folder that builds at once. Plain `init` writes the
//! built-in sample report (`assets`); `init --blank` writes a clean start for any unit
//! (`blank`): the usual outline, a few example indicators and every figure left to fill as a
//! placeholder `«…»`. Both forms write the four Liberation Serif faces into fonts/, so that the
//! folder's own `--emit-typst` file typesets alike with the typst CLI.

pub mod blank;

use std::path::{Path, PathBuf};

use crate::assets;
use crate::diag::{Diagnostic, Error, Result};

pub use blank::{Blank, Signer};

/// The README of a folder made from the sample report.
const SAMPLE_README: &str = "# Báo cáo kinh tế - xã hội

Thư mục này do `baocao init` tạo: báo cáo mẫu 6 tháng đầu năm, dựng được ngay.

```
data/         số liệu (YAML): bao-cao.yaml (thông tin văn bản), chi-tieu/, so-lieu/
templates/    lời văn (*.typ.j2) và thư viện dàn trang nd30.typ; đọc templates/HUONG-DAN.md
fonts/        bốn kiểu Liberation Serif (cùng kích thước chữ với Times New Roman) và giấy phép
output/       tệp baocao ghi ra: PDF, bản HTML, biểu Excel
```

## Lệnh thường dùng

```
baocao build                  dựng output/bao-cao-<kỳ>-<năm>.pdf
baocao build --format pdf,html,xlsx   thêm bản HTML (cổng thông tin) và biểu dạng Excel
baocao check                  kiểm tra số liệu và mẫu, không dàn trang
baocao watch                  dựng lại mỗi khi sửa data/, templates/ hay fonts/
baocao diff HEAD~1            số liệu và câu văn nào đổi so với lần ghi git trước
baocao diff ../ban-cu .       so với một thư mục báo cáo (hay thư mục data/) khác
baocao form so-lieu.xlsx      bảng tính Excel để các phòng, ban điền số liệu của kỳ
baocao import so-lieu.xlsx    nhập số liệu từ bảng tính đã điền (--dry-run: chỉ xem trước)
```

Sửa số liệu trong `data/`, lời văn trong `templates/`, rồi chạy lại `baocao build`.
Báo cáo cho một đơn vị khác: `baocao init THƯ_MỤC --blank` (xem `baocao init --help`).
";

const GITIGNORE: &str = "output/*\n!output/.gitkeep\n";

/// What `init` wrote.
#[derive(Debug)]
pub struct Created {
    pub root: PathBuf,
    pub files: usize,
}

/// Write a new report folder at `dir`: the sample report, or with `blank` a blank start for
/// a unit. `dir` must not exist or be empty; nothing is written otherwise.
pub fn init(dir: &Path, blank: Option<&Blank>) -> Result<Created> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error::new(
                Diagnostic::error(format!("`{}` đã có và không phải thư mục", dir.display()))
                    .hint("chọn một tên thư mục mới"),
            ));
        }
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("đọc thư mục", dir, e))?;
        if entries.next().is_some() {
            return Err(Error::new(
                Diagnostic::error(format!(
                    "thư mục `{}` đã có tệp: baocao không ghi đè",
                    dir.display()
                ))
                .hint("chọn một thư mục mới hoặc thư mục rỗng"),
            ));
        }
    }
    let files = match blank {
        None => sample_files(),
        Some(b) => b.files(),
    };
    let mut written = 0;
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("tạo thư mục", parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io("ghi", &path, e))?;
        written += 1;
    }
    Ok(Created {
        root: dir.to_path_buf(),
        files: written,
    })
}

/// The files of a folder made from the sample report, by path in the folder.
fn sample_files() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = assets::files()
        .map(|a| (a.path.to_string(), a.bytes.to_vec()))
        .collect();
    out.extend(common_files(SAMPLE_README));
    out
}

/// What every new folder gets besides data and templates: its README, a .gitignore that keeps
/// output/ out of git, and output/ itself.
pub(crate) fn common_files(readme: &str) -> Vec<(String, Vec<u8>)> {
    vec![
        ("README.md".into(), readme.as_bytes().to_vec()),
        (".gitignore".into(), GITIGNORE.as_bytes().to_vec()),
        ("output/.gitkeep".into(), vec![]),
    ]
}
