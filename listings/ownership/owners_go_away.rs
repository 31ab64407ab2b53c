struct Noisy(&'static str);

impl Noisy {
    fn name(&self) -> &'static str {
        self.0
    }
}

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

fn main() {
    // Overwriting the owner drops the value it held, at the assignment.
    let mut slot = Noisy("first");
    println!("slot holds {}", slot.name());
    slot = Noisy("second");
    println!("slot holds {}", slot.name());

    // The elements of a vector are owned by the vector: dropping it drops them (today first
    // to last, an order `Vec` documents that it does not guarantee).
    let list = vec![Noisy("element 0"), Noisy("element 1")];
    drop(list);

    // A `move` closure owns what it captures, and drops it when the closure is dropped.
    let captured = Noisy("captured");
    let greet = move || println!("closure owns {}", captured.name());
    greet();
    drop(greet);

    println!("end of main");
}
