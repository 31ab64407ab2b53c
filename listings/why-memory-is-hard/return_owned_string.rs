fn shout(word: &str) -> String {
    // The caller receives the String itself, heap buffer and all.
    word.to_uppercase()
}

fn main() {
    let loud = shout("hello");
    println!("{loud}");
}
