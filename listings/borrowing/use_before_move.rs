fn main() {
    let report = String::from("all systems nominal");
    let status = &report[..3];
    println!("{status}"); // the borrow's last use...
    let mut archive = Vec::new();
    archive.push(report); // ...comes before the owner gives the String away
    println!("{} archived", archive.len());
}
