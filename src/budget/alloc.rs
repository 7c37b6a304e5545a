//! The memory budget: a global allocator over the system's that counts the heap bytes in use
//! and ends the process with the budget's message (`exit`) when they pass the limit. The
//! binary installs it (`#[global_allocator]` in main.rs); without it, `set_memory_limit` has no
//! effect.
//!
//! The count costs next to nothing: each thread adds its allocations and frees to a counter
//! of its own (a plain thread-local, no atomic operation), and only when that counter has
//! moved by [`BATCH`] bytes either way is it added to the process's count, with one relaxed
//! atomic add, and the limit checked. So the process may pass its limit by at most `BATCH`
//! bytes a thread before it is stopped (a single allocation larger than that is checked at
//! once); what a thread leaves in its counter when it ends (less than `BATCH`) is lost to the
//! count.
//!
//! What is counted is what the program asked for, not the resident memory: the binary, the
//! stacks and the allocator's own overhead come on top (tens of MiB).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

use super::exit::{self, Kind};

/// How far a thread's own counter may move before it is added to the process's count.
pub const BATCH: usize = 256 * 1024;

/// Heap bytes in use, as far as the threads have reported them.
static IN_USE: AtomicIsize = AtomicIsize::new(0);
/// The limit in bytes; `usize::MAX`: none.
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);

thread_local! {
    /// This thread's allocations minus its frees since it last reported (bytes). A const
    /// initialiser and no destructor: reading it never allocates.
    static UNREPORTED: Cell<isize> = const { Cell::new(0) };
}

/// The counting allocator (see the module's documentation).
pub struct Counting;

/// Set the memory budget in bytes (`None`: no limit).
pub fn set_memory_limit(bytes: Option<u64>) {
    let limit = bytes.map_or(usize::MAX, |b| usize::try_from(b).unwrap_or(usize::MAX));
    exit::MEMORY_MIB.store(bytes.map_or(0, |b| b / (1024 * 1024)), Ordering::Relaxed);
    LIMIT.store(limit, Ordering::Relaxed);
}

/// Heap bytes in use now, within `BATCH` (256 KiB) bytes a thread (0 when the counting
/// allocator is not installed).
pub fn in_use() -> usize {
    usize::try_from(IN_USE.load(Ordering::Relaxed)).unwrap_or(0)
}

/// Count `delta` bytes (allocated: positive; freed: negative) on this thread, reporting to
/// the process's count past [`BATCH`].
#[inline(always)]
fn count(delta: isize) {
    let pending = UNREPORTED.with(|c| {
        let v = c.get().wrapping_add(delta);
        if v.unsigned_abs() < BATCH {
            c.set(v);
            0
        } else {
            c.set(0);
            v
        }
    });
    if pending != 0 {
        report(pending);
    }
}

#[cold]
#[inline(never)]
fn report(delta: isize) {
    let now = IN_USE
        .fetch_add(delta, Ordering::Relaxed)
        .wrapping_add(delta);
    if delta > 0 && now > 0 && now as usize > LIMIT.load(Ordering::Relaxed) {
        exit::end(Kind::Memory);
    }
}

#[inline(always)]
fn grow(n: usize) {
    count(n as isize);
}

#[inline(always)]
fn shrink(n: usize) {
    count((n as isize).wrapping_neg());
}

// SAFETY: every call is passed on to `System` unchanged; only the count is kept beside it.
unsafe impl GlobalAlloc for Counting {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: the caller's contract is System's.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            shrink(layout.size());
        }
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: the caller's contract is System's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            shrink(layout.size());
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is System's.
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old {
            grow(new_size - old);
        }
        // SAFETY: the caller's contract is System's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        match (p.is_null(), new_size > old) {
            // Failed: the old block stays, the growth was not taken.
            (true, true) => shrink(new_size - old),
            (false, false) => shrink(old - new_size),
            _ => {}
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The thread-local counter reports once it has moved by a batch, either way (the global
    /// count is shared with every test of the process, so only this thread's part is
    /// checked: the counting allocator is not installed in tests).
    #[test]
    fn a_thread_reports_by_batches() {
        std::thread::spawn(|| {
            grow(BATCH - 1);
            assert_eq!(UNREPORTED.with(Cell::get), (BATCH - 1) as isize);
            grow(1);
            assert_eq!(UNREPORTED.with(Cell::get), 0);
            shrink(BATCH / 2);
            shrink(BATCH / 2);
            assert_eq!(UNREPORTED.with(Cell::get), 0);
            shrink(1);
            assert_eq!(UNREPORTED.with(Cell::get), -1);
        })
        .join()
        .unwrap();
    }
}
