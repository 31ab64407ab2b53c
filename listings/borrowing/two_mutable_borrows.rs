fn main() {
    let mut balance = 100;
    let deposit = &mut balance;
    let withdrawal = &mut balance;
    *deposit += 50;
    *withdrawal -= 30;
    println!("{balance}");
}
