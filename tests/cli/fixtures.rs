//! The reports of tests/fixtures/, each made from `baocao init --blank` as a user would (issue
//! 11, "Done when"): a UBND xã six-month report, a phòng year-end report under its parent
//! agency signed KT., a UBND tỉnh quarterly report. Each is rebuilt here from `init --blank`
//! and the user's files, then: `check` clean, `build` with no draft mark, nd30check "0 failed",
//! no placeholder and no word of the sample left in the PDF.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::blank::SAMPLE_WORDS;
use crate::fixture::*;

/// tests/fixtures/<name>/fixture.yaml.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// The flags given to `init --blank`.
    init: Vec<String>,
    /// Files of the new folder the user deleted.
    xoa: Vec<String>,
    /// The PDF `build` writes.
    pdf: String,
}

/// The files under `dir`, relative, `fixture.yaml` left out.
fn user_files(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            user_files(&p, base, out);
        } else if p.file_name().is_some_and(|n| n != "fixture.yaml") {
            out.push(p.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

/// Make the report `name` in `f` as its user did; the manifest.
fn make(f: &Fixture, name: &str) -> Manifest {
    let src = repo().join("tests/fixtures").join(name);
    let manifest: Manifest =
        serde_yaml::from_str(&std::fs::read_to_string(src.join("fixture.yaml")).unwrap())
            .unwrap_or_else(|e| panic!("{name}/fixture.yaml: {e}"));
    let mut args = vec!["init", name, "--blank"];
    args.extend(manifest.init.iter().map(String::as_str));
    f.run(&args).success();
    let dir = f.path(name);
    let mut files = vec![];
    user_files(&src, &src, &mut files);
    assert!(!files.is_empty(), "{name}: no file of the user");
    for rel in files {
        let to = dir.join(&rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(src.join(&rel), &to).unwrap();
    }
    for rel in &manifest.xoa {
        std::fs::remove_file(dir.join(rel))
            .unwrap_or_else(|e| panic!("{name}: `{rel}` to delete: {e}"));
    }
    manifest
}

fn check_fixture(name: &str) {
    let f = Fixture::empty();
    let manifest = make(&f, name);
    let check = f.run(&["check", "--root", name]).success();
    assert!(
        check.stdout().contains("kiểm tra xong: 0 lỗi, 0 cảnh báo") && check.stderr().is_empty(),
        "{name}: check is not clean:\n{}{}",
        check.stderr(),
        check.stdout()
    );
    assert!(
        !check.stdout().contains("DỰ THẢO"),
        "{name}: {}",
        check.stdout()
    );
    let build = f.run(&["build", "--root", name]).success();
    assert!(build.stderr().is_empty(), "{name}: {}", build.stderr());
    assert!(
        !build.stdout().contains("DỰ THẢO") && !build.stdout().contains("chỗ trống"),
        "{name}: {}",
        build.stdout()
    );
    let pdf = f.path(name).join(&manifest.pdf);
    assert!(
        !pdf_info(&pdf).contains("DỰ THẢO"),
        "{name}: the PDF is a draft"
    );
    let text = pdf_text(&pdf);
    assert!(
        !text.contains('«') && !text.contains('»'),
        "{name}: a placeholder is left:\n{text}"
    );
    for w in SAMPLE_WORDS {
        assert!(!text.contains(w), "{name}: sample word `{w}` in the PDF");
    }
    crate::layout::assert_nd30(&pdf, name);
}

#[test]
fn xa_six_month_report() {
    check_fixture("xa-6-thang");
}

#[test]
fn phong_year_end_report_under_its_parent_agency_signed_kt() {
    check_fixture("phong-ca-nam");
}

#[test]
fn tinh_quarterly_report() {
    check_fixture("tinh-quy-1");
}

#[test]
fn every_fixture_has_its_test() {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/fixtures"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["phong-ca-nam", "tinh-quy-1", "xa-6-thang"]);
}
