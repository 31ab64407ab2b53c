fn main() {
    let mut scores = vec![90, 85, 77];
    // An i32 is Copy: take the value itself, not a pointer into the buffer.
    let first = scores[0];
    scores.push(100);
    println!("first score: {first}");
}
