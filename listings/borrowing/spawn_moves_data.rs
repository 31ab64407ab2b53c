use std::thread;

fn main() {
    let readings = vec![3, 1, 4];
    // `move`: the closure, and so the new thread, owns `readings`.
    let handle = thread::spawn(move || {
        let sum: i32 = readings.iter().sum();
        (readings, sum) // hand the Vec back, with the result
    });
    let (readings, sum) = handle.join().unwrap();
    println!("{} readings, sum {sum}", readings.len());
}
