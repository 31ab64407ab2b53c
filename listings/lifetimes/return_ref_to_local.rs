fn greeting(name: &str) -> &str {
    let text = format!("Hello, {name}!");
    &text
}

fn main() {
    println!("{}", greeting("Ada"));
}
