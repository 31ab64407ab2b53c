fn label(id: u32) -> &'static str {
    &format!("job-{id}")
}

fn main() {
    println!("{}", label(7));
}
