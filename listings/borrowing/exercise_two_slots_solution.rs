fn main() {
    let mut stats = [0u32; 3];
    // One pattern, one borrow of `stats`, split into disjoint parts.
    // (`split_at_mut` does the same for slices whose length is not known.)
    let [low, _, high] = &mut stats;
    *low += 1;
    *high += 10;
    println!("{stats:?}");
}
