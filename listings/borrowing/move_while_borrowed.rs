fn main() {
    let report = String::from("all systems nominal");
    let status = &report[..3];
    drop(report);
    println!("{status}");
}
