fn main() {
    let guests = vec![String::from("Ada"), String::from("Grace")];
    // Iterate over borrows of the elements; `guests` keeps ownership.
    for guest in &guests {
        println!("welcome, {guest}");
    }
    println!("{} guests welcomed", guests.len());
}
