struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

fn main() {
    // Box::leak gives up ownership and hands back a reference. The vector borrows nothing
    // shorter-lived (its &str are literals), so that reference can be 'static: it lives forever.
    let settings: &'static mut Vec<&str> = Box::leak(Box::new(vec!["verbose"]));
    settings.push("color");
    println!("settings: {settings:?}");

    // mem::forget takes ownership and never runs the destructor.
    std::mem::forget(Noisy("forgotten"));

    let _kept = Noisy("kept");
    println!("end of main");
}
