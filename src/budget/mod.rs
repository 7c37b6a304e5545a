//! Budgets: what one command may spend before it is stopped with a Vietnamese message and
//! exit code 1. Templates are code: a loop that never ends, or one that grows without bound,
//! must end with a message naming what was spent, never run on, fill the memory, or die with
//! a Rust backtrace.
//!
//! - Template work (errors of `render`, naming the template and line): minijinja's fuel
//!   ([`Limits::fuel`]) and a cap on the size of the rendered markup ([`Limits::markup`]).
//! - Time ([`Limits::time`]): [`Watchdog`], a timer of the process whose signal ends it when
//!   the command, or one rebuild of a `watch` worker, runs past the limit.
//! - Memory ([`Limits::memory`]): [`Counting`], the binary's global allocator, which counts
//!   the heap bytes in use and ends the process when they pass the limit.
//!
//! Typst cannot be interrupted, so the time and memory limits end the process: first the
//! temporary file of an output being written is removed (the last good output stays), then a
//! message naming the stage the process was in ([`Stage`]) is written without allocating
//! (`exit`), then `_exit(1)`. `watch` runs its rebuilds in a worker process
//! (`crate::watch::worker`), so a runaway rebuild ends the worker, not the watch.

mod alloc;
mod exit;
mod watchdog;

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use alloc::{Counting, in_use, set_memory_limit};
pub use exit::set_short_messages;
pub use watchdog::Watchdog;

/// `--time-limit` by default, in seconds: a real report never nears it (the 2.000-indicator
/// report of tests/cli/scale.rs builds in about 2 s).
pub const DEFAULT_TIME_SECS: u64 = 120;
/// `--memory-limit` by default, in MiB of heap in use (the 2.000-indicator report peaks at
/// about 450 MB of resident memory).
pub const DEFAULT_MEMORY_MIB: u64 = 2048;
/// `--template-fuel` by default: minijinja's fuel for one render (about one unit an
/// instruction, one per 64 bytes of data made). The default report uses about 6.500, the
/// 2.000-indicator report about 153.000 (65 times less); a runaway loop spends 10 million in
/// a second or two.
pub const DEFAULT_FUEL: u64 = 10_000_000;
/// `--markup-limit` by default, in MiB of rendered Typst markup: the default report renders
/// 0,13 MiB, the 2.000-indicator report 0,65 MiB (24 times less).
pub const DEFAULT_MARKUP_MIB: u64 = 16;

const MIB: u64 = 1024 * 1024;

/// What one command may spend; `None`: no limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Wall time of the command, or of one rebuild of `watch`.
    pub time: Option<Duration>,
    /// Heap bytes in use at once.
    pub memory: Option<u64>,
    /// minijinja fuel of one render of the report.
    pub fuel: Option<u64>,
    /// Bytes of rendered markup.
    pub markup: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Self::from_options(
            DEFAULT_TIME_SECS,
            DEFAULT_MEMORY_MIB,
            DEFAULT_FUEL,
            DEFAULT_MARKUP_MIB,
        )
    }
}

impl Limits {
    /// From the command line's units (seconds, MiB, fuel, MiB); 0 is no limit.
    pub fn from_options(time_secs: u64, memory_mib: u64, fuel: u64, markup_mib: u64) -> Self {
        let some = |v: u64| (v > 0).then_some(v);
        Self {
            time: some(time_secs).map(Duration::from_secs),
            memory: some(memory_mib).map(|m| m.saturating_mul(MIB)),
            fuel: some(fuel),
            markup: some(markup_mib).map(|m| m.saturating_mul(MIB)),
        }
    }

    /// No limit at all.
    pub fn none() -> Self {
        Self {
            time: None,
            memory: None,
            fuel: None,
            markup: None,
        }
    }
}

/// The stage of the pipeline a process is in, for the message of a spent time or memory
/// budget (Typst cannot say which template line was running).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Stage {
    Idle = 0,
    Load = 1,
    Render = 2,
    Typeset = 3,
    Pdf = 4,
    Write = 5,
    Html = 6,
    Xlsx = 7,
    Docx = 8,
}

static STAGE: AtomicU8 = AtomicU8::new(Stage::Idle as u8);

impl Stage {
    fn from_u8(v: u8) -> Self {
        match v {
            1 => Stage::Load,
            2 => Stage::Render,
            3 => Stage::Typeset,
            4 => Stage::Pdf,
            5 => Stage::Write,
            6 => Stage::Html,
            7 => Stage::Xlsx,
            8 => Stage::Docx,
            _ => Stage::Idle,
        }
    }

    /// The stage in the words of the messages: `khi đang {words}`.
    pub fn words(self) -> &'static str {
        match self {
            Stage::Idle => "chạy",
            Stage::Load => "đọc số liệu (data/)",
            Stage::Render => "dựng lời văn từ mẫu (minijinja)",
            Stage::Typeset => "dàn trang (Typst)",
            Stage::Pdf => "xuất PDF",
            Stage::Write => "ghi tệp",
            Stage::Html => "xuất HTML",
            Stage::Xlsx => "xuất bảng tính Excel",
            Stage::Docx => "xuất bản Word",
        }
    }
}

/// The stage the process is in now.
pub fn stage() -> Stage {
    Stage::from_u8(STAGE.load(Ordering::Relaxed))
}

/// The process is in `stage` until the guard is dropped (then back in the stage before).
#[must_use = "the stage ends when the guard is dropped"]
pub struct StageGuard(u8);

/// Enter `stage` (see [`StageGuard`]).
pub fn enter(stage: Stage) -> StageGuard {
    StageGuard(STAGE.swap(stage as u8, Ordering::Relaxed))
}

impl Drop for StageGuard {
    fn drop(&mut self) {
        STAGE.store(self.0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_no_limit_and_units_are_converted() {
        let l = Limits::from_options(20, 768, 0, 64);
        assert_eq!(l.time, Some(Duration::from_secs(20)));
        assert_eq!(l.memory, Some(768 * 1024 * 1024));
        assert_eq!(l.fuel, None);
        assert_eq!(l.markup, Some(64 * 1024 * 1024));
        assert_eq!(Limits::from_options(0, 0, 0, 0), Limits::none());
        assert_eq!(
            Limits::from_options(1, u64::MAX, 1, 1).memory,
            Some(u64::MAX),
            "saturates"
        );
    }

    #[test]
    fn stages_round_trip_and_have_words() {
        for s in [
            Stage::Idle,
            Stage::Load,
            Stage::Render,
            Stage::Typeset,
            Stage::Pdf,
            Stage::Write,
            Stage::Html,
            Stage::Xlsx,
            Stage::Docx,
        ] {
            assert_eq!(Stage::from_u8(s as u8), s);
            assert!(!s.words().is_empty());
        }
        assert_eq!(Stage::from_u8(200), Stage::Idle);
    }
}
