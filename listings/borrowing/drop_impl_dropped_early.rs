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
    let logger = Logger { items: &items };
    println!("logger sees {}", logger.items.len());
    drop(logger); // `Drop::drop` runs now, and the borrow ends with it
    items.push(3);
    println!("{items:?}");
}
