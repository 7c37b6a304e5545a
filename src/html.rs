//! The web copy: one self-contained HTML file from the same data, templates and markup as the
//! PDF, through Typst's HTML target (typst-html). templates/nd30.typ branches on `target()`
//! where the HTML export would drop what the paper layout uses (grid, place, line, spacing,
//! align); the prose is the same markup, never a second copy.
//!
//! The file: `<html lang="vi">`, `<title>` (the PDF's title), Typst's viewport meta, one
//! `<style>` pushed last into `<head>` (built here from the decree's table, `nd30`), no
//! script, no image, no font or other request: the only links are the `<a href>` the
//! templates write (the legal texts cited in footnotes) and the footnotes' `#` links.
//!
//! What each element means (for readers of the tree, such as a DOCX writer walking
//! [`typst_html::HtmlDocument`]; classes are on the elements nd30.typ makes):
//!
//! | element | class | meaning |
//! |---|---|---|
//! | `p` | `nd30-du-thao` | the DỰ THẢO mark of a draft, first in `<body>` |
//! | `div` | `nd30-tieu-de` | the first-page header: four cells in the decree's two columns |
//! | `p` | `nd30-co-quan` | left, row 1: parent agency lines, then the issuing agency in `<strong>` (`span.nd30-gach` has the short rule under it); lines split by `<br>` |
//! | `p` | `nd30-quoc-hieu` | right, row 1: Quốc hiệu `<strong>`, `<br>`, Tiêu ngữ in `<strong><span class="nd30-gach">` |
//! | `p` | `nd30-so` | left, row 2: "Số: …" |
//! | `p` | `nd30-ngay` | right, row 2: place and date in `<em>` |
//! | `h1` | `nd30-ten-van-ban` | "BÁO CÁO" (`span.nd30-loai`), `<br>`, the trích yếu (`span.nd30-trich-yeu`) |
//! | `h2` | `nd30-phan` | "Phần thứ …", `<br>`, its title in capitals |
//! | `h3` | `nd30-muc` | "I. TITLE" |
//! | `h4` | `nd30-khoan` | "1. Title" on its own line |
//! | `h5` | `nd30-tieu-khoan` | "1.1. Title" on its own line (italic on paper) |
//! | `strong` | `nd30-khoan` | a run-in "1. Title" inside its paragraph |
//! | `strong` | `nd30-tieu-khoan` | a run-in "1.1. Title", its text in `<em>` |
//! | `strong` | `nd30-diem` | a run-in "a) Title", its text in `<em>`; italic, not bold, on paper (the CSS keeps that) |
//! | `p` | (none) | a body paragraph, first line indented; "- " and "+ " lines are paragraphs too |
//! | `p` | `nd30-loi-ket` | the closing sentence "Trên đây là … ./." |
//! | `div` | `nd30-ky-nhan` | Nơi nhận and the signature, side by side |
//! | `div` | `nd30-noi-nhan` | "Nơi nhận:" (`p.nd30-noi-nhan-tieu-de`), then one `p` a recipient, "- Lưu: …" last |
//! | `div` | `nd30-chu-ky` | `p.nd30-quyen-han` (authority and title lines in `<strong>`, `<br>` between), `p.nd30-ho-ten` (the signer's name, `<strong>`; absent when blank) |
//! | `section` | `nd30-phu-luc` | an appendix: `p.nd30-bieu-so` ("Biểu số 01"), `h2.nd30-bieu-ten` (title), `p.nd30-kem-theo` (`<em>`), then `div.nd30-bieu` holding the `<table>` |
//! | `table` | (in `div.nd30-bieu`) | `<thead>` of `<th>` (colspan, rowspan kept), `<tbody>` rows; a group row's cells are `<strong>` and its name cell spans the other columns |
//! | `sup` | role `doc-noteref` | a footnote mark: `<a href="#…">n</a>` to its note |
//! | `section` | role `doc-endnotes` | the footnotes, last in `<body>`: an `<ol>` of `<li id="…">`, each starting with its back link (`sup` role `doc-backlink`) |
//! | `a` | (none) | a link the templates wrote (`#link`) |

use typst::ecow::eco_vec;
use typst::syntax::Span;
use typst_html::{HtmlElement, HtmlNode, HtmlOptions, tag};

use crate::diag::{Error, Result};
use crate::export::Sources;
use crate::nd30::Nd30;

