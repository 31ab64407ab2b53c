fn main() {
    let mut scores = vec![90, 85, 77];
    let first = &scores[0];
    scores.push(100);
    println!("first score: {first}");
}
