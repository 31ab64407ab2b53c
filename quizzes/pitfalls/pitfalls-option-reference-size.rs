// Prints the size of `Option<&u64>` on this (64-bit) target.
fn main() {
    assert_eq!(
        size_of::<usize>(),
        8,
        "the question is about a 64-bit target"
    );
    println!("{} bytes:", size_of::<Option<&u64>>());
}
