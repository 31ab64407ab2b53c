// Each subtree lives in its own heap allocation; a Tree holds only pointers to them.
use std::mem::size_of;

struct Tree {
    value: i32,
    left: Option<Box<Tree>>,
    right: Option<Box<Tree>>,
}

fn total(tree: &Tree) -> i32 {
    // `t` is a `&Box<Tree>`; deref coercion turns it into the `&Tree` that `total` takes.
    tree.value
        + tree.left.as_ref().map_or(0, |t| total(t))
        + tree.right.as_ref().map_or(0, |t| total(t))
}

fn main() {
    let leaf = |value| {
        Box::new(Tree {
            value,
            left: None,
            right: None,
        })
    };
    let tree = Tree {
        value: 1,
        left: Some(leaf(2)),
        right: Some(leaf(3)),
    };
    assert_eq!(total(&tree), 6);
    // Option<Box<T>> uses the null pointer for None: still 8 bytes (64-bit target).
    assert_eq!(size_of::<Option<Box<Tree>>>(), 8);
    assert_eq!(size_of::<Tree>(), 24);
}
