//! Vietnamese number and date conventions, as printed in People's Committee
//! reports (Nghị định 30/2020/NĐ-CP).
//!
//! Numbers: "." groups thousands, "," marks the decimals: `1.146` = 1146,
//! `2.976,4` = 2976.4, `155,108` = 155.108, `636.250.000`.
//!
//! Dates: `ngày 05 tháng 01 năm 2024` (day below 10 and months 1–2 get a
//! leading zero), a part left blank for the văn thư to fill in by hand prints
//! as six no-break spaces.
//!
//! This module is pure: no I/O, no templates. All user-facing messages are
//! Vietnamese, start lower-case and have no final period.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// Largest number of decimal places `Decimal` can hold; `format_number`
/// clamps `decimals` to it (so a bogus huge value cannot allocate gigabytes).
pub const MAX_DECIMALS: u32 = 28;

/// What a blank day or month prints as: six U+00A0 no-break spaces, the room
/// the văn thư needs to write the number by hand.
pub const DATE_BLANK: &str = "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}";

const EXAMPLE_HINT: &str = "viết số theo mẫu `1.146` hoặc `2.976,4`: dấu chấm phân cách hàng nghìn, dấu phẩy trước phần thập phân";

/// A number exactly as the user wrote it in the data file.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    pub value: Decimal,
    /// Digits after the ',' as written (`36,70` → 2).
    pub decimals: u32,
    /// The trimmed text as the user wrote it (`08`, `36,70`).
    pub written: String,
}

/// A parse failure, in Vietnamese: `message` says what is wrong, `hint` (when
/// there is one) says how to write it.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub hint: Option<String>,
}

impl ParseError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

/// Prints the message only; the hint is for the caller to show separately.
impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

/// Parses a number written the Vietnamese way.
///
/// Accepted: an optional leading `-` (or U+2212 `−`); an integer part that is
/// either plain digits of any length (`1146`, `08`, `0`) or thousands groups
/// (`1.146`, `636.250.000`: first group 1–3 digits, every following group
/// exactly 3); an optional `,digits` fraction. Surrounding whitespace is
/// trimmed.
///
/// Rejected, each with a hint: English decimals (`2976.4` → `2.976,4`),
/// malformed groups (`1.14`, `1..2`), several commas, an empty fraction or
/// integer part (`1.000,`, `,5`), `%`, exponents (`1e400`), letters, a leading
/// `+` (reports never print it, so it is almost always a slip; the hint gives
/// the number without it), whitespace inside the number (`1. 146`, and also
/// no-break or thin spaces: the report convention groups with `.` only, and
/// accepting spaces would make `1 146,5` and `1 146.5` ambiguous), and values
/// `Decimal` cannot hold exactly (more than 28 significant digits, or
/// above about 7,9 × 10^28).
pub fn parse_number(text: &str) -> Result<Number, ParseError> {
    let written = text.trim();
    if written.is_empty() {
        return Err(ParseError::new("chưa ghi số", EXAMPLE_HINT));
    }

    let mut chars = written.chars();
    let (negative, body) = match chars.next() {
        Some('-' | '−') => (true, chars.as_str()),
        Some('+') => {
            let rest = chars.as_str();
            return Err(ParseError::new(
                format!("`{written}` có dấu `+` ở đầu"),
                format!("báo cáo không ghi dấu `+` trước số dương, viết `{rest}`"),
            ));
        }
        _ => (false, written),
    };
    let sign = if negative { "-" } else { "" };

    if body.is_empty() {
        return Err(ParseError::new(
            format!("`{written}` thiếu chữ số"),
            EXAMPLE_HINT,
        ));
    }

    if body.ends_with('%') {
        let bare = body.trim_end_matches('%').trim_end();
        let bare = if bare.is_empty() { "12" } else { bare };
        return Err(ParseError::new(
            format!("`{written}` có dấu `%`"),
            format!(
                "viết số không kèm `%`, ví dụ `{sign}{bare}`: tỷ lệ phần trăm được ghi bằng số"
            ),
        ));
    }

    if looks_like_exponent(body) {
        return Err(ParseError::new(
            format!("`{written}` viết theo dạng lũy thừa"),
            "viết đầy đủ các chữ số, ví dụ `1.500.000`, không dùng `e`",
        ));
    }

    if let Some(bad) = body
        .chars()
        .find(|c| !(c.is_ascii_digit() || *c == '.' || *c == ',' || c.is_whitespace()))
    {
        if !body.chars().any(|c| c.is_ascii_digit()) {
            return Err(ParseError::new(
                format!("`{written}` không phải là số"),
                EXAMPLE_HINT,
            ));
        }
        return Err(ParseError::new(
            format!("`{written}` có ký tự không hợp lệ `{bad}`"),
            "chỉ ghi chữ số, dấu chấm phân cách hàng nghìn và dấu phẩy trước phần thập phân; không kèm chữ hay đơn vị tính",
        ));
    }

    if body.chars().any(char::is_whitespace) {
        let joined: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let hint = match parse_number(&format!("{sign}{joined}")) {
            Ok(n) => format!("bỏ khoảng trắng, viết `{}`", n.written),
            Err(_) => format!("bỏ khoảng trắng; {EXAMPLE_HINT}"),
        };
        return Err(ParseError::new(
            format!("`{written}` có khoảng trắng bên trong số"),
            hint,
        ));
    }

    let (int_digits, frac_digits) = match split_vietnamese(body) {
        Ok(parts) => parts,
        Err(shape) => return Err(shape_error(written, sign, body, shape)),
    };

    // Leading zeros ("08") carry no value but could overflow a 29-digit parse.
    let int_trimmed = int_digits.trim_start_matches('0');
    let int_trimmed = if int_trimmed.is_empty() {
        "0"
    } else {
        int_trimmed
    };
    let plain = if frac_digits.is_empty() {
        int_trimmed.to_string()
    } else {
        format!("{int_trimmed}.{frac_digits}")
    };
    let decimals = frac_digits.len() as u32;
    if decimals > MAX_DECIMALS {
        return Err(ParseError::new(
            format!(
                "`{written}` có {decimals} chữ số thập phân, quá giới hạn {MAX_DECIMALS} chữ số"
            ),
            "làm tròn, chỉ giữ vài chữ số sau dấu phẩy",
        ));
    }
    // Trailing fraction zeros ("…808,1200") may not fit Decimal's 96-bit
    // mantissa while the value does; `decimals` keeps the written count.
    let frac_significant = frac_digits.trim_end_matches('0');
    let mut value = Decimal::from_str_exact(&plain)
        .or_else(|_| {
            if frac_significant.is_empty() {
                Decimal::from_str_exact(int_trimmed)
            } else {
                Decimal::from_str_exact(&format!("{int_trimmed}.{frac_significant}"))
            }
        })
        .map_err(|_| {
        ParseError::new(
            format!("`{written}` quá lớn hoặc quá nhiều chữ số để tính toán chính xác (tối đa 28 chữ số có nghĩa)"),
            "bớt chữ số thập phân hoặc đổi sang đơn vị tính lớn hơn (ví dụ triệu đồng, tỷ đồng)",
        )
    })?;
    if negative && !value.is_zero() {
        value.set_sign_negative(true);
    }
    Ok(Number {
        value,
        decimals,
        written: written.to_string(),
    })
}

