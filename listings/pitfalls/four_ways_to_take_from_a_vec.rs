use std::mem;

fn main() {
    let mut names = vec![
        String::from("Ada"),
        String::from("Grace"),
        String::from("Barbara"),
        String::from("Frances"),
    ];

    // 1. Borrow it: no copy, `names` is untouched. Usually all you need.
    let first: &String = &names[0];
    println!("borrowed: {first}");

    // 2. Clone it: an independent copy (a new heap buffer); `names` is untouched.
    let copy: String = names[1].clone();
    println!("cloned:   {copy}");

    // 3. Take it, leaving an empty String (which does not allocate) in its place.
    let taken: String = mem::take(&mut names[2]);
    println!("taken:    {taken}, slot now {:?}", names[2]);

    // 4. Remove it: the last element moves into its slot, O(1) (`remove` keeps order, O(n)).
    let removed: String = names.swap_remove(0);
    println!("removed:  {removed}, left {names:?}");
}
