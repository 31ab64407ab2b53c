use std::sync::{Mutex, TryLockError};
use std::thread;

/// What a worker thread does with a new sample: record it if the lock is free right now.
/// (`try_lock` instead of `lock` so that this book's examples can never hang.)
fn record(samples: &Mutex<Vec<u32>>, sample: u32) -> &'static str {
    match samples.try_lock() {
        Ok(mut samples) => {
            samples.push(sample);
            "recorded"
        }
        Err(TryLockError::WouldBlock) => "would block",
        Err(TryLockError::Poisoned(_)) => "poisoned",
    }
}

/// Stands in for slow work: formatting, I/O, a network call.
fn render(samples: &[u32]) -> String {
    format!("{} samples, max {:?}", samples.len(), samples.iter().max())
}

fn main() {
    let samples = Mutex::new(vec![3, 1, 4, 1, 5]);
    // ANCHOR: narrow
    thread::scope(|s| {
        // The guard is a temporary of this statement: locked only while the Vec is copied.
        let snapshot: Vec<u32> = samples.lock().unwrap().clone();
        let worker = s.spawn(|| record(&samples, 9));
        let outcome = worker.join().unwrap(); // the worker gets the lock
        let report = render(&snapshot); // slow work on the copy, lock-free
        println!("report: {report}; worker: {outcome}");
    });
    // ANCHOR_END: narrow
    println!("samples now: {:?}", samples.lock().unwrap());
}
