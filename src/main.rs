use std::process::ExitCode;

use clap::Parser;

use baocao::Project;
use baocao::cli::{Cli, Command};
use baocao::diag::{Diagnostic, Error};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn print_warnings(w: &[Diagnostic]) {
    for d in w {
        eprintln!("{d}");
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Build(args) => {
            let mut project = Project::open(&args.common.root, &args.font_dir)?;
            let periods = if args.all_periods {
                project.load()?.periods().into_iter().map(Some).collect()
            } else {
                vec![args.common.period.map(Into::into)]
            };
            for period in periods {
                let built =
                    project.build(period, args.output.as_deref(), args.emit_typst.as_deref())?;
                print_warnings(&built.warnings);
                println!(
                    "đã ghi {} ({} trang, {} ms)",
                    built.output.display(),
                    built.pages,
                    built.timings.total.as_millis()
                );
            }
            Ok(())
        }
        Command::Check(args) => {
            let project = Project::open(&args.common.root, &[])?;
            let diags = project.check(args.common.period.map(Into::into))?;
            print_warnings(&diags);
            let n = diags.len();
            println!("kiểm tra xong: 0 lỗi, {n} cảnh báo");
            Ok(())
        }
    }
}
