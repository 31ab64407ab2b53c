use std::thread;

fn main() {
    let readings = vec![3, 1, 4];
    let handle = thread::spawn(|| {
        println!("{} readings", readings.len());
    });
    handle.join().unwrap();
}
