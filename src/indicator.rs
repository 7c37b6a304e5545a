//! One indicator seen from one period: its figure, its plan and base, and every number derived
//! from them (share of plan, ratio to the base, plan met or not, illustrative or not).
//!
//! This is the only place that chooses between a computed ratio and one the data states, so
//! the sentence of a template, the appendix cell, `check` and every writer agree by
//! construction.

use rust_decimal::Decimal;

use crate::data::{FigureField, Indicator, PeriodValues, RatioKind, StatedRatio};
use crate::figures::{self, Plan};
use crate::format::Number;
use crate::period::Period;

/// Why a derived number cannot be given; each has the words a report prints instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// The period has no figure yet.
    NoFigure,
    /// The indicator has no plan.
    NoPlan,
    /// The plan is a sentence, not a number.
    QualitativePlan,
    /// The plan is 0: no share of it exists.
    ZeroPlan,
    /// No figure of the same period last year.
    NoBase,
    /// The base figure is 0.
    ZeroBase,
    /// The numbers are too large to divide.
    Overflow,
}

impl Unavailable {
    /// The words printed where the number would stand.
    pub fn wording(self) -> &'static str {
        match self {
            Unavailable::NoFigure => figures::NO_FIGURE,
            Unavailable::NoPlan => figures::NO_PLAN,
            Unavailable::QualitativePlan => figures::QUALITATIVE_PLAN,
            Unavailable::ZeroPlan => figures::ZERO_PLAN,
            Unavailable::NoBase => figures::NO_BASE,
            Unavailable::ZeroBase => figures::ZERO_BASE,
            Unavailable::Overflow => figures::OVERFLOW,
        }
    }
}

/// A derived percentage, or why there is none.
pub type Derived = Result<Decimal, Unavailable>;

/// `num / den × 100`, with the reason when there is none.
fn ratio(num: Decimal, den: Decimal, zero: Unavailable) -> Derived {
    if den.is_zero() {
        return Err(zero);
    }
    figures::ratio_pct(num, den).ok_or(Unavailable::Overflow)
}

/// A stated ratio printed for a figure that has changed since it was stated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stale<'a> {
    pub kind: RatioKind,
    pub stated: &'a StatedRatio,
    /// The field it was stated for, and the figure it held then.
    pub field: FigureField,
    pub was: &'a Number,
    /// The figure the field holds now.
    pub now: Option<&'a Number>,
}

/// An indicator in a period.
#[derive(Clone, Copy, Debug)]
pub struct InPeriod<'a> {
    pub indicator: &'a Indicator,
    pub period: Period,
    /// The period's block of figures (`ky.<period>`), if the data has one.
    pub values: Option<&'a PeriodValues>,
}

impl<'a> InPeriod<'a> {
    pub fn new(indicator: &'a Indicator, period: Period) -> Self {
        Self {
            indicator,
            period,
            values: indicator.ky.get(period),
        }
    }

