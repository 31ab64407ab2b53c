// Arc<Mutex<T>>: shared ownership across threads, one writer at a time.
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let counter = Arc::new(Mutex::new(0u64));

    let mut handles = Vec::new();
    for _ in 0..4 {
        let counter = Arc::clone(&counter);
        handles.push(thread::spawn(move || {
            for _ in 0..1000 {
                let mut n = counter.lock().unwrap(); // blocks until the lock is free
                *n += 1;
            } // `n` (the MutexGuard) drops here: the lock is released every iteration
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }

    let total = *counter.lock().unwrap();
    assert_eq!(total, 4 * 1000); // no increment is lost, whatever the interleaving
    println!("total = {total}");
}
