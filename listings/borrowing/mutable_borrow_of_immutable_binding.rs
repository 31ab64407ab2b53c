fn main() {
    let names = Vec::new();
    names.push("Ada");
    println!("{names:?}");
}