    pub fn id(&self) -> &'a str {
        &self.indicator.id.0
    }

    /// The period's figure: the estimate to the period's end if given, else the result.
    pub fn figure(&self) -> Option<&'a Number> {
        self.values.and_then(|v| v.value())
    }

    pub fn plan(&self) -> Option<&'a Plan> {
        self.indicator.ke_hoach.as_ref().map(|p| &p.0)
    }

    /// The figure of the same period last year (`cung_ky`).
    pub fn base(&self) -> Option<&'a Number> {
        self.values.and_then(|v| v.cung_ky.as_ref()).map(|f| &f.0)
    }

    /// The indicator's decimals for derived numbers (`so_thap_phan`, else 1).
    pub fn decimals(&self) -> u32 {
        self.indicator.so_thap_phan.unwrap_or(1)
    }

    /// The unit (`don_vi`), or "".
    pub fn unit(&self) -> &'a str {
        self.indicator.don_vi.as_ref().map_or("", |u| u.0.as_str())
    }

    /// A rate (unit "%"): changes of it are in percentage points.
    pub fn is_rate(&self) -> bool {
        self.unit().trim() == "%"
    }

    /// The share of plan as the data states it (`so_voi_ke_hoach`).
    pub fn stated_share_of_plan(&self) -> Option<&'a Number> {
        self.stated(RatioKind::ShareOfPlan).map(|r| &r.ratio)
    }

    /// The ratio to the base as the data states it (`so_voi_cung_ky`).
    pub fn stated_ratio_to_base(&self) -> Option<&'a Number> {
        self.stated(RatioKind::ToBase).map(|r| &r.ratio)
    }

    /// A stated ratio with what it was stated for.
    pub fn stated(&self, kind: RatioKind) -> Option<&'a StatedRatio> {
        self.values.and_then(|v| v.stated(kind))
    }

    /// Whether the report prints the stated ratio of `kind` (there is one, and the data gives
    /// no base, or no numeric plan, to compute it from).
    pub fn prints_stated(&self, kind: RatioKind) -> bool {
        self.stated(kind).is_some()
            && match kind {
                RatioKind::ToBase => self.computed_ratio_to_base().is_none(),
                RatioKind::ShareOfPlan => !matches!(self.computed_share_of_plan(), Some(Ok(_))),
            }
    }

    /// The stated ratios the report prints whose figure has changed since they were stated:
    /// the field they were stated for now holds another figure, or none.
    pub fn stale_ratios(&self) -> Vec<Stale<'a>> {
        let Some(values) = self.values else {
            return vec![];
        };
        RatioKind::ALL
            .into_iter()
            .filter(|k| self.prints_stated(*k))
            .filter_map(|kind| {
                let stated = values.stated(kind)?;
                let (field, was) = stated.stated_for.as_ref()?;
                let now = values.get(*field);
                (now.map(|n| n.value) != Some(was.value)).then_some(Stale {
                    kind,
                    stated,
                    field: *field,
                    was,
                    now,
                })
            })
            .collect()
    }

    /// The share of plan computed from the figure and a numeric plan; `None` when either is
    /// missing or the plan is a sentence.
    pub fn computed_share_of_plan(&self) -> Option<Derived> {
        let value = self.figure()?;
        let plan = self.plan()?;
        if matches!(plan, Plan::Text(_)) {
            return None;
        }
        Some(
            figures::share_of_plan(value.value, plan, self.indicator.cao_hon_tot).ok_or(
                if plan_is_zero(plan) {
                    Unavailable::ZeroPlan
                } else {
                    Unavailable::Overflow
                },
            ),
        )
    }

    /// The ratio to the base computed from the figure and `cung_ky`; `None` when either is
    /// missing.
    pub fn computed_ratio_to_base(&self) -> Option<Derived> {
        Some(ratio(
            self.figure()?.value,
            self.base()?.value,
            Unavailable::ZeroBase,
        ))
    }

    /// The share of plan a report prints: computed when the data allows, else as stated.
    pub fn share_of_plan(&self) -> Derived {
        let stated = self.stated_share_of_plan().map(|n| n.value);
        match self.computed_share_of_plan() {
            Some(Ok(v)) => Ok(v),
            Some(Err(why)) => stated.ok_or(why),
            None => stated.ok_or(if self.figure().is_none() {
                Unavailable::NoFigure
            } else {
                match self.plan() {
                    None => Unavailable::NoPlan,
                    Some(_) => Unavailable::QualitativePlan,
                }
            }),
        }
    }

    /// The ratio to the base a report prints: computed when the data gives the base, else as
    /// stated.
    pub fn ratio_to_base(&self) -> Derived {
        match self.computed_ratio_to_base() {
            Some(r) => r,
            None => self.stated_ratio_to_base().map(|n| n.value).ok_or(
                if self.figure().is_none() && self.base().is_some() {
                    Unavailable::NoFigure
                } else {
                    Unavailable::NoBase
                },
            ),
        }
    }

    /// The change of the figure against the base in the figure's own unit (for a rate:
    /// percentage points), figure − base. A stated ratio gives no base, so no points.
    pub fn change_in_points(&self) -> Derived {
        let Some(value) = self.figure() else {
            return Err(if self.base().is_some() {
                Unavailable::NoFigure
            } else {
                Unavailable::NoBase
            });
        };
        let base = self.base().ok_or(Unavailable::NoBase)?;
        value
            .value
            .checked_sub(base.value)
            .ok_or(Unavailable::Overflow)
    }

    /// Whether the figure meets the plan; `None` when that cannot be told. A plan of 0 that
    /// no share can be taken of is not "met" by any figure: its words are
    /// [`Unavailable::ZeroPlan`]'s, never "Đạt".
    pub fn meets_plan(&self) -> Option<bool> {
        let stated = self
            .stated_share_of_plan()
            .map(|n| n.value >= Decimal::ONE_HUNDRED);
        if self.has_zero_plan() {
            return stated;
        }
        match (self.figure(), self.plan()) {
            (Some(v), Some(p)) => {
                figures::meets_plan(v.value, p, self.indicator.cao_hon_tot).or(stated)
            }
            _ => stated,
        }
    }

    /// The placeholder (`«thực hiện»`) written where the period's figure goes, while no
    /// figure is given: the figure is not filled yet.
    pub fn pending_figure(&self) -> Option<String> {
        if self.figure().is_some() {
            return None;
        }
        let p = self.period.key();
        self.indicator
            .placeholder(&["ky", p, "uoc_thuc_hien"])
            .or_else(|| self.indicator.placeholder(&["ky", p, "thuc_hien"]))
    }

    /// The placeholder written as the plan (`ke_hoach: «kế hoạch»`).
    pub fn pending_plan(&self) -> Option<String> {
        self.indicator.placeholder(&["ke_hoach"])
    }

    /// The placeholder written as the base (`cung_ky: «cùng kỳ»`).
    pub fn pending_base(&self) -> Option<String> {
        self.indicator
            .placeholder(&["ky", self.period.key(), "cung_ky"])
    }

    /// The placeholder written as next year's plan.
    pub fn pending_next_plan(&self) -> Option<String> {
        self.indicator.placeholder(&["ke_hoach_nam_sau"])
    }

    /// The plan is 0 where a share of it would be taken (`ke_hoach: 0`, a range whose end
    /// that counts is 0, `tối thiểu 0`): no "đạt …% kế hoạch" exists.
    pub fn has_zero_plan(&self) -> bool {
        self.plan()
            .is_some_and(|p| figures::plan_is_zero_divisor(p, self.indicator.cao_hon_tot))
    }

    /// The figures are illustrative (`minh_hoa: true` on the indicator or its period block).
    pub fn illustrative(&self) -> bool {
        self.indicator.minh_hoa || self.values.is_some_and(|v| v.minh_hoa)
    }
}

