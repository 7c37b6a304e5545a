//! Command-line interface (clap derive); help and messages in Vietnamese.

use std::path::PathBuf;

use clap::builder::NonEmptyStringValueParser;
use clap::{Args, Parser, Subcommand};

use crate::budget;
use crate::diag::Format;
use crate::export;
use crate::init::Signer;
use crate::period::{Period, Year};

#[derive(Parser, Debug)]
#[command(
    name = "baocao",
    version,
    about = "Dàn trang báo cáo kinh tế - xã hội của Ủy ban nhân dân ra PDF (và bản HTML), theo Nghị định 30/2020/NĐ-CP",
    long_about = None,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    override_usage = "baocao <LỆNH> [TÙY_CHỌN]",
    help_template = "{about}\n\nCách dùng: {usage}\n\nLệnh:\n{subcommands}\n\nTùy chọn:\n{options}\n"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// In hướng dẫn sử dụng
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// In số phiên bản
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Dựng báo cáo ra PDF, HTML (mặc định: output/bao-cao-<kỳ>-<năm>.pdf)
    #[command(help_template = SUB_TEMPLATE, override_usage = "baocao build [TÙY_CHỌN]")]
    Build(BuildArgs),
    /// Kiểm tra số liệu và mẫu, không dàn trang; liệt kê mọi lỗi và cảnh báo
    #[command(help_template = SUB_TEMPLATE, override_usage = "baocao check [TÙY_CHỌN]")]
    Check(CheckArgs),
    /// Theo dõi data/, templates/, fonts/ và dựng lại mỗi khi có thay đổi (Ctrl+C để dừng)
    #[command(help_template = SUB_TEMPLATE, override_usage = "baocao watch [TÙY_CHỌN]")]
    Watch(WatchArgs),
    /// So sánh hai bộ số liệu: số liệu nào đổi và câu nào của báo cáo đổi theo
    #[command(
        help_template = POS_TEMPLATE,
        long_about = DIFF_LONG,
        override_usage = "baocao diff [TÙY_CHỌN] <CŨ> [MỚI]"
    )]
    Diff(DiffArgs),
    /// Tạo bảng tính Excel để các phòng, ban điền số liệu của một kỳ
    #[command(
        help_template = POS_TEMPLATE,
        long_about = FORM_LONG,
        override_usage = "baocao form [TÙY_CHỌN] <TỆP.xlsx>"
    )]
    Form(FormArgs),
    /// Nhập số liệu từ bảng tính Excel (phiếu đã điền, biểu, hay bảng tính khác) vào data/
    #[command(
        help_template = POS_TEMPLATE,
        long_about = IMPORT_LONG,
        override_usage = "baocao import [TÙY_CHỌN] <TỆP.xlsx>"
    )]
    Import(ImportArgs),
    /// Tạo thư mục báo cáo mới dựng được ngay: báo cáo mẫu, hoặc khung trống cho đơn vị (--blank)
    #[command(
        help_template = POS_TEMPLATE,
        override_usage = "baocao init [TÙY_CHỌN] <THƯ_MỤC>"
    )]
    Init(InitArgs),
    /// (ẩn) đo thời gian dựng lại sau khi đổi một số liệu, như `watch`; dùng cho tests/bench
    #[command(hide = true)]
    BenchRebuild(BenchRebuildArgs),
    /// (ẩn) tiến trình dựng của `watch`: nhận yêu cầu dựng lại qua stdin, trả kết quả qua stdout
    #[command(hide = true)]
    WatchWorker(WatchWorkerArgs),
}

const DIFF_LONG: &str = "So sánh hai bộ số liệu: số liệu nào đổi, từ bao nhiêu thành bao nhiêu, \
và câu nào của báo cáo đổi theo (lời văn cũ và mới), để người duyệt biết phải đọc lại những câu nào.

CŨ và MỚI là: một thư mục báo cáo (có data/), một thư mục data/, một tệp YAML (thay tệp cùng tên \
trong data/ của thư mục báo cáo), hoặc một phiên bản git của data/ (`git:REV`, hoặc `HEAD~1`, \
tên nhánh, tên thẻ). Cả hai bản được dựng với cùng mẫu (templates/ của thư mục báo cáo).

