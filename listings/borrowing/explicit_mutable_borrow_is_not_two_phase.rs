fn main() {
    let mut lengths = vec![0];
    Vec::push(&mut lengths, lengths.len());
    println!("{lengths:?}");
}
