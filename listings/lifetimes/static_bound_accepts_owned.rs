use std::fmt::Debug;

// Accepts only values that borrow nothing short-lived.
fn keep<T: Debug + 'static>(value: T) -> Box<dyn Debug> {
    Box::new(value)
}

fn main() {
    let literal: &'static str = "built into the binary";
    let name = String::from("Ada"); // created at run time

    let kept = vec![keep(literal), keep(name), keep(42)];
    println!("{kept:?}");
    drop(kept); // the String is freed here, long before the program ends
    println!("dropped");
}
