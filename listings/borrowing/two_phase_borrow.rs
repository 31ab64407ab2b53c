fn main() {
    let mut lengths = vec![0];
    // `lengths.push(..)` needs `&mut lengths`; the argument needs `&lengths`.
    lengths.push(lengths.len());
    lengths.push(lengths.len());
    println!("{lengths:?}");
}
