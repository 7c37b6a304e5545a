//! Excel: the biểu as a workbook (`baocao::xlsx::bieu_workbook`), `baocao form` and
//! `baocao import`. Workbooks are read back with calamine and, for what calamine does not
//! show (formats, protection, validation, print setup), from their XML parts.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use baocao::bieu::{self, Source};
use baocao::data::{self, Period};
use baocao::figures::round_half_away;
use baocao::format::format_number;
use baocao::xlsx::{self, WorkbookMeta};
use calamine::{Data, Reader, SheetVisible, Xlsx, open_workbook};
use rust_decimal::Decimal;

use crate::fixture::*;

// ---------------------------------------------------------------------------------------------
// Reading workbooks back

/// The text of one part of a workbook (`xl/styles.xml`).
fn part(xlsx: &Path, name: &str) -> String {
    let file = std::fs::File::open(xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut entry = zip.by_name(name).unwrap_or_else(|_| panic!("no {name}"));
    let mut s = String::new();
    entry.read_to_string(&mut s).unwrap();
    s
}

/// Every `<tag …>` element's attribute text in `xml`, in order.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let mut out = vec![];
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        if after.starts_with([' ', '>', '/']) {
            let end = after.find('>').unwrap();
            out.push(&after[..end]);
        }
        rest = &rest[i + open.len()..];
    }
    out
}

fn attr<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = element.find(&key)? + key.len();
    Some(&element[i..i + element[i..].find('"')?])
}

/// The number format and the locked flag of each cell style (`cellXfs`), by index.
fn styles(xlsx: &Path) -> Vec<(String, bool)> {
    let xml = part(xlsx, "xl/styles.xml");
    let mut codes: Vec<(String, String)> = elements(&xml, "numFmt")
        .into_iter()
        .map(|e| {
            (
                attr(e, "numFmtId").unwrap().to_string(),
                attr(e, "formatCode").unwrap().replace("&quot;", "\""),
            )
        })
        .collect();
    codes.push(("0".into(), "General".into()));
    let xfs = &xml[xml.find("<cellXfs").unwrap()..xml.find("</cellXfs>").unwrap()];
    // Each `<xf …>` with what follows it up to the next one (its `<protection>`).
    let mut out = vec![];
    let pieces: Vec<&str> = xfs.split("<xf ").skip(1).collect();
    for p in pieces {
        let id = attr(&format!(" {p}"), "numFmtId")
            .unwrap_or("0")
            .to_string();
        let code = codes
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| format!("builtin {id}"));
        let locked = !p.contains("locked=\"0\"");
        out.push((code, locked));
    }
    out
}

/// The style index of each cell of a sheet's XML, by A1 name.
fn cell_styles(sheet_xml: &str) -> Vec<(String, usize)> {
    elements(sheet_xml, "c")
        .into_iter()
        .filter_map(|e| {
            Some((
                attr(e, "r")?.to_string(),
                attr(e, "s").map_or(0, |s| s.parse().unwrap()),
            ))
        })
        .collect()
}

/// The part of the sheet named `name` (`xl/worksheets/sheetN.xml`).
fn sheet_part(xlsx: &Path, name: &str) -> String {
    let wb = part(xlsx, "xl/workbook.xml");
    let n = elements(&wb, "sheet")
        .iter()
        .position(|e| attr(e, "name") == Some(name))
        .unwrap_or_else(|| panic!("no sheet {name}"));
    part(xlsx, &format!("xl/worksheets/sheet{}.xml", n + 1))
}

