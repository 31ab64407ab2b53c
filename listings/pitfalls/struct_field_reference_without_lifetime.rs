/// One word of a text and the line it is on, pointing into the text instead of copying it.
struct Word {
    text: &str,
    line: usize,
}

fn main() {
    let text = String::from("borrow checker");
    let word = Word {
        text: &text[..6],
        line: 1,
    };
    println!("{} on line {}", word.text, word.line);
}
