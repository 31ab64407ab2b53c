// Rc<RefCell<T>>: several owners, each allowed to mutate, one at a time.
use std::cell::RefCell;
use std::rc::Rc;

struct Component {
    name: &'static str,
    log: Rc<RefCell<Vec<String>>>, // shared ownership (Rc) of a mutable Vec (RefCell)
}

impl Component {
    fn record(&self, event: &str) {
        self.log
            .borrow_mut()
            .push(format!("{}: {event}", self.name));
    }
}

fn main() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let parser = Component {
        name: "parser",
        log: Rc::clone(&log),
    };
    let writer = Component {
        name: "writer",
        log: Rc::clone(&log),
    };

    parser.record("read 3 lines");
    writer.record("wrote 3 lines");
    parser.record("done");

    assert_eq!(Rc::strong_count(&log), 3);
    for line in log.borrow().iter() {
        println!("{line}");
    }
}
