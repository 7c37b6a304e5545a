//! Scale: a synthetic report of N indicators (its own small templates: a root importing
//! nd30.typ and an appendix table of every indicator). `cargo test` builds 2.000 indicators
//! (a 200-page appendix, a few seconds); the ignored `scale_measure` (run by
//! tests/scale/run.sh) builds 100, 500 and 2.000 and prints wall time and peak memory.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::corpus::VALID_META;
use crate::fixture::*;

/// Words for indicator names, so that names have the length of real ones.
const WORDS: &[&str] = &[
    "tổng",
    "giá trị",
    "sản xuất",
    "nông nghiệp",
    "công nghiệp",
    "thương mại",
    "dịch vụ",
    "tỷ lệ",
    "hộ nghèo",
    "lao động",
    "qua đào tạo",
    "thu ngân sách",
    "diện tích",
    "trồng rừng",
    "trường học",
    "đạt chuẩn",
    "quốc gia",
    "bảo hiểm",
    "y tế",
    "xã hội",
    "doanh nghiệp",
    "thành lập mới",
];

/// The root template: a short body and the appendix of every indicator of data/bieu.yaml.
const ROOT: &str = r#"#import "nd30.typ": *
#show: van-ban.with(meta)
#tieu-de(meta)

#muc[Kết quả thực hiện]

Trong {{ ky.ten }}, {{ dem_dat_ke_hoach() }} chỉ tiêu đạt và vượt kế hoạch. Chỉ tiêu thứ nhất: {{ tom_tat(ct.ct_0, 1) }}.

Trên đây là Báo cáo {{ bc.trich_yeu }} của {{ bc.ten_co_quan }}./.

#chu-ky(meta)
#phu-luc(meta, tieu-de: "Kết quả thực hiện các chỉ tiêu {{ ky.ten }}")[
#bang(
  rong: (1.2cm, 1fr, 1.8cm, 2.4cm, 2.4cm, 2cm, 2cm, 3.2cm),
  dau: (
    [*STT*], [*Chỉ tiêu*], [*ĐVT*], [*Kế hoạch năm {{ ky.nam }}*], [*Thực hiện*], [*So với kế hoạch (%)*], [*So với cùng kỳ (%)*], [*Ghi chú*],
  ),
  o: (
{% for g in bieu.groups %}
    ..nhom-bang([{{ g.numeral }}], [{{ g.name }}], 8),
{% for r in g.rows %}
    {% for c in r.cells %}[{{ c.text }}], {% endfor %}

{% endfor %}
{% endfor %}
  ),
)
]
"#;

/// A report folder with `n` indicators in files of 250, listed in groups of 100 in the table.
pub fn synthetic_report(n: usize) -> Fixture {
    let f = Fixture::empty();
    std::fs::create_dir_all(f.path("templates")).unwrap();
    std::fs::copy(
        repo().join("templates/nd30.typ"),
        f.path("templates/nd30.typ"),
    )
    .unwrap();
    f.write("templates/bao-cao.typ.j2", ROOT);
    f.write("data/bao-cao.yaml", VALID_META);
    let mut file = String::new();
    for i in 0..n {
        if i % 250 == 0 {
            if !file.is_empty() {
                f.write(
                    &format!("data/chi-tieu/nhom-{:02}.yaml", i / 250 - 1),
                    &file,
                );
            }
            file = String::from("chi_tieu:\n");
        }
        let name: Vec<&str> = (0..(12 + i % 14))
            .map(|k| WORDS[(i * 7 + k * 3) % WORDS.len()])
            .collect();
        let plan = 1_000 + (i * 37) % 9_000;
        let done = plan * (40 + i % 80) / 100;
        file.push_str(&format!(
            "  - id: ct_{i}\n    ten: Chỉ tiêu số {i} về {}\n    don_vi: tấn\n    so_thap_phan: 1\n    ke_hoach: {}\n    ky:\n      6-thang:\n        thuc_hien: {},{}\n        cung_ky: {}\n        ghi_chu: GC{i}\n",
            name.join(" "),
            group(plan),
            group(done),
            i % 10,
            group(done * 9 / 10 + 1),
        ));
    }
    f.write(
        &format!("data/chi-tieu/nhom-{:02}.yaml", (n - 1) / 250),
        &file,
    );
    let mut bieu = String::from("nhom:\n");
    for g in 0..n.div_ceil(100) {
        bieu.push_str(&format!(
            "  - ten: Nhóm chỉ tiêu {}\n    chi_tieu:\n",
            g + 1
        ));
        for i in g * 100..((g + 1) * 100).min(n) {
            bieu.push_str(&format!("      - ct_{i}\n"));
        }
    }
    f.write("data/bieu.yaml", &bieu);
    f
}

