fn is_even(n: &i32) -> bool {
    n % 2 == 0
}

/// `use<>`: the returned iterator captures no lifetime, so it borrows nothing from `numbers`.
fn evens(numbers: &[i32]) -> impl Iterator<Item = i32> + use<> {
    let found: Vec<i32> = numbers.iter().copied().filter(is_even).collect();
    found.into_iter()
}

/// No `use<..>`: this iterator reads `numbers` lazily, so it must capture its lifetime,
/// and in edition 2024 it does without being told.
fn evens_lazily(numbers: &[i32]) -> impl Iterator<Item = i32> {
    numbers.iter().copied().filter(is_even)
}

fn main() {
    let mut numbers = vec![1, 2, 3, 4];
    let even = evens(&numbers);
    numbers.push(5); // allowed: `even` does not borrow `numbers`
    println!("{:?} from {numbers:?}", even.collect::<Vec<_>>());

    let lazy = evens_lazily(&numbers); // borrows `numbers` until `lazy` is dropped
    println!("{:?}", lazy.collect::<Vec<_>>());
    numbers.push(6); // allowed: `collect` consumed `lazy` on the line above
    println!("{numbers:?}");
}
