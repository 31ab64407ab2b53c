fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0]; // `v` is lent out: it keeps R, loses W and O
    println!("{first}"); // the last use of `first`...
    v.push(4); // ...so `v` may change again
    let w = v; // `v` moves: it keeps nothing
    println!("{w:?}");
}
