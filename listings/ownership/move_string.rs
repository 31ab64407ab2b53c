fn main() {
    let s1 = String::from("hello");
    let s2 = s1; // the String moves: s2 is its owner now, s1 can no longer be used

    // What the diagram shows: three words on the stack, five bytes on the heap.
    assert_eq!(std::mem::size_of::<String>(), 3 * std::mem::size_of::<usize>());
    assert_eq!(s2.len(), 5);
    assert_eq!(s2.capacity(), 5);

    println!("{s2}, world");
    println!("s2: len {}, capacity {}", s2.len(), s2.capacity());
    println!(
        "String: {} bytes ({} × {})",
        std::mem::size_of::<String>(),
        std::mem::size_of::<String>() / std::mem::size_of::<usize>(),
        std::mem::size_of::<usize>()
    );
}
