struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

#[expect(dead_code, reason = "the fields exist only to show when they are dropped")]
struct Pair {
    first: Noisy,
    second: Noisy,
}

impl Drop for Pair {
    fn drop(&mut self) {
        println!("drop pair, then its fields");
    }
}

fn main() {
    let _a = Noisy("a");
    let _b = Noisy("b");
    let _pair = Pair {
        first: Noisy("pair.first"),
        second: Noisy("pair.second"),
    };
    {
        let _inner = Noisy("inner");
        println!("leaving the inner block");
    }
    let moved = Noisy("moved");
    take(moved); // dropped inside `take`, at the end of its body
    println!("leaving main");
}

fn take(value: Noisy) {
    println!("take got {}", value.0);
}
