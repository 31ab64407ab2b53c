struct Token<'src> {
    text: &'src str,
    line: u32,
}

fn main() {
    let source = String::from("let x = 1;");
    let token = Token { text: &source[..3], line: 1 };
    println!("{} on line {}", token.text, token.line);
}
