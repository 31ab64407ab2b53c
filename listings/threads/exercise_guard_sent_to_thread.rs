// Fix it: main locks the queue and adds an item; a worker thread adds another, then unlocks.
use std::sync::Mutex;
use std::thread;

fn main() {
    let queue = Mutex::new(vec![1, 2, 3]);
    let mut guard = queue.lock().unwrap();
    guard.push(4);
    thread::scope(|s| {
        s.spawn(move || {
            guard.push(5);
        }); // the worker would drop the guard, unlocking a mutex that main locked
    });
    assert_eq!(*queue.lock().unwrap(), [1, 2, 3, 4, 5]);
}
