fn main() {
    let mut names = vec![String::from("Ada"), String::from("Grace")];
    let last = &mut names[1];
    last.push_str(" Hopper"); // last use of `last`: the exclusive borrow ends here
    println!("{} names", names.len());
    println!("{names:?}");
}
