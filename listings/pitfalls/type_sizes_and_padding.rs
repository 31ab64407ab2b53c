use std::mem::{align_of, offset_of, size_of};
use std::num::NonZeroU32;

// ANCHOR: structs
/// Fields in declaration order, C rules: each field at the next multiple of its alignment.
#[repr(C)]
struct Padded {
    a: u8,
    b: u32,
    c: u8,
}

/// The same fields, largest first.
#[repr(C)]
struct Reordered {
    b: u32,
    a: u8,
    c: u8,
}

/// The same fields, default representation: rustc may reorder them.
struct RustLayout {
    a: u8,
    b: u32,
    c: u8,
}
// ANCHOR_END: structs

macro_rules! show {
    ($($t:ty),* $(,)?) => {
        $(println!("{:<23}size {:>2}  align {}", concat!(stringify!($t), ":"), size_of::<$t>(), align_of::<$t>());)*
    };
}

/// The byte offsets of the fields `a`, `b` and `c` of a struct.
macro_rules! offsets {
    ($t:ty) => {
        [offset_of!($t, a), offset_of!($t, b), offset_of!($t, c)]
    };
}

fn main() {
    // ANCHOR: sizes
    show!(u32, Option<u32>, NonZeroU32, Option<NonZeroU32>);
    show!(&u64, Option<&u64>, Box<u64>, Option<Box<u64>>);
    show!(String, Vec<u64>, Option<String>);
    show!(Padded, Reordered, RustLayout);
    println!("offsets of a, b, c in Padded: {:?}", offsets!(Padded));
    println!("offsets of a, b, c in Reordered: {:?}", offsets!(Reordered));
    println!("offsets of a, b, c in RustLayout: {:?}", offsets!(RustLayout));

    // The numbers in the diagram (64-bit platforms).
    assert_eq!((size_of::<Padded>(), align_of::<Padded>()), (12, 4));
    assert_eq!(offsets!(Padded), [0, 4, 8]);
    assert_eq!((size_of::<Reordered>(), align_of::<Reordered>()), (8, 4));
    assert_eq!(offsets!(Reordered), [4, 0, 5]);
    // The niche: `None` is stored as a bit pattern no value has (zero), so no tag is added.
    assert_eq!(size_of::<Option<NonZeroU32>>(), size_of::<u32>());
    assert_eq!(size_of::<Option<&u64>>(), size_of::<&u64>());
    assert_eq!(size_of::<Option<u32>>(), 8); // every u32 is valid, so a tag is needed
    // ANCHOR_END: sizes
}
