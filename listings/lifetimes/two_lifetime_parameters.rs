/// The part of `line` before the first `separator` (all of `line` if there is none).
/// The result borrows from `line` only: `'s` appears nowhere in the output.
fn key_of<'l, 's>(line: &'l str, separator: &'s str) -> &'l str {
    if let Some((key, _)) = line.split_once(separator) {
        return key;
    }
    line
}

fn main() {
    let line = String::from("user=ada");
    let key;
    {
        let separator = String::from("=");
        key = key_of(&line, &separator);
    } // `separator` is dropped here; `key` does not borrow from it
    println!("key: {key}");
}
