//! Plans (kế hoạch, chỉ tiêu) and the arithmetic reports do with them:
//! share of plan, plan met or not, change against a base period, sums and
//! means. Pure: no I/O, no templates; every operation is checked and returns
//! `None` instead of panicking on a zero or huge denominator.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::format::{Number, ParseError, format_number, parse_number};

/// Wording when a figure has no plan to compare against.
pub const NO_PLAN: &str = "chưa có kế hoạch";
/// Wording when the plan is qualitative ([`Plan::Text`]), so no percentage.
pub const QUALITATIVE_PLAN: &str = "kế hoạch định tính";
/// Wording when the same-period (cùng kỳ) figure is missing.
pub const NO_BASE: &str = "chưa có số cùng kỳ";
/// Wording when the base figure is zero, so no ratio exists.
pub const ZERO_BASE: &str = "không so sánh được (số gốc bằng 0)";
/// Wording when the plan is zero, so no share of it exists.
pub const ZERO_PLAN: &str = "không so sánh được (kế hoạch bằng 0)";
/// Wording when the period has no figure yet.
pub const NO_FIGURE: &str = "chưa có số liệu";
/// Wording when the numbers are too large to divide.
pub const OVERFLOW: &str = "không tính được (số quá lớn)";

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// The kind of a one-sided plan.
#[derive(Clone, Debug, PartialEq)]
pub enum BoundKind {
    /// "dưới", `<`
    Below,
    /// "tối đa", "không quá", `≤`, `<=`
    AtMost,
    /// "trên", `>`
    Above,
    /// "tối thiểu", "ít nhất", "từ", `≥`, `>=`
    AtLeast,
}

impl BoundKind {
    /// The word a report prints before the number.
    pub fn word(&self) -> &'static str {
        match self {
            BoundKind::Below => "dưới",
            BoundKind::AtMost => "tối đa",
            BoundKind::Above => "trên",
            BoundKind::AtLeast => "tối thiểu",
        }
    }

    /// Whether the bound caps the figure from above (lower is better).
    pub fn is_upper(&self) -> bool {
        matches!(self, BoundKind::Below | BoundKind::AtMost)
    }
}

/// A plan as written in the data file.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// `329,130`
    Value(Number),
    /// `6,6-6,8`, `từ 6,6 đến 6,8`; the first is never above the second.
    Range(Number, Number),
    /// `dưới 1`, `tối thiểu 5`, `≥ 5`
    Bound(BoundKind, Number),
    /// A qualitative target, e.g. "Hoàn thành xây dựng nông thôn mới".
    Text(String),
}

/// Words that open a bound, lower-case NFC. Longer phrases first.
const BOUND_WORDS: &[(&str, BoundKind)] = &[
    ("không quá", BoundKind::AtMost),
    ("tối thiểu", BoundKind::AtLeast),
    ("tối đa", BoundKind::AtMost),
    ("ít nhất", BoundKind::AtLeast),
    ("dưới", BoundKind::Below),
    ("trên", BoundKind::Above),
    ("từ", BoundKind::AtLeast),
];

/// Symbols that open a bound. Two-character forms first.
const BOUND_SYMBOLS: &[(&str, BoundKind)] = &[
    (">=", BoundKind::AtLeast),
    ("<=", BoundKind::AtMost),
    ("≥", BoundKind::AtLeast),
    ("≤", BoundKind::AtMost),
    (">", BoundKind::Above),
    ("<", BoundKind::Below),
];

const PLAN_HINT: &str = "kế hoạch là một số (`329,130`), một khoảng (`6,6-6,8`), một giới hạn (`dưới 1`, `tối thiểu 5`) hoặc một câu mô tả bắt đầu bằng chữ";