fn plan_is_zero(plan: &Plan) -> bool {
    match plan {
        Plan::Value(n) => n.value.is_zero(),
        Plan::Range(a, b) => a.value.is_zero() || b.value.is_zero(),
        Plan::Bound(_, n) => n.value.is_zero(),
        Plan::Text(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(yaml: &str) -> Indicator {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn pct(d: Derived) -> String {
        match d {
            Ok(v) => crate::format::format_number(v, 2),
            Err(why) => why.wording().to_string(),
        }
    }

    #[test]
    fn computed_wins_over_stated_and_stated_fills_in() {
        let i = indicator(
            "id: a\nten: A\nke_hoach: 1.220\nky:\n  6-thang:\n    thuc_hien: 1.146\n    so_voi_ke_hoach: 90\n    so_voi_cung_ky: 94,09\n",
        );
        let v = InPeriod::new(&i, Period::Half);
        assert_eq!(pct(v.share_of_plan()), "93,93");
        assert_eq!(pct(v.ratio_to_base()), "94,09");
        assert_eq!(v.meets_plan(), Some(false));
        assert_eq!(
            pct(InPeriod::new(&i, Period::Year).ratio_to_base()),
            figures::NO_BASE
        );
    }

    #[test]
    fn each_missing_number_has_its_own_reason() {
        let i = indicator(
            "id: a\nten: A\nke_hoach: 0\nky:\n  6-thang:\n    thuc_hien: 5\n    cung_ky: 0\n  9-thang:\n    cung_ky: 4\n",
        );
        let half = InPeriod::new(&i, Period::Half);
        assert_eq!(half.share_of_plan(), Err(Unavailable::ZeroPlan));
        assert_eq!(half.ratio_to_base(), Err(Unavailable::ZeroBase));
        let nine = InPeriod::new(&i, Period::NineMonths);
        assert_eq!(nine.share_of_plan(), Err(Unavailable::NoFigure));
        assert_eq!(nine.ratio_to_base(), Err(Unavailable::NoFigure));
        let text =
            indicator("id: b\nten: B\nke_hoach: Hoàn thành\nky:\n  6-thang:\n    thuc_hien: 5\n");
        assert_eq!(
            InPeriod::new(&text, Period::Half).share_of_plan(),
            Err(Unavailable::QualitativePlan)
        );
        let none = indicator("id: c\nten: C\nky:\n  6-thang:\n    thuc_hien: 5\n");
        assert_eq!(
            InPeriod::new(&none, Period::Half).share_of_plan(),
            Err(Unavailable::NoPlan)
        );
    }

    /// Issue 12, item 4: a plan and no figure for the period is "chưa có số liệu".
    #[test]
    fn a_missing_figure_is_not_a_missing_plan() {
        let i = indicator("id: a\nten: A\nke_hoach: 100\nky:\n  9-thang:\n    thuc_hien: 5\n");
        let half = InPeriod::new(&i, Period::Half);
        assert_eq!(half.share_of_plan(), Err(Unavailable::NoFigure));
        assert_eq!(pct(half.share_of_plan()), figures::NO_FIGURE);
        assert_eq!(half.meets_plan(), None);
    }

    /// Issue 12, item 5: a plan of 0 has no share and is never met; `tối đa 0` is a plan.
    #[test]
    fn a_plan_of_zero_is_never_met() {
        for plan in ["0", "0-5", "tối thiểu 0"] {
            let i = indicator(&format!(
                "id: a\nten: A\nke_hoach: {plan}\nky:\n  6-thang:\n    thuc_hien: 3\n"
            ));
            let v = InPeriod::new(&i, Period::Half);
            assert!(v.has_zero_plan(), "{plan}");
            assert_eq!(v.share_of_plan(), Err(Unavailable::ZeroPlan), "{plan}");
            assert_eq!(v.meets_plan(), None, "{plan}");
        }
        let none = indicator(
            "id: a\nten: A\ncao_hon_tot: false\nke_hoach: tối đa 0\nky:\n  6-thang:\n    thuc_hien: 0\n",
        );
        let v = InPeriod::new(&none, Period::Half);
        assert!(!v.has_zero_plan());
        assert_eq!(v.meets_plan(), Some(true));
        assert_eq!(pct(v.share_of_plan()), "100,00");
    }

    #[test]
    fn overflow_is_not_a_zero_base() {
        let i = indicator(
            "id: a\nten: A\nky:\n  6-thang:\n    thuc_hien: 79.228.162.514.264.337.593.543.950.335\n    cung_ky: 0,001\n",
        );
        assert_eq!(
            InPeriod::new(&i, Period::Half).ratio_to_base(),
            Err(Unavailable::Overflow)
        );
    }

    #[test]
    fn illustrative_on_the_indicator_or_its_block() {
        let i = indicator(
            "id: a\nten: A\nky:\n  quy-1:\n    thuc_hien: 1\n    minh_hoa: true\n  6-thang:\n    thuc_hien: 1\n",
        );
        assert!(InPeriod::new(&i, Period::Quarter1).illustrative());
        assert!(!InPeriod::new(&i, Period::Half).illustrative());
    }
}
