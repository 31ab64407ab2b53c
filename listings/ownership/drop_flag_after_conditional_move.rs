struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

fn take(value: Noisy) {
    println!("take got {}", value.0);
}

fn maybe_give_away(give: bool) {
    let value = Noisy(if give { "given" } else { "kept" });
    if give {
        take(value); // moved on this path only
    }
    // Whether `value` still owns something here is known only at run time: the compiler keeps
    // a hidden flag, cleared by the move, and drops `value` at the end of the function if set.
    println!("end of maybe_give_away({give})");
}

fn main() {
    maybe_give_away(true);
    maybe_give_away(false);
}
