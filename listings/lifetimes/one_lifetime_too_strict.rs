/// The part of `line` before the first `separator` (all of `line` if there is none).
fn key_of<'a>(line: &'a str, separator: &'a str) -> &'a str {
    if let Some((key, _)) = line.split_once(separator) {
        return key;
    }
    line
}

fn main() {
    let line = String::from("user=ada");
    let key;
    {
        let separator = String::from("="); // read from a configuration file, say
        key = key_of(&line, &separator);
    } // `separator` is dropped here
    println!("key: {key}");
}
