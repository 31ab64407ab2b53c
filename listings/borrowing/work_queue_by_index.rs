fn main() {
    let mut jobs = vec![1, 2, 3];
    let mut i = 0;
    // Jobs added during the loop are processed too: each pass borrows `jobs` only briefly.
    while i < jobs.len() {
        let job = jobs[i]; // an i32 copied out: this borrow ends here
        if job < 100 {
            jobs.push(job * 10); // a follow-up job, processed in a later pass
        }
        i += 1;
    }
    println!("{jobs:?}");
}
