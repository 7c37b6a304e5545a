//! Stage 1: load the report folder's data/ (YAML) into a `DataSet`.
//!
//! Every figure is read from its scalar's own text (never YAML's float), so `1.146` is one
//! thousand one hundred and forty-six. Errors name the file, line and column.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::diag::{Diagnostic, Error, Location, Result};
use crate::figures::{Plan, parse_plan};
use crate::format::{Date, Number, parse_date, parse_number};
pub use crate::period::{Period, Year};

// ---------------------------------------------------------------------------------------------
// Scalars read from their text

/// Deserialize a scalar from its own text (never YAML's float) through `parse`; a parse
/// error keeps its hint and gets the scalar's line and column from serde_yaml.
fn from_text<'de, D, T, P>(
    d: D,
    expecting: &'static str,
    parse: impl Fn(&str) -> std::result::Result<P, crate::format::ParseError>,
    wrap: impl Fn(P) -> T,
) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct V<F>(&'static str, F);
    impl<T, F: Fn(&str) -> std::result::Result<T, String>> Visitor<'_> for V<F> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<T, E> {
            (self.1)(s).map_err(E::custom)
        }
    }
    d.deserialize_str(V(expecting, |s: &str| {
        parse(s)
            .map(&wrap)
            .map_err(|e| join_hint(&e.message, e.hint.as_deref()))
    }))
}

/// A figure: a number written the Vietnamese way.
#[derive(Clone, Debug, PartialEq)]
pub struct Fig(pub Number);

impl<'de> Deserialize<'de> for Fig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        from_text(
            d,
            "một số viết theo cách Việt Nam (1.146; 2.976,4)",
            parse_number,
            Fig,
        )
    }
}

/// A plan: a number, a range, a bound or a qualitative text.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanField(pub Plan);

impl<'de> Deserialize<'de> for PlanField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        from_text(
            d,
            "kế hoạch: một số, một khoảng (6,6-6,8) hay một giới hạn (dưới 1)",
            parse_plan,
            PlanField,
        )
    }
}

/// A date, possibly with blank parts for the văn thư.
#[derive(Clone, Debug, PartialEq)]
pub struct DateField(pub Date);

impl<'de> Deserialize<'de> for DateField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        from_text(
            d,
            "một ngày dạng ngày/tháng/năm (31/5/2024; ngày để trống: /6/2024)",
            parse_date,
            DateField,
        )
    }
}

/// Plain text; any scalar is read as its text (a number stays as written).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("một dòng chữ")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Text, E> {
                Ok(Text(s.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

/// A so-lieu value: a number when it starts like one, else text.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(Number),
    Text(String),
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("một số hay một dòng chữ")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Value, E> {
                let t = s.trim();
                if t.is_empty() {
                    return Err(E::custom("thiếu giá trị"));
                }
                let numeric = t.starts_with(|c: char| c.is_ascii_digit())
                    || (t.starts_with(['-', '−', '+', ',', '.'])
                        && t.chars().nth(1).is_some_and(|c| c.is_ascii_digit()));
                if numeric {
                    parse_number(t)
                        .map(Value::Number)
                        .map_err(|e| E::custom(join_hint(&e.message, e.hint.as_deref())))
                } else {
                    Ok(Value::Text(s.to_string()))
                }
            }
        }
        d.deserialize_str(V)
    }
}

