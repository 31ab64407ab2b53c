fn consume(text: String) -> usize {
    text.len()
}

fn main() {
    let text = String::from("move while borrowed");
    // Each word is copied into a `String` of its own: `words` borrows nothing.
    let words: Vec<String> = text.split(' ').map(String::from).collect();

    let n = consume(text);
    println!("{} words in {n} bytes: {words:?}", words.len());
}
