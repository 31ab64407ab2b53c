use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

fn main() {
    let hits = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..1000 {
                    hits.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    // Every spawned thread has been joined when `scope` returns.
    println!("{}", hits.load(Ordering::Relaxed));
}