/// A map that refuses duplicate keys (YAML allows them to pass silently otherwise).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrictMap<T>(pub Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for StrictMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = StrictMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("một bảng khóa: giá trị")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out: Vec<(String, T)> = Vec::new();
                // A set beside the list: a file of many keys stays linear, not quadratic.
                let mut seen = std::collections::HashSet::new();
                while let Some(key) = map.next_key::<Text>()? {
                    let key = key.0;
                    if !seen.insert(key.clone()) {
                        return Err(de::Error::custom(format!("khóa `{key}` bị lặp lại")));
                    }
                    let value = map.next_value::<T>()?;
                    out.push((key, value));
                }
                Ok(StrictMap(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A map keyed by period (`ky:` of an indicator, `cac_ky` of the metadata), in the order
/// written; a period given twice, or a key that is no period, is an error where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodMap<T>(pub Vec<(Period, T)>);

impl<T> Default for PeriodMap<T> {
    fn default() -> Self {
        PeriodMap(vec![])
    }
}

impl<T> PeriodMap<T> {
    pub fn get(&self, period: Period) -> Option<&T> {
        self.0.iter().find(|(p, _)| *p == period).map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The periods present, in the order of the year.
    pub fn periods(&self) -> Vec<Period> {
        Period::ALL
            .into_iter()
            .filter(|p| self.get(*p).is_some())
            .collect()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PeriodMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = PeriodMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "một bảng các kỳ ({})", crate::period::KEYS)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out: Vec<(Period, T)> = Vec::new();
                while let Some(key) = map.next_key::<Period>()? {
                    if out.iter().any(|(p, _)| *p == key) {
                        return Err(de::Error::custom(format!("khóa `{key}` bị lặp lại")));
                    }
                    let value = map.next_value::<T>()?;
                    out.push((key, value));
                }
                Ok(PeriodMap(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

const HINT_SEP: &str = "\u{1}gợi ý\u{1}";

/// A deserializer's error message carrying a hint; `parse_yaml` splits them again.
pub fn with_hint(message: &str, hint: &str) -> String {
    join_hint(message, Some(hint))
}

fn join_hint(message: &str, hint: Option<&str>) -> String {
    match hint {
        Some(h) => format!("{message}{HINT_SEP}{h}"),
        None => message.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The data model

/// A text the report cannot do without: blank is an error where it is written.
/// (Checked inside the visitor, so that the message carries the field and its line.)
fn required_text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Text, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = Text;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("một dòng chữ")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Text, E> {
            if s.trim().is_empty() {
                return self.visit_unit();
            }
            Ok(Text(s.to_string()))
        }
        fn visit_unit<E: de::Error>(self) -> std::result::Result<Text, E> {
            Err(E::custom(join_hint(
                "trường bắt buộc nhưng để trống",
                Some("ghi nội dung sau dấu `:` (xem mẫu trong templates/HUONG-DAN.md)"),
            )))
        }
    }
    d.deserialize_str(V)
}

fn yes() -> bool {
    true
}

/// data/bao-cao.yaml: the document's metadata.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Cơ quan chủ quản (if any), in capitals, one entry per line.
    #[serde(default)]
    pub co_quan_chu_quan: Vec<Text>,
    /// Issuing agency, in capitals, one entry per line.
    pub co_quan: Vec<Text>,
    /// The agency's name as written in a sentence ("Ủy ban nhân dân thành phố Cao Bằng").
    #[serde(deserialize_with = "required_text")]
    pub ten_co_quan: Text,
    #[serde(deserialize_with = "required_text")]
    pub dia_danh: Text,
    #[serde(deserialize_with = "required_text")]
    pub ky_hieu: Text,
    pub nam: Year,
    pub ky_mac_dinh: Period,
    pub cac_ky: PeriodMap<PeriodMeta>,
    pub nguoi_ky: Signer,
    #[serde(default)]
    pub noi_nhan: Vec<Text>,
    pub luu: Text,
    #[serde(default)]
    pub du_thao: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodMeta {
    /// Số of the document; blank for the văn thư.
    #[serde(default)]
    pub so: Option<Text>,
    pub ngay: DateField,
    pub ngay_so_lieu: DateField,
    #[serde(deserialize_with = "required_text")]
    pub trich_yeu: Text,
    /// Figures of this period are illustrative (not from an official source).
    #[serde(default)]
    pub minh_hoa: bool,
    #[serde(default)]
    pub du_thao: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// TM. / KT. / Q. / TL. line(s), e.g. "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH".
    #[serde(default)]
    pub quyen_han: Vec<Text>,
    /// The signer's title line(s), e.g. "CHỦ TỊCH", "PHÓ CHỦ TỊCH".
    pub chuc_vu: Vec<Text>,
    #[serde(default)]
    pub ho_ten: Option<Text>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorFile {
    pub chi_tieu: Vec<Indicator>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    #[serde(deserialize_with = "required_text")]
    pub id: Text,
    #[serde(deserialize_with = "required_text")]
    pub ten: Text,
    #[serde(default)]
    pub don_vi: Option<Text>,
    #[serde(default)]
    pub so_thap_phan: Option<u32>,
    #[serde(default = "yes")]
    pub cao_hon_tot: bool,
    #[serde(default)]
    pub ke_hoach: Option<PlanField>,
    /// Next year's plan (year-end reports).
    #[serde(default)]
    pub ke_hoach_nam_sau: Option<PlanField>,
    #[serde(default)]
    pub ghi_chu: Option<Text>,
    #[serde(default)]
    pub minh_hoa: bool,
    #[serde(default)]
    pub ky: PeriodMap<PeriodValues>,
    /// Where the indicator is defined (filled by the loader).
    #[serde(skip)]
    pub location: Option<Location>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodValues {
    #[serde(default)]
    pub thuc_hien: Option<Fig>,
    #[serde(default)]
    pub uoc_thuc_hien: Option<Fig>,
    #[serde(default)]
    pub cung_ky: Option<Fig>,
    #[serde(default)]
    pub so_voi_cung_ky: Option<Fig>,
    #[serde(default)]
    pub so_voi_ke_hoach: Option<Fig>,
    #[serde(default)]
    pub thanh_phan: Vec<Component>,
    #[serde(default)]
    pub ghi_chu: Option<Text>,
    #[serde(default)]
    pub minh_hoa: bool,
}

impl PeriodValues {
    /// The period's figure: the estimate to the period's end if given, else the result.
    pub fn value(&self) -> Option<&Number> {
        self.uoc_thuc_hien
            .as_ref()
            .or(self.thuc_hien.as_ref())
            .map(|f| &f.0)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    #[serde(deserialize_with = "required_text")]
    pub ten: Text,
    pub gia_tri: Fig,
}

/// data/bieu.yaml: the attached indicator table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    #[serde(default)]
    pub tieu_de: Option<Text>,
    pub nhom: Vec<TableGroup>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableGroup {
    pub ten: Text,
    pub chi_tieu: Vec<Text>,
}

/// A so-lieu file: flat key -> value.
#[derive(Clone, Debug)]
pub struct FigureFile {
    /// The name templates use: the file stem with '-' turned into '_'.
    pub name: String,
    pub path: PathBuf,
    pub values: Vec<(String, Value)>,
}

/// Everything under data/.
#[derive(Clone, Debug)]
pub struct DataSet {
    pub meta: Meta,
    pub meta_path: PathBuf,
    pub indicators: Vec<Indicator>,
    pub figures: Vec<FigureFile>,
    /// Per-period overrides of so-lieu files: data/ky/<period>/so-lieu/*.yaml.
    pub period_figures: Vec<(Period, Vec<FigureFile>)>,
    pub table: Option<TableSpec>,
    pub table_path: PathBuf,
}

impl DataSet {
    /// The so-lieu files as seen from `period`: the shared files, with the keys that
    /// data/ky/<period>/so-lieu/ gives for that period replacing or adding to them.
    pub fn figures_for(&self, period: Period) -> Vec<FigureFile> {
        let mut out = self.figures.clone();
        let Some((_, overlay)) = self.period_figures.iter().find(|(p, _)| *p == period) else {
            return out;
        };
        for file in overlay {
            match out.iter_mut().find(|f| f.name == file.name) {
                Some(base) => {
                    for (k, v) in &file.values {
                        match base.values.iter_mut().find(|(bk, _)| bk == k) {
                            Some(slot) => slot.1 = v.clone(),
                            None => base.values.push((k.clone(), v.clone())),
                        }
                    }
                }
                None => out.push(file.clone()),
            }
        }
        out
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id.0 == id)
    }

    /// The period a build uses when none is asked for.
    pub fn default_period(&self) -> Period {
        self.meta.ky_mac_dinh
    }

    /// The report's year, validated when read.
    pub fn year(&self) -> Year {
        self.meta.nam
    }

    pub fn period_meta(&self, period: Period) -> Option<&PeriodMeta> {
        self.meta.cac_ky.get(period)
    }

    /// The metadata of `period`, or an error naming the periods the data declares.
    pub fn require_period(&self, period: Period) -> Result<&PeriodMeta> {
        self.period_meta(period).ok_or_else(|| {
            Error::new(
                Diagnostic::error(format!("dữ liệu chưa khai báo kỳ `{period}`"))
                    .at_opt(find_key_location(&self.meta_path, "cac_ky"))
                    .hint(format!(
                        "các kỳ đã khai báo: {}",
                        self.periods()
                            .iter()
                            .map(|p| p.key())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
            )
        })
    }

    /// The periods this data set describes in its metadata.
    pub fn periods(&self) -> Vec<Period> {
        self.meta.cac_ky.periods()
    }
}

// ---------------------------------------------------------------------------------------------
// Loading

/// The largest data file baocao reads (4 MiB). A report's figures fit in far less (2.000
/// indicators take about 0,5 MB); a bigger file is a mistake, such as a whole spreadsheet
/// export or a wrong file, and is refused before it is read.
pub const MAX_DATA_FILE: u64 = 4 * 1024 * 1024;

fn too_big(path: &Path, len: u64) -> Diagnostic {
    let mb = |n: u64| {
        crate::format::format_number(
            rust_decimal::Decimal::from(n) / rust_decimal::Decimal::from(1024 * 1024),
            1,
        )
    };
    Diagnostic::error(format!(
        "tệp quá lớn ({} MB; tệp số liệu tối đa {} MB)",
        mb(len),
        MAX_DATA_FILE / (1024 * 1024)
    ))
    .at(Location::file(path))
    .hint("kiểm tra xem có dán nhầm cả bảng tính hay chọn nhầm tệp không; nếu số liệu thật sự nhiều, chia thành nhiều tệp trong cùng thư mục")
}

/// Read a data file as text: UTF-8 (a byte-order mark is accepted), CRLF accepted, NFC text
/// expected (decomposed Vietnamese is composed by the caller's normalisation step).
pub fn read_text(path: &Path) -> Result<String> {
    if let Ok(meta) = std::fs::metadata(path) {
        // A folder, a device (a link to /dev/zero never ends) or a pipe (blocks) named *.yaml.
        if !meta.is_file() {
            return Err(Error::new(
                Diagnostic::error("không phải một tệp thường (là thư mục, thiết bị hay đường ống)")
                    .at(Location::file(path))
                    .hint("tệp số liệu là tệp văn bản YAML: đổi tên hoặc chuyển mục này ra khỏi data/"),
            ));
        }
        if meta.len() > MAX_DATA_FILE {
            return Err(Error::new(too_big(path, meta.len())));
        }
    }
    // Never more than the limit, even if the file grows while it is read.
    let mut bytes = vec![];
    {
        use std::io::Read;
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_DATA_FILE + 1).read_to_end(&mut bytes))
            .map_err(|e| Error::io("đọc", path, e))?;
    }
    if bytes.len() as u64 > MAX_DATA_FILE {
        return Err(Error::new(too_big(path, bytes.len() as u64)));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
        let upto = &bytes[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|b| **b == b'\n').count() + 1;
        let last = upto.rsplit(|b| *b == b'\n').next().unwrap_or(&[]);
        let col = std::str::from_utf8(last).map_or(last.len(), |s| s.chars().count()) + 1;
        Error::new(
            Diagnostic::error("tệp không phải văn bản UTF-8")
                .at(Location::at(path, line, col))
                .hint("lưu lại tệp với bảng mã UTF-8"),
        )
    })?;
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        let col = text[..at]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        return Err(Error::new(
            Diagnostic::error("tệp chứa ký tự NUL: có vẻ là tệp nhị phân, không phải YAML")
                .at(Location::at(path, line, col))
                .hint("kiểm tra xem có chọn nhầm tệp không; tệp số liệu là văn bản YAML lưu bằng UTF-8"),
        ));
    }
    // Other control characters (YAML refuses them; libyaml would not say where).
    let control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}');
    if let Some(at) = text.find(control) {
        let c = text[at..].chars().next().unwrap_or('?');
        let line = text[..at].matches('\n').count() + 1;
        let col = text[..at]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        return Err(Error::new(
            Diagnostic::error(format!(
                "tệp chứa ký tự điều khiển U+{:04X}, YAML không cho phép",
                c as u32
            ))
            .at(Location::at(path, line, col))
            .hint("xóa ký tự này (thường lẫn vào khi dán từ Excel hay e-mail); nếu cả tệp là ký tự lạ thì có vẻ đã chọn nhầm tệp"),
        ));
    }
    // CRLF (Windows) and a lone CR (old Mac) are line breaks to YAML as well: one LF each, so
    // that the lines we count for messages are YAML's lines.
    Ok(crate::text::normalize(
        &text.replace("\r\n", "\n").replace('\r', "\n"),
    ))
}

/// Parse one YAML file into `T`, turning serde_yaml's error into a located Vietnamese message.
pub fn parse_yaml<T: for<'de> Deserialize<'de>>(path: &Path, text: &str) -> Result<T> {
    if text.trim().is_empty() {
        return Err(Error::new(
            Diagnostic::error("tệp rỗng").at(Location::file(path)),
        ));
    }
    if let Some((line, col)) = find_tab_indent(text) {
        return Err(Error::new(
            Diagnostic::error("YAML không cho phép thụt lề bằng ký tự Tab")
                .at(Location::at(path, line, col))
                .hint("thay Tab bằng dấu cách"),
        ));
    }
    serde_yaml::from_str::<T>(text).map_err(|e| Error::new(yaml_diagnostic(path, text, &e)))
}

fn find_tab_indent(text: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let lead: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        if let Some(pos) = lead.find('\t') {
            return Some((i + 1, pos + 1));
        }
    }
    None
}

fn yaml_diagnostic(path: &Path, text: &str, e: &serde_yaml::Error) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C" (or " at position N"), and libyaml a context
    // (", while parsing a block mapping …"); we print the location ourselves.
    let cut = [" at line ", " at position ", ", while "]
        .iter()
        .filter_map(|m| raw.find(m))
        .min();
    let mut msg = match cut {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let mut hint = None;
    if let Some(i) = msg.find(HINT_SEP) {
        hint = Some(msg[i + HINT_SEP.len()..].to_string());
        msg.truncate(i);
    }
    // A custom message may carry a path prefix ("chi_tieu[2].ke_hoach: ..."); a key may hold
    // spaces ("Số vụ tai nạn: ..."). Only serde's own "invalid type: …" and "invalid value: …"
    // have a ": " that is not after a path.
    let (field_path, body) = match msg.split_once(": ") {
        Some((p, b)) if !p.is_empty() && !matches!(p, "invalid type" | "invalid value") => {
            (Some(p.to_string()), b.to_string())
        }
        _ => (None, msg.clone()),
    };
    let syntax = yaml_syntax(&body);
    let mut message = match &syntax {
        Some((m, _)) => m.clone(),
        None => translate_serde(&body),
    };
    if let Some(p) = field_path {
        message = format!("{message} (tại `{p}`)");
    }
    let mut loc = match e.location() {
        Some(l) => {
            let (line, col) = (l.line(), l.column());
            // Past the end of the file: point at the last line.
            let lines = text.lines().count().max(1);
            Location::at(path, line.min(lines), col)
        }
        None => Location::file(path),
    };
    // A repeated key is reported where its map starts: point at the repetition instead.
    let repeated = body
        .strip_prefix("duplicate field `")
        .or_else(|| body.strip_prefix("khóa `"))
        .and_then(|r| r.split('`').next());
    if let (Some(key), Some(from)) = (repeated, loc.line) {
        if let Some((line, col)) = find_repeated_key(text, from, key) {
            loc = Location::at(path, line, col);
        }
    }
    let mut d = Diagnostic::error(message).at(loc);
    if let Some(h) = hint {
        d = d.hint(h);
    } else if let Some(h) = syntax.and_then(|(_, h)| h) {
        d = d.hint(h);
    } else if let Some(h) = serde_hint(&body) {
        d = d.hint(h);
    }
    d
}

/// The second `key:` at or after line `from` (1-based): where a repeated key repeats.
fn find_repeated_key(text: &str, from: usize, key: &str) -> Option<(usize, usize)> {
    let plain = format!("{key}:");
    let quoted = [format!("\"{key}\":"), format!("'{key}':")];
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .filter_map(|(i, l)| {
            let t = l
                .trim_start()
                .trim_start_matches("- ")
                .trim_start_matches(['{', ' ']);
            (t.starts_with(&plain) || quoted.iter().any(|q| t.starts_with(q.as_str())))
                .then(|| (i + 1, l.chars().count() - t.chars().count() + 1))
        })
        .nth(1)
}

/// libyaml's syntax messages, in Vietnamese, each with a hint where the fix is known.
fn yaml_syntax(msg: &str) -> Option<(String, Option<String>)> {
    const QUOTE: &str = "đặt giá trị trong dấu ngoặc kép, ví dụ `ten: \"@ABC: x\"`";
    let table: &[(&str, &str, &str)] = &[
        (
            "did not find expected ',' or ']'",
            "danh sách mở bằng `[` chưa đóng hoặc thiếu dấu `,` giữa các mục",
            "viết `[a, b, c]` trên một dòng, hoặc mỗi mục một dòng bắt đầu bằng `- `",
        ),
        (
            "did not find expected ',' or '}'",
            "bảng mở bằng `{` chưa đóng hoặc thiếu dấu `,` giữa các mục",
            "viết `{ ten: …, gia_tri: … }` trên một dòng",
        ),
        (
            "did not find expected key",
            "thụt lề không thẳng hàng: dòng này không phải là một khóa của bảng bên trên",
            "các khóa cùng cấp phải thẳng cột; giá trị có dấu `:` hay bắt đầu bằng ký tự đặc biệt thì đặt trong ngoặc kép",
        ),
        (
            "did not find expected '-' indicator",
            "thụt lề không thẳng hàng trong danh sách",
            "các mục của một danh sách bắt đầu bằng `- ` ở cùng một cột",
        ),
        (
            "did not find expected node content",
            "thiếu giá trị hoặc có ký tự không đúng chỗ",
            "kiểm tra dấu ngoặc và dấu `,` ở dòng này",
        ),
        (
            "did not find expected comment or line break",
            "có chữ thừa sau giá trị",
            "sau một giá trị trong ngoặc kép chỉ được xuống dòng hoặc ghi chú thích bắt đầu bằng `#`",
        ),
        (
            "could not find expected ':'",
            "thiếu dấu `:` sau khóa",
            "mỗi dòng của bảng có dạng `khóa: giá trị`; một giá trị dài nhiều dòng thì đặt trong ngoặc kép",
        ),
        (
            "found character that cannot start any token",
            "giá trị bắt đầu bằng ký tự YAML không cho phép (`@`, `` ` ``, `%`, …)",
            QUOTE,
        ),
        (
            "found unexpected end of stream",
            "tệp kết thúc giữa chừng: dấu ngoặc kép chưa đóng",
            "đóng dấu ngoặc kép `\"` ở cuối giá trị",
        ),
        (
            "found unknown escape character",
            "ký tự `\\` không hợp lệ trong chuỗi ngoặc kép",
            "dùng ngoặc đơn `'…'`, hoặc viết `\\\\` cho một dấu `\\`",
        ),
        ("found unexpected ':'", "dấu `:` không đúng chỗ", QUOTE),
        (
            "mapping values are not allowed",
            "dấu `:` không đúng chỗ",
            "giá trị có chứa `: ` phải đặt trong ngoặc kép; hoặc kiểm tra thụt lề của dòng này",
        ),
        (
            "block sequence entries are not allowed",
            "dấu `-` của danh sách không đúng chỗ",
            "mục danh sách `- ` phải nằm trên dòng riêng, thụt lề dưới khóa của nó; số âm hay dấu gạch đứng một mình thì đặt trong ngoặc kép",
        ),
        (
            "mapping keys are not allowed",
            "khóa phức `?` không đúng chỗ",
            "các khóa là chữ thường không dấu, viết `khóa: giá trị`",
        ),
        (
            "found a tab character",
            "YAML không cho phép thụt lề bằng ký tự Tab",
            "thay Tab bằng dấu cách",
        ),
        (
            "control characters are not allowed",
            "tệp chứa ký tự điều khiển: có vẻ là tệp nhị phân, không phải YAML",
            "kiểm tra xem có chọn nhầm tệp không; tệp số liệu là văn bản YAML lưu bằng UTF-8",
        ),
        (
            "found undefined tag handle",
            "nhãn YAML `!` không xác định",
            "bỏ nhãn bắt đầu bằng `!`; giá trị có `!` ở đầu thì đặt trong ngoặc kép",
        ),
        (
            "found unexpected document indicator",
            "dòng `---` hoặc `...` không đúng chỗ",
            "mỗi tệp chỉ chứa một tài liệu YAML: bỏ dòng `---` hay `...` này",
        ),
        (
            "deserializing from YAML containing more than one document",
            "tệp chứa nhiều tài liệu YAML (ngăn bởi `---`)",
            "mỗi tệp chỉ chứa một tài liệu YAML: bỏ dòng `---` (hoặc `...`) ở giữa tệp",
        ),
        (
            "unknown anchor",
            "tham chiếu `*tên` đến một neo `&tên` không có",
            "viết giá trị trực tiếp thay vì dùng `&` và `*`",
        ),
        (
            "repetition limit exceeded",
            "tham chiếu `*tên` được nhân lên quá nhiều lần",
            "viết giá trị trực tiếp thay vì dùng `&` và `*`",
        ),
        (
            "recursion limit exceeded",
            "YAML lồng quá sâu",
            "số liệu chỉ cần vài cấp: kiểm tra các dấu `[`, `{` và thụt lề",
        ),
        (
            "EOF while parsing",
            "tệp rỗng",
            "tệp số liệu phải có ít nhất một dòng `khóa: giá trị`",
        ),
        (
            "expected a mapping",
            "khóa gộp `<<` cần một bảng `&tên`",
            "viết các khóa trực tiếp thay vì dùng `<<`",
        ),
        (
            "unexpected tagged value in merge",
            "khóa gộp `<<` cần một bảng `&tên`",
            "viết các khóa trực tiếp thay vì dùng `<<`",
        ),
        (
            "empty YAML tag",
            "nhãn YAML `!` rỗng",
            "giá trị có `!` ở đầu thì đặt trong ngoặc kép",
        ),
        (
            "failed to parse YAML number",
            "không đọc được số",
            "số viết theo mẫu `1.146` hoặc `2.976,4`",
        ),
    ];
    if let Some((_, vi, hint)) = table.iter().find(|(en, _, _)| msg.starts_with(en)) {
        return Some((format!("sai cú pháp YAML: {vi}"), Some(hint.to_string())));
    }
    // Any other message of libyaml's scanner or parser (they are English, lower-case).
    let english = [
        "did not find",
        "could not find",
        "found ",
        "while ",
        "incomplete ",
        "unexpected ",
    ];
    let encoding = msg.starts_with("invalid ") && (msg.contains("UTF") || msg.contains("Unicode"));
    (encoding || english.iter().any(|p| msg.starts_with(p))).then(|| {
        (
            "sai cú pháp YAML".to_string(),
            Some(
                "kiểm tra thụt lề, dấu `:`, dấu ngoặc và dấu ngoặc kép ở dòng này và dòng trên"
                    .to_string(),
            ),
        )
    })
}

/// serde's English messages, in Vietnamese.
fn translate_serde(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return format!("thiếu trường {rest}");
    }
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("trường {field} không có trong mẫu dữ liệu");
    }
    if let Some(rest) = msg.strip_prefix("duplicate field ") {
        return format!("trường {rest} bị lặp lại");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return format!(
            "sai kiểu dữ liệu: gặp {}, cần {}",
            translate_kind(got),
            translate_kind(expected)
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return format!(
            "giá trị không hợp lệ: gặp {}, cần {}",
            translate_kind(got),
            translate_kind(expected)
        );
    }
    if msg.starts_with("duplicate entry") {
        return format!("khóa bị lặp lại ({msg})");
    }
    if msg.contains("recursion limit exceeded") {
        return "YAML lồng quá sâu".into();
    }
    if msg.contains("mapping values are not allowed") {
        return "sai cú pháp YAML: dấu `:` không đúng chỗ".into();
    }
    if msg.contains("did not find expected")
        || msg.contains("found character that cannot start any token")
        || msg.contains("could not find expected")
        || msg.contains("found unexpected")
        || msg.contains("while scanning")
        || msg.contains("while parsing")
    {
        return format!("sai cú pháp YAML ({msg})");
    }
    msg.to_string()
}

fn translate_kind(s: &str) -> String {
    let s = s.trim();
    let map = [
        ("a sequence", "một danh sách"),
        ("sequence", "một danh sách"),
        ("a map", "một bảng khóa: giá trị"),
        ("map", "một bảng khóa: giá trị"),
        ("a string", "một dòng chữ"),
        ("a boolean", "true hoặc false"),
        ("boolean", "true hoặc false"),
        ("unit value", "giá trị trống"),
        // (`so_thap_phan` is the only u32 of the data.)
        ("u32", "một số nguyên từ 0 đến 6"),
        ("field identifier", "tên một trường (chữ thường không dấu)"),
        ("a borrowed string", "một dòng chữ"),
        ("floating point", "một số thực"),
        ("a character", "một ký tự"),
        ("unit", "giá trị trống"),
        ("struct Meta", "bảng thông tin văn bản"),
        ("struct IndicatorFile", "bảng có khóa chi_tieu"),
        ("struct Indicator", "bảng mô tả một chỉ tiêu"),
        ("struct PeriodValues", "bảng số liệu của kỳ"),
        ("struct Component", "bảng {ten, gia_tri}"),
        ("struct Signer", "bảng người ký"),
        ("struct PeriodMeta", "bảng thông tin của kỳ"),
        ("struct TableSpec", "bảng có khóa nhom"),
        ("struct TableGroup", "bảng {ten, chi_tieu}"),
    ];
    for (en, vi) in map {
        if s == en {
            return vi.to_string();
        }
    }
    if let Some(v) = s.strip_prefix("integer ") {
        return format!("số nguyên {v}");
    }
    if let Some(v) = s.strip_prefix("string ") {
        return format!("chữ {v}");
    }
    if let Some(v) = s.strip_prefix("boolean ") {
        return format!("giá trị logic {v}");
    }
    s.to_string()
}

fn serde_hint(msg: &str) -> Option<String> {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        if !field.is_empty() && field.chars().all(|c| c.is_ascii_digit()) {
            return Some(
                "trong `{ … }` dấu phẩy ngăn các mục, nên `84,34` bị cắt đôi: viết mỗi khóa trên một dòng, hoặc đặt số trong ngoặc kép `\"84,34\"`"
                    .into(),
            );
        }
    }
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        if let Some((_, expected)) = rest.split_once("expected ") {
            return Some(format!(
                "các trường được dùng: {}",
                expected.replace("one of ", "").replace(" or ", " hoặc ")
            ));
        }
    }
    None
}

/// Find the 1-based line of `key:` (first occurrence) in a YAML file, for semantic errors.
pub fn find_key_location(path: &Path, key: &str) -> Option<Location> {
    let text = std::fs::read_to_string(path).ok()?;
    let needle = format!("{key}:");
    text.lines().enumerate().find_map(|(i, l)| {
        let t = l.trim_start().trim_start_matches("- ");
        t.starts_with(&needle)
            .then(|| Location::at(path, i + 1, l.len() - l.trim_start().len() + 1))
    })
}

/// The line of `keys`, each looked for after the previous one, inside the block (list item or
/// map entry) that starts at `start`: for a message about one field of an indicator.
pub fn find_nested_key(start: &Location, keys: &[&str]) -> Option<Location> {
    let text = std::fs::read_to_string(&start.file).ok()?;
    let first = start.line?;
    let indent = start.column.unwrap_or(1).saturating_sub(1);
    let mut keys = keys.iter();
    let mut want = format!("{}:", keys.next()?);
    for (i, l) in text.lines().enumerate().skip(first.saturating_sub(1)) {
        let t = l.trim_start();
        let lead = l.len() - t.len();
        if i + 1 > first && !t.is_empty() && !t.starts_with('#') && lead <= indent {
            break;
        }
        let key = t.trim_start_matches("- ").trim_start_matches("{ ");
        if key.starts_with(&want) {
            match keys.next() {
                Some(k) => want = format!("{k}:"),
                None => {
                    return Some(Location::at(
                        &start.file,
                        i + 1,
                        lead + t.len() - key.len() + 1,
                    ));
                }
            }
        }
    }
    None
}

/// Every `id: <id>` line of an indicator file, in order: (id, line, column).
fn id_lines(text: &str) -> Vec<(&str, usize, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            let v = t.strip_prefix("id:")?.trim().trim_matches(['"', '\'']);
            Some((v, i + 1, l.len() - l.trim_start().len() + 1))
        })
        .collect()
}

fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = vec![];
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io("đọc thư mục", dir, e)),
    };
    for entry in rd {
        let entry = entry.map_err(|e| Error::io("đọc thư mục", dir, e))?;
        let p = entry.path();
        if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

/// At most this many errors of one kind are listed for one file; then one line counts the rest.
const MAX_SAME_ERRORS: usize = 20;

/// Load data/ under `root`. Collects every error of every file before failing.
pub fn load(root: &Path) -> Result<DataSet> {
    let data = root.join("data");
    let mut errors: Vec<Diagnostic> = vec![];
    fn collect(errors: &mut Vec<Diagnostic>, r: Result<()>) {
        if let Err(e) = r {
            errors.extend(e.0);
        }
    }

    let meta_path = data.join("bao-cao.yaml");
    let mut meta = None;
    collect(
        &mut errors,
        (|| {
            let text = read_text(&meta_path)?;
            meta = Some(parse_yaml::<Meta>(&meta_path, &text)?);
            Ok(())
        })(),
    );

    let mut indicators: Vec<Indicator> = vec![];
    match yaml_files(&data.join("chi-tieu")) {
        Ok(files) => {
            for path in files {
                collect(
                    &mut errors,
                    (|| {
                        let text = read_text(&path)?;
                        let file: IndicatorFile = parse_yaml(&path, &text)?;
                        // Indicators come in the order of their `id:` lines: one pass finds
                        // each, and a repeated id gets its own line, not the first one's.
                        let lines = id_lines(&text);
                        let mut next = 0;
                        for mut ind in file.chi_tieu {
                            let found = lines[next.min(lines.len())..]
                                .iter()
                                .position(|(id, _, _)| *id == ind.id.0)
                                .map(|k| next + k);
                            ind.location = Some(match found {
                                Some(k) => {
                                    next = k + 1;
                                    Location::at(&path, lines[k].1, lines[k].2)
                                }
                                None => Location::file(&path),
                            });
                            indicators.push(ind);
                        }
                        Ok(())
                    })(),
                );
            }
        }
        Err(e) => errors.extend(e.0),
    }

    let figures = load_figure_files(&data.join("so-lieu"), &mut errors);
    let mut period_figures = vec![];
    for p in Period::ALL {
        let dir = data.join("ky").join(p.key()).join("so-lieu");
        if dir.is_dir() {
            period_figures.push((p, load_figure_files(&dir, &mut errors)));
        }
    }

    let table_path = data.join("bieu.yaml");
    let mut table = None;
    if table_path.exists() {
        collect(
            &mut errors,
            (|| {
                let text = read_text(&table_path)?;
                table = Some(parse_yaml::<TableSpec>(&table_path, &text)?);
                Ok(())
            })(),
        );
    }

    // Semantic checks that need the whole set.
    let mut seen: BTreeMap<&str, &Indicator> = BTreeMap::new();
    for ind in &indicators {
        let id = ind.id.0.as_str();
        if !is_identifier(id) {
            errors.push(
                Diagnostic::error(format!("mã chỉ tiêu `{id}` không hợp lệ"))
                    .at_opt(ind.location.clone())
                    .hint("mã chỉ gồm chữ thường không dấu, chữ số và `_`, bắt đầu bằng chữ: `thu_ngan_sach`"),
            );
        }
        if let Some(first) = seen.get(id) {
            let mut d = Diagnostic::error(format!("mã chỉ tiêu `{id}` bị khai báo hai lần"))
                .at_opt(ind.location.clone());
            if let Some(l) = &first.location {
                d = d.hint(format!("lần đầu ở {l}"));
            }
            errors.push(d);
        } else {
            seen.insert(id, ind);
        }
        if let Some(d) = ind.so_thap_phan {
            if d > 6 {
                errors.push(
                    Diagnostic::error(format!("chỉ tiêu `{id}`: so_thap_phan = {d} quá lớn"))
                        .at_opt(ind.location.clone())
                        .hint("dùng từ 0 đến 6 chữ số thập phân"),
                );
            }
        }
    }
    let mut names: BTreeMap<&str, &Path> = BTreeMap::new();
    for f in &figures {
        if let Some(p) = names.insert(&f.name, &f.path) {
            errors.push(
                Diagnostic::error(format!("hai tệp số liệu cùng tên `{}`", f.name))
                    .at(Location::file(&f.path))
                    .hint(format!(
                        "đổi tên một trong hai tệp (tệp kia: {})",
                        p.display()
                    )),
            );
        }
        let bad: Vec<&String> = f
            .values
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !is_identifier(k))
            .collect();
        for k in bad.iter().take(MAX_SAME_ERRORS) {
            errors.push(
                Diagnostic::error(format!("khóa số liệu `{k}` không hợp lệ"))
                    .at_opt(find_key_location(&f.path, k))
                    .hint("khóa chỉ gồm chữ thường không dấu, chữ số và `_`, bắt đầu bằng chữ"),
            );
        }
        if bad.len() > MAX_SAME_ERRORS {
            errors.push(
                Diagnostic::error(format!(
                    "còn {} khóa số liệu không hợp lệ khác trong tệp này",
                    bad.len() - MAX_SAME_ERRORS
                ))
                .at(Location::file(&f.path)),
            );
        }
    }
    if let Some(t) = &table {
        let unknown: Vec<&Text> = t
            .nhom
            .iter()
            .flat_map(|g| &g.chi_tieu)
            .filter(|id| !seen.contains_key(id.0.as_str()))
            .collect();
        let known: Vec<&str> = seen.keys().copied().collect();
        for id in unknown.iter().take(MAX_SAME_ERRORS) {
            let mut d = Diagnostic::error(format!(
                "biểu chỉ tiêu nhắc đến chỉ tiêu `{}` không có",
                id.0
            ))
            .at_opt(find_value_location(&table_path, &id.0));
            if let Some(n) = crate::text::nearest(&id.0, known.iter().copied()) {
                d = d.hint(format!("có phải là `{n}`?"));
            }
            errors.push(d);
        }
        if unknown.len() > MAX_SAME_ERRORS {
            errors.push(
                Diagnostic::error(format!(
                    "còn {} chỉ tiêu khác trong biểu không có",
                    unknown.len() - MAX_SAME_ERRORS
                ))
                .at(Location::file(&table_path)),
            );
        }
    }

    if !errors.is_empty() {
        return Err(Error(errors));
    }
    let meta = meta.expect("meta parsed when no error was recorded");
    if meta.cac_ky.is_empty() {
        return Err(Error::new(
            Diagnostic::error("chưa khai báo kỳ báo cáo nào trong `cac_ky`")
                .at_opt(find_key_location(&meta_path, "cac_ky")),
        ));
    }
    Ok(DataSet {
        period_figures,
        meta,
        meta_path,
        indicators,
        figures,
        table,
        table_path,
    })
}

