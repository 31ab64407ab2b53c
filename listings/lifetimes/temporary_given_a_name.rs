fn main() {
    let owned = String::from("Ada"); // the String now has an owner...
    let name: &str = owned.as_str(); // ...that outlives the borrow
    println!("{name}");
}
