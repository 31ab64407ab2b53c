fn main() {
    let mut queue = vec![3, 1, 2];

    let view = &queue; // shared borrow starts
    let largest = view.iter().max().copied();
    println!("{} items, largest {largest:?}", view.len()); // last use of `view`

    // Still inside the block where `view` is declared, but the borrow is over.
    queue.push(4);
    println!("{queue:?}");
}
