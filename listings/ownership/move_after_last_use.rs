fn consume(s: String) -> usize {
    s.len()
}

fn main() {
    let s = String::from("hello");
    let first_word = &s[..1];
    println!("{first_word}"); // the borrow's last use...

    let n = consume(s); // ...so moving s afterwards is fine
    println!("{n}");
}
