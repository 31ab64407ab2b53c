// A smart pointer of our own: it owns a value on the heap, derefs to it, and says when it drops.
use std::ops::Deref;

struct Traced<T> {
    label: &'static str,
    value: Box<T>,
}

impl<T> Traced<T> {
    fn new(label: &'static str, value: T) -> Self {
        Traced {
            label,
            value: Box::new(value),
        }
    }
}

impl<T> Deref for Traced<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value // a `&Box<T>`, coerced to `&T`
    }
}

impl<T> Drop for Traced<T> {
    fn drop(&mut self) {
        println!("drop {}", self.label);
    }
}

fn main() {
    let n = Traced::new("n", 41);
    // `*n` is `*Deref::deref(&n)`: the place the pointer points at, of type i32.
    assert_eq!(*n + 1, 42);
    assert_eq!(*n, *Deref::deref(&n));

    let word = Traced::new("word", String::from("deref"));
    // A method call looks through Deref: `word.len()` finds `String::len`.
    println!("{} has {} bytes", *word, word.len());
} // `word` is dropped first, then `n`: locals go in reverse order of declaration
