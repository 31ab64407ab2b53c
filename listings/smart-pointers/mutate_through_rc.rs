use std::rc::Rc;

fn main() {
    let shared = Rc::new(vec![1, 2, 3]);
    let other = Rc::clone(&shared);
    shared.push(4); // would change what `other` sees, behind its back
    println!("{other:?}");
}
