struct Excerpt<'a> {
    text: &'a str,
}

fn main() {
    let article = String::from("Borrows are checked. Nothing is copied.");
    let excerpt;
    {
        // `excerpt` may be declared anywhere, as long as `article` outlives its uses.
        excerpt = Excerpt { text: &article };
    }
    println!("{}", excerpt.text);
}
