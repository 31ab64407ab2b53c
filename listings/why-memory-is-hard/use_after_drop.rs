fn main() {
    let name = String::from("Ferris");
    let first = &name;
    drop(name);
    println!("{first}");
}
