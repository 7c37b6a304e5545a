//! data/schema.json: the shipped data validates, and a wrong file does not.

use crate::fixture::*;
use std::process::Command;

fn validate(root: &std::path::Path) -> std::process::Output {
    Command::new("python3")
        .arg(repo().join("tests/schema_check.py"))
        .arg(root)
        .output()
        .expect("python3 with jsonschema and PyYAML (pip install jsonschema pyyaml)")
}

#[test]
fn shipped_data_matches_the_schema() {
    let out = validate(&repo());
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn schema_rejects_a_bad_id_and_an_unknown_key() {
    let f = Fixture::default_report();
    f.write(
        "data/chi-tieu/thu.yaml",
        "chi_tieu:\n  - id: Sai-Ma\n    ten: A\n    khoa_la: 1\n",
    );
    let out = validate(&f.root);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("thu.yaml"));
}
