fn main() {
    let mut names = vec!["Ada"];
    let r = &mut names; // `r` itself is not `mut`...
    r.push("Grace"); // ...yet this writes: it borrows `*r`, the vector, through `&mut`
    println!("{names:?}");
}
