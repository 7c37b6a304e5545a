//! The time budget: a timer of the process (`setitimer(ITIMER_REAL)`) whose SIGALRM handler
//! ends the process (see `exit`, which is async-signal-safe: atomics, `unlinkat`, `write`,
//! `_exit`). `build`, `check` and `diff` arm it once for the whole command; a `watch` worker
//! arms it for each rebuild and disarms it after (two system calls a rebuild).
//!
//! A timer rather than a thread that sleeps until the deadline: a second thread from the start
//! takes glibc's allocator off its single-thread fast path for the whole of loading and
//! rendering (measured: a few per cent of a cold build's CPU), and a signal needs no thread.

use std::sync::Once;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::exit::{self, Kind};

/// The process's timer, set up for one limit (disarmed until [`Watchdog::arm`]).
pub struct Watchdog {
    limit: Duration,
}

impl Watchdog {
    /// Install the SIGALRM handler; [`arm`](Self::arm) then starts `limit` from now.
    pub fn start(limit: Duration) -> std::io::Result<Self> {
        exit::TIME_SECS.store(limit.as_secs(), Ordering::Relaxed);
        static INSTALL: Once = Once::new();
        let mut result = Ok(());
        INSTALL.call_once(|| {
            // SAFETY: sigaction with a zeroed (valid) structure; the handler only does
            // async-signal-safe work (see `exit::end`).
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_alarm as extern "C" fn(libc::c_int) as usize;
                sa.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut sa.sa_mask);
                if libc::sigaction(libc::SIGALRM, &sa, std::ptr::null_mut()) != 0 {
                    result = Err(std::io::Error::last_os_error());
                }
            }
        });
        result.map(|()| Self { limit })
    }

    /// End the process unless [`disarm`](Self::disarm) comes within the limit from now.
    pub fn arm(&self) {
        set_timer(self.limit);
    }

    pub fn disarm(&self) {
        set_timer(Duration::ZERO);
    }
}

/// Fire SIGALRM once, `after` from now (zero: never).
fn set_timer(after: Duration) {
    let timer = libc::itimerval {
        it_interval: libc::timeval {
            tv_sec: 0,
            tv_usec: 0,
        },
        it_value: libc::timeval {
            tv_sec: libc::time_t::try_from(after.as_secs()).unwrap_or(libc::time_t::MAX),
            tv_usec: libc::suseconds_t::from(after.subsec_micros()),
        },
    };
    // SAFETY: setitimer with valid structures; the old value is not wanted.
    unsafe { libc::setitimer(libc::ITIMER_REAL, &timer, std::ptr::null_mut()) };
}

extern "C" fn on_alarm(_sig: libc::c_int) {
    exit::end(Kind::Time);
}
