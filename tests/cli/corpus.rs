//! Hostile and broken data: a table-driven corpus of bad inputs.
//!
//! Each case writes one or more files into a copy of the default report that already holds a
//! good PDF, then runs `baocao check` and `baocao build`. Both must fail with exit code 1 (not a
//! panic's 101, not killed), print `lỗi:` with the expected Vietnamese fragment and location,
//! print no untranslated English, finish within a time limit, leave the PDF byte-identical,
//! and leave no file behind (the folder is snapshotted before and after). Inputs whose intent
//! is unambiguous (a byte-order mark, CRLF, decomposed Vietnamese) are accepted and must give
//! the same PDF as clean input. Each group prints its counts (`cargo test corpus -- --nocapture`).

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixture::*;

/// A new indicator file, a new so-lieu file, and the two fixed files of data/.
const IND: &str = "data/chi-tieu/zz-hong.yaml";
const SL: &str = "data/so-lieu/zz-hong.yaml";
const META: &str = "data/bao-cao.yaml";
const BIEU: &str = "data/bieu.yaml";

/// A run that takes longer than this is a failure (a hang or a quadratic blow-up).
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Where the message must point.
#[derive(Clone, Debug)]
pub enum At {
    /// `--> file:line:col` or `--> file:line`
    Line(&'static str, usize),
    /// `--> file` with no line (the whole file is at fault)
    File(&'static str),
    /// `--> file:<some line>`
    AnyLine(&'static str),
    /// the file named in the message itself
    Named(&'static str),
}

impl At {
    /// The file named anywhere in the message (an I/O error names its path in the text).
    fn or_file(self) -> Self {
        match self {
            At::AnyLine(f) | At::Line(f, _) | At::File(f) => At::Named(f),
            named => named,
        }
    }

    fn found_in(&self, stderr: &str) -> bool {
        match self {
            At::Line(f, l) => stderr.lines().any(|x| {
                let x = x.trim();
                x == format!("--> {f}:{l}") || x.starts_with(&format!("--> {f}:{l}:"))
            }),
            At::File(f) => stderr.lines().any(|x| x.trim() == format!("--> {f}")),
            At::AnyLine(f) => stderr.contains(&format!("--> {f}:")),
            At::Named(f) => stderr
                .lines()
                .any(|l| l.starts_with("lỗi: ") && l.contains(f)),
        }
    }
}

/// One bad input: the files it writes (replacing or adding), extra arguments, and what the
/// message must say and where.
pub struct Case {
    pub name: String,
    pub files: Vec<(&'static str, Content)>,
    pub args: Vec<&'static str>,
    pub message: String,
    pub at: At,
}

/// What a case puts at a path of the report folder.
pub enum Content {
    Bytes(Vec<u8>),
    /// Nothing: the file is removed.
    Removed,
    /// A folder with the file's name.
    Folder,
    /// A symbolic link to this target.
    Link(PathBuf),
    /// A named pipe (no writer: reading it would block for ever).
    Pipe,
}

impl From<Vec<u8>> for Content {
    fn from(b: Vec<u8>) -> Self {
        Content::Bytes(b)
    }
}
impl From<String> for Content {
    fn from(s: String) -> Self {
        Content::Bytes(s.into_bytes())
    }
}
impl From<&str> for Content {
    fn from(s: &str) -> Self {
        Content::Bytes(s.as_bytes().to_vec())
    }
}

/// Remove whatever is at `p` (file, folder, link or pipe), not following links.
fn clear(p: &Path) {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(p);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(p);
        }
        Err(_) => {}
    }
}

fn put(p: &Path, content: &Content) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    clear(p);
    match content {
        Content::Bytes(b) => std::fs::write(p, b).unwrap(),
        Content::Removed => {}
        Content::Folder => std::fs::create_dir_all(p).unwrap(),
        #[cfg(unix)]
        Content::Link(target) => std::os::unix::fs::symlink(target, p).unwrap(),
        #[cfg(unix)]
        Content::Pipe => {
            let ok = Command::new("mkfifo")
                .arg(p)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "mkfifo");
        }
        #[cfg(not(unix))]
        _ => unimplemented!(),
    }
}

fn case(
    name: impl Into<String>,
    file: &'static str,
    content: impl Into<Content>,
    message: &str,
    at: At,
) -> Case {
    Case {
        name: name.into(),
        files: vec![(file, content.into())],
        args: vec![],
        message: message.into(),
        at,
    }
}

/// A valid indicator file; line 5 is ke_hoach, 8 thuc_hien, 9 cung_ky.
fn ind(ke_hoach: &str, thuc_hien: &str, cung_ky: &str) -> String {
    format!(
        "chi_tieu:\n  - id: zz_hong\n    ten: Chỉ tiêu thử\n    don_vi: tấn\n    ke_hoach: {ke_hoach}\n    ky:\n      6-thang:\n        thuc_hien: {thuc_hien}\n        cung_ky: {cung_ky}\n"
    )
}

/// A valid indicator file with one component; line 9 is its gia_tri.
fn ind_component(gia_tri: &str) -> String {
    format!(
        "chi_tieu:\n  - id: zz_hong\n    ten: Chỉ tiêu thử\n    ky:\n      6-thang:\n        thuc_hien: 10\n        thanh_phan:\n          - ten: Phần một\n            gia_tri: {gia_tri}\n"
    )
}

/// A valid so-lieu file; line 3 is `so_ho`.
fn sl(value: &str) -> String {
    format!("# Số liệu thử\nso_vu: 12\nso_ho: {value}\nghi_chu: Theo báo cáo của phường\n")
}

/// A complete, valid bao-cao.yaml of our own (so the corpus does not depend on the repository's
/// metadata): one period, 6-thang.
pub const VALID_META: &str = "\
# Thông tin văn bản (bản thử của bộ ca lỗi)
co_quan:
  - ỦY BAN NHÂN DÂN
  - THÀNH PHỐ CAO BẰNG
ten_co_quan: Ủy ban nhân dân thành phố Cao Bằng
dia_danh: Cao Bằng
ky_hieu: BC-UBND
nam: 2024
ky_mac_dinh: 6-thang
cac_ky:
  6-thang:
    so: \"\"
    ngay: /6/2024
    ngay_so_lieu: 31/5/2024
    trich_yeu: Tình hình thực hiện các chỉ tiêu phát triển kinh tế - xã hội 6 tháng đầu năm
nguoi_ky:
  quyen_han:
    - TM. ỦY BAN NHÂN DÂN
  chuc_vu:
    - CHỦ TỊCH
  ho_ten: \"\"
noi_nhan:
  - Thường trực Thành ủy
luu: VT
du_thao: false
";

/// VALID_META with the line starting with `from` replaced by `to` (which may hold several lines
/// or none), and the 1-based line where `from` was.
fn meta_with(from: &str, to: &str) -> (String, usize) {
    let lines: Vec<&str> = VALID_META.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with(from))
        .unwrap_or_else(|| panic!("`{from}` not in VALID_META"));
    let mut out: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    if to.is_empty() {
        out.remove(i);
    } else {
        out[i] = to.to_string();
    }
    (out.join("\n") + "\n", i + 1)
}

