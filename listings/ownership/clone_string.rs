fn main() {
    let original = String::from("hello");
    let copy = original.clone(); // a new heap allocation, the bytes copied into it

    assert_eq!(original, copy); // equal contents...
    assert_ne!(original.as_ptr(), copy.as_ptr()); // ...in two different buffers

    println!("{original} and {copy} are both usable");
}
