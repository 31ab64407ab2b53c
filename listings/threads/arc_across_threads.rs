// Arc: the same sharing as Rc, with counts updated atomically, so handles may cross threads.
use std::sync::Arc;
use std::thread;

fn main() {
    let config = Arc::new(String::from("verbose"));

    let workers: Vec<_> = (0..3)
        .map(|id| {
            let config = Arc::clone(&config); // one handle per thread
            thread::spawn(move || format!("worker {id} sees {config}"))
        })
        .collect();

    for worker in workers {
        println!("{}", worker.join().unwrap()); // joined in order: deterministic output
    }
    // Every thread has finished and dropped its handle.
    assert_eq!(Arc::strong_count(&config), 1);
    println!("main sees {config}");
}
