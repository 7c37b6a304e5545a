//! The document's metadata as data for the layout: what templates/nd30.typ prints around the
//! content (header, date line, signature, Nơi nhận, the appendix's reference line), made once
//! from data/bao-cao.yaml for one period, next to the decree's table (`nd30`).
//!
//! `typeset` serves it to Typst as JSON at [`DATA_PATH`], a reserved path that is never read
//! from disk; nd30.typ reads it with [`DATA_CALL`]. `--emit-typst` inlines the same data as a
//! Typst dictionary ([`typst_literal`]), so the emitted file still compiles alone. Strings stay
//! strings: nothing from the data is ever parsed as Typst code.
//!
//! The layout answers back through `metadata` labelled [`NOTE_LABEL`] (a header line it could
//! not break well); [`layout_warnings`] turns those notes into warnings located in the data.

use serde::{Deserialize, Serialize};
use typst::foundations::{Repr, Value};

use crate::data::{DataSet, Text};
use crate::diag::{Diagnostic, Error, Result};
use crate::format;
use crate::nd30::{ND30, Nd30};
use crate::period::Period;

/// Where Typst finds the layout data.
pub const DATA_PATH: &str = "/du-lieu.json";

/// The one Typst expression that reads it (in templates/nd30.typ).
pub const DATA_CALL: &str = "json(\"/du-lieu.json\")";

/// The label of the notes the layout leaves for baocao (`metadata(...) <baocao-canh-bao>`).
pub const NOTE_LABEL: &str = "baocao-canh-bao";

/// What a blank document number prints as: U+00A0 no-break spaces, room for the văn thư to
/// write the number by hand (a date's blank day is [`format::DATE_BLANK`]).
pub const NUMBER_BLANK: &str = "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}";

/// Everything nd30.typ receives: `nd30` (the decree's numbers) and `van-ban` (the document).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct LayoutData {
    pub nd30: Nd30,
    pub van_ban: Document,
}

/// One line of an agency name as the author wrote it, and the pieces it may break between:
/// before an administrative word (TỈNH, THÀNH PHỐ, PHÒNG, …) or after " - ".
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct HeaderLine {
    pub dong: String,
    pub doan: Vec<String>,
}

/// The document's metadata, every string finished.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Document {
    /// The parent agency's lines (regular weight), if any.
    pub co_quan_chu_quan: Vec<HeaderLine>,
    /// The issuing agency's lines (bold).
    pub co_quan: Vec<HeaderLine>,
    /// The agency as named in a sentence.
    pub ten_co_quan: String,
    /// What follows "Số: ": `05/BC-UBND`, or a blank and `/BC-UBND`.
    pub so_ky_hieu: String,
    /// `Cao Bằng, ngày 05 tháng 01 năm 2024` ([`format::date_line`]).
    pub dong_ngay: String,
    pub trich_yeu: String,
    /// The PDF's title: `Báo cáo <trích yếu>`, `DỰ THẢO - ` in front for a draft.
    pub tieu_de_pdf: String,
    pub quyen_han: Vec<String>,
    pub chuc_vu: Vec<String>,
    pub ho_ten: Option<String>,
    pub noi_nhan: Vec<String>,
    pub luu: String,
    /// The appendix's reference line: `(Kèm theo Báo cáo số …/BC-UBND ngày … của …)`.
    pub kem_theo: String,
    /// Print the DỰ THẢO mark on every page.
    pub du_thao: bool,
    /// The period's key (`6-thang`) and the report's year.
    pub ky: &'static str,
    pub nam: i32,
}

fn texts(v: &[Text]) -> Vec<String> {
    v.iter().map(|t| t.0.trim().to_string()).collect()
}

