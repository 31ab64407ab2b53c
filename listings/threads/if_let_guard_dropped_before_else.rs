// Edition 2024: a guard created in an `if let` scrutinee is dropped before `else` runs.
use std::sync::Mutex;

fn main() {
    let queue = Mutex::new(vec![1, 2, 3]);

    // ANCHOR: if_let
    if let Some(big) = queue.lock().unwrap().iter().find(|&&x| x > 10).copied() {
        println!("found {big}"); // the guard is still alive in this branch
    } else {
        // 2024: the guard from the scrutinee is gone, so locking again is fine.
        // 2021: it lived to the end of the whole `if let`, and this would never return.
        queue.lock().unwrap().push(11);
    }
    // ANCHOR_END: if_let
    println!("{:?}", queue.lock().unwrap());
}
