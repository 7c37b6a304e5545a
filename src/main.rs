use std::process::ExitCode;

use clap::Parser;

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use baocao::Project;
use baocao::cli::{Cli, Command, OutputArgs};
use baocao::diag::{Diagnostic, Error, Format};
use baocao::output::WriteOptions;
use baocao::project::{BuildOptions, Timings};
use baocao::{bench, budget, diff, export, init, watch, xlsx};

/// Counts the heap in use, for `--memory-limit` (src/budget).
#[global_allocator]
static ALLOCATOR: budget::Counting = budget::Counting;

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
    let format = cli.command.diagnostic_format();
    // Bad usage that clap cannot see (`-o` with two formats, a wrong extension): exit code 2.
    if let Some(out) = cli.command.output_args()
        && let Err(e) = export::check_usage(
            &export::normalise(&out.formats),
            out.output.as_deref(),
            out.pdf_a,
        )
    {
        print_diagnostics(&e.0, format);
        return ExitCode::from(2);
    }
    budget::set_short_messages(format == Format::Short);
    let limits = cli.command.limits().unwrap_or_else(budget::Limits::none);
    budget::set_memory_limit(limits.memory);
    // The whole command within the time limit; `watch` limits each rebuild in its worker.
    let _watchdog = match (&cli.command, limits.time) {
        (
            Command::Build(_) | Command::Check(_) | Command::Diff(_) | Command::Import(_),
            Some(limit),
        ) => match budget::Watchdog::start(limit) {
            Ok(w) => {
                w.arm();
                Some(w)
            }
            Err(e) => {
                eprintln!("lỗi: không khởi động được bộ đếm giờ: {e}");
                return ExitCode::FAILURE;
            }
        },
        _ => None,
    };
    let summary = match &cli.command {
        Command::Build(_) => Some("không dựng được"),
        Command::Check(_) => Some("kiểm tra xong"),
        _ => None,
    };
    let mut warnings = 0;
    match run(cli, format, limits, &mut warnings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_diagnostics(&e.0, format);
            // `build` and `check` end with the count of what they found.
            if let Some(what) = summary {
                let errors = e.0.iter().filter(|d| d.is_error()).count();
                let warnings = warnings + e.0.len() - errors;
                println!("{what}: {errors} lỗi, {warnings} cảnh báo");
            }
            ExitCode::FAILURE
        }
    }
}

/// Errors and warnings on stderr, in the format asked for.
fn print_diagnostics(diags: &[Diagnostic], format: Format) {
    for d in diags {
        eprintln!("{}", d.render(format));
    }
}

/// SOURCE_DATE_EPOCH, when set: the PDF's creation time (reproducible builds).
fn source_date_epoch() -> Result<Option<i64>, Error> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => baocao::pdf::parse_source_date_epoch(&text).map(Some),
        Err(_) => Ok(None),
    }
}

/// This year, for `init --blank` without `--year`: from SOURCE_DATE_EPOCH when set (so that a
/// scripted init is reproducible), else from the clock.
fn current_year() -> Result<baocao::period::Year, Error> {
    let secs = match source_date_epoch()? {
        Some(s) => s,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    };
    use chrono::Datelike;
    chrono::DateTime::from_timestamp(secs, 0)
        .and_then(|t| baocao::period::Year::new(t.year()))
        .ok_or_else(|| Error::msg("không xác định được năm hiện tại: ghi `--year`"))
}