/// A cell's value from A1 = (0, 0).
fn value(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn open(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The row (0-based) of the first cell of column `col` that reads `text`.
fn row_of(range: &calamine::Range<Data>, col: u32, text: &str) -> u32 {
    let (last, _) = range.end().unwrap();
    (0..=last)
        .find(|r| value(range, *r, col) == Data::String(text.to_string()))
        .unwrap_or_else(|| panic!("`{text}` not in column {col}"))
}

// ---------------------------------------------------------------------------------------------
// Filling a workbook as a department would

/// A cell a department types.
#[derive(Clone, Debug)]
enum Typed {
    N(f64),
    T(&'static str),
}

/// Save `from` again as `to`, as a spreadsheet program would after a department typed
/// `edits` (sheet, row, column, value): every cell of every sheet copied, the hidden sheet
/// kept hidden.
fn fill(from: &Path, to: &Path, edits: &[(&str, u32, u16, Typed)]) {
    let mut book = open(from);
    let sheets: Vec<(String, SheetVisible)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    let mut out = rust_xlsxwriter::Workbook::new();
    for (name, visible) in sheets {
        let range = book.worksheet_range(&name).unwrap();
        let ws = out.add_worksheet();
        ws.set_name(&name).unwrap();
        if visible != SheetVisible::Visible {
            ws.set_hidden(true);
        }
        if let Some((r0, c0)) = range.start() {
            for (r, c, v) in range.used_cells() {
                let (r, c) = (r as u32 + r0, (c as u32 + c0) as u16);
                match v {
                    Data::Float(f) => {
                        ws.write_number(r, c, *f).unwrap();
                    }
                    Data::Int(i) => {
                        ws.write_number(r, c, *i as f64).unwrap();
                    }
                    Data::String(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    other => panic!("unexpected cell {other:?}"),
                }
            }
        }
        // Merged cells stay merged (a title, a header over two columns).
        if visible == SheetVisible::Visible {
            for d in book.merge_cells_by_sheet_name(&name).unwrap() {
                let text = match value(&range, d.start.0, d.start.1) {
                    Data::String(s) => s,
                    Data::Empty => String::new(),
                    other => panic!("merged {other:?}"),
                };
                ws.merge_range(
                    d.start.0,
                    d.start.1 as u16,
                    d.end.0,
                    d.end.1 as u16,
                    &text,
                    &rust_xlsxwriter::Format::new(),
                )
                .unwrap();
            }
        }
        for (sheet, r, c, v) in edits {
            if *sheet == name {
                match v {
                    Typed::N(f) => ws.write_number(*r, *c, *f).unwrap(),
                    Typed::T(t) => ws.write_string(*r, *c, *t).unwrap(),
                };
            }
        }
    }
    out.save(to).unwrap();
}

/// The rows of the form's sheets, to address cells by id.
fn form_rows(path: &Path, sheet: &str) -> calamine::Range<Data> {
    open(path).worksheet_range(sheet).unwrap()
}

/// Form columns (see src/xlsx/form.rs).
const PLAN: u16 = 4;
const THUC_HIEN: u16 = 5;
const UOC: u16 = 6;
const CUNG_KY: u16 = 7;

fn data_files(f: &Fixture) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push((p.clone(), std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let mut out = vec![];
    walk(&f.path("data"), &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// The round trip

#[test]
fn form_fill_import_build_round_trip() {
    let f = Fixture::default_report();
    f.run(&["form", "phieu.xlsx"])
        .success()
        .stdout_contains("đã ghi phieu.xlsx (kỳ 6-thang, 46 chỉ tiêu");
    let before = data_files(&f);
    let kt = form_rows(&f.path("phieu.xlsx"), "kinh-te");
    let xh = form_rows(&f.path("phieu.xlsx"), "xa-hoi");
    let nn = form_rows(&f.path("phieu.xlsx"), "so-lieu nong-nghiep");
    let budget = row_of(&kt, 0, "thu_ngan_sach");
    let htx = row_of(&kt, 0, "htx_thanh_lap_moi");
    let part = row_of(&kt, 2, "Hộ cá thể");
    assert_eq!(
        value(&kt, part, 0),
        Data::String("gia_tri_sx_cong_nghiep".into()),
        "the first part row is the industry's"
    );
    let poor = row_of(&xh, 0, "ty_le_ho_ngheo");
    let rice = row_of(&nn, 0, "lua_xuan_nang_suat");
    fill(
        &f.path("phieu.xlsx"),
        &f.path("dien.xlsx"),
        &[
            // A number as a number, and one typed as text in the report's notation.
            ("kinh-te", budget, THUC_HIEN, Typed::N(160.2)),
            ("kinh-te", budget, CUNG_KY, Typed::T("134,1")),
            // Equal to the old `03`: no change.
            ("kinh-te", htx, THUC_HIEN, Typed::N(3.0)),
            // A part of a total.
            ("kinh-te", part, UOC, Typed::N(85.5)),
            // A plan as text.
            ("xa-hoi", poor, PLAN, Typed::T("dưới 0,9")),
            // A so-lieu value of this period.
            ("so-lieu nong-nghiep", rice, 2, Typed::N(57.0)),
        ],
    );
    let out = f.run(&["import", "dien.xlsx"]).success().stdout();
    assert!(out.contains("số liệu thay đổi: 5"), "{out}");
    for line in [
        "chỉ tiêu `thu_ngan_sach` (Thu ngân sách thành phố), thực hiện kỳ 6-thang: 155,108 → 160,2",
        "chỉ tiêu `thu_ngan_sach` (Thu ngân sách thành phố), cùng kỳ kỳ 6-thang: (không có) → 134,1",
        "thành phần “Hộ cá thể” kỳ 6-thang: 84,34 → 85,5",
        "chỉ tiêu `ty_le_ho_ngheo` (Tỷ lệ hộ nghèo), kế hoạch: dưới 1 → dưới 0,9",
        "số liệu `sl.nong_nghiep.lua_xuan_nang_suat` kỳ 6-thang: 56 → 57",
        "«155,108/329,130»",
        "«160,2/329,130»",
        "đã ghi 3 tệp",
    ] {
        assert!(out.contains(line), "`{line}` missing:\n{out}");
    }

    // The YAML differs only in the changed values' lines and the added ones.
    let after = data_files(&f);
    let new_file = f.path("data/ky/6-thang/so-lieu/nong-nghiep.yaml");
    let mut expected: Vec<(PathBuf, String)> = before
        .iter()
        .map(|(p, text)| {
            let name = p.to_string_lossy();
            let text = if name.ends_with("chi-tieu/kinh-te.yaml") {
                text.replacen(
                    "        thuc_hien: 155,108        # đến ngày chốt số liệu 31/5\n        uoc_thuc_hien: 182,575    # ước thực hiện đến 30/6\n",
                    "        thuc_hien: 160,2        # đến ngày chốt số liệu 31/5\n        uoc_thuc_hien: 182,575    # ước thực hiện đến 30/6\n        cung_ky: 134,1\n",
                    1,
                )
                .replacen(
                    "          - ten: Hộ cá thể\n            gia_tri: 84,34\n",
                    "          - ten: Hộ cá thể\n            gia_tri: 85,5\n",
                    1,
                )
            } else if name.ends_with("chi-tieu/xa-hoi.yaml") {
                text.replacen("    ke_hoach: dưới 1\n", "    ke_hoach: dưới 0,9\n", 1)
            } else {
                text.clone()
            };
            (p.clone(), text)
        })
        .collect();
    expected.push((
        new_file.clone(),
        "# yaml-language-server: $schema=../../../schema.json\n# Số liệu riêng của kỳ 6-thang (thay các khóa cùng tên của data/so-lieu/nong-nghiep.yaml),\n# ghi bởi `baocao import`.\nlua_xuan_nang_suat: 57  # tạ/ha\n".into(),
    ));
    expected.sort();
    assert_eq!(after.len(), expected.len());
    for ((p, got), (q, want)) in after.iter().zip(&expected) {
        assert_eq!(p, q);
        assert_eq!(got, want, "{}", p.display());
    }
    assert_ne!(after, before);

    // The PDF shows the new figures and their percentages.
    f.run(&["build"]).success();
    let text = pdf_text(&f.pdf());
    for s in [
        "160,2/329,130 tỷ đồng, đạt 48,7% kế hoạch",
        "Hộ cá thể đạt 85,5 tỷ đồng",
        "Năng suất: 57 tạ/ha",
        // 182,575 / 134,1 = 136,148…%, printed at the report's one decimal (so_thap_phan).
        "136,1",
        "dưới 0,9",
    ] {
        assert!(text.contains(s), "`{s}` not in the PDF");
    }
    assert!(
        !text.contains("136,15"),
        "a ratio printed past the report's decimals"
    );

    // The same workbook again: nothing left to change, nothing written.
    let again = f.run(&["import", "dien.xlsx"]).success().stdout();
    assert!(again.contains("không có số liệu nào thay đổi"), "{again}");
    assert!(again.contains("không ghi tệp nào"), "{again}");
    assert_eq!(data_files(&f), after);
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let f = Fixture::default_report();
    f.run(&["form", "phieu.xlsx"]).success();
    let kt = form_rows(&f.path("phieu.xlsx"), "kinh-te");
    let budget = row_of(&kt, 0, "thu_ngan_sach");
    fill(
        &f.path("phieu.xlsx"),
        &f.path("dien.xlsx"),
        &[("kinh-te", budget, THUC_HIEN, Typed::N(160.2))],
    );
    let before = data_files(&f);
    let out = f
        .run(&["import", "--dry-run", "dien.xlsx"])
        .success()
        .stdout();
    assert!(out.contains("155,108 → 160,2"), "{out}");
    assert!(out.contains("«160,2/329,130»"), "{out}");
    assert!(
        out.contains("(--dry-run)") && out.contains("chưa ghi tệp nào"),
        "{out}"
    );
    assert_eq!(data_files(&f), before);
}

#[test]
fn a_new_period_block_goes_in_its_place_and_illustrative_flags_go() {
    let f = Fixture::default_report();
    // An indicator without a 9-thang block yet (no template prints it).
    let xa_hoi = f.read("data/chi-tieu/xa-hoi.yaml");
    f.write(
        "data/chi-tieu/xa-hoi.yaml",
        &format!("{xa_hoi}\n  - id: nha_van_hoa_moi\n    ten: Nhà văn hóa xây mới\n    don_vi: nhà\n    so_thap_phan: 0\n    ky:\n      6-thang:\n        thuc_hien: 2\n      ca-nam:\n        minh_hoa: true\n        thuc_hien: 5\n"),
    );
    f.run(&["form", "--period", "9-thang", "phieu.xlsx"])
        .success();
    let data = data::load(&f.root).unwrap();
    // A new figure for every indicator of the period: each illustrative block is replaced.
    let mut edits = vec![];
    let book = open(&f.path("phieu.xlsx"));
    for sheet in ["kinh-te", "ngan-sach-dat-dai", "xa-hoi"] {
        let range = form_rows(&f.path("phieu.xlsx"), sheet);
        for ind in &data.indicators {
            let Some(r) = (0..=range.end().unwrap().0).find(|r| {
                value(&range, *r, 0) == Data::String(ind.id.0.clone())
                    && value(&range, *r, 2) == Data::Empty
            }) else {
                continue;
            };
            edits.push((sheet, r, THUC_HIEN, Typed::N(29.0)));
        }
    }
    drop(book);
    assert_eq!(edits.len(), 47);
    fill(&f.path("phieu.xlsx"), &f.path("dien.xlsx"), &edits);
    let before = data_files(&f);
    let flagged = data
        .indicators
        .iter()
        .filter(|i| i.ky.get(Period::NineMonths).is_some_and(|b| b.minh_hoa))
        .count();
    let out = f.run(&["import", "dien.xlsx"]).success().stdout();
    // Every line that changed is a figure, a removed flag or a new line of the new block.
    let after = data_files(&f);
    let (mut removed, mut added) = (vec![], vec![]);
    assert_eq!(before.len(), after.len(), "no file added");
    for ((p, a), (q, b)) in before.iter().zip(&after) {
        assert_eq!(p, q);
        let (r, d) = line_diff(a, b);
        removed.extend(r);
        added.extend(d);
    }
    let flags = removed
        .iter()
        .filter(|l| l.trim() == "minh_hoa: true")
        .count();
    assert_eq!(flags, flagged + 1, "each block's flag and the period's");
    for l in &removed {
        let t = l.trim();
        assert!(
            t == "minh_hoa: true" || t.starts_with("thuc_hien: "),
            "removed {l:?}"
        );
    }
    for l in &added {
        let t = l.trim();
        assert!(
            t.starts_with("thuc_hien: 29") || *l == "      9-thang:",
            "added {l:?}"
        );
    }
    assert_eq!(
        added
            .iter()
            .filter(|l| l.trim().starts_with("thuc_hien: 29"))
            .count(),
        47
    );
    assert!(
        out.contains("bỏ `minh_hoa: true` ở khối `9-thang` của chỉ tiêu `thu_ngan_sach`"),
        "{out}"
    );
    assert!(
        out.contains("bỏ `minh_hoa: true` của kỳ `9-thang` trong `./data/bao-cao.yaml`"),
        "{out}"
    );
    let xh = f.read("data/chi-tieu/xa-hoi.yaml");
    assert!(
        xh.ends_with("      6-thang:\n        thuc_hien: 2\n      9-thang:\n        thuc_hien: 29\n      ca-nam:\n        minh_hoa: true\n        thuc_hien: 5\n"),
        "the new block sits between 6-thang and ca-nam:\n{xh}"
    );
    // An illustrative block that held figures is now the department's.
    assert!(xh.contains("      9-thang:\n        thuc_hien: 29\n        ghi_chu: \"Trường mầm non Tân Giang đang hoàn thiện hồ sơ công nhận\"\n"), "{xh}");
    let meta = f.read("data/bao-cao.yaml");
    let nine = &meta[meta.find("  9-thang:").unwrap()..meta.find("  ca-nam:").unwrap()];
    assert!(!nine.contains("minh_hoa"), "{nine}");
    // quy-1 and ca-nam keep theirs.
    assert_eq!(meta.matches("    minh_hoa: true\n").count(), 2, "{meta}");
    let again = data::load(&f.root).unwrap();
    assert!(
        again
            .indicators
            .iter()
            .all(|i| !i.ky.get(Period::NineMonths).unwrap().minh_hoa)
    );
    // Other periods keep theirs.
    assert!(
        again
            .indicators
            .iter()
            .any(|i| i.ky.get(Period::Quarter1).is_some_and(|b| b.minh_hoa))
    );
    // No longer a draft for illustrative figures. Every figure is now 29, so the ratios the
    // prose states beside them (data/ty-le.yaml) no longer match: those alone keep the mark.
    let build = f.run(&["build", "--period", "9-thang"]).success();
    let why = build.stdout();
    assert!(!why.contains("minh_hoa"), "{why}");
    assert!(why.contains("bản DỰ THẢO vì:"), "{why}");
    let causes: Vec<&str> = why.lines().filter(|l| l.starts_with("  - ")).collect();
    assert!(!causes.is_empty(), "{why}");
    for c in &causes {
        assert!(
            c.contains("tỷ lệ"),
            "only stated ratios keep the draft: {c}"
        );
    }
}

/// The lines of `a` not in `b` and of `b` not in `a`, by a longest common subsequence.
fn line_diff(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let (x, y): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let (n, m) = (x.len(), y.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if x[i] == y[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (vec![], vec![]);
    while i < n || j < m {
        if i < n && j < m && x[i] == y[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(y[j].to_string());
            j += 1;
        } else {
            removed.push(x[i].to_string());
            i += 1;
        }
    }
    (removed, added)
}

// ---------------------------------------------------------------------------------------------
// Bad cells

#[test]
fn bad_cells_are_all_named_and_nothing_is_written() {
    let f = Fixture::default_report();
    f.run(&["form", "phieu.xlsx"]).success();
    let kt = form_rows(&f.path("phieu.xlsx"), "kinh-te");
    let budget = row_of(&kt, 0, "thu_ngan_sach");
    let trade = row_of(&kt, 0, "tong_muc_luu_chuyen");
    let htx = row_of(&kt, 0, "htx_thanh_lap_moi");
    let last = kt.end().unwrap().0;
    fill(
        &f.path("phieu.xlsx"),
        &f.path("dien.xlsx"),
        &[
            ("kinh-te", budget, THUC_HIEN, Typed::N(160.2)),
            ("kinh-te", trade, THUC_HIEN, Typed::T("2976.4")),
            ("kinh-te", htx, THUC_HIEN, Typed::N(-2.0)),
            ("kinh-te", last + 1, 0, Typed::T("chi_tieu_la")),
            ("kinh-te", last + 1, THUC_HIEN, Typed::N(5.0)),
        ],
    );
    let before = data_files(&f);
    let run = f.run(&["import", "dien.xlsx"]).failure();
    let err = run.stderr();
    let trade_cell = format!("'kinh-te'!F{}", trade + 1);
    let htx_cell = format!("'kinh-te'!F{}", htx + 1);
    let id_cell = format!("'kinh-te'!A{}", last + 2);
    for s in [
        format!(
            "lỗi: ô `{trade_cell}` (chỉ tiêu `tong_muc_luu_chuyen`, thực hiện): `2976.4` không đúng cách viết số của báo cáo"
        ),
        "gợi ý: viết `2.976,4`".to_string(),
        format!("lỗi: ô `{htx_cell}` (chỉ tiêu `htx_thanh_lap_moi`, thực hiện): -2 là số âm"),
        format!("lỗi: ô `{id_cell}`: không có chỉ tiêu nào mã `chi_tieu_la`"),
        "không nhập gì từ `dien.xlsx`: 3 ô sai, chưa ghi tệp nào".to_string(),
    ] {
        assert!(err.contains(&s), "`{s}` missing:\n{err}");
    }
    assert_eq!(run.0.status.code(), Some(1));
    assert_eq!(data_files(&f), before);
}

#[test]
fn the_period_comes_from_the_workbook() {
    let f = Fixture::default_report();
    f.run(&["form", "--period", "quy-1", "phieu.xlsx"])
        .success();
    f.run(&["import", "--period", "6-thang", "phieu.xlsx"])
        .failure()
        .stderr_contains("bảng tính `phieu.xlsx` là số liệu kỳ `quy-1`, không phải kỳ `6-thang`");
    f.run(&["import", "--period", "quy-1", "phieu.xlsx"])
        .success();
    // Another year.
    f.edit("data/bao-cao.yaml", "nam: 2024", "nam: 2025");
    f.run(&["import", "phieu.xlsx"])
        .failure()
        .stderr_contains("là số liệu năm 2024, báo cáo là năm 2025");
    f.edit("data/bao-cao.yaml", "nam: 2025", "nam: 2024");
    // A workbook baocao did not make needs --period.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Mã").unwrap();
    ws.write_string(0, 1, "Thực hiện").unwrap();
    ws.write_string(1, 0, "thu_ngan_sach").unwrap();
    ws.write_number(1, 1, 160.2).unwrap();
    wb.save(f.path("khac.xlsx")).unwrap();
    f.run(&["import", "khac.xlsx"])
        .failure()
        .stderr_contains("gợi ý: ghi kỳ của số liệu: `--period 6-thang`");
    f.run(&["import", "--period", "6-thang", "khac.xlsx"])
        .success()
        .stdout_contains("155,108 → 160,2");
    // Not a workbook.
    f.write("hong.xlsx", "không phải zip");
    f.run(&["import", "--period", "6-thang", "hong.xlsx"])
        .failure()
        .stderr_contains("không đọc được bảng tính `hong.xlsx`");
    f.run(&["form", "phieu.yaml"])
        .failure()
        .stderr_contains("`phieu.yaml` không phải tệp `.xlsx`");
}

// ---------------------------------------------------------------------------------------------
// A workbook baocao did not make

#[test]
fn a_foreign_workbook_is_matched_by_its_id_column_or_names() {
    let f = Fixture::default_report();
    let mut wb = rust_xlsxwriter::Workbook::new();
    // An extra sheet first.
    wb.add_worksheet()
        .set_name("Ghi chú")
        .unwrap()
        .write_string(0, 0, "Số liệu gửi Văn phòng UBND")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Phòng Tài chính").unwrap();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    // Merged title rows, then a two-row header with merged cells, columns in another order.
    ws.merge_range(0, 0, 0, 5, "BÁO CÁO SỐ LIỆU 6 THÁNG ĐẦU NĂM 2024", &bold)
        .unwrap();
    ws.merge_range(1, 0, 1, 5, "(Phòng Tài chính - Kế hoạch)", &bold)
        .unwrap();
    ws.merge_range(2, 0, 3, 0, "Ước thực hiện", &bold).unwrap();
    ws.merge_range(2, 1, 3, 1, "Tên chỉ tiêu", &bold).unwrap();
    ws.merge_range(2, 2, 2, 3, "So sánh (%)", &bold).unwrap();
    ws.write_string(3, 2, "Kế hoạch").unwrap();
    ws.write_string(3, 3, "Cùng kỳ").unwrap();
    ws.merge_range(2, 4, 3, 4, "Mã", &bold).unwrap();
    ws.merge_range(2, 5, 3, 5, "Thực hiện", &bold).unwrap();
    let rows: [(&str, &str, f64, f64); 2] = [
        ("thu_ngan_sach", "Thu ngân sách thành phố", 190.0, 160.2),
        ("tong_muc_luu_chuyen", "Tổng mức lưu chuyển", 3000.5, 2976.4),
    ];
    for (i, (id, name, est, done)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, *est).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_number(r, 2, 99.9).unwrap();
        ws.write_number(r, 3, 101.1).unwrap();
        ws.write_string(r, 4, *id).unwrap();
        ws.write_number(r, 5, *done).unwrap();
    }
    // A total row, without an id.
    ws.write_string(6, 1, "Tổng cộng").unwrap();
    ws.write_number(6, 5, 3136.6).unwrap();
    wb.save(f.path("phong.xlsx")).unwrap();
    let run = f
        .run(&["import", "--period", "6-thang", "phong.xlsx"])
        .success();
    let out = run.stdout();
    assert!(out.contains("số liệu thay đổi: 3"), "{out}");
    assert!(
        out.contains("thực hiện kỳ 6-thang: 155,108 → 160,2"),
        "{out}"
    );
    assert!(
        out.contains("ước thực hiện kỳ 6-thang: 182,575 → 190,0"),
        "{out}"
    );
    assert!(
        out.contains("`tong_muc_luu_chuyen` (Tổng mức lưu chuyển hàng hóa và doanh thu thương mại dịch vụ), ước thực hiện kỳ 6-thang: (không có) → 3.000,5"),
        "{out}"
    );
    // 2.976,4 is the old figure: unchanged. The % columns are never read.
    let err = run.stderr();
    assert!(
        err.contains(
            "cảnh báo: dòng 7 của trang `Phòng Tài chính` có số nhưng không có mã chỉ tiêu: bỏ qua"
        ),
        "{err}"
    );
    assert!(
        err.contains("cảnh báo: trang `Ghi chú` không có dòng tiêu đề nào nhận ra được: bỏ qua"),
        "{err}"
    );
    let kt = f.read("data/chi-tieu/kinh-te.yaml");
    assert!(kt.contains("        thuc_hien: 160,2        # đến ngày chốt số liệu 31/5\n        uoc_thuc_hien: 190,0    # ước thực hiện đến 30/6\n"));
    assert!(
        kt.contains("        thuc_hien: 2.976,4\n        uoc_thuc_hien: 3.000,5\n"),
        "{kt}"
    );

    // Without an id column: by name, exactly (decomposed Vietnamese composed first).
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Chỉ tiêu").unwrap();
    ws.write_string(0, 1, "Cùng kỳ").unwrap();
    use unicode_normalization::UnicodeNormalization;
    let nfd: String = "Thu ngân sách thành phố".nfd().collect();
    ws.write_string(1, 0, &nfd).unwrap();
    ws.write_number(1, 1, 134.1).unwrap();
    ws.write_string(2, 0, "Thu ngan sach").unwrap();
    ws.write_number(2, 1, 1.0).unwrap();
    wb.save(f.path("ten.xlsx")).unwrap();
    let run = f
        .run(&["import", "--period", "6-thang", "ten.xlsx"])
        .success();
    assert!(
        run.stdout()
            .contains("cùng kỳ kỳ 6-thang: (không có) → 134,1"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr().contains("cảnh báo: dòng 3 của trang `Sheet1` (“Thu ngan sach”) không khớp tên chỉ tiêu nào: bỏ qua"),
        "{}",
        run.stderr()
    );
}

// ---------------------------------------------------------------------------------------------
// The biểu as a workbook

fn bieu_bytes(root: &Path, period: Period) -> (bieu::Table, Vec<u8>) {
    let data = data::load(root).unwrap();
    let table = bieu::describe(&data, period).unwrap();
    let meta = WorkbookMeta::new(&data, period, None).unwrap();
    let bytes = xlsx::bieu_workbook(&table, &meta).unwrap();
    (table, bytes)
}

/// The rows of the table in the sheet: (row index from A1, the table's row).
fn sheet_rows(table: &bieu::Table) -> Vec<(u32, &bieu::Row)> {
    let mut out = vec![];
    let mut r = 4 + table.header.len() as u32;
    for g in &table.groups {
        r += 1;
        for row in &g.rows {
            out.push((r, row));
            r += 1;
        }
    }
    out
}

#[test]
fn the_bieu_workbook_reads_back_as_the_appendix() {
    let f = Fixture::default_report();
    for period in Period::ALL {
        let (table, bytes) = bieu_bytes(&f.root, period);
        // Same input, same bytes, twice in one process.
        assert_eq!(bieu_bytes(&f.root, period).1, bytes);
        let path = f.path(&format!("bieu-{period}.xlsx"));
        std::fs::write(&path, &bytes).unwrap();
        let mut book = open(&path);
        let range = book.worksheet_range("Biểu số 01").unwrap();
        assert_eq!(value(&range, 0, 0), Data::String("Biểu số 01".into()));
        assert_eq!(
            value(&range, 1, 0),
            Data::String(table.title.to_uppercase())
        );
        let xml = sheet_part(&path, "Biểu số 01");
        let styles = styles(&path);
        let style_of: std::collections::HashMap<String, usize> =
            cell_styles(&xml).into_iter().collect();
        let mut formulas = 0;
        for (r, row) in sheet_rows(&table) {
            for (c, cell) in row.cells.iter().enumerate() {
                let c = c as u32;
                let got = value(&range, r, c);
                let name = format!("{}{}", xlsx::column_name(c), r + 1);
                match (&cell.source, cell.value) {
                    (Source::Figure | Source::Stated | Source::Computed { .. }, Some(v)) => {
                        let Data::Float(x) = got else {
                            panic!("{period} {name}: {got:?} for {}", cell.text)
                        };
                        let d = cell.decimals.unwrap();
                        let shown = format_number(
                            round_half_away(Decimal::from_f64_retain(x).unwrap(), d),
                            d,
                        );
                        assert_eq!(shown, format_number(v, d), "{period} {name}");
                        let (code, _) = &styles[style_of[&name]];
                        let want = if d == 0 {
                            "#,##0".to_string()
                        } else {
                            format!("#,##0.{}", "0".repeat(d as usize))
                        };
                        assert_eq!(code, &want, "{period} {name}");
                    }
                    (Source::Missing | Source::NotDue, _) => {
                        assert_eq!(got, Data::String(cell.text.clone()), "{period} {name}");
                    }
                    _ => {}
                }
                if matches!(cell.source, Source::Computed { .. })
                    && xml.contains(&format!("<c r=\"{name}\" s=\"{}\"><f>", style_of[&name]))
                {
                    formulas += 1;
                }
            }
        }
        // A % over a numeric plan (and, at year end, over last year's figure) is a formula.
        assert!(formulas > 0, "{period}: no formula");
        // Merged header, frozen rows, print setup, repeated header rows.
        let header_rows = table.header.len() as u32;
        assert!(xml.contains("<mergeCell ref=\"A1:"), "{period}");
        if header_rows == 2 {
            let spans = elements(&xml, "mergeCell")
                .iter()
                .filter_map(|e| attr(e, "ref").map(str::to_string))
                .collect::<Vec<_>>();
            assert!(spans.contains(&"A5:A6".to_string()), "{spans:?}");
            let so_sanh = table
                .columns
                .iter()
                .position(|c| c.parent.is_some())
                .unwrap() as u32;
            let so_sanh = format!(
                "{}5:{}5",
                xlsx::column_name(so_sanh),
                xlsx::column_name(so_sanh + 1)
            );
            assert!(spans.contains(&so_sanh), "{spans:?}");
        }
        let first = 5 + header_rows;
        assert!(
            xml.contains(&format!(
                "topLeftCell=\"A{first}\" activePane=\"bottomLeft\" state=\"frozen\""
            )),
            "{period}: {xml:.2000}"
        );
        let setup = elements(&xml, "pageSetup")[0];
        assert_eq!(attr(setup, "paperSize"), Some("9"));
        assert_eq!(attr(setup, "orientation"), Some("landscape"));
        assert_eq!(attr(setup, "fitToHeight"), Some("0"));
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{period}");
        let wbx = part(&path, "xl/workbook.xml");
        assert!(
            wbx.contains(&format!("'Biểu số 01'!$5:${}</definedName>", first - 1)),
            "{wbx}"
        );
        let core = part(&path, "docProps/core.xml");
        let (y, m, d) =
            baocao::project::document_date(&data::load(&f.root).unwrap(), period).unwrap();
        assert!(
            core.contains(&format!(
                "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{y}-{m:02}-{d:02}T00:00:00Z</dcterms:created>"
            )),
            "{core}"
        );
        assert!(core.contains("<dc:title>"), "{core}");
    }
    // Two processes: the same bytes as this one.
    let (_, here) = bieu_bytes(&f.root, Period::Half);
    let other = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "xlsx::bieu_bytes_to_stdout",
            "--ignored",
            "--nocapture",
        ])
        .env("BAOCAO_BIEU_ROOT", &f.root)
        .output()
        .unwrap();
    let hex = String::from_utf8_lossy(&other.stdout);
    let line = hex
        .lines()
        .find_map(|l| l.strip_prefix("BYTES "))
        .unwrap_or_else(|| panic!("{hex}"));
    assert_eq!(line, to_hex(&here));
}

#[test]
fn the_bieu_workbook_imports_back() {
    let f = Fixture::default_report();
    for period in [Period::Half, Period::Year] {
        let (_, bytes) = bieu_bytes(&f.root, period);
        let name = format!("bieu-{period}.xlsx");
        std::fs::write(f.path(&name), &bytes).unwrap();
        // As written: its period from its hidden sheet, every figure equal, nothing written.
        let out = f.run(&["import", &name]).success().stdout();
        assert!(out.contains(&format!("báo cáo kỳ {period}")), "{out}");
        assert!(out.contains("không có số liệu nào thay đổi"), "{out}");
    }
    // A figure changed in the biểu: matched by the indicator's name.
    let (table, _) = bieu_bytes(&f.root, Period::Half);
    let (r, _) = sheet_rows(&table)
        .into_iter()
        .find(|(_, row)| row.id == "thu_ngan_sach")
        .unwrap();
    let figure = table
        .columns
        .iter()
        .position(|c| c.kind == bieu::ColumnKind::Figure)
        .unwrap() as u16;
    fill(
        &f.path("bieu-6-thang.xlsx"),
        &f.path("bieu-sua.xlsx"),
        &[("Biểu số 01", r, figure, Typed::N(190.0))],
    );
    let out = f.run(&["import", "bieu-sua.xlsx"]).success().stdout();
    // The figure column is the estimate when the period has one.
    assert!(
        out.contains("chỉ tiêu `thu_ngan_sach` (Thu ngân sách thành phố), ước thực hiện kỳ 6-thang: 182,575 → 190,0"),
        "{out}"
    );
    assert!(out.contains("số liệu thay đổi: 1"), "{out}");
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Helper of the test above, run in a second process.
#[test]
#[ignore]
fn bieu_bytes_to_stdout() {
    let Ok(root) = std::env::var("BAOCAO_BIEU_ROOT") else {
        return;
    };
    let (_, b) = bieu_bytes(Path::new(&root), Period::Half);
    println!("BYTES {}", to_hex(&b));
}

#[test]
fn libreoffice_recalculates_each_percentage_as_printed() {
    if !have_tool("soffice") {
        return;
    }
    let f = Fixture::default_report();
    let dir = f.path("lo");
    std::fs::create_dir_all(&dir).unwrap();
    let mut tables = vec![];
    for period in Period::ALL {
        let (table, bytes) = bieu_bytes(&f.root, period);
        // Without the cached results: LibreOffice must compute every formula itself.
        let stripped = strip_cached_results(&bytes);
        std::fs::write(f.path(&format!("bieu-{period}.xlsx")), stripped).unwrap();
        tables.push((period, table));
    }
    let mut cmd = Command::new("soffice");
    cmd.args(["--headless", "--calc", "--convert-to", "xlsx", "--outdir"])
        .arg(&dir)
        .env("HOME", f.path("lo-home"));
    for period in Period::ALL {
        cmd.arg(f.path(&format!("bieu-{period}.xlsx")));
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut checked = 0;
    for (period, table) in &tables {
        let path = dir.join(format!("bieu-{period}.xlsx"));
        let mut book = open(&path);
        let range = book.worksheet_range("Biểu số 01").unwrap();
        for (r, row) in sheet_rows(table) {
            for (c, (cell, col)) in row.cells.iter().zip(&table.columns).enumerate() {
                if !matches!(
                    col.kind,
                    bieu::ColumnKind::ShareOfPlan | bieu::ColumnKind::RatioToBase
                ) {
                    continue;
                }
                let got = value(&range, r, c as u32);
                match got {
                    Data::Float(x) => {
                        let d = cell.decimals.unwrap();
                        let text = format!("{x}").parse::<Decimal>().unwrap();
                        assert_eq!(
                            format_number(round_half_away(text, d), d),
                            cell.text,
                            "{period} row {} col {c}",
                            r + 1
                        );
                        checked += 1;
                    }
                    Data::String(s) => assert_eq!(s, cell.text),
                    other => panic!("{period} row {}: {other:?}", r + 1),
                }
            }
        }
    }
    assert!(checked > 40, "{checked} percentages checked");
    println!("LibreOffice: {checked} tỷ lệ tính lại, mọi tỷ lệ đọc như ô của biểu PDF");
}

/// The workbook with the `<v>` of every formula cell taken out.
fn strip_cached_results(bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let name = e.name().to_string();
        let mut data = vec![];
        e.read_to_end(&mut data).unwrap();
        if name.starts_with("xl/worksheets/sheet") {
            let text = String::from_utf8(data).unwrap();
            let mut s = String::new();
            let mut rest = text.as_str();
            while let Some(i) = rest.find("</f><v>") {
                s.push_str(&rest[..i + 4]);
                let after = &rest[i + 4..];
                let end = after.find("</v>").unwrap() + 4;
                rest = &after[end..];
            }
            s.push_str(rest);
            data = s.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

// ---------------------------------------------------------------------------------------------
// The form

#[test]
fn the_form_is_locked_validated_and_the_same_bytes() {
    let f = Fixture::default_report();
    f.run(&["form", "a.xlsx"]).success();
    f.run(&["form", "b.xlsx"]).success();
    assert_eq!(
        std::fs::read(f.path("a.xlsx")).unwrap(),
        std::fs::read(f.path("b.xlsx")).unwrap()
    );
    let path = f.path("a.xlsx");
    let mut book = open(&path);
    let names: Vec<(String, SheetVisible)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    assert_eq!(names[0], ("kinh-te".to_string(), SheetVisible::Visible));
    assert!(names.contains(&("so-lieu nong-nghiep".to_string(), SheetVisible::Visible)));
    assert_eq!(
        names.last().unwrap(),
        &("baocao".to_string(), SheetVisible::Hidden)
    );
    let info = book.worksheet_range("baocao").unwrap();
    assert_eq!(value(&info, 1, 1), Data::String("6-thang".into()));
    assert_eq!(value(&info, 2, 1), Data::String("2024".into()));
    let ids: Vec<String> = (4..=info.end().unwrap().0)
        .filter(|r| value(&info, *r, 0) == Data::String("chi_tieu".into()))
        .map(|r| match value(&info, r, 1) {
            Data::String(s) => s,
            _ => panic!(),
        })
        .collect();
    assert_eq!(ids.len(), 46);
    assert!(ids.contains(&"thu_ngan_sach".to_string()));

    let kt = book.worksheet_range("kinh-te").unwrap();
    let budget = row_of(&kt, 0, "thu_ngan_sach");
    assert_eq!(value(&kt, budget, PLAN as u32), Data::Float(329.13));
    assert_eq!(value(&kt, budget, THUC_HIEN as u32), Data::Float(155.108));
    assert_eq!(value(&kt, budget, CUNG_KY as u32), Data::Empty);
    let xml = sheet_part(&path, "kinh-te");
    assert!(xml.contains("<sheetProtection "), "protected");
    let styles = styles(&path);
    let style_of: std::collections::HashMap<String, usize> =
        cell_styles(&xml).into_iter().collect();
    let at = |c: u16| format!("{}{}", xlsx::column_name(c as u32), budget + 1);
    // id, name and unit locked; plan and figures open, with their decimals.
    assert!(styles[style_of[&at(0)]].1);
    assert!(styles[style_of[&at(3)]].1);
    assert_eq!(
        styles[style_of[&at(PLAN)]],
        ("#,##0.000".to_string(), false)
    );
    assert_eq!(
        styles[style_of[&at(THUC_HIEN)]],
        ("#,##0.000".to_string(), false)
    );
    assert!(!styles[style_of[&at(CUNG_KY)]].1);
    // Figure cells validated as numbers (at least 0 for a count), with a note of the unit.
    let validations = elements(&xml, "dataValidation");
    let covering = |cell: &str| {
        validations.iter().find(|v| {
            attr(v, "sqref").is_some_and(|r| {
                r.split(' ').any(|range| {
                    let (a, b) = range.split_once(':').unwrap_or((range, range));
                    let num = |s: &str| {
                        s.trim_start_matches(char::is_alphabetic)
                            .parse::<u32>()
                            .unwrap()
                    };
                    let col =
                        |s: &str| s.trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
                    col(a) == col(cell) && num(a) <= num(cell) && num(cell) <= num(b)
                })
            })
        })
    };
    let v = covering(&at(THUC_HIEN)).expect("validated");
    assert_eq!(attr(v, "type"), Some("decimal"));
    assert_eq!(attr(v, "operator"), Some("greaterThanOrEqual"));
    assert!(covering(&at(PLAN)).is_none(), "the plan accepts text");
    let comments = part(&path, "xl/comments1.xml");
    assert!(comments.contains(&format!("<comment ref=\"{}\"", at(THUC_HIEN))));
    assert!(comments.contains("Đơn vị tính: tỷ đồng"));
    // The so-lieu sheet: key, the YAML comment, value.
    let nn = book.worksheet_range("so-lieu nong-nghiep").unwrap();
    let rice = row_of(&nn, 0, "lua_xuan_nang_suat");
    assert_eq!(value(&nn, rice, 1), Data::String("tạ/ha".into()));
    assert_eq!(value(&nn, rice, 2), Data::Float(56.0));
}

// ---------------------------------------------------------------------------------------------
// Scale

#[test]
fn importing_a_form_of_2000_indicators_takes_under_a_second() {
    let f = crate::scale::synthetic_report(2000);
    f.run(&["form", "phieu.xlsx"]).success();
    // A new figure in every indicator's row.
    let mut edits = vec![];
    let mut book = open(&f.path("phieu.xlsx"));
    let sheets: Vec<String> = book
        .sheet_names()
        .into_iter()
        .filter(|s| s.starts_with("nhom-"))
        .collect();
    for s in &sheets {
        let range = book.worksheet_range(s).unwrap();
        for r in 3..=range.end().unwrap().0 {
            if let Data::String(_) = value(&range, r, 0) {
                edits.push((s.as_str(), r, THUC_HIEN, Typed::N(1000.0 + f64::from(r))));
            }
        }
    }
    assert_eq!(edits.len(), 2000);
    fill(&f.path("phieu.xlsx"), &f.path("dien.xlsx"), &edits);
    // The target (under 1 s) is for the release binary: tests/scale/run.sh runs this test
    // with BAOCAO_BIN set to it, and checks the processor time the import takes (user +
    // system: the wall time of a machine shared with other work says little). The debug
    // binary of `cargo test` is checked for a gross slowdown only (a pass over all rows for
    // each row).
    let release = std::env::var("BAOCAO_BIN").ok();
    let bin = release.clone().unwrap_or_else(|| BIN.to_string());
    let (status, wall, cpu) = timed(&bin, &["import", "dien.xlsx"], &f.root, &f.path("ra.txt"));
    let out = std::process::Output {
        status,
        stdout: std::fs::read(f.path("ra.txt")).unwrap(),
        stderr: std::fs::read(f.path("ra.txt.err")).unwrap(),
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("số liệu thay đổi: 2000"), "{stdout:.2000}");
    assert!(stdout.contains("đã ghi 8 tệp"), "{stdout:.2000}");
    println!(
        "import: 2.000 chỉ tiêu, {} ms CPU, {} ms thực ({bin})",
        cpu.as_millis(),
        wall.as_millis()
    );
    let limit = if release.is_some() { 1000 } else { 30_000 };
    assert!(
        cpu.as_millis() < limit,
        "import took {cpu:?} of CPU (limit {limit} ms for {bin})"
    );
}

/// Run `bin args` in `dir`, stdout to `out` (stderr beside it, `.err`): its exit status, wall
/// time and processor time (user + system, of that process alone: wait4).
fn timed(
    bin: &str,
    args: &[&str],
    dir: &Path,
    out: &Path,
) -> (
    std::process::ExitStatus,
    std::time::Duration,
    std::time::Duration,
) {
    use std::os::unix::process::ExitStatusExt;
    let stdout = std::fs::File::create(out).unwrap();
    let stderr = std::fs::File::create(out.with_extension("txt.err")).unwrap();
    let t0 = Instant::now();
    // Reaped below by wait4, which also gives its processor time.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut u) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4");
    let wall = t0.elapsed();
    let t = |tv: libc::timeval| {
        std::time::Duration::from_secs(tv.tv_sec as u64)
            + std::time::Duration::from_micros(tv.tv_usec as u64)
    };
    (
        std::process::ExitStatus::from_raw(status),
        wall,
        t(u.ru_utime) + t(u.ru_stime),
    )
}

#[test]
fn build_writes_the_bieu_workbook_with_the_pdf() {
    let f = Fixture::default_report();
    let out = f.run(&["build", "--format", "pdf,xlsx"]).success().stdout();
    assert!(
        out.contains("output/bao-cao-6-thang-2024.pdf, output/bao-cao-6-thang-2024.xlsx"),
        "{out}"
    );
    // The workbook a build writes is the library's, byte for byte (same data, same period,
    // no SOURCE_DATE_EPOCH: the report's date).
    let written = std::fs::read(f.path("output/bao-cao-6-thang-2024.xlsx")).unwrap();
    assert_eq!(written, bieu_bytes(&f.root, Period::Half).1);
    // A draft period's workbook says so in its title, as its PDF does.
    f.run(&["build", "--period", "quy-1", "--format", "xlsx"])
        .success();
    let draft = f.path("output/bao-cao-quy-1-2024.xlsx");
    assert!(part(&draft, "docProps/core.xml").contains("DỰ THẢO - "));
    assert!(!f.path("output/bao-cao-quy-1-2024.pdf").exists());
    // -o names the workbook; its extension must be .xlsx.
    f.run(&["build", "--format", "xlsx", "-o", "bieu.xlsx"])
        .success();
    assert_eq!(std::fs::read(f.path("bieu.xlsx")).unwrap(), written);
    let wrong = f
        .run(&["build", "--format", "xlsx", "-o", "bieu.pdf"])
        .failure()
        .stderr_contains("phải có đuôi `.xlsx`");
    assert_eq!(wrong.0.status.code(), Some(2));
}

#[test]
fn a_report_without_a_bieu_has_no_workbook_and_writes_nothing() {
    let f = Fixture::default_report();
    std::fs::remove_file(f.path("data/bieu.yaml")).unwrap();
    let run = f
        .run(&["build", "--format", "pdf,xlsx"])
        .failure()
        .stderr_contains("báo cáo không có biểu kèm theo");
    assert_eq!(run.0.status.code(), Some(1));
    assert!(!f.path("output/bao-cao-6-thang-2024.pdf").exists());
}
