use std::sync::{Mutex, TryLockError};
use std::thread;

// ANCHOR: record
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
// ANCHOR_END: record

/// Stands in for slow work: formatting, I/O, a network call.
fn render(samples: &[u32]) -> String {
    format!("{} samples, max {:?}", samples.len(), samples.iter().max())
}

fn main() {
    let samples = Mutex::new(vec![3, 1, 4, 1, 5]);
    // ANCHOR: held
    thread::scope(|s| {
        let guard = samples.lock().unwrap(); // locked from here...
        let worker = s.spawn(|| record(&samples, 9));
        let report = render(&guard); // ...through the slow part...
        // ...and, in this listing, until the worker has finished: whenever the worker runs, it
        // finds the mutex locked, so the output is the same on every run.
        let outcome = worker.join().unwrap();
        drop(guard); // ...to here
        println!("report: {report}; worker: {outcome}");
    });
    // ANCHOR_END: held
}
