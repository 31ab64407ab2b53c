// Rc::get_mut and Rc::make_mut give `&mut T` only when no other handle can see the change.
use std::rc::Rc;

fn main() {
    let mut shared = Rc::new(vec![1, 2, 3]);

    // Sole handle: get_mut hands out `&mut Vec` in place.
    Rc::get_mut(&mut shared).expect("only one handle").push(4);

    let watcher = Rc::downgrade(&shared);
    assert!(Rc::get_mut(&mut shared).is_none()); // a Weak could upgrade and look: no `&mut`
    drop(watcher);

    let other = Rc::clone(&shared);
    assert!(Rc::get_mut(&mut shared).is_none()); // two strong handles: no `&mut` for anyone

    // make_mut clones the Vec if another Rc shares it ("clone on write"), then mutates the copy.
    Rc::make_mut(&mut shared).push(5);
    assert!(!Rc::ptr_eq(&shared, &other)); // they now point at different allocations
    assert_eq!(Rc::strong_count(&other), 1);

    // If only a Weak shares it, make_mut moves the value instead, and cuts the Weak loose.
    let late = Rc::downgrade(&shared);
    Rc::make_mut(&mut shared).push(6);
    assert!(late.upgrade().is_none()); // the Weak points at the old, now empty, allocation

    // make_mut needs only a way to clone the value: `str` is not `Clone`, and it works anyway.
    let mut name: Rc<str> = Rc::from("ada");
    let alias = Rc::clone(&name);
    Rc::make_mut(&mut name).make_ascii_uppercase(); // shared: copied first
    assert_eq!((&*name, &*alias), ("ADA", "ada"));

    println!("shared = {shared:?}");
    println!("other  = {other:?}");
}
