use std::sync::Mutex;

fn main() {
    let users = Mutex::new(vec![String::from("ada"), String::from("grace")]);

    // The guard still dies at the semicolon, so take a copy of the name, not a reference.
    let first: Option<String> = users.lock().unwrap().first().cloned();

    users.lock().unwrap().push(String::from("barbara"));
    println!("first user: {first:?}");
}
