fn is_even(n: &i32) -> bool {
    n % 2 == 0
}

/// Reads `numbers` lazily, so the returned iterator captures the lifetime of the borrow.
fn evens_lazily(numbers: &[i32]) -> impl Iterator<Item = i32> {
    numbers.iter().copied().filter(is_even)
}

fn main() {
    let mut numbers = vec![1, 2, 3, 4];
    let mut lazy = evens_lazily(&numbers);
    println!("{:?}", lazy.next()); // the last use of `lazy`, but it is not moved
    numbers.push(6); // `lazy` still exists here, and so does its borrow of `numbers`
    println!("{numbers:?}");
} // `lazy` is dropped here
