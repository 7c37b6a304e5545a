//! Injection: text in data that carries Typst or minijinja syntax prints literally; Typst and
//! minijinja read nothing outside templates/; no network access is attempted; nothing in data
//! can attach a file to the PDF.

use std::path::Path;
use std::process::Command;

use crate::corpus::VALID_META;
use crate::fixture::*;

/// A marker that must never reach a PDF or a message: it lives outside templates/.
const SECRET: &str = "BI-MAT-7f3a91";

/// Strings that would be code, markup or template syntax if they were not escaped.
const PAYLOADS: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "#read(\"../bi-mat.txt\")",
    "#import \"@preview/cetz:0.3.0\": *",
    "#pdf.attach(\"../bi-mat.txt\")",
    "#pdf.embed(\"../data/bao-cao.yaml\")",
    "#link(\"file:///etc/passwd\")[x]",
    "#panic(\"x\")",
    "#{ 7 * 7 }",
    "#let x = 1",
    "#set page(width: 1cm)",
    "#show: none",
    "{{ 7 * 7 }}",
    "{% include \"../bi-mat.txt\" %}",
    "{# chú thích #}",
    "{{ sl }}",
    "*đậm* _nghiêng_",
    "$x^2 + y$",
    "@nhan <nhan>",
    "`mã` ```raw```",
    "] ) } [ ( {",
    "\\ \\\\ \\u{41}",
    "// không phải chú thích",
    "/* không phải chú thích */",
    "= Không phải đề mục",
    "- không phải gạch đầu dòng",
    "+ không phải danh sách",
    "1. không phải danh sách",
    "/ thuật ngữ: không phải",
    "https://example.com/x?a=1",
    "a -- b --- c -? d ~ e ... f",
    "\"ngoặc kép\" 'ngoặc đơn'",
    "100% & 5 < 6 > 4",
];

/// A root template of our own (the content templates are other engineers' work in progress):
/// each so-lieu value in its own paragraph, an indicator and its unit, the agency, a table.
const ROOT: &str = "#import \"nd30.typ\": *
#show: van-ban.with(meta)
#tieu-de(meta)

#khoan[{{ ct.zz_tiem.ten }}]

{% for k in range(n) %}
P{{ k }}: {{ ct['zz_p' ~ k].ten }} :H{{ k }}

{{ ct['zz_p' ~ k].ten }} :L{{ k }}

{% if ('p' ~ k) in sl.zz_tiem %}
S{{ k }}: {{ sl.zz_tiem['p' ~ k] }} :T{{ k }}

{% endif %}
{% endfor %}
Chỉ tiêu: {{ ct.zz_tiem.ten }} ({{ ct.zz_tiem.don_vi }}), ghi chú {{ ct.zz_tiem.ghi_chu }}; {{ bc.ten_co_quan }}.

#table(columns: 2, [{{ ct.zz_tiem.ten }}], [{{ sl.zz_tiem.p0 }}], [{{ ct.zz_p26.ten }}], [{{ ct.zz_p24.ten }}])

#chu-ky(meta)
";

/// The so-lieu file of the payloads (`p0`, `p1`, …) that are text there (a value starting
/// with a digit is a number in a so-lieu file).
fn payload_file() -> String {
    let mut s = String::new();
    for (i, p) in PAYLOADS.iter().enumerate() {
        if !p.starts_with(|c: char| c.is_ascii_digit()) {
            s.push_str(&format!("p{i}: {}\n", yaml_quoted(p)));
        }
    }
    s
}

/// One indicator a payload, its name the payload: `zz_p0`, `zz_p1`, …
fn payload_indicators() -> String {
    let mut s = String::from("chi_tieu:\n");
    for (i, p) in PAYLOADS.iter().enumerate() {
        s.push_str(&format!("  - id: zz_p{i}\n    ten: {}\n", yaml_quoted(p)));
    }
    s
}