/// How a body of digits, dots and commas fails the Vietnamese shape.
#[derive(Debug)]
enum Shape {
    ManyCommas,
    EmptyFraction,
    EmptyInteger,
    DotInFraction,
    /// A dot not between two digit groups: `1..2`, `.5`, `1.`.
    StrayDot,
    /// Groups of the wrong length: `1146.000`, `12.34.567`, `1.14`.
    BadGroups,
}

/// Splits `1.146,5` into ("1146", "5"), checking the grouping. `body` holds
/// only ASCII digits, '.' and ','.
fn split_vietnamese(body: &str) -> Result<(String, &str), Shape> {
    let (int_part, frac) = match body.split_once(',') {
        Some((_, frac)) if frac.contains(',') => return Err(Shape::ManyCommas),
        Some((int_part, frac)) => (int_part, Some(frac)),
        None => (body, None),
    };
    if let Some(frac) = frac {
        if frac.contains('.') {
            return Err(Shape::DotInFraction);
        }
        if frac.is_empty() {
            return Err(Shape::EmptyFraction);
        }
    }
    if int_part.is_empty() {
        return Err(Shape::EmptyInteger);
    }
    let groups: Vec<&str> = int_part.split('.').collect();
    if groups.iter().any(|g| g.is_empty()) {
        return Err(Shape::StrayDot);
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return Err(Shape::BadGroups);
    }
    Ok((groups.concat(), frac.unwrap_or("")))
}

fn shape_error(written: &str, sign: &str, body: &str, shape: Shape) -> ParseError {
    let wrong = format!("`{written}` không đúng cách viết số của báo cáo");

    // English notation ("2976.4", "2,976.4", ".5") is the commonest slip:
    // suggest the same value written the Vietnamese way.
    if let Some((value, decimals, ambiguous)) = english_reading(body) {
        let suggestion = format!("{sign}{}", format_number(value, decimals));
        let hint = if ambiguous {
            format!(
                "nếu là số thập phân, viết `{suggestion}`: dấu phẩy trước phần thập phân; dấu chấm chỉ để phân cách hàng nghìn, mỗi nhóm sau dấu chấm đủ 3 chữ số"
            )
        } else {
            format!(
                "viết `{suggestion}`: dấu chấm phân cách hàng nghìn, dấu phẩy trước phần thập phân"
            )
        };
        return ParseError::new(wrong, hint);
    }

    match shape {
        Shape::ManyCommas => ParseError::new(
            format!("`{written}` có nhiều dấu phẩy"),
            "chỉ dùng một dấu phẩy, đặt trước phần thập phân; hàng nghìn phân cách bằng dấu chấm, ví dụ `1.234,5`",
        ),
        Shape::EmptyFraction => {
            let int_part = body.trim_end_matches(',');
            ParseError::new(
                format!("`{written}` thiếu chữ số sau dấu phẩy"),
                format!(
                    "viết `{sign}{int_part}`, hoặc ghi phần thập phân sau dấu phẩy, ví dụ `{sign}{int_part},5`"
                ),
            )
        }
        Shape::EmptyInteger => ParseError::new(
            format!("`{written}` thiếu phần nguyên trước dấu phẩy"),
            format!("viết `{sign}0{body}`"),
        ),
        Shape::DotInFraction => ParseError::new(
            format!("`{written}` có dấu chấm sau dấu phẩy"),
            "dấu chấm chỉ phân cách hàng nghìn ở phần nguyên; dấu phẩy đứng trước phần thập phân, ví dụ `1.234,5`",
        ),
        Shape::StrayDot => ParseError::new(
            format!("`{written}` có dấu chấm không nằm giữa hai nhóm chữ số"),
            "dấu chấm chỉ đặt giữa các nhóm 3 chữ số, ví dụ `1.146` hoặc `636.250.000`",
        ),
        Shape::BadGroups => {
            let (int_part, frac) = match body.split_once(',') {
                Some((i, f)) => (i, Some(f)),
                None => (body, None),
            };
            let digits: String = int_part.chars().filter(|c| *c != '.').collect();
            let digits = digits.trim_start_matches('0');
            let grouped = group_thousands(if digits.is_empty() { "0" } else { digits });
            let regrouped = match frac {
                Some(f) => format!("{sign}{grouped},{f}"),
                None => format!("{sign}{grouped}"),
            };
            ParseError::new(
                format!(
                    "`{written}` chia nhóm chữ số không đúng: nhóm đầu 1–3 chữ số, mỗi nhóm sau dấu chấm đủ 3 chữ số"
                ),
                format!("viết `{regrouped}`"),
            )
        }
    }
}

