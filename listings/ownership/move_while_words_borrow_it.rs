fn consume(text: String) -> usize {
    text.len()
}

fn main() {
    let text = String::from("move while borrowed");
    // Each `&str` in `words` points into `text`'s heap buffer.
    let words: Vec<&str> = text.split(' ').collect();

    let n = consume(text); // `text` moves away while `words` still points into it
    println!("{} words in {n} bytes: {words:?}", words.len());
}
