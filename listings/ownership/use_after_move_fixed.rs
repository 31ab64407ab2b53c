fn main() {
    let s1 = String::from("hello");
    let s2 = &s1; // borrow instead of move: s1 keeps the String

    println!("{s1}, world");
    println!("{s2}");
}
