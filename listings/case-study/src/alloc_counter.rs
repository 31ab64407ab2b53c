//! A global allocator that counts the bytes currently allocated (the "live heap").
//!
//! Install it in a binary with `#[global_allocator] static A: CountingAlloc = CountingAlloc;`
//! and read [`live_bytes`]. The count is exact; reading it while other threads allocate gives a
//! value that was true at some moment during the read.
//!
//! Each thread adds to a counter of its own (on its own cache line), so that counting does not
//! make threads that allocate a lot contend on one shared atomic, which would slow the memory
//! runs down. No timing depends on it: `compare`'s timed runs turn counting off
//! ([`stop_counting`]), and the Criterion benchmark does not install this allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};

/// Off in `compare`'s timed runs, which then pay one predictable branch per allocation.
static COUNTING: AtomicBool = AtomicBool::new(true);

/// Stops counting for the rest of the process: [`live_bytes`] means nothing afterwards.
pub fn stop_counting() {
    COUNTING.store(false, Relaxed);
}

/// Far more than a `compare` child starts (four threads at most: its main thread, one that
/// warms up the channel, two workers); [`threads_sharing_a_counter`] says if a program started
/// more.
const SHARDS: usize = 256;

/// A counter alone on its cache line (two lines, against adjacent-line prefetching).
#[repr(align(128))]
struct Padded(AtomicIsize);

#[allow(clippy::declare_interior_mutable_const)] // only used to initialise the array below
const ZERO: Padded = Padded(AtomicIsize::new(0));

/// Shards `0..SHARDS - 1` each belong to one thread; the last one is shared by the rest.
static COUNTERS: [Padded; SHARDS] = [ZERO; SHARDS];
static NEXT_SHARD: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // `const` and without destructor: usable inside the allocator, even while a thread exits.
    static SHARD: Cell<usize> = const { Cell::new(usize::MAX) };
}

// ANCHOR: record
fn record(delta: isize) {
    if !COUNTING.load(Relaxed) {
        return;
    }
    let shard = SHARD.with(|s| {
        if s.get() == usize::MAX {
            s.set(NEXT_SHARD.fetch_add(1, Relaxed).min(SHARDS - 1));
        }
        s.get()
    });
    let counter = &COUNTERS[shard].0;
    if shard < SHARDS - 1 {
        // Only this thread ever writes this counter: no read-modify-write needed.
        counter.store(counter.load(Relaxed) + delta, Relaxed);
    } else {
        counter.fetch_add(delta, Relaxed);
    }
}

/// How many threads started after the private counters ran out, and so share the last one
/// (updated atomically, which makes allocating from those threads slightly slower).
pub fn threads_sharing_a_counter() -> usize {
    NEXT_SHARD.load(Relaxed).saturating_sub(SHARDS - 1)
}

/// Bytes allocated through [`CountingAlloc`] and not yet freed, over all threads.
pub fn live_bytes() -> isize {
    COUNTERS.iter().map(|c| c.0.load(Relaxed)).sum()
}
// ANCHOR_END: record

/// The system allocator, counting.
pub struct CountingAlloc;

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, and only
// adds bookkeeping that never allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded from our caller, who upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            record(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            record(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (through us) with this `layout`.
        unsafe { System.dealloc(ptr, layout) };
        record(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and `new_size` is checked by our caller.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            record(new_size as isize - layout.size() as isize);
        }
        new
    }
}