/// `warnings`: how many warnings were printed before an error, for the closing count.
fn run(
    cli: Cli,
    format: Format,
    limits: budget::Limits,
    warnings: &mut usize,
) -> Result<(), Error> {
    match cli.command {
        Command::Build(args) => {
            let mut project = Project::open(&args.common.root, &args.font_dir)?;
            project.source_date_epoch = source_date_epoch()?;
            project.limits = limits;
            project.set_write_options(WriteOptions {
                temp_name: args.test_temp_name.clone(),
                fail_while_writing: args.test_fail_write,
                hold: args.test_hold_write.then_some(hold_write as fn(&Path)),
            });
            let periods = if args.all_periods {
                project.load()?.periods().into_iter().map(Some).collect()
            } else {
                vec![args.common.period]
            };
            let opts = BuildOptions {
                emit_typst: args.emit_typst.clone(),
                ..build_options(&args.out)
            };
            for period in periods {
                let built = project.build(period, &opts)?;
                print_diagnostics(&built.warnings, format);
                *warnings += built.warnings.len();
                println!(
                    "đã ghi {} ({} trang, {} ms)",
                    shown_paths(&built.outputs),
                    built.pages,
                    built.timings.total.as_millis()
                );
                print_status(&built.status);
            }
            if *warnings > 0 {
                println!("dựng xong: 0 lỗi, {warnings} cảnh báo");
            }
            Ok(())
        }
        Command::Check(args) => {
            let mut project = Project::open(&args.common.root, &[])?;
            project.limits = limits;
            if args.apply_bases {
                print!("{}", project.apply_bases()?.render());
            }
            let checked = project.check(args.common.period)?;
            print_diagnostics(&checked.diagnostics, format);
            for status in &checked.status {
                if let Some(why) = status.explain() {
                    println!("{why}");
                }
            }
            let n = checked.diagnostics.len();
            println!("kiểm tra xong: 0 lỗi, {n} cảnh báo");
            Ok(())
        }
        Command::Watch(args) => {
            let opts = watch::Options {
                root: args.common.root,
                period: args.common.period,
                build: build_options(&args.out),
                font_dirs: args.font_dir,
                interval: args
                    .interval_ms
                    .map(Duration::from_millis)
                    .unwrap_or(watch::DEFAULT_INTERVAL),
                max_rebuilds: args.max_rebuilds,
                source_date_epoch: source_date_epoch()?,
                limits,
                worker: worker_command(format)?,
            };
            watch::run(&opts, |event| print_watch_event(event, format))
        }
        Command::Diff(args) => {
            let root = args.common.root;
            let old = diff::parse_side(&args.old, &root)?;
            let new = match &args.new {
                Some(n) => diff::parse_side(n, &root)?,
                None => diff::Side::Folder(root.clone()),
            };
            let report = diff::diff(&root, &old, &new, args.common.period, &limits)?;
            let layout = if args.side_by_side {
                let width = args
                    .width
                    .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
                    .unwrap_or(160);
                diff::Layout::SideBySide(width)
            } else {
                diff::Layout::Stacked
            };
            print!("{}", report.render(layout));
            Ok(())
        }
        Command::Form(args) => {
            let w = xlsx::write_form(&args.common.root, &args.file, args.common.period)?;
            println!(
                "đã ghi {} (kỳ {}, {} chỉ tiêu, {} trang để điền)",
                w.path.display(),
                w.period,
                w.indicators,
                w.sheets
            );
            Ok(())
        }
        Command::Import(args) => {
            let opts = xlsx::ImportOptions {
                period: args.common.period,
                dry_run: args.dry_run,
                limits,
            };
            let done = xlsx::import(&args.common.root, &args.file, &opts)?;
            print_diagnostics(&done.warnings, format);
            print!("{}", done.report.render(diff::Layout::Stacked));
            for note in &done.notes {
                println!("{note}");
            }
            let files: Vec<String> = done
                .files
                .iter()
                .map(|p| format!("`{}`", p.strip_prefix(".").unwrap_or(p).display()))
                .collect();
            match (done.dry_run, files.is_empty()) {
                (_, true) => println!(
                    "\nđọc {} ô, không có số liệu nào khác số cũ: không ghi tệp nào",
                    done.cells
                ),
                (true, false) => println!(
                    "\n(--dry-run) đọc {} ô; sẽ ghi {} tệp: {}; chưa ghi tệp nào",
                    done.cells,
                    files.len(),
                    files.join(", ")
                ),
                (false, false) => println!(
                    "\nđọc {} ô; đã ghi {} tệp: {}",
                    done.cells,
                    files.len(),
                    files.join(", ")
                ),
            }
            Ok(())
        }
        Command::Init(args) => {
            let blank = if args.blank {
                let year = match args.year {
                    Some(y) => y,
                    None => current_year()?,
                };
                Some(init::Blank {
                    agency: args.agency,
                    parent_agency: args.parent_agency,
                    name: args.name,
                    place: args.place,
                    symbol: args.symbol,
                    year,
                    period: args.period.unwrap_or(baocao::period::Period::Half),
                    signer: args.signer.unwrap_or(init::Signer::OnBehalf),
                })
            } else {
                None
            };
            let created = init::init(&args.dir, blank.as_ref())?;
            println!(
                "đã tạo thư mục báo cáo `{}` ({} tệp)",
                created.root.display(),
                created.files
            );
            if blank.is_some() {
                println!(
                    "tiếp theo: `cd {}`, `baocao check` liệt kê các chỗ trống «…» cần điền, rồi `baocao build`",
                    created.root.display()
                );
            } else {
                println!(
                    "tiếp theo: `cd {}` rồi `baocao build`",
                    created.root.display()
                );
            }
            Ok(())
        }
        Command::WatchWorker(_) => {
            watch::worker::serve(std::io::stdin().lock(), std::io::stdout().lock())
        }
        Command::BenchRebuild(args) => {
            let report = bench::bench_rebuild(
                &bench::Options {
                    root: args.common.root,
                    period: args.common.period,
                    build: build_options(&args.out),
                    limits,
                    worker: worker_command(format)?,
                },
                &args.file,
                &args.from,
                &args.to,
                args.runs,
            )?;
            print_bench(&report);
            Ok(())
        }
    }
}