/// Scalars in YAML as a user types them; quoted only where YAML itself would refuse them.
fn scalar(v: &str) -> String {
    let needs_quotes = v.is_empty()
        || v.starts_with([
            ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '-',
            '?', ':',
        ]) && !(v.starts_with('-') && v[1..].starts_with(|c: char| c.is_ascii_digit()))
        || v.contains(": ")
        || v.contains(" #");
    if needs_quotes {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        v.to_string()
    }
}

/// Numbers that fit the Vietnamese convention nowhere, with the message each must get. All
/// start with a digit or a sign, so a so-lieu file reads them as numbers too.
const BAD_NUMBERS: &[(&str, &str)] = &[
    ("2976.4", "không đúng cách viết số của báo cáo"),
    ("2,976.4", "không đúng cách viết số của báo cáo"),
    ("1.14", "không đúng cách viết số của báo cáo"),
    ("1,2,3", "có nhiều dấu phẩy"),
    ("12%", "có dấu `%`"),
    ("1e400", "dạng lũy thừa"),
    ("1E5", "dạng lũy thừa"),
    ("+5", "có dấu `+` ở đầu"),
    ("1 146", "khoảng trắng bên trong số"),
    ("1\u{a0}146", "khoảng trắng bên trong số"),
    ("12.34.567", "chia nhóm chữ số không đúng"),
    ("1146.000", "chia nhóm chữ số không đúng"),
    ("1..2", "dấu chấm không nằm giữa"),
    ("1.000,", "thiếu chữ số sau dấu phẩy"),
    ("1.2,3.4", "dấu chấm sau dấu phẩy"),
    ("12abc", "ký tự không hợp lệ"),
    ("0x1F", "ký tự không hợp lệ"),
    ("1_000", "ký tự không hợp lệ"),
    ("5.000.000đ", "ký tự không hợp lệ"),
    ("1.234.567,89 đồng", "ký tự không hợp lệ"),
    ("12:30", "ký tự không hợp lệ"),
    ("2024-05-31", "ký tự không hợp lệ"),
    (
        "80.000.000.000.000.000.000.000.000.000",
        "tối đa 28 chữ số có nghĩa",
    ),
    ("0,00000000000000000000000000001", "quá giới hạn 28"),
    (".5", "không đúng cách viết số của báo cáo"),
    ("-", "thiếu chữ số"),
];

/// Not numbers at all: errors where a figure is required (a so-lieu file would read them as
/// text, which is allowed there).
const NOT_NUMBERS: &[(&str, &str)] = &[
    ("abc", "không phải là số"),
    ("٣", "không phải là số"),
    ("１２", "không phải là số"),
    (".inf", "không phải là số"),
    (".nan", "không phải là số"),
    ("true", "không phải là số"),
    ("“1.146”", "ký tự không hợp lệ"),
    ("–5", "ký tự không hợp lệ"),
    ("1\u{200b}146", "ký tự không hợp lệ"),
];

/// Bytes that are not text: the same four kinds for every data file.
fn garbage_cases(file: &'static str) -> Vec<Case> {
    // A fixed pseudo-random stream, so the case is the same on every run.
    let mut x: u32 = 0x2024_0531;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "chi_tieu: []\nso_ho: 12\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
    pdf.extend([0u8, 1, 2, 3, 0xFF]);
    let zip = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
    vec![
        case(
            format!("{file}: rác nhị phân"),
            file,
            noise,
            "UTF-8",
            At::AnyLine(file),
        ),
        case(
            format!("{file}: UTF-16 (Excel 'Unicode text')"),
            file,
            utf16,
            "không phải văn bản UTF-8",
            At::Line(file, 1),
        ),
        case(
            format!("{file}: một tệp PDF đổi tên"),
            file,
            pdf,
            "UTF-8",
            At::Line(file, 2),
        ),
        case(
            format!("{file}: một tệp xlsx đổi tên"),
            file,
            zip,
            "ký tự NUL",
            At::Line(file, 1),
        ),
        case(
            format!("{file}: rỗng"),
            file,
            "",
            "tệp rỗng",
            At::File(file),
        ),
        case(
            format!("{file}: chỉ có dòng trống"),
            file,
            "\n   \n\n",
            "tệp rỗng",
            At::File(file),
        ),
        case(
            format!("{file}: Windows-1258 thay vì UTF-8"),
            file,
            b"# Ch\xec ti\xeau\nso_ho: 12\n".to_vec(),
            "không phải văn bản UTF-8",
            At::Line(file, 1),
        ),
        case(
            format!("{file}: quá lớn (10 MB)"),
            file,
            format!("# {}\n", "x".repeat(10_000_000)),
            "tệp quá lớn",
            At::File(file),
        ),
    ]
}