/// Parses a plan:
/// - a number: `329,130` (a trailing `%` is allowed and ignored: `47%`);
/// - a range: `6,6-6,8`, `6,6 - 6,8`, `6,6–6,8` (en or em dash), `6,6%-6,8%`,
///   or `từ 6,6 đến 6,8`; the lower end must come first;
/// - a bound: `dưới 1`, `dưới 1%`, `tối đa`/`không quá 5`, `trên 5`,
///   `tối thiểu`/`ít nhất`/`từ 5` (any letter case), or `≥ 5`, `>= 5`,
///   `≤ 1`, `<= 1`, `> 5`, `< 1`;
/// - any other text starting with a letter: [`Plan::Text`], trimmed (this
///   includes "Trên 90% hộ dân …", where no bare number follows the word).
///
/// Text starting with anything else that is not a valid figure is an error
/// (`2976.4`, `100% xã đạt chuẩn`). Keywords are matched in NFC (the form
/// Vietnamese keyboards produce by default); a decomposed "dưới 1" is read
/// as text.
pub fn parse_plan(text: &str) -> Result<Plan, ParseError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ParseError {
            message: "chưa ghi kế hoạch".into(),
            hint: Some(PLAN_HINT.into()),
        });
    }

    for (symbol, kind) in BOUND_SYMBOLS {
        if let Some(rest) = t.strip_prefix(symbol) {
            return Ok(Plan::Bound(kind.clone(), plan_number(rest)?));
        }
    }

    if t.starts_with(char::is_alphabetic) {
        for (word, kind) in BOUND_WORDS {
            let Some(rest) = strip_word(t, word) else {
                continue;
            };
            if *word == "từ"
                && let Some(range) = tu_den_range(rest)
            {
                return range;
            }
            match plan_number(rest) {
                Ok(n) => return Ok(Plan::Bound(kind.clone(), n)),
                // "dưới 2976.4": a bound with a misspelt number, not a qualitative plan.
                Err(e) if looks_numeric(rest) => return Err(e),
                Err(_) => {}
            }
        }
        return Ok(Plan::Text(t.to_string()));
    }

    let numeric_start =
        t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '−' | '+' | ',' | '.'));
    if !numeric_start {
        return Err(ParseError {
            message: format!("`{t}` không phải là kế hoạch hợp lệ"),
            hint: Some(PLAN_HINT.into()),
        });
    }

    numeric_plan(t).map_err(|err| {
        // "100% xã đạt chuẩn": prose that happens to start with a digit.
        if t.contains(char::is_whitespace) && t.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
            ParseError {
                message: format!("`{t}` bắt đầu bằng chữ số nhưng không phải là một con số"),
                hint: Some(format!(
                    "nếu là kế hoạch định tính, viết thành câu bắt đầu bằng chữ, ví dụ `Đạt {t}`"
                )),
            }
        } else {
            err
        }
    })
}

/// A value or a range, for text starting with a digit or sign.
fn numeric_plan(t: &str) -> Result<Plan, ParseError> {
    // The range dash is the first dash after the first character (which may
    // be the minus sign of a negative lower end).
    let first_len = t.chars().next().map_or(0, char::len_utf8);
    let dash = t[first_len..]
        .char_indices()
        .find(|&(_, c)| matches!(c, '-' | '–' | '—'))
        .map(|(i, c)| (i + first_len, c.len_utf8()));
    match dash {
        Some((at, len)) => {
            let low = plan_number(&t[..at])?;
            let high = plan_number(&t[at + len..])?;
            make_range(t, low, high)
        }
        None => Ok(Plan::Value(plan_number(t)?)),
    }
}

fn make_range(t: &str, low: Number, high: Number) -> Result<Plan, ParseError> {
    if low.value > high.value {
        let swapped = format!(
            "{}-{}",
            format_number(high.value, high.decimals),
            format_number(low.value, low.decimals)
        );
        return Err(ParseError {
            message: format!("`{t}`: đầu dưới của khoảng lớn hơn đầu trên"),
            hint: Some(format!("ghi số nhỏ trước, viết `{swapped}`")),
        });
    }
    Ok(Plan::Range(low, high))
}

/// "6,6 đến 6,8" after "từ".
/// `None` unless both ends look like numbers; then the range, or the error of a misspelt
/// end or of a reversed range.
fn tu_den_range(rest: &str) -> Option<Result<Plan, ParseError>> {
    let (low, high) = rest
        .split_once(" đến ")
        .or_else(|| rest.split_once(" Đến "))?;
    if !(looks_numeric(low) && looks_numeric(high)) {
        return None;
    }
    Some((|| make_range(rest, plan_number(low)?, plan_number(high)?))())
}

