fn label(id: u32) -> String {
    format!("job-{id}")
}

fn main() {
    println!("{}", label(7));
}
