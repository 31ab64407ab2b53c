fn main() {
    let mut jobs = vec![1, 2, 3];
    for job in &jobs {
        if job % 2 == 1 {
            jobs.push(job * 10);
        }
    }
    println!("{jobs:?}");
}