/// Reads `body` as an English-notation decimal, if it is one: exactly one
/// '.', followed by digits whose count is not 3, preceded by plain digits,
/// nothing, or comma-grouped thousands (`2,976`). A '.' followed by exactly
/// three digits also counts when the integer part is comma-grouped
/// (`1,146.000`). Returns the value, its decimals, and whether the reading is
/// only a guess (`1.14` may be a mistyped group rather than a decimal).
fn english_reading(body: &str) -> Option<(Decimal, u32, bool)> {
    let (int_part, frac) = body.split_once('.')?;
    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let comma_grouped = int_part.contains(',');
    let int_digits: String = if comma_grouped {
        let groups: Vec<&str> = int_part.split(',').collect();
        let ok = (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return None;
        }
        groups.concat()
    } else {
        int_part.to_string()
    };
    if !comma_grouped && frac.len() == 3 {
        return None;
    }
    let int_digits = if int_digits.is_empty() {
        "0".to_string()
    } else {
        int_digits
    };
    let value = Decimal::from_str_exact(&format!("{int_digits}.{frac}")).ok()?;
    let ambiguous = !comma_grouped && (1..=3).contains(&int_part.len());
    Some((value, frac.len() as u32, ambiguous))
}

fn looks_like_exponent(body: &str) -> bool {
    body.starts_with(|c: char| c.is_ascii_digit() || c == ',' || c == '.')
        && body.contains(['e', 'E'])
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | 'e' | 'E' | '+' | '-'))
}

/// Inserts a '.' every three digits from the right of a string of ASCII
/// digits.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Rounds half away from zero to `decimals` places (`1,005` → `1,01`,
/// `2,5` → `3`, `-2,5` → `-3`) and prints Vietnamese style: '.' every three
/// integer digits, ',' before a fraction padded to exactly `decimals` digits.
/// A value that rounds to zero prints without a sign (`0`, `0,0`).
/// `decimals` above [`MAX_DECIMALS`] is treated as `MAX_DECIMALS`.
pub fn format_number(value: Decimal, decimals: u32) -> String {
    let decimals = decimals.min(MAX_DECIMALS);
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let plain = rounded.abs().to_string();
    let (int_part, frac) = plain.split_once('.').unwrap_or((&plain, ""));

    let mut out = String::with_capacity(plain.len() + plain.len() / 3 + 2);
    if negative {
        out.push('-');
    }
    out.push_str(&group_thousands(int_part));
    if decimals > 0 {
        out.push(',');
        out.push_str(frac);
        for _ in frac.len()..decimals as usize {
            out.push('0');
        }
    }
    out
}

