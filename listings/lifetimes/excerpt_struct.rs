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
    let sentence;
    {
        let excerpt = Excerpt { text: &article };
        println!("{} bytes borrowed, not copied", excerpt.text.len());
        sentence = excerpt.first_sentence();
    } // the Excerpt is gone, but `sentence` borrows from `article`, not from it
    println!("{sentence}");
}