Ví dụ:
  baocao diff HEAD~1              so với lần ghi git trước (MỚI mặc định là thư mục báo cáo)
  baocao diff git:v1 git:v2       giữa hai phiên bản git
  baocao diff ../ban-cu/data .    giữa hai thư mục
  baocao diff cu.yaml data/chi-tieu/kinh-te.yaml";

const FORM_LONG: &str = "Tạo bảng tính Excel để các phòng, ban điền số liệu của một kỳ: mỗi tệp \
data/chi-tieu một trang (mỗi chỉ tiêu một dòng, thành phần \"Trong đó\" mỗi thành phần một dòng), \
mỗi tệp data/so-lieu một trang (khóa, mô tả, giá trị). Số hiện có được điền sẵn; ô số có nền vàng, \
chỉ nhận số, có ghi chú đơn vị tính; các trang được khóa, trừ ô nhập. Một trang ẩn ghi kỳ, năm và \
mã các chỉ tiêu, để `baocao import` biết phiếu thuộc kỳ nào.

Ví dụ:
  baocao form so-lieu-6-thang.xlsx
  baocao form --period 9-thang so-lieu-9-thang.xlsx";

const IMPORT_LONG: &str = "Nhập số liệu từ bảng tính Excel vào data/: phiếu do `baocao form` tạo, \
biểu do baocao xuất, hay một bảng tính khác có cột mã chỉ tiêu (hay tên chỉ tiêu) và cột số liệu.

Kiểm tra hết trước, ghi sau: một ô sai (số viết kiểu Anh `2976.4`, số âm ở chỉ tiêu không thể âm, \
mã chỉ tiêu không có) thì không ghi gì, và mọi ô sai được kể ra cùng lúc (trang!ô). Số mới được \
ghi tại chỗ vào YAML (chú thích, thứ tự, dòng trống giữ nguyên), số bằng số cũ không đổi; số liệu \
khác của riêng một kỳ ghi vào data/ky/<kỳ>/so-lieu/. Kết quả in như `baocao diff`: số nào đổi và \
câu nào của báo cáo đổi theo.

Kỳ của số liệu là kỳ ghi trong phiếu (trang ẩn); `--period` khác kỳ đó là lỗi. Bảng tính không do \
baocao tạo thì phải ghi `--period`.

Ví dụ:
  baocao import so-lieu-6-thang.xlsx
  baocao import --dry-run so-lieu-6-thang.xlsx      xem trước, không ghi
  baocao import --period 6-thang bang-cua-phong.xlsx";

const SUB_TEMPLATE: &str = "{about}\n\nCách dùng: {usage}\n\nTùy chọn:\n{options}\n";
const POS_TEMPLATE: &str =
    "{about}\n\nCách dùng: {usage}\n\nĐối số:\n{positionals}\n\nTùy chọn:\n{options}\n";

#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// Thư mục báo cáo, chứa data/, templates/, fonts/ (mặc định: thư mục hiện tại)
    #[arg(
        long,
        value_name = "THƯ_MỤC",
        default_value = ".",
        hide_default_value = true
    )]
    pub root: PathBuf,
    /// Kỳ báo cáo: quy-1, 6-thang, 9-thang, ca-nam (mặc định: kỳ ghi trong data/bao-cao.yaml)
    #[arg(long, value_enum, value_name = "KỲ", hide_possible_values = true)]
    pub period: Option<Period>,
}

