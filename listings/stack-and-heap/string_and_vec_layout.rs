use std::mem::size_of;

fn main() {
    // This book assumes a 64-bit target: pointers and `usize` are 8 bytes.
    assert_eq!(size_of::<usize>(), 8);

    let mut s = String::with_capacity(8);
    s.push_str("hello");
    let mut v: Vec<i32> = Vec::with_capacity(4);
    v.extend([10, 20, 30]);

    // On the stack: pointer, length, capacity, 8 bytes each.
    assert_eq!(size_of::<String>(), 24);
    assert_eq!(size_of::<Vec<i32>>(), 24);

    // In the heap buffer: `len` elements in use, room for `capacity`.
    // Vec promises to ask the allocator for exactly 4 and to report at least that; String
    // promises only `>= 8`. Today both report exactly what was asked for.
    assert_eq!((s.len(), s.capacity()), (5, 8));
    assert_eq!((v.len(), v.capacity()), (3, 4));
    assert_eq!(size_of::<i32>() * v.capacity(), 16);

    // The numbers the diagram shows, each line named by what it measures.
    let words = size_of::<String>() / size_of::<usize>();
    println!("s: len {}, capacity {}", s.len(), s.capacity());
    println!("v: len {}, capacity {}", v.len(), v.capacity());
    println!("v's elements: {v:?}");
    println!("usize: {} bytes (a {}-bit target)", size_of::<usize>(), usize::BITS);
    println!("String: {} bytes ({words} × {})", size_of::<String>(), size_of::<usize>());
    println!("Vec<i32>: {} bytes ({words} × {})", size_of::<Vec<i32>>(), size_of::<usize>());
    println!(
        "s's buffer: {} bytes in use, {} spare, {} in all",
        s.len(),
        s.capacity() - s.len(),
        s.capacity()
    );
    println!(
        "v's buffer: {} elements in use, {} spare, {} × {} = {} bytes in all",
        v.len(),
        v.capacity() - v.len(),
        v.capacity(),
        size_of::<i32>(),
        v.capacity() * size_of::<i32>()
    );
}