fn optional(t: Option<&Text>) -> Option<String> {
    t.map(|t| t.0.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Document {
    /// The metadata of `period`'s report; `du_thao`: it is a draft (`crate::draft::Status`).
    pub fn new(data: &DataSet, period: Period, du_thao: bool) -> Result<Self> {
        let m = &data.meta;
        let pm = data.require_period(period)?;
        let date = &pm.ngay.0;
        let so = optional(pm.so.as_ref());
        let so_ky_hieu = format!("{}/{}", so.as_deref().unwrap_or(NUMBER_BLANK), m.ky_hieu.0);
        let trich_yeu = pm.trich_yeu.0.trim().to_string();
        let ten_co_quan = m.ten_co_quan.0.trim().to_string();
        Ok(Document {
            co_quan_chu_quan: m
                .co_quan_chu_quan
                .iter()
                .map(|t| header_line(&t.0))
                .collect(),
            co_quan: m.co_quan.iter().map(|t| header_line(&t.0)).collect(),
            kem_theo: format!(
                "(Kèm theo Báo cáo số {so_ky_hieu} {} của {ten_co_quan})",
                format::date_full(date)
            ),
            so_ky_hieu,
            dong_ngay: format::date_line(m.dia_danh.0.trim(), date),
            tieu_de_pdf: format!(
                "{}Báo cáo {trich_yeu}",
                if du_thao { "DỰ THẢO - " } else { "" }
            ),
            trich_yeu,
            ten_co_quan,
            quyen_han: texts(&m.nguoi_ky.quyen_han),
            chuc_vu: texts(&m.nguoi_ky.chuc_vu),
            ho_ten: optional(m.nguoi_ky.ho_ten.as_ref()),
            noi_nhan: m
                .noi_nhan
                .iter()
                .map(|t| recipient(&t.0))
                .filter(|t| !t.is_empty())
                .collect(),
            luu: filed(&m.luu.0),
            du_thao,
            ky: period.key(),
            nam: data.year().get(),
        })
    }
}

/// Marks that end an item of a list as the author may type them; nd30.typ puts the list's own.
const ITEM_END: &[char] = &[';', ',', '.', ':'];

/// A Nơi nhận item as nd30.typ prints it after its "- " and before its ";": without the dash
/// and the closing mark the author may have typed ("- Sở Tài chính;" → "Sở Tài chính"), so
/// punctuation is never doubled.
pub fn recipient(item: &str) -> String {
    let t = item.trim();
    let t = t.trim_start_matches(['-', '–', '—', '+', '•']).trim_start();
    t.trim_end_matches(|c: char| ITEM_END.contains(&c) || c.is_whitespace())
        .to_string()
}

/// `luu` as nd30.typ prints it between "Lưu: " and its ".": without a "Lưu:" and a final mark
/// typed by the author ("Lưu: VT." → "VT").
pub fn filed(luu: &str) -> String {
    let t = recipient(luu);
    let word: String = t.chars().take(3).collect();
    let rest = t[word.len()..].trim_start();
    match rest.strip_prefix(':') {
        Some(rest) if word.to_lowercase() == "lưu" => rest.trim_start().to_string(),
        _ => t,
    }
}

impl LayoutData {
    /// The layout data of `period`'s report; `du_thao`: it is a draft.
    pub fn new(data: &DataSet, period: Period, du_thao: bool) -> Result<Self> {
        Ok(LayoutData {
            nd30: ND30,
            van_ban: Document::new(data, period, du_thao)?,
        })
    }

    /// The JSON Typst reads at [`DATA_PATH`].
    pub fn to_json(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self)
            .map_err(|e| Error::msg(format!("không ghi được dữ liệu dàn trang: {e}")))
    }
}

/// The JSON as a Typst dictionary literal: the value `json(...)` would give, written as code
/// (Typst's own `repr` of it, so strings are escaped the way Typst reads them).
pub fn typst_literal(json: &[u8]) -> Result<String> {
    let value: Value = serde_json::from_slice(json)
        .map_err(|e| Error::msg(format!("không đọc lại được dữ liệu dàn trang: {e}")))?;
    Ok(value.repr().to_string())
}

/// Administrative words and agency types: a header line may break before them.
const BREAK_BEFORE: &[&str] = &[
    "ỦY BAN",
    "UỶ BAN",
    "HỘI ĐỒNG",
    "VĂN PHÒNG",
    "TỈNH",
    "THÀNH PHỐ",
    "THỊ XÃ",
    "THỊ TRẤN",
    "QUẬN",
    "HUYỆN",
    "XÃ",
    "PHƯỜNG",
    "ĐẶC KHU",
    "SỞ",
    "PHÒNG",
    "BAN",
    "CHI CỤC",
    "TỔNG CỤC",
    "CỤC",
    "TRUNG TÂM",
];

/// Compounds that hold one of those words without naming a unit: no break before or inside.
pub(crate) const KEEP_WHOLE: &[&str] = &[
    "XÃ HỘI",
    "HỢP TÁC XÃ",
    "QUỐC PHÒNG",
    "PHÒNG CHỐNG",
    "PHÒNG CHÁY",
    "PHÒNG NGỪA",
    "PHÒNG BỆNH",
];

/// The pieces of a header line: it may break before an administrative word (never inside
/// one, so "THÀNH PHỐ" stays whole) and after a " - ".
pub fn header_line(line: &str) -> HeaderLine {
    let words: Vec<&str> = line.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
    let phrase_at = |i: usize, list: &[&str]| -> usize {
        list.iter()
            .map(|p| p.split(' ').collect::<Vec<_>>())
            .filter(|p| {
                upper.len() >= i + p.len() && p.iter().zip(&upper[i..]).all(|(a, b)| a == b)
            })
            .map(|p| p.len())
            .max()
            .unwrap_or(0)
    };
    let mut breaks = vec![];
    let mut i = 0;
    while i < words.len() {
        if i > 0 && matches!(words[i - 1], "-" | "–") {
            breaks.push(i);
        }
        let keep = phrase_at(i, KEEP_WHOLE);
        let admin = phrase_at(i, BREAK_BEFORE);
        if admin > keep {
            if i > 0 && breaks.last() != Some(&i) {
                breaks.push(i);
            }
            i += admin;
        } else {
            i += keep.max(1);
        }
    }
    let mut doan = vec![];
    let mut start = 0;
    for b in breaks.into_iter().chain([words.len()]) {
        if b > start {
            doan.push(words[start..b].join(" "));
        }
        start = b;
    }
    HeaderLine {
        dong: words.join(" "),
        doan,
    }
}

/// A note the layout leaves through `metadata(...) <baocao-canh-bao>`.
#[derive(Debug, Deserialize)]
struct LayoutNote {
    /// What happened: `dong-tieu-de` (a header line too long for its column that has no
    /// place to break).
    loai: String,
    /// The data key of the line: `co_quan`, `co_quan_chu_quan`.
    truong: String,
    /// The line as the author wrote it.
    dong: String,
}

/// The layout's notes as warnings, located in data/bao-cao.yaml.
pub fn layout_warnings(data: &DataSet, notes: &[serde_json::Value]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = vec![];
    for note in notes {
        let Ok(note) = serde_json::from_value::<LayoutNote>(note.clone()) else {
            continue;
        };
        if note.loai != "dong-tieu-de" {
            continue;
        }
        let d = Diagnostic::warning(format!(
            "dòng `{}` của `{}` dài hơn cột tiêu đề ({} mm) mà không có chỗ xuống dòng hợp lệ: \
             dòng sẽ bị ngắt giữa cụm từ",
            note.dong, note.truong, ND30.luoi.trai
        ))
        .at_opt({
            let lines = match note.truong.as_str() {
                "co_quan_chu_quan" => &data.meta.co_quan_chu_quan,
                _ => &data.meta.co_quan,
            };
            match lines.iter().position(|l| l.0 == note.dong) {
                Some(i) => data.meta_location(&format!("{}[{i}]", note.truong)),
                None => data.meta_location(&note.truong),
            }
        })
        .hint(
            "dòng chỉ được xuống trước một từ chỉ cơ quan, đơn vị (TỈNH, THÀNH PHỐ, XÃ, PHƯỜNG, \
             SỞ, PHÒNG, BAN, CHI CỤC, TRUNG TÂM, …) hoặc sau \" - \"; hãy tách dòng thành hai \
             mục hoặc viết gọn lại",
        );
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(line: &str) -> Vec<String> {
        header_line(line).doan
    }

    #[test]
    fn header_lines_break_before_administrative_words_only() {
        let cases: &[(&str, &[&str])] = &[
            ("ỦY BAN NHÂN DÂN", &["ỦY BAN NHÂN DÂN"]),
            (
                "ỦY BAN NHÂN DÂN THÀNH PHỐ CAO BẰNG",
                &["ỦY BAN NHÂN DÂN", "THÀNH PHỐ CAO BẰNG"],
            ),
            (
                "ỦY BAN NHÂN DÂN HUYỆN HÒA AN",
                &["ỦY BAN NHÂN DÂN", "HUYỆN HÒA AN"],
            ),
            (
                "PHÒNG TÀI CHÍNH - KẾ HOẠCH",
                &["PHÒNG TÀI CHÍNH -", "KẾ HOẠCH"],
            ),
            (
                "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
                &["PHÒNG LAO ĐỘNG -", "THƯƠNG BINH VÀ XÃ HỘI"],
            ),
            (
                "VĂN PHÒNG HĐND VÀ UBND THỊ XÃ QUẢNG YÊN",
                &["VĂN PHÒNG HĐND VÀ UBND", "THỊ XÃ QUẢNG YÊN"],
            ),
            (
                "Ủy ban nhân dân phường Hợp Giang",
                &["Ủy ban nhân dân", "phường Hợp Giang"],
            ),
            (
                "BAN CHỈ HUY PHÒNG CHỐNG THIÊN TAI TỈNH CAO BẰNG",
                &["BAN CHỈ HUY PHÒNG CHỐNG THIÊN TAI", "TỈNH CAO BẰNG"],
            ),
            (
                "TRUNG TÂM PHÁT TRIỂN QUỸ ĐẤT",
                &["TRUNG TÂM PHÁT TRIỂN QUỸ ĐẤT"],
            ),
        ];
        for (line, want) in cases {
            assert_eq!(pieces(line), *want, "{line}");
        }
        // Spaces are normalised; the pieces join back to the line.
        let l = header_line("  SỞ   KẾ HOẠCH VÀ ĐẦU TƯ ");
        assert_eq!(l.dong, "SỞ KẾ HOẠCH VÀ ĐẦU TƯ");
        assert_eq!(l.doan.join(" "), l.dong);
        assert!(header_line("").doan.is_empty());
    }

    #[test]
    fn typed_punctuation_is_left_to_the_layout() {
        for (typed, item) in [
            ("Thường trực Thành ủy", "Thường trực Thành ủy"),
            ("Thường trực Thành ủy;", "Thường trực Thành ủy"),
            ("- Sở Tài chính.", "Sở Tài chính"),
            ("  Sở Xây dựng ; ", "Sở Xây dựng"),
            ("UBND các xã, phường,", "UBND các xã, phường"),
            ("Như trên;;", "Như trên"),
            (";", ""),
        ] {
            assert_eq!(recipient(typed), item, "{typed:?}");
        }
        for (typed, luu) in [
            ("VT", "VT"),
            ("VT.", "VT"),
            ("VT, TH.", "VT, TH"),
            ("Lưu: VT.", "VT"),
            ("lưu : VT, VP", "VT, VP"),
            ("Lưu trữ", "Lưu trữ"),
        ] {
            assert_eq!(filed(typed), luu, "{typed:?}");
        }
    }

    #[test]
    fn the_literal_is_the_json_as_typst_reads_it() {
        let json = br#"{"a-b":[1,2.5,"x \"y\" #read(\"z\")",null,true],"c":{"d":[]}}"#;
        let lit = typst_literal(json).unwrap();
        assert_eq!(
            lit,
            r#"(
  a-b: (1, 2.5, "x \"y\" #read(\"z\")", none, true),
  c: (d: ()),
)"#
        );
    }
}
