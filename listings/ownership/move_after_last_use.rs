fn consume(text: String) -> usize {
    text.len()
}

fn main() {
    let text = String::from("move while borrowed");
    let words: Vec<&str> = text.split(' ').collect();
    println!("{} words: {words:?}", words.len()); // the last use of `words`...

    let n = consume(text); // ...so moving `text` afterwards is fine
    println!("{n} bytes");
}
