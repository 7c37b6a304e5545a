//! Property tests (proptest, stable toolchain) over loading, computing and formatting, each
//! with a bounded number of cases so that CI stays fast: 1.000 for the pure functions, 500 for
//! parsing and reading files, 64 for a whole load → render; 9.564 cases in all.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use baocao::data::{self, IndicatorFile, Meta, Period, StrictMap, TableSpec, Value as DataValue};
use baocao::figures::{self, BoundKind, Plan};
use baocao::format::{self, Date, Number};
use baocao::text::{escape_markup, typst_string};
use proptest::prelude::*;
use proptest::test_runner::Config;
use rust_decimal::Decimal;
use typst::syntax::{SyntaxKind, SyntaxNode, ast};

/// Cases run by every property of this file, counted as they run.
static RAN: AtomicUsize = AtomicUsize::new(0);

fn config(cases: u32) -> Config {
    Config {
        cases,
        // No regression files written into the repository by a failing run in CI.
        failure_persistence: None,
        ..Config::default()
    }
}

fn ran() {
    RAN.fetch_add(1, Ordering::Relaxed);
}

/// A scratch folder of one case, removed however the case ends (a failing case returns early
/// and is then shrunk through many more).
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(kind: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "baocao-props-{kind}-{}-{}",
            std::process::id(),
            RAN.load(Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Text mixing any character with the ones that matter to Typst, minijinja, YAML and numbers.
fn hostile_text() -> impl Strategy<Value = String> {
    let special: Vec<char> = "\\#*_`$@<>[]~=-+/'\"{}%.:,;0123456789 \n\r\t\u{a0}\u{2028}\u{2029}\u{85}\u{b}\u{c}\u{0}\u{1}\u{1b}htps&!|?eE−–“”ếđẠ\u{301}\u{302}"
        .chars()
        .collect();
    // Whole sequences too: chance alone would rarely write "..." or "\n1. ".
    let tokens: Vec<String> = [
        "...",
        "....",
        "--",
        "---",
        "-?",
        "~",
        "1. ",
        "12. ",
        "= ",
        "== ",
        "- ",
        "+ ",
        "/ ",
        "https://",
        "http://x",
        "\\u{41}",
        "\\",
        "//",
        "/*",
        "*/",
        "```",
        "`",
        "#{",
        "#let ",
        "#read(",
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        "$",
        "@a",
        "<a>",
        "\n= ",
        "\n- ",
        "\n1. ",
        "\n\n",
        "\r\n",
        "\u{2028}1. ",
        "'",
        "\"",
        ": ",
        " #",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(special).prop_map(String::from),
            2 => prop::sample::select(tokens),
            1 => any::<char>().prop_map(String::from),
        ],
        0..32,
    )
    .prop_map(|parts| parts.concat())
}

/// Text made of what numbers are made of, so that many are valid and many nearly so.
fn numberish() -> impl Strategy<Value = String> {
    let chars: Vec<char> = "0123456789012345678901234567890.,.,-−+ %eE\u{a0}"
        .chars()
        .collect();
    prop::collection::vec(prop::sample::select(chars), 0..24).prop_map(String::from_iter)
}

fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (any::<i64>(), 0u32..=12).prop_map(|(m, s)| Decimal::new(m, s)),
        (-1_000_000i64..1_000_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s)),
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28
        )
            .prop_map(|(lo, mid, hi, neg, s)| Decimal::from_parts(lo, mid, hi, neg, s)),
        Just(Decimal::ZERO),
        Just(Decimal::MAX),
        Just(Decimal::MIN),
    ]
}

/// A number as a report writes it, with its value and decimals.
fn written_number() -> impl Strategy<Value = (String, Decimal, u32)> {
    ((-10_000_000_000i64..10_000_000_000), 0u32..=6, 0u32..=6).prop_map(|(m, s, d)| {
        let v = Decimal::new(m, s);
        let text = format::format_number(v, d);
        (text, figures::round_half_away(v, d), d)
    })
}