/// What a command that renders templates may spend before it stops with an error (`budget`);
/// 0: no limit.
#[derive(Args, Debug, Clone)]
pub struct LimitArgs {
    /// Giới hạn thời gian của lệnh (với `watch`: của mỗi lần dựng), giây (mặc định 120; 0: không giới hạn)
    #[arg(long, value_name = "GIÂY", default_value_t = budget::DEFAULT_TIME_SECS, hide_default_value = true)]
    pub time_limit: u64,
    /// Giới hạn bộ nhớ cấp phát, MiB (mặc định 2048; 0: không giới hạn)
    #[arg(long, value_name = "MiB", default_value_t = budget::DEFAULT_MEMORY_MIB, hide_default_value = true)]
    pub memory_limit: u64,
    /// Giới hạn số bước khi dựng lời văn từ mẫu (fuel của minijinja; mặc định 10.000.000; 0: không giới hạn)
    #[arg(long, value_name = "SỐ", default_value_t = budget::DEFAULT_FUEL, hide_default_value = true)]
    pub template_fuel: u64,
    /// Giới hạn cỡ mã Typst dựng từ mẫu, MiB (mặc định 16; 0: không giới hạn)
    #[arg(long, value_name = "MiB", default_value_t = budget::DEFAULT_MARKUP_MIB, hide_default_value = true)]
    pub markup_limit: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> budget::Limits {
        budget::Limits::from_options(
            self.time_limit,
            self.memory_limit,
            self.template_fuel,
            self.markup_limit,
        )
    }
}

impl Command {
    /// The budgets asked for, for the commands that render templates (`form` and `init`
    /// render none).
    pub fn limits(&self) -> Option<budget::Limits> {
        let limits = match self {
            Command::Build(a) => &a.limits,
            Command::Check(a) => &a.limits,
            Command::Watch(a) => &a.limits,
            Command::Diff(a) => &a.limits,
            Command::Import(a) => &a.limits,
            Command::BenchRebuild(a) => &a.limits,
            // A worker's budgets come with its setup, from the watch.
            Command::Form(_) | Command::Init(_) | Command::WatchWorker(_) => return None,
        };
        Some(limits.limits())
    }

    /// The output options (`build`, `watch`, `bench-rebuild`).
    pub fn output_args(&self) -> Option<&OutputArgs> {
        match self {
            Command::Build(a) => Some(&a.out),
            Command::Watch(a) => Some(&a.out),
            Command::BenchRebuild(a) => Some(&a.out),
            _ => None,
        }
    }

    /// The diagnostic format asked for (`human` for the commands without the option).
    pub fn diagnostic_format(&self) -> Format {
        match self {
            Command::Build(a) => a.diagnostics.diagnostic_format,
            Command::Check(a) => a.diagnostics.diagnostic_format,
            Command::Watch(a) => a.diagnostics.diagnostic_format,
            Command::WatchWorker(a) => a.diagnostics.diagnostic_format,
            _ => Format::Human,
        }
    }
}

/// How errors and warnings are printed (`build`, `check`, `watch`).
#[derive(Args, Debug, Clone)]
pub struct DiagnosticArgs {
    /// Cách in lỗi và cảnh báo: `human` (mặc định: kèm dòng nguồn và dấu ^) hoặc `short` (mỗi lỗi một dòng `tệp:dòng:cột: lỗi: …`, cho trình soạn thảo)
    #[arg(
        long,
        value_enum,
        value_name = "DẠNG",
        default_value = "human",
        hide_default_value = true,
        hide_possible_values = true
    )]
    pub diagnostic_format: Format,
}

