fn main() {
    let mut names = Vec::new(); // `mut` allows `&mut names`
    names.push("Ada");
    println!("{names:?}");
}
