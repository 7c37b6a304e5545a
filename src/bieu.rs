//! The attached indicator table (biểu): one description of its title, columns, groups, rows
//! and cells for a period, built from data/bieu.yaml and the indicators. The Typst appendix
//! (templates/phu-luc/bieu-chi-tieu.typ.j2) lays it out, and every other writer reads the
//! same description, so no column is described twice.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::data::DataSet;
use crate::figures;
use crate::format;
use crate::indicator::{Derived, InPeriod, Unavailable};
use crate::period::{Period, Year};

/// Wording for a figure that is not due yet in this period.
pub const NOT_DUE: &str = "chưa đến kỳ đánh giá";
/// A cell whose figure the data does not give.
pub const MISSING: &str = "-";
/// The appendix's title when data/bieu.yaml gives none.
pub const DEFAULT_TITLE: &str =
    "Kết quả thực hiện các chỉ tiêu phát triển kinh tế - xã hội chủ yếu";
/// The note of a row whose plan is 0, where no "% kế hoạch" exists (never "Đạt").
pub const ZERO_PLAN_NOTE: &str = "Kế hoạch bằng 0";

/// What a column shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Row number (STT), or the group's numeral on a group row.
    Number,
    /// The indicator's name.
    Name,
    /// Its unit (ĐVT).
    Unit,
    /// Last year's figure (year-end report only).
    Base,
    /// This year's plan.
    Plan,
    /// The period's figure.
    Figure,
    /// Figure as a % of the plan.
    ShareOfPlan,
    /// Figure as a % of the base.
    RatioToBase,
    /// Next year's plan (year-end report only).
    NextPlan,
    /// Ghi chú.
    Note,
}

/// One column: its header (and the header it sits under, if any) and its width.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Column {
    pub kind: ColumnKind,
    pub header: String,
    /// A header spanning this and the next columns with the same parent ("So sánh (%)").
    pub parent: Option<String>,
    /// Width in millimetres; `None` takes the remaining width.
    pub width_mm: Option<u32>,
}

/// Where a cell's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Text of the data (name, unit, note, a qualitative plan).
    Text,
    /// A figure as the data writes it.
    Figure,
    /// Computed by baocao from the row's figure and the column named (plan or base).
    Computed { of: ColumnKind, over: ColumnKind },
    /// A ratio the data states (the source gives no base to compute it from).
    Stated,
    /// Nothing to show: "-".
    Missing,
    /// The figure is not due in this period: "chưa đến kỳ đánh giá".
    NotDue,
    /// A placeholder still to fill (`«thực hiện»`), printed as written.
    Placeholder,
}

/// One cell: the text printed, and the number behind it when there is one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cell {
    pub text: String,
    /// The exact value (unrounded for a computed %).
    #[serde(skip)]
    pub value: Option<Decimal>,
    /// Decimals the text shows (figures as written; % at the column's decimals).
    pub decimals: Option<u32>,
    pub source: Source,
}

impl Cell {
    fn text(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            value: None,
            decimals: None,
            source: Source::Text,
        }
    }

    fn missing() -> Self {
        Cell {
            source: Source::Missing,
            ..Cell::text(MISSING)
        }
    }

    /// The placeholder `text` if there is one, else `otherwise`.
    fn placeholder_or(text: Option<String>, otherwise: impl FnOnce() -> Cell) -> Self {
        match text {
            Some(text) => Cell {
                source: Source::Placeholder,
                ..Cell::text(text)
            },
            None => otherwise(),
        }
    }

    fn figure(n: &format::Number) -> Self {
        Cell {
            text: n.written.clone(),
            value: Some(n.value),
            decimals: Some(n.decimals),
            source: Source::Figure,
        }
    }
}

/// One indicator's row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Its number in the table (1, 2, …, continuing across groups).
    pub number: usize,
    pub id: String,
    /// One cell per column, in the columns' order.
    pub cells: Vec<Cell>,
    /// The row's figures are illustrative.
    pub illustrative: bool,
}

/// A group of rows under a title row ("I. Chỉ tiêu kinh tế").
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// Its roman numeral: I, II, …
    pub numeral: String,
    pub name: String,
    pub rows: Vec<Row>,
}

/// A cell of the header: a column's header, or a parent header spanning its columns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeaderCell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

/// The whole table for one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    /// "Biểu số 01"
    pub label: String,
    /// The title, printed in capitals by the layout.
    pub title: String,
    pub columns: Vec<Column>,
    /// The header rows (two when a parent header spans columns), cells left to right.
    pub header: Vec<Vec<HeaderCell>>,
    pub groups: Vec<Group>,
}

