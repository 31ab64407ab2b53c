// Fix it: four threads count events into one shared counter.
use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

fn main() {
    let events = Rc::new(RefCell::new(0u32));
    let mut handles = Vec::new();
    for _ in 0..4 {
        let events = Rc::clone(&events);
        handles.push(thread::spawn(move || {
            for _ in 0..250 {
                *events.borrow_mut() += 1;
            }
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    let counted = *events.borrow();
    assert_eq!(counted, 1000);
}