fn yaml_quoted(p: &str) -> String {
    format!("\"{}\"", p.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A report folder whose data carries the payloads, with our root template.
fn injected() -> Fixture {
    let f = Fixture::default_report();
    std::fs::write(f.path("bi-mat.txt"), SECRET).unwrap();
    f.write(
        "templates/bao-cao.typ.j2",
        &ROOT.replace("range(n)", &format!("range({})", PAYLOADS.len())),
    );
    f.write("data/so-lieu/zz-tiem.yaml", &payload_file());
    f.write("data/chi-tieu/zz-payload.yaml", &payload_indicators());
    f.write(
        "data/chi-tieu/zz-tiem.yaml",
        &format!(
            "chi_tieu:\n  - id: zz_tiem\n    ten: {}\n    don_vi: {}\n    ghi_chu: {}\n    ky:\n      6-thang:\n        thuc_hien: 1\n",
            yaml_quoted("#read(\"../bi-mat.txt\") {{ 7*7 }} *x*"),
            yaml_quoted("$m^2$"),
            yaml_quoted("#pdf.attach(\"../bi-mat.txt\") ]"),
        ),
    );
    let meta = VALID_META
        .replace(
            "ten_co_quan: Ủy ban nhân dân thành phố Cao Bằng",
            &format!(
                "ten_co_quan: {}",
                yaml_quoted("Ủy ban #read(\"../bi-mat.txt\") {{ bc }}")
            ),
        )
        .replace(
            "  - Thường trực Thành ủy",
            &format!(
                "  - {}\n  - {}",
                yaml_quoted("#pdf.attach(\"../bi-mat.txt\")"),
                yaml_quoted("\") #read(\"../bi-mat.txt\") (\"")
            ),
        );
    f.write("data/bao-cao.yaml", &meta);
    f.write(
        "data/bieu.yaml",
        "nhom:\n  - ten: \"#read(\\\"../bi-mat.txt\\\")\"\n    chi_tieu: [zz_tiem]\n",
    );
    f
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a PDF must never hold when only data was hostile.
fn assert_no_attachment(pdf: &[u8], what: &str) {
    for key in [
        &b"/EmbeddedFile"[..],
        b"/FileAttachment",
        b"/JavaScript",
        b"/JS ",
        b"/Launch",
        b"/AF ",
    ] {
        assert!(
            !pdf.windows(key.len()).any(|w| w == key),
            "{what}: the PDF holds {}",
            String::from_utf8_lossy(key)
        );
    }
    assert!(
        !pdf.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
        "{what}: the secret is in the PDF bytes"
    );
}

#[test]
fn data_with_typst_and_minijinja_syntax_prints_literally() {
    let f = injected();
    let r = f.run(&["check"]);
    assert!(r.0.status.success(), "check: {}", r.stderr());
    f.run(&["build", "-o", "out.pdf", "--emit-typst", "out.typ"])
        .success();
    let pdf = std::fs::read(f.path("out.pdf")).unwrap();
    assert_no_attachment(&pdf, "payloads");
    let text = pdf_text(&f.path("out.pdf"));
    assert!(!text.contains(SECRET), "the secret reached the PDF text");
    let mut printed = 0;
    for (i, p) in PAYLOADS.iter().enumerate() {
        let mut wants = vec![format!("P{i}: {p} :H{i}"), format!("{p} :L{i}")];
        if !p.starts_with(|c: char| c.is_ascii_digit()) {
            wants.push(format!("S{i}: {p} :T{i}"));
        }
        for want in wants {
            let want = collapse(&want);
            assert!(
                text.contains(&want),
                "payload {i} not printed literally: want `{want}`\nin: {text}"
            );
            printed += 1;
        }
    }
    // (These sit in a long sentence; a line may break inside them, so spaces are ignored.)
    let bare = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for want in [
        "#read(\"../bi-mat.txt\") {{ 7*7 }} *x*",
        "($m^2$)",
        "#pdf.attach(\"../bi-mat.txt\") ]",
        "Ủy ban #read(\"../bi-mat.txt\") {{ bc }}",
    ] {
        assert!(
            bare(&text).contains(&bare(want)),
            "`{want}` not printed literally in: {text}"
        );
        printed += 1;
    }
    // The emitted markup holds no code from data: its only `#` calls are the template's.
    let markup = f.read("out.typ");
    assert!(
        !markup.contains("#read(\""),
        "data reached the markup as code"
    );
    assert!(
        !markup.contains("#pdf.attach(\""),
        "data reached the markup as code"
    );
    println!("injection: {printed} chuỗi in nguyên văn, 0 rò rỉ");
}

#[test]
fn line_and_paragraph_separators_in_data_do_not_break_the_layout() {
    let f = Fixture::default_report();
    f.write(
        "templates/bao-cao.typ.j2",
        "#import \"nd30.typ\": *\n#show: van-ban.with(meta)\nA {{ sl.zz.a }} B\n",
    );
    f.write(
        "data/so-lieu/zz.yaml",
        "a: \"x\\u2028\\u2028= Tiêu đề\\u20291. mục\\u0085- gạch\\u000b+ cộng\\fy\"\n",
    );
    f.run(&["build", "--emit-typst", "out.typ"]).success();
    let markup = f.read("out.typ");
    let line = markup
        .lines()
        .find(|l| l.starts_with("A "))
        .expect("the paragraph stays on one line");
    assert!(line.ends_with(" B"), "{line:?}");
    let text = pdf_text(&f.pdf());
    assert!(
        text.contains("A x = Tiêu đề 1. mục - gạch + cộng y B"),
        "{text}"
    );
}

#[test]
fn typst_and_minijinja_read_nothing_outside_templates() {
    let f = Fixture::default_report();
    std::fs::write(f.path("bi-mat.txt"), SECRET).unwrap();
    std::fs::write(f.path("bi-mat.typ"), format!("{SECRET}\n")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&f.root, f.path("templates/goc")).unwrap();
        std::os::unix::fs::symlink(f.path("bi-mat.txt"), f.path("templates/lo.txt")).unwrap();
    }
    let typst = [
        "#read(\"../bi-mat.txt\")",
        "#read(\"/../bi-mat.txt\")",
        "#read(\"../../../../../../../../etc/passwd\")",
        "#read(\"/etc/passwd\")",
        "#read(\"/proc/self/environ\")",
        "#read(\"goc/bi-mat.txt\")",
        "#read(\"lo.txt\")",
        "#read(\"goc/templates/../bi-mat.txt\")",
        "#image(\"../bi-mat.txt\")",
        "#json(\"../bi-mat.txt\")",
        "#yaml(\"../data/bao-cao.yaml\")",
        "#csv(\"../bi-mat.txt\")",
        "#include \"../bi-mat.typ\"",
        "#include \"goc/bi-mat.typ\"",
        "#import \"../bi-mat.typ\": *",
        "#plugin(\"../bi-mat.wasm\")",
        "#import \"@preview/cetz:0.3.0\": *",
        "#import \"@local/x:0.1.0\": *",
        "#read(\"https://example.com/\")",
    ];
    let jinja = [
        "{% include \"../bi-mat.txt\" %}",
        "{% include \"/etc/passwd\" %}",
        "{% include \"phu-luc/../../bi-mat.txt\" %}",
        "{% include \"goc/bi-mat.txt\" %}",
        "{% include \"lo.txt\" %}",
        "{% import \"../bi-mat.txt\" as x %}",
        "{% include \"..\\\\bi-mat.txt\" %}",
    ];
    let mut refused = 0;
    for expr in typst.iter().chain(&jinja) {
        f.write(
            "templates/bao-cao.typ.j2",
            &format!("#import \"nd30.typ\": *\n{expr}\n"),
        );
        for cmd in ["check", "build"] {
            if cmd == "check" && expr.starts_with('#') {
                continue; // check does not typeset
            }
            let r = f.run(&[cmd, "-o", "x.pdf"][..if cmd == "build" { 3 } else { 1 }]);
            assert!(!r.0.status.success(), "{cmd} `{expr}` succeeded");
            assert!(!r.stderr().contains("panicked"), "{expr}: {}", r.stderr());
            assert!(r.stderr().contains("lỗi: "), "{expr}: {}", r.stderr());
            assert!(
                !r.stderr().contains(SECRET) && !r.stdout().contains(SECRET),
                "{expr}: the secret leaked into a message"
            );
            refused += 1;
        }
        assert!(!f.path("x.pdf").exists(), "{expr}: a PDF was written");
    }
    println!("sandbox: {refused} lần đọc ra ngoài templates/ bị từ chối, 0 rò rỉ");
}

/// The build never opens a network socket, even when a template asks for a package and data
/// holds URLs (checked with strace; without strace the test fails under CI, see
/// `tool_unavailable`).
#[test]
fn no_network_access_is_attempted() {
    // No HTTP or TLS client is linked into the binary at all.
    let lock = std::fs::read_to_string(repo().join("Cargo.lock")).unwrap();
    for client in [
        "reqwest",
        "ureq",
        "hyper",
        "rustls",
        "native-tls",
        "openssl",
        "curl",
        "isahc",
        "attohttpc",
    ] {
        assert!(
            !lock.contains(&format!("name = \"{client}\"")),
            "Cargo.lock links `{client}`"
        );
    }
    let strace = Command::new("strace").arg("-V").output();
    if !strace.is_ok_and(|o| o.status.success()) {
        tool_unavailable("strace", "strace is not installed: no system-call check");
        return;
    }
    let f = injected();
    let log = f.path("strace.log");
    let run = |args: &[&str]| {
        Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=network", "-o"])
            .arg(&log)
            .arg(BIN)
            .args(args)
            .current_dir(&f.root)
            .output()
            .unwrap()
    };
    let out = run(&["build", "-o", "out.pdf"]);
    if !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("ptrace") {
        tool_unavailable(
            "strace",
            &format!(
                "strace cannot trace here (ptrace refused): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        );
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(
        !calls.contains("socket(") && !calls.contains("connect("),
        "network calls:\n{calls}"
    );
    // A template that imports a package: refused without a network call.
    f.edit(
        "templates/bao-cao.typ.j2",
        "#import \"nd30.typ\": *",
        "#import \"@preview/cetz:0.3.0\": *\n#import \"nd30.typ\": *",
    );
    let out = run(&["build", "-o", "out2.pdf"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("không tải gói"));
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(
        !calls.contains("socket(") && !calls.contains("connect("),
        "network calls:\n{calls}"
    );
}

/// Only a template can attach a file, and only one inside templates/; data never can.
#[test]
fn data_cannot_attach_a_file() {
    let f = injected();
    f.run(&["build", "-o", "out.pdf"]).success();
    assert_no_attachment(&std::fs::read(f.path("out.pdf")).unwrap(), "data");
    // A template may attach a file of templates/ (the control: the check above can see one)…
    let root = f.read("templates/bao-cao.typ.j2");
    f.write(
        "templates/bao-cao.typ.j2",
        &format!("{root}\n#pdf.attach(\"nd30.typ\")\n"),
    );
    f.run(&["build", "-o", "out1.pdf"]).success();
    let attached = std::fs::read(f.path("out1.pdf")).unwrap();
    assert!(
        attached.windows(13).any(|w| w == b"/EmbeddedFile"),
        "the control attachment is missing"
    );
    // … but never one from outside templates/.
    f.write(
        "templates/bao-cao.typ.j2",
        &format!("{root}\n#pdf.attach(\"../bi-mat.txt\")\n"),
    );
    let r = f.run(&["build", "-o", "out2.pdf"]);
    assert!(
        !r.0.status.success(),
        "a template attached a file from outside templates/"
    );
    assert!(
        r.stderr()
            .contains("chỉ cho Typst đọc tệp trong thư mục templates/"),
        "{}",
        r.stderr()
    );
    assert!(!Path::new(&f.path("out2.pdf")).exists());
}
