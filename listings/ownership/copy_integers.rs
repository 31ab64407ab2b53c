#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    x: i32,
    y: i32,
}

fn main() {
    let a = 42;
    let b = a; // i32 is Copy: the bits are duplicated, both stay usable
    println!("a = {a}, b = {b}");

    let p = Point { x: 1, y: 2 };
    let mut q = p; // Point is Copy too, because all its fields are
    q.x = 10;
    println!("p = {p:?}, q = {q:?}");
}
