//! The data model: what data/ holds, as the later stages see it.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;

use super::positions::{NodeRef, SourceFile, YamlPath};
use super::scalar::*;
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::format::Number;
use crate::period::{Period, Year};

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
    /// The year's plan; `None` when absent or still a placeholder (`«kế hoạch»`).
    #[serde(default, deserialize_with = "plan_field")]
    pub ke_hoach: Option<PlanField>,
    /// Next year's plan (year-end reports).
    #[serde(default, deserialize_with = "plan_field")]
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
    /// Its node in its file (`chi_tieu[3]` of data/chi-tieu/kinh-te.yaml), filled by the
    /// loader: the positions of its fields, and the place to edit one in place.
    #[serde(skip)]
    pub source: Option<NodeRef>,
}

impl Indicator {
    /// Where the value of `keys` (`["ky", "6-thang", "thuc_hien"]`) is written; where its
    /// nearest written ancestor is when that field is absent.
    pub fn field_location(&self, keys: &[&str]) -> Option<Location> {
        match &self.source {
            Some(at) => at.field_location(keys),
            None => self.location.clone(),
        }
    }

    /// The placeholder (`«…»`, composed) that the field `keys` holds (`["ke_hoach"]`,
    /// `["ky", "6-thang", "thuc_hien"]`), when it holds one and nothing else.
    pub fn placeholder(&self, keys: &[&str]) -> Option<String> {
        self.placeholder_at(&self.source.as_ref()?.below(keys))
    }

    /// The placeholder the value of component `index` of `period` holds.
    pub fn component_placeholder(&self, period: Period, index: usize) -> Option<String> {
        let at = self.source.as_ref()?;
        let path = at
            .below(&["ky", period.key(), "thanh_phan"])
            .index(index)
            .key("gia_tri");
        self.placeholder_at(&path)
    }

    fn placeholder_at(&self, path: &YamlPath) -> Option<String> {
        let text = self.source.as_ref()?.file.node(path)?.as_str()?;
        crate::placeholder::is_whole(text).then(|| crate::text::normalize(text.trim()))
    }

    /// The file and YAML path of the field `keys` of this indicator, written or not: for an
    /// in-place edit ("this field of this indicator in this period").
    pub fn field_path(&self, keys: &[&str]) -> Option<(Arc<SourceFile>, YamlPath)> {
        let at = self.source.as_ref()?;
        Some((Arc::clone(&at.file), at.below(keys)))
    }
}

/// A period's figures of an indicator. A figure field that holds a placeholder (`«thực
/// hiện»`) is `None`, as an absent one; [`Indicator::placeholder`] reads what it holds.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodValues {
    #[serde(default, deserialize_with = "figure_field")]
    pub thuc_hien: Option<Fig>,
    #[serde(default, deserialize_with = "figure_field")]
    pub uoc_thuc_hien: Option<Fig>,
    #[serde(default, deserialize_with = "figure_field")]
    pub cung_ky: Option<Fig>,
    #[serde(default)]
    pub so_voi_cung_ky: Option<StatedRatio>,
    #[serde(default)]
    pub so_voi_ke_hoach: Option<StatedRatio>,
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
        self.value_field().and_then(|f| self.get(f))
    }

    /// The field the period's figure is read from: `uoc_thuc_hien` if given, else
    /// `thuc_hien` if given.
    pub fn value_field(&self) -> Option<FigureField> {
        if self.uoc_thuc_hien.is_some() {
            Some(FigureField::UocThucHien)
        } else if self.thuc_hien.is_some() {
            Some(FigureField::ThucHien)
        } else {
            None
        }
    }

    /// The figure of `field`, as written.
    pub fn get(&self, field: FigureField) -> Option<&Number> {
        match field {
            FigureField::ThucHien => self.thuc_hien.as_ref(),
            FigureField::UocThucHien => self.uoc_thuc_hien.as_ref(),
        }
        .map(|f| &f.0)
    }

    /// The stated ratio of `kind`.
    pub fn stated(&self, kind: RatioKind) -> Option<&StatedRatio> {
        match kind {
            RatioKind::ToBase => self.so_voi_cung_ky.as_ref(),
            RatioKind::ShareOfPlan => self.so_voi_ke_hoach.as_ref(),
        }
    }
}

/// A figure field of a period that a stated ratio can be stated for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FigureField {
    /// `thuc_hien`: the result to the data's cut-off date.
    ThucHien,
    /// `uoc_thuc_hien`: the estimate to the period's end.
    UocThucHien,
}

impl FigureField {
    /// The key in the data.
    pub fn key(self) -> &'static str {
        match self {
            FigureField::ThucHien => "thuc_hien",
            FigureField::UocThucHien => "uoc_thuc_hien",
        }
    }
}

