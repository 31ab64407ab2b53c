use std::cell::RefCell;
use std::rc::Rc;

struct Node {
    name: &'static str,
    next: RefCell<Option<Rc<Node>>>,
}

impl Drop for Node {
    fn drop(&mut self) {
        println!("drop {}", self.name);
    }
}

fn node(name: &'static str) -> Rc<Node> {
    Rc::new(Node {
        name,
        next: RefCell::new(None),
    })
}

fn main() {
    let a = node("a");
    let b = node("b");
    // Close a loop: a -> b -> a.
    *a.next.borrow_mut() = Some(Rc::clone(&b));
    *b.next.borrow_mut() = Some(Rc::clone(&a));

    println!("owners of a: {}", Rc::strong_count(&a));
    println!("owners of b: {}", Rc::strong_count(&b));
    println!("end of main");
}
