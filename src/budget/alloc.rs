//! The memory budget: a global allocator over the system's that counts the heap bytes in use
//! (one relaxed atomic add per allocation, one subtract per free) and ends the process with
//! the budget's message (`exit`) when an allocation would pass the limit. The binary installs
//! it (`#[global_allocator]` in main.rs); without it, `set_memory_limit` has no effect.
//!
//! What is counted is what the program asked for, not the resident memory: the binary, the
//! stacks and the allocator's own overhead come on top (tens of MiB).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::exit::{self, Kind};

/// Heap bytes in use.
static IN_USE: AtomicUsize = AtomicUsize::new(0);
/// The limit in bytes; `usize::MAX`: none.
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);

/// The counting allocator (see the module's documentation).
pub struct Counting;

/// Set the memory budget in bytes (`None`: no limit).
pub fn set_memory_limit(bytes: Option<u64>) {
    let limit = bytes.map_or(usize::MAX, |b| usize::try_from(b).unwrap_or(usize::MAX));
    exit::MEMORY_MIB.store(bytes.map_or(0, |b| b / (1024 * 1024)), Ordering::Relaxed);
    LIMIT.store(limit, Ordering::Relaxed);
}

/// Heap bytes in use now (0 when the counting allocator is not installed).
pub fn in_use() -> usize {
    IN_USE.load(Ordering::Relaxed)
}

#[inline(always)]
fn grow(n: usize) {
    let now = IN_USE.fetch_add(n, Ordering::Relaxed).wrapping_add(n);
    if now > LIMIT.load(Ordering::Relaxed) {
        over_limit();
    }
}

#[inline(always)]
fn shrink(n: usize) {
    IN_USE.fetch_sub(n, Ordering::Relaxed);
}

#[cold]
#[inline(never)]
fn over_limit() -> ! {
    exit::end(Kind::Memory)
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
