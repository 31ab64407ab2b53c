// A list that contains itself directly. The definition alone is rejected:
// no value of the type has to be created for the error to appear.
enum List {
    Cons(i32, List),
    Nil,
}

fn main() {}