fn well_formed(e: &format::ParseError, input: &str) -> Result<(), TestCaseError> {
    prop_assert!(!e.message.is_empty(), "{input:?}: empty message");
    prop_assert!(
        !e.message.starts_with(char::is_uppercase),
        "{input:?}: {:?}",
        e.message
    );
    prop_assert!(!e.message.ends_with('.'), "{input:?}: {:?}", e.message);
    let hint = e.hint.as_deref().unwrap_or("");
    prop_assert!(!hint.is_empty(), "{input:?}: no hint for {:?}", e.message);
    prop_assert!(!hint.ends_with('.'), "{input:?}: {hint:?}");
    Ok(())
}

/// `-1.234.567,89`: sign, groups of three after the first, a comma fraction.
fn vietnamese_shape(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once(',').unwrap_or((s, ""));
    let groups: Vec<&str> = int.split('.').collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    digits(groups[0])
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3 && digits(g))
        && (frac.is_empty() || digits(frac))
        && !s.ends_with(',')
}

// ---------------------------------------------------------------------------------------------
// Formatting

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn parse_number_never_panics_and_explains(s in prop_oneof![numberish(), hostile_text()]) {
        ran();
        match format::parse_number(&s) {
            Ok(n) => {
                prop_assert_eq!(n.written.as_str(), s.trim());
                // An accepted number prints back to the same value at its decimals.
                let again = format::parse_number(&format::format_number(n.value, n.decimals)).unwrap();
                prop_assert_eq!(again.value, n.value);
                prop_assert_eq!(again.decimals, n.decimals);
            }
            Err(e) => well_formed(&e, &s)?,
        }
    }

    #[test]
    fn format_then_parse_is_rounding(v in decimal(), d in 0u32..=8) {
        ran();
        let text = format::format_number(v, d);
        prop_assert!(vietnamese_shape(&text), "{v} at {d}: {text:?}");
        prop_assert!(!text.starts_with("-0") || text.contains(|c: char| ('1'..='9').contains(&c)), "{text:?}");
        let n = format::parse_number(&text).unwrap();
        prop_assert_eq!(n.value, figures::round_half_away(v, d));
        prop_assert_eq!(n.decimals, d);
        let pct = format::format_percent(v, d);
        prop_assert!(pct.ends_with('%') && vietnamese_shape(&pct[..pct.len() - 1]), "{pct:?}");
    }

    #[test]
    fn dates_parse_print_and_parse_back(y in 1000i32..=9999, m in 1u32..=12, d in 1u32..=31, text in hostile_text()) {
        ran();
        let days = match m {
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let input = format!("{d}/{m}/{y}");
        match format::parse_date(&input) {
            Ok(date) => {
                prop_assert!(d <= days, "{input} accepted");
                prop_assert_eq!(&date, &Date { day: Some(d), month: Some(m), year: y });
                prop_assert_eq!(format::parse_date(&format::date_short(&date)).unwrap(), date.clone());
                let full = format::date_full(&date);
                prop_assert!(full.starts_with("ngày ") && full.ends_with(&format!("năm {y}")), "{full}");
            }
            Err(e) => {
                prop_assert!(d > days, "{input} refused: {e:?}");
                well_formed(&e, &input)?;
            }
        }
        if let Err(e) = format::parse_date(&text) {
            well_formed(&e, &text)?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Computing

fn plan_number() -> impl Strategy<Value = Number> {
    written_number().prop_map(|(t, _, _)| format::parse_number(&t).unwrap())
}

fn plan_strategy() -> impl Strategy<Value = Plan> {
    let num = plan_number;
    let kind = prop::sample::select(vec![
        BoundKind::Below,
        BoundKind::AtMost,
        BoundKind::Above,
        BoundKind::AtLeast,
    ]);
    prop_oneof![
        num().prop_map(Plan::Value),
        (num(), num()).prop_map(|(a, b)| if a.value <= b.value {
            Plan::Range(a, b)
        } else {
            Plan::Range(b, a)
        }),
        (kind, num()).prop_map(|(k, n)| Plan::Bound(k, n)),
    ]
}

fn same_number(a: &Number, b: &Number) -> bool {
    a.value == b.value && a.decimals == b.decimals
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn parse_plan_never_panics_and_explains(s in prop_oneof![numberish(), hostile_text()]) {
        ran();
        if let Err(e) = figures::parse_plan(&s) {
            well_formed(&e, &s)?;
        }
    }

    #[test]
    fn plans_print_and_parse_back(plan in plan_strategy()) {
        ran();
        let shown = figures::plan_display(&plan);
        let back = figures::parse_plan(&shown).unwrap_or_else(|e| panic!("{shown:?}: {e:?}"));
        let same = match (&plan, &back) {
            (Plan::Value(a), Plan::Value(b)) => same_number(a, b),
            (Plan::Range(a, b), Plan::Range(c, d)) => same_number(a, c) && same_number(b, d),
            (Plan::Bound(k, a), Plan::Bound(l, b)) => k == l && same_number(a, b),
            _ => false,
        };
        prop_assert!(same, "{plan:?} → {shown:?} → {back:?}");
    }

    #[test]
    fn arithmetic_never_panics(a in decimal(), b in decimal(), plan in plan_strategy(), higher in any::<bool>(), d in 0u32..=6, values in prop::collection::vec(decimal(), 0..6)) {
        ran();
        let r = figures::ratio_pct(a, b);
        if b.is_zero() {
            prop_assert!(r.is_none());
        }
        if let Some(r) = r {
            let phrase = figures::change_phrase(r, d, "cùng kỳ");
            prop_assert!(phrase.starts_with("tăng ") || phrase.starts_with("giảm ") || phrase == "bằng cùng kỳ", "{phrase}");
            prop_assert!(!phrase.contains("-"), "{phrase}");
        }
        let share = figures::share_of_plan(a, &plan, higher);
        let meets = figures::meets_plan(a, &plan, higher);
        prop_assert!(meets.is_some());
        // For a plain positive plan, "met" and "at least 100%" agree.
        if let (Plan::Value(p), Some(s), Some(m)) = (&plan, share, meets)
            && p.value > Decimal::ZERO
            && higher
            && a >= Decimal::ZERO
        {
            prop_assert_eq!(m, s >= Decimal::ONE_HUNDRED, "{} of {}: {}%", a, p.value, s);
        }
        let _ = figures::sum(&values);
        if let Some(m) = figures::mean(&values) {
            let lo = values.iter().min().unwrap();
            let hi = values.iter().max().unwrap();
            prop_assert!(*lo <= m + Decimal::new(1, 20) && m <= *hi + Decimal::new(1, 20), "mean {m} outside [{lo}, {hi}]");
        }
        prop_assert!(figures::round_half_away(a, d).is_sign_positive() || !figures::round_half_away(a, d).is_zero());
    }
}

// ---------------------------------------------------------------------------------------------
// Escaping, checked with Typst's own parser

/// Kinds that carry no meaning: what escaped data may parse into.
fn inert(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SyntaxKind::Markup | SyntaxKind::Text | SyntaxKind::Space | SyntaxKind::Escape
    )
}

fn kinds(node: &SyntaxNode, out: &mut Vec<SyntaxKind>) {
    out.push(node.kind());
    for c in node.children() {
        kinds(c, out);
    }
}

/// The text Typst shows for inert markup: escapes resolved.
fn shown(node: &SyntaxNode, out: &mut String) {
    match node.kind() {
        SyntaxKind::Escape => out.push_str(&node.leaf_text()[1..]),
        SyntaxKind::Text | SyntaxKind::Space => out.push_str(node.leaf_text()),
        _ => {
            for c in node.children() {
                shown(c, out);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn escaped_data_is_only_text_to_typst(s in hostile_text()) {
        ran();
        let esc = escape_markup(&s);
        // Expected text: line breaks (Typst's) and tabs as spaces, other controls gone.
        let want: String = s
            .chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{b}' | '\u{c}' => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect();
        // Alone (at the start of a line), inside a sentence, and inside a content block.
        for (before, after) in [("", ""), ("Số ", " vụ"), ("#[", "]")] {
            let markup = format!("{before}{esc}{after}");
            let root = typst::syntax::parse(&markup);
            prop_assert!(!root.diagnosis().errors, "{s:?} → {markup:?}: a syntax error");
            let mut ks = vec![];
            kinds(&root, &mut ks);
            let extra: Vec<_> = ks.iter().filter(|k| !inert(**k)).collect();
            if before.is_empty() || before == "Số " {
                prop_assert!(extra.is_empty(), "{s:?} → {markup:?}: {extra:?}");
                let mut text = String::new();
                shown(&root, &mut text);
                prop_assert_eq!(text, format!("{before}{want}{after}"));
            } else {
                let allowed = [SyntaxKind::Hash, SyntaxKind::ContentBlock, SyntaxKind::LeftBracket, SyntaxKind::RightBracket];
                prop_assert!(extra.iter().all(|k| allowed.contains(k)), "{s:?} → {markup:?}: {extra:?}");
                prop_assert_eq!(ks.iter().filter(|k| **k == SyntaxKind::RightBracket).count(), 1);
            }
        }
    }

    #[test]
    fn typst_strings_hold_data_exactly(s in hostile_text()) {
        ran();
        let code = format!("#let x = {}", typst_string(&s));
        let root = typst::syntax::parse(&code);
        prop_assert!(!root.diagnosis().errors, "{code:?}");
        fn find_str(n: &SyntaxNode) -> Option<String> {
            if let Some(s) = n.cast::<ast::Str>() {
                return Some(s.get().to_string());
            }
            n.children().find_map(find_str)
        }
        let got = find_str(&root).expect("a string literal");
        let want: String = s.chars().filter(|c| *c == '\n' || *c == '\t' || !c.is_control()).collect();
        prop_assert_eq!(got, want);
    }
}

// ---------------------------------------------------------------------------------------------
// Loading

/// A YAML double-quoted scalar holding `s` exactly.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn located_in(e: &baocao::diag::Error, path: &Path, text: &str) -> Result<(), TestCaseError> {
    prop_assert!(!e.0.is_empty());
    for d in &e.0 {
        prop_assert!(!d.message.is_empty());
        prop_assert!(
            !d.message.starts_with(char::is_uppercase) || d.message.starts_with("YAML"),
            "{:?}",
            d.message
        );
        let loc = d.location.as_ref().expect("a location");
        prop_assert_eq!(loc.file.as_path(), path);
        if let Some(l) = loc.line {
            // Lines as YAML counts them: CR, NEL, U+2028 and U+2029 break lines too.
            let lines = text
                .replace("\r\n", "\n")
                .matches(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
                .count()
                + 1;
            prop_assert!(l >= 1 && l <= lines, "line {l} of {lines} in {:?}", d);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn parsing_any_text_never_panics_and_locates(s in prop_oneof![hostile_text(), "[a-z_:\\- \\n\\[\\]{},#&*!|>'\"%@`0-9.]{0,80}"]) {
        ran();
        let p = Path::new("data/chi-tieu/x.yaml");
        if let Err(e) = data::parse_yaml::<IndicatorFile>(p, &s) { located_in(&e, p, &s)?; }
        if let Err(e) = data::parse_yaml::<Meta>(p, &s) { located_in(&e, p, &s)?; }
        if let Err(e) = data::parse_yaml::<StrictMap<DataValue>>(p, &s) { located_in(&e, p, &s)?; }
        if let Err(e) = data::parse_yaml::<TableSpec>(p, &s) { located_in(&e, p, &s)?; }
    }

    #[test]
    fn reading_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256), text in hostile_text()) {
        ran();
        let dir = Scratch::new("read");
        let path = dir.0.join("t.yaml");
        let mut read = vec![];
        for content in [bytes.clone(), text.clone().into_bytes(), [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()] {
            std::fs::write(&path, &content).unwrap();
            let r = data::read_text(&path);
            match &r {
                Ok(t) => {
                    // The text is the file as written, a byte-order mark left out: positions
                    // and in-place edits are the file's own bytes.
                    prop_assert_eq!(t.as_bytes(), content.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&content));
                    if let Err(e) = data::parse_yaml::<StrictMap<DataValue>>(&path, t) {
                        located_in(&e, &path, t)?;
                    }
                }
                Err(e) => located_in(e, &path, "")
                    .or_else(|_| located_in(e, &path, &String::from_utf8_lossy(&content)))?,
            }
            read.push(r.ok());
        }
        // A byte-order mark changes nothing (unless the text itself starts with one).
        if !text.starts_with('\u{feff}') {
            prop_assert_eq!(&read[1], &read[2]);
        }
    }

    /// Generated indicator files: valid ones load with every figure as written; one figure
    /// spoilt gives an error on its own line.
    #[test]
    fn generated_indicator_files_load_exactly(
        rows in prop::collection::vec(("[a-z][a-z0-9_]{0,12}", hostile_text(), written_number(), written_number(), prop::option::of(written_number())), 1..8),
        spoil in any::<prop::sample::Index>(),
        bad in prop::sample::select(vec!["2976.4", "1,2,3", "12%", "1e400", "+5", "12abc", "1 146"]),
    ) {
        ran();
        let mut text = String::from("chi_tieu:\n");
        let mut lines = vec![];
        for (i, (id, ten, th, ck, kh)) in rows.iter().enumerate() {
            text.push_str(&format!("  - id: {id}_{i}\n    ten: {}\n", yaml_quoted(&format!("Tên {ten}"))));
            if let Some(kh) = kh {
                text.push_str(&format!("    ke_hoach: \"{}\"\n", kh.0));
            }
            text.push_str("    ky:\n      6-thang:\n");
            lines.push(text.lines().count() + 1);
            text.push_str(&format!("        thuc_hien: {}\n        cung_ky: \"{}\"\n", th.0, ck.0));
        }
        let p = Path::new("data/chi-tieu/x.yaml");
        let file: IndicatorFile = data::parse_yaml(p, &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        prop_assert_eq!(file.chi_tieu.len(), rows.len());
        for (ind, (_, ten, th, ck, kh)) in file.chi_tieu.iter().zip(&rows) {
            // Texts are read composed (NFC), however they are written.
            prop_assert_eq!(&ind.ten.0, &baocao::text::normalize(&format!("Tên {ten}")));
            let v = ind.ky.get(Period::Half).unwrap();
            let t = &v.thuc_hien.as_ref().unwrap().0;
            prop_assert_eq!((t.value, t.decimals, t.written.as_str()), (th.1, th.2, th.0.as_str()));
            let c = &v.cung_ky.as_ref().unwrap().0;
            prop_assert_eq!((c.value, c.decimals), (ck.1, ck.2));
            match (kh, ind.ke_hoach.as_ref().map(|p| &p.0)) {
                (Some(kh), Some(Plan::Value(n))) => prop_assert_eq!((n.value, n.decimals), (kh.1, kh.2)),
                (None, None) => {}
                (a, b) => prop_assert!(false, "plan {a:?} read as {b:?}"),
            }
        }
        // Spoil one thuc_hien.
        let k = spoil.index(rows.len());
        let line = lines[k];
        let spoilt: String = text
            .lines()
            .enumerate()
            .map(|(i, l)| if i + 1 == line { format!("        thuc_hien: {bad}\n") } else { format!("{l}\n") })
            .collect();
        let e = data::parse_yaml::<IndicatorFile>(p, &spoilt).expect_err("a spoilt figure is an error");
        prop_assert_eq!(e.0[0].location.as_ref().and_then(|l| l.line), Some(line), "{}\n{}", e, spoilt);
    }
}

// ---------------------------------------------------------------------------------------------
// Loading, computing and rendering a whole folder

proptest! {
    #![proptest_config(config(64))]

    /// Random figures (zero, negative, huge, missing) through load → render with every helper:
    /// markup without NaN, none or a panic.
    #[test]
    fn random_figures_render_without_nan(
        figs in prop::collection::vec((prop::option::of(written_number()), prop::option::of(written_number()), prop::option::of(written_number())), 1..6),
        zero in any::<bool>(),
    ) {
        ran();
        let scratch = Scratch::new("render");
        let root = scratch.0.clone();
        std::fs::create_dir_all(root.join("data/chi-tieu")).unwrap();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(root.join("data/bao-cao.yaml"), crate::corpus::VALID_META).unwrap();
        let mut ind = String::from("chi_tieu:\n");
        let mut bieu = String::from("nhom:\n  - ten: Nhóm\n    chi_tieu:\n");
        let mut tpl = String::new();
        for (i, (th, ck, kh)) in figs.iter().enumerate() {
            ind.push_str(&format!("  - id: c{i}\n    ten: Chỉ tiêu {i}\n    don_vi: \"%\"\n"));
            match (kh, zero) {
                (_, true) => ind.push_str("    ke_hoach: \"0\"\n"),
                (Some(kh), _) => ind.push_str(&format!("    ke_hoach: \"{}\"\n", kh.0)),
                _ => {}
            }
            ind.push_str("    ky:\n      6-thang:\n");
            if let Some(th) = th { ind.push_str(&format!("        thuc_hien: \"{}\"\n", th.0)); }
            if let Some(ck) = ck { ind.push_str(&format!("        cung_ky: \"{}\"\n", ck.0)); }
            ind.push_str("        ghi_chu: x\n");
            bieu.push_str(&format!("      - c{i}\n"));
            tpl.push_str(&format!(
                "{{{{ pt_ke_hoach(ct.c{i}, 1) }}}} {{{{ so_cung_ky(ct.c{i}, 2) }}}} {{{{ tang_giam(ct.c{i}, 1) }}}} {{% if ct.c{i}.co_so_lieu %}}{{{{ tom_tat(ct.c{i}, 1) }}}} {{{{ th_kh(ct.c{i}) }}}} {{{{ so(ct.c{i}.th, 3) }}}}{{% endif %}}\n\n"
            ));
        }
        tpl.push_str("{{ dem_dat_ke_hoach() }}\n{% for g in bieu.groups %}{% for r in g.rows %}[{% for c in r.cells %}{{ c.text }}|{% endfor %}]{% endfor %}{% endfor %}\n");
        std::fs::write(root.join("data/chi-tieu/c.yaml"), &ind).unwrap();
        std::fs::write(root.join("data/bieu.yaml"), &bieu).unwrap();
        std::fs::write(root.join("templates/bao-cao.typ.j2"), &tpl).unwrap();
        let data = data::load(&root).unwrap_or_else(|e| panic!("{e}\n{ind}"));
        let out = baocao::render::render(&root, &data, Period::Half, &Default::default());
        let markup = out.unwrap_or_else(|e| panic!("{e}\n{ind}")).clean();
        for bad in ["NaN", "inf", "none", "None", "undefined"] {
            prop_assert!(!markup.contains(bad), "`{bad}` in {markup}");
        }
    }
}
