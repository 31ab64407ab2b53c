// Two lists that share one tail, built from Rc-linked nodes.
use std::rc::Rc;

struct Node {
    value: i32,
    next: Option<Rc<Node>>,
}

impl Drop for Node {
    fn drop(&mut self) {
        println!("drop node {}", self.value);
    }
}

fn cons(value: i32, next: Option<Rc<Node>>) -> Rc<Node> {
    Rc::new(Node { value, next })
}

fn values(mut node: Option<&Rc<Node>>) -> Vec<i32> {
    let mut out = Vec::new();
    while let Some(n) = node {
        out.push(n.value);
        node = n.next.as_ref();
    }
    out
}

fn main() {
    // ANCHOR: build
    let tail = cons(3, Some(cons(4, None))); // 3 -> 4
    let a = cons(1, Some(Rc::clone(&tail))); // 1 -> 3 -> 4
    let b = cons(2, Some(Rc::clone(&tail))); // 2 -> 3 -> 4

    assert_eq!(values(Some(&a)), [1, 3, 4]);
    assert_eq!(values(Some(&b)), [2, 3, 4]);
    assert_eq!(Rc::strong_count(&tail), 3); // `tail`, a's next, b's next
    assert_eq!(Rc::strong_count(&a), 1);
    // ANCHOR_END: build

    // ANCHOR: drops
    println!("drop(a)");
    drop(a); // node 1 goes; node 3 loses one owner
    assert_eq!(Rc::strong_count(&tail), 2);

    println!("drop(tail)");
    drop(tail); // only a handle goes: b still reaches node 3
    println!("drop(b)");
    drop(b); // node 2 goes, then node 3 (last owner), then node 4
    println!("done");
    // ANCHOR_END: drops
}
