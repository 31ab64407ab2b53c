use std::alloc::{GlobalAlloc, Layout, System};
use std::borrow::Cow;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting the blocks it hands out.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    // `realloc` is not overridden: the default allocates a new block, copies and frees the old
    // one, so every growth of a buffer is counted as one more allocation.
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many allocations `f` caused, and its result.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.load(Relaxed);
    let result = f();
    (ALLOCATIONS.load(Relaxed) - before, result)
}

// ANCHOR: cheap
/// Replaces tabs with spaces, allocating only when there is a tab to replace.
fn untabify(text: &str) -> Cow<'_, str> {
    if text.contains('\t') {
        Cow::Owned(text.replace('\t', "    "))
    } else {
        Cow::Borrowed(text)
    }
}

fn main() {
    let config: Rc<String> = Rc::new("a large, shared configuration".repeat(100));
    assert_eq!(config.len(), 2900);

    // Rc::clone copies a pointer and increments a counter: the 2,900 bytes stay where they are.
    let (rc_allocs, (a, b)) = allocations(|| (Rc::clone(&config), Rc::clone(&config)));
    println!(
        "two Rc::clone calls:  {rc_allocs} allocations, strong count {}",
        Rc::strong_count(&config)
    );
    assert!(Rc::ptr_eq(&a, &b));

    // Cow: a clean line is returned borrowed, as is; only a line with a tab is copied.
    let (clean_allocs, clean) = allocations(|| untabify("no tabs here"));
    let (tabbed_allocs, tabbed) = allocations(|| untabify("one\ttab"));
    let owned = |c: &Cow<str>| matches!(c, Cow::Owned(_));
    println!(
        "untabify(clean line): {clean_allocs} allocations, owned: {}",
        owned(&clean)
    );
    println!(
        "untabify(tabbed):     {tabbed_allocs} allocations, owned: {}",
        owned(&tabbed)
    );
    // Why 2: `replace` reserves as many bytes as its input (7), the result needs 10, so the
    // buffer grows once, to 14. This allocator does not override `realloc`, whose default
    // allocates a new block, copies and frees the old one: the growth counts as an allocation.
    if let Cow::Owned(line) = &tabbed {
        assert_eq!((line.len(), line.capacity()), (10, 14));
    }

    // A version that always returns a `String` allocates for the clean line too.
    let (always_allocs, _) = allocations(|| "no tabs here".replace('\t', "    "));
    println!("replace(clean line):  {always_allocs} allocations");
}
// ANCHOR_END: cheap
