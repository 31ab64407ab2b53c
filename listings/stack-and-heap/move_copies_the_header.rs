fn main() {
    // A Copy type: the bytes are duplicated and both variables stay usable.
    let x = 5;
    let y = x;
    println!("x = {x}, y = {y}");

    // A move copies the 24-byte String header; the heap buffer stays where it is.
    let s = String::from("hello");
    let buffer = s.as_ptr();
    let t = s;
    println!("t uses the same heap buffer: {}", t.as_ptr() == buffer);

    // A clone allocates a second buffer and copies the bytes into it.
    let u = t.clone();
    println!("u uses the same heap buffer: {}", u.as_ptr() == buffer);
}
