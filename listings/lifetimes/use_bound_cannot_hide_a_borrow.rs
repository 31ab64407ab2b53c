fn is_even(n: &i32) -> bool {
    n % 2 == 0
}

/// `use<>` promises that the iterator borrows nothing, but this one reads `numbers` lazily.
fn evens_lazily(numbers: &[i32]) -> impl Iterator<Item = i32> + use<> {
    numbers.iter().copied().filter(is_even)
}

fn main() {
    let numbers = vec![1, 2, 3, 4];
    println!("{:?}", evens_lazily(&numbers).collect::<Vec<_>>());
}
