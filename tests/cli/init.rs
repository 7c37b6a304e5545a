//! `baocao init DIR`: a new report folder that builds at once, from files carried in the binary.

use crate::fixture::*;

#[test]
fn a_new_folder_builds_at_once_without_the_source_tree() {
    // Run a copy of the binary from a folder far from the repository: everything it writes
    // comes from the binary itself.
    let f = Fixture::empty();
    let bin = f.path("bin/baocao");
    std::fs::create_dir_all(f.path("bin")).unwrap();
    std::fs::copy(BIN, &bin).unwrap();
    let run = |cwd: &std::path::Path, args: &[&str]| {
        let out = std::process::Command::new(&bin)
            .args(args)
            .current_dir(cwd)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        Run(out)
    };
    run(&f.root, &["init", "bao-cao-moi"])
        .success()
        .stdout_contains("đã tạo thư mục báo cáo `bao-cao-moi`");
    let dir = f.path("bao-cao-moi");
    for p in [
        "README.md",
        "data/bao-cao.yaml",
        "templates/nd30.typ",
        "templates/bao-cao.typ.j2",
        "templates/HUONG-DAN.md",
        "fonts/LICENSE-copyright.txt",
        ".gitignore",
    ] {
        assert!(dir.join(p).is_file(), "{p} missing");
    }
    // The built-in files are written byte for byte.
    assert_eq!(
        std::fs::read(dir.join("templates/nd30.typ")).unwrap(),
        std::fs::read(repo().join("templates/nd30.typ")).unwrap()
    );
    assert!(
        std::fs::read_to_string(dir.join("README.md"))
            .unwrap()
            .contains("baocao build")
    );
    // The font faces travel with the folder (its --emit-typst file needs them).
    assert!(dir.join("fonts/LiberationSerif-Regular.ttf").is_file());
    run(&dir, &["build"]).success();
    let text = pdf_text(&dir.join("output/bao-cao-6-thang-2024.pdf"));
    assert!(
        text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && text.contains("Phần thứ hai"),
        "{text}"
    );
    // The new folder's figures are its own: a check passes there too.
    run(&dir, &["check"]).success();
}

#[test]
fn init_refuses_a_folder_with_files() {
    let f = Fixture::empty();
    f.write("co-tep/ghi-chu.txt", "đừng xóa");
    f.run(&["init", "co-tep"])
        .failure()
        .stderr_contains("đã có tệp")
        .stderr_contains("gợi ý:");
    assert_eq!(f.read("co-tep/ghi-chu.txt"), "đừng xóa");
    assert!(!f.path("co-tep/data").exists());
    // An existing empty folder is fine.
    std::fs::create_dir_all(f.path("rong")).unwrap();
    f.run(&["init", "rong"]).success();
    f.write("tep", "x");
    f.run(&["init", "tep"])
        .failure()
        .stderr_contains("không phải thư mục");
}

#[test]
fn init_copies_the_faces_and_still_builds() {
    let f = Fixture::empty();
    // `--with-fonts`, from before the faces were always copied, is still accepted.
    f.run(&["init", "--with-fonts", "bc"]).success();
    f.run(&["init", "bc2"]).success();
    assert!(f.path("bc2/fonts/LiberationSerif-BoldItalic.ttf").is_file());
    for face in ["Regular", "Bold", "Italic", "BoldItalic"] {
        let p = format!("fonts/LiberationSerif-{face}.ttf");
        assert_eq!(
            std::fs::read(f.path(&format!("bc/{p}"))).unwrap(),
            std::fs::read(repo().join(&p)).unwrap(),
            "{p}"
        );
    }
    f.run(&["build", "--root", "bc"]).success();
    assert!(f.path("bc/output/bao-cao-6-thang-2024.pdf").is_file());
}