/// `format_number` followed by `%`, no space: `47,13%`.
pub fn format_percent(value: Decimal, decimals: u32) -> String {
    let mut out = format_number(value, decimals);
    out.push('%');
    out
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/// A date in a report header or body. A `None` day or month is left blank for
/// the văn thư to fill in when the document is issued.
#[derive(Clone, Debug, PartialEq)]
pub struct Date {
    pub day: Option<u32>,
    pub month: Option<u32>,
    pub year: i32,
}

/// Parses `31/5/2024`, `05/01/2024`, `/6/2024`, `  /6/2024`, `…/6/2024`,
/// `../../2024`, or ISO `2024-05-31`.
///
/// In the `/` form a day or month made only of `.`, `…`, `_` and whitespace
/// (or nothing) is blank. The year is required and has 4 digits. A day needs
/// a month (a blank month with a day written is rejected). Ranges are checked,
/// including the number of days in the month.
pub fn parse_date(text: &str) -> Result<Date, ParseError> {
    const FORM_HINT: &str = "viết ngày theo mẫu `31/5/2024` (hoặc `2024-05-31`); để trống ngày cho văn thư điền: `/5/2024`";
    let t = text.trim();
    if t.is_empty() {
        return Err(ParseError::new("chưa ghi ngày tháng", FORM_HINT));
    }

    if !t.contains('/') {
        if let Some(date) = parse_iso(t)? {
            return Ok(date);
        }
        // "31.5.2024", "31-5-2024": suggest slashes when that reads.
        let slashed: String = t
            .chars()
            .map(|c| if c == '.' || c == '-' { '/' } else { c })
            .collect();
        let hint = match slashed.contains('/').then(|| parse_date(&slashed)) {
            Some(Ok(d)) if d.day.is_some() && d.month.is_some() => {
                format!("viết `{}`", date_short(&d))
            }
            _ => FORM_HINT.to_string(),
        };
        return Err(ParseError::new(
            format!("`{t}` không đúng cách ghi ngày tháng"),
            hint,
        ));
    }

    let parts: Vec<&str> = t.split('/').collect();
    if parts.len() != 3 {
        return Err(ParseError::new(
            format!("`{t}` cần đủ ba phần ngày/tháng/năm"),
            FORM_HINT,
        ));
    }
    let day = date_part(parts[0], "ngày", t)?;
    let month = date_part(parts[1], "tháng", t)?;
    let year = year_part(parts[2], t)?;
    check_date(t, day, month, year)
}

/// `2024-05-31`; `Ok(None)` when `t` is not in that shape at all.
fn parse_iso(t: &str) -> Result<Option<Date>, ParseError> {
    let parts: Vec<&str> = t.split('-').collect();
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.len() != 3
        || !digits(parts[0], 4..=4)
        || !digits(parts[1], 1..=2)
        || !digits(parts[2], 1..=2)
    {
        return Ok(None);
    }
    let year = year_part(parts[0], t)?;
    // The digits were checked above, so these parses cannot fail.
    let month = parts[1].parse().ok();
    let day = parts[2].parse().ok();
    check_date(t, day, month, year).map(Some)
}

fn date_part(part: &str, name: &str, whole: &str) -> Result<Option<u32>, ParseError> {
    let p = part.trim();
    if p.chars()
        .all(|c| matches!(c, '.' | '…' | '_') || c.is_whitespace())
    {
        return Ok(None);
    }
    if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(p.parse().ok());
    }
    Err(ParseError::new(
        format!("`{whole}`: {name} `{p}` không hợp lệ"),
        format!(
            "{name} ghi bằng 1 hoặc 2 chữ số, hoặc để trống cho văn thư điền, ví dụ `31/5/2024`, `/5/2024`"
        ),
    ))
}

fn year_part(part: &str, whole: &str) -> Result<i32, ParseError> {
    let p = part.trim();
    if p.is_empty() {
        return Err(ParseError::new(
            format!("`{whole}` thiếu năm"),
            "năm phải ghi đủ, ví dụ `/5/2024`",
        ));
    }
    if p.len() == 4
        && p.bytes().all(|b| b.is_ascii_digit())
        && !p.starts_with('0')
        && let Ok(year) = p.parse()
    {
        return Ok(year);
    }
    Err(ParseError::new(
        format!("`{whole}`: năm `{p}` không hợp lệ"),
        "ghi năm đủ 4 chữ số, ví dụ `2024`",
    ))
}

fn check_date(
    whole: &str,
    day: Option<u32>,
    month: Option<u32>,
    year: i32,
) -> Result<Date, ParseError> {
    if let Some(m) = month
        && !(1..=12).contains(&m)
    {
        return Err(ParseError::new(
            format!("`{whole}`: không có tháng {m}"),
            "tháng từ 1 đến 12",
        ));
    }
    if let Some(d) = day {
        let Some(m) = month else {
            return Err(ParseError::new(
                format!("`{whole}` có ngày nhưng để trống tháng"),
                format!("ghi cả tháng, ví dụ `{d}/6/{year}`, hoặc để trống cả ngày và tháng"),
            ));
        };
        if NaiveDate::from_ymd_opt(year, m, d).is_none() {
            let last = days_in_month(year, m);
            return Err(ParseError::new(
                format!("`{whole}`: ngày {d} không có thật, tháng {m} năm {year} có {last} ngày"),
                format!("ngày từ 1 đến {last}"),
            ));
        }
    }
    Ok(Date { day, month, year })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
        .unwrap_or(31)
}

/// `ngày 05 tháng 01 năm 2024`, `ngày 15 tháng 6 năm 2024`: a day below 10
/// gets a leading zero; months 1 and 2 get one, other months none. A blank
/// part prints as [`DATE_BLANK`] in place of the number:
/// `ngày` + ` ` + six U+00A0 + ` ` + `tháng 6 năm 2024`.
pub fn date_full(d: &Date) -> String {
    let day = match d.day {
        Some(day) => format!("{day:02}"),
        None => DATE_BLANK.to_string(),
    };
    let month = match d.month {
        Some(m @ (1 | 2)) => format!("0{m}"),
        Some(m) => m.to_string(),
        None => DATE_BLANK.to_string(),
    };
    format!("ngày {day} tháng {month} năm {}", d.year)
}

