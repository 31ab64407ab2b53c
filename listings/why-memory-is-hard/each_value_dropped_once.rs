struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

fn main() {
    let _a = Noisy("a");
    let b = Noisy("b");
    {
        let _c = Noisy("c");
        println!("end of inner block");
    }
    drop(b);
    println!("end of main");
}
