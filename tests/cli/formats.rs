//! `--format` (several outputs in one command), the HTML copy and `--pdf-a`.
//!
//! The HTML is read by a strict HTML5 parser (tests/html_check.py, html5lib with
//! `strict=True`); its text is checked against the seed through LibreOffice and
//! tests/tools/fidelity.py, as the PDF's is.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::fixture::*;

const PERIODS: [&str; 4] = ["quy-1", "6-thang", "9-thang", "ca-nam"];

fn out(period: &str, ext: &str) -> String {
    format!("output/bao-cao-{period}-2024.{ext}")
}

/// The facts tests/html_check.py reads from an HTML file with the strict parser; `None` (after
/// saying so, and failing under CI) when python3 or html5lib is missing.
fn html_facts(html: &Path) -> Option<Value> {
    let has = Command::new("python3")
        .args(["-c", "import html5lib"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has {
        tool_unavailable("html5lib", "pip install html5lib");
        return None;
    }
    let out = Command::new("python3")
        .arg(repo().join("tests/html_check.py"))
        .arg(html)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{} does not parse strictly: {}{}",
        html.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("html_check.py prints JSON"))
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap_or_default().to_string())
        .collect()
}

/// Every file of the folder (none when it does not exist).
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn every_period_gets_both_files_and_all_periods_gives_the_same_bytes() {
    let all = Fixture::default_report();
    // The PDF alone first: asking for the HTML as well must not change a byte of it.
    let pdf_run = all.run(&["build", "--all-periods"]).success();
    let pdf_only: Vec<Vec<u8>> = PERIODS
        .iter()
        .map(|p| std::fs::read(all.path(&out(p, "pdf"))).unwrap())
        .collect();
    let run = all
        .run(&["build", "--all-periods", "--format", "pdf,html"])
        .success();
    for (p, pdf) in PERIODS.iter().zip(&pdf_only) {
        assert!(
            run.stdout()
                .contains(&format!("đã ghi {}, {} (", out(p, "pdf"), out(p, "html"))),
            "{}",
            run.stdout()
        );
        assert_eq!(
            &std::fs::read(all.path(&out(p, "pdf"))).unwrap(),
            pdf,
            "{p}: the PDF changed when the HTML was asked for too"
        );
    }
    // Typst's HTML export leaves nothing out of this report: no warning beyond the PDF's
    // (the data's own, the same for both builds).
    assert_eq!(run.stderr(), pdf_run.stderr());
    let one = Fixture::default_report();
    for p in PERIODS {
        one.run(&["build", "--period", p, "--format", "html,pdf"])
            .success();
        for ext in ["pdf", "html"] {
            assert_eq!(
                std::fs::read(one.path(&out(p, ext))).unwrap(),
                std::fs::read(all.path(&out(p, ext))).unwrap(),
                "{p}.{ext}: --all-periods and --period differ"
            );
        }
    }
    // Same input, same bytes: a second run rewrites the same HTML.
    let first = std::fs::read(all.path(&out("ca-nam", "html"))).unwrap();
    all.run(&["build", "--period", "ca-nam", "--format", "html"])
        .success();
    assert_eq!(
        std::fs::read(all.path(&out("ca-nam", "html"))).unwrap(),
        first
    );

    for p in PERIODS {
        let Some(facts) = html_facts(&all.path(&out(p, "html"))) else {
            return;
        };
        check_html(p, &facts);
    }
}

