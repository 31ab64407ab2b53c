fn main() {
    let mut jobs = vec![1, 2, 3];
    // Read first: the iterator's shared borrow ends when `collect` returns.
    let follow_ups: Vec<i32> = jobs.iter().filter(|j| *j % 2 == 1).map(|j| j * 10).collect();
    // Then write.
    jobs.extend(follow_ups);
    println!("{jobs:?}");
}
