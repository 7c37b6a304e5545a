//! The built-in report carried in the binary: templates, data and fonts, for `baocao init`
//! (`crate::init`; and the fonts for every build). An explicit list, checked against the tree on disk by a
//! test, so a file added to templates/, data/ or fonts/ is not forgotten here.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};

/// One embedded file: its path inside a report folder, and its bytes.
#[derive(Clone, Copy, Debug)]
pub struct Asset {
    pub path: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! asset {
    ($path:literal) => {
        Asset {
            path: $path,
            bytes: include_bytes!(concat!("../", $path)),
        }
    };
}

/// The four Liberation Serif faces (metrics of Times New Roman), by path in a report folder.
/// The only copy of their bytes in the binary; `typeset` loads them for every build.
pub static EMBEDDED_FONTS: [(&str, &[u8]); 4] = [
    (
        "fonts/LiberationSerif-Regular.ttf",
        include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    ),
    (
        "fonts/LiberationSerif-Bold.ttf",
        include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    ),
    (
        "fonts/LiberationSerif-Italic.ttf",
        include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    ),
    (
        "fonts/LiberationSerif-BoldItalic.ttf",
        include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
    ),
];

/// Every embedded file but the font faces (see `EMBEDDED_FONTS`).
static FILES: &[Asset] = &[
    asset!("data/bao-cao.yaml"),
    asset!("data/bieu.yaml"),
    asset!("data/schema.json"),
    asset!("data/chi-tieu/kinh-te.yaml"),
    asset!("data/chi-tieu/ngan-sach-dat-dai.yaml"),
    asset!("data/chi-tieu/xa-hoi.yaml"),
    asset!("data/so-lieu/an-ninh.yaml"),
    asset!("data/so-lieu/dat-dai.yaml"),
    asset!("data/so-lieu/doanh-nghiep.yaml"),
    asset!("data/so-lieu/nhiem-vu.yaml"),
    asset!("data/so-lieu/noi-chinh.yaml"),
    asset!("data/so-lieu/nong-nghiep.yaml"),
    asset!("data/so-lieu/van-hoa-xa-hoi.yaml"),
    asset!("data/so-lieu/xay-dung.yaml"),
    asset!("data/ky/9-thang/so-lieu/an-ninh.yaml"),
    asset!("data/ky/9-thang/so-lieu/dat-dai.yaml"),
    asset!("data/ky/9-thang/so-lieu/doanh-nghiep.yaml"),
    asset!("data/ky/9-thang/so-lieu/nhiem-vu.yaml"),
    asset!("data/ky/9-thang/so-lieu/noi-chinh.yaml"),
    asset!("data/ky/9-thang/so-lieu/nong-nghiep.yaml"),
    asset!("data/ky/9-thang/so-lieu/van-hoa-xa-hoi.yaml"),
    asset!("data/ky/9-thang/so-lieu/xay-dung.yaml"),
    asset!("data/ky/ca-nam/so-lieu/an-ninh.yaml"),
    asset!("data/ky/ca-nam/so-lieu/dat-dai.yaml"),
    asset!("data/ky/ca-nam/so-lieu/doanh-nghiep.yaml"),
    asset!("data/ky/ca-nam/so-lieu/nhiem-vu.yaml"),
    asset!("data/ky/ca-nam/so-lieu/noi-chinh.yaml"),
    asset!("data/ky/ca-nam/so-lieu/nong-nghiep.yaml"),
    asset!("data/ky/ca-nam/so-lieu/van-hoa-xa-hoi.yaml"),
    asset!("data/ky/ca-nam/so-lieu/xay-dung.yaml"),
    asset!("data/ky/quy-1/so-lieu/an-ninh.yaml"),
    asset!("data/ky/quy-1/so-lieu/dat-dai.yaml"),
    asset!("data/ky/quy-1/so-lieu/doanh-nghiep.yaml"),
    asset!("data/ky/quy-1/so-lieu/nhiem-vu.yaml"),
    asset!("data/ky/quy-1/so-lieu/noi-chinh.yaml"),
    asset!("data/ky/quy-1/so-lieu/nong-nghiep.yaml"),
    asset!("data/ky/quy-1/so-lieu/van-hoa-xa-hoi.yaml"),
    asset!("data/ky/quy-1/so-lieu/xay-dung.yaml"),
    asset!("templates/HUONG-DAN.md"),
    asset!("templates/bao-cao.typ.j2"),
    asset!("templates/du-thao.svg"),
    asset!("templates/nd30.typ"),
    asset!("templates/phan-1/cong-nghiep-thuong-mai.typ.j2"),
    asset!("templates/phan-1/danh-gia-chung.typ.j2"),
    asset!("templates/phan-1/doanh-nghiep.typ.j2"),
    asset!("templates/phan-1/khoa-hoc-cong-nghe.typ.j2"),
    asset!("templates/phan-1/mo-dau.typ.j2"),
    asset!("templates/phan-1/ngan-sach.typ.j2"),
    asset!("templates/phan-1/noi-chinh.typ.j2"),
    asset!("templates/phan-1/nong-nghiep.typ.j2"),
    asset!("templates/phan-1/quoc-phong-an-ninh.typ.j2"),
    asset!("templates/phan-1/quy-dat.typ.j2"),
    asset!("templates/phan-1/quy-hoach-xay-dung.typ.j2"),
    asset!("templates/phan-1/tai-nguyen-moi-truong.typ.j2"),
    asset!("templates/phan-1/van-hoa-xa-hoi.typ.j2"),
    asset!("templates/phan-2/nhiem-vu.typ.j2"),
    asset!("templates/phu-luc/bieu-chi-tieu.typ.j2"),
    asset!("fonts/LICENSE-copyright.txt"),
];

/// The folders the built-in files come from.
pub const DIRS: [&str; 3] = ["data", "templates", "fonts"];

/// Every embedded file, the fonts included, in a stable order.
pub fn files() -> impl Iterator<Item = Asset> {
    FILES.iter().copied().chain(
        EMBEDDED_FONTS
            .iter()
            .map(|&(path, bytes)| Asset { path, bytes }),
    )
}

/// The files of `dirs` under `root` that the list lacks, and listed files that differ from
/// disk or are missing there: what the test below reports.
pub fn compare_with_disk(root: &Path) -> Vec<Diagnostic> {
    let mut on_disk = vec![];
    for d in DIRS {
        walk(&root.join(d), root, &mut on_disk);
    }
    let mut out = vec![];
    for rel in &on_disk {
        match files().find(|a| a.path == rel) {
            None => out.push(
                Diagnostic::error(format!(
                    "tệp `{rel}` chưa có trong danh sách của src/assets.rs"
                ))
                .at(Location::file(root.join(rel))),
            ),
            Some(a) => {
                if std::fs::read(root.join(rel)).ok().as_deref() != Some(a.bytes) {
                    out.push(Diagnostic::error(format!(
                        "tệp `{rel}` khác bản nhúng (dựng lại baocao)"
                    )));
                }
            }
        }
    }
    for a in files() {
        if !on_disk.iter().any(|p| p == a.path) {
            out.push(Diagnostic::error(format!(
                "tệp `{}` có trong src/assets.rs nhưng không có trên đĩa",
                a.path
            )));
        }
    }
    out
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, root, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(rel.join("/"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_matches_templates_data_and_fonts_on_disk() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let problems = compare_with_disk(root);
        assert!(
            problems.is_empty(),
            "src/assets.rs is out of date:\n{}",
            problems
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    #[test]
    fn paths_are_unique_and_relative() {
        let all: Vec<&str> = files().map(|a| a.path).collect();
        for (i, p) in all.iter().enumerate() {
            assert!(!p.starts_with('/') && !p.contains(".."), "{p}");
            assert!(DIRS.iter().any(|d| p.starts_with(&format!("{d}/"))), "{p}");
            assert!(!all[..i].contains(p), "{p} listed twice");
        }
    }
}
