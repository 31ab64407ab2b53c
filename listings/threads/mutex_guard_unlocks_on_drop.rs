// The lock is held exactly as long as the MutexGuard lives.
use std::sync::Mutex;

fn main() {
    let queue = Mutex::new(vec![1, 2, 3]);

    let mut guard = queue.lock().unwrap();
    guard.push(4);
    assert!(queue.try_lock().is_err()); // still locked: `guard` is alive
    drop(guard); // unlock now, not at the end of the function

    assert!(queue.try_lock().is_ok()); // free again

    {
        let guard = queue.lock().unwrap();
        println!("{} items", guard.len());
    } // unlocked at the end of the block
}