/// The HTML copy's bytes: the report's HTML tree with its style sheet, encoded.
pub fn export(sources: &Sources) -> Result<Vec<u8>> {
    let mut doc = sources.html_document()?.clone();
    // Last, after Typst has finished with the tree (as typst-html's own document.rs adds its
    // equation styles): mutating the root may desynchronise the introspector (typst#7951),
    // which encoding no longer needs for anything but the links Typst already resolved.
    let head = doc
        .root_mut()
        .children
        .make_mut()
        .iter_mut()
        .find_map(|node| match node {
            HtmlNode::Element(elem) if elem.tag == tag::head => Some(elem),
            _ => None,
        })
        .ok_or_else(|| Error::msg("bản HTML: Typst không tạo phần `<head>`"))?;
    head.children.push(
        HtmlElement::new(tag::style)
            .with_children(eco_vec![HtmlNode::Text(
                stylesheet(&sources.layout.nd30).into(),
                Span::detached(),
            )])
            .into(),
    );
    let text = typst_html::html(&doc, &HtmlOptions { pretty: true }).map_err(|errs| {
        Error(
            errs.iter()
                .map(|d| crate::diag::Diagnostic::error(format!("bản HTML: {}", d.message)))
                .collect(),
        )
    })?;
    Ok(text.into_bytes())
}

/// Millimetres as ems of the body text (`than` points).
fn em(mm: f64, nd30: &Nd30) -> String {
    const MM_PER_PT: f64 = 25.4 / 72.0;
    format!("{:.3}em", mm / (nd30.co_chu.than * MM_PER_PT))
}

/// A size in points as a fraction of the body's.
fn rel(pt: f64, nd30: &Nd30) -> String {
    format!("{:.3}em", pt / nd30.co_chu.than)
}

