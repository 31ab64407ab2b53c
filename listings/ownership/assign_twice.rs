fn main() {
    let total = 0;
    for n in [1, 2, 3] {
        total = total + n;
    }
    println!("{total}");
}
