fn bigger<'a>(x: &'a i32, y: &'a i32) -> &'a i32 {
    if x >= y { x } else { y }
}

fn main() {
    let on_stack: i32 = 7; // the i32 lives in main's stack frame
    let on_heap: Box<i32> = Box::new(9); // the i32 lives in a heap allocation

    // Both borrows have the same type, `&i32`, and are checked the same way:
    // each must end before the value it points to is dropped or moved.
    let a: &i32 = &on_stack;
    let b: &i32 = &on_heap;
    println!("bigger: {}", bigger(a, b));
}
