/// A `static` item: one value at a fixed address for the whole run.
static LIMIT: u32 = 100;

fn main() {
    // A string literal: the text is stored in the program itself.
    let literal: &'static str = "part of the compiled program";
    // A reference to a `static` item.
    let limit: &'static u32 = &LIMIT;
    // A leaked heap allocation: `Box::leak` gives up ownership, so the block is never freed and
    // a reference to it is valid until the program ends. `'static` says how long a reference is
    // valid, not where the value is.
    let leaked: &'static mut Vec<u32> = Box::leak(Box::new(vec![1, 2]));
    leaked.push(3);
    println!("{literal}, {limit}, {leaked:?}");
}
