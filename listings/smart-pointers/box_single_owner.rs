// A Box owns one value on the heap; the Box itself is one pointer on the stack.
use std::mem::size_of;

fn main() {
    let boxed: Box<[u8; 4096]> = Box::new([7; 4096]); // the 4 KiB end up on the heap
    assert_eq!(size_of::<Box<[u8; 4096]>>(), 8); // the handle: one pointer (64-bit target)
    assert_eq!(boxed[0], 7); // indexing goes through the pointer (Deref)

    let moved = boxed; // moves the 8-byte pointer; the 4 KiB stay where they are
    // `boxed` can no longer be used: `moved` is now the single owner.
    println!("first byte: {}, length: {}", moved[0], moved.len());

    assert_eq!(size_of::<Box<[u8]>>(), 16); // a boxed slice: pointer + length

    let mut n = Box::new(41);
    *n += 1; // the owner may mutate through the Box (DerefMut)
    println!("n = {n}");

    let text = Box::new(String::from("moved out"));
    let inner: String = *text; // only a Box lets `*` move its value out; `text` is consumed
    println!("{inner}");
} // `inner`, `n` and `moved` are dropped: each Box drops its value and frees its allocation
