// Two Rc handles, one heap allocation: the counts the diagram shows.
use std::mem::size_of;
use std::rc::Rc;

fn main() {
    let a: Rc<String> = Rc::new(String::from("shared"));
    assert_eq!(Rc::strong_count(&a), 1);

    let b = Rc::clone(&a); // copies a pointer and adds 1 to the count; the String is not copied
    assert_eq!(Rc::strong_count(&a), 2);
    assert_eq!(Rc::weak_count(&a), 0); // no Weak handles (the stored field holds 1, see Weak)
    assert!(Rc::ptr_eq(&a, &b)); // both handles point at the same allocation
    assert_eq!(size_of::<Rc<String>>(), 8); // each handle is one pointer (64-bit target)
    println!("a = {a}, b = {b}, strong = {}", Rc::strong_count(&b));
    println!("Rc<String>: {} bytes", size_of::<Rc<String>>());
    println!(
        "after Rc::clone: strong_count {}, weak_count {}",
        Rc::strong_count(&a),
        Rc::weak_count(&a)
    );

    drop(a); // gives up one share; the String lives on
    assert_eq!(Rc::strong_count(&b), 1);
    println!("after drop(a): b = {b}, strong = {}", Rc::strong_count(&b));
} // `b` is dropped: strong count 0, so the String is dropped and the allocation freed
