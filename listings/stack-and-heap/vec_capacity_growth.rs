fn main() {
    let mut v: Vec<i32> = Vec::new();
    let mut last_capacity = v.capacity();
    println!("len {:>2}, capacity {:>2}", v.len(), v.capacity());
    for i in 0..20 {
        let full = v.len() == v.capacity();
        v.push(i);
        // Guaranteed: capacity() >= len(), and a push reallocates exactly when the vector was
        // full. The new capacities are not.
        assert!(v.capacity() >= v.len());
        assert_eq!(v.capacity() != last_capacity, full);
        if v.capacity() != last_capacity {
            last_capacity = v.capacity();
            println!("len {:>2}, capacity {:>2}", v.len(), v.capacity());
        }
    }

    // One-byte elements start with a larger buffer.
    let mut bytes: Vec<u8> = Vec::new();
    bytes.push(0);
    println!("Vec<u8> after one push: capacity {}", bytes.capacity());
}
