struct Log {
    lines: Vec<String>,
}

// Rule 1 only: two inputs, two distinct lifetimes, no reference returned.
// Written out: fn same_length<'a, 'b>(x: &'a str, y: &'b str) -> bool
fn same_length(x: &str, y: &str) -> bool {
    x.len() == y.len()
}

// Rule 2: exactly one input lifetime, so the output gets it.
// Written out: fn first_word<'a>(text: &'a str) -> &'a str
fn first_word(text: &str) -> &str {
    text.split(' ').next().unwrap_or("")
}

impl Log {
    // Rule 3: a `&self` method's outputs get the lifetime of `&self`,
    // even though `prefix` has a lifetime of its own.
    // Written out: fn find<'s, 'p>(&'s self, prefix: &'p str) -> Option<&'s str>
    fn find(&self, prefix: &str) -> Option<&str> {
        self.lines
            .iter()
            .find(|line| line.starts_with(prefix))
            .map(|line| line.as_str())
    }
}

fn main() {
    let log = Log {
        lines: vec![String::from("warn: disk 91% full"), String::from("info: ok")],
    };
    let found = {
        let prefix = String::from("warn"); // dropped at the end of this block...
        log.find(&prefix)
    };
    // ...yet `found` is still usable: it borrows from `log`, not from `prefix`.
    println!("{found:?}");
    println!("{}", first_word("hello world"));
    println!("{}", same_length("abc", "xyz"));
}
