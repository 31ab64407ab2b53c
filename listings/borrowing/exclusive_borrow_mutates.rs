fn add_bonus(scores: &mut Vec<u32>, bonus: u32) {
    for score in scores.iter_mut() {
        *score += bonus;
    }
    scores.push(bonus);
}

fn main() {
    let mut scores = vec![10, 20];
    add_bonus(&mut scores, 5); // `scores` is lent out exclusively for the call...
    println!("{scores:?}"); // ...and is usable again once the call returns.
}