/// The style sheet: the paper's proportions (sizes, indent, the header grid, the rules under
/// the agency, the Tiêu ngữ and the trích yếu) from the decree's table, on a screen: the text
/// as wide as the paper's text block at most, the appendix's table scrolling sideways on a
/// phone. No web font: the faces the reader has that match Times New Roman.
pub fn stylesheet(nd30: &Nd30) -> String {
    let s = &nd30.co_chu;
    let net = &nd30.net_ke;
    let g = &nd30.luoi;
    format!(
        r#"
:root {{ color-scheme: light; }}
body {{
  font-family: "Times New Roman", "Liberation Serif", Tinos, "Noto Serif", serif;
  font-size: 1.0625rem; line-height: 1.5; color: #000; background: #fff;
  max-width: {width:.0}mm; margin: 0 auto; padding: 1rem 1rem 3rem;
}}
p {{ margin: {par} 0; text-align: justify; text-indent: {indent}; hyphens: none; }}
a {{ color: #0645ad; }}
h1, h2, h3, h4, h5 {{ font-size: 1em; line-height: 1.35; margin: 1.2em 0 {par}; }}
h1, h2, .nd30-tieu-de p, .nd30-chu-ky p, .nd30-phu-luc > p {{ text-align: center; text-indent: 0; }}
h2 {{ margin-top: 2em; }}
h3, h4, h5 {{ text-indent: {indent}; }}
h5, .nd30-tieu-khoan {{ font-style: italic; }}
.nd30-diem {{ font-weight: normal; }}
.nd30-du-thao {{
  position: sticky; top: 0; z-index: 1; margin: 0 0 1rem; padding: .3em;
  text-align: center; text-indent: 0; font-weight: bold; letter-spacing: .3em;
  color: #b00; background: #fff; border: 2px solid #b00;
}}
.nd30-tieu-de {{
  display: grid; grid-template-columns: {left}fr {right}fr; column-gap: 1em; row-gap: .6em;
  align-items: start; margin-bottom: 1.5em;
}}
.nd30-tieu-de p {{ margin: 0; line-height: 1.3; }}
.nd30-co-quan {{ font-size: {co_quan}; }}
.nd30-quoc-hieu {{ font-size: {quoc_hieu}; }}
.nd30-quoc-hieu .nd30-gach {{ font-size: {tieu_ngu_in_quoc_hieu:.3}em; }}
.nd30-so {{ font-size: {so}; }}
.nd30-ngay {{ font-size: {ngay}; }}
.nd30-gach {{ display: inline-block; }}
.nd30-gach::after {{
  content: ""; display: block; margin: .25em auto 0; border-top: {rule}pt solid currentColor;
}}
.nd30-co-quan .nd30-gach::after {{ width: {rule_co_quan:.0}%; }}
.nd30-quoc-hieu .nd30-gach::after {{ width: {rule_tieu_ngu:.0}%; }}
.nd30-trich-yeu {{ display: inline-block; max-width: 88%; }}
.nd30-trich-yeu::after {{
  content: ""; display: block; width: {rule_trich_yeu:.0}%; margin: .3em auto 0;
  border-top: {rule}pt solid currentColor;
}}
.nd30-ky-nhan {{
  display: grid; grid-template-columns: {left}fr {right}fr; column-gap: 1em;
  align-items: start; margin-top: 2em;
}}
.nd30-noi-nhan p {{ margin: 0; text-indent: 0; text-align: left; font-size: {noi_nhan_muc}; line-height: 1.3; }}
.nd30-noi-nhan p.nd30-noi-nhan-tieu-de {{ font-size: {noi_nhan}; font-weight: bold; font-style: italic; }}
.nd30-chu-ky {{ font-size: {chu_ky}; }}
.nd30-chu-ky p {{ margin: 0; line-height: 1.3; }}
.nd30-chu-ky .nd30-ho-ten {{ margin-top: {khoang_ky}; }}
.nd30-phu-luc {{ margin-top: 3em; border-top: 1px solid #999; padding-top: 1em; }}
.nd30-phu-luc > p, .nd30-bieu-ten {{ margin: .2em 0; font-size: {phu_luc}; }}
.nd30-kem-theo::after {{
  content: ""; display: block; width: {net_kem_theo}; margin: .3em auto 0;
  border-top: {rule}pt solid currentColor;
}}
.nd30-bieu {{ overflow-x: auto; margin: 1em 0; }}
.nd30-bieu table {{ border-collapse: collapse; min-width: 40em; font-size: {bang}; line-height: 1.3; }}
.nd30-bieu th, .nd30-bieu td {{ border: 1px solid #000; padding: .25em .4em; text-align: center; vertical-align: middle; }}
.nd30-bieu td:nth-child(2) {{ text-align: left; min-width: 14em; }}
.nd30-bieu td:last-child {{ min-width: 6em; }}
.nd30-bieu p {{ margin: 0; text-indent: 0; text-align: inherit; }}
section[role="doc-endnotes"] {{ margin-top: 2em; border-top: 1px solid #000; font-size: {chu_thich}; }}
section[role="doc-endnotes"] ol {{ padding-left: 0; }}
section[role="doc-endnotes"] li {{ margin: .4em 0; }}
section[role="doc-endnotes"] p {{ display: inline; text-indent: 0; }}
sup {{ line-height: 0; }}
sup a {{ text-decoration: none; }}
@media (max-width: 34rem) {{
  body {{ padding: .5rem .75rem 2rem; font-size: 1rem; }}
  p, h3, h4, h5 {{ text-indent: {indent_phone}; }}
  .nd30-tieu-de, .nd30-ky-nhan {{ grid-template-columns: 1fr; }}
  .nd30-ky-nhan .nd30-chu-ky {{ order: -1; margin-bottom: 1.5em; }}
}}
@media print {{
  body {{ max-width: none; padding: 0; }}
  .nd30-du-thao {{ position: static; }}
  .nd30-bieu {{ overflow: visible; }}
}}
"#,
        width = nd30.text_width(),
        par = rel(nd30.doan.cach_doan, nd30),
        indent = em(nd30.doan.thut_dau_dong, nd30),
        indent_phone = em(nd30.doan.thut_dau_dong / 2.0, nd30),
        left = g.trai,
        right = g.phai,
        co_quan = rel(s.co_quan, nd30),
        quoc_hieu = rel(s.quoc_hieu, nd30),
        tieu_ngu_in_quoc_hieu = s.tieu_ngu / s.quoc_hieu,
        so = rel(s.so_ky_hieu, nd30),
        ngay = rel(s.dia_danh_ngay, nd30),
        chu_ky = rel(s.chu_ky, nd30),
        noi_nhan = rel(s.noi_nhan, nd30),
        noi_nhan_muc = rel(s.noi_nhan_muc, nd30),
        chu_thich = rel(s.chu_thich, nd30),
        rule = net.net,
        rule_co_quan = net.co_quan * 100.0,
        rule_tieu_ngu = net.tieu_ngu * 100.0,
        rule_trich_yeu = net.trich_yeu * 100.0,
        khoang_ky = em(g.khoang_ky, nd30),
        phu_luc = rel(nd30.phu_luc.tieu_de, nd30),
        net_kem_theo = em(nd30.phu_luc.net_kem_theo, nd30),
        bang = rel(nd30.phu_luc.bang, nd30),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nd30::ND30;

    #[test]
    fn the_style_sheet_takes_the_decrees_numbers_and_fetches_nothing() {
        let css = stylesheet(&ND30);
        // The header and signature grid (6,5 cm + 10 cm), the paper's text width.
        assert_eq!(css.matches("grid-template-columns: 65fr 100fr").count(), 2);
        assert!(css.contains("max-width: 165mm"));
        // 10 mm of indent at 14 pt: 2,025 em; 6 pt between paragraphs: 0,429 em.
        assert!(css.contains("text-indent: 2.025em"));
        assert!(css.contains("margin: 0.429em 0"));
        // The rules: 2/5 of the agency's name and of the trích yếu, all of the Tiêu ngữ.
        assert!(css.contains(".nd30-co-quan .nd30-gach::after { width: 40%; }"));
        assert!(css.contains(".nd30-quoc-hieu .nd30-gach::after { width: 100%; }"));
        // Nơi nhận 12 pt, its items 11 pt, of the body's 14.
        assert!(css.contains("font-size: 0.857em; font-weight: bold; font-style: italic;"));
        // Nothing that would make the browser fetch anything.
        for fetch in ["url(", "@import", "@font-face", "http"] {
            assert!(!css.contains(fetch), "{fetch}");
        }
    }
}
