//! The one worker pool of the harness: listings and quiz programs are compiled and run on every
//! core, because each is a separate `rustc` and a separate process.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// Applies `work` to every item on as many threads as there are cores, and collects what it
/// returns (in no particular order).
pub fn flat_map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> Vec<R> + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let found = Mutex::new(Vec::new());
    let workers = thread::available_parallelism().map_or(2, |n| n.get());
    thread::scope(|scope| {
        for _ in 0..workers.min(items.len()) {
            scope.spawn(|| {
                while let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let results = work(item);
                    found
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .extend(results);
                }
            });
        }
    });
    found.into_inner().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_item_is_worked_on_exactly_once() {
        let items: Vec<u32> = (0..100).collect();
        let mut out = super::flat_map(&items, |&n| vec![n, n + 1000]);
        out.sort();
        let mut want: Vec<u32> = (0..100).chain(1000..1100).collect();
        want.sort();
        assert_eq!(out, want);
    }
}
