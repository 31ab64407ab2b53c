use std::cell::RefCell;

fn name_length() -> usize {
    let name = RefCell::new(String::from("Ada"));
    // `name.borrow()` makes a temporary `Ref` that borrows `name`.
    // Edition 2024 drops it at the end of this tail expression,
    // before the local `name` is dropped.
    name.borrow().len()
}

fn main() {
    println!("{}", name_length());
}