/// Text meant as a number: it starts with a digit (after a sign) and is one token or has no
/// letters (`2976.4`, `1e400`, `12,5 %`), unlike prose such as `90% hộ dân có điện`.
fn looks_numeric(text: &str) -> bool {
    let t = text.trim();
    let body = t.trim_start_matches(['-', '−', '+']);
    let one_token = !t
        .trim_end_matches('%')
        .trim_end()
        .contains(char::is_whitespace);
    body.starts_with(|c: char| c.is_ascii_digit())
        && (one_token || !t.contains(char::is_alphabetic))
}

/// A number in a plan: trimmed, with one optional trailing `%` ignored.
fn plan_number(text: &str) -> Result<Number, ParseError> {
    let t = text.trim();
    let t = t.strip_suffix('%').map_or(t, str::trim_end);
    parse_number(t)
}

/// `t` without a leading `word` (compared lower-case, char by char) and the
/// whitespace after it; `None` unless the word is followed by whitespace.
fn strip_word<'a>(t: &'a str, word: &str) -> Option<&'a str> {
    let mut chars = t.char_indices();
    for expected in word.chars() {
        let (_, c) = chars.next()?;
        if !c.to_lowercase().eq(std::iter::once(expected)) {
            return None;
        }
    }
    let rest = chars.as_str();
    rest.starts_with(char::is_whitespace)
        .then(|| rest.trim_start())
}

/// The plan as a Vietnamese report prints it: `329,130`, `6,6-6,8`,
/// `dưới 1`, `tối thiểu 5`, or the text. Numbers are re-printed with
/// [`format_number`] at the decimals the user wrote (so `1146` prints
/// `1.146` and `36,70` keeps its zero); symbols print as words (`≥ 5` →
/// `tối thiểu 5`, `< 1` → `dưới 1`).
pub fn plan_display(plan: &Plan) -> String {
    let num = |n: &Number| format_number(n.value, n.decimals);
    match plan {
        Plan::Value(n) => num(n),
        Plan::Range(a, b) => format!("{}-{}", num(a), num(b)),
        Plan::Bound(kind, n) => format!("{} {}", kind.word(), num(n)),
        Plan::Text(text) => text.clone(),
    }
}

/// `num / den * 100`, unrounded; `None` when `den` is zero or the result
/// does not fit in a `Decimal`.
pub fn ratio_pct(num: Decimal, den: Decimal) -> Option<Decimal> {
    if den.is_zero() {
        return None;
    }
    // Multiply first for precision; divide first when that overflows.
    num.checked_mul(HUNDRED)
        .and_then(|n| n.checked_div(den))
        .or_else(|| num.checked_div(den)?.checked_mul(HUNDRED))
}

/// The percentage of the plan reached ("đạt …% kế hoạch"):
/// - `Value(p)`: `ratio_pct(value, p)`;
/// - `Range(a, b)`: against the end that matters, `a` when higher is better,
///   else `b`;
/// - `Bound`: when lower is better (a `Below`/`AtMost` bound, or
///   `higher_is_better == false`) 100 if the plan is met, else
///   `ratio_pct(bound, value)` (how far the figure overshoots, as a share);
///   for `Above`/`AtLeast`, `ratio_pct(value, bound)`;
/// - `Text`: `None`.
pub fn share_of_plan(value: Decimal, plan: &Plan, higher_is_better: bool) -> Option<Decimal> {
    match plan {
        Plan::Value(p) => ratio_pct(value, p.value),
        Plan::Range(a, b) => ratio_pct(value, if higher_is_better { a.value } else { b.value }),
        Plan::Bound(kind, bound) => {
            if kind.is_upper() || !higher_is_better {
                if meets_plan(value, plan, higher_is_better)? {
                    Some(HUNDRED)
                } else {
                    ratio_pct(bound.value, value)
                }
            } else {
                ratio_pct(value, bound.value)
            }
        }
        Plan::Text(_) => None,
    }
}

/// Whether a share of `plan` divides by 0: a plan of 0, the end of a range that counts
/// ([`share_of_plan`]) at 0, or a lower bound of 0 (`tối thiểu 0`) when higher is better. An
/// upper bound of 0 (`tối đa 0`: none may happen) is a plan like any other.
pub fn plan_is_zero_divisor(plan: &Plan, higher_is_better: bool) -> bool {
    match plan {
        Plan::Value(p) => p.value.is_zero(),
        Plan::Range(a, b) => if higher_is_better { a } else { b }.value.is_zero(),
        Plan::Bound(kind, n) => !kind.is_upper() && higher_is_better && n.value.is_zero(),
        Plan::Text(_) => false,
    }
}

