fn main() {
    let report = String::from("all systems nominal");
    let status = &report[..3];
    let mut archive = Vec::new();
    archive.push(report); // the String moves into the vector; nothing is freed
    println!("{status}");
}
