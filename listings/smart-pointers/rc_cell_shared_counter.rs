// Rc<Cell<T>>: every handle may change a small Copy value, and every handle sees the change.
use std::cell::Cell;
use std::rc::Rc;

struct Button {
    clicks: Rc<Cell<u32>>, // shared ownership of one counter
}

impl Button {
    fn click(&self) {
        self.clicks.set(self.clicks.get() + 1); // through `&self` and a shared Rc
    }
}

fn main() {
    let clicks = Rc::new(Cell::new(0));
    let ok = Button {
        clicks: Rc::clone(&clicks),
    };
    let cancel = Button {
        clicks: Rc::clone(&clicks),
    };
    ok.click();
    cancel.click();
    ok.click();
    assert_eq!(Rc::strong_count(&clicks), 3); // one value, three owners
    println!("clicks = {}", clicks.get());
}
