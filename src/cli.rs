//! Command-line interface (clap derive); help and messages in Vietnamese.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::data::Period;

#[derive(Parser, Debug)]
#[command(
    name = "baocao",
    version,
    about = "Dàn trang báo cáo kinh tế - xã hội của Ủy ban nhân dân ra PDF, theo Nghị định 30/2020/NĐ-CP",
    long_about = None,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
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
    /// Dựng báo cáo ra PDF (mặc định: output/bao-cao-<kỳ>-<năm>.pdf)
    #[command(help_template = SUB_TEMPLATE)]
    Build(BuildArgs),
    /// Kiểm tra số liệu và mẫu, không dàn trang; liệt kê mọi lỗi và cảnh báo
    #[command(help_template = SUB_TEMPLATE)]
    Check(CheckArgs),
}

const SUB_TEMPLATE: &str = "{about}\n\nCách dùng: {usage}\n\nTùy chọn:\n{options}\n";

#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// Thư mục báo cáo (chứa data/, templates/, fonts/)
    #[arg(long, value_name = "THƯ_MỤC", default_value = ".")]
    pub root: PathBuf,
    /// Kỳ báo cáo (mặc định: kỳ ghi trong data/bao-cao.yaml)
    #[arg(long, value_enum, value_name = "KỲ")]
    pub period: Option<PeriodArg>,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Tệp PDF đầu ra
    #[arg(short, long, value_name = "TỆP")]
    pub output: Option<PathBuf>,
    /// Ghi thêm mã Typst đã dàn trang ra tệp này (một tệp tự đủ, typst CLI dịch được)
    #[arg(long, value_name = "TỆP")]
    pub emit_typst: Option<PathBuf>,
    /// Thư mục phông chữ bổ sung (ví dụ phông Times New Roman thật)
    #[arg(long, value_name = "THƯ_MỤC")]
    pub font_dir: Vec<PathBuf>,
    /// Dựng mọi kỳ mà dữ liệu khai báo
    #[arg(long, conflicts_with_all = ["period", "output"])]
    pub all_periods: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PeriodArg {
    /// quý I
    #[value(name = "quy-1")]
    Quy1,
    /// 6 tháng đầu năm
    #[value(name = "6-thang")]
    SauThang,
    /// 9 tháng đầu năm
    #[value(name = "9-thang")]
    ChinThang,
    /// cả năm
    #[value(name = "ca-nam")]
    CaNam,
}

impl From<PeriodArg> for Period {
    fn from(p: PeriodArg) -> Self {
        match p {
            PeriodArg::Quy1 => Period::Quarter1,
            PeriodArg::SauThang => Period::Half,
            PeriodArg::ChinThang => Period::NineMonths,
            PeriodArg::CaNam => Period::Year,
        }
    }
}
