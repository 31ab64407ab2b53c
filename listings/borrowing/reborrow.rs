fn add_one(counts: &mut Vec<u32>) {
    for count in counts.iter_mut() {
        *count += 1;
    }
}

fn show<T: std::fmt::Debug>(value: T) {
    println!("{value:?}");
}

fn main() {
    let mut counts = vec![0, 5];
    let r = &mut counts;

    add_one(r); // really `add_one(&mut *r)`: `r` is reborrowed, not moved
    add_one(r); // so `r` is still usable

    show(&mut *r); // a generic parameter would take `r` itself; reborrow by hand
    let peek: &Vec<u32> = &*r; // a shared reborrow: `r` is frozen while `peek` is used
    println!("peek: {peek:?}");

    r.push(9); // `peek` is done, `r` is usable again
    println!("{counts:?}"); // `r` is done, the owner is usable again
}
