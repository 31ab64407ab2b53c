fn main() {
    let greeting = String::from("hello world");
    let world: &str = &greeting[6..];

    // The slice is a pointer into the String's buffer plus a length; nothing was copied.
    assert_eq!(world, "world");
    assert_eq!(world.len(), 5);
    assert_eq!(world.as_ptr(), greeting.as_ptr().wrapping_add(6));

    let numbers: Vec<i32> = (1..=5).collect();
    let middle: &[i32] = &numbers[1..4];
    assert_eq!(middle, [2, 3, 4]);
    assert_eq!(middle.as_ptr(), numbers.as_ptr().wrapping_add(1));

    println!("{world}: {} bytes", world.len());
    println!("numbers: {numbers:?}");
    println!("{middle:?}: {} elements", middle.len());
}
