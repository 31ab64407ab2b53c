// With thread::scope, threads may borrow from the enclosing function: no Arc needed.
use std::sync::Mutex;
use std::thread;

fn main() {
    let counter = Mutex::new(0u64);

    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..1000 {
                    *counter.lock().unwrap() += 1; // the temporary guard drops at the `;`
                }
            });
        }
    }); // every scoped thread is joined here

    // `main` owned the Mutex all along; the threads only borrowed it, and those borrows ended
    // with the scope. So `main` may now consume it and take the value out, without locking.
    let total = counter.into_inner().unwrap();
    assert_eq!(total, 4000);
    println!("total = {total}");
}
