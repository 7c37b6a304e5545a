//! The reporting period: one type for the data files (serde), the command line (clap), the
//! wording templates print and the output file name. The year is validated once, when
//! data/bao-cao.yaml is read ([`Year`]).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The four periods of a year's reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Period {
    /// quý I
    #[value(name = "quy-1")]
    Quarter1,
    /// 6 tháng đầu năm
    #[value(name = "6-thang")]
    Half,
    /// 9 tháng đầu năm
    #[value(name = "9-thang")]
    NineMonths,
    /// cả năm
    #[value(name = "ca-nam")]
    Year,
}

/// The period keys, for messages: "quy-1, 6-thang, 9-thang, ca-nam".
pub const KEYS: &str = "quy-1, 6-thang, 9-thang, ca-nam";

impl Period {
    pub const ALL: [Period; 4] = [
        Period::Quarter1,
        Period::Half,
        Period::NineMonths,
        Period::Year,
    ];

    /// The key used in data files, CLI values and output names.
    pub fn key(self) -> &'static str {
        match self {
            Period::Quarter1 => "quy-1",
            Period::Half => "6-thang",
            Period::NineMonths => "9-thang",
            Period::Year => "ca-nam",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The output file of this period's report: `bao-cao-6-thang-2024.<ext>`.
    pub fn file_name(self, year: Year, ext: &str) -> String {
        format!("bao-cao-{}-{}.{ext}", self.key(), year.get())
    }

    /// The wording of this period in `year`, for templates and the layout.
    pub fn words(self, year: Year) -> Words {
        let year = year.get();
        let (ten_ngan, ten, con_lai) = match self {
            Period::Quarter1 => (
                "quý I".to_string(),
                format!("quý I năm {year}"),
                format!("9 tháng cuối năm {year}"),
            ),
            Period::Half => (
                "6 tháng".to_string(),
                format!("6 tháng đầu năm {year}"),
                format!("6 tháng cuối năm {year}"),
            ),
            Period::NineMonths => (
                "9 tháng".to_string(),
                format!("9 tháng đầu năm {year}"),
                format!("3 tháng cuối năm {year}"),
            ),
            Period::Year => (
                "cả năm".to_string(),
                format!("năm {year}"),
                format!("năm {}", year + 1),
            ),
        };
        let (ten_khong_nam, cuoi_ky) = match self {
            Period::Quarter1 => ("quý I", "31/3"),
            Period::Half => ("6 tháng đầu năm", "30/6"),
            Period::NineMonths => ("9 tháng đầu năm", "30/9"),
            Period::Year => ("cả năm", "31/12"),
        };
        let (cung_ky, so_sanh_nam, so_sanh_nam_ngan) = match self {
            Period::Year => (
                format!("năm {}", year - 1),
                format!("so với năm {}", year - 1),
                format!("so với năm {}", year - 1),
            ),
            _ => (
                "cùng kỳ".to_string(),
                format!("so với cùng kỳ năm {}", year - 1),
                format!("so với cùng kỳ {}", year - 1),
            ),
        };
        Words {
            ma: self.key(),
            ten,
            ten_ngan,
            con_lai,
            so_sanh: format!("so với {cung_ky}"),
            cung_ky,
            ten_khong_nam,
            cuoi_ky,
            so_sanh_nam,
            so_sanh_nam_ngan,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// As its key (`6-thang`), as data files write it (the watch worker's messages, `watch`).
impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Period;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "một kỳ báo cáo ({KEYS})")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Period, E> {
                Period::from_key(s.trim()).ok_or_else(|| {
                    E::custom(crate::data::with_hint(
                        &format!("kỳ `{s}` không có"),
                        &format!("các kỳ: {KEYS}"),
                    ))
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// The report's year, validated when read: a whole number from 1900 to 2200.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year(i32);

impl Year {
    pub const MIN: i32 = 1900;
    pub const MAX: i32 = 2200;

    pub fn new(year: i32) -> Option<Self> {
        (Self::MIN..=Self::MAX)
            .contains(&year)
            .then_some(Year(year))
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for Year {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Year;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("một năm (2024)")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Year, E> {
                // Read as a figure first, so a misspelt number gets the figure's own hint.
                let n = crate::format::parse_number(s).map_err(|e| {
                    E::custom(match &e.hint {
                        Some(h) => crate::data::with_hint(&e.message, h),
                        None => e.message.clone(),
                    })
                })?;
                use rust_decimal::prelude::ToPrimitive;
                (n.decimals == 0)
                    .then(|| n.value.to_i32())
                    .flatten()
                    .and_then(Year::new)
                    .ok_or_else(|| {
                        E::custom(crate::data::with_hint(
                            &format!("năm `{s}` không hợp lệ"),
                            &format!(
                                "ghi năm bằng bốn chữ số, từ {} đến {}",
                                Year::MIN,
                                Year::MAX
                            ),
                        ))
                    })
            }
        }
        d.deserialize_str(V)
    }
}

/// The wording of a period, as templates see it in `ky` (see templates/HUONG-DAN.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// The key: "6-thang".
    pub ma: &'static str,
    /// "6 tháng đầu năm 2024", "năm 2024".
    pub ten: String,
    /// "6 tháng", "cả năm".
    pub ten_ngan: String,
    /// The rest of the year: "6 tháng cuối năm 2024"; for the year-end report, next year.
    pub con_lai: String,
    /// "so với cùng kỳ", or for the year-end report "so với năm 2023".
    pub so_sanh: String,
    /// "cùng kỳ", or for the year-end report "năm 2023": what the comparison is with.
    pub cung_ky: String,
    /// The period's name without the year: "6 tháng đầu năm", "quý I", "cả năm".
    pub ten_khong_nam: &'static str,
    /// The period's last day, day/month: "30/6", "31/12".
    pub cuoi_ky: &'static str,
    /// "so với cùng kỳ năm 2023", or for the year-end report "so với năm 2023".
    pub so_sanh_nam: String,
    /// "so với cùng kỳ 2023" (without "năm"), or for the year-end report "so với năm 2023".
    pub so_sanh_nam_ngan: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for p in Period::ALL {
            assert_eq!(Period::from_key(p.key()), Some(p));
            let parsed: Period = serde_yaml::from_str(p.key()).unwrap();
            assert_eq!(parsed, p);
            use clap::ValueEnum;
            assert_eq!(
                p.to_possible_value().unwrap().get_name(),
                p.key(),
                "clap and data spell the period alike"
            );
        }
        assert!(serde_yaml::from_str::<Period>("6-thangg").is_err());
    }

    #[test]
    fn file_names_and_words() {
        let y = Year::new(2024).unwrap();
        assert_eq!(Period::Half.file_name(y, "pdf"), "bao-cao-6-thang-2024.pdf");
        assert_eq!(
            Period::Year.file_name(y, "html"),
            "bao-cao-ca-nam-2024.html"
        );
        let w = Period::Year.words(y);
        assert_eq!(w.ten, "năm 2024");
        assert_eq!(w.con_lai, "năm 2025");
        assert_eq!(w.so_sanh, "so với năm 2023");
        let w = Period::Quarter1.words(y);
        assert_eq!(w.ten, "quý I năm 2024");
        assert_eq!(w.so_sanh_nam_ngan, "so với cùng kỳ 2023");
    }

    #[test]
    fn year_is_validated_when_read() {
        assert_eq!(serde_yaml::from_str::<Year>("2024").unwrap().get(), 2024);
        for bad in ["24", "2024,5", "1,999", "hai nghìn", "99.999", "2024.5"] {
            assert!(serde_yaml::from_str::<Year>(bad).is_err(), "{bad}");
        }
    }
}
