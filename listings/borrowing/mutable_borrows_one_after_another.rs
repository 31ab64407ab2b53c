fn main() {
    let mut balance = 100;
    let deposit = &mut balance;
    *deposit += 50; // last use of `deposit`: its borrow ends here
    let withdrawal = &mut balance;
    *withdrawal -= 30;
    println!("{balance}");
}
