fn main() {
    let owned = String::from("Ada"); // the String now has an owner...
    let name: &str = owned.as_str(); // ...that outlives the borrow
    println!("{name}");

    // `&` applied directly to a temporary in a `let` extends the temporary's life
    // to the end of the block; a method call such as `.as_str()` does not.
    let extended: &String = &String::from("Grace");
    println!("{extended}");
}
