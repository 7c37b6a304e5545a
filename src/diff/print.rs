//! `baocao diff`'s output: the changed figures, then each changed sentence, old and new,
//! stacked or side by side, the changed words marked.

use std::fmt::{self, Write as _};

use super::Report;
use super::sentences::{Op, edit_script};

// Output

const MARK_L: &str = "«";
const MARK_R: &str = "»";

/// The words of `a` and `b` with the runs that differ wrapped in «…».
pub fn mark_words(a: &str, b: &str) -> (String, String) {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    let ops = edit_script(&wa, &wb);
    let (mut oa, mut ob) = (vec![], vec![]);
    let (mut ia, mut ib) = (0, 0);
    let (mut run_a, mut run_b): (Vec<&str>, Vec<&str>) = (vec![], vec![]);
    let close = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if !run.is_empty() {
            out.push(format!("{MARK_L}{}{MARK_R}", run.join(" ")));
            run.clear();
        }
    };
    for op in ops {
        match op {
            Op::Same => {
                close(&mut run_a, &mut oa);
                close(&mut run_b, &mut ob);
                oa.push(wa[ia].to_string());
                ob.push(wb[ib].to_string());
                ia += 1;
                ib += 1;
            }
            Op::Del(i) => {
                run_a.push(wa[i]);
                ia = i + 1;
            }
            Op::Ins(j) => {
                run_b.push(wb[j]);
                ib = j + 1;
            }
        }
    }
    close(&mut run_a, &mut oa);
    close(&mut run_b, &mut ob);
    (oa.join(" "), ob.join(" "))
}

/// How to lay out old and new wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `cũ:` above `mới:`.
    Stacked,
    /// Two columns of this total width.
    SideBySide(usize),
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![];
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let wl = word.chars().count();
        let cl = cur.chars().count();
        if cl > 0 && cl + 1 + wl > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

impl Report {
    pub fn render(&self, layout: Layout) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "so sánh `{}` (cũ) với `{}` (mới), báo cáo kỳ {}",
            self.old, self.new, self.period
        );
        if self.figures.is_empty() {
            let _ = writeln!(s, "\nkhông có số liệu nào thay đổi");
        } else {
            let _ = writeln!(s, "\nsố liệu thay đổi: {}", self.figures.len());
            for f in &self.figures {
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(không có)".into());
                let _ = writeln!(s, "  {}: {} → {}", f.what, show(&f.old), show(&f.new));
                if let Some(loc) = &f.location {
                    let mut loc = loc.clone();
                    if let Ok(rest) = loc.file.strip_prefix(".") {
                        loc.file = rest.to_path_buf();
                    }
                    let _ = writeln!(s, "     --> {loc}");
                }
            }
        }
        if !self.stale.is_empty() {
            // A stated ratio does not follow its figure: the sentence printing it looks settled
            // (its words did not change), so it is named on its own.
            let _ = writeln!(
                s,
                "\n{}: {} (tỷ lệ in trong báo cáo nhưng không tính lại được từ số liệu)",
                crate::stated::DIFF_HEADING,
                self.stale.len()
            );
            for t in &self.stale {
                let _ = writeln!(s, "  {}", t.text);
                if let Some(loc) = &t.location {
                    let mut loc = loc.clone();
                    loc.snippet = None;
                    if let Ok(rest) = loc.file.strip_prefix(".") {
                        loc.file = rest.to_path_buf();
                    }
                    let _ = writeln!(s, "     --> {loc}");
                }
            }
        }
        if self.sentences.is_empty() {
            let _ = writeln!(
                s,
                "\nkhông có câu nào của báo cáo kỳ {} thay đổi",
                self.period
            );
            return s;
        }
        let _ = writeln!(
            s,
            "\ncâu thay đổi trong báo cáo kỳ {}: {} (cần đọc lại trước khi ký)",
            self.period,
            self.sentences.len()
        );
        for (k, c) in self.sentences.iter().enumerate() {
            let place = match &c.location {
                Some((name, line)) => format!("templates/{name}:{line}"),
                None => "(không rõ vị trí)".into(),
            };
            let by = if c.figures.is_empty() {
                String::new()
            } else {
                format!(
                    " (do {})",
                    c.figures
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let _ = writeln!(s, "\n[{}] {place}{by}", k + 1);
            let (old, new) = match (&c.old, &c.new) {
                (Some(a), Some(b)) => mark_words(a, b),
                (a, b) => (
                    a.clone().unwrap_or_else(|| "(không có câu này)".into()),
                    b.clone().unwrap_or_else(|| "(bỏ câu này)".into()),
                ),
            };
            match layout {
                Layout::Stacked => {
                    let _ = writeln!(s, "  cũ:  {old}");
                    let _ = writeln!(s, "  mới: {new}");
                }
                Layout::SideBySide(width) => {
                    let col = (width.saturating_sub(3) / 2).max(20);
                    let l = wrap(&format!("cũ: {old}"), col);
                    let r = wrap(&format!("mới: {new}"), col);
                    for i in 0..l.len().max(r.len()) {
                        let a = l.get(i).map(String::as_str).unwrap_or("");
                        let b = r.get(i).map(String::as_str).unwrap_or("");
                        let pad = col.saturating_sub(a.chars().count());
                        let _ = writeln!(s, "{a}{} │ {b}", " ".repeat(pad));
                    }
                }
            }
        }
        s
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Layout::Stacked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_words_are_marked() {
        let (a, b) = mark_words(
            "đạt 47,13% kế hoạch, tăng 5%",
            "đạt 48,2% kế hoạch, giảm 2%",
        );
        assert_eq!(a, "đạt «47,13%» kế hoạch, «tăng 5%»");
        assert_eq!(b, "đạt «48,2%» kế hoạch, «giảm 2%»");
    }
}
