fn is_even(n: &i32) -> bool {
    n % 2 == 0
}

/// The even numbers of `numbers`, copied out first: the iterator returned owns its data.
fn evens(numbers: &[i32]) -> impl Iterator<Item = i32> {
    let found: Vec<i32> = numbers.iter().copied().filter(is_even).collect();
    found.into_iter()
}

fn main() {
    let mut numbers = vec![1, 2, 3, 4];
    let even = evens(&numbers);
    numbers.push(5);
    println!("{:?} from {numbers:?}", even.collect::<Vec<_>>());
}
