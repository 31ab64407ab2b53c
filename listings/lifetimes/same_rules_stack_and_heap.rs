fn main() {
    let on_stack: i32 = 7; // this i32 lives in main's stack frame
    let on_heap: Vec<i32> = vec![9]; // this i32 lives in the Vec's heap buffer

    // Both borrows have the same type, `&i32`, so they fit in one array. The type does not
    // record where the value is, and the borrow checker applies one rule to both: each
    // borrow must end before the value it points to is dropped, moved or changed.
    let borrows: [&i32; 2] = [&on_stack, &on_heap[0]];
    for value in borrows {
        println!("{value}");
    }
    // Both borrows ended at their last use, in the loop, before either owner lets go.
} // `on_heap` frees its buffer here; `on_stack` goes with main's stack frame
