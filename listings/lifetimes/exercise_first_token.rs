/// A word of source code, and the line it is on.
struct Token<'src> {
    text: &'src str,
    line: u32,
}

impl<'src> Token<'src> {
    fn text(&self) -> &str {
        self.text
    }
}

/// The text of the first token of `source`.
fn first_token(source: &str) -> &str {
    let token = Token {
        text: source.split(' ').next().unwrap_or(""),
        line: 1,
    };
    println!("first token on line {}", token.line);
    token.text()
}

fn main() {
    let source = String::from("let x = 1;");
    println!("{}", first_token(&source));
}