/// What every period's HTML must hold.
fn check_html(period: &str, v: &Value) {
    let draft = period != "6-thang";
    assert_eq!(v["lang"], "vi", "{period}");
    let title = v["title"].as_str().unwrap();
    assert!(
        title.starts_with(if draft {
            "DỰ THẢO - Báo cáo "
        } else {
            "Báo cáo "
        }),
        "{period}: {title}"
    );
    assert_eq!(
        (
            &v["head_styles"],
            &v["body_styles"],
            &v["scripts"],
            &v["viewport"]
        ),
        (
            &Value::from(1),
            &Value::from(0),
            &Value::from(0),
            &Value::from(true)
        ),
        "{period}: one <style> in <head>, no script, a viewport"
    );
    // The footnotes: 14 in the six-month report, each mark linked to its note and back.
    let notes = v["notes"].as_array().unwrap();
    if period == "6-thang" {
        assert_eq!(notes.len(), 14, "{period}");
    }
    assert!(notes.len() >= 10, "{period}: {} notes", notes.len());
    for (i, n) in notes.iter().enumerate() {
        assert_eq!(n["number"], (i + 1).to_string(), "{period}: {n}");
        assert_eq!(n["target_tag"], "li", "{period}: {n}");
        assert_eq!(
            n["back"].as_str(),
            Some(format!("#{}", n["id"].as_str().unwrap()).as_str()),
            "{period}: note {} does not link back",
            i + 1
        );
    }
    // No request to an outside address: no `src` at all; an `href` is a footnote's `#…` or one
    // of the three legal texts the templates cite.
    let mut outside: Vec<String> = vec![];
    for l in v["links"].as_array().unwrap() {
        let value = l["value"].as_str().unwrap();
        assert_eq!(l["attr"], "href", "{period}: {l}");
        assert_eq!(l["tag"], "a", "{period}: {l}");
        if !value.starts_with('#') {
            assert!(
                value.starts_with("https://thuvienphapluat.vn/"),
                "{period}: {value}"
            );
            if !outside.contains(&value.to_string()) {
                outside.push(value.to_string());
            }
        }
    }
    assert_eq!(outside.len(), 3, "{period}: {outside:?}");
    // DỰ THẢO in the body of a draft (first), never in the issued report.
    let marks = strs(v, "draft");
    assert_eq!(
        marks,
        if draft {
            vec!["DỰ THẢO".to_string()]
        } else {
            vec![]
        },
        "{period}"
    );
    // Headings: BÁO CÁO and the trích yếu h1, Phần h2, "I." h3, "1." h4, "1.1." h5.
    let heads: Vec<(String, String, String)> = v["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["tag"].as_str().unwrap().to_string(),
                h["class"].as_str().unwrap_or_default().to_string(),
                h["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let first = |tag: &str| heads.iter().find(|h| h.0 == tag).unwrap().clone();
    assert_eq!(first("h1").1, "nd30-ten-van-ban");
    assert!(
        first("h1").2.starts_with("BÁO CÁO Tình hình thực hiện"),
        "{:?}",
        first("h1")
    );
    assert_eq!(heads.iter().filter(|h| h.0 == "h1").count(), 1, "{period}");
    assert!(
        first("h2").2.starts_with("Phần thứ nhất KẾT QUẢ"),
        "{:?}",
        first("h2")
    );
    assert!(
        heads
            .iter()
            .any(|h| h.0 == "h2" && h.2.starts_with("Phần thứ hai ")),
        "{period}"
    );
    assert!(
        first("h3").2.starts_with("I. ĐÁNH GIÁ"),
        "{:?}",
        first("h3")
    );
    assert_eq!(first("h4").2, "1. Lĩnh vực kinh tế");
    assert_eq!(
        first("h5").2,
        "1.1. Lĩnh vực sản xuất nông, lâm nghiệp và xây dựng nông thôn mới"
    );
    for (tag, class, _) in &heads {
        let want = match tag.as_str() {
            "h1" => "nd30-ten-van-ban",
            "h2" => "nd30-phan nd30-bieu-ten",
            "h3" => "nd30-muc",
            "h4" => "nd30-khoan",
            "h5" => "nd30-tieu-khoan",
            _ => panic!("{period}: a {tag}"),
        };
        assert!(
            want.split(' ').any(|w| w == class),
            "{period}: {tag}.{class}"
        );
    }
    // Run-in headings stay in their paragraph, in <strong>.
    let run_in: Vec<(String, String)> = v["run_in"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["class"].as_str().unwrap().to_string(),
                r["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        run_in.contains(&("nd30-diem".into(), "a) Trồng trọt:".into())),
        "{period}: {run_in:?}"
    );
    if period != "ca-nam" {
        assert!(
            run_in
                .iter()
                .any(|r| r.0 == "nd30-tieu-khoan" && r.1.ends_with(". Văn hóa – thông tin:")),
            "{period}: {run_in:?}"
        );
    }
    // The appendix is a table with a header.
    let tables = v["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1, "{period}");
    assert!(tables[0]["thead_th"].as_u64().unwrap() >= 6, "{period}");
    assert!(tables[0]["body_rows"].as_u64().unwrap() >= 20, "{period}");
    // The header block, the signature, Nơi nhận: each in its element.
    let classes = strs(v, "classes");
    for c in [
        "nd30-tieu-de",
        "nd30-co-quan",
        "nd30-quoc-hieu",
        "nd30-so",
        "nd30-ngay",
        "nd30-chu-ky",
        "nd30-noi-nhan",
        "nd30-phu-luc",
        "nd30-bieu",
    ] {
        assert!(classes.contains(&c.to_string()), "{period}: no .{c}");
    }
    let text = v["text"].as_str().unwrap();
    for want in [
        "ỦY BAN NHÂN DÂN THÀNH PHỐ CAO BẰNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
        "Nơi nhận: - Thường trực Thành ủy; - Thường trực HĐND TP;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "Biểu số 01",
    ] {
        assert!(text.contains(want), "{period}: no `{want}`");
    }
    if period == "6-thang" {
        assert!(
            text.contains("Thu ngân sách thành phố đạt 47,13% kế hoạch Tỉnh và HĐND giao"),
            "a derived figure"
        );
    }
}

#[test]
fn a_failing_format_writes_no_file() {
    // The HTML fails (a template that stops only for the web copy): no PDF either, in a fresh
    // folder and over the files of an earlier build.
    let f = Fixture::default_report();
    let stop = "\n#context if target() == \"html\" { assert(false, message: \"dừng bản HTML\") }\n";
    let root = f.read("templates/bao-cao.typ.j2");
    f.write("templates/bao-cao.typ.j2", &format!("{root}{stop}"));
    f.run(&["build", "--format", "pdf,html"])
        .failure()
        .stderr_contains("bản HTML (Typst)")
        .stderr_contains("dừng bản HTML")
        .stdout_contains("không dựng được: 1 lỗi");
    assert_eq!(files_in(&f.path("output")), Vec::<PathBuf>::new());
    // The PDF alone still builds: the failure was the HTML's.
    f.run(&["build"]).success();
    f.write("templates/bao-cao.typ.j2", &root);
    f.run(&["build", "--format", "pdf,html"]).success();
    let before: Vec<(PathBuf, Vec<u8>)> = files_in(&f.path("output"))
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    assert_eq!(before.len(), 2);
    // Changed data and the HTML failing: neither file changes, no temporary file stays.
    f.edit(
        "data/chi-tieu/kinh-te.yaml",
        "thuc_hien: 155,108",
        "thuc_hien: 160,2",
    );
    f.write("templates/bao-cao.typ.j2", &format!("{root}{stop}"));
    f.run(&["build", "--format", "pdf,html"]).failure();
    let after: Vec<(PathBuf, Vec<u8>)> = files_in(&f.path("output"))
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    assert_eq!(after, before);

    // The PDF fails (PDF/A refuses a character no font has): no HTML.
    let g = Fixture::default_report();
    g.edit(
        "data/bao-cao.yaml",
        "ten_co_quan: Ủy ban nhân dân thành phố Cao Bằng",
        "ten_co_quan: Ủy ban nhân dân thành phố Cao Bằng 中",
    );
    g.run(&["build", "--format", "pdf,html", "--pdf-a"])
        .failure()
        .stderr_contains(
            "lỗi: không xuất được PDF/A-2b: chữ “中” không có trong phông Liberation Serif",
        )
        .stderr_contains("--> templates/bao-cao.typ.j2:")
        .stderr_contains("gợi ý: thêm vào `fonts/`");
    assert_eq!(files_in(&g.path("output")), Vec::<PathBuf>::new());
    // Without PDF/A the same data builds (the missing glyph is Typst's usual box).
    g.run(&["build", "--format", "pdf,html"]).success();
}

#[test]
fn output_option_takes_one_format_with_its_extension() {
    let f = Fixture::default_report();
    let bad = |args: &[&str], want: &str| {
        let r = f.run(args);
        assert_eq!(r.0.status.code(), Some(2), "{args:?}: {}", r.stderr());
        assert!(r.stderr().contains(want), "{args:?}: {}", r.stderr());
        assert!(r.stderr().starts_with("lỗi: "), "{}", r.stderr());
    };
    bad(
        &["build", "--format", "pdf,html", "-o", "ban.pdf"],
        "`-o ban.pdf` ghi một tệp, nhưng `--format pdf,html` yêu cầu 2 định dạng",
    );
    bad(
        &["build", "--format", "html", "-o", "ban.pdf"],
        "tệp HTML phải có đuôi `.html`",
    );
    bad(&["build", "-o", "ban.html"], "tệp PDF phải có đuôi `.pdf`");
    bad(
        &["build", "--format", "html", "--pdf-a"],
        "`--pdf-a` chỉ dùng được khi dựng PDF",
    );
    bad(
        &["watch", "--format", "pdf,html", "-o", "x.pdf"],
        "2 định dạng",
    );
    let unknown = f.run(&["build", "--format", "odt"]);
    assert_eq!(unknown.0.status.code(), Some(2));
    assert!(!f.path("output").exists() && !f.path("ban.pdf").exists());
    f.run(&["build", "--format", "html", "-o", "ra/ban.html"])
        .success()
        .stdout_contains("đã ghi ra/ban.html (");
    assert!(f.read("ra/ban.html").starts_with("<!DOCTYPE html>"));
    assert_eq!(files_in(&f.path("ra")).len(), 1);
    // Asking twice for a format writes it once.
    f.run(&["build", "--format", "html,html", "-o", "ra/ban.html"])
        .success();
}

/// The XMP packet of a PDF (uncompressed in typst-pdf's output).
fn xmp(pdf: &[u8]) -> String {
    let s = String::from_utf8_lossy(pdf);
    let start = s.find("<x:xmpmeta").expect("an XMP packet");
    let end = s[start..].find("</x:xmpmeta>").unwrap() + start;
    s[start..end].to_string()
}

#[test]
fn pdf_a_is_archival_and_reproducible() {
    let f = Fixture::default_report();
    f.run(&["build", "--pdf-a", "-o", "a.pdf"]).success();
    f.run(&["build", "--pdf-a", "-o", "b.pdf"]).success();
    let a = std::fs::read(f.path("a.pdf")).unwrap();
    assert_eq!(
        a,
        std::fs::read(f.path("b.pdf")).unwrap(),
        "two builds, one file"
    );
    let meta = xmp(&a);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(
        meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{meta}"
    );
    let text = String::from_utf8_lossy(&a);
    assert!(text.contains("/OutputIntents"), "an output intent");
    assert!(
        text.contains("/Type/OutputIntent/DestOutputProfile"),
        "with its profile"
    );
    assert!(text.contains("/S/GTS_PDFA1"), "of PDF/A");
    // Only embedded fonts.
    let fonts = Command::new("pdffonts")
        .arg(f.path("a.pdf"))
        .output()
        .expect("pdffonts (poppler-utils)");
    let listing = String::from_utf8_lossy(&fonts.stdout);
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert!(rows.len() >= 3, "{listing}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [type…] encoding emb sub uni object ID
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "not embedded: {row}");
    }
    // The ordinary PDF does not claim PDF/A; a draft (the DỰ THẢO mark) conforms too.
    f.run(&["build", "-o", "thuong.pdf"]).success();
    assert!(
        !String::from_utf8_lossy(&std::fs::read(f.path("thuong.pdf")).unwrap())
            .contains("pdfaid:part")
    );
    f.run(&[
        "build", "--pdf-a", "--period", "quy-1", "--format", "pdf,html",
    ])
    .success();
    let draft = std::fs::read(f.path(&out("quy-1", "pdf"))).unwrap();
    assert!(xmp(&draft).contains("<pdfaid:part>2</pdfaid:part>"));
}

/// The repository's copy of fidelity.py (tests/tools/, with the seed text it reads).
pub(crate) fn fidelity_tool() -> Option<PathBuf> {
    Some(repo().join("tests/tools/fidelity.py"))
}

/// fidelity.py's recall of the seed's 5-grams in a PDF, in percent.
pub(crate) fn recall(tool: &Path, pdf: &Path) -> f64 {
    let out = Command::new("python3")
        .arg(tool)
        .arg(pdf)
        .output()
        .expect("python3");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("recall of reference 5-grams: "))
        .and_then(|v| v.trim_end_matches('%').parse().ok())
        .unwrap_or_else(|| panic!("no recall in {text}"))
}

#[test]
fn the_html_through_libreoffice_holds_the_seed_as_the_pdf_does() {
    if !have_tool("soffice") {
        return;
    }
    let Some(tool) = fidelity_tool() else { return };
    let f = Fixture::default_report();
    f.run(&["build", "--format", "pdf,html"]).success();
    // Writer's own HTML import (the plain `--convert-to pdf` goes through Writer/Web, which
    // drops the headings), with a profile of its own so that runs do not share one.
    let profile = format!("file://{}", f.path("lo-profile").display());
    let lo = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--infilter=HTML (StarWriter)",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
        ])
        .arg(f.path("lo"))
        .arg(f.path(&out("6-thang", "html")))
        .output()
        .expect("soffice");
    let converted = f.path("lo/bao-cao-6-thang-2024.pdf");
    assert!(
        converted.is_file(),
        "LibreOffice made no PDF: {}{}",
        String::from_utf8_lossy(&lo.stdout),
        String::from_utf8_lossy(&lo.stderr)
    );
    let html = recall(&tool, &converted);
    let pdf = recall(&tool, &f.pdf());
    eprintln!("fidelity: PDF {pdf:.2}%, HTML through LibreOffice {html:.2}%");
    assert!(
        (html - pdf).abs() <= 0.5,
        "HTML {html:.2}% against PDF {pdf:.2}%: more than 0,5 points apart"
    );
}
