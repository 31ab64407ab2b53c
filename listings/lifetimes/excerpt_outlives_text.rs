struct Excerpt<'a> {
    text: &'a str,
}

fn main() {
    let excerpt;
    {
        let article = String::from("Borrows are checked. Nothing is copied.");
        excerpt = Excerpt { text: &article };
    }
    println!("{}", excerpt.text);
}
