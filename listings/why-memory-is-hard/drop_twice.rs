fn main() {
    let buffer = vec![0u8; 1024];
    drop(buffer);
    drop(buffer);
}
