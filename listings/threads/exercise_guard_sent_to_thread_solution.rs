// Each thread takes the lock itself and releases it itself; they share the Mutex, not a guard.
use std::sync::Mutex;
use std::thread;

fn main() {
    let queue = Mutex::new(vec![1, 2, 3]);
    queue.lock().unwrap().push(4); // main's guard is a temporary: unlocked at the `;`
    thread::scope(|s| {
        s.spawn(|| {
            queue.lock().unwrap().push(5); // the worker locks and unlocks on its own thread
        });
    });
    assert_eq!(*queue.lock().unwrap(), [1, 2, 3, 4, 5]);
}
