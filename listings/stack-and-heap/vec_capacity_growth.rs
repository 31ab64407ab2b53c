fn main() {
    let mut v: Vec<i32> = Vec::new();
    let mut last_capacity = v.capacity();
    println!("len {:>2}, capacity {:>2}", v.len(), v.capacity());
    for i in 0..20 {
        v.push(i);
        assert!(v.capacity() >= v.len()); // guaranteed; the exact numbers are not
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
