fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {
    if x.len() >= y.len() { x } else { y }
}

fn main() {
    let first = String::from("borrow");
    let winner;
    {
        let second = String::from("lifetime");
        winner = longest(&first, &second);
        println!("longest: {winner}"); // used while both Strings are alive: fine
    }
}
