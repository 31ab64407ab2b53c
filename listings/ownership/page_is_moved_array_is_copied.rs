/// The same 4096 bytes as the array below, in a struct that does not derive `Copy`.
struct Page([u8; 4096]);

fn main() {
    let bytes = [0u8; 4096];
    let copied = bytes; // an array of `Copy` elements is `Copy`: `bytes` stays usable
    assert_eq!(bytes.len() + copied.len(), 8192);

    let page = Page(bytes);
    let moved = page; // the same 4096 bytes are copied, but this is a move
    println!("{} {}", page.0.len(), moved.0.len());
}