/// The header rows of `columns`: a column without a parent spans every header row; columns
/// with the same parent, side by side, share one cell above their own.
pub fn header_rows(columns: &[Column]) -> Vec<Vec<HeaderCell>> {
    let nested = columns.iter().any(|c| c.parent.is_some());
    let rows = if nested { 2 } else { 1 };
    let mut top: Vec<HeaderCell> = vec![];
    let mut second: Vec<HeaderCell> = vec![];
    let mut i = 0;
    while i < columns.len() {
        let c = &columns[i];
        match &c.parent {
            None => {
                top.push(HeaderCell {
                    text: c.header.clone(),
                    colspan: 1,
                    rowspan: rows,
                });
                i += 1;
            }
            Some(parent) => {
                let span = columns[i..]
                    .iter()
                    .take_while(|d| d.parent.as_ref() == Some(parent))
                    .count();
                top.push(HeaderCell {
                    text: parent.clone(),
                    colspan: span,
                    rowspan: 1,
                });
                second.extend(columns[i..i + span].iter().map(|d| HeaderCell {
                    text: d.header.clone(),
                    colspan: 1,
                    rowspan: 1,
                }));
                i += span;
            }
        }
    }
    if nested { vec![top, second] } else { vec![top] }
}

impl Table {
    /// Every row, in order.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.groups.iter().flat_map(|g| &g.rows)
    }

    /// The indicators of the table that meet their plan, and how many rows it has.
    pub fn count_met(&self, data: &DataSet, period: Period) -> (usize, usize) {
        let met = self
            .rows()
            .filter_map(|r| data.indicator(&r.id))
            .map(|i| InPeriod::new(i, period))
            .filter(|v| v.figure().is_some() && v.meets_plan() == Some(true))
            .count();
        (met, self.rows().count())
    }
}

/// The columns of `period`'s table in `year`.
pub fn columns(period: Period, year: Year) -> Vec<Column> {
    let words = period.words(year);
    let year = year.get();
    let col = |kind, header: String, parent: Option<&str>, width_mm| Column {
        kind,
        header,
        parent: parent.map(str::to_string),
        width_mm,
    };
    let compare = Some("So sánh (%)");
    use ColumnKind::*;
    if period == Period::Year {
        vec![
            col(Number, "STT".into(), None, Some(10)),
            col(Name, "Chỉ tiêu".into(), None, None),
            col(Unit, "ĐVT".into(), None, Some(17)),
            col(Base, format!("Thực hiện năm {}", year - 1), None, Some(20)),
            col(Plan, format!("Kế hoạch năm {year}"), None, Some(20)),
            col(
                Figure,
                format!("Ước thực hiện cả năm {year}"),
                None,
                Some(20),
            ),
            col(ShareOfPlan, "Kế hoạch".into(), compare, Some(17)),
            col(RatioToBase, format!("Năm {}", year - 1), compare, Some(17)),
            col(
                NextPlan,
                format!("Kế hoạch năm {}", year + 1),
                None,
                Some(20),
            ),
            col(Note, "Ghi chú".into(), None, Some(26)),
        ]
    } else {
        vec![
            col(Number, "STT".into(), None, Some(10)),
            col(Name, "Chỉ tiêu".into(), None, None),
            col(Unit, "ĐVT".into(), None, Some(18)),
            col(Plan, format!("Kế hoạch năm {year}"), None, Some(24)),
            col(
                Figure,
                format!("Thực hiện {} năm {year}", words.ten_ngan),
                None,
                Some(24),
            ),
            col(ShareOfPlan, "Kế hoạch năm".into(), compare, Some(20)),
            col(RatioToBase, "Cùng kỳ".into(), compare, Some(20)),
            col(Note, "Ghi chú".into(), None, Some(32)),
        ]
    }
}