/// The command that starts a `watch` worker: this program, `watch-worker`, and the format of
/// the messages it prints itself (a spent budget's).
fn worker_command(format: Format) -> Result<Vec<OsString>, Error> {
    let exe = std::env::current_exe().map_err(|e| {
        Error::msg(format!(
            "không tìm thấy tệp chạy của baocao: {}",
            baocao::diag::io_reason(&e)
        ))
    })?;
    let mut command = vec![exe.into_os_string(), "watch-worker".into()];
    if format == Format::Short {
        command.extend(["--diagnostic-format".into(), "short".into()]);
    }
    Ok(command)
}

/// After a build: how many placeholders remain, and why the PDF is a draft.
fn print_status(status: &baocao::draft::Status) {
    if let Some(n) = status.remaining() {
        println!("{n}");
    }
    if let Some(why) = status.explain() {
        println!("{why}");
    }
}

/// What `build` and `watch` write, from their common options.
fn build_options(out: &OutputArgs) -> BuildOptions {
    BuildOptions {
        formats: export::normalise(&out.formats),
        output: out.output.clone(),
        emit_typst: None,
        pdf_a: out.pdf_a,
    }
}

/// The files a build wrote, for its status line: `output/a.pdf, output/a.html`.
fn shown_paths(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.strip_prefix(".").unwrap_or(p).display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `--test-hold-write`: say where the temporary file is, then wait (a test signals meanwhile).
fn hold_write(temp: &Path) {
    eprintln!("(kiểm thử) đang giữ tệp tạm `{}`", temp.display());
    std::thread::sleep(Duration::from_secs(120));
}

/// watch's status lines: what changed, each rebuild's time, each error with its location.
fn print_watch_event(event: watch::Event, format: Format) {
    match event {
        watch::Event::Watching(dirs) => {
            let names: Vec<String> = dirs.iter().map(|d| format!("`{}/`", d.display())).collect();
            println!("đang theo dõi {} (Ctrl+C để dừng)", names.join(", "));
        }
        watch::Event::Changed(files) => {
            let mut names: Vec<String> = files
                .iter()
                .take(3)
                .map(|f| f.display().to_string())
                .collect();
            if files.len() > 3 {
                names.push(format!("và {} tệp khác", files.len() - 3));
            }
            println!("thay đổi: {}", names.join(", "));
        }
        watch::Event::Built { built, first } => {
            print_diagnostics(&built.warnings, format);
            let verb = if first {
                "đã ghi"
            } else {
                "đã dựng lại"
            };
            println!(
                "{verb} {} ({} trang) trong {} ms",
                shown_paths(&built.outputs),
                built.pages,
                built.timings.total.as_millis()
            );
        }
        watch::Event::Failed(e) => {
            print_diagnostics(&e.0, format);
            println!("chưa dựng được: các tệp cũ giữ nguyên; sửa lỗi rồi lưu, baocao sẽ dựng lại");
        }
        // The worker printed the spent budget's message itself.
        watch::Event::Stopped => {
            println!("chưa dựng được: các tệp cũ giữ nguyên; sửa lỗi rồi lưu, baocao sẽ dựng lại");
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// key=value lines for tests/bench/run.sh.
fn print_bench(r: &bench::BenchReport) {
    let col = |f: fn(&Timings) -> Duration| median(r.rebuilds.iter().map(|t| ms(f(t))).collect());
    let totals: Vec<f64> = r.rebuilds.iter().map(|t| ms(t.total)).collect();
    println!("runs={}", r.rebuilds.len());
    println!("first_build_ms={:.1}", ms(r.first.total));
    println!("rebuild_median_ms={:.1}", col(|t| t.total));
    println!(
        "rebuild_min_ms={:.1}",
        totals.iter().copied().fold(f64::INFINITY, f64::min)
    );
    println!(
        "rebuild_max_ms={:.1}",
        totals.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "rebuild_load_render_median_ms={:.1}",
        col(|t| t.load + t.render)
    );
    println!("rebuild_typeset_median_ms={:.1}", col(|t| t.typeset));
    println!("rebuild_pdf_median_ms={:.1}", col(|t| t.pdf));
    println!("rebuild_html_median_ms={:.1}", col(|t| t.html));
    println!("rebuild_docx_median_ms={:.1}", col(|t| t.docx));
    println!("rebuild_write_median_ms={:.1}", col(|t| t.write));
    // The rest of a rebuild's time: the trip to the worker and back.
    println!(
        "rebuild_outside_stages_median_ms={:.1}",
        col(|t| t.total.saturating_sub(
            t.load + t.render + t.typeset + t.pdf + t.html + t.xlsx + t.docx + t.write
        ))
    );
    let kib = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
    println!("rss_after_first_rebuild_kib={}", kib(r.rss_after_first_kib));
    println!("rss_after_last_rebuild_kib={}", kib(r.rss_after_last_kib));
    println!("peak_rss_kib={}", kib(r.peak_rss_kib));
}
