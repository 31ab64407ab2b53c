use std::alloc::{GlobalAlloc, Layout, System};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting the blocks and bytes it hands out.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size(), Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `clone`, then prints how many allocations and bytes it cost.
fn report<T>(what: &str, clone: impl FnOnce() -> T) {
    let (a0, b0) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    let copy = clone();
    let (a1, b1) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    drop(copy);
    // Printing allocates too (the first time), so it comes after the measurement.
    println!("{what:<24} {} allocations, {:>2} bytes", a1 - a0, b1 - b0);
}

// ANCHOR: costs
fn main() {
    let name = String::from("Ada Lovelace");
    let empty = String::new();
    let names = vec![
        String::from("Ada"),
        String::from("Grace"),
        String::from("Barbara"),
    ];
    let shared = Rc::new(String::from("a long text, shared"));
    let shared_across_threads = Arc::new(String::from("a long text, shared"));
    let id: u64 = 7;

    report("String, 12 bytes", || name.clone()); // a new buffer, every byte copied
    report("String, empty", || empty.clone()); // nothing to copy, nothing allocated
    report("Vec<String>, 3 names", || names.clone()); // the Vec's buffer, then each String
    report("Rc<String>", || Rc::clone(&shared)); // a counter increment
    report("Arc<String>", || Arc::clone(&shared_across_threads)); // an atomic increment
    report("u64", || id.clone()); // a copy of 8 bytes, as `let copy = id;` would make
}
// ANCHOR_END: costs
