use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

// ANCHOR: allocator
/// The system allocator, plus two counters: how many blocks were requested and how many bytes.
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
    // `realloc` is not overridden: the default allocates a new block, copies and frees the old
    // one, so every growth of a Vec is counted as one more allocation.
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns (allocations, bytes) it caused, plus its result.
fn measure<T>(f: impl FnOnce() -> T) -> (usize, usize, T) {
    let (a0, b0) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    let result = f();
    let (a1, b1) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    (a1 - a0, b1 - b0, result)
}
// ANCHOR_END: allocator

// ANCHOR: versions
/// Clone-happy: takes the lines by value, so the caller must clone them, then clones again.
fn error_lines_cloned(lines: Vec<String>) -> Vec<String> {
    let mut errors = Vec::new();
    for line in lines.clone() {
        if line.starts_with("ERROR") {
            errors.push(line.clone());
        }
    }
    errors
}

/// Borrowing: reads the lines where they are and returns views into them.
fn error_lines_borrowed(lines: &[String]) -> Vec<&str> {
    lines
        .iter()
        .filter(|line| line.starts_with("ERROR"))
        .map(String::as_str)
        .collect()
}
// ANCHOR_END: versions

fn main() {
    // 1,000 log lines, one in four an error.
    let lines: Vec<String> = (0..1000)
        .map(|i| {
            let level = if i % 4 == 0 { "ERROR" } else { "INFO " };
            format!("{level} request {i:04} served")
        })
        .collect();

    // ANCHOR: measure
    let (cloned_allocs, cloned_bytes, cloned) = measure(|| error_lines_cloned(lines.clone()));
    let (borrowed_allocs, borrowed_bytes, borrowed) = measure(|| error_lines_borrowed(&lines));
    assert_eq!(cloned, borrowed); // same answer...
    // ANCHOR_END: measure

    // Printing allocates too (stdout's buffer), so it comes after the measurements.
    println!("both versions found {} error lines", borrowed.len());
    println!("cloned:   {cloned_allocs:>5} allocations, {cloned_bytes:>6} bytes");
    println!("borrowed: {borrowed_allocs:>5} allocations, {borrowed_bytes:>6} bytes");
}
