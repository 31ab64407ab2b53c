// Fix it: a binary tree whose nodes hold their subtrees directly.
struct Tree {
    value: i32,
    left: Option<Tree>,
    right: Option<Tree>,
}

fn total(tree: &Tree) -> i32 {
    tree.value + tree.left.as_ref().map_or(0, total) + tree.right.as_ref().map_or(0, total)
}

fn main() {
    let leaf = |value| Tree {
        value,
        left: None,
        right: None,
    };
    let tree = Tree {
        value: 1,
        left: Some(leaf(2)),
        right: Some(leaf(3)),
    };
    assert_eq!(total(&tree), 6);
}
