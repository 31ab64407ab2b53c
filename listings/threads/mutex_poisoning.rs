// A thread that panics while holding the lock poisons the Mutex.
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let balance = Arc::new(Mutex::new(100));

    let worker = {
        let balance = Arc::clone(&balance);
        thread::spawn(move || {
            let mut b = balance.lock().unwrap();
            *b -= 30; // half of a two-step update...
            panic!("worker failed mid-update"); // ...then a panic with the guard alive
        })
    };
    assert!(worker.join().is_err()); // the thread panicked (its message went to stderr)

    assert!(balance.is_poisoned());
    match balance.lock() {
        Ok(_) => unreachable!("a poisoned lock returns Err"),
        Err(poisoned) => {
            // The data is still reachable: decide whether it is usable.
            let b = poisoned.into_inner();
            println!("poisoned; balance reads {}", *b);
        }
    }
    balance.clear_poison(); // we checked the data; accept it again
    assert!(balance.lock().is_ok());
}
