fn main() {
    let mut names = vec![String::from("Ada"), String::from("Grace")];
    let last = &mut names[1];
    println!("{} names", names.len()); // the owner reads while `last` is in use
    last.push_str(" Hopper");
    println!("{names:?}");
}
