//! The rebuild worker of `watch`: a child process (the hidden `baocao watch-worker`) that
//! keeps the report's `Project` — its Typst world, memoised by comemo — across rebuilds, so a
//! one-figure rebuild stays incremental, and that can end without ending the watch.
//!
//! Why a process: Typst cannot be interrupted and a thread cannot be killed, so a rebuild
//! that runs away (a template loop that never ends, or grows without bound) can only be
//! stopped with the process that runs it; and only a process gives all its memory back. The
//! worker enforces its own budgets (`budget`: a watchdog armed for each rebuild, the counting
//! allocator), prints their message on stderr and ends with exit code 1; the watch reports the
//! rebuild as failed (the last good PDF stays), keeps watching, and starts a fresh worker for
//! the next change (its first build cold, then incremental again). If a worker does not answer
//! within its time limit and a grace period, the watch kills it itself.
//!
//! Protocol, newline-delimited JSON: the watch writes one [`Setup`] line, then one [`Request`]
//! line per rebuild; the worker answers each request with one `Reply` line on its stdout,
//! which carries nothing else. The worker ends when its stdin closes or its parent dies.

use std::ffi::OsString;
use std::io::{BufRead, Read, Write};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::Session;
use crate::budget::{self, Limits, Watchdog};
use crate::data::Period;
use crate::diag::{Diagnostic, Error, Result};
use crate::project::{BuildOptions, Built};

/// How long past its time limit a worker may stay silent before the watch kills it (its own
/// watchdog ends it at the limit; this is for a worker that cannot).
const GRACE: Duration = Duration::from_secs(5);

/// How the worker opens the report: sent once, first.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Setup {
    #[serde(with = "crate::diag::path_bytes")]
    pub root: PathBuf,
    pub period: Option<Period>,
    /// The formats, the output file, PDF/A: as for `build`.
    pub build: BuildOptions,
    font_dirs: Vec<Vec<u8>>,
    pub source_date_epoch: Option<i64>,
    pub limits: Limits,
}

impl Setup {
    pub fn new(
        root: PathBuf,
        period: Option<Period>,
        build: BuildOptions,
        font_dirs: Vec<PathBuf>,
        source_date_epoch: Option<i64>,
        limits: Limits,
    ) -> Self {
        use std::os::unix::ffi::OsStringExt;
        Self {
            root,
            period,
            build,
            font_dirs: font_dirs
                .into_iter()
                .map(|p| p.into_os_string().into_vec())
                .collect(),
            source_date_epoch,
            limits,
        }
    }

    fn path(bytes: &[u8]) -> PathBuf {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(OsString::from_vec(bytes.to_vec()))
    }

    fn session(&self) -> Session {
        let mut s = Session::new(
            &self.root,
            self.period,
            self.build.clone(),
            self.font_dirs.iter().map(|b| Self::path(b)).collect(),
        );
        s.source_date_epoch = self.source_date_epoch;
        s.limits = self.limits;
        // Evicted after the answer (`serve`): the user does not wait for it.
        s.evict_after_build = false;
        s
    }
}

/// One rebuild; `reopen` drops the Typst world first (fonts changed).
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Request {
    pub reopen: bool,
}

#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    Built(Box<Built>),
    Failed(Vec<Diagnostic>),
}

/// What a rebuild in a worker came to.
#[derive(Debug)]
pub enum Outcome {
    Built(Box<Built>),
    /// The build failed with these diagnostics (nothing was written).
    Failed(Error),
    /// The worker ended during the rebuild and has said why on stderr (a spent budget); a new
    /// worker is needed.
    Stopped,
}

/// The watch's side of a worker.
pub struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    /// The worker's stdout, read directly (with `poll` for the time limit) rather than by a
    /// thread: one process switch less a rebuild, which a loaded machine makes costly.
    stdout: Option<ChildStdout>,
    /// Bytes read past the last whole line.
    pending: Vec<u8>,
    time_limit: Option<Duration>,
    ended: bool,
}

/// What reading the worker's next line came to.
enum Reading {
    Line(String),
    Closed,
    TimedOut,
}

