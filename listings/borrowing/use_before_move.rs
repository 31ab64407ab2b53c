fn main() {
    let report = String::from("all systems nominal");
    let status = &report[..3];
    println!("{status}"); // the borrow's last use...
    drop(report); // ...comes before the owner gives the String away
}
