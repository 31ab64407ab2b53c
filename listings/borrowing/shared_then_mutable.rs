fn main() {
    let mut names = vec![String::from("Ada"), String::from("Grace")];
    let first = &names[0];
    names.push(String::from("Barbara"));
    println!("first: {first}");
}
