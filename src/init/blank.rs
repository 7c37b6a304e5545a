//! `baocao init DIR --blank`: a clean start for any unit (a UBND tỉnh, xã, phường or đặc khu,
//! a sở, a phòng, a ban), with no sample figures and no sample text.
//!
//! The data is generated from the flags (`Blank`): the agency lines, the parent agency, the
//! name used in sentences, the place, the symbol, the year, the period and the signer's
//! authority; what a flag does not give is a placeholder `«…»` (`crate::placeholder`). The
//! templates are the usual outline of a report (Phần thứ nhất by field, Đánh giá chung, Phần
//! thứ hai; `src/init/blank/templates/`), their prose left as placeholders; a few example
//! indicators with their appendix rows have every figure left to fill. The layout library,
//! the appendix template, the draft mark, the guide and the fonts are the built-in ones.

use crate::assets;
use crate::data::yaml_scalar;
use crate::period::{Period, Year};

/// The authority form of the signature (`nguoi_ky.quyen_han`): Nghị định 30, Phụ lục I, II.7.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Signer {
    /// Thay mặt (TM.): the head signs, for a collective body on its behalf.
    #[value(name = "tm")]
    OnBehalf,
    /// Ký thay (KT.): a deputy signs for the head.
    #[value(name = "kt")]
    Deputy,
    /// Quyền (Q.): the acting head signs.
    #[value(name = "q")]
    Acting,
    /// Thừa lệnh (TL.): signed by order of the head.
    #[value(name = "tl")]
    ByOrder,
}

/// What `init --blank` is told; every text as the user wrote it.
#[derive(Clone, Debug)]
pub struct Blank {
    /// The issuing agency, one header line each (`co_quan`); none: a placeholder.
    pub agency: Vec<String>,
    /// The parent agency's lines (`co_quan_chu_quan`); none: none.
    pub parent_agency: Vec<String>,
    /// The agency's name in a sentence (`ten_co_quan`); none: derived from `agency`.
    pub name: Option<String>,
    /// `dia_danh`; none: a placeholder.
    pub place: Option<String>,
    /// `ky_hieu`; none: `BC-UBND`.
    pub symbol: Option<String>,
    pub year: Year,
    /// `ky_mac_dinh`, and the period whose blocks are written.
    pub period: Period,
    pub signer: Signer,
}

/// The agency lines written when `--agency` is not given.
pub const DEFAULT_AGENCY: [&str; 2] = ["ỦY BAN NHÂN DÂN", "«XÃ, PHƯỜNG, ĐẶC KHU HAY TỈNH»"];

/// The kind of agency, from the first word(s) of its first header line: who heads it, and
/// whether it is a collective body (a UBND, which signs "TM. ỦY BAN NHÂN DÂN").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Ủy ban nhân dân: a collective body headed by its Chủ tịch.
    Committee,
    /// A body headed by one person: its head's title and the deputy's.
    Headed {
        head: &'static str,
        deputy: &'static str,
    },
    /// Not recognised: the titles are placeholders.
    Other,
}

