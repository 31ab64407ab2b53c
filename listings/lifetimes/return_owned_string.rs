fn greeting(name: &str) -> String {
    format!("Hello, {name}!") // the caller receives ownership of the new String
}

fn main() {
    let text = greeting("Ada");
    println!("{text}");
}