impl Worker {
    /// Start `command` (the program and its arguments: `baocao watch-worker …`) and send it
    /// `setup`.
    pub fn start(command: &[OsString], setup: &Setup) -> Result<Self> {
        let Some((program, args)) = command.split_first() else {
            return Err(Error::msg("không có lệnh để chạy tiến trình dựng"));
        };
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                Error::msg(format!(
                    "không chạy được tiến trình dựng `{}`: {}",
                    PathBuf::from(program).display(),
                    crate::diag::io_reason(&e)
                ))
            })?;
        let mut worker = Self {
            stdin: child.stdin.take(),
            stdout: child.stdout.take(),
            child,
            pending: Vec::new(),
            time_limit: setup.limits.time,
            ended: false,
        };
        worker.send(setup)?;
        Ok(worker)
    }

    /// The worker's process id (its memory is read by `bench`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the worker has ended (then a new one is needed).
    pub fn ended(&self) -> bool {
        self.ended
    }

    fn send(&mut self, message: &impl Serialize) -> Result<()> {
        let mut line = serde_json::to_vec(message)
            .map_err(|e| Error::msg(format!("không gửi được yêu cầu dựng: {e}")))?;
        line.push(b'\n');
        let sent = match &mut self.stdin {
            Some(stdin) => stdin.write_all(&line).and_then(|()| stdin.flush()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        sent.map_err(|e| {
            Error::msg(format!(
                "không gửi được yêu cầu dựng: {}",
                crate::diag::io_reason(&e)
            ))
        })
    }

    /// Rebuild in the worker and wait for its answer, at most its time limit and a grace
    /// period. `timings.total` of a build is the whole round trip, as the user waits for it.
    pub fn rebuild(&mut self, reopen: bool) -> Outcome {
        let t0 = Instant::now();
        if self.send(&Request { reopen }).is_err() {
            // The worker is gone: what it said on its way out is on stderr.
            return self.finish();
        }
        let deadline = self.time_limit.map(|limit| t0 + limit + GRACE);
        match self.next_line(deadline) {
            Reading::Line(line) => match serde_json::from_str::<Reply>(&line) {
                Ok(Reply::Built(mut built)) => {
                    built.timings.total = t0.elapsed();
                    Outcome::Built(built)
                }
                Ok(Reply::Failed(diags)) if !diags.is_empty() => Outcome::Failed(Error(diags)),
                Ok(Reply::Failed(_)) | Err(_) => {
                    self.kill();
                    Outcome::Failed(Error::msg(
                        "tiến trình dựng trả lời không đọc được nên đã bị dừng",
                    ))
                }
            },
            Reading::Closed => self.finish(),
            Reading::TimedOut => {
                self.kill();
                let secs = self.time_limit.unwrap_or_default().as_secs();
                Outcome::Failed(Error::new(
                    Diagnostic::error(format!(
                        "vượt giới hạn thời gian {secs} giây: tiến trình dựng không trả lời nên đã bị dừng"
                    ))
                    .hint(format!(
                        "nếu báo cáo thật sự cần lâu hơn, tăng giới hạn: `--time-limit {}`",
                        secs.saturating_mul(2)
                    )),
                ))
            }
        }
    }

    /// The worker's next line, waiting at most until `deadline`.
    fn next_line(&mut self, deadline: Option<Instant>) -> Reading {
        let Some(stdout) = &mut self.stdout else {
            return Reading::Closed;
        };
        loop {
            if let Some(i) = self.pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=i).collect();
                return Reading::Line(String::from_utf8_lossy(&line).into_owned());
            }
            let timeout_ms = match deadline {
                None => -1,
                Some(at) => {
                    let left = at.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Reading::TimedOut;
                    }
                    // Rounded up, so a wait never ends just before the deadline.
                    i32::try_from(left.as_millis() + 1).unwrap_or(i32::MAX)
                }
            };
            let mut fd = libc::pollfd {
                fd: stdout.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, for a descriptor this struct owns.
            let n = unsafe { libc::poll(&mut fd, 1, timeout_ms) };
            if n < 0 {
                if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Reading::Closed;
            }
            if n == 0 {
                // The deadline is checked again above.
                continue;
            }
            let mut chunk = [0u8; 16 * 1024];
            match stdout.read(&mut chunk) {
                Ok(0) => return Reading::Closed,
                Ok(k) => self.pending.extend_from_slice(&chunk[..k]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Reading::Closed,
            }
        }
    }

    /// The worker closed its stdout: wait for its end and say what it was.
    fn finish(&mut self) -> Outcome {
        self.stdin = None;
        let status = self.child.wait();
        self.ended = true;
        match status {
            // A spent budget (or a failed start), already reported on stderr.
            Ok(s) if s.code() == Some(1) => Outcome::Stopped,
            Ok(s) => Outcome::Failed(Error::msg(format!(
                "tiến trình dựng dừng bất thường ({})",
                status_words(s)
            ))),
            Err(e) => Outcome::Failed(Error::msg(format!(
                "tiến trình dựng dừng bất thường: {}",
                crate::diag::io_reason(&e)
            ))),
        }
    }

    /// End the worker: SIGTERM first, so it removes the temporary file of a PDF it may be
    /// writing (`output`), then SIGKILL if it is still there a second later.
    fn kill(&mut self) {
        self.stdin = None;
        self.ended = true;
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: a signal to our own child, which has not been waited for (its id is
            // still ours).
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(1) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if !self.ended {
            // Idle between rebuilds: closing its stdin ends it; make sure.
            self.stdin = None;
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An exit status in words: `mã thoát 101`, `tín hiệu 9`.
fn status_words(s: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (s.code(), s.signal()) {
        (Some(c), _) => format!("mã thoát {c}"),
        (None, Some(sig)) => format!("tín hiệu {sig}"),
        _ => s.to_string(),
    }
}

/// The worker's side: read the setup, then rebuild on each request and answer, until the
/// input closes. Each rebuild runs under the time limit of the setup (a watchdog ends the
/// process when it is spent), the whole process under its memory limit.
pub fn serve(input: impl BufRead, mut output: impl Write) -> Result<()> {
    end_with_parent();
    let mut lines = input.lines();
    let setup: Setup = match lines.next() {
        Some(Ok(line)) => serde_json::from_str(&line)
            .map_err(|e| Error::msg(format!("tiến trình dựng: cấu hình không đọc được: {e}")))?,
        _ => return Ok(()),
    };
    budget::set_memory_limit(setup.limits.memory);
    let watchdog = match setup.limits.time {
        Some(limit) => Some(
            Watchdog::start(limit)
                .map_err(|e| Error::msg(format!("không khởi động được bộ đếm giờ: {e}")))?,
        ),
        None => None,
    };
    let mut session = setup.session();
    for line in lines {
        let Ok(line) = line else { break };
        let request: Request = serde_json::from_str(&line)
            .map_err(|e| Error::msg(format!("tiến trình dựng: yêu cầu không đọc được: {e}")))?;
        if let Some(w) = &watchdog {
            w.arm();
        }
        let reply = match session.rebuild(request.reopen) {
            Ok(built) => Reply::Built(Box::new(built)),
            Err(e) => Reply::Failed(e.0),
        };
        let mut text = serde_json::to_vec(&reply)
            .map_err(|e| Error::msg(format!("tiến trình dựng: không gửi được kết quả: {e}")))?;
        text.push(b'\n');
        if output
            .write_all(&text)
            .and_then(|()| output.flush())
            .is_err()
        {
            // The watch is gone.
            break;
        }
        // Typst's old cache entries go once the watch has its answer (a build that succeeded
        // leaves them; the next request waits for this at most), still within the time limit.
        if matches!(reply, Reply::Built(_)) {
            crate::typeset::evict();
        }
        if let Some(w) = &watchdog {
            w.disarm();
        }
    }
    Ok(())
}

/// End this worker with SIGTERM when the watch that started it dies (even by SIGKILL), so no
/// orphan goes on rebuilding.
fn end_with_parent() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_PDEATHSIG) only sets a flag of this process; getppid cannot fail.
    unsafe {
        let parent = libc::getppid();
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
        // The parent may have died before the flag was set.
        if libc::getppid() != parent {
            libc::_exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;
    use crate::project::Timings;

    #[test]
    fn replies_travel_with_their_paths_and_locations() {
        use crate::draft::{Cause, Status};
        use crate::export::Format;
        use crate::placeholder::{Owner, Placeholder};
        use std::os::unix::ffi::OsStringExt;
        let odd = PathBuf::from(OsString::from_vec(b"/tmp/b\xe1o c\xe1o/x.pdf".to_vec()));
        let html = PathBuf::from("output/x.html");
        let status = Status {
            causes: vec![
                Cause::Marked(Some(Location::at("data/bao-cao.yaml", 2, 1))),
                Cause::Placeholders(vec![Location::line("templates/a.typ.j2", 7)]),
            ],
            placeholders: vec![Placeholder {
                text: "«thực hiện»".into(),
                location: Location::line("templates/a.typ.j2", 7),
                owner: Owner::Template {
                    name: "a.typ.j2".into(),
                    line: 7,
                },
            }],
        };
        let built = Built {
            outputs: vec![odd.clone(), html.clone()],
            period: Period::Half,
            pages: 12,
            warnings: vec![
                Diagnostic::warning("cảnh báo\nhai dòng")
                    .at(Location::at("data/a.yaml", 3, 4))
                    .hint("gợi ý"),
            ],
            timings: Timings {
                total: Duration::from_millis(250),
                ..Timings::default()
            },
            status: status.clone(),
        };
        let text = serde_json::to_string(&Reply::Built(Box::new(built))).unwrap();
        assert!(!text.contains('\n'), "one line: {text}");
        let Reply::Built(back) = serde_json::from_str(&text).unwrap() else {
            panic!("{text}")
        };
        assert_eq!(back.outputs, vec![odd.clone(), html]);
        assert_eq!(back.period, Period::Half);
        assert_eq!(back.pages, 12);
        assert_eq!(
            back.warnings[0].to_string(),
            "cảnh báo: cảnh báo\nhai dòng\n --> data/a.yaml:3:4\ngợi ý: gợi ý"
        );
        assert_eq!(back.timings.total, Duration::from_millis(250));
        assert_eq!(back.status, status);

        let build = BuildOptions {
            formats: vec![Format::Pdf, Format::Html, Format::Xlsx],
            output: Some(odd.clone()),
            emit_typst: None,
            pdf_a: true,
        };
        let setup = Setup::new(
            PathBuf::from("bao-cao"),
            Some(Period::NineMonths),
            build.clone(),
            vec![PathBuf::from("/fonts")],
            Some(1_700_000_000),
            Limits::default(),
        );
        let back: Setup = serde_json::from_str(&serde_json::to_string(&setup).unwrap()).unwrap();
        let session = back.session();
        assert_eq!(session.root, PathBuf::from("bao-cao"));
        assert_eq!(back.build, build, "formats, -o (not UTF-8) and --pdf-a");
        assert_eq!(back.limits, Limits::default());
        assert_eq!(back.period, Some(Period::NineMonths));
    }
}
