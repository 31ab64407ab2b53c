fn main() {
    let mut names = vec![String::from("Ada"), String::from("Grace")];
    let first = &names[0];
    println!("first: {first}"); // last use of `first`
    names.push(String::from("Barbara")); // no shared borrow is alive any more
    println!("{names:?}");
}
