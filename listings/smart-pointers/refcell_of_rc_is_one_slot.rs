// RefCell<Rc<T>>: one slot whose Rc can be replaced. Other handles never see a change made there.
use std::cell::RefCell;
use std::rc::Rc;

fn main() {
    let slot = RefCell::new(Rc::new(vec![1, 2]));
    let old = Rc::clone(&slot.borrow()); // a second handle to the Vec in the slot

    // The slot's Rc can be replaced: `old` still points at the first Vec.
    *slot.borrow_mut() = Rc::new(vec![10]);
    assert_eq!(*old, [1, 2]);

    // make_mut through the slot: the Vec is shared with `seen`, so it is cloned first.
    let seen = Rc::clone(&slot.borrow());
    Rc::make_mut(&mut *slot.borrow_mut()).push(11);
    assert_eq!(*seen, [10]);
    assert!(!Rc::ptr_eq(&slot.borrow(), &seen));

    // Now the slot's handle is the only one: get_mut changes the Vec in place.
    Rc::get_mut(&mut *slot.borrow_mut())
        .expect("sole handle")
        .push(12);

    println!("slot = {:?}", slot.borrow());
    println!("old  = {old:?}");
    println!("seen = {seen:?}");
}
