use std::thread;

fn main() {
    let mut samples = vec![1, 2, 3, 4, 5, 6];
    thread::scope(|s| {
        s.spawn(|| samples[0] *= 10);
        s.spawn(|| samples[5] *= 10);
    });
    println!("{samples:?}");
}