/// What a build writes (`build`, `watch`).
#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Định dạng cần dựng, cách nhau bởi dấu phẩy: pdf, html, xlsx (biểu kèm theo), docx (bản Word) (mặc định: pdf), ví dụ `--format pdf,docx`
    #[arg(
        long = "format",
        value_enum,
        value_name = "ĐỊNH_DẠNG",
        value_delimiter = ',',
        hide_possible_values = true
    )]
    pub formats: Vec<export::Format>,
    /// Tệp đầu ra (chỉ khi dựng một định dạng; đuôi tệp phải đúng định dạng)
    #[arg(short, long, value_name = "TỆP")]
    pub output: Option<PathBuf>,
    /// Ghi PDF theo chuẩn lưu trữ PDF/A-2b (TCVN 14159-2:2024, ISO 19005-2)
    #[arg(long)]
    pub pdf_a: bool,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Ghi thêm mã Typst đã dàn trang ra tệp này (một tệp tự đủ, typst CLI dịch được)
    #[arg(long, value_name = "TỆP")]
    pub emit_typst: Option<PathBuf>,
    /// Thư mục phông chữ bổ sung (ví dụ phông Times New Roman thật)
    #[arg(long, value_name = "THƯ_MỤC")]
    pub font_dir: Vec<PathBuf>,
    /// Dựng mọi kỳ mà dữ liệu khai báo
    #[arg(long, conflicts_with_all = ["period", "output"])]
    pub all_periods: bool,
    /// (ẩn, cho kiểm thử) đặt tên cố định cho tệp tạm thay vì tên ngẫu nhiên
    #[arg(long, value_name = "TÊN", hide = true)]
    pub test_temp_name: Option<std::ffi::OsString>,
    /// (ẩn, cho kiểm thử) giả lập lỗi khi đang ghi tệp tạm
    #[arg(long, hide = true)]
    pub test_fail_write: bool,
    /// (ẩn, cho kiểm thử) giữ tệp tạm đã ghi đủ, chưa đổi tên, để gửi tín hiệu vào lúc đó
    #[arg(long, hide = true)]
    pub test_hold_write: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
    /// Thay tỷ lệ ghi tay (so_voi_cung_ky) bằng số cùng kỳ khi chỉ một số cho đúng tỷ lệ đó, ghi kèm số liệu cho các tỷ lệ còn lại; sửa tại chỗ các tệp data/chi-tieu/*.yaml, in từng thay đổi
    #[arg(long)]
    pub apply_bases: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Thư mục phông chữ bổ sung (cũng được theo dõi)
    #[arg(long, value_name = "THƯ_MỤC")]
    pub font_dir: Vec<PathBuf>,
    /// (ẩn, cho kiểm thử) dừng sau N lần dựng lại, không kể lần dựng đầu
    #[arg(long, value_name = "N", hide = true)]
    pub max_rebuilds: Option<usize>,
    /// (ẩn, cho kiểm thử) khoảng quét thư mục, mili giây (mặc định 200)
    #[arg(long, value_name = "MS", hide = true)]
    pub interval_ms: Option<u64>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Args, Debug)]
pub struct WatchWorkerArgs {
    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Bản cũ: thư mục báo cáo, thư mục data/, tệp YAML, hoặc phiên bản git (`git:REV`, `HEAD~1`)
    #[arg(value_name = "CŨ")]
    pub old: String,
    /// Bản mới, cùng các dạng như bản cũ (mặc định: thư mục báo cáo)
    #[arg(value_name = "MỚI")]
    pub new: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// In lời văn cũ và mới thành hai cột cạnh nhau
    #[arg(short = 'y', long)]
    pub side_by_side: bool,
    /// Độ rộng dòng khi in hai cột (mặc định: biến COLUMNS, hoặc 160)
    #[arg(long, value_name = "SỐ_KÝ_TỰ")]
    pub width: Option<usize>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Args, Debug)]
