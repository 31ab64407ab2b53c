// Box<dyn Trait>: one owner, a type chosen at run time, a call through a vtable.
use std::mem::size_of;

trait Shape {
    fn area(&self) -> f64;
    fn name(&self) -> &'static str;
}

struct Square(f64);
struct Circle(f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
    fn name(&self) -> &'static str {
        "square"
    }
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        std::f64::consts::PI * self.0 * self.0
    }
    fn name(&self) -> &'static str {
        "circle"
    }
}

fn main() {
    // Different concrete types, different sizes, one element type.
    let shapes: Vec<Box<dyn Shape>> = vec![Box::new(Square(2.0)), Box::new(Circle(1.0))];
    for shape in &shapes {
        println!("{}: {:.2}", shape.name(), shape.area());
    }
    // A Box<dyn Shape> is a "fat" pointer: data pointer + vtable pointer.
    assert_eq!(size_of::<Box<dyn Shape>>(), 16);
    assert_eq!(size_of::<Box<Square>>(), 8);
}
