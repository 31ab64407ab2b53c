/// A value that says when it is dropped.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("    drop {}", self.0);
    }
}

/// Takes its argument by value: the caller's value is moved in, and dropped here.
fn consume(value: Noisy) {
    println!("    in consume({})", value.0);
}

fn main() {
    println!("1. a statement: dropped at its `;`");
    let length = Noisy("temporary").0.len();
    println!("    after the statement, length {length}");

    println!("2. an argument passed by value is moved, not a temporary");
    consume(Noisy("argument"));
    let mut kept = Vec::new();
    kept.push(Noisy("pushed")); // moved into the Vec: it lives as long as the Vec
    println!("    after the statements");

    println!("3. an `if` condition: dropped before the block runs");
    if Noisy("condition").0.is_empty() {
        unreachable!();
    } else {
        println!("    in the else block");
    }

    println!("4. a `match` scrutinee: kept through the arms, to the end of the statement");
    match Noisy("scrutinee").0.len() {
        _ => println!("    in the arm"),
    }

    println!("5. `if let` (edition 2024): dropped before the `else` block");
    if let Some(_) = Noisy("if let").0.find('?') {
        unreachable!();
    } else {
        println!("    in the else block");
    }

    println!("6. a block's tail expression (edition 2024): dropped before the block's locals");
    let total = {
        let local = Noisy("local");
        local.0.len() + Noisy("tail").0.len()
    };
    println!("    total {total}");

    println!("end of main");
} // `kept` is dropped here, and with it the value pushed in step 2
