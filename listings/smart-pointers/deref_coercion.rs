// Deref coercion: a `&T` is accepted where a `&U` is expected if `T` derefs, step by step, to `U`.
use std::rc::Rc;

fn shout(text: &str) -> String {
    text.to_uppercase()
}

fn total(values: &[u32]) -> u32 {
    values.iter().sum()
}

fn add_ten(values: &mut Vec<u32>) {
    values.push(10);
}

fn main() {
    let owned = String::from("owned");
    let boxed = Box::new(String::from("boxed"));
    let shared = Rc::new(String::from("shared"));

    println!("{}", shout(&owned)); // &String -> &str
    println!("{}", shout(&boxed)); // &Box<String> -> &String -> &str
    println!("{}", shout(&shared)); // &Rc<String> -> &String -> &str
    // What the compiler inserted: as many `*` as it takes, then `&`.
    assert_eq!(shout(&boxed), shout(&**boxed));

    let mut scores = Box::new(vec![1, 2]);
    add_ten(&mut scores); // &mut Box<Vec<u32>> -> &mut Vec<u32>, through DerefMut
    println!("{}", total(&scores)); // &Box<Vec<u32>> -> &Vec<u32> -> &[u32]
}
