//! The decree's numbers: the presentation rules of Nghị định 30/2020/NĐ-CP, Phụ lục I, for a
//! báo cáo, as one table ([`ND30`]). templates/nd30.typ receives it as data (the `nd30` key of
//! the JSON that `document` serves) and types none of these numbers itself; a writer of another
//! format (DOCX) reads the same table.
//!
//! Keys reach Typst in kebab-case (`co_chu.quoc_hieu` is `nd30.co-chu.quoc-hieu`). Units are in
//! the fields' documentation: lengths in millimetres, font sizes in points,
//! ratios as fractions. Where the decree gives a range, the value is the one this report uses
//! (the 13/14/14 size set of [PL1 V]); where it gives nothing, the value is a house choice and
//! says so. Tags refer to ../shared/docs/nd30-format.md.

use serde::Serialize;

/// Margins of a page, in millimetres.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Margins {
    pub tren: f64,
    pub duoi: f64,
    pub trai: f64,
    pub phai: f64,
}

/// Font sizes, in points.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Sizes {
    /// Body text, headings, BÁO CÁO and trích yếu: 13-14 [PL1 II.5b, II.6e].
    pub than: f64,
    /// Quốc hiệu: 12-13, bold [PL1 II.1a].
    pub quoc_hieu: f64,
    /// Tiêu ngữ: 13-14, bold [PL1 II.1b].
    pub tieu_ngu: f64,
    /// Agency names, parent and issuing: 12-13 [PL1 II.2].
    pub co_quan: f64,
    /// "Số: …/BC-…": 13 [PL1 II.3].
    pub so_ky_hieu: f64,
    /// Place and date: 13-14, italic, the size of the Tiêu ngữ [PL1 II.4, V].
    pub dia_danh_ngay: f64,
    /// Quyền hạn, chức vụ and name of the signer: 13-14, bold [PL1 II.7].
    pub chu_ky: f64,
    /// "Nơi nhận:": 12, bold italic [PL1 II.9d].
    pub noi_nhan: f64,
    /// The recipients and "- Lưu: …": 11 [PL1 II.9d].
    pub noi_nhan_muc: f64,
    /// Page numbers: 13-14 [PL1 I.7].
    pub so_trang: f64,
    /// Footnotes: no rule in the decree; house choice.
    pub chu_thich: f64,
}

/// Paragraphs of the body [PL1 II.6e].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Paragraph {
    /// First-line indent, mm: 10 or 12,7.
    pub thut_dau_dong: f64,
    /// Space between paragraphs on top of the leading, pt: at least 6.
    pub cach_doan: f64,
    /// Leading (gap between lines), em: about 1,2 lines; single is about 0,5 em, 1,5 lines
    /// about 1,06 em.
    pub gian_dong: f64,
}

/// The drawn lines (never a text underline).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Rules {
    /// Stroke, pt: not given by the decree; house choice.
    pub net: f64,
    /// Under the Tiêu ngữ, as a fraction of its text: as long as the text [PL1 II.1b].
    pub tieu_ngu: f64,
    /// Under the issuing agency's name, as a fraction of its widest line: 1/3-1/2 [PL1 II.2b].
    pub co_quan: f64,
    /// Under the trích yếu, as a fraction of its widest line: 1/3-1/2 [PL1 II.5b].
    pub trich_yeu: f64,
}

/// The two-column grid of the first-page header, which also holds Nơi nhận (left) and the
/// signature (right): the official samples' 6,5 cm + 10 cm for 30/15 mm margins
/// (../shared/docs/office-formats.md §1); together the text width.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Grid {
    /// Left column (agency, Số, Nơi nhận), mm.
    pub trai: f64,
    /// Right column (Quốc hiệu, Tiêu ngữ, place and date, signature), mm.
    pub phai: f64,
    /// Room for the handwritten signature between the titles and the name, mm: not given by
    /// the decree; house choice (about four lines).
    pub khoang_ky: f64,
}

/// An appendix (biểu) page [PL1 III.1].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Appendix {
    /// Landscape: common practice for a wide table, no rule [PL1 I.2].
    pub ngang: bool,
    /// Margins of a landscape appendix page, mm: house choice.
    pub le: Margins,
    /// Size of the appendix's title lines, pt: 13-14 [PL1 V].
    pub tieu_de: f64,
    /// Size of the table text, pt: no rule; 11-13 in practice.
    pub bang: f64,
    /// The short line under "(Kèm theo …)", mm [PL3 Mẫu 2.1]: house length.
    pub net_kem_theo: f64,
}

