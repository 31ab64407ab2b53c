/// Holds a reference; no `Drop` implementation.
struct Viewer<'a> {
    items: &'a Vec<i32>,
}

/// Holds the same reference, and implements `Drop`, without ever touching it there.
struct Logger<'a> {
    items: &'a Vec<i32>,
}

impl Drop for Logger<'_> {
    fn drop(&mut self) {
        println!("logger dropped");
    }
}

fn main() {
    let mut items = vec![1, 2];

    let viewer = Viewer { items: &items };
    println!("viewer sees {}", viewer.items.len());
    items.push(3); // fine: `viewer`'s borrow ended at its last use

    let logger = Logger { items: &items };
    println!("logger sees {}", logger.items.len());
    items.push(4); // refused: `logger` is still to be dropped, at the end of `main`
    println!("{items:?}");
}
