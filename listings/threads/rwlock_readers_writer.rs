// RwLock: any number of readers at once, or one writer alone.
use std::sync::{Barrier, RwLock};
use std::thread;

fn main() {
    let config = RwLock::new(String::from("level=info"));

    {
        let r1 = config.read().unwrap();
        let r2 = config.read().unwrap(); // two read guards at the same time
        assert_eq!(*r1, *r2);
        assert!(config.try_write().is_err()); // a writer must wait for the readers
    } // both read guards drop here

    config.write().unwrap().push_str(",color=off"); // exclusive, for this statement only

    // Readers on three threads may hold the lock together. Each one waits at the barrier with
    // its read guard alive, and the barrier opens only when all three are there: the program
    // gets past it only because three read guards can exist on three threads at once.
    let barrier = Barrier::new(3);
    let lengths: Vec<usize> = thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| {
                s.spawn(|| {
                    let guard = config.read().unwrap();
                    barrier.wait();
                    guard.len()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(lengths, [20, 20, 20]);
    println!("{}", config.read().unwrap());
}
