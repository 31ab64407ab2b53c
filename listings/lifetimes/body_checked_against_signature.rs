/// The signature promises a result that borrows from `line` only...
fn key_of<'l, 's>(line: &'l str, separator: &'s str) -> &'l str {
    if let Some((key, _)) = line.split_once(separator) {
        return key;
    }
    separator // ...so returning `separator` breaks the promise
}

fn main() {
    println!("key: {}", key_of("user=ada", "="));
}
