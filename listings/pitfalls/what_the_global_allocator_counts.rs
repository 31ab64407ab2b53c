use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::thread;

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

/// Runs `f` and returns (allocations, bytes) it caused, plus its result.
fn measure<T>(f: impl FnOnce() -> T) -> (usize, usize, T) {
    let (a0, b0) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    let result = f();
    let (a1, b1) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    (a1 - a0, b1 - b0, result)
}

// The C library's allocator, called directly, as C code linked into a Rust program would.
unsafe extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn free(ptr: *mut c_void);
}

const MIB: usize = 1 << 20;

fn main() {
    // ANCHOR: counts
    // Memory that Rust's standard library allocates goes through the global allocator...
    let (vec_allocs, vec_bytes, buffer) = measure(|| vec![0u8; MIB]);

    // ...memory that C code gets from `malloc` does not...
    let (c_allocs, c_bytes, block) = measure(|| unsafe { malloc(MIB) });
    assert!(!block.is_null());
    unsafe { free(block) };
    assert_eq!((c_allocs, c_bytes), (0, 0));

    // ...and neither does a new thread's stack, which the operating system maps: spawning a
    // thread with an 8 MiB stack costs only a few small blocks of bookkeeping.
    let (thread_allocs, thread_bytes, _) = measure(|| {
        let worker = thread::Builder::new().stack_size(8 * MIB).spawn(|| 6 * 7);
        worker.unwrap().join().unwrap()
    });
    assert!(thread_bytes < MIB);
    // ANCHOR_END: counts

    println!("vec![0u8; 1 MiB]:            {vec_allocs} allocations, {vec_bytes} bytes");
    println!("malloc(1 MiB), from C:       {c_allocs} allocations, {c_bytes} bytes");
    println!("thread with an 8 MiB stack:  {thread_allocs} allocations, {thread_bytes} bytes");
    drop(buffer);
}
