fn total_length(words: &[String]) -> usize {
    words.iter().map(|w| w.len()).sum()
}

fn main() {
    let words = vec![String::from("shared"), String::from("borrows")];

    // Three shared borrows of `words` are alive at the same time.
    let a = &words;
    let b = &words;
    let first = &words[0];

    println!("{} words, {} bytes, first is {first:?}", a.len(), total_length(b));
    // The owner can still read, too.
    println!("owner sees {words:?}");
}
