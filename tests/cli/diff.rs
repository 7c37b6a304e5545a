//! `baocao diff`: changed figures (from what to what) and the sentences that change with them,
//! between two data folders, two YAML files, or two git revisions.

use std::path::Path;
use std::process::Command;

use crate::fixture::*;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

/// The budget figure and the two sentences that print it (mo-dau and ngan-sach).
fn change_budget(f: &Fixture) {
    f.edit(
        "data/chi-tieu/kinh-te.yaml",
        "thuc_hien: 155,108",
        "thuc_hien: 160,2",
    );
}

fn assert_budget_diff(out: &str) {
    assert!(out.contains("số liệu thay đổi: 1"), "{out}");
    assert!(
        out.contains("chỉ tiêu `thu_ngan_sach` (Thu ngân sách thành phố), thực hiện kỳ 6-thang: 155,108 → 160,2"),
        "{out}"
    );
    assert!(
        out.contains("câu thay đổi trong báo cáo kỳ 6-thang: 2"),
        "{out}"
    );
    // Old and new wording, the changed words marked, the template line and the figure named.
    assert!(out.contains("templates/phan-1/mo-dau.typ.j2:"), "{out}");
    assert!(out.contains("templates/phan-1/ngan-sach.typ.j2:"), "{out}");
    assert!(out.contains("(do `thu_ngan_sach`)"), "{out}");
    assert!(
        out.contains(
            "cũ:  Cụ thể: Một số chỉ tiêu như: Thu ngân sách thành phố đạt «47,13%» kế hoạch"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "mới: Cụ thể: Một số chỉ tiêu như: Thu ngân sách thành phố đạt «48,67%» kế hoạch"
        ),
        "{out}"
    );
    assert!(
        out.contains("«155,108/329,130»") && out.contains("«160,2/329,130»"),
        "{out}"
    );
    // Markup is shown as a reader reads it.
    assert!(!out.contains("#footnote") && !out.contains("/*@"), "{out}");
}

#[test]
fn two_data_folders() {
    let f = Fixture::default_report();
    copy_tree(&f.path("data"), &f.path("ban-cu/data"));
    change_budget(&f);
    // A data folder, or the report folder holding it; NEW defaults to the report folder.
    let out = f.run(&["diff", "ban-cu/data", "."]).success().stdout();
    assert_budget_diff(&out);
    assert!(out.contains("--> data/chi-tieu/kinh-te.yaml:"), "{out}");
    let out2 = f.run(&["diff", "ban-cu"]).success().stdout();
    assert_budget_diff(&out2);
    // The other way round, old and new swap.
    let back = f.run(&["diff", ".", "ban-cu"]).success().stdout();
    assert!(back.contains("160,2 → 155,108"), "{back}");
    assert!(
        back.contains("cũ:  Cụ thể: Một số chỉ tiêu như: Thu ngân sách thành phố đạt «48,67%»"),
        "{back}"
    );
}

#[test]
fn two_yaml_files() {
    let f = Fixture::default_report();
    std::fs::copy(f.path("data/chi-tieu/kinh-te.yaml"), f.path("kinh-te.yaml")).unwrap();
    change_budget(&f);
    let out = f
        .run(&["diff", "kinh-te.yaml", "data/chi-tieu/kinh-te.yaml"])
        .success()
        .stdout();
    assert_budget_diff(&out);
    // A file whose name matches nothing in data/ is refused with a hint.
    f.write("la.yaml", "a: 1\n");
    f.run(&["diff", "la.yaml", "data/chi-tieu/kinh-te.yaml"])
        .failure()
        .stderr_contains("không biết tệp `la.yaml` thay cho tệp nào");
}

#[test]
fn two_git_revisions() {
    if !Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        tool_unavailable("git", "git is not installed");
        return;
    }
    let f = Fixture::default_report();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=Kiểm thử",
                "-c",
                "user.email=kiem-thu@example.vn",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&f.root)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "data", "templates"]);
    git(&["commit", "-q", "-m", "số liệu đến 31/5"]);
    change_budget(&f);
    // Working tree against the last commit.
    let out = f.run(&["diff", "HEAD"]).success().stdout();
    assert_budget_diff(&out);
    assert!(
        out.contains("so sánh `git:HEAD` (cũ) với `.` (mới)"),
        "{out}"
    );
    git(&["commit", "-q", "-am", "số liệu mới"]);
    // Two revisions, bare or with `git:`.
    assert_budget_diff(&f.run(&["diff", "HEAD~1", "HEAD"]).success().stdout());
    assert_budget_diff(
        &f.run(&["diff", "git:HEAD~1", "git:HEAD"])
            .success()
            .stdout(),
    );
    // Nothing changed between a revision and itself.
    let same = f.run(&["diff", "HEAD", "."]).success().stdout();
    assert!(
        same.contains("không có số liệu nào thay đổi") && same.contains("không có câu nào"),
        "{same}"
    );
    // An unknown revision.
    f.run(&["diff", "git:khong-co"])
        .failure()
        .stderr_contains("phiên bản git `khong-co`");
}

