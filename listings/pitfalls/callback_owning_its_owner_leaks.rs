use std::cell::{Cell, RefCell};
use std::rc::Rc;

thread_local! {
    /// How many `Button`s have been dropped so far.
    static DROPS: Cell<usize> = const { Cell::new(0) };
}

// ANCHOR: button
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
// ANCHOR_END: button

fn main() {
    // ANCHOR: leak
    let button = Rc::new(Button {
        clicks: Cell::new(0),
        on_click: RefCell::new(None),
    });

    // The callback counts clicks on its own button, so it needs a handle to the button...
    let handle = Rc::clone(&button);
    let count = move || handle.clicks.set(handle.clicks.get() + 1);
    // ...and the button owns the callback: button -> closure -> button.
    *button.on_click.borrow_mut() = Some(Box::new(count));

    button.click();
    button.click();
    assert_eq!(Rc::strong_count(&button), 2); // `button`, and the closure's `handle`

    let probe = Rc::downgrade(&button);
    drop(button);
    assert_eq!(probe.strong_count(), 1); // the closure still owns it
    assert_eq!(DROPS.get(), 0); // so it is never dropped
    // ANCHOR_END: leak
    println!(
        "after drop(button): strong count {}, drops {}",
        probe.strong_count(),
        DROPS.get()
    );
}
