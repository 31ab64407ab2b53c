use std::thread;

fn main() {
    let mut samples = vec![1, 2, 3, 4, 5, 6];
    thread::scope(|s| {
        // `chunks_mut` hands out non-overlapping `&mut [i32]` slices.
        for chunk in samples.chunks_mut(3) {
            s.spawn(move || {
                for x in chunk {
                    *x *= 10;
                }
            });
        }
    });
    println!("{samples:?}");
}
