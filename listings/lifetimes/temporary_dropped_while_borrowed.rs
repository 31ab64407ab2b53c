fn main() {
    let name: &str = String::from("Ada").as_str();
    println!("{name}");
}