/// 1234567 → "1.234.567"
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn page_text(pdf: &Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &Path) -> usize {
    pdf_info(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|v| v.trim().parse().unwrap()))
        .expect("pdfinfo pages")
}

#[test]
fn two_thousand_indicators_and_a_200_page_appendix_build() {
    let n = 2000;
    let f = synthetic_report(n);
    f.run(&["check"]).success();
    // The template budgets' defaults are far above what this report needs: it renders within
    // a twentieth of the default fuel and a sixteenth of the default markup size.
    let fuel = (baocao::budget::DEFAULT_FUEL / 20).to_string();
    let markup = (baocao::budget::DEFAULT_MARKUP_MIB / 16).to_string();
    f.run(&["check", "--template-fuel", &fuel, "--markup-limit", &markup])
        .success();
    let t0 = Instant::now();
    // And it builds within half the default memory limit.
    let memory = (baocao::budget::DEFAULT_MEMORY_MIB / 2).to_string();
    f.run(&["build", "-o", "out.pdf", "--memory-limit", &memory])
        .success()
        .stdout_contains("out.pdf");
    let took = t0.elapsed();
    let p = pages(&f.path("out.pdf"));
    let text = pdf_text(&f.path("out.pdf"));
    // The appendix starts on a page of its own, after the signature.
    let start = (1..=5)
        .find(|k| page_text(&f.path("out.pdf"), *k).contains("Biểu số 01"))
        .expect("the appendix starts on one of the first pages");
    let appendix = p - start + 1;
    assert!(
        appendix >= 200,
        "{appendix} appendix pages for {n} indicators"
    );
    for i in [0, 1, 99, 100, 999, 1000, 1500, 1998, 1999] {
        assert!(
            text.contains(&format!("Chỉ tiêu số {i} về")),
            "row {i} missing"
        );
        assert!(text.contains(&format!("GC{i} ")), "note {i} missing");
    }
    assert!(text.contains("Nhóm chỉ tiêu 20"));
    println!("scale: {n} chỉ tiêu, {p} trang (phụ lục {appendix} trang), {took:?} (bản debug)");
}

/// Wall time and peak memory of `baocao build` at 100, 500 and 2.000 indicators, with the
/// binary of BAOCAO_BIN (the release build; tests/scale/run.sh sets it).
#[test]
#[ignore]
fn scale_measure() {
    let bin = std::env::var("BAOCAO_BIN").unwrap_or_else(|_| BIN.to_string());
    let sizes: Vec<usize> = std::env::var("SCALE_SIZES")
        .ok()
        .map(|s| s.split(',').map(|x| x.trim().parse().unwrap()).collect())
        .unwrap_or_else(|| vec![100, 500, 2000]);
    println!("| chỉ tiêu | trang | `build` | bộ nhớ đỉnh `build` | `check` (đọc + dựng mẫu) |");
    println!("|---:|---:|---:|---:|---:|");
    for n in sizes {
        let f = synthetic_report(n);
        let run = |args: &[&str]| {
            let out = Command::new("/usr/bin/time")
                .arg("-v")
                .arg(&bin)
                .args(args)
                .current_dir(&f.root)
                .output()
                .expect("/usr/bin/time (apt-get install time)");
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            assert!(out.status.success(), "{n}: {err}");
            let field = |name: &str| {
                err.lines()
                    .find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_string()))
                    .unwrap_or_else(|| panic!("no `{name}` in {err}"))
            };
            let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):");
            let (m, s) = wall.rsplit_once(':').unwrap();
            let secs = m.parse::<f64>().unwrap() * 60.0 + s.parse::<f64>().unwrap();
            let kb: f64 = field("Maximum resident set size (kbytes):")
                .parse()
                .unwrap();
            (secs, kb)
        };
        let best_of_3 = |args: &[&str]| {
            run(args); // warm the disk cache
            let mut best = (f64::MAX, 0.0);
            for _ in 0..3 {
                let (s, kb) = run(args);
                if s < best.0 {
                    best = (s, kb);
                }
            }
            best
        };
        let best = best_of_3(&["build", "-o", "out.pdf"]);
        let check = best_of_3(&["check"]);
        let p = pages(&f.path("out.pdf"));
        let text = pdf_text(&f.path("out.pdf"));
        assert!(
            text.contains(&format!("Chỉ tiêu số {} về", n - 1)),
            "{n}: the last row is missing"
        );
        let build_s = format!("{:.2}", best.0).replace('.', ",");
        let check_s = format!("{:.2}", check.0).replace('.', ",");
        println!(
            "| {} | {p} | {build_s} s | {:.0} MB | {check_s} s |",
            group(n),
            best.1 / 1024.0
        );
    }
}
