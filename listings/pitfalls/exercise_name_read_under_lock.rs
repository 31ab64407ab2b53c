use std::sync::Mutex;

fn main() {
    let users = Mutex::new(vec![String::from("ada"), String::from("grace")]);

    // Keep the lock as short as possible: lock, look, unlock, all in one statement.
    let first = users.lock().unwrap().first();

    users.lock().unwrap().push(String::from("barbara"));
    println!("first user: {first:?}");
}
