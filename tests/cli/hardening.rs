//! Issue 16, the edges: an overflow has its own words (item 7), and the reasons of OS,
//! minijinja, Typst and git failures are Vietnamese, the original text kept on a second line
//! (`chi tiết: …`) for the expert (item 9).

use std::process::Command;

use crate::fixture::*;

/// A root template of our own: the layout library, the metadata, then `body`.
fn root_template(body: &str) -> String {
    format!("#import \"nd30.typ\": *\n#show: van-ban.with(meta)\n{body}\n")
}

/// The lines of stderr a user reads first (`lỗi:`, `gợi ý:`): no English in them.
fn assert_vietnamese(stderr: &str, english: &[&str]) {
    for line in stderr
        .lines()
        .filter(|l| l.starts_with("lỗi:") || l.starts_with("gợi ý:"))
    {
        for w in english {
            assert!(
                !line.contains(w),
                "untranslated `{w}` in `{line}`:\n{stderr}"
            );
        }
    }
}

/// Item 7: `ty_le` of 9.999…e27 over 0,001 does not fit in a decimal; that is not a base of 0.
#[test]
fn an_overflow_is_not_reported_as_a_zero_base() {
    let f = Fixture::default_report();
    f.write(
        "templates/bao-cao.typ.j2",
        &root_template(
            "Tỷ lệ A: {{ ty_le(\"9.999.999.999.999.999.999.999.999.999\", \"0,001\") }} hết.\n\nTỷ lệ B: {{ ty_le(\"5\", \"0\") }} hết.",
        ),
    );
    f.run(&["build", "-o", "out.pdf"]).success();
    let text = pdf_text(&f.path("out.pdf"));
    assert!(
        text.contains("Tỷ lệ A: không tính được (số quá lớn) hết."),
        "{text}"
    );
    // A real zero base keeps its own words.
    assert!(
        text.contains("Tỷ lệ B: không so sánh được (số gốc bằng 0) hết."),
        "{text}"
    );
}

#[test]
fn a_missing_template_is_named_in_vietnamese() {
    let f = Fixture::default_report();
    f.write(
        "templates/bao-cao.typ.j2",
        &root_template("{% include \"phan-1/khong-co.typ.j2\" %}"),
    );
    let r = f.run(&["check"]).failure();
    let err = r.stderr();
    assert!(
        err.contains("lỗi: không tìm thấy mẫu `phan-1/khong-co.typ.j2`"),
        "{err}"
    );
    assert!(err.contains("\nchi tiết: tried to include"), "{err}");
    assert!(err.contains("templates/bao-cao.typ.j2:3"), "{err}");
    assert_vietnamese(&err, &["tried", "non-existing", "template"]);
}

#[test]
fn a_template_that_is_a_folder_is_named_so() {
    let f = Fixture::default_report();
    f.write(
        "templates/bao-cao.typ.j2",
        &root_template("{% include \"phan-1\" %}"),
    );
    let r = f.run(&["check"]).failure();
    let err = r.stderr();
    assert!(
        err.contains("lỗi: mẫu `phan-1` là một thư mục, không phải tệp"),
        "{err}"
    );
    assert!(err.contains("\nchi tiết: "), "{err}");
    assert_vietnamese(&err, &["tried", "non-existing", "template"]);
}

#[test]
fn an_unknown_variable_is_named_in_vietnamese() {
    let f = Fixture::default_report();
    f.write(
        "templates/bao-cao.typ.j2",
        &root_template("Chữ {{ bien_la }} chữ"),
    );
    let r = f.run(&["check"]).failure();
    let err = r.stderr();
    assert!(
        err.contains("lỗi: tên `bien_la` không xác định trong mẫu"),
        "{err}"
    );
    assert!(err.contains("\nchi tiết: `bien_la` is undefined"), "{err}");
    assert_vietnamese(&err, &["is undefined", "undefined"]);
}

/// A Typst file error from the OS (a link that loops) gets a Vietnamese reason.
#[cfg(unix)]
#[test]
fn a_typst_file_error_from_the_os_is_translated() {
    let f = Fixture::default_report();
    std::os::unix::fs::symlink("vong.typ", f.path("templates/vong.typ")).unwrap();
    f.write(
        "templates/bao-cao.typ.j2",
        &root_template("#include \"vong.typ\""),
    );
    let r = f.run(&["build", "-o", "out.pdf"]).failure();
    let err = r.stderr();
    assert!(
        err.contains("quá nhiều liên kết tượng trưng lồng nhau"),
        "{err}"
    );
    assert!(
        err.contains("\nchi tiết: failed to load file (Too many levels of symbolic links"),
        "{err}"
    );
    assert_vietnamese(&err, &["Too many", "symbolic", "failed"]);
    assert!(!f.path("out.pdf").exists());
}

/// git's own failures get a Vietnamese reason; git's text stays as `chi tiết`.
#[test]
fn git_failures_are_explained_in_vietnamese() {
    if Command::new("git").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "git is needed by this test in CI"
        );
        eprintln!("git is not installed: skipping");
        return;
    }
    let f = Fixture::default_report();
    // Not a repository (GIT_CEILING_DIRECTORIES: the temporary folder may sit in one).
    let ceiling = f.root.parent().unwrap().to_str().unwrap().to_string();
    let r = f
        .run_env(
            &["diff", "git:HEAD~1"],
            &[("GIT_CEILING_DIRECTORIES", &ceiling)],
        )
        .failure();
    let err = r.stderr();
    assert!(err.contains("không nằm trong một kho git"), "{err}");
    assert!(
        err.contains("\nchi tiết: fatal: not a git repository"),
        "{err}"
    );
    assert_vietnamese(&err, &["fatal", "repository"]);
    // A revision the repository does not have.
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&f.root)
            .env("GIT_CEILING_DIRECTORIES", &ceiling)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "data", "templates"]);
    git(&["commit", "-q", "-m", "x"]);
    let r = f
        .run_env(
            &["diff", "git:khong-co"],
            &[("GIT_CEILING_DIRECTORIES", &ceiling)],
        )
        .failure();
    let err = r.stderr();
    assert!(err.contains("kho git không có phiên bản này"), "{err}");
    assert!(err.contains("\nchi tiết: fatal:"), "{err}");
    assert_vietnamese(&err, &["fatal", "valid", "object"]);
}
