//! The time budget: a thread that ends the process (see `exit`) when a deadline passes.
//! `build`, `check` and `diff` arm it once for the whole command; a `watch` worker arms it for
//! each rebuild and disarms it after. Arming and disarming take a lock and wake the thread:
//! microseconds, against a rebuild's hundreds of milliseconds.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::exit::{self, Kind};

struct Shared {
    deadline: Mutex<Option<Instant>>,
    wake: Condvar,
    limit: Duration,
}

/// A started watchdog (disarmed until [`Watchdog::arm`]).
pub struct Watchdog {
    shared: Arc<Shared>,
}

impl Watchdog {
    /// Start the thread that watches for `limit` after each [`arm`](Self::arm).
    pub fn start(limit: Duration) -> std::io::Result<Self> {
        exit::TIME_SECS.store(limit.as_secs(), Ordering::Relaxed);
        let shared = Arc::new(Shared {
            deadline: Mutex::new(None),
            wake: Condvar::new(),
            limit,
        });
        let watched = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("baocao-watchdog".into())
            .spawn(move || watch(&watched))?;
        Ok(Self { shared })
    }

    /// End the process unless [`disarm`](Self::disarm) comes within the limit from now.
    pub fn arm(&self) {
        self.set(Some(Instant::now() + self.shared.limit));
    }

    pub fn disarm(&self) {
        self.set(None);
    }

    fn set(&self, deadline: Option<Instant>) {
        *self
            .shared
            .deadline
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = deadline;
        self.shared.wake.notify_one();
    }
}

fn watch(shared: &Shared) {
    let mut deadline = shared
        .deadline
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    loop {
        deadline = match *deadline {
            None => shared
                .wake
                .wait(deadline)
                .unwrap_or_else(PoisonError::into_inner),
            Some(at) => {
                let now = Instant::now();
                if now >= at {
                    exit::end(Kind::Time);
                }
                shared
                    .wake
                    .wait_timeout(deadline, at - now)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
        };
    }
}
