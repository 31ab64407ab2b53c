fn main() {
    let mut limit = 10;
    let current = &limit;
    limit = 20;
    println!("{current} then {limit}");
}
