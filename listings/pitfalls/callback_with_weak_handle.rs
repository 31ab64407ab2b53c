use std::cell::{Cell, RefCell};
use std::rc::Rc;

thread_local! {
    /// How many `Button`s have been dropped so far.
    static DROPS: Cell<usize> = const { Cell::new(0) };
}

/// A button that runs a callback when clicked.
struct Button {
    clicks: Cell<u32>,
    on_click: RefCell<Option<Box<dyn Fn()>>>,
}

impl Button {
    fn click(&self) {
        if let Some(callback) = self.on_click.borrow().as_ref() {
            callback();
        }
    }
}

impl Drop for Button {
    fn drop(&mut self) {
        DROPS.set(DROPS.get() + 1);
    }
}

fn main() {
    // ANCHOR: weak
    let button = Rc::new(Button {
        clicks: Cell::new(0),
        on_click: RefCell::new(None),
    });

    // The callback holds a Weak: it can reach the button while it exists, but does not own it.
    let handle = Rc::downgrade(&button);
    let count = move || {
        if let Some(button) = handle.upgrade() {
            button.clicks.set(button.clicks.get() + 1);
        }
    };
    *button.on_click.borrow_mut() = Some(Box::new(count));

    button.click();
    button.click();
    assert_eq!((Rc::strong_count(&button), Rc::weak_count(&button)), (1, 1));
    println!("clicks: {}", button.clicks.get());

    let probe = Rc::downgrade(&button);
    drop(button); // strong count 1 -> 0: the button, and the callback it owns, are dropped
    assert_eq!(probe.strong_count(), 0);
    assert_eq!(DROPS.get(), 1);
    // ANCHOR_END: weak
    println!(
        "after drop(button): strong count {}, drops {}",
        probe.strong_count(),
        DROPS.get()
    );
}
