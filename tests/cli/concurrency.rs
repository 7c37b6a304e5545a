//! Concurrency: builds writing the same output at once leave one complete PDF, equal byte for
//! byte to what one of them makes, never a mixed or truncated file, and no temporary file.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::fixture::*;

const ROUNDS: usize = 6;

fn spawn(root: &Path, out: &Path, extra: &[&str]) -> Child {
    let mut cmd = Command::new(BIN);
    cmd.args(["build", "-o"])
        .arg(out)
        .args(extra)
        .current_dir(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd.spawn().expect("spawn baocao")
}

/// Two report folders whose PDFs differ, and what each builds alone.
fn two_reports() -> (Fixture, Fixture, Vec<u8>, Vec<u8>) {
    let a = Fixture::default_report();
    let b = Fixture::default_report();
    b.edit(
        "data/bao-cao.yaml",
        "ky_hieu: BC-UBND",
        "ky_hieu: BC-UBND-B",
    );
    a.run(&["build", "-o", "alone.pdf"]).success();
    b.run(&["build", "-o", "alone.pdf"]).success();
    let pa = std::fs::read(a.path("alone.pdf")).unwrap();
    let pb = std::fs::read(b.path("alone.pdf")).unwrap();
    assert_ne!(
        pa, pb,
        "the two reports must differ for the test to mean anything"
    );
    (a, b, pa, pb)
}

/// Read the target over and over while builds write it: every read must be absent or a
/// complete expected PDF.
fn watch(
    target: PathBuf,
    expected: Vec<Vec<u8>>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<(usize, Vec<String>)> {
    std::thread::spawn(move || {
        let mut reads = 0;
        let mut bad = vec![];
        while !stop.load(Ordering::Relaxed) {
            if let Ok(bytes) = std::fs::read(&target) {
                reads += 1;
                if !expected.contains(&bytes) {
                    bad.push(format!(
                        "a read saw {} bytes, starting {:?}, ending {:?}",
                        bytes.len(),
                        String::from_utf8_lossy(&bytes[..bytes.len().min(8)]),
                        String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(8)..])
                    ));
                }
            }
            std::thread::sleep(std::time::Duration::from_micros(300));
        }
        (reads, bad)
    })
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "bao-cao.pdf")
        .collect()
}

#[test]
fn simultaneous_builds_leave_one_complete_pdf() {
    let (a, b, pa, pb) = two_reports();
    let shared = Fixture::empty();
    let target = shared.path("ra/bao-cao.pdf");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let reader = watch(target.clone(), vec![pa.clone(), pb.clone()], stop.clone());
    let wins = [AtomicUsize::new(0), AtomicUsize::new(0)];
    let mut outcomes = 0;
    for round in 0..ROUNDS {
        // Alternate who starts first; four writers in the last rounds.
        let mut children: Vec<Child> = if round % 2 == 0 {
            vec![spawn(&a.root, &target, &[]), spawn(&b.root, &target, &[])]
        } else {
            vec![spawn(&b.root, &target, &[]), spawn(&a.root, &target, &[])]
        };
        if round >= ROUNDS - 2 {
            children.push(spawn(&a.root, &target, &[]));
            children.push(spawn(&b.root, &target, &[]));
        }
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let got = std::fs::read(&target).unwrap();
        assert!(
            got.starts_with(b"%PDF-") && (got.ends_with(b"%%EOF\n") || got.ends_with(b"%%EOF")),
            "round {round}: not a complete PDF"
        );
        if got == pa {
            wins[0].fetch_add(1, Ordering::Relaxed);
        } else if got == pb {
            wins[1].fetch_add(1, Ordering::Relaxed);
        } else {
            panic!(
                "round {round}: the PDF equals neither build ({} bytes)",
                got.len()
            );
        }
        let left = leftovers(target.parent().unwrap());
        assert!(
            left.is_empty(),
            "round {round}: files left behind: {left:?}"
        );
        outcomes += 1;
    }
    stop.store(true, Ordering::Relaxed);
    let (reads, bad) = reader.join().unwrap();
    assert!(
        bad.is_empty(),
        "{} torn reads of {reads}:\n{}",
        bad.len(),
        bad.join("\n")
    );
    println!(
        "concurrency: {outcomes} vòng, PDF cuối = bản A {} lần, bản B {} lần; {reads} lần đọc trong lúc ghi, 0 tệp dở dang, 0 tệp tạm",
        wins[0].load(Ordering::Relaxed),
        wins[1].load(Ordering::Relaxed)
    );
}

/// A build that fails while writing, at the same time as one that succeeds: the good PDF
/// stays, whole, and neither leaves a temporary file.
#[test]
fn a_failing_writer_beside_a_good_one_loses_nothing() {
    let (a, b, pa, pb) = two_reports();
    let shared = Fixture::empty();
    let target = shared.path("bao-cao.pdf");
    std::fs::write(&target, &pb).unwrap();
    for round in 0..3 {
        let good = spawn(&a.root, &target, &[]);
        let bad = spawn(&b.root, &target, &["--test-fail-write"]);
        let g = good.wait_with_output().unwrap();
        let f = bad.wait_with_output().unwrap();
        assert!(g.status.success(), "{}", String::from_utf8_lossy(&g.stderr));
        assert_eq!(
            f.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&f.stderr)
        );
        assert!(!String::from_utf8_lossy(&f.stderr).contains("panicked"));
        assert_eq!(
            std::fs::read(&target).unwrap(),
            pa,
            "round {round}: the good PDF was not kept whole"
        );
        let left = leftovers(&shared.root);
        assert!(
            left.is_empty(),
            "round {round}: files left behind: {left:?}"
        );
    }
}
