fn shout(word: &str) -> &str {
    let loud = word.to_uppercase();
    &loud
}

fn main() {
    println!("{}", shout("hello"));
}
