// The question's function, `let cell = RefCell::new(vec![1]); cell.borrow().len()`, with the
// cell and the guard wrapped in types that record when they are dropped (edition 2024).
use std::cell::{Ref, RefCell};

thread_local! {
    static DROPS: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

fn record(what: &'static str) {
    DROPS.with(|d| d.borrow_mut().push(what));
}

struct Logged(RefCell<Vec<i32>>);

impl Drop for Logged {
    fn drop(&mut self) {
        record("cell");
    }
}

struct Guard<'a>(Ref<'a, Vec<i32>>);

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        record("guard");
    }
}

impl Logged {
    fn borrow(&self) -> Guard<'_> {
        Guard(self.0.borrow())
    }
}

impl Guard<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }
}

fn length() -> usize {
    let cell = Logged(RefCell::new(vec![1]));
    cell.borrow().len()
}

fn main() {
    assert_eq!(length(), 1);
    let order = DROPS.with(|d| d.borrow().clone());
    if order == ["guard", "cell"] {
        println!("before the local `cell` is dropped");
    } else {
        println!("dropped in the order {order:?}");
    }
}
