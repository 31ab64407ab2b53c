// Rc::get_mut and Rc::make_mut give `&mut T` only when no other handle can see the change.
use std::rc::Rc;

fn main() {
    let mut shared = Rc::new(vec![1, 2, 3]);

    // Sole owner: get_mut hands out `&mut Vec` in place.
    Rc::get_mut(&mut shared).expect("only one handle").push(4);

    let other = Rc::clone(&shared);
    assert!(Rc::get_mut(&mut shared).is_none()); // two handles: no `&mut` for anyone

    // make_mut clones the Vec if it is shared ("clone on write"), then mutates the copy.
    Rc::make_mut(&mut shared).push(5);
    assert!(!Rc::ptr_eq(&shared, &other)); // they now point at different allocations
    assert_eq!(Rc::strong_count(&other), 1);

    println!("shared = {shared:?}");
    println!("other  = {other:?}");
}
