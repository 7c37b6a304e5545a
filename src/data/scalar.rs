//! Scalars read from their own text (figures, plans, dates, texts) and the maps of the data
//! files (keys kept in order, duplicates refused, periods as keys).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::model::{FigureField, StatedRatio};
use crate::figures::{Plan, parse_plan};
use crate::format::{Date, Number, parse_date, parse_number};
use crate::period::Period;

/// Decomposed Vietnamese (e + ◌̂ + ◌́) composed: files are kept as written (positions and
/// in-place edits are the file's own), so every text is composed where it is read.
fn nfc(s: &str) -> String {
    crate::text::normalize(s)
}

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
        parse(&nfc(s))
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

/// A figure field that may hold a placeholder (`«thực hiện»`, see [`crate::placeholder`]):
/// the field is then not filled yet (`None`), never a parse error.
struct FigSlot(Option<Fig>);

impl<'de> Deserialize<'de> for FigSlot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        from_text(
            d,
            "một số viết theo cách Việt Nam (1.146; 2.976,4)",
            |s| {
                if crate::placeholder::is_whole(s) {
                    Ok(None)
                } else {
                    parse_number(s).map(Some)
                }
            },
            |n| FigSlot(n.map(Fig)),
        )
    }
}

/// `#[serde(deserialize_with)]` of an optional figure field: absent, empty or a placeholder
/// is `None`.
pub(crate) fn figure_field<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Fig>, D::Error> {
    Ok(Option::<FigSlot>::deserialize(d)?.and_then(|s| s.0))
}

/// The block form of a stated ratio as written: the ratio and the figure it was stated for
/// (read into a [`StatedRatio`], which checks that exactly one figure is given).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TiedRatio {
    pub ty_le: Fig,
    #[serde(default)]
    pub thuc_hien: Option<Fig>,
    #[serde(default)]
    pub uoc_thuc_hien: Option<Fig>,
}

impl<'de> Deserialize<'de> for StatedRatio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        fn plain<E: de::Error>(s: &str) -> std::result::Result<StatedRatio, E> {
            parse_number(&nfc(s))
                .map(|ratio| StatedRatio {
                    ratio,
                    stated_for: None,
                    reread: false,
                })
                .map_err(|e| E::custom(join_hint(&e.message, e.hint.as_deref())))
        }
        impl<'de> Visitor<'de> for V {
            type Value = StatedRatio;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "một tỷ lệ (94,09) hoặc bảng {ty_le, thuc_hien} (tỷ lệ và số liệu nó ứng với)",
                )
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<StatedRatio, E> {
                plain(s)
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> std::result::Result<StatedRatio, E> {
                plain(&n.to_string())
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<StatedRatio, E> {
                plain(&n.to_string())
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> std::result::Result<StatedRatio, E> {
                // `1.146` or `94.09`: YAML's float lost the text; the loader reads it again.
                Ok(StatedRatio {
                    ratio: crate::format::Number {
                        value: rust_decimal::Decimal::from_f64_retain(x).unwrap_or_default(),
                        decimals: 0,
                        written: x.to_string(),
                    },
                    stated_for: None,
                    reread: true,
                })
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<StatedRatio, E> {
                plain("")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<StatedRatio, A::Error> {
                let t = TiedRatio::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let stated_for = match (t.thuc_hien, t.uoc_thuc_hien) {
                    (Some(f), None) => (FigureField::ThucHien, f.0),
                    (None, Some(f)) => (FigureField::UocThucHien, f.0),
                    (both, _) => {
                        return Err(de::Error::custom(join_hint(
                            if both.is_some() {
                                "tỷ lệ ghi tay chỉ ứng với một số liệu: `thuc_hien` hoặc `uoc_thuc_hien`"
                            } else {
                                "tỷ lệ ghi tay chưa ghi số liệu nó ứng với"
                            },
                            Some(
                                "ghi `ty_le` và đúng một trong `thuc_hien`, `uoc_thuc_hien`: số liệu \
                                 mà nguồn tính tỷ lệ đó, như lúc ghi",
                            ),
                        )));
                    }
                };
                Ok(StatedRatio {
                    ratio: t.ty_le.0,
                    stated_for: Some(stated_for),
                    reread: false,
                })
            }
        }
        d.deserialize_any(V)
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

/// A plan field that may hold a placeholder: not filled yet (`None`), as for figures.
struct PlanSlot(Option<PlanField>);

impl<'de> Deserialize<'de> for PlanSlot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        from_text(
            d,
            "kế hoạch: một số, một khoảng (6,6-6,8) hay một giới hạn (dưới 1)",
            |s| {
                if crate::placeholder::is_whole(s) {
                    Ok(None)
                } else {
                    parse_plan(s).map(Some)
                }
            },
            |p| PlanSlot(p.map(PlanField)),
        )
    }
}

/// `#[serde(deserialize_with)]` of an optional plan field: absent, empty or a placeholder is
/// `None`.
pub(crate) fn plan_field<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<PlanField>, D::Error> {
    Ok(Option::<PlanSlot>::deserialize(d)?.and_then(|s| s.0))
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
                Ok(Text(nfc(s)))
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
                    Ok(Value::Text(nfc(s)))
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

pub(crate) const HINT_SEP: &str = "\u{1}gợi ý\u{1}";

/// A deserializer's error message carrying a hint; `parse_yaml` splits them again.
pub fn with_hint(message: &str, hint: &str) -> String {
    join_hint(message, Some(hint))
}

pub(crate) fn join_hint(message: &str, hint: Option<&str>) -> String {
    match hint {
        Some(h) => format!("{message}{HINT_SEP}{h}"),
        None => message.to_string(),
    }
}

/// A text the report cannot do without: blank is an error where it is written.
/// (Checked inside the visitor, so that the message carries the field and its line.)
pub(crate) fn required_text<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Text, D::Error> {
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
            Ok(Text(nfc(s)))
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

pub(crate) fn yes() -> bool {
    true
}