/// The roman numeral of `n` (1 → I, 14 → XIV); groups past X are numbered on.
pub fn roman(mut n: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

/// The table of `period`, or `None` when data/bieu.yaml does not exist.
pub fn describe(data: &DataSet, period: Period) -> Option<Table> {
    let spec = data.table.as_ref()?;
    let year = data.year();
    let words = period.words(year);
    let y = year.get();
    let base_title = spec
        .tieu_de
        .as_ref()
        .map(|t| t.0.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| DEFAULT_TITLE.to_string());
    let title = if period == Period::Year {
        format!("{base_title} năm {y} và kế hoạch năm {}", y + 1)
    } else {
        format!("{base_title} {}", words.ten)
    };
    let columns = columns(period, year);
    let mut number = 0;
    let groups = spec
        .nhom
        .iter()
        .enumerate()
        .map(|(i, g)| Group {
            numeral: roman(i + 1),
            name: g.ten.0.clone(),
            rows: g
                .chi_tieu
                .iter()
                .filter_map(|id| data.indicator(&id.0))
                .map(|ind| {
                    number += 1;
                    let view = InPeriod::new(ind, period);
                    Row {
                        number,
                        id: ind.id.0.clone(),
                        cells: columns
                            .iter()
                            .map(|c| cell(&view, c.kind, number))
                            .collect(),
                        illustrative: view.illustrative(),
                    }
                })
                .collect(),
        })
        .collect();
    Some(Table {
        label: "Biểu số 01".into(),
        title,
        header: header_rows(&columns),
        columns,
        groups,
    })
}

/// The cell of `view`'s row in a column of `kind`.
fn cell(view: &InPeriod, kind: ColumnKind, number: usize) -> Cell {
    use ColumnKind::*;
    let ind = view.indicator;
    let figure = view.figure();
    match kind {
        Number => Cell::text(number.to_string()),
        Name => Cell::text(ind.ten.0.clone()),
        Unit => Cell::text(view.unit()),
        Base => view.base().map_or_else(
            || Cell::placeholder_or(view.pending_base(), Cell::missing),
            Cell::figure,
        ),
        Plan => match view.plan() {
            None => Cell::placeholder_or(view.pending_plan(), Cell::missing),
            plan => plan_cell(plan),
        },
        NextPlan => match ind.ke_hoach_nam_sau.as_ref() {
            None => Cell::placeholder_or(view.pending_next_plan(), Cell::missing),
            plan => plan_cell(plan.map(|p| &p.0)),
        },
        Figure => figure.map_or_else(
            || {
                Cell::placeholder_or(view.pending_figure(), || Cell {
                    source: Source::NotDue,
                    ..Cell::text(NOT_DUE)
                })
            },
            Cell::figure,
        ),
        ShareOfPlan if figure.is_some() => percent_cell(
            view.share_of_plan(),
            view.decimals(),
            view.computed_share_of_plan().is_some_and(|r| r.is_ok()),
            Plan,
        ),
        RatioToBase if figure.is_some() => percent_cell(
            view.ratio_to_base(),
            view.decimals(),
            view.computed_ratio_to_base().is_some_and(|r| r.is_ok()),
            Base,
        ),
        ShareOfPlan | RatioToBase => Cell::missing(),
        Note => Cell::text(note(view)),
    }
}

fn plan_cell(plan: Option<&figures::Plan>) -> Cell {
    match plan {
        Some(p @ figures::Plan::Value(n)) => Cell {
            text: figures::plan_display(p),
            ..Cell::figure(n)
        },
        Some(p) => Cell::text(figures::plan_display(p)),
        None => Cell::missing(),
    }
}

/// A % cell at `decimals`: the indicator's `so_thap_phan`, as its sentences print it.
fn percent_cell(r: Derived, decimals: u32, computed: bool, over: ColumnKind) -> Cell {
    match r {
        Ok(v) => Cell {
            text: format::format_number(v, decimals),
            value: Some(v),
            decimals: Some(decimals),
            source: if computed {
                Source::Computed {
                    of: ColumnKind::Figure,
                    over,
                }
            } else {
                Source::Stated
            },
        },
        Err(_) => Cell::missing(),
    }
}

/// The note: the data's own; for a plan of 0 (no share of it) [`ZERO_PLAN_NOTE`]; else "Đạt"
/// for a plan met; at year end "Không đạt" for one
/// missed (mid-year, a figure under the annual plan is not a failure yet: nothing).
fn note(view: &InPeriod) -> String {
    if let Some(t) = view
        .values
        .and_then(|v| v.ghi_chu.as_ref())
        .or(view.indicator.ghi_chu.as_ref())
    {
        return t.0.clone();
    }
    if view.figure().is_some() && view.share_of_plan() == Err(Unavailable::ZeroPlan) {
        return ZERO_PLAN_NOTE.into();
    }
    match view.meets_plan() {
        Some(true) if view.figure().is_some() => "Đạt".into(),
        Some(false) if view.figure().is_some() && view.period == Period::Year => "Không đạt".into(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_go_past_ten() {
        let got: Vec<String> = [1, 4, 9, 10, 11, 14, 40, 49].map(roman).to_vec();
        assert_eq!(got, ["I", "IV", "IX", "X", "XI", "XIV", "XL", "XLIX"]);
    }

    #[test]
    fn columns_follow_the_period() {
        let y = Year::new(2024).unwrap();
        let half: Vec<ColumnKind> = columns(Period::Half, y).iter().map(|c| c.kind).collect();
        use ColumnKind::*;
        assert_eq!(
            half,
            [
                Number,
                Name,
                Unit,
                Plan,
                Figure,
                ShareOfPlan,
                RatioToBase,
                Note
            ]
        );
        let year = columns(Period::Year, y);
        assert_eq!(year.len(), 10);
        assert_eq!(year[3].header, "Thực hiện năm 2023");
        assert_eq!(year[8].header, "Kế hoạch năm 2025");
        assert_eq!(year[6].parent.as_deref(), Some("So sánh (%)"));
        let header = header_rows(&year);
        assert_eq!(header.len(), 2);
        let spans: Vec<(usize, usize)> = header[0].iter().map(|c| (c.colspan, c.rowspan)).collect();
        assert_eq!(
            spans,
            [
                (1, 2),
                (1, 2),
                (1, 2),
                (1, 2),
                (1, 2),
                (1, 2),
                (2, 1),
                (1, 2),
                (1, 2)
            ]
        );
        assert_eq!(header[1].len(), 2);
    }
}
