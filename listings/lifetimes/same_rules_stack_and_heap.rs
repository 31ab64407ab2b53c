fn main() {
    let on_stack: i32 = 7; // this i32 lives in main's stack frame
    let on_heap: Vec<i32> = vec![9]; // this i32 lives in the Vec's heap buffer

    // Both borrows are `&i32`: the type does not record where the value is, and one rule
    // applies to both: while a borrow is in use, its value may not be dropped, moved or
    // changed (copying a `Copy` value such as `on_stack` out is allowed: it moves nothing).
    let borrows: [&i32; 2] = [&on_stack, &on_heap[0]];
    for value in borrows {
        println!("{value}");
    }
    // Both borrows ended at their last use, in the loop, before either owner lets go.
} // `on_heap` frees its buffer here; `on_stack` goes with main's stack frame
