fn main() {
    // A literal's bytes are part of the program: it lives as long as the program does.
    let literal: &'static str = "ferris";

    // A leaked String is never freed, so it lives as long as the program too...
    let owned = String::from("ferris");
    let heap_buffer = owned.as_ptr();
    let leaked: &'static str = owned.leak();

    // ...and its `&'static str` points into the heap buffer the String allocated.
    assert_eq!(leaked.as_ptr(), heap_buffer);
    assert_eq!(leaked, literal);
    println!("{literal} and {leaked}: both &'static str");
}
