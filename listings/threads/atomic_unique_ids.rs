// fetch_add reads, adds and writes as one indivisible step: no two calls get the same id.
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn new_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed) // returns the value it replaced
}

fn main() {
    let mut ids: Vec<u64> = thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| s.spawn(|| (0..1000).map(|_| new_id()).collect::<Vec<u64>>()))
            .collect();
        let joined = workers.into_iter().map(|w| w.join().unwrap());
        joined.flatten().collect()
    });
    ids.sort_unstable(); // the threads interleave differently on every run; sorted, they agree
    assert_eq!(ids, (0..4000).collect::<Vec<u64>>()); // 4000 calls, 4000 distinct ids
    assert_eq!(NEXT_ID.load(Ordering::Relaxed), 4000);
    let (first, last) = (ids[0], ids[ids.len() - 1]);
    println!("{} distinct ids, from {first} to {last}", ids.len());
}