/// The whole table.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Nd30 {
    /// Paper, as Typst names it: A4 [PL1 I.1].
    pub kho_giay: &'static str,
    /// Portrait pages: top and bottom 20-25, left 30-35, right 15-20 mm [PL1 I.3].
    pub le: Margins,
    pub co_chu: Sizes,
    pub doan: Paragraph,
    pub net_ke: Rules,
    pub luoi: Grid,
    pub phu_luc: Appendix,
}

/// The numbers this report is laid out with.
pub const ND30: Nd30 = Nd30 {
    kho_giay: "a4",
    le: Margins {
        tren: 20.0,
        duoi: 20.0,
        trai: 30.0,
        phai: 15.0,
    },
    co_chu: Sizes {
        than: 14.0,
        quoc_hieu: 13.0,
        tieu_ngu: 14.0,
        co_quan: 13.0,
        so_ky_hieu: 13.0,
        dia_danh_ngay: 14.0,
        chu_ky: 14.0,
        noi_nhan: 12.0,
        noi_nhan_muc: 11.0,
        so_trang: 14.0,
        chu_thich: 11.0,
    },
    doan: Paragraph {
        thut_dau_dong: 10.0,
        cach_doan: 6.0,
        gian_dong: 0.6,
    },
    net_ke: Rules {
        net: 0.6,
        tieu_ngu: 1.0,
        co_quan: 0.4,
        trich_yeu: 0.4,
    },
    luoi: Grid {
        trai: 65.0,
        phai: 100.0,
        khoang_ky: 32.0,
    },
    phu_luc: Appendix {
        ngang: true,
        le: Margins {
            tren: 20.0,
            duoi: 20.0,
            trai: 20.0,
            phai: 20.0,
        },
        tieu_de: 14.0,
        bang: 11.0,
        net_kem_theo: 40.0,
    },
};

/// A4 width, mm.
pub const A4_WIDTH_MM: f64 = 210.0;

impl Nd30 {
    /// Width of the text block of a portrait page, mm.
    pub fn text_width(&self) -> f64 {
        A4_WIDTH_MM - self.le.trai - self.le.phai
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within(v: f64, lo: f64, hi: f64) -> bool {
        (lo..=hi).contains(&v)
    }

    #[test]
    fn the_table_keeps_the_decrees_ranges() {
        let t = ND30;
        assert!(within(t.le.tren, 20.0, 25.0) && within(t.le.duoi, 20.0, 25.0));
        assert!(within(t.le.trai, 30.0, 35.0) && within(t.le.phai, 15.0, 20.0));
        let s = t.co_chu;
        for v in [s.than, s.tieu_ngu, s.dia_danh_ngay, s.chu_ky, s.so_trang] {
            assert!(within(v, 13.0, 14.0), "{v}");
        }
        assert!(within(s.quoc_hieu, 12.0, 13.0) && within(s.co_quan, 12.0, 13.0));
        assert_eq!(
            (s.so_ky_hieu, s.noi_nhan, s.noi_nhan_muc),
            (13.0, 12.0, 11.0)
        );
        // One size set: Quốc hiệu 13 goes with Tiêu ngữ and date 14 (or 12 with 13).
        assert_eq!(s.tieu_ngu, s.quoc_hieu + 1.0);
        assert_eq!(s.dia_danh_ngay, s.tieu_ngu);
        assert!(t.doan.thut_dau_dong == 10.0 || t.doan.thut_dau_dong == 12.7);
        assert!(t.doan.cach_doan >= 6.0);
        assert_eq!(t.net_ke.tieu_ngu, 1.0);
        for r in [t.net_ke.co_quan, t.net_ke.trich_yeu] {
            assert!(within(r, 1.0 / 3.0, 0.5), "{r}");
        }
    }

    #[test]
    fn the_grid_fills_the_text_width() {
        let t = ND30;
        assert_eq!(t.luoi.trai + t.luoi.phai, t.text_width());
        // The Quốc hiệu (9,57 cm at 13 pt bold) fits the right column on one line.
        assert!(t.luoi.phai >= 96.0);
    }

    #[test]
    fn it_serialises_with_the_keys_nd30_typ_reads() {
        let v = serde_json::to_value(ND30).unwrap();
        assert_eq!(v["le"]["trai"], 30.0);
        assert_eq!(v["co-chu"]["quoc-hieu"], 13.0);
        assert_eq!(v["luoi"]["phai"], 100.0);
        assert_eq!(v["phu-luc"]["ngang"], true);
    }
}