pub struct FormArgs {
    /// Tệp bảng tính sẽ tạo (đuôi .xlsx)
    #[arg(value_name = "TỆP.xlsx")]
    pub file: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Tệp bảng tính đã điền (đuôi .xlsx)
    #[arg(value_name = "TỆP.xlsx")]
    pub file: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Chỉ in những gì sẽ thay đổi, không ghi tệp nào
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Thư mục mới (chưa có, hoặc rỗng)
    #[arg(value_name = "THƯ_MỤC")]
    pub dir: PathBuf,
    /// Khung báo cáo trống cho một đơn vị bất kỳ (không có số liệu, lời văn mẫu); thiếu gì thì để chỗ trống «…»
    #[arg(long)]
    pub blank: bool,
    /// (--blank) Tên cơ quan ban hành, in hoa; mỗi lần ghi là một dòng tiêu đề (mặc định: ỦY BAN NHÂN DÂN và một chỗ trống)
    #[arg(long = "agency", value_name = "CHỮ", requires = "blank", value_parser = NonEmptyStringValueParser::new())]
    pub agency: Vec<String>,
    /// (--blank) Tên cơ quan chủ quản, in hoa; mỗi lần ghi là một dòng (mặc định: không có)
    #[arg(long = "parent-agency", value_name = "CHỮ", requires = "blank", value_parser = NonEmptyStringValueParser::new())]
    pub parent_agency: Vec<String>,
    /// (--blank) Tên cơ quan viết trong câu (mặc định: suy ra từ --agency)
    #[arg(long, value_name = "CHỮ", requires = "blank", value_parser = NonEmptyStringValueParser::new())]
    pub name: Option<String>,
    /// (--blank) Địa danh in trước ngày tháng (mặc định: chỗ trống)
    #[arg(long, value_name = "CHỮ", requires = "blank", value_parser = NonEmptyStringValueParser::new())]
    pub place: Option<String>,
    /// (--blank) Ký hiệu văn bản (mặc định: BC-UBND)
    #[arg(long, value_name = "CHỮ", requires = "blank", value_parser = NonEmptyStringValueParser::new())]
    pub symbol: Option<String>,
    /// (--blank) Năm báo cáo (mặc định: năm hiện tại)
    #[arg(long, value_name = "NĂM", requires = "blank", value_parser = parse_year)]
    pub year: Option<Year>,
    /// (--blank) Kỳ báo cáo: quy-1, 6-thang, 9-thang, ca-nam (mặc định: 6-thang)
    #[arg(
        long,
        value_enum,
        value_name = "KỲ",
        requires = "blank",
        hide_possible_values = true
    )]
    pub period: Option<Period>,
    /// (--blank) Người ký: tm (thay mặt), kt (ký thay), q (quyền), tl (thừa lệnh) (mặc định: tm)
    #[arg(
        long,
        value_enum,
        value_name = "DẠNG",
        requires = "blank",
        hide_possible_values = true
    )]
    pub signer: Option<Signer>,
    /// (ẩn, giữ cho lệnh cũ) phông chữ nay luôn được chép vào fonts/
    #[arg(long, hide = true)]
    pub with_fonts: bool,
}

/// `--year`: a whole number from 1900 to 2200.
fn parse_year(s: &str) -> Result<Year, String> {
    s.trim()
        .parse::<i32>()
        .ok()
        .and_then(Year::new)
        .ok_or_else(|| {
            format!(
                "năm `{s}` không hợp lệ: ghi năm bằng bốn chữ số, từ {} đến {}",
                Year::MIN,
                Year::MAX
            )
        })
}

#[derive(Args, Debug)]
pub struct BenchRebuildArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Tệp số liệu để sửa (đường dẫn trong thư mục báo cáo)
    #[arg(long, value_name = "TỆP")]
    pub file: PathBuf,
    /// Đoạn chữ cần thay trong tệp
    #[arg(long, value_name = "CHỮ")]
    pub from: String,
    /// Đoạn chữ thay vào; `{n}` trong đó đổi thành 100, 101, … ở mỗi lần dựng lại
    #[arg(long, value_name = "CHỮ")]
    pub to: String,
    /// Số lần dựng lại
    #[arg(long, default_value_t = 30)]
    pub runs: usize,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use rust_decimal::Decimal;

    /// The help of the budget options states their defaults (written out by hand, since clap
    /// help is a doc comment): it must say what the constants are.
    #[test]
    fn limit_help_states_the_defaults() {
        let cmd = Cli::command();
        let build = cmd.find_subcommand("build").expect("build");
        let help = |id: &str| {
            build
                .get_arguments()
                .find(|a| a.get_id() == id)
                .and_then(|a| a.get_help())
                .map(|h| h.to_string())
                .unwrap_or_default()
        };
        let vn = |n: u64| crate::format::format_number(Decimal::from(n), 0);
        for (id, default) in [
            ("time_limit", budget::DEFAULT_TIME_SECS),
            ("memory_limit", budget::DEFAULT_MEMORY_MIB),
            ("template_fuel", budget::DEFAULT_FUEL),
            ("markup_limit", budget::DEFAULT_MARKUP_MIB),
        ] {
            let h = help(id);
            let stated = if default >= 10_000 {
                vn(default)
            } else {
                default.to_string()
            };
            assert!(h.contains(&format!("mặc định {stated};")), "{id}: {h}");
            assert!(h.contains("0: không giới hạn"), "{id}: {h}");
        }
    }
}
