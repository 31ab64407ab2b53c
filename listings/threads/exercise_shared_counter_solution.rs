// Rc -> Arc (atomic counts, Send), RefCell -> Mutex (a lock instead of a borrow flag, Sync).
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let events = Arc::new(Mutex::new(0u32));
    let mut handles = Vec::new();
    for _ in 0..4 {
        let events = Arc::clone(&events);
        handles.push(thread::spawn(move || {
            for _ in 0..250 {
                *events.lock().unwrap() += 1;
            }
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
    let counted = *events.lock().unwrap();
    assert_eq!(counted, 1000);
}
