// A Weak handle does not keep the value alive; `upgrade` asks whether it still exists.
use std::rc::{Rc, Weak};

fn main() {
    let strong = Rc::new(String::from("config"));
    let weak: Weak<String> = Rc::downgrade(&strong);
    assert_eq!(Rc::strong_count(&strong), 1);
    assert_eq!(Rc::weak_count(&strong), 1);

    // ANCHOR: upgrade
    match weak.upgrade() {
        Some(value) => println!("still alive: {value}"), // `value` is a new strong Rc
        None => println!("gone"),
    }
    // ANCHOR_END: upgrade
    assert_eq!(Rc::strong_count(&strong), 1); // the temporary Rc from upgrade is dropped

    drop(strong); // last strong handle: the String is dropped now
    assert!(weak.upgrade().is_none());
    assert_eq!(weak.strong_count(), 0);
    assert_eq!(weak.weak_count(), 0); // no value left: reported as 0, though `weak` still exists
    println!("after drop: {:?}", weak.upgrade());
} // `weak` goes last: only now is the allocation (the counts) freed
