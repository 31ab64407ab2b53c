fn main() {
    let mut limit = 10;
    let current = &limit;
    println!("current limit: {current}");
    limit = 20; // `current` is no longer used, so `limit` is free again
    println!("new limit: {limit}");
}
