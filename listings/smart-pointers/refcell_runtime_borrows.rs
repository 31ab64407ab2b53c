// RefCell<T>: the borrowing rules, checked while the program runs.
use std::cell::RefCell;

fn main() {
    let log = RefCell::new(vec![String::from("start")]);

    {
        let r1 = log.borrow(); // shared borrow #1
        let r2 = log.borrow(); // shared borrow #2: fine, readers can overlap
        println!("{} entries, first: {}", r1.len(), r2[0]);
        assert!(log.try_borrow_mut().is_err()); // a writer must wait: readers are active
    } // r1 and r2 (Ref guards) drop here and release their borrows

    log.borrow_mut().push(String::from("step")); // exclusive borrow, ends at the `;`

    {
        let mut w = log.try_borrow_mut().expect("no other borrows are active");
        w.push(String::from("end"));
        assert!(log.try_borrow().is_err()); // no readers while a writer is active
    } // w (a RefMut guard) drops here

    println!("{:?}", log.borrow());
}