/// The two ratios a source may state without their base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RatioKind {
    /// `so_voi_cung_ky`: the figure over last year's (the base, `cung_ky`).
    ToBase,
    /// `so_voi_ke_hoach`: the figure over the plan (`ke_hoach`).
    ShareOfPlan,
}

impl RatioKind {
    pub const ALL: [RatioKind; 2] = [RatioKind::ToBase, RatioKind::ShareOfPlan];

    /// The key in the data.
    pub fn key(self) -> &'static str {
        match self {
            RatioKind::ToBase => "so_voi_cung_ky",
            RatioKind::ShareOfPlan => "so_voi_ke_hoach",
        }
    }

    /// Its name in a sentence: "tỷ lệ so với cùng kỳ".
    pub fn name(self) -> &'static str {
        match self {
            RatioKind::ToBase => "tỷ lệ so với cùng kỳ",
            RatioKind::ShareOfPlan => "tỷ lệ so với kế hoạch",
        }
    }
}

/// A ratio the source states without the figure it is taken over (`so_voi_cung_ky` without
/// `cung_ky`, `so_voi_ke_hoach` without a plan). Written alone (`so_voi_cung_ky: 94,09`), or
/// with the figure it was stated for, so that baocao can tell when that figure has changed
/// and the ratio is stale:
///
/// ```yaml
/// so_voi_cung_ky:
///   ty_le: 94,09
///   thuc_hien: 1.146
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StatedRatio {
    /// The ratio, in percent (`ty_le`).
    pub ratio: Number,
    /// The figure it was stated for, as written then.
    pub stated_for: Option<(FigureField, Number)>,
    /// Read by serde as a float (`1.146`, `94.09`): the loader reads the scalar's own text
    /// again, so the value is the one written (and `94.09` an error where it stands).
    pub(crate) reread: bool,
}

impl StatedRatio {
    /// As written, for a listing: `94,09`, or `94,09 (ứng với thuc_hien 1.146)`.
    pub fn shown(&self) -> String {
        match &self.stated_for {
            Some((field, n)) => format!(
                "{} (ứng với {} {})",
                self.ratio.written,
                field.key(),
                n.written
            ),
            None => self.ratio.written.clone(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    #[serde(deserialize_with = "required_text")]
    pub ten: Text,
    /// Required; `None` while it is a placeholder.
    #[serde(deserialize_with = "figure_field")]
    pub gia_tri: Option<Fig>,
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
    /// The file's text and positions (filled by the loader).
    pub source: Option<Arc<SourceFile>>,
}

impl FigureFile {
    /// Where `key` is written in this file (its value underlined); the file when it is not.
    pub fn key_location(&self, key: &str) -> Option<Location> {
        let Some(src) = &self.source else {
            return Some(Location::file(&self.path));
        };
        let entry = src.root().and_then(|r| {
            r.entries()
                .iter()
                .find(|e| e.key_str().map(str::trim) == Some(key))
        });
        Some(match entry {
            Some(e) => src.span_location(super::positions::Span {
                start: e.key.span().start,
                end: e.value.span().end,
            }),
            None => Location::file(&src.path),
        })
    }
}

/// Everything under data/.
#[derive(Clone, Debug)]
pub struct DataSet {
    pub meta: Meta,
    pub meta_path: PathBuf,
    pub indicators: Vec<Indicator>,
    pub figures: Vec<FigureFile>,
    /// Per-period overrides of so-lieu files: `data/ky/<period>/so-lieu/*.yaml`.
    pub period_figures: Vec<(Period, Vec<FigureFile>)>,
    pub table: Option<TableSpec>,
    pub table_path: PathBuf,
    /// data/bao-cao.yaml in memory, with its positions.
    pub meta_source: Arc<SourceFile>,
    /// data/bieu.yaml in memory, when there is one.
    pub table_source: Option<Arc<SourceFile>>,
    /// What loading found worth a word but not an error (a string too long for a report).
    pub warnings: Vec<Diagnostic>,
}

impl DataSet {
    /// The so-lieu files as seen from `period`: the shared files, with the keys that
    /// `data/ky/<period>/so-lieu/` gives for that period replacing or adding to them.
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
                    .at_opt(self.meta_location("cac_ky"))
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

    /// Where a value of data/bao-cao.yaml is written, by its YAML path (`cac_ky.6-thang.ngay`);
    /// where its nearest written ancestor is when it is absent.
    pub fn meta_location(&self, path: &str) -> Option<Location> {
        let path = YamlPath::parse(path)?;
        let mut p = path.clone();
        loop {
            if let Some(loc) = self.meta_source.location(&p) {
                return Some(loc);
            }
            p = p.split_last()?.0;
        }
    }

    /// The periods this data set describes in its metadata.
    pub fn periods(&self) -> Vec<Period> {
        self.meta.cac_ky.periods()
    }
}
