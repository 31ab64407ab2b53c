struct Excerpt<'a> {
    text: &'a str,
}

impl<'a> Excerpt<'a> {
    fn first_sentence(&self) -> &'a str {
        self.text.split('.').next().unwrap_or("")
    }
}

fn main() {
    let article = String::from("Borrows are checked. Nothing is copied.");
    let excerpt = Excerpt { text: &article };
    println!("{}", excerpt.first_sentence());
    println!("{} bytes borrowed, not copied", excerpt.text.len());
}
