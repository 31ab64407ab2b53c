/// A value that says when it is dropped.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

struct Holder<'a> {
    held: &'a Noisy,
}

fn main() {
    let inside_a_branch = std::env::args().count() > 0; // true; the compiler cannot know

    // In a `let` initialiser, `&` applied to a temporary extends it to the end of the block,
    // also inside a tuple, an array, a struct, a tuple-struct constructor such as `Some`,
    // an `as` cast, the final expression of a block or of an `if`/`else` branch, and a
    // `match` arm.
    let borrowed = &Noisy("&");
    let tuple = (&Noisy("tuple"), 1);
    let array = [&Noisy("array")];
    let holder = Holder {
        held: &Noisy("struct"),
    };
    let some = Some(&Noisy("Some"));
    let cast = &Noisy("as") as &Noisy; // a cast that changes nothing, to show the rule
    let block = { &Noisy("block") };
    let branch = if inside_a_branch {
        &Noisy("if")
    } else {
        &Noisy("else")
    };
    let arm = match inside_a_branch {
        true => &Noisy("match"),
        false => &Noisy("other arm"),
    };
    let names = [
        borrowed.0,
        tuple.0.0,
        array[0].0,
        holder.held.0,
        some.unwrap().0,
        cast.0,
        block.0,
        branch.0,
        arm.0,
    ];
    println!("all alive: {names:?}");
    println!("end of main");
} // extended temporaries are dropped here, in reverse order
