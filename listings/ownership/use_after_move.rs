fn main() {
    let s1 = String::from("hello");
    let s2 = s1;

    println!("{s1}, world"); // s1 gave its String to s2
    println!("{s2}");
}
