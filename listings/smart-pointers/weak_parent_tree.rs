// Parents own their children (Rc); children only point back at their parent (Weak).
use std::rc::{Rc, Weak};

struct TreeNode {
    name: &'static str,
    parent: Weak<TreeNode>,
    children: Vec<Rc<TreeNode>>,
}

fn leaf(name: &'static str, parent: &Weak<TreeNode>) -> Rc<TreeNode> {
    Rc::new(TreeNode {
        name,
        parent: parent.clone(), // Weak::clone: weak count + 1
        children: Vec::new(),
    })
}

fn main() {
    // ANCHOR: build
    // new_cyclic hands us a Weak to the node before the node exists, so the
    // children can point back at it while it is being built.
    let root = Rc::new_cyclic(|me: &Weak<TreeNode>| {
        assert!(me.upgrade().is_none()); // the node does not exist yet: nothing to upgrade to
        TreeNode {
            name: "root",
            parent: Weak::new(), // the root has no parent
            children: vec![leaf("left", me), leaf("right", me)],
        }
    });
    // ANCHOR_END: build

    // ANCHOR: counts
    // The counts in the diagram:
    assert_eq!((Rc::strong_count(&root), Rc::weak_count(&root)), (1, 2));
    for child in &root.children {
        assert_eq!((Rc::strong_count(child), Rc::weak_count(child)), (1, 0));
    }
    for node in [&root, &root.children[0], &root.children[1]] {
        let (strong, weak) = (Rc::strong_count(node), Rc::weak_count(node));
        println!("{}: strong_count {strong}, weak_count {weak}", node.name);
    }
    // ANCHOR_END: counts

    // ANCHOR: walk_up
    let left = Rc::clone(&root.children[0]); // left: strong 2
    let parent = left.parent.upgrade().expect("root is alive");
    println!("{}'s parent is {}", left.name, parent.name);
    assert_eq!(Rc::strong_count(&root), 2); // `parent` is a strong handle too
    drop(parent);

    drop(root); // strong 0: root and its Vec go; `right` had one owner and goes too
    assert_eq!(Rc::strong_count(&left), 1); // only our clone is left
    assert!(left.parent.upgrade().is_none());
    println!("after drop(root): {}'s parent is gone", left.name);
    // ANCHOR_END: walk_up
}