/// Read every so-lieu file of a folder (flat key -> value), collecting errors.
fn load_figure_files(dir: &Path, errors: &mut Vec<Diagnostic>) -> Vec<FigureFile> {
    let mut figures = vec![];
    let files = match yaml_files(dir) {
        Ok(files) => files,
        Err(e) => {
            errors.extend(e.0);
            return figures;
        }
    };
    for path in files {
        let r: Result<()> = (|| {
            let text = read_text(&path)?;
            let values: StrictMap<Value> = parse_yaml(&path, &text)?;
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .replace('-', "_");
            figures.push(FigureFile {
                name: stem,
                path: path.clone(),
                values: values.0,
            });
            Ok(())
        })();
        if let Err(e) = r {
            errors.extend(e.0);
        }
    }
    figures
}

/// The line where a value (e.g. an id in a list) appears.
pub fn find_value_location(path: &Path, value: &str) -> Option<Location> {
    let text = std::fs::read_to_string(path).ok()?;
    let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
    // Every occurrence on a line counts: `[thu_ngan_sach, thu_ngan_sac]` finds the second.
    text.lines().enumerate().find_map(|(i, l)| {
        l.match_indices(value).find_map(|(col, _)| {
            let before = l[..col].chars().last();
            let after = l[col + value.len()..].chars().next();
            (boundary(before) && boundary(after))
                .then(|| Location::at(path, i + 1, l[..col].chars().count() + 1))
        })
    })
}

pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
