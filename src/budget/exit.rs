//! The end of a process whose time or memory budget is spent: temporary files removed, one
//! Vietnamese message on stderr, `_exit(1)`. Nothing here allocates or takes a lock (it runs
//! inside the allocator, or in a signal handler while any thread may hold any lock): the
//! message is composed in a fixed buffer on the stack (`core::fmt`, which neither allocates
//! nor locks) and written with `write(2)`; atomics, `unlinkat`, `write`, `pause` and `_exit`
//! are async-signal-safe.

use std::fmt::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::Stage;

/// Which budget was spent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Time,
    Memory,
}

/// `--diagnostic-format short`: one line, no hints.
static SHORT: AtomicBool = AtomicBool::new(false);
/// The limits as the user gave them, for the message (seconds, MiB).
pub(super) static TIME_SECS: AtomicU64 = AtomicU64::new(0);
pub(super) static MEMORY_MIB: AtomicU64 = AtomicU64::new(0);
/// Set by the first thread to end the process; any other one waits for the end.
static ENDING: AtomicBool = AtomicBool::new(false);

/// Print the message of a spent budget on one line, without hints (`--diagnostic-format
/// short`), or in full (the default).
pub fn set_short_messages(short: bool) {
    SHORT.store(short, Ordering::Relaxed);
}

/// A message being composed, in a fixed buffer; what does not fit is cut.
pub(crate) struct Message {
    bytes: [u8; 1536],
    len: usize,
}

impl Message {
    fn new() -> Self {
        Self {
            bytes: [0; 1536],
            len: 0,
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl Write for Message {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.bytes.len() - self.len;
        // Cut at a character boundary, so the message stays UTF-8.
        let mut n = s.len().min(room);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        self.bytes[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// The message of a spent budget: what was spent, in which stage, and how to raise the limit.
pub(crate) fn compose(kind: Kind, stage: Stage, limit: u64, short: bool) -> Message {
    let mut m = Message::new();
    let _ = compose_into(&mut m, kind, stage, limit, short);
    m
}

fn compose_into(m: &mut Message, kind: Kind, stage: Stage, limit: u64, short: bool) -> fmt::Result {
    let (what, unit) = match kind {
        Kind::Time => ("thời gian", "giây"),
        Kind::Memory => ("bộ nhớ", "MiB"),
    };
    writeln!(
        m,
        "lỗi: vượt giới hạn {what} {limit} {unit} khi đang {}: đã dừng, các tệp đã có giữ nguyên",
        stage.words()
    )?;
    if short {
        return Ok(());
    }
    let cause = match (stage, kind) {
        (Stage::Typeset, _) => {
            "gợi ý: có thể một vòng lặp trong mã Typst của mẫu chạy quá lâu hoặc tạo quá nhiều \
             dữ liệu, như `#for i in range(1000000000) {}`; Typst không cho biết dòng nào: xem \
             lại phần mẫu vừa sửa\n"
        }
        (Stage::Render, _) => {
            "gợi ý: có thể một vòng lặp `{% for %}` của mẫu chạy quá lâu hoặc tạo quá nhiều dữ \
             liệu; xem lại phần mẫu vừa sửa\n"
        }
        (Stage::Load, _) => "gợi ý: có thể một tệp số liệu quá lớn\n",
        _ => "",
    };
    m.write_str(cause)?;
    let flag = match kind {
        Kind::Time => "--time-limit",
        Kind::Memory => "--memory-limit",
    };
    writeln!(
        m,
        "gợi ý: nếu báo cáo thật sự cần nhiều hơn, tăng giới hạn: `{flag} {}` (0: không giới hạn)",
        limit.saturating_mul(2)
    )
}

/// End the process: remove the temporary files of outputs being written, print the message
/// of the spent budget on stderr, `_exit(1)`. Allocates nothing; a second caller (another
/// thread over the limit meanwhile) waits for the end instead.
pub(crate) fn end(kind: Kind) -> ! {
    // The time limit's signal must not land on this thread while it ends the process (its
    // handler would wait here for ever): block it, it goes to another thread or nowhere.
    // SAFETY: sigemptyset, sigaddset and pthread_sigmask only touch the set on this stack
    // and this thread's mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGALRM);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
    if ENDING.swap(true, Ordering::AcqRel) {
        loop {
            // SAFETY: pause only waits for a signal; the process is about to end.
            unsafe { libc::pause() };
        }
    }
    crate::output::remove_temporary_files();
    let limit = match kind {
        Kind::Time => TIME_SECS.load(Ordering::Relaxed),
        Kind::Memory => MEMORY_MIB.load(Ordering::Relaxed),
    };
    let m = compose(kind, super::stage(), limit, SHORT.load(Ordering::Relaxed));
    write_all(2, m.as_bytes());
    // SAFETY: _exit ends the process at once, without running destructors or atexit
    // handlers (which could allocate); stdout's complete lines are already written.
    unsafe { libc::_exit(1) }
}

/// `write(2)` until every byte is out, retrying on EINTR; gives up on any other error.
fn write_all(fd: libc::c_int, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: the pointer and length describe a live slice.
        let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n > 0 {
            bytes = &bytes[n as usize..];
        } else if n < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            continue;
        } else {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &Message) -> &str {
        std::str::from_utf8(m.as_bytes()).unwrap()
    }

    #[test]
    fn the_message_names_the_budget_the_stage_and_the_flag() {
        let m = compose(Kind::Memory, Stage::Typeset, 768, false);
        let t = text(&m);
        assert!(
            t.starts_with(
                "lỗi: vượt giới hạn bộ nhớ 768 MiB khi đang dàn trang (Typst): đã dừng, các tệp đã có giữ nguyên\n"
            ),
            "{t}"
        );
        assert!(t.contains("`#for i in range(1000000000) {}`"), "{t}");
        assert!(
            t.ends_with("`--memory-limit 1536` (0: không giới hạn)\n"),
            "{t}"
        );

        let m = compose(Kind::Time, Stage::Render, 20, false);
        let t = text(&m);
        assert!(
            t.starts_with(
                "lỗi: vượt giới hạn thời gian 20 giây khi đang dựng lời văn từ mẫu (minijinja)"
            ),
            "{t}"
        );
        assert!(t.contains("`{% for %}`"), "{t}");
        assert!(
            t.ends_with("`--time-limit 40` (0: không giới hạn)\n"),
            "{t}"
        );
    }

    #[test]
    fn the_short_message_is_one_line() {
        let m = compose(Kind::Time, Stage::Idle, 120, true);
        assert_eq!(
            text(&m),
            "lỗi: vượt giới hạn thời gian 120 giây khi đang chạy: đã dừng, các tệp đã có giữ nguyên\n"
        );
    }

    #[test]
    fn a_message_too_long_is_cut_at_a_character() {
        let mut m = Message::new();
        for _ in 0..1000 {
            let _ = m.write_str("ầ");
        }
        assert!(m.as_bytes().len() <= 1536);
        assert!(std::str::from_utf8(m.as_bytes()).is_ok());
    }
}
