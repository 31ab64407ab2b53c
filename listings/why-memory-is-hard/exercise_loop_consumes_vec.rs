fn main() {
    let guests = vec![String::from("Ada"), String::from("Grace")];
    for guest in guests {
        println!("welcome, {guest}");
    }
    println!("{} guests welcomed", guests.len());
}
