fn main() {
    let mut scores = vec![90, 85, 77];
    assert_eq!(scores.capacity(), 3); // full: the push below must grow the buffer
    // An i32 is Copy: take the value itself, not a pointer into the buffer.
    let first = scores[0];
    scores.push(100);
    println!("first score: {first}");
}
