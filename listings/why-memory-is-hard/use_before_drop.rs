fn main() {
    let name = String::from("Ferris");
    let first = &name;
    println!("{first}");
    // The borrow's last use is above, so the String can be freed now.
    drop(name);
}
