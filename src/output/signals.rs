//! Temporary files removed when the process is stopped by SIGINT (Ctrl+C), SIGTERM or
//! SIGHUP while it writes.
//!
//! A signal handler may only do async-signal-safe work: this one takes no lock and allocates
//! nothing. Writers register a temporary file in a fixed table of slots (the descriptor of
//! its folder and its name, copied in beforehand); the handler claims each registered slot
//! with an atomic exchange, `unlinkat`s the name, and raises the signal again, which now has
//! its default action (SA_RESETHAND) and ends the process as it would have ended anyway.
//!
//! The handlers are installed at the first registration, not for a signal the process was
//! told to ignore (`nohup`). A file created but not yet registered when the signal comes (a
//! window of a few instructions) is left like a kill -9 leftover: unlocked, so the next write
//! to that output removes it.

use std::cell::UnsafeCell;
use std::ffi::CStr;
use std::os::fd::RawFd;
use std::sync::Once;
use std::sync::atomic::{AtomicI32, AtomicU8, Ordering};

/// Writes at once in one process that get this protection (a build makes one at a time).
const SLOTS: usize = 8;

/// A name of up to 255 bytes and its NUL.
const NAME_BYTES: usize = 256;

const FREE: u8 = 0;
const FILLING: u8 = 1;
const READY: u8 = 2;
const HANDLING: u8 = 3;

struct Slot {
    state: AtomicU8,
    dir: AtomicI32,
    name: UnsafeCell<[u8; NAME_BYTES]>,
}

// SAFETY: `name` is written only by the thread that moved `state` from FREE to FILLING, and
// read only by the one that moved it from READY to HANDLING; the release store of READY
// orders the write before any such read.
unsafe impl Sync for Slot {}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Slot = Slot {
    state: AtomicU8::new(FREE),
    dir: AtomicI32::new(-1),
    name: UnsafeCell::new([0; NAME_BYTES]),
};

static TABLE: [Slot; SLOTS] = [EMPTY; SLOTS];

/// A temporary file known to the handler until this is dropped.
pub struct Registration(Option<usize>);

/// Register `name` in the folder open as `dir`. A full table, or a name too long, leaves the
/// file unregistered (then only the next write's clean-up removes it after a signal).
pub fn register(dir: RawFd, name: &CStr) -> Registration {
    install();
    let bytes = name.to_bytes_with_nul();
    if bytes.len() > NAME_BYTES {
        return Registration(None);
    }
    for (i, slot) in TABLE.iter().enumerate() {
        if slot
            .state
            .compare_exchange(FREE, FILLING, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            // SAFETY: this thread owns the slot while it is FILLING (see `Slot`).
            unsafe { (&mut *slot.name.get())[..bytes.len()].copy_from_slice(bytes) };
            slot.dir.store(dir, Ordering::Relaxed);
            slot.state.store(READY, Ordering::Release);
            return Registration(Some(i));
        }
    }
    Registration(None)
}

impl Drop for Registration {
    fn drop(&mut self) {
        let Some(i) = self.0 else { return };
        let slot = &TABLE[i];
        if slot
            .state
            .compare_exchange(READY, FREE, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // A handler is removing the file and the process is ending: never return to
            // close the folder's descriptor under it.
            loop {
                std::thread::park();
            }
        }
    }
}

extern "C" fn on_signal(sig: libc::c_int) {
    remove_registered();
    // SAFETY: raise is async-signal-safe. SA_RESETHAND restored the default action, so the
    // signal ends the process (at once, or when this handler returns).
    unsafe { libc::raise(sig) };
}

/// Remove every registered temporary file, as the signal handler does: async-signal-safe (no
/// lock, no allocation), for a process about to end with `_exit` (a spent budget, `budget`).
/// A slot claimed here stays claimed: a write that finishes meanwhile parks its thread in
/// `Registration::drop` instead of closing the folder under the removal.
pub fn remove_registered() {
    for slot in TABLE.iter() {
        if slot
            .state
            .compare_exchange(READY, HANDLING, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            let dir = slot.dir.load(Ordering::Relaxed);
            // SAFETY: unlinkat is async-signal-safe; the name is NUL-terminated and no longer
            // written by anyone (the slot is HANDLING).
            unsafe { libc::unlinkat(dir, (*slot.name.get()).as_ptr().cast(), 0) };
        }
    }
}

fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: sigaction with zeroed (valid) structures; the handler is async-signal-safe.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, std::ptr::null(), &mut old) != 0
                    || old.sa_sigaction == libc::SIG_IGN
                {
                    continue;
                }
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                sa.sa_flags = libc::SA_RESETHAND | libc::SA_RESTART;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, std::ptr::null_mut());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_taken_and_given_back() {
        let name = c"x";
        let regs: Vec<Registration> = (0..SLOTS).map(|_| register(-1, name)).collect();
        // Other tests of this process may hold slots: at least one was given here.
        assert!(regs.iter().any(|r| r.0.is_some()));
        let held: Vec<usize> = regs.iter().filter_map(|r| r.0).collect();
        drop(regs);
        for i in held {
            assert_eq!(TABLE[i].state.load(Ordering::Acquire), FREE);
        }
    }
}
