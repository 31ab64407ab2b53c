fn main() {
    let report = String::from("all systems nominal");
    let mut archive = Vec::new();
    archive.push(report);
    // Borrow from the String's owner now: the vector.
    let status = &archive[0][..3];
    println!("{status}");
}
