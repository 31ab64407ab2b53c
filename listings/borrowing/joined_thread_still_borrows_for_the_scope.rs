use std::thread;

fn main() {
    let mut samples = vec![1, 2, 3, 4, 5, 6];
    thread::scope(|s| {
        // The first thread has finished before the second starts, but its borrow of
        // `samples` was still made for the whole scope.
        s.spawn(|| samples[0] *= 10).join().unwrap();
        s.spawn(|| samples[5] *= 10);
    });
    println!("{samples:?}");
}
