fn consume(s: String) -> usize {
    s.len()
}

fn main() {
    let s = String::from("hello");
    let first_word = &s[..1];

    let n = consume(s); // s moves away while first_word still points into it
    println!("{first_word} {n}");
}
