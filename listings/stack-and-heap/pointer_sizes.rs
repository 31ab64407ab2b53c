use std::fmt::Display;
use std::mem::size_of;

/// Asserts the size of a type and prints it.
macro_rules! size {
    ($t:ty, $bytes:expr) => {
        assert_eq!(size_of::<$t>(), $bytes);
        println!("{:<21}{:>2} bytes", concat!(stringify!($t), ":"), $bytes);
    };
}

fn main() {
    // This book assumes a 64-bit target: an address is 8 bytes.
    size!(usize, 8);

    // Thin pointers: an address and nothing else.
    size!(&i32, 8);
    size!(&mut i32, 8);
    size!(Box<i32>, 8);
    size!(&String, 8);

    // Fat pointers to slices: an address and a length.
    size!(&str, 16);
    size!(&[i32], 16);
    size!(Box<str>, 16);

    // Fat pointers to trait objects: an address and a vtable address.
    size!(&dyn Display, 16);
    size!(Box<dyn Display>, 16);

    // No valid Box or reference is null, so None is stored as null.
    size!(Option<Box<i32>>, 8);
    size!(Option<&str>, 16);
}