/// Whether the figure meets the plan:
/// - `Value(p)`: `value >= p` when higher is better, else `value <= p`;
/// - `Range(a, b)`: `value >= a` when higher is better, else `value <= b`;
/// - `Bound`: by its kind alone, `<`, `<=`, `>`, `>=`;
/// - `Text`: `None`.
pub fn meets_plan(value: Decimal, plan: &Plan, higher_is_better: bool) -> Option<bool> {
    Some(match plan {
        Plan::Value(p) => {
            if higher_is_better {
                value >= p.value
            } else {
                value <= p.value
            }
        }
        Plan::Range(a, b) => {
            if higher_is_better {
                value >= a.value
            } else {
                value <= b.value
            }
        }
        Plan::Bound(kind, b) => match kind {
            BoundKind::Below => value < b.value,
            BoundKind::AtMost => value <= b.value,
            BoundKind::Above => value > b.value,
            BoundKind::AtLeast => value >= b.value,
        },
        Plan::Text(_) => return None,
    })
}

/// The change against a base, from `ratio_pct` = new / old × 100: the change
/// `ratio_pct - 100` rounded half away from zero to `decimals`, then
/// `tăng 15,7%`, `giảm 22,4%` (absolute value), or `bằng {base}` when it
/// rounds to zero (`base` e.g. "cùng kỳ", "năm 2023").
pub fn change_phrase(ratio_pct: Decimal, decimals: u32, base: &str) -> String {
    // Only a ratio near Decimal::MIN cannot take the subtraction, and there
    // 100 is far below the precision anyway.
    let change = ratio_pct.checked_sub(HUNDRED).unwrap_or(ratio_pct);
    let change = round_half_away(change, decimals);
    if change.is_zero() {
        format!("bằng {base}")
    } else if change.is_sign_positive() {
        format!("tăng {}%", format_number(change, decimals))
    } else {
        format!("giảm {}%", format_number(change.abs(), decimals))
    }
}

/// The change of a rate in percentage points (`points` = new − old): rounded half away from
/// zero to `decimals`, then `tăng 0,2 điểm phần trăm`, `giảm 0,16 điểm phần trăm`, or
/// `bằng {base}` when it rounds to zero.
pub fn points_phrase(points: Decimal, decimals: u32, base: &str) -> String {
    let change = round_half_away(points, decimals);
    if change.is_zero() {
        format!("bằng {base}")
    } else if change.is_sign_positive() {
        format!("tăng {} điểm phần trăm", format_number(change, decimals))
    } else {
        format!(
            "giảm {} điểm phần trăm",
            format_number(change.abs(), decimals)
        )
    }
}

/// The sum, `Some(0)` for no values; `None` on overflow.
pub fn sum(values: &[Decimal]) -> Option<Decimal> {
    values
        .iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(*v))
}

/// The arithmetic mean, unrounded; `None` for no values or on overflow.
pub fn mean(values: &[Decimal]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    sum(values)?.checked_div(Decimal::from(values.len()))
}

/// Rounds half away from zero (`2,5` → 3, `-2,5` → -3, `1,005` → 1,01 at 2).
/// A result of zero is never negative.
pub fn round_half_away(value: Decimal, decimals: u32) -> Decimal {
    let mut rounded =
        value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    rounded
}

