// Putting the tail behind a Box gives `List` a fixed size: an i32 plus one pointer.
use std::mem::size_of;

enum List {
    Cons(i32, Box<List>),
    Nil,
}

use List::{Cons, Nil};

fn sum(list: &List) -> i32 {
    match list {
        Cons(value, rest) => value + sum(rest),
        Nil => 0,
    }
}

fn main() {
    let list = Cons(1, Box::new(Cons(2, Box::new(Cons(3, Box::new(Nil))))));
    assert_eq!(size_of::<List>(), 16); // 64-bit: fixed, however long the list is
    println!("sum = {}", sum(&list));
}
