// An RwLock is poisoned by a panic while it is locked for writing, not by a panicking reader.
use std::sync::RwLock;
use std::thread;

fn main() {
    let config = RwLock::new(String::from("level=info"));

    thread::scope(|s| {
        let reader = s.spawn(|| {
            let _guard = config.read().unwrap();
            panic!("reader failed"); // a panic with a read guard alive
        });
        assert!(reader.join().is_err()); // joined by hand, so the scope does not panic too
    });
    assert!(!config.is_poisoned());
    assert!(config.write().is_ok()); // readers and writers take the lock as before
    println!("reader panicked; poisoned: {}", config.is_poisoned());

    thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut guard = config.write().unwrap();
            guard.push_str(",color="); // half of an update...
            panic!("writer failed mid-update"); // ...then a panic with the write guard alive
        });
        assert!(writer.join().is_err());
    });
    assert!(config.is_poisoned());
    assert!(config.write().is_err()); // one statement each: the Err still holds a guard
    let half_done = config.read().unwrap_err().into_inner();
    println!("writer panicked; poisoned: {}", config.is_poisoned());
    println!("the value reads {:?}", *half_done);
}