/// The most decimals among `numbers` as written; 0 for none. Used to print a
/// total or a mean with the precision of its inputs.
pub fn max_decimals(numbers: &[&Number]) -> u32 {
    numbers.iter().map(|n| n.decimals).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn n(s: &str) -> Number {
        parse_number(s).unwrap()
    }

    #[test]
    fn parse_plan_forms() {
        let value = |s: &str| Plan::Value(n(s));
        let range = |a: &str, b: &str| Plan::Range(n(a), n(b));
        let bound = |k: BoundKind, s: &str| Plan::Bound(k, n(s));
        let text = |s: &str| Plan::Text(s.to_string());
        let cases: Vec<(&str, Plan)> = vec![
            ("329,130", value("329,130")),
            ("  1.146 ", value("1.146")),
            ("47%", value("47")),
            ("47 %", value("47")),
            ("-2,5", value("-2,5")),
            ("6,6-6,8", range("6,6", "6,8")),
            ("6,6 - 6,8", range("6,6", "6,8")),
            ("6,6–6,8", range("6,6", "6,8")),
            ("6,6 — 6,8", range("6,6", "6,8")),
            ("6,6%-6,8%", range("6,6", "6,8")),
            ("6,6-6,8%", range("6,6", "6,8")),
            ("-1-2", range("-1", "2")),
            ("-3 - -1", range("-3", "-1")),
            ("5-5", range("5", "5")),
            ("từ 6,6 đến 6,8", range("6,6", "6,8")),
            ("Từ 6,6% đến 6,8%", range("6,6", "6,8")),
            ("dưới 1", bound(BoundKind::Below, "1")),
            ("dưới 1%", bound(BoundKind::Below, "1")),
            ("Dưới 1,5 %", bound(BoundKind::Below, "1,5")),
            ("DƯỚI 1", bound(BoundKind::Below, "1")),
            ("tối thiểu 5", bound(BoundKind::AtLeast, "5")),
            ("ít nhất 5", bound(BoundKind::AtLeast, "5")),
            ("từ 5", bound(BoundKind::AtLeast, "5")),
            ("từ  5%", bound(BoundKind::AtLeast, "5")),
            ("tối đa 3", bound(BoundKind::AtMost, "3")),
            ("không quá 3", bound(BoundKind::AtMost, "3")),
            ("trên 90", bound(BoundKind::Above, "90")),
            ("≥ 5", bound(BoundKind::AtLeast, "5")),
            (">= 5", bound(BoundKind::AtLeast, "5")),
            ("≥5", bound(BoundKind::AtLeast, "5")),
            ("≤ 1", bound(BoundKind::AtMost, "1")),
            ("<= 1", bound(BoundKind::AtMost, "1")),
            ("> 5", bound(BoundKind::Above, "5")),
            ("< 1", bound(BoundKind::Below, "1")),
            ("<1%", bound(BoundKind::Below, "1")),
            (
                "Hoàn thành xây dựng nông thôn mới",
                text("Hoàn thành xây dựng nông thôn mới"),
            ),
            (
                "  Đạt chuẩn quốc gia về y tế  ",
                text("Đạt chuẩn quốc gia về y tế"),
            ),
            (
                "Trên 90% hộ dân dùng nước sạch",
                text("Trên 90% hộ dân dùng nước sạch"),
            ),
            ("dưới mức trung bình", text("dưới mức trung bình")),
            ("từng bước nâng cao", text("từng bước nâng cao")),
            ("trênh 5", text("trênh 5")),
            ("từ 5 tới 7", text("từ 5 tới 7")),
        ];
        for (input, expected) in cases {
            let got = parse_plan(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
            assert_eq!(got, expected, "{input:?}");
        }
    }

    #[test]
    fn parse_plan_rejects() {
        let cases: &[(&str, &str, &str)] = &[
            ("2976.4", "không đúng cách viết số", "`2.976,4`"),
            ("6.6-6.8", "`6.6` không đúng cách viết số", "`6,6`"),
            ("8-6", "đầu dưới của khoảng lớn hơn đầu trên", "`6-8`"),
            ("6,8 - 6,6", "lớn hơn đầu trên", "`6,6-6,8`"),
            ("6,6-", "chưa ghi số", "1.146"),
            ("", "chưa ghi kế hoạch", "6,6-6,8"),
            ("   ", "chưa ghi kế hoạch", "dưới 1"),
            ("≥", "chưa ghi số", "1.146"),
            ("≥ abc", "không phải là số", "1.146"),
            ("< 2976.4", "không đúng cách viết số", "`2.976,4`"),
            (
                "100% xã đạt chuẩn",
                "bắt đầu bằng chữ số",
                "`Đạt 100% xã đạt chuẩn`",
            ),
            ("12%%", "có dấu `%`", "12"),
            ("~5", "không phải là kế hoạch hợp lệ", "dưới 1"),
            ("(5)", "không phải là kế hoạch hợp lệ", "6,6-6,8"),
            ("+5", "dấu `+`", "`5`"),
            // A bound or a "từ … đến …" range with a misspelt number is not prose.
            ("dưới 2976.4", "không đúng cách viết số", "`2.976,4`"),
            ("tối thiểu 1e400", "lũy thừa", "1.500.000"),
            ("trên 1,2,3%", "nhiều dấu phẩy", "1.234,5"),
            ("từ 6,6 đến 6.8", "không đúng cách viết số", "`6,8`"),
            ("từ 6,8 đến 6,6", "lớn hơn đầu trên", "`6,6-6,8`"),
        ];
        for &(input, message, hint) in cases {
            let err = parse_plan(input).expect_err(input);
            assert!(
                err.message.contains(message),
                "{input:?}: message {:?} lacks {message:?}",
                err.message
            );
            let h = err
                .hint
                .as_deref()
                .unwrap_or_else(|| panic!("{input:?}: no hint"));
            assert!(h.contains(hint), "{input:?}: hint {h:?} lacks {hint:?}");
            assert!(
                !err.message.ends_with('.') && !h.ends_with('.'),
                "{input:?}"
            );
        }
    }

    #[test]
    fn plan_display_table() {
        let cases: &[(&str, &str)] = &[
            ("329,130", "329,130"),
            ("1146", "1.146"),
            ("36,70", "36,70"),
            ("08", "8"),
            ("47%", "47"),
            ("6,6-6,8", "6,6-6,8"),
            ("6,6 – 6,8", "6,6-6,8"),
            ("từ 6,6 đến 6,8", "6,6-6,8"),
            ("dưới 1", "dưới 1"),
            ("dưới 1%", "dưới 1"),
            ("tối thiểu 5", "tối thiểu 5"),
            ("ít nhất 5", "tối thiểu 5"),
            ("≥ 5", "tối thiểu 5"),
            ("≤ 1", "tối đa 1"),
            ("không quá 1", "tối đa 1"),
            ("> 5", "trên 5"),
            ("< 1", "dưới 1"),
            (
                "Hoàn thành xây dựng nông thôn mới",
                "Hoàn thành xây dựng nông thôn mới",
            ),
        ];
        for &(input, expected) in cases {
            assert_eq!(
                plan_display(&parse_plan(input).unwrap()),
                expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn ratio_pct_table() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("2976.4", "2572.1", Some("115.71867345748610085144434509")),
            ("50", "200", Some("25")),
            ("1", "3", Some("33.333333333333333333333333333")),
            ("0", "5", Some("0")),
            ("5", "0", None),
            ("0", "0", None),
            ("-5", "0", None),
            ("-10", "40", Some("-25")),
            // Multiplying first would overflow; dividing first still fits.
            (
                "79228162514264337593543950335",
                "1000",
                Some("7922816251426433759354395033.5"),
            ),
            // Too big either way.
            ("79228162514264337593543950335", "0.5", None),
            (
                "79228162514264337593543950335",
                "0.0000000000000000000000000001",
                None,
            ),
        ];
        for &(num, den, expected) in cases {
            assert_eq!(
                ratio_pct(d(num), d(den)),
                expected.map(d),
                "ratio_pct({num}, {den})"
            );
        }
        assert_eq!(ratio_pct(Decimal::MAX, Decimal::MIN), Some(d("-100")));
        assert_eq!(ratio_pct(Decimal::MIN, Decimal::new(1, 28)), None);
    }

    #[test]
    fn share_and_meets_table() {
        // (value, plan, higher_is_better, share, meets)
        type Case<'a> = (&'a str, &'a str, bool, Option<&'a str>, Option<bool>);
        let cases: &[Case] = &[
            // Value plans.
            ("155,108", "329,130", true, Some("47.13"), Some(false)),
            ("340", "329,130", true, Some("103.30"), Some(true)),
            ("329,13", "329,130", true, Some("100"), Some(true)),
            ("3", "4", false, Some("75"), Some(true)),
            ("5", "4", false, Some("125"), Some(false)),
            ("5", "0", true, None, Some(true)),
            // Ranges: the end that matters.
            ("6,7", "6,6-6,8", true, Some("101.52"), Some(true)),
            ("6,5", "6,6-6,8", true, Some("98.48"), Some(false)),
            ("6,7", "6,6-6,8", false, Some("98.53"), Some(true)),
            ("7", "6,6-6,8", false, Some("102.94"), Some(false)),
            // Lower-is-better bounds: the poverty rate.
            ("0,79", "dưới 1", false, Some("100"), Some(true)),
            ("0,79", "dưới 1%", true, Some("100"), Some(true)),
            ("1,2", "dưới 1", false, Some("83.33"), Some(false)),
            ("1", "dưới 1", false, Some("100"), Some(false)),
            ("1", "tối đa 1", false, Some("100"), Some(true)),
            ("0", "dưới 1", false, Some("100"), Some(true)),
            ("0", "dưới 0", false, None, Some(false)),
            ("2", "≤ 1", false, Some("50"), Some(false)),
            // Higher-is-better bounds.
            ("6", "tối thiểu 5", true, Some("120"), Some(true)),
            ("4", "tối thiểu 5", true, Some("80"), Some(false)),
            ("5", "≥ 5", true, Some("100"), Some(true)),
            ("5", "> 5", true, Some("100"), Some(false)),
            ("5,1", "trên 5", true, Some("102"), Some(true)),
            ("3", "tối thiểu 0", true, None, Some(true)),
            // An Above bound on a lower-is-better figure: scored as lower-is-better.
            ("6", "trên 5", false, Some("100"), Some(true)),
            ("4", "trên 5", false, Some("125"), Some(false)),
        ];
        for &(value, plan, higher, share, meets) in cases {
            let v = n(value).value;
            let p = parse_plan(plan).unwrap();
            let got = share_of_plan(v, &p, higher).map(|s| round_half_away(s, 2));
            assert_eq!(
                got,
                share.map(d),
                "share_of_plan({value}, {plan:?}, {higher})"
            );
            assert_eq!(
                meets_plan(v, &p, higher),
                meets,
                "meets_plan({value}, {plan:?}, {higher})"
            );
        }
        let text = Plan::Text("Hoàn thành".into());
        for higher in [true, false] {
            assert_eq!(share_of_plan(d("1"), &text, higher), None);
            assert_eq!(meets_plan(d("1"), &text, higher), None);
        }
        // Huge figures against tiny plans: None, not a panic.
        let tiny = parse_plan("0,0000000000000000000000000001").unwrap();
        assert_eq!(share_of_plan(Decimal::MAX, &tiny, true), None);
        let tiny_bound = parse_plan("dưới 0,0000000000000000000000000001").unwrap();
        assert_eq!(
            share_of_plan(Decimal::MAX, &tiny_bound, false),
            Some(d("0"))
        );
    }

    #[test]
    fn change_phrase_table() {
        // (ratio_pct, decimals, base, phrase)
        let cases: &[(&str, u32, &str, &str)] = &[
            ("115.7", 1, "cùng kỳ", "tăng 15,7%"),
            ("115.71867", 1, "cùng kỳ", "tăng 15,7%"),
            ("115.75", 1, "cùng kỳ", "tăng 15,8%"),
            ("77.6", 1, "cùng kỳ", "giảm 22,4%"),
            ("77.65", 1, "cùng kỳ", "giảm 22,4%"),
            ("77.55", 1, "cùng kỳ", "giảm 22,5%"),
            ("100.04", 1, "cùng kỳ", "bằng cùng kỳ"),
            ("99.96", 1, "cùng kỳ", "bằng cùng kỳ"),
            ("100.05", 1, "cùng kỳ", "tăng 0,1%"),
            ("99.95", 1, "cùng kỳ", "giảm 0,1%"),
            ("100", 2, "năm 2023", "bằng năm 2023"),
            ("100.4", 0, "năm 2023", "bằng năm 2023"),
            ("100.5", 0, "năm 2023", "tăng 1%"),
            ("99.96", 2, "cùng kỳ", "giảm 0,04%"),
            ("250", 1, "cùng kỳ", "tăng 150,0%"),
            ("1250", 0, "cùng kỳ", "tăng 1.150%"),
            ("0", 1, "cùng kỳ", "giảm 100,0%"),
            ("-50", 1, "cùng kỳ", "giảm 150,0%"),
        ];
        for &(ratio, decimals, base, expected) in cases {
            assert_eq!(
                change_phrase(d(ratio), decimals, base),
                expected,
                "change_phrase({ratio}, {decimals})"
            );
        }
        // Extremes do not panic.
        assert!(change_phrase(Decimal::MIN, 1, "cùng kỳ").starts_with("giảm "));
        assert!(change_phrase(Decimal::MAX, 1, "cùng kỳ").starts_with("tăng "));
        // Combined with ratio_pct, as the templates use it.
        let r = ratio_pct(d("2976.4"), d("2572.1")).unwrap();
        assert_eq!(change_phrase(r, 1, "cùng kỳ"), "tăng 15,7%");
    }

    #[test]
    fn points_phrase_table() {
        let cases: &[(&str, u32, &str)] = &[
            ("-0.16", 2, "giảm 0,16 điểm phần trăm"),
            ("-0.16", 1, "giảm 0,2 điểm phần trăm"),
            ("0.13", 1, "tăng 0,1 điểm phần trăm"),
            ("0.04", 1, "bằng cùng kỳ"),
            ("-0.04", 1, "bằng cùng kỳ"),
            ("2.5", 0, "tăng 3 điểm phần trăm"),
        ];
        for &(points, decimals, expected) in cases {
            assert_eq!(points_phrase(d(points), decimals, "cùng kỳ"), expected);
        }
    }

    #[test]
    fn sum_mean_round_table() {
        let sums: &[(&[&str], Option<&str>)] = &[
            (&[], Some("0")),
            (&["1.5", "2.25", "-0.75"], Some("3")),
            (&["155.108", "174.022"], Some("329.130")),
            (&["79228162514264337593543950335", "1"], None),
            (
                &["79228162514264337593543950335", "-1", "1"],
                Some("79228162514264337593543950335"),
            ),
        ];
        for &(values, expected) in sums {
            let values: Vec<Decimal> = values.iter().map(|s| d(s)).collect();
            assert_eq!(sum(&values), expected.map(d), "sum({values:?})");
        }
        let means: &[(&[&str], Option<&str>)] = &[
            (&[], None),
            (&["4"], Some("4")),
            (&["1", "2"], Some("1.5")),
            (&["1", "2", "2"], Some("1.6666666666666666666666666667")),
            (&["79228162514264337593543950335", "1"], None),
        ];
        for &(values, expected) in means {
            let values: Vec<Decimal> = values.iter().map(|s| d(s)).collect();
            assert_eq!(mean(&values), expected.map(d), "mean({values:?})");
        }
        let rounds: &[(&str, u32, &str)] = &[
            ("2.5", 0, "3"),
            ("-2.5", 0, "-3"),
            ("1.005", 2, "1.01"),
            ("0.045", 2, "0.05"),
            ("-0.045", 2, "-0.05"),
            ("1.2344", 3, "1.234"),
            ("7", 2, "7"),
        ];
        for &(value, decimals, expected) in rounds {
            assert_eq!(
                round_half_away(d(value), decimals),
                d(expected),
                "round_half_away({value}, {decimals})"
            );
        }
        for tiny in ["-0.4", "-0.0001", "-0"] {
            let r = round_half_away(d(tiny), 0);
            assert!(r.is_zero() && !r.is_sign_negative(), "{tiny} → {r:?}");
        }
    }

    #[test]
    fn max_decimals_table() {
        let cases: &[(&[&str], u32)] = &[
            (&[], 0),
            (&["1.146"], 0),
            (&["1.146", "2.976,4", "155,108"], 3),
            (&["36,70", "1"], 2),
        ];
        for &(inputs, expected) in cases {
            let numbers: Vec<Number> = inputs.iter().map(|s| n(s)).collect();
            let refs: Vec<&Number> = numbers.iter().collect();
            assert_eq!(max_decimals(&refs), expected, "{inputs:?}");
        }
    }

    #[test]
    fn wordings_are_lower_case_without_period() {
        for w in [NO_PLAN, QUALITATIVE_PLAN, NO_BASE, ZERO_BASE] {
            assert!(
                !w.is_empty() && !w.ends_with('.') && !w.starts_with(char::is_uppercase),
                "{w:?}"
            );
        }
        assert_eq!(NO_PLAN, "chưa có kế hoạch");
        assert_eq!(QUALITATIVE_PLAN, "kế hoạch định tính");
        assert_eq!(NO_BASE, "chưa có số cùng kỳ");
        assert_eq!(ZERO_BASE, "không so sánh được (số gốc bằng 0)");
    }
}
