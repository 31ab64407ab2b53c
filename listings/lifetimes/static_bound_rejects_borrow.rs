use std::fmt::Debug;

fn keep<T: Debug + 'static>(value: T) -> Box<dyn Debug> {
    Box::new(value)
}

fn main() {
    let name = String::from("Ada");
    let kept = keep(&name);
    println!("{kept:?}");
}
