use std::collections::BTreeMap;
use std::sync::Mutex;

/// Is the lock free at this moment? (Never blocks.)
fn free(cache: &Mutex<BTreeMap<u32, String>>) -> bool {
    cache.try_lock().is_ok()
}

fn main() {
    let cache = Mutex::new(BTreeMap::from([(1, String::from("one"))]));

    // ANCHOR: scrutinee
    // `match`: the guard made in the scrutinee lives until the end of the whole `match`.
    match cache.lock().unwrap().get(&2) {
        Some(name) => println!("match, hit {name}"),
        None => println!("match, None arm:        lock free? {}", free(&cache)),
    }

    // `if let` (edition 2024): the guard lives through the `then` block, which may borrow
    // from it, and is dropped before the `else` block runs.
    for key in [1, 2] {
        if let Some(name) = cache.lock().unwrap().get(&key) {
            println!("if let, then ({name}):     lock free? {}", free(&cache));
        } else {
            println!("if let, else:           lock free? {}", free(&cache));
        }
    }

    // The fix for `match`: finish with the lock in a statement of its own, then decide.
    let found: Option<String> = cache.lock().unwrap().get(&2).cloned();
    match found {
        Some(name) => println!("let + match, hit {name}"),
        None => println!("let; match, None arm:   lock free? {}", free(&cache)),
    }
    // ANCHOR_END: scrutinee
}
