fn shout(mut text: String) -> String {
    text.make_ascii_uppercase();
    text // ownership goes back to the caller
}

fn length(text: &str) -> usize {
    text.len() // only borrowed: the caller keeps ownership
}

fn main() {
    let greeting = String::from("hello");
    let n = length(&greeting);
    let loud = shout(greeting); // greeting moves into `shout`...
    println!("{loud} has {n} bytes"); // ...and comes back as `loud`
}