fn indicator_cases() -> Vec<Case> {
    let f = IND;
    let head = "chi_tieu:\n  - id: zz_hong\n    ten: Chỉ tiêu thử\n";
    let mut v = vec![
        case(
            "Tab thụt lề",
            f,
            "chi_tieu:\n  - id: zz_hong\n\tten: x\n",
            "thụt lề bằng ký tự Tab",
            At::Line(f, 3),
        ),
        case(
            "Tab giữa các dấu cách",
            f,
            format!("{head}    ky:\n    \t6-thang:\n"),
            "thụt lề bằng ký tự Tab",
            At::Line(f, 5),
        ),
        case(
            "trường lặp lại",
            f,
            format!("{head}    ten: Tên khác\n"),
            "`ten` bị lặp lại",
            At::Line(f, 4),
        ),
        case(
            "kỳ lặp lại",
            f,
            format!(
                "{head}    ky:\n      6-thang: {{thuc_hien: 1}}\n      6-thang: {{thuc_hien: 2}}\n"
            ),
            "`6-thang` bị lặp lại",
            At::Line(f, 6),
        ),
        case(
            "số lặp lại trong kỳ",
            f,
            format!("{head}    ky:\n      6-thang:\n        thuc_hien: 1\n        thuc_hien: 2\n"),
            "`thuc_hien` bị lặp lại",
            At::Line(f, 7),
        ),
        case(
            "ngoặc vuông chưa đóng",
            f,
            "chi_tieu: [\n",
            "sai cú pháp YAML",
            At::Line(f, 1),
        ),
        case(
            "ngoặc nhọn chưa đóng",
            f,
            format!("{head}    ky: {{6-thang: {{thuc_hien: 1}}\n"),
            "sai cú pháp YAML",
            At::AnyLine(f),
        ),
        case(
            "ngoặc kép chưa đóng",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: \"Chỉ tiêu thử\n",
            "dấu ngoặc kép chưa đóng",
            At::AnyLine(f),
        ),
        case(
            "thoát sai trong ngoặc kép",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: \"C:\\q\"\n",
            "không hợp lệ trong chuỗi ngoặc kép",
            At::Line(f, 3),
        ),
        case(
            "hai dấu hai chấm",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: Tỷ lệ: hộ nghèo\n",
            "dấu `:` không đúng chỗ",
            At::Line(f, 3),
        ),
        case(
            "thụt lề lệch",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: x\n   don_vi: tấn\n",
            "sai cú pháp YAML",
            At::Line(f, 4),
        ),
        case(
            "mục danh sách lệch",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: x\n - id: zz_hai\n",
            "sai cú pháp YAML",
            At::Line(f, 4),
        ),
        case(
            "@ đầu giá trị",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: @Tên\n",
            "ký tự YAML không cho phép",
            At::Line(f, 3),
        ),
        case(
            "` đầu giá trị",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: `Tên`\n",
            "ký tự YAML không cho phép",
            At::Line(f, 3),
        ),
        case(
            "hai tài liệu YAML",
            f,
            format!("{head}---\nchi_tieu: []\n"),
            "nhiều tài liệu YAML",
            At::File(f),
        ),
        case(
            "neo không có",
            f,
            format!("{head}    ky:\n      6-thang:\n        thuc_hien: *so\n"),
            "neo `&tên` không có",
            At::Line(f, 6),
        ),
        case(
            "tự nhân bản (billion laughs)",
            f,
            billion_laughs("chi_tieu"),
            "",
            At::AnyLine(f),
        ),
        case(
            "lồng sâu 10.000 cấp",
            f,
            format!("chi_tieu: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
            "",
            At::AnyLine(f),
        ),
        case(
            "lồng sâu bằng thụt lề",
            f,
            deep_indent(300),
            "",
            At::AnyLine(f),
        ),
        case(
            "chỉ có chú thích",
            f,
            "# chưa có chỉ tiêu\n",
            "thiếu trường `chi_tieu`",
            At::Line(f, 1),
        ),
        case(
            "danh sách ở gốc",
            f,
            "- id: zz_hong\n  ten: x\n",
            "sai kiểu dữ liệu",
            At::Line(f, 1),
        ),
        case(
            "chi_tieu là chữ",
            f,
            "chi_tieu: thu_ngan_sach\n",
            "sai kiểu dữ liệu",
            At::Line(f, 1),
        ),
        case(
            "chi_tieu là số",
            f,
            "chi_tieu: 5\n",
            "sai kiểu dữ liệu",
            At::Line(f, 1),
        ),
        case(
            "thiếu id",
            f,
            "chi_tieu:\n  - ten: Chỉ tiêu thử\n",
            "thiếu trường `id`",
            At::Line(f, 2),
        ),
        case(
            "thiếu ten",
            f,
            "chi_tieu:\n  - id: zz_hong\n    don_vi: tấn\n",
            "thiếu trường `ten`",
            At::Line(f, 2),
        ),
        case(
            "ten để trống",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten:\n",
            "bắt buộc nhưng để trống",
            At::Line(f, 3),
        ),
        case(
            "ten chỉ có dấu cách",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: \"   \"\n",
            "bắt buộc nhưng để trống",
            At::Line(f, 3),
        ),
        case(
            "id rỗng",
            f,
            "chi_tieu:\n  - id: \"\"\n    ten: x\n",
            "bắt buộc nhưng để trống",
            At::Line(f, 2),
        ),
        case(
            "id có dấu cách và chữ hoa",
            f,
            "chi_tieu:\n  - id: Thu Ngan\n    ten: x\n",
            "mã chỉ tiêu `Thu Ngan` không hợp lệ",
            At::Line(f, 2),
        ),
        case(
            "id có dấu tiếng Việt",
            f,
            "chi_tieu:\n  - id: thu_ngân_sách\n    ten: x\n",
            "không hợp lệ",
            At::Line(f, 2),
        ),
        case(
            "id có gạch ngang",
            f,
            "chi_tieu:\n  - id: thu-ngan-sach\n    ten: x\n",
            "không hợp lệ",
            At::Line(f, 2),
        ),
        case(
            "id trùng",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: a\n  - id: zz_hong\n    ten: b\n",
            "bị khai báo hai lần",
            At::Line(f, 4),
        ),
        case(
            "trường không có",
            f,
            format!("{head}    mo_ta: Chỉ tiêu thử\n"),
            "trường `mo_ta` không có",
            At::Line(f, 4),
        ),
        case(
            "gõ nhầm tên trường trong kỳ",
            f,
            format!("{head}    ky:\n      6-thang:\n        thuc_hein: 5\n"),
            "trường `thuc_hein` không có",
            At::Line(f, 6),
        ),
        case(
            "kỳ không có",
            f,
            format!("{head}    ky:\n      7-thang:\n        thuc_hien: 5\n"),
            "kỳ `7-thang` không có",
            At::Line(f, 5),
        ),
        case(
            "ky là số",
            f,
            format!("{head}    ky: 5\n"),
            "sai kiểu dữ liệu",
            At::Line(f, 4),
        ),
        case(
            "kỳ là số",
            f,
            format!("{head}    ky:\n      6-thang: 5\n"),
            "sai kiểu dữ liệu",
            At::Line(f, 5),
        ),
        case(
            "so_thap_phan âm",
            f,
            format!("{head}    so_thap_phan: -1\n"),
            "sai kiểu dữ liệu",
            At::Line(f, 4),
        ),
        case(
            "so_thap_phan quá lớn",
            f,
            format!("{head}    so_thap_phan: 9\n"),
            "quá lớn",
            // The value itself (positions kept from parsing), as for the one below.
            At::Line(f, 4),
        ),
        case(
            "so_thap_phan khổng lồ",
            f,
            format!("{head}    so_thap_phan: 99999999999\n"),
            "giá trị không hợp lệ",
            At::Line(f, 4),
        ),
        case(
            "so_thap_phan là chữ",
            f,
            format!("{head}    so_thap_phan: hai\n"),
            "sai kiểu dữ liệu",
            At::Line(f, 4),
        ),
        case(
            "so_thap_phan thập phân",
            f,
            format!("{head}    so_thap_phan: 1,5\n"),
            "sai kiểu dữ liệu",
            At::Line(f, 4),
        ),
        case(
            "cao_hon_tot là chữ",
            f,
            format!("{head}    cao_hon_tot: co\n"),
            "true hoặc false",
            At::Line(f, 4),
        ),
        case(
            "cao_hon_tot là số",
            f,
            format!("{head}    cao_hon_tot: 1\n"),
            "true hoặc false",
            At::Line(f, 4),
        ),
        case(
            "minh_hoa là danh sách",
            f,
            format!("{head}    minh_hoa: [true]\n"),
            "sai kiểu dữ liệu",
            At::Line(f, 4),
        ),
        case(
            "thực hiện là danh sách",
            f,
            ind("1", "[1, 2]", "1"),
            "sai kiểu dữ liệu",
            At::Line(f, 8),
        ),
        case(
            "thực hiện là bảng",
            f,
            ind("1", "{a: 1}", "1"),
            "sai kiểu dữ liệu",
            At::Line(f, 8),
        ),
        case(
            "thành phần thiếu giá trị",
            f,
            format!(
                "{head}    ky:\n      6-thang:\n        thuc_hien: 1\n        thanh_phan:\n          - ten: Phần một\n"
            ),
            "thiếu trường `gia_tri`",
            At::Line(f, 8),
        ),
        case(
            "thành phần có trường lạ",
            f,
            format!(
                "{head}    ky:\n      6-thang:\n        thuc_hien: 1\n        thanh_phan:\n          - {{ten: a, gia_tri: 1, x: 2}}\n"
            ),
            "trường `x` không có",
            At::Line(f, 8),
        ),
        case(
            "thành phần một dòng, số có dấu phẩy",
            f,
            format!(
                "{head}    ky:\n      6-thang:\n        thuc_hien: 1\n        thanh_phan:\n          - {{ ten: Hộ cá thể, gia_tri: 84,34 }}\n"
            ),
            "`84,34` bị cắt đôi",
            At::Line(f, 8),
        ),
        case(
            "thành phần không tên",
            f,
            ind_component("1").replace("ten: Phần một", "ten: \"\""),
            "bắt buộc nhưng để trống",
            At::Line(f, 8),
        ),
        case(
            "thành phần là chữ",
            f,
            format!(
                "{head}    ky:\n      6-thang:\n        thuc_hien: 1\n        thanh_phan: Hộ cá thể 84,34\n"
            ),
            "sai kiểu dữ liệu",
            At::Line(f, 7),
        ),
        case(
            "kế hoạch khoảng ngược",
            f,
            ind("6,8-6,6", "1", "1"),
            "đầu dưới của khoảng lớn hơn đầu trên",
            At::Line(f, 5),
        ),
        case(
            "kế hoạch từ…đến ngược",
            f,
            ind("từ 6,8 đến 6,6", "1", "1"),
            "lớn hơn đầu trên",
            At::Line(f, 5),
        ),
        case(
            "kế hoạch là câu bắt đầu bằng số",
            f,
            ind("100% xã đạt chuẩn", "1", "1"),
            "bắt đầu bằng chữ số nhưng không phải là một con số",
            At::Line(f, 5),
        ),
        case(
            "kế hoạch dưới số kiểu Anh",
            f,
            ind("dưới 2976.4", "1", "1"),
            "không đúng cách viết số",
            At::Line(f, 5),
        ),
        case(
            "kế hoạch ≥ lũy thừa",
            f,
            ind("≥ 1e400", "1", "1"),
            "lũy thừa",
            At::Line(f, 5),
        ),
        case(
            "kế hoạch chỉ có ~",
            f,
            ind("\"~5\"", "1", "1"),
            "không phải là kế hoạch hợp lệ",
            At::Line(f, 5),
        ),
        case(
            "thực hiện âm",
            f,
            ind("1.000", "-5", "400"),
            "là số âm",
            At::Line(f, 8),
        ),
        case(
            "cùng kỳ âm",
            f,
            ind("1.000", "500", "-400"),
            "là số âm",
            At::Line(f, 9),
        ),
        case(
            "kế hoạch âm",
            f,
            ind("-1.000", "500", "400"),
            "là số âm",
            At::Line(f, 5),
        ),
        case(
            "thành phần âm",
            f,
            ind_component("-3"),
            "là số âm",
            At::Line(f, 7),
        ),
        case(
            "ký tự NUL",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: Chỉ\0 tiêu\n",
            "ký tự NUL",
            At::Line(f, 3),
        ),
        case(
            "ký tự điều khiển",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: Chỉ\x01 tiêu\n",
            "ký tự điều khiển U+0001",
            At::Line(f, 3),
        ),
        case(
            "mã màu ANSI dán từ terminal",
            f,
            "chi_tieu:\n  - id: zz_hong\n    ten: \x1b[31mChỉ tiêu\x1b[0m\n",
            "ký tự điều khiển U+001B",
            At::Line(f, 3),
        ),
        case(
            "UTF-8 hỏng giữa chữ",
            f,
            b"chi_tieu:\n  - id: zz_hong\n    ten: Ch\xe1\xbb\n".to_vec(),
            "không phải văn bản UTF-8",
            At::Line(f, 3),
        ),
        case(
            "khóa phức",
            f,
            format!("{head}    ? [a, b]\n    : 1\n"),
            "",
            At::Line(f, 4),
        ),
        case(
            "khóa gộp <<",
            f,
            format!("{head}    <<: {{don_vi: tấn}}\n"),
            "trường `<<` không có",
            At::Line(f, 4),
        ),
        case(
            "chỉ thị %YAML",
            f,
            "%YAML 2.0\n---\nchi_tieu: []\n",
            "sai cú pháp YAML",
            At::AnyLine(f),
        ),
    ];
    for &(bad, message) in BAD_NUMBERS.iter().chain(NOT_NUMBERS) {
        let s = scalar(bad);
        v.push(case(
            format!("thực hiện `{bad}`"),
            f,
            ind("1.000", &s, "400"),
            message,
            At::Line(f, 8),
        ));
        v.push(case(
            format!("cùng kỳ `{bad}`"),
            f,
            ind("1.000", "500", &s),
            message,
            At::Line(f, 9),
        ));
    }
    for &(bad, message) in BAD_NUMBERS
        .iter()
        .step_by(3)
        .chain(NOT_NUMBERS.iter().step_by(3))
    {
        let s = scalar(bad);
        v.push(case(
            format!("thành phần `{bad}`"),
            f,
            ind_component(&s),
            message,
            At::Line(f, 9),
        ));
    }
    for &(bad, message) in BAD_NUMBERS.iter().filter(|(b, _)| {
        !b.ends_with('%') && *b != "-" && !b.contains(' ') && !b.contains('\u{a0}')
    }) {
        // In a plan a trailing `%` is allowed, `-` is a range and spaces may be prose.
        v.push(case(
            format!("kế hoạch `{bad}`"),
            f,
            ind(&scalar(bad), "500", "400"),
            message,
            At::Line(f, 5),
        ));
    }
    v
}

fn figure_cases() -> Vec<Case> {
    let f = SL;
    let mut v = vec![
        case(
            "khóa chữ hoa, gạch ngang",
            f,
            "Tong-So: 1\n",
            "khóa số liệu `Tong-So` không hợp lệ",
            At::Line(f, 1),
        ),
        case(
            "khóa có dấu",
            f,
            "so_vu: 1\nsố_hộ: 12\n",
            "khóa số liệu `số_hộ` không hợp lệ",
            At::Line(f, 2),
        ),
        case(
            "khóa là số",
            f,
            "so_vu: 1\n2024: 12\n",
            "khóa số liệu `2024` không hợp lệ",
            At::Line(f, 2),
        ),
        case(
            "khóa lặp lại",
            f,
            "so_vu: 1\nso_ho: 2\nso_vu: 3\n",
            "khóa `so_vu` bị lặp lại",
            At::Line(f, 3),
        ),
        case(
            "khóa lặp lại có ngoặc kép",
            f,
            "so_vu: 1\n\"so_vu\": 3\n",
            "khóa `so_vu` bị lặp lại",
            At::Line(f, 2),
        ),
        case(
            "giá trị để trống",
            f,
            "so_vu: 1\nso_ho:\n",
            "thiếu giá trị",
            At::Line(f, 2),
        ),
        case(
            "giá trị là danh sách",
            f,
            "so_vu: [1, 2]\n",
            "sai kiểu dữ liệu",
            At::Line(f, 1),
        ),
        case(
            "giá trị là bảng",
            f,
            "so_vu:\n  nam_nay: 1\n",
            "sai kiểu dữ liệu",
            At::Line(f, 2),
        ),
        case(
            "danh sách ở gốc",
            f,
            "- so_vu: 1\n",
            "sai kiểu dữ liệu",
            At::Line(f, 1),
        ),
        case(
            "câu văn thay cho khóa",
            f,
            "Số vụ tai nạn: 12 vụ, giảm 2 vụ\n",
            "có ký tự không hợp lệ `v` (tại `Số vụ tai nạn`)",
            At::Line(f, 1),
        ),
        case(
            "khóa là câu văn",
            f,
            "Số vụ tai nạn giao thông: 12\n",
            "khóa số liệu `Số vụ tai nạn giao thông` không hợp lệ",
            At::Line(f, 1),
        ),
        case(
            "câu văn có hai dấu hai chấm",
            f,
            "so_vu: Tai nạn: 12 vụ\n",
            "dấu `:` không đúng chỗ",
            At::Line(f, 1),
        ),
        case(
            "dấu gạch đứng một mình",
            f,
            "so_vu: -\n",
            "dấu `-` của danh sách không đúng chỗ",
            At::Line(f, 1),
        ),
        case(
            "dán từ Excel (Tab giữa cột)",
            f,
            "so_vu:\t12\n\tso_ho:\t3\n",
            "Tab",
            At::Line(f, 2),
        ),
        case(
            "khóa phức",
            f,
            "? [a]\n: 2\n",
            "sai kiểu dữ liệu",
            At::Line(f, 1),
        ),
        case(
            "khóa gộp <<",
            f,
            "<<: {so_vu: 1}\n",
            "sai kiểu dữ liệu",
            At::Line(f, 1),
        ),
        case(
            "tự nhân bản (billion laughs)",
            f,
            billion_laughs("so_vu"),
            "",
            At::AnyLine(f),
        ),
        case(
            "lồng sâu 10.000 cấp",
            f,
            format!("so_vu: {}1{}\n", "{a: ".repeat(10_000), "}".repeat(10_000)),
            "",
            At::AnyLine(f),
        ),
        case(
            "nhiều tài liệu",
            f,
            "so_vu: 1\n---\nso_ho: 2\n",
            "nhiều tài liệu YAML",
            At::File(f),
        ),
        case(
            "dòng ... giữa tệp",
            f,
            "so_vu: 1\n...\nso_ho: 2\n",
            "nhiều tài liệu YAML",
            At::File(f),
        ),
        case(
            "200.000 khóa sai (giới hạn số lỗi)",
            f,
            (0..200_000)
                .map(|i| format!("K{i}: {i}\n"))
                .collect::<String>(),
            "còn 199980 khóa số liệu không hợp lệ khác",
            At::File(f),
        ),
        Case {
            name: "hai tệp cùng tên (zz-hong và zz_hong)".into(),
            files: vec![
                (SL, "so_vu: 1\n".into()),
                ("data/so-lieu/zz_hong.yaml", "so_ho: 1\n".into()),
            ],
            args: vec![],
            message: "hai tệp số liệu cùng tên `zz_hong`".into(),
            at: At::File("data/so-lieu/zz_hong.yaml"),
        },
        case(
            "tệp .yml",
            "data/so-lieu/zz-hai.yml",
            "so_vu: 1,2,3\n",
            "có nhiều dấu phẩy",
            At::Line("data/so-lieu/zz-hai.yml", 1),
        ),
        case(
            "số liệu theo kỳ sai",
            "data/ky/quy-1/so-lieu/zz-hong.yaml",
            "so_vu: 2976.4\n",
            "không đúng cách viết số",
            At::Line("data/ky/quy-1/so-lieu/zz-hong.yaml", 1),
        ),
    ];
    // (A lone `-` is text there: a dash for "none".)
    for &(bad, message) in BAD_NUMBERS.iter().filter(|(b, _)| *b != "-") {
        v.push(case(
            format!("số liệu `{bad}`"),
            f,
            sl(&scalar(bad)),
            message,
            At::Line(f, 3),
        ));
    }
    v
}

fn meta_cases() -> Vec<Case> {
    let f = META;
    let mut v = vec![];
    let mut m = |name: &str, from: &str, to: &str, message: &str, line: Option<usize>| {
        let (text, at) = meta_with(from, to);
        let at = match line {
            Some(0) => At::AnyLine(f),
            Some(l) => At::Line(f, l),
            None => At::Line(f, at),
        };
        v.push(case(name, f, text, message, at));
    };
    m(
        "thiếu co_quan",
        "co_quan:",
        "co_quan_x:",
        "trường `co_quan_x` không có",
        None,
    );
    m(
        "ten_co_quan để trống",
        "ten_co_quan:",
        "ten_co_quan:",
        "bắt buộc nhưng để trống",
        None,
    );
    m(
        "dia_danh để trống",
        "dia_danh:",
        "dia_danh: ''",
        "bắt buộc nhưng để trống",
        None,
    );
    m(
        "ky_hieu là danh sách",
        "ky_hieu:",
        "ky_hieu: [BC, UBND]",
        "sai kiểu dữ liệu",
        None,
    );
    m(
        "thiếu ten_co_quan",
        "ten_co_quan:",
        "",
        "thiếu trường `ten_co_quan`",
        Some(2),
    );
    m(
        "năm kiểu Anh",
        "nam:",
        "nam: 20.24",
        "không đúng cách viết số",
        None,
    );
    m("năm lũy thừa", "nam:", "nam: 1e400", "lũy thừa", None);
    m(
        "năm quá lớn",
        "nam:",
        "nam: 99999",
        "năm `99999` không hợp lệ",
        None,
    );
    m(
        "năm âm",
        "nam:",
        "nam: -2024",
        "năm `-2024` không hợp lệ",
        None,
    );
    m(
        "năm thập phân",
        "nam:",
        "nam: 2024,5",
        "năm `2024,5` không hợp lệ",
        None,
    );
    m(
        "năm là chữ",
        "nam:",
        "nam: hai nghìn",
        "không phải là số",
        None,
    );
    m(
        "kỳ mặc định không có",
        "ky_mac_dinh:",
        "ky_mac_dinh: 7-thang",
        "kỳ `7-thang` không có",
        None,
    );
    m(
        "kỳ mặc định chưa khai báo",
        "ky_mac_dinh:",
        "ky_mac_dinh: ca-nam",
        "dữ liệu chưa khai báo kỳ `ca-nam`",
        Some(0),
    );
    m(
        "kỳ lạ trong cac_ky",
        "  6-thang:",
        "  7-thang:",
        "kỳ `7-thang` không có",
        None,
    );
    m(
        "cac_ky rỗng",
        "cac_ky:",
        "cac_ky: {}\ncac_ky_cu:",
        "trường `cac_ky_cu` không có",
        Some(0),
    );
    m(
        "ngày không có thật",
        "    ngay: ",
        "    ngay: 31/2/2024",
        "ngày 31 không có thật",
        None,
    );
    m(
        "tháng 13",
        "    ngay_so_lieu:",
        "    ngay_so_lieu: 1/13/2024",
        "không có tháng 13",
        None,
    );
    m(
        "ngày kiểu Mỹ",
        "    ngay_so_lieu:",
        "    ngay_so_lieu: 05/31/2024",
        "không có tháng 31",
        None,
    );
    m(
        "ngày bằng chữ",
        "    ngay_so_lieu:",
        "    ngay_so_lieu: hôm nay",
        "không đúng cách ghi ngày",
        None,
    );
    m(
        "ngày năm hai chữ số",
        "    ngay_so_lieu:",
        "    ngay_so_lieu: 31/5/24",
        "năm `24` không hợp lệ",
        None,
    );
    m(
        "ngày có dấu chấm",
        "    ngay_so_lieu:",
        "    ngay_so_lieu: 31.5.2024",
        "không đúng cách ghi ngày",
        None,
    );
    m(
        "hai ngày đều trống",
        "    ngay_so_lieu:",
        "    ngay_so_lieu: /5/2024",
        "đều để trống",
        Some(0),
    );
    m(
        "trích yếu trống",
        "    trich_yeu:",
        "    trich_yeu: \"\"",
        "bắt buộc nhưng để trống",
        None,
    );
    m(
        "trường kỳ lạ",
        "    so:",
        "    so_van_ban: 12",
        "trường `so_van_ban` không có",
        None,
    );
    m(
        "du_thao là chữ",
        "du_thao:",
        "du_thao: có",
        "true hoặc false",
        None,
    );
    m(
        "luu là danh sách",
        "luu:",
        "luu: [VT]",
        "sai kiểu dữ liệu",
        None,
    );
    m(
        "co_quan là chữ",
        "co_quan:",
        "co_quan: UBND",
        "sai kiểu dữ liệu",
        None,
    );
    m(
        "gõ nhầm nguoi_ky",
        "nguoi_ky:",
        "nguoi_ki:",
        "trường `nguoi_ki` không có",
        None,
    );
    m(
        "thiếu chức vụ",
        "  chuc_vu:",
        "  chuc_vu_x:",
        "trường `chuc_vu_x` không có",
        None,
    );
    m(
        "trường gốc lặp lại",
        "luu:",
        "luu: VT\nluu: VP",
        "`luu` bị lặp lại",
        Some(25),
    );
    v.push(Case {
        name: "kỳ hỏi không được khai báo (--period 9-thang)".into(),
        files: vec![(META, VALID_META.into())],
        args: vec!["--period", "9-thang"],
        message: "dữ liệu chưa khai báo kỳ `9-thang`".into(),
        at: At::AnyLine(META),
    });
    v
}

fn table_cases() -> Vec<Case> {
    let f = BIEU;
    vec![
        case(
            "mã chỉ tiêu không có",
            f,
            "nhom:\n  - ten: Nhóm thử\n    chi_tieu:\n      - khong_co_chi_tieu_nay\n",
            "chỉ tiêu `khong_co_chi_tieu_nay` không có",
            At::Line(f, 4),
        ),
        Case {
            name: "mã chỉ tiêu gõ nhầm, có gợi ý".into(),
            files: vec![
                (IND, ind("1.000", "500", "400").into()),
                (
                    f,
                    "nhom:\n  - ten: Nhóm thử\n    chi_tieu: [zz_hong, zz_hon]\n".into(),
                ),
            ],
            args: vec![],
            message: "có phải là `zz_hong`?".into(),
            at: At::Line(f, 3),
        },
        case(
            "chi_tieu là chữ",
            f,
            "nhom:\n  - ten: Nhóm thử\n    chi_tieu: zz_hong\n",
            "sai kiểu dữ liệu",
            At::Line(f, 3),
        ),
        case(
            "trường lạ",
            f,
            "nhom: []\ntieu_de: x\nthem: 1\n",
            "trường `them` không có",
            At::Line(f, 3),
        ),
        case(
            "thiếu nhom",
            f,
            "tieu_de: Biểu\n",
            "thiếu trường `nhom`",
            At::Line(f, 1),
        ),
        case(
            "nhóm thiếu tên",
            f,
            "nhom:\n  - chi_tieu: []\n",
            "thiếu trường `ten`",
            At::Line(f, 2),
        ),
        case(
            "nhom là bảng",
            f,
            "nhom:\n  kinh_te: [a]\n",
            "sai kiểu dữ liệu",
            At::Line(f, 2),
        ),
        case(
            "1.000 mã không có (giới hạn số lỗi)",
            f,
            format!(
                "nhom:\n  - ten: Nhóm\n    chi_tieu:\n{}",
                (0..1000)
                    .map(|i| format!("      - khong_co_{i}\n"))
                    .collect::<String>()
            ),
            "còn 980 chỉ tiêu khác trong biểu không có",
            At::File(f),
        ),
    ]
}

/// `&a` with nine `*a` per level, eleven levels: 9^11 nodes if expanded.
fn billion_laughs(key: &str) -> String {
    let mut s = String::from(
        "a0: &a0 [\"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\"]\n",
    );
    for i in 1..=11 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    s.push_str(&format!("{key}: *a11\n"));
    s
}

/// `n` nested maps by indentation.
fn deep_indent(n: usize) -> String {
    let mut s = String::from("chi_tieu:\n");
    for i in 0..n {
        s.push_str(&format!("{}k{i}:\n", "  ".repeat(i + 1)));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// The runner

/// Counts of one group, printed at its end.
#[derive(Default, Debug)]
pub struct Counts {
    pub cases: usize,
    pub runs: usize,
    pub panics: usize,
    pub leaks: usize,
    pub lost: usize,
    pub slowest: Duration,
}

/// Every file under `root` with a hash of its bytes.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, u64> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, u64>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::fs::read(&p).unwrap_or_default().hash(&mut h);
                out.insert(p, h.finish());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, &mut out);
    out
}

/// English words that mark an untranslated message (outside `code` and "quoted" parts).
fn english_in(stderr: &str) -> Vec<String> {
    const EN: &[&str] = &[
        "expected",
        "invalid",
        "found",
        "while",
        "error",
        "missing",
        "unknown",
        "field",
        "line",
        "column",
        "not",
        "allowed",
        "document",
        "sequence",
        "mapping",
        "struct",
        "value",
        "type",
        "could",
        "did",
        "unexpected",
        "parsing",
        "scanning",
        "deserializing",
        "supported",
        "failed",
        "exceeded",
        "limit",
        "the",
        "or",
        "of",
        "at",
        "with",
        "panicked",
        "called",
        "unwrap",
        "option",
        "result",
    ];
    let mut out = vec![];
    for line in stderr
        .lines()
        .filter(|l| l.starts_with("lỗi:") || l.starts_with("gợi ý:"))
    {
        let (mut tick, mut quote) = (false, false);
        let plain: String = line
            .chars()
            .filter(|&c| {
                match c {
                    '`' => tick = !tick,
                    '"' if !tick => quote = !quote,
                    _ => return !tick && !quote,
                }
                false
            })
            .collect();
        for w in plain.split(|c: char| !c.is_alphanumeric()) {
            if EN.contains(&w.to_lowercase().as_str()) {
                out.push(format!("`{w}` in {line:?}"));
            }
        }
    }
    out
}

/// Run baocao with a time limit; None when it had to be killed.
fn run_limited(root: &Path, args: &[&str]) -> (Option<std::process::Output>, Duration) {
    let t0 = Instant::now();
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("BAOCAO_DEBUG")
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run baocao");
    loop {
        if child.try_wait().expect("wait").is_some() {
            return (
                Some(child.wait_with_output().expect("output")),
                t0.elapsed(),
            );
        }
        if t0.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return (None, t0.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Run every case through check and build on one copy holding a good PDF; panic with the list
/// of every failed expectation at the end.
pub fn run_cases(group: &str, cases: Vec<Case>) -> Counts {
    let f = Fixture::default_report();
    f.run(&["build"]).success();
    let good = std::fs::read(f.pdf()).expect("good PDF");
    let mut counts = Counts::default();
    let mut failures: Vec<String> = vec![];
    let show = std::env::var_os("BAOCAO_CORPUS_SHOW").is_some();
    for case in &cases {
        counts.cases += 1;
        let before = snapshot(&f.root);
        let originals: Vec<(PathBuf, Option<Vec<u8>>)> = case
            .files
            .iter()
            .map(|(rel, _)| (f.path(rel), std::fs::read(f.path(rel)).ok()))
            .collect();
        for (rel, content) in &case.files {
            put(&f.path(rel), content);
        }
        for cmd in ["check", "build"] {
            let mut args = vec![cmd];
            args.extend(&case.args);
            let (out, took) = run_limited(&f.root, &args);
            counts.runs += 1;
            counts.slowest = counts.slowest.max(took);
            let mut fail =
                |what: String| failures.push(format!("[{group}] {} ({cmd}): {what}", case.name));
            let Some(out) = out else {
                fail(format!("no answer within {TIME_LIMIT:?}"));
                continue;
            };
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            if show {
                eprintln!(
                    "=== [{group}] {} ({cmd}, {:?}, {took:?})\n{stderr}",
                    case.name,
                    out.status.code()
                );
            }
            if stderr.contains("panicked")
                || out.status.code() == Some(101)
                || out.status.code().is_none()
            {
                counts.panics += 1;
                fail(format!("panic or signal: {:?}\n{stderr}", out.status));
                continue;
            }
            if out.status.code() != Some(1) {
                fail(format!(
                    "exit code {:?}, want 1\n{stderr}",
                    out.status.code()
                ));
            }
            if !stderr.lines().any(|l| l.starts_with("lỗi: ")) {
                fail(format!("no `lỗi: ` line\n{stderr}"));
            }
            if !stderr.contains(&case.message) {
                fail(format!("message lacks `{}`\n{stderr}", case.message));
            }
            if !case.at.found_in(&stderr) {
                fail(format!("location {:?} missing\n{stderr}", case.at));
            }
            let english = english_in(&stderr);
            if !english.is_empty() {
                fail(format!("untranslated: {english:?}"));
            }
            if cmd == "build" && std::fs::read(f.pdf()).ok().as_deref() != Some(good.as_slice()) {
                counts.lost += 1;
                fail("the existing PDF changed".into());
            }
        }
        for (p, bytes) in originals {
            clear(&p);
            if let Some(b) = bytes {
                std::fs::write(&p, b).unwrap();
            }
        }
        // Folders a case created (data/ky/quy-1/so-lieu) stay only if they were there.
        let after = snapshot(&f.root);
        if before != after {
            counts.leaks += 1;
            let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
            let changed: Vec<_> = after
                .keys()
                .filter(|k| before.get(*k).is_some_and(|h| after[*k] != *h))
                .collect();
            failures.push(format!(
                "[{group}] {}: files left or changed: {added:?} {changed:?}",
                case.name
            ));
        }
    }
    println!(
        "corpus {group}: {} ca, {} lần chạy (check + build), panic {}, rò rỉ {}, PDF mất/hỏng {}, lâu nhất {:?}",
        counts.cases, counts.runs, counts.panics, counts.leaks, counts.lost, counts.slowest
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    counts
}

#[test]
fn corpus_indicator_files() {
    let c = run_cases("chi-tieu", indicator_cases());
    assert!(c.cases >= 100, "{c:?}");
}

#[test]
fn corpus_figure_files() {
    run_cases("so-lieu", figure_cases());
}

#[test]
fn corpus_metadata() {
    // The corpus's own metadata is valid with the repository's data and templates.
    let f = Fixture::default_report();
    f.write(META, VALID_META);
    f.run(&["check"]).success();
    run_cases("bao-cao", meta_cases());
}

#[test]
fn corpus_appendix_table() {
    run_cases("bieu", table_cases());
}

/// Not files at all, or no file: a missing metadata file, folders, devices, pipes and links.
fn special_cases() -> Vec<Case> {
    let mut v = vec![
        case(
            "bao-cao.yaml không có",
            META,
            Content::Removed,
            "không tìm thấy",
            At::AnyLine("data/bao-cao.yaml").or_file(),
        ),
        case(
            "thư mục tên .yaml",
            SL,
            Content::Folder,
            "không phải một tệp thường",
            At::File(SL),
        ),
        case(
            "bao-cao.yaml là thư mục",
            META,
            Content::Folder,
            "không phải một tệp thường",
            At::File(META),
        ),
    ];
    #[cfg(unix)]
    v.extend([
        case(
            "liên kết tới /dev/zero (không bao giờ hết)",
            SL,
            Content::Link("/dev/zero".into()),
            "không phải một tệp thường",
            At::File(SL),
        ),
        case(
            "liên kết tới /dev/urandom",
            IND,
            Content::Link("/dev/urandom".into()),
            "không phải một tệp thường",
            At::File(IND),
        ),
        case(
            "đường ống không có người ghi",
            SL,
            Content::Pipe,
            "không phải một tệp thường",
            At::File(SL),
        ),
        case(
            "liên kết hỏng",
            SL,
            Content::Link("khong-co-tep-nay.yaml".into()),
            "không tìm thấy",
            At::AnyLine(SL).or_file(),
        ),
        case(
            "bieu.yaml là liên kết tới thư mục",
            BIEU,
            Content::Link("/tmp".into()),
            "không phải một tệp thường",
            At::File(BIEU),
        ),
    ]);
    v
}

#[test]
fn corpus_special_files() {
    run_cases("tệp đặc biệt", special_cases());
}

#[test]
fn corpus_not_text() {
    let mut cases = vec![];
    for file in [IND, SL, META, BIEU] {
        cases.extend(garbage_cases(file));
    }
    run_cases("nhị phân", cases);
}

// ---------------------------------------------------------------------------------------------
// Accepted: the intent is clear, the report is the same

/// Every data file of `root`, rewritten by `f`.
fn rewrite_data(root: &Path, f: &dyn Fn(&str) -> Vec<u8>) {
    fn walk(dir: &Path, f: &dyn Fn(&str) -> Vec<u8>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, f);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, f(&text)).unwrap();
            }
        }
    }
    walk(&root.join("data"), f);
}

fn nfd(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd().collect()
}

#[test]
fn corpus_accepted_inputs_give_the_same_report() {
    let clean = Fixture::default_report();
    clean.run(&["build", "-o", "out.pdf"]).success();
    let clean_pdf = std::fs::read(clean.path("out.pdf")).unwrap();
    let clean_text = pdf_text(&clean.path("out.pdf"));
    type Rewrite = Box<dyn Fn(&str) -> Vec<u8>>;
    let cases: Vec<(&str, Rewrite)> = vec![
        (
            "byte-order mark",
            Box::new(|s| [b"\xEF\xBB\xBF".as_slice(), s.as_bytes()].concat()),
        ),
        (
            "CRLF (Windows)",
            Box::new(|s| s.replace('\n', "\r\n").into_bytes()),
        ),
        (
            "CR (Mac cũ)",
            Box::new(|s| s.replace('\n', "\r").into_bytes()),
        ),
        ("NFD (chữ Việt tổ hợp)", Box::new(|s| nfd(s).into_bytes())),
        (
            "BOM + CRLF + NFD",
            Box::new(|s| {
                [
                    b"\xEF\xBB\xBF".as_slice(),
                    nfd(s).replace('\n', "\r\n").as_bytes(),
                ]
                .concat()
            }),
        ),
        (
            "dấu cách cuối dòng",
            Box::new(|s| s.replace('\n', "   \n").into_bytes()),
        ),
        (
            "không có dòng mới ở cuối tệp",
            Box::new(|s| s.trim_end_matches('\n').as_bytes().to_vec()),
        ),
    ];
    let mut n = 0;
    for (name, rewrite) in &cases {
        let f = Fixture::default_report();
        f.run(&["build", "-o", "out.pdf"]).success();
        rewrite_data(&f.root, rewrite.as_ref());
        let r = f.run(&["check"]);
        assert!(r.0.status.success(), "{name}: check failed\n{}", r.stderr());
        let r = f.run(&["build", "-o", "out.pdf"]);
        assert!(r.0.status.success(), "{name}: build failed\n{}", r.stderr());
        assert_eq!(
            pdf_text(&f.path("out.pdf")),
            clean_text,
            "{name}: the report's text differs"
        );
        assert!(
            std::fs::read(f.path("out.pdf")).unwrap() == clean_pdf,
            "{name}: the PDF's bytes differ"
        );
        n += 1;
    }
    // Decomposed templates too (a template typed on another keyboard).
    let f = Fixture::default_report();
    for e in std::fs::read_dir(f.path("templates/phan-1"))
        .unwrap()
        .flatten()
    {
        let text = std::fs::read_to_string(e.path()).unwrap();
        std::fs::write(e.path(), nfd(&text)).unwrap();
    }
    f.run(&["build", "-o", "out.pdf"]).success();
    assert_eq!(
        pdf_text(&f.path("out.pdf")),
        clean_text,
        "NFD templates: the report's text differs"
    );
    n += 1;
    println!("corpus accepted: {n} ca, văn bản PDF giống bản sạch");
}

/// A zero plan (or a zero base) is not an error: the helpers print the defined wording, the
/// appendix a dash, and nothing prints NaN or infinity.
#[test]
fn zero_plan_gets_the_defined_wording() {
    let f = Fixture::default_report();
    f.write(
        "templates/bao-cao.typ.j2",
        "#import \"nd30.typ\": *\n#show: van-ban.with(meta)\n\
         A: {{ pt_ke_hoach(ct.zz_khong, 1) }}.\n\n\
         B: {{ ty_le(ct.zz_khong.th, ct.zz_khong.kh, 1) }}.\n\n\
         C: {{ so_cung_ky(ct.zz_khong, 1) }}; {{ tang_giam(ct.zz_khong, 1) }}.\n\n\
         D: {{ tom_tat(ct.zz_khong, 1) }}.\n\n\
         E: {{ th_kh(ct.zz_khong) }}; {{ dem_dat_ke_hoach() }}.\n\n\
         {% for g in bieu.groups %}{% for r in g.rows %}F: {{ r.cells[3].text }} | {{ r.cells[5].text }} | {{ r.cells[6].text }} | {{ r.cells[7].text }}.{% endfor %}{% endfor %}\n",
    );
    f.write(
        IND,
        "chi_tieu:\n  - id: zz_khong\n    ten: Chỉ tiêu kế hoạch 0\n    don_vi: công trình\n    ke_hoach: 0\n    ky:\n      6-thang:\n        thuc_hien: 3\n        cung_ky: 0\n",
    );
    f.write(BIEU, "nhom:\n  - ten: Nhóm\n    chi_tieu: [zz_khong]\n");
    let r = f.run(&["check"]);
    assert!(
        r.0.status.success(),
        "a zero plan is not an error: {}",
        r.stderr()
    );
    f.run(&["build"]).success();
    let text = pdf_text(&f.pdf());
    let zero = "không so sánh được (số gốc bằng 0)";
    for want in [
        "A: không so sánh được (kế hoạch bằng 0).".to_string(),
        format!("B: {zero}."),
        format!("C: {zero}; {zero}."),
        "D: 3/0 công trình.".to_string(),
        "E: 3/0; 1/1.".to_string(),
        "F: 0 | - | - | Đạt.".to_string(),
    ] {
        assert!(text.contains(&want), "missing `{want}` in: {text}");
    }
    for bad in ["NaN", "inf", "none", "None", "∞"] {
        assert!(!text.contains(bad), "`{bad}` printed");
    }
}
