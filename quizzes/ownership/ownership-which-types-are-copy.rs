// Prints, of every type the question offers, those that implement `Copy`: the answers.
use std::marker::PhantomData;

struct Probe<T: ?Sized>(PhantomData<T>);

// A path like `Probe::<T>::COPY` finds the inherent constant when its impl applies (`T: Copy`),
// and the trait's default otherwise.
trait NotCopy {
    const COPY: bool = false;
}
impl<T: ?Sized> NotCopy for Probe<T> {}
impl<T: Copy> Probe<T> {
    const COPY: bool = true;
}

macro_rules! print_the_copy_ones {
    ($($name:literal => $t:ty),* $(,)?) => {
        $(if Probe::<$t>::COPY {
            println!("`{}`", $name);
        })*
    };
}

fn main() {
    print_the_copy_ones!(
        "i32" => i32,
        "&String" => &String,
        "(u8, char)" => (u8, char),
        "[u8; 4096]" => [u8; 4096],
        "String" => String,
        "&mut i32" => &mut i32,
        "Vec<u8>" => Vec<u8>,
    );
}
