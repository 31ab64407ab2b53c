use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Forwards to the system allocator and counts the requests for memory.
struct Counting;

static REQUESTS: AtomicUsize = AtomicUsize::new(0);

// Edition 2024 warns (unsafe_op_in_unsafe_fn) about an unsafe call in an `unsafe fn` outside
// an `unsafe` block; under the book's -D warnings that is an error, so each call has its block.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        REQUESTS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        REQUESTS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns what it made, with how many times it asked for memory.
fn requests<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = REQUESTS.load(Ordering::Relaxed);
    let value = f();
    (value, REQUESTS.load(Ordering::Relaxed) - before)
}

fn report(operation: &str, calls: usize) {
    println!("{operation:<38} {calls}");
}

fn main() {
    // ANCHOR: main
    println!("{:<38} allocator calls", "operation");
    let (_empty, n) = requests(String::new);
    report("String::new()", n);

    let (s, n) = requests(|| String::from("hello"));
    report("String::from(\"hello\")", n);

    let (t, n) = requests(move || s);
    report("move it", n);

    // The array outlives the closure that made it: returned by value, it moves, no heap.
    let (table, n) = requests(|| [7u64; 64]);
    assert_eq!(size_of_val(&table), 512);
    report("return a [u64; 64] by value", n);

    let (_u, n) = requests(|| t.clone());
    report("clone it", n);

    let (_b, n) = requests(|| Box::new(42));
    report("Box::new(42)", n);

    let (_z, n) = requests(|| Box::new(()));
    report("Box::new(()), a zero-sized value", n);

    let (_v, n) = requests(|| {
        let mut v = Vec::with_capacity(100);
        for i in 0..100 {
            v.push(i);
        }
        v
    });
    report("Vec::with_capacity(100), 100 pushes", n);

    let (_w, n) = requests(|| {
        let mut w = Vec::new();
        for i in 0..100 {
            w.push(i);
        }
        w
    });
    report("Vec::new(), 100 pushes", n);
    // ANCHOR_END: main
}
