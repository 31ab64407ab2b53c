use std::rc::Rc;
use std::thread;

fn main() {
    let config = Rc::new(String::from("verbose"));
    let for_worker = Rc::clone(&config);
    let worker = thread::spawn(move || {
        println!("worker sees {for_worker}");
    });
    worker.join().unwrap();
    println!("main sees {config}");
}