#[test]
fn so_lieu_values_and_several_changes() {
    let f = Fixture::default_report();
    copy_tree(&f.path("data"), &f.path("ban-cu/data"));
    f.edit(
        "data/so-lieu/nong-nghiep.yaml",
        "lua_xuan_nang_suat: 56",
        "lua_xuan_nang_suat: 58",
    );
    f.edit("data/bao-cao.yaml", "ngay: /6/2024", "ngay: 20/6/2024");
    let out = f.run(&["diff", "ban-cu"]).success().stdout();
    assert!(
        out.contains("số liệu `sl.nong_nghiep.lua_xuan_nang_suat`: 56 → 58"),
        "{out}"
    );
    assert!(out.contains("--> data/so-lieu/nong-nghiep.yaml:"), "{out}");
    assert!(
        out.contains("ngày văn bản kỳ 6-thang (`ngay`): …/6/2024 → 20/6/2024"),
        "{out}"
    );
    // The footnote stays with its sentence; the alias `nn.lua_xuan_nang_suat` is recognised.
    assert!(
        out.contains("Năng suất: «56» tạ/ha") && out.contains("Năng suất: «58» tạ/ha"),
        "{out}"
    );
    assert!(
        out.contains("(do `sl.nong_nghiep.lua_xuan_nang_suat`)"),
        "{out}"
    );
}

#[test]
fn side_by_side_columns() {
    let f = Fixture::default_report();
    copy_tree(&f.path("data"), &f.path("ban-cu/data"));
    change_budget(&f);
    let out = f
        .run(&["diff", "ban-cu", "-y", "--width", "100"])
        .success()
        .stdout();
    let rows: Vec<&str> = out.lines().filter(|l| l.contains(" │ ")).collect();
    assert!(rows.len() > 4, "{out}");
    assert!(rows.iter().all(|l| l.chars().count() <= 100), "{out}");
    assert!(
        rows[0].starts_with("cũ: ") && rows[0].contains("│ mới: "),
        "{out}"
    );
}

#[test]
fn bad_sides_are_reported() {
    let f = Fixture::default_report();
    f.run(&["diff", "khong-co-thu-muc"])
        .failure()
        .stderr_contains("`khong-co-thu-muc` không phải thư mục, tệp hay phiên bản git");
    // Broken old data: the error names the old side and the file.
    copy_tree(&f.path("data"), &f.path("ban-cu/data"));
    f.write("ban-cu/data/so-lieu/nong-nghiep.yaml", "x: [\n");
    f.run(&["diff", "ban-cu/data"])
        .failure()
        .stderr_contains("bản cũ `ban-cu/data`")
        .stderr_contains("ban-cu/data/so-lieu/nong-nghiep.yaml");
}

#[test]
fn a_row_of_the_indicator_table_shows_as_cells() {
    let f = Fixture::default_report();
    copy_tree(&f.path("data"), &f.path("ban-cu/data"));
    f.edit(
        "data/chi-tieu/kinh-te.yaml",
        "ke_hoach: 329,130",
        "ke_hoach: 330",
    );
    let out = f.run(&["diff", "ban-cu"]).success().stdout();
    assert!(out.contains("kế hoạch: 329,130 → 330"), "{out}");
    let row = out
        .lines()
        .position(|l| l.contains("templates/phu-luc/bieu-chi-tieu.typ.j2:"))
        .expect("the table row");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[row].contains("(do `thu_ngan_sach`)"), "{out}");
    assert!(
        lines[row + 1].contains("| Thu ngân sách thành phố | tỷ đồng | «329,130» |"),
        "{out}"
    );
    assert!(
        lines[row + 2].contains("| Thu ngân sách thành phố | tỷ đồng | «330» |"),
        "{out}"
    );
}