/// Agency types by their first words, and the titles of their head and deputy.
const HEADED: &[(&str, &str, &str)] = &[
    ("VĂN PHÒNG", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
    ("SỞ", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("PHÒNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"),
    ("BAN", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
    ("CHI CỤC", "CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG"),
    ("CỤC", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),
    ("TRUNG TÂM", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
];

/// Words (upper case) of a header line, composed.
fn words(line: &str) -> Vec<String> {
    crate::text::normalize(line)
        .to_uppercase()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn starts_with_words(line: &[String], phrase: &str) -> bool {
    let p: Vec<&str> = phrase.split(' ').collect();
    line.len() >= p.len() && p.iter().zip(line).all(|(a, b)| a == b)
}

impl Kind {
    /// The kind of the agency whose first header line is `first`.
    pub fn of(first: &str) -> Kind {
        let w = words(first);
        if ["ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "UBND"]
            .iter()
            .any(|p| starts_with_words(&w, p))
        {
            return Kind::Committee;
        }
        HEADED
            .iter()
            .find(|(p, _, _)| starts_with_words(&w, p))
            .map_or(Kind::Other, |&(_, head, deputy)| Kind::Headed {
                head,
                deputy,
            })
    }

    /// The signature's `quyen_han` and `chuc_vu` lines for `signer`.
    pub fn signature(self, signer: Signer) -> (Vec<String>, Vec<String>) {
        let signing = "«CHỨC VỤ NGƯỜI KÝ»".to_string();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (head, deputy) = match self {
            Kind::Committee => ("CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            Kind::Headed { head, deputy } => (head, deputy),
            Kind::Other => ("«CHỨC VỤ NGƯỜI ĐỨNG ĐẦU»", "«CHỨC VỤ CẤP PHÓ»"),
        };
        // A collective body signs on its behalf first (TM. ỦY BAN NHÂN DÂN).
        let mut authority = match self {
            Kind::Committee if signer != Signer::ByOrder => vec!["TM. ỦY BAN NHÂN DÂN".to_string()],
            _ => vec![],
        };
        let title = match signer {
            Signer::OnBehalf => s(&[head]),
            Signer::Deputy => {
                authority.push(format!("KT. {head}"));
                s(&[deputy])
            }
            Signer::Acting => {
                authority.push(format!("Q. {head}"));
                vec![]
            }
            Signer::ByOrder => {
                authority.push(format!("TL. {head}"));
                vec![signing]
            }
        };
        (authority, title)
    }

    /// The subject of the report in its title words: " phát triển kinh tế - xã hội" for a
    /// UBND's socio-economic report, nothing for a department's report on its tasks.
    fn subject(self) -> &'static str {
        match self {
            Kind::Committee => " phát triển kinh tế - xã hội",
            _ => "",
        }
    }
}

/// Administrative units: the words after one are a proper name.
const UNITS: &[&str] = &[
    "TỈNH",
    "THÀNH PHỐ",
    "XÃ",
    "PHƯỜNG",
    "ĐẶC KHU",
    "HUYỆN",
    "QUẬN",
    "THỊ XÃ",
    "THỊ TRẤN",
];

/// Abbreviations kept in capitals.
const ABBREVIATIONS: &[&str] = &["UBND", "HĐND", "MTTQ", "TP", "TP.", "TW"];

fn capitalized(w: &str) -> String {
    let lower = w.to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The agency's name as a sentence writes it, from its header lines (Nghị định 30, Phụ lục
/// II: the type of agency and its field capitalised, a place's name in title case):
/// "ỦY BAN NHÂN DÂN / XÃ TÂN LẬP" → "Ủy ban nhân dân xã Tân Lập", "PHÒNG TÀI CHÍNH - KẾ
/// HOẠCH" → "Phòng Tài chính - Kế hoạch", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" → "Sở Kế hoạch và Đầu tư".
/// `None` when a line holds a placeholder.
pub fn sentence_name(lines: &[String]) -> Option<String> {
    if lines
        .iter()
        .any(|l| !crate::placeholder::spans(l).is_empty())
    {
        return None;
    }
    let w: Vec<String> = lines.iter().flat_map(|l| words(l)).collect();
    let mut out: Vec<String> = vec![];
    // `proper`: inside a place's name; `cap_next`: the next word starts a field's name.
    let (mut proper, mut cap_next) = (false, false);
    let mut i = 0;
    while i < w.len() {
        let unit = UNITS
            .iter()
            .filter(|u| starts_with_words(&w[i..], u))
            .map(|u| u.split(' ').count())
            .max();
        let agency = HEADED
            .iter()
            .map(|(p, _, _)| *p)
            .chain(["ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN"])
            .filter(|p| starts_with_words(&w[i..], p))
            .map(|p| p.split(' ').count())
            .max();
        // "XÃ HỘI", "QUỐC PHÒNG", "PHÒNG CHỐNG", …: no unit, no agency.
        let keep = crate::document::KEEP_WHOLE
            .iter()
            .filter(|p| starts_with_words(&w[i..], p))
            .map(|p| p.split(' ').count())
            .max()
            .unwrap_or(0);
        let (unit, agency) = (unit.filter(|n| *n > keep), agency.filter(|n| *n > keep));
        if let Some(n) = unit {
            // "xã Tân Lập": the unit in lower case, its name in title case.
            out.extend(w[i..i + n].iter().map(|x| x.to_lowercase()));
            proper = true;
            cap_next = false;
            i += n;
            continue;
        }
        if let Some(n) = agency.filter(|_| !proper) {
            let committee = starts_with_words(&w[i..], "ỦY BAN NHÂN DÂN")
                || starts_with_words(&w[i..], "UỶ BAN NHÂN DÂN")
                || starts_with_words(&w[i..], "HỘI ĐỒNG NHÂN DÂN");
            for (k, x) in w[i..i + n].iter().enumerate() {
                out.push(if k == 0 {
                    capitalized(x)
                } else {
                    x.to_lowercase()
                });
            }
            // "Phòng Tài chính", "Sở Kế hoạch": the field after the type is capitalised.
            cap_next = !committee;
            i += n;
            continue;
        }
        let x = &w[i];
        out.push(if ABBREVIATIONS.contains(&x.as_str()) {
            x.clone()
        } else if proper || cap_next || out.is_empty() {
            capitalized(x)
        } else {
            x.to_lowercase()
        });
        // After "-" or "và" in a field's name, the next field is capitalised too.
        cap_next = !proper && matches!(x.as_str(), "-" | "–" | "VÀ");
        i += 1;
    }
    Some(out.join(" "))
}

/// The last month of `period` and the data cut-off day of its reports (Nghị định 09/2019/NĐ-CP,
/// Điều 12: the 14th of the period's last month).
fn dates(period: Period) -> (u32, &'static str) {
    match period {
        Period::Quarter1 => (3, "14/3"),
        Period::Half => (6, "14/6"),
        Period::NineMonths => (9, "14/9"),
        Period::Year => (12, "14/12"),
    }
}

/// The trích yếu of the report (report-structure: the usual titles of each period).
pub fn title(kind: Kind, period: Period, year: Year) -> String {
    let w = period.words(year);
    let subject = kind.subject();
    match (kind, period) {
        (_, Period::Year) if kind == Kind::Committee => format!(
            "Tình hình thực hiện nhiệm vụ{subject} {}; mục tiêu, nhiệm vụ và giải pháp{subject} {}",
            w.ten, w.con_lai
        ),
        (_, Period::Year) => format!(
            "Kết quả thực hiện nhiệm vụ {}; phương hướng, nhiệm vụ trọng tâm {}",
            w.ten, w.con_lai
        ),
        (Kind::Committee, _) => format!(
            "Tình hình thực hiện nhiệm vụ{subject} {}; nhiệm vụ, giải pháp trọng tâm {}",
            w.ten_khong_nam, w.con_lai
        ),
        _ => format!(
            "Kết quả thực hiện nhiệm vụ {}; nhiệm vụ, giải pháp trọng tâm {}",
            w.ten_khong_nam, w.con_lai
        ),
    }
}

/// A YAML list of texts, one item a line, indented by `indent` spaces.
fn yaml_list(items: &[String], indent: usize) -> String {
    if items.is_empty() {
        return " []\n".into();
    }
    let pad = " ".repeat(indent);
    let mut out = "\n".to_string();
    for i in items {
        out.push_str(&format!("{pad}- {}\n", yaml_scalar(i)));
    }
    out
}

/// One example indicator: id, name, unit, decimals, lower is better.
struct Example {
    id: &'static str,
    ten: &'static str,
    don_vi: &'static str,
    so_thap_phan: u32,
    cao_hon_tot: bool,
}

const ECONOMY: [Example; 3] = [
    Example {
        id: "san_luong_luong_thuc",
        ten: "Tổng sản lượng lương thực có hạt",
        don_vi: "tấn",
        so_thap_phan: 1,
        cao_hon_tot: true,
    },
    Example {
        id: "thu_ngan_sach",
        ten: "Thu ngân sách nhà nước trên địa bàn",
        don_vi: "triệu đồng",
        so_thap_phan: 1,
        cao_hon_tot: true,
    },
    Example {
        id: "giai_ngan_dau_tu_cong",
        ten: "Giải ngân vốn đầu tư công",
        don_vi: "triệu đồng",
        so_thap_phan: 1,
        cao_hon_tot: true,
    },
];

const SOCIETY: [Example; 3] = [
    Example {
        id: "viec_lam_moi",
        ten: "Số lao động được giải quyết việc làm mới",
        don_vi: "người",
        so_thap_phan: 1,
        cao_hon_tot: true,
    },
    Example {
        id: "ty_le_ho_ngheo",
        ten: "Tỷ lệ hộ nghèo",
        don_vi: "%",
        so_thap_phan: 2,
        cao_hon_tot: false,
    },
    Example {
        id: "ty_le_bao_hiem_y_te",
        ten: "Tỷ lệ dân số tham gia bảo hiểm y tế",
        don_vi: "%",
        so_thap_phan: 1,
        cao_hon_tot: true,
    },
];

/// The static files of the blank form, by path in the folder; `@kt_xh@` stands for the
/// report's subject ([`Kind::subject`]).
const TEMPLATES: [(&str, &str); 9] = [
    (
        "templates/bao-cao.typ.j2",
        include_str!("blank/templates/bao-cao.typ.j2"),
    ),
    (
        "templates/phan-1/mo-dau.typ.j2",
        include_str!("blank/templates/phan-1/mo-dau.typ.j2"),
    ),
    (
        "templates/phan-1/chi-tieu.typ.j2",
        include_str!("blank/templates/phan-1/chi-tieu.typ.j2"),
    ),
    (
        "templates/phan-1/kinh-te.typ.j2",
        include_str!("blank/templates/phan-1/kinh-te.typ.j2"),
    ),
    (
        "templates/phan-1/van-hoa-xa-hoi.typ.j2",
        include_str!("blank/templates/phan-1/van-hoa-xa-hoi.typ.j2"),
    ),
    (
        "templates/phan-1/noi-chinh.typ.j2",
        include_str!("blank/templates/phan-1/noi-chinh.typ.j2"),
    ),
    (
        "templates/phan-1/quoc-phong-an-ninh.typ.j2",
        include_str!("blank/templates/phan-1/quoc-phong-an-ninh.typ.j2"),
    ),
    (
        "templates/phan-1/danh-gia-chung.typ.j2",
        include_str!("blank/templates/phan-1/danh-gia-chung.typ.j2"),
    ),
    (
        "templates/phan-2/nhiem-vu.typ.j2",
        include_str!("blank/templates/phan-2/nhiem-vu.typ.j2"),
    ),
];

/// The built-in files the blank form shares with the sample.
const SHARED: [&str; 5] = [
    "data/schema.json",
    "templates/nd30.typ",
    "templates/du-thao.svg",
    "templates/HUONG-DAN.md",
    "templates/phu-luc/bieu-chi-tieu.typ.j2",
];

/// The README of a blank folder.
const README: &str = include_str!("blank/README.md");

impl Blank {
    /// The agency's lines: as given, or the default with a placeholder.
    fn agency_lines(&self) -> Vec<String> {
        if self.agency.is_empty() {
            DEFAULT_AGENCY.iter().map(|s| s.to_string()).collect()
        } else {
            self.agency.clone()
        }
    }

    fn kind(&self) -> Kind {
        Kind::of(self.agency_lines().first().map_or("", String::as_str))
    }

    /// Every file of the new folder, by path in it.
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = vec![
            ("data/bao-cao.yaml".into(), self.meta_yaml().into_bytes()),
            ("data/bieu.yaml".into(), self.table_yaml().into_bytes()),
            (
                "data/chi-tieu/kinh-te.yaml".into(),
                self.indicators_yaml("kinh tế", &ECONOMY).into_bytes(),
            ),
            (
                "data/chi-tieu/xa-hoi.yaml".into(),
                self.indicators_yaml("xã hội", &SOCIETY).into_bytes(),
            ),
            (
                "data/so-lieu/chung.yaml".into(),
                FIGURES.as_bytes().to_vec(),
            ),
        ];
        let subject = self.kind().subject();
        for (path, text) in TEMPLATES {
            out.push((path.into(), text.replace("@kt_xh@", subject).into_bytes()));
        }
        for a in assets::files() {
            let font = a.path.starts_with("fonts/");
            if font || SHARED.contains(&a.path) {
                out.push((a.path.into(), a.bytes.to_vec()));
            }
        }
        out.extend(super::common_files(README));
        out
    }

    /// data/bao-cao.yaml, commented.
    fn meta_yaml(&self) -> String {
        let agency = self.agency_lines();
        let kind = self.kind();
        let year = self.year.get();
        let key = self.period.key();
        let (month, cut_off) = dates(self.period);
        let mut y = String::from(META_HEAD);
        if self.parent_agency.is_empty() {
            y.push_str(PARENT_NONE);
        } else {
            y.push_str(PARENT_HEAD);
            y.push_str("co_quan_chu_quan:");
            y.push_str(&yaml_list(&self.parent_agency, 2));
        }
        y.push_str(AGENCY_HEAD);
        y.push_str("co_quan:");
        y.push_str(&yaml_list(&agency, 2));
        let (name, derived) = match &self.name {
            Some(n) => (n.clone(), false),
            None => match sentence_name(&agency) {
                Some(n) => (n, true),
                None => ("«Tên cơ quan viết trong câu»".to_string(), false),
            },
        };
        y.push_str(NAME_HEAD);
        if derived {
            y.push_str("# (suy ra từ co_quan: kiểm tra lại chữ hoa, chữ thường)\n");
        }
        y.push_str(&format!("ten_co_quan: {}\n", yaml_scalar(&name)));
        let place = self.place.clone().unwrap_or_else(|| "«Địa danh»".into());
        let symbol = self.symbol.clone().unwrap_or_else(|| "BC-UBND".into());
        let (authority, titles) = kind.signature(self.signer);
        // A value, then its comment in the same column.
        let commented = |indent: usize, field: String, comment: &str| {
            format!("{}{field:<28}# {comment}\n", " ".repeat(indent))
        };
        let block = [
            commented(
                4,
                "so: \"\"".into(),
                "số văn bản: văn thư điền khi ban hành",
            ),
            commented(
                4,
                format!("ngay: /{month}/{year}"),
                &format!("ngày để trống cho văn thư; ghi đủ khi đã có: 28/{month}/{year}"),
            ),
            commented(
                4,
                format!("ngay_so_lieu: {cut_off}/{year}"),
                "ngày chốt số liệu (Nghị định 09/2019/NĐ-CP); sửa nếu khác",
            ),
        ]
        .concat();
        y.push_str(&format!(
            "{PLACE_HEAD}dia_danh: {}\n{SYMBOL_HEAD}ky_hieu: {}\n{YEAR_HEAD}nam: {year}\n\
             {PERIOD_HEAD}ky_mac_dinh: {key}\n{PERIODS_HEAD}cac_ky:\n  {key}:\n{block}    \
             trich_yeu: {}\n{SIGNER_HEAD}nguoi_ky:\n  quyen_han:{}  chuc_vu:{}{}\
             {RECIPIENTS_HEAD}noi_nhan:{}luu: VT\n{DRAFT_HEAD}du_thao: false\n",
            yaml_scalar(&place),
            yaml_scalar(&symbol),
            yaml_scalar(&title(kind, self.period, self.year)),
            yaml_list(&authority, 4),
            yaml_list(&titles, 4),
            commented(
                2,
                "ho_ten: \"\"".into(),
                "họ tên người ký; để trống cho văn thư"
            ),
            yaml_list(
                &[
                    "«Cơ quan cấp trên nhận báo cáo»".to_string(),
                    "«Các cơ quan, đơn vị liên quan»".to_string(),
                ],
                2
            ),
        ));
        y
    }

    /// data/bieu.yaml: the title and the two groups of the examples.
    fn table_yaml(&self) -> String {
        let title = match self.kind() {
            Kind::Committee => "Kết quả thực hiện các chỉ tiêu phát triển kinh tế - xã hội chủ yếu",
            _ => "Kết quả thực hiện các chỉ tiêu chủ yếu",
        };
        let group = |name: &str, list: &[Example]| {
            let ids: String = list.iter().map(|e| format!("      - {}\n", e.id)).collect();
            format!("  - ten: {name}\n    chi_tieu:\n{ids}")
        };
        format!(
            "{TABLE_HEAD}tieu_de: {title}\nnhom:\n{}{}",
            group("Chỉ tiêu kinh tế", &ECONOMY),
            group("Chỉ tiêu xã hội", &SOCIETY)
        )
    }

    /// A data/chi-tieu/ file of `examples`, their figures for the period left to fill.
    fn indicators_yaml(&self, field: &str, examples: &[Example]) -> String {
        let key = self.period.key();
        let year_end = self.period == Period::Year;
        let mut y = format!("{INDICATORS_HEAD}# Lĩnh vực {field}.\nchi_tieu:\n");
        for e in examples {
            y.push_str(&format!(
                "  - id: {}\n    ten: {}\n    don_vi: {}\n    so_thap_phan: {}\n",
                e.id,
                yaml_scalar(e.ten),
                yaml_scalar(e.don_vi),
                e.so_thap_phan
            ));
            if !e.cao_hon_tot {
                y.push_str("    cao_hon_tot: false          # càng thấp càng tốt\n");
            }
            y.push_str("    ke_hoach: «kế hoạch»\n");
            if year_end {
                y.push_str("    ke_hoach_nam_sau: «kế hoạch năm sau»\n");
            }
            y.push_str(&format!("    ky:\n      {key}:\n"));
            if year_end {
                y.push_str("        uoc_thuc_hien: «ước thực hiện»\n");
                y.push_str("        cung_ky: «thực hiện năm trước»\n");
            } else {
                y.push_str("        thuc_hien: «thực hiện»\n");
                y.push_str("        cung_ky: «cùng kỳ»\n");
            }
        }
        y
    }
}

const META_HEAD: &str = "\
# yaml-language-server: $schema=schema.json
# Thông tin văn bản của báo cáo (baocao init --blank). Nghĩa, ví dụ và mặc định của mọi khóa:
# templates/HUONG-DAN.md, mục 5. Chữ giữa « và » là chỗ trống còn phải điền: `baocao check`
# liệt kê từng chỗ, và báo cáo còn in chỗ trống nào thì là bản DỰ THẢO.
";

const PARENT_NONE: &str = "
# Cơ quan chủ quản trực tiếp (nếu có), in hoa, mỗi dòng một mục; in đứng, không đậm, trên tên
# cơ quan ban hành. Ví dụ cho một phòng thuộc Ủy ban nhân dân xã:
# co_quan_chu_quan:
#   - ỦY BAN NHÂN DÂN
#   - XÃ …
";

const PARENT_HEAD: &str = "
# Cơ quan chủ quản trực tiếp, in hoa, mỗi dòng một mục; in đứng, không đậm.
";

const AGENCY_HEAD: &str = "
# Tên cơ quan ban hành, in hoa, mỗi dòng một mục; in đậm. Dòng dài hơn cột tiêu đề được ngắt
# trước một từ chỉ cơ quan, đơn vị (TỈNH, XÃ, PHƯỜNG, SỞ, PHÒNG, …) hoặc sau \" - \".
";

const NAME_HEAD: &str = "
# Tên cơ quan khi viết trong câu (\"Trên đây là Báo cáo … của …\", dòng \"Kèm theo\" của biểu).
";

const PLACE_HEAD: &str = "
# Địa danh nơi cơ quan đóng trụ sở, in trước ngày tháng: \"<địa danh>, ngày … tháng … năm …\".
";

const SYMBOL_HEAD: &str = "
# Ký hiệu văn bản sau số: BC-<chữ viết tắt tên cơ quan>.
";

const YEAR_HEAD: &str = "
# Năm của báo cáo.
";

const PERIOD_HEAD: &str = "
# Kỳ dựng khi không ghi --period: quy-1, 6-thang, 9-thang hay ca-nam.
";

const PERIODS_HEAD: &str = "
# Các kỳ báo cáo, mỗi kỳ một khối. Thêm kỳ khác bằng một khối cùng dạng (và một khối số liệu
# cho kỳ đó trong mỗi chỉ tiêu của data/chi-tieu/).
";

const SIGNER_HEAD: &str = "
# Người ký: quyen_han là các dòng TM. / KT. / Q. / TL.; chuc_vu là chức vụ của người ký.
";

const RECIPIENTS_HEAD: &str = "
# Nơi nhận, mỗi dòng một nơi; dòng cuối \"- Lưu: VT.\" lấy từ `luu`.
";

const DRAFT_HEAD: &str = "
# true: in dấu DỰ THẢO dù đã điền đủ.
";

const TABLE_HEAD: &str = "\
# yaml-language-server: $schema=schema.json
# Biểu số 01 kèm theo báo cáo: tiêu đề (in hoa, thêm tên kỳ) và các nhóm chỉ tiêu theo thứ tự
# in; nhóm được đánh số I, II, III, … Các cột của biểu theo kỳ báo cáo (README: \"Biểu kèm
# theo\"); số và tỷ lệ tính từ data/chi-tieu/.
";

const INDICATORS_HEAD: &str = "\
# yaml-language-server: $schema=../schema.json
# Các chỉ tiêu ví dụ: đổi tên, đơn vị, thêm hay bớt cho hợp với đơn vị (mã `id` dùng trong mẫu:
# ct.<id>, và trong data/bieu.yaml). Số viết như báo cáo: 1.146; 2.976,4. Chữ giữa « và » là số
# còn phải điền; để nguyên thì báo cáo in đúng chỗ trống đó và là bản DỰ THẢO.
";

const FIGURES: &str = "\
# yaml-language-server: $schema=../schema.json
# Số liệu khác dùng trong lời văn: sl.chung.<khóa>. Một bảng phẳng khóa: giá trị; số viết như
# 1.146; 2.976,4. Số riêng của một kỳ: data/ky/<kỳ>/so-lieu/chung.yaml (cùng khóa).
ho_so_thu_tuc_hanh_chinh: «số hồ sơ»   # hồ sơ thủ tục hành chính tiếp nhận trong kỳ
";

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_sentence_name_capitalises_as_the_decree_does() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["ỦY BAN NHÂN DÂN", "XÃ TÂN LẬP"],
                "Ủy ban nhân dân xã Tân Lập",
            ),
            (
                &["ỦY BAN NHÂN DÂN TỈNH LAM SƠN"],
                "Ủy ban nhân dân tỉnh Lam Sơn",
            ),
            (
                &["ỦY BAN NHÂN DÂN", "ĐẶC KHU CỒN CỎ"],
                "Ủy ban nhân dân đặc khu Cồn Cỏ",
            ),
            (&["PHÒNG KINH TẾ"], "Phòng Kinh tế"),
            (
                &["PHÒNG TÀI CHÍNH - KẾ HOẠCH"],
                "Phòng Tài chính - Kế hoạch",
            ),
            (&["SỞ KẾ HOẠCH VÀ ĐẦU TƯ"], "Sở Kế hoạch và Đầu tư"),
            (&["PHÒNG VĂN HÓA - XÃ HỘI"], "Phòng Văn hóa - Xã hội"),
            (
                &["VĂN PHÒNG HĐND VÀ UBND", "PHƯỜNG HÒA BÌNH"],
                "Văn phòng HĐND và UBND phường Hòa Bình",
            ),
            (&["Ủy ban nhân dân phường 3"], "Ủy ban nhân dân phường 3"),
        ];
        for (agency, want) in cases {
            assert_eq!(
                sentence_name(&lines(agency)).as_deref(),
                Some(*want),
                "{agency:?}"
            );
        }
        assert_eq!(sentence_name(&lines(&DEFAULT_AGENCY)), None);
    }

    #[test]
    fn kinds_and_signatures() {
        assert_eq!(Kind::of("ỦY BAN NHÂN DÂN"), Kind::Committee);
        assert_eq!(Kind::of("Uỷ ban nhân dân xã A"), Kind::Committee);
        assert_eq!(
            Kind::of("PHÒNG KINH TẾ"),
            Kind::Headed {
                head: "TRƯỞNG PHÒNG",
                deputy: "PHÓ TRƯỞNG PHÒNG"
            }
        );
        assert_eq!(
            Kind::of("VĂN PHÒNG UBND"),
            Kind::Headed {
                head: "CHÁNH VĂN PHÒNG",
                deputy: "PHÓ CHÁNH VĂN PHÒNG"
            }
        );
        assert_eq!(
            Kind::of("BAN QUẢN LÝ DỰ ÁN").signature(Signer::OnBehalf).1,
            ["TRƯỞNG BAN"]
        );
        assert_eq!(Kind::of("HỢP TÁC XÃ A"), Kind::Other);
        let s = |k: Kind, sg| k.signature(sg);
        let v = |x: &[&str]| lines(x);
        assert_eq!(
            s(Kind::Committee, Signer::OnBehalf),
            (v(&["TM. ỦY BAN NHÂN DÂN"]), v(&["CHỦ TỊCH"]))
        );
        assert_eq!(
            s(Kind::Committee, Signer::Deputy),
            (
                v(&["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]),
                v(&["PHÓ CHỦ TỊCH"])
            )
        );
        assert_eq!(
            s(Kind::Committee, Signer::Acting),
            (v(&["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]), v(&[]))
        );
        assert_eq!(
            s(Kind::Committee, Signer::ByOrder),
            (v(&["TL. CHỦ TỊCH"]), v(&["«CHỨC VỤ NGƯỜI KÝ»"]))
        );
        let room = Kind::of("PHÒNG KINH TẾ");
        assert_eq!(
            s(room, Signer::Deputy),
            (v(&["KT. TRƯỞNG PHÒNG"]), v(&["PHÓ TRƯỞNG PHÒNG"]))
        );
        assert_eq!(s(room, Signer::OnBehalf), (v(&[]), v(&["TRƯỞNG PHÒNG"])));
    }

    #[test]
    fn titles_follow_the_period_and_the_kind() {
        let y = Year::new(2025).unwrap();
        assert_eq!(
            title(Kind::Committee, Period::Half, y),
            "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội 6 tháng đầu năm; nhiệm vụ, \
             giải pháp trọng tâm 6 tháng cuối năm 2025"
        );
        assert_eq!(
            title(Kind::Committee, Period::Year, y),
            "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2025; mục tiêu, nhiệm \
             vụ và giải pháp phát triển kinh tế - xã hội năm 2026"
        );
        assert_eq!(
            title(Kind::of("PHÒNG KINH TẾ"), Period::Year, y),
            "Kết quả thực hiện nhiệm vụ năm 2025; phương hướng, nhiệm vụ trọng tâm năm 2026"
        );
        assert_eq!(
            title(Kind::Committee, Period::Quarter1, y),
            "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội quý I; nhiệm vụ, giải pháp \
             trọng tâm 9 tháng cuối năm 2025"
        );
    }
}