/// The place-and-date line of a document [PL1 II.4]: `Cao Bằng, ngày 05 tháng 01 năm 2024`,
/// the date as [`date_full`] writes it. The one place this line is made: the header prints it
/// and no template or layout file rebuilds it.
pub fn date_line(place: &str, d: &Date) -> String {
    format!("{place}, {}", date_full(d))
}

/// `31/5/2024`, `5/1/2024`: no padding; a blank part prints as
/// [`DATE_BLANK`].
pub fn date_short(d: &Date) -> String {
    let part = |p: Option<u32>| p.map_or_else(|| DATE_BLANK.to_string(), |v| v.to_string());
    format!("{}/{}/{}", part(d.day), part(d.month), d.year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn parse_number_accepts() {
        // (input, value, decimals, written)
        let cases: &[(&str, &str, u32, &str)] = &[
            ("1146", "1146", 0, "1146"),
            ("1.146", "1146", 0, "1.146"),
            ("2.976,4", "2976.4", 1, "2.976,4"),
            ("155,108", "155.108", 3, "155,108"),
            ("636.250.000", "636250000", 0, "636.250.000"),
            ("1.146,5", "1146.5", 1, "1.146,5"),
            ("0,5", "0.5", 1, "0,5"),
            ("-0,5", "-0.5", 1, "-0,5"),
            ("−0,5", "-0.5", 1, "−0,5"),
            ("1.000.000,25", "1000000.25", 2, "1.000.000,25"),
            ("08", "8", 0, "08"),
            ("0", "0", 0, "0"),
            ("-0", "0", 0, "-0"),
            ("36,70", "36.70", 2, "36,70"),
            ("  47,13 \n", "47.13", 2, "47,13"),
            ("\u{a0}12\u{a0}", "12", 0, "12"),
            ("-1.234,5", "-1234.5", 1, "-1.234,5"),
            ("12.345", "12345", 0, "12.345"),
            ("123.456,789", "123456.789", 3, "123.456,789"),
            (
                "0000000000000000000000000000000001",
                "1",
                0,
                "0000000000000000000000000000000001",
            ),
            // Largest value Decimal holds: 29 digits.
            (
                "79.228.162.514.264.337.593.543.950.335",
                "79228162514264337593543950335",
                0,
                "79.228.162.514.264.337.593.543.950.335",
            ),
            (
                "0,0000000000000000000000000001",
                "0.0000000000000000000000000001",
                28,
                "0,0000000000000000000000000001",
            ),
            // 30 digits as written, but the trailing zeros carry no value.
            (
                "-82.521.559.545.961.518.204.278.808,1200",
                "-82521559545961518204278808.12",
                4,
                "-82.521.559.545.961.518.204.278.808,1200",
            ),
            (
                "79.228.162.514.264.337.593.543.950.335,00",
                "79228162514264337593543950335",
                2,
                "79.228.162.514.264.337.593.543.950.335,00",
            ),
        ];
        for &(input, value, decimals, written) in cases {
            let n = parse_number(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
            assert_eq!(n.value, d(value), "value of {input:?}");
            assert_eq!(n.decimals, decimals, "decimals of {input:?}");
            assert_eq!(n.written, written, "written of {input:?}");
        }
        // "-0" is plain zero, never a negative zero.
        assert!(!parse_number("-0").unwrap().value.is_sign_negative());
        assert!(!parse_number("-0,00").unwrap().value.is_sign_negative());
        // Trailing zeros keep their scale.
        assert_eq!(parse_number("36,70").unwrap().value.scale(), 2);
    }

    #[test]
    fn parse_number_rejects() {
        // (input, a piece of the message, a piece of the hint)
        let cases: &[(&str, &str, &str)] = &[
            (
                "2976.4",
                "`2976.4` không đúng cách viết số của báo cáo",
                "viết `2.976,4`: dấu chấm phân cách hàng nghìn, dấu phẩy trước phần thập phân",
            ),
            ("2,976.4", "không đúng cách viết số", "`2.976,4`"),
            ("1,146.000", "không đúng cách viết số", "`1.146,000`"),
            ("-2976.4", "không đúng cách viết số", "`-2.976,4`"),
            (
                "1.14",
                "`1.14` không đúng cách viết số",
                "nếu là số thập phân, viết `1,14`",
            ),
            ("12.5", "không đúng cách viết số", "`12,5`"),
            (".5", "không đúng cách viết số", "`0,5`"),
            ("1146.000", "chia nhóm chữ số không đúng", "`1.146.000`"),
            ("12.34.567", "chia nhóm chữ số không đúng", "`1.234.567`"),
            ("1.234.5", "chia nhóm chữ số không đúng", "`12.345`"),
            ("1.2345,6", "chia nhóm chữ số không đúng", "`12.345,6`"),
            ("1,2,3", "nhiều dấu phẩy", "chỉ dùng một dấu phẩy"),
            ("1,2.5", "dấu chấm sau dấu phẩy", "dấu phẩy"),
            (
                "12%",
                "`12%` có dấu `%`",
                "ví dụ `12`: tỷ lệ phần trăm được ghi bằng số",
            ),
            ("12 %", "có dấu `%`", "`12`"),
            ("-3,5%", "có dấu `%`", "`-3,5`"),
            ("1e400", "lũy thừa", "không dùng `e`"),
            ("2,5E3", "lũy thừa", "`e`"),
            ("", "chưa ghi số", "1.146"),
            ("   ", "chưa ghi số", "2.976,4"),
            ("abc", "`abc` không phải là số", "2.976,4"),
            ("12 ha", "ký tự không hợp lệ `h`", "đơn vị"),
            ("1.000,", "thiếu chữ số sau dấu phẩy", "viết `1.000`"),
            (",5", "thiếu phần nguyên", "viết `0,5`"),
            ("-,5", "thiếu phần nguyên", "viết `-0,5`"),
            ("+5", "dấu `+`", "viết `5`"),
            ("-", "thiếu chữ số", "1.146"),
            ("--5", "ký tự không hợp lệ `-`", "chữ số"),
            ("1..2", "dấu chấm không nằm giữa hai nhóm", "`1.146`"),
            ("1.", "dấu chấm không nằm giữa", "3 chữ số"),
            ("1. 146", "khoảng trắng", "viết `1.146`"),
            ("1 146", "khoảng trắng", "viết `1146`"),
            ("1\u{a0}146", "khoảng trắng", "viết `1146`"),
            ("1\u{2009}146,5", "khoảng trắng", "viết `1146,5`"),
            ("- 5", "khoảng trắng", "viết `-5`"),
            // Too big for Decimal: 80 × 10^27, and 30 significant digits.
            (
                "80.000.000.000.000.000.000.000.000.000",
                "tối đa 28 chữ số có nghĩa",
                "đơn vị tính",
            ),
            (
                "1,00000000000000000000000000001",
                "quá giới hạn 28",
                "làm tròn",
            ),
            (
                "123456789012345678901234567890",
                "tối đa 28 chữ số",
                "đơn vị",
            ),
            (
                "12.345.678.901.234.567.890,1234567891",
                "tối đa 28 chữ số",
                "đơn vị",
            ),
        ];
        for &(input, message, hint) in cases {
            let err = parse_number(input).expect_err(input);
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
            for text in [&err.message, h] {
                assert!(!text.is_empty());
                assert!(
                    !text.ends_with('.'),
                    "{input:?}: {text:?} ends with a period"
                );
                assert!(
                    !text.starts_with(char::is_uppercase),
                    "{input:?}: {text:?} starts upper-case"
                );
            }
            assert_eq!(err.to_string(), err.message);
        }
    }

    #[test]
    fn parse_number_exact_spec_messages() {
        let err = parse_number("2976.4").unwrap_err();
        assert_eq!(err.message, "`2976.4` không đúng cách viết số của báo cáo");
        assert_eq!(
            err.hint.as_deref(),
            Some("viết `2.976,4`: dấu chấm phân cách hàng nghìn, dấu phẩy trước phần thập phân")
        );
    }

    #[test]
    fn parse_number_never_panics_on_odd_input() {
        let inputs = [
            "9".repeat(40),
            format!("0,{}", "9".repeat(40)),
            format!(
                "{}.{}",
                "9".repeat(3),
                "999.".repeat(20).trim_end_matches('.')
            ),
            "−".to_string(),
            "%".to_string(),
            "e".to_string(),
            ",".to_string(),
            ".".to_string(),
            "..".to_string(),
            "1,".to_string(),
            "٣".to_string(),    // Arabic-Indic digit
            "１２".to_string(), // full-width digits
            "1e".to_string(),
            "-e5".to_string(),
        ];
        for input in &inputs {
            let _ = parse_number(input);
        }
        assert!(parse_number("٣").is_err());
        assert!(parse_number("１２").is_err());
    }

    #[test]
    fn format_number_table() {
        let cases: &[(&str, u32, &str)] = &[
            // Rounding at .5, both signs, half away from zero.
            ("2.5", 0, "3"),
            ("-2.5", 0, "-3"),
            ("3.5", 0, "4"),
            ("-3.5", 0, "-4"),
            ("0.5", 0, "1"),
            ("-0.5", 0, "-1"),
            ("1.005", 2, "1,01"),
            ("-1.005", 2, "-1,01"),
            ("0.045", 2, "0,05"),
            ("-0.045", 2, "-0,05"),
            ("2.45", 1, "2,5"),
            ("1.0049", 2, "1,00"),
            ("2976.44", 1, "2.976,4"),
            ("2976.45", 1, "2.976,5"),
            // Grouping.
            ("1000000000000000", 0, "1.000.000.000.000.000"),
            ("1146", 0, "1.146"),
            ("636250000", 0, "636.250.000"),
            ("999", 0, "999"),
            ("1000", 0, "1.000"),
            ("100000", 0, "100.000"),
            ("999999.5", 0, "1.000.000"),
            ("-1234.5", 1, "-1.234,5"),
            ("-1234567.891", 2, "-1.234.567,89"),
            ("155.108", 3, "155,108"),
            (
                "79228162514264337593543950335",
                0,
                "79.228.162.514.264.337.593.543.950.335",
            ),
            // Zero and values that round to zero: never "-0".
            ("0", 0, "0"),
            ("0", 1, "0,0"),
            ("-0", 2, "0,00"),
            ("-0.04", 1, "0,0"),
            ("-0.4", 0, "0"),
            ("-0.0049", 2, "0,00"),
            ("0.0049", 2, "0,00"),
            // Decimals 0..4, padding with zeros.
            ("3.14159", 0, "3"),
            ("3.14159", 1, "3,1"),
            ("3.14159", 2, "3,14"),
            ("3.14159", 3, "3,142"),
            ("3.14159", 4, "3,1416"),
            ("12", 2, "12,00"),
            ("36.7", 2, "36,70"),
            ("1234", 4, "1.234,0000"),
            ("-7", 1, "-7,0"),
            // Clamped at 28 places.
            ("1", 40, "1,0000000000000000000000000000"),
        ];
        for &(value, decimals, expected) in cases {
            assert_eq!(
                format_number(d(value), decimals),
                expected,
                "format_number({value}, {decimals})"
            );
        }
        assert_eq!(
            format_number(Decimal::MAX, 2),
            "79.228.162.514.264.337.593.543.950.335,00"
        );
        assert_eq!(
            format_number(Decimal::MIN, 0),
            "-79.228.162.514.264.337.593.543.950.335"
        );
    }

    #[test]
    fn format_percent_table() {
        let cases: &[(&str, u32, &str)] = &[
            ("47.134", 2, "47,13%"),
            ("100", 0, "100%"),
            ("0.79", 2, "0,79%"),
            ("115.65", 1, "115,7%"),
            ("-22.35", 1, "-22,4%"),
            ("-0.01", 1, "0,0%"),
            ("1250", 1, "1.250,0%"),
        ];
        for &(value, decimals, expected) in cases {
            assert_eq!(
                format_percent(d(value), decimals),
                expected,
                "format_percent({value}, {decimals})"
            );
        }
    }

    /// parse_number(format_number(v, d)) == round_half_away(v, d), and the
    /// written decimals equal d, over many generated values.
    #[test]
    fn format_then_parse_round_trips() {
        let mut seed: u64 = 0x2024_0531_1146_2976;
        let mut next = move || {
            // xorshift64*
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            seed.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let mut checked = 0;
        for i in 0..20_000u32 {
            let r = next();
            // Mix magnitudes: small, medium, and mantissas near the 96-bit limit.
            let mantissa: i128 = match i % 4 {
                0 => (r % 1_000) as i128,
                1 => (r % 10_000_000_000) as i128,
                2 => r as i128,
                _ => ((r as i128) << 32 | (next() as i128 & 0xffff_ffff)) >> (r % 40),
            };
            let mantissa = if next() % 2 == 0 { -mantissa } else { mantissa };
            let scale = (next() % 12) as u32;
            let v = Decimal::from_i128_with_scale(mantissa, scale);
            let decimals = (next() % 5) as u32;
            let text = format_number(v, decimals);
            let n =
                parse_number(&text).unwrap_or_else(|e| panic!("{v} at {decimals}: {text:?} {e:?}"));
            let expected = crate::figures::round_half_away(v, decimals);
            assert_eq!(n.value, expected, "{v} at {decimals}: {text:?}");
            assert_eq!(n.decimals, decimals, "{v} at {decimals}: {text:?}");
            assert!(
                !text.starts_with("-0") || text.contains(|c: char| ('1'..='9').contains(&c)),
                "{text:?}"
            );
            checked += 1;
        }
        assert_eq!(checked, 20_000);
    }

    #[test]
    fn parse_date_accepts() {
        // (input, day, month, year)
        let cases: &[(&str, Option<u32>, Option<u32>, i32)] = &[
            ("31/5/2024", Some(31), Some(5), 2024),
            ("05/01/2024", Some(5), Some(1), 2024),
            ("29/2/2024", Some(29), Some(2), 2024),
            ("31/12/2023", Some(31), Some(12), 2023),
            (" 1/1/2025 ", Some(1), Some(1), 2025),
            ("  /6/2024", None, Some(6), 2024),
            ("/6/2024", None, Some(6), 2024),
            ("…/6/2024", None, Some(6), 2024),
            ("..../6/2024", None, Some(6), 2024),
            ("__/6/2024", None, Some(6), 2024),
            ("\u{a0}\u{a0}/6/2024", None, Some(6), 2024),
            ("/ /2024", None, None, 2024),
            ("…/…/2024", None, None, 2024),
            ("/10/2024", None, Some(10), 2024),
            (" 15 / 6 / 2024 ", Some(15), Some(6), 2024),
            ("2024-05-31", Some(31), Some(5), 2024),
            ("2024-5-1", Some(1), Some(5), 2024),
            ("2024-02-29", Some(29), Some(2), 2024),
        ];
        for &(input, day, month, year) in cases {
            let got = parse_date(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
            assert_eq!(got, Date { day, month, year }, "{input:?}");
        }
    }

    #[test]
    fn parse_date_rejects() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "31/2/2024",
                "ngày 31 không có thật, tháng 2 năm 2024 có 29 ngày",
                "từ 1 đến 29",
            ),
            ("29/2/2023", "tháng 2 năm 2023 có 28 ngày", "từ 1 đến 28"),
            ("31/4/2024", "tháng 4 năm 2024 có 30 ngày", "30"),
            ("0/5/2024", "ngày 0 không có thật", "từ 1 đến 31"),
            ("32/1/2024", "ngày 32 không có thật", "31"),
            ("1/13/2024", "không có tháng 13", "từ 1 đến 12"),
            ("1/0/2024", "không có tháng 0", "từ 1 đến 12"),
            ("15//2024", "có ngày nhưng để trống tháng", "`15/6/2024`"),
            ("31/5/", "thiếu năm", "2024"),
            ("31/5/24", "năm `24` không hợp lệ", "4 chữ số"),
            ("31/5/0999", "năm `0999`", "4 chữ số"),
            ("31/5/20245", "năm", "4 chữ số"),
            ("31/5", "ba phần", "31/5/2024"),
            ("1/2/3/2024", "ba phần", "31/5/2024"),
            ("", "chưa ghi ngày", "31/5/2024"),
            ("hôm nay", "không đúng cách ghi ngày", "31/5/2024"),
            ("31.5.2024", "không đúng cách ghi ngày", "viết `31/5/2024`"),
            ("31-5-2024", "không đúng cách ghi ngày", "viết `31/5/2024`"),
            ("2024-02-30", "ngày 30 không có thật", "29"),
            ("2024-13-01", "không có tháng 13", "12"),
            ("a/5/2024", "ngày `a` không hợp lệ", "1 hoặc 2 chữ số"),
            ("1/năm/2024", "tháng `năm` không hợp lệ", "1 hoặc 2 chữ số"),
            ("123/5/2024", "ngày `123`", "2 chữ số"),
            ("-1/5/2024", "ngày `-1`", "chữ số"),
        ];
        for &(input, message, hint) in cases {
            let err = parse_date(input).expect_err(input);
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
            for text in [&err.message, h] {
                assert!(!text.ends_with('.'), "{input:?}: {text:?}");
            }
        }
    }

    #[test]
    fn date_printing_table() {
        let blank = DATE_BLANK;
        assert_eq!(blank.chars().count(), 6);
        assert!(blank.chars().all(|c| c == '\u{a0}'));
        // (day, month, year, full, short)
        type Case = (Option<u32>, Option<u32>, i32, String, String);
        let cases: Vec<Case> = vec![
            (
                Some(5),
                Some(1),
                2024,
                "ngày 05 tháng 01 năm 2024".into(),
                "5/1/2024".into(),
            ),
            (
                Some(15),
                Some(6),
                2024,
                "ngày 15 tháng 6 năm 2024".into(),
                "15/6/2024".into(),
            ),
            (
                Some(29),
                Some(2),
                2024,
                "ngày 29 tháng 02 năm 2024".into(),
                "29/2/2024".into(),
            ),
            (
                Some(31),
                Some(5),
                2024,
                "ngày 31 tháng 5 năm 2024".into(),
                "31/5/2024".into(),
            ),
            (
                Some(9),
                Some(10),
                2024,
                "ngày 09 tháng 10 năm 2024".into(),
                "9/10/2024".into(),
            ),
            (
                Some(10),
                Some(12),
                2023,
                "ngày 10 tháng 12 năm 2023".into(),
                "10/12/2023".into(),
            ),
            (
                Some(1),
                Some(3),
                2025,
                "ngày 01 tháng 3 năm 2025".into(),
                "1/3/2025".into(),
            ),
            (
                None,
                Some(6),
                2024,
                format!("ngày {blank} tháng 6 năm 2024"),
                format!("{blank}/6/2024"),
            ),
            (
                None,
                Some(1),
                2024,
                format!("ngày {blank} tháng 01 năm 2024"),
                format!("{blank}/1/2024"),
            ),
            (
                None,
                None,
                2024,
                format!("ngày {blank} tháng {blank} năm 2024"),
                format!("{blank}/{blank}/2024"),
            ),
        ];
        for (day, month, year, full, short) in cases {
            let date = Date { day, month, year };
            assert_eq!(date_full(&date), full, "{date:?}");
            assert_eq!(date_short(&date), short, "{date:?}");
        }
        // The exact byte layout of a blank day.
        assert_eq!(
            date_full(&Date {
                day: None,
                month: Some(6),
                year: 2024
            }),
            "ngày \u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0} tháng 6 năm 2024"
        );
    }

    #[test]
    fn the_date_line_puts_the_place_before_the_date() {
        let d = |day, month| Date {
            day,
            month,
            year: 2024,
        };
        assert_eq!(
            date_line("Cao Bằng", &d(Some(5), Some(1))),
            "Cao Bằng, ngày 05 tháng 01 năm 2024"
        );
        assert_eq!(
            date_line("Thành phố Hồ Chí Minh", &d(None, Some(6))),
            format!("Thành phố Hồ Chí Minh, ngày {DATE_BLANK} tháng 6 năm 2024")
        );
    }

    #[test]
    fn parse_then_print_dates() {
        let cases: &[(&str, &str, &str)] = &[
            ("05/01/2024", "ngày 05 tháng 01 năm 2024", "5/1/2024"),
            ("2024-06-15", "ngày 15 tháng 6 năm 2024", "15/6/2024"),
            ("29/02/2024", "ngày 29 tháng 02 năm 2024", "29/2/2024"),
        ];
        for &(input, full, short) in cases {
            let date = parse_date(input).unwrap();
            assert_eq!(date_full(&date), full);
            assert_eq!(date_short(&date), short);
        }
    }
}
