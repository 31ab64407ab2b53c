fn main() {
    let mut stats = [0u32; 3];
    let low = &mut stats[0];
    let high = &mut stats[2];
    *low += 1;
    *high += 10;
    println!("{stats:?}");
}
