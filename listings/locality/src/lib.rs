//! Contiguous storage versus linked nodes: the same numbers, summed two ways.
//!
//! The pitfalls chapter shows this code and the benchmark in `benches/traversal.rs` measures it.
//! The tests check that every traversal computes the same sum; they never look at timings.

// ANCHOR: contiguous
/// Sums a slice: the values sit next to each other, eight to a 64-byte cache line, and the
/// address of the next one is known before the current one is loaded.
pub fn sum_contiguous(values: &[u64]) -> u64 {
    values.iter().sum()
}
// ANCHOR_END: contiguous

// ANCHOR: linked
/// One heap allocation per value: the value and a pointer to the next node.
pub struct Node {
    pub value: u64,
    pub next: Option<Box<Node>>,
}

/// A singly linked list of `Box`ed nodes.
pub struct LinkedList {
    head: Option<Box<Node>>,
}

impl LinkedList {
    /// Sums the list: the address of each node is only known once the previous node is loaded.
    pub fn sum(&self) -> u64 {
        let mut total = 0;
        let mut node = self.head.as_deref();
        while let Some(n) = node {
            total += n.value;
            node = n.next.as_deref();
        }
        total
    }
}
// ANCHOR_END: linked

impl LinkedList {
    /// A list holding `values` in order, its nodes allocated in list order, so consecutive
    /// nodes tend to be neighbours in memory (the best case for a linked list).
    pub fn in_allocation_order(values: &[u64]) -> LinkedList {
        let nodes = values
            .iter()
            .map(|&value| Box::new(Node { value, next: None }))
            .collect();
        LinkedList::link(nodes)
    }

    /// A list holding the same values, its nodes allocated in one order and linked in a
    /// shuffled one, as happens in a long-running program whose heap has been used and reused:
    /// consecutive nodes are far apart in memory. `seed` makes the shuffle reproducible.
    pub fn scattered(values: &[u64], seed: u64) -> LinkedList {
        let mut nodes: Vec<Box<Node>> = values
            .iter()
            .map(|&value| Box::new(Node { value, next: None }))
            .collect();
        shuffle(&mut nodes, seed);
        LinkedList::link(nodes)
    }

    /// Links `nodes` so that the list visits them in the order of the Vec.
    #[expect(
        clippy::vec_box,
        reason = "the nodes are allocated one by one on purpose; the Vec only orders them"
    )]
    fn link(nodes: Vec<Box<Node>>) -> LinkedList {
        let mut head = None;
        for mut node in nodes.into_iter().rev() {
            node.next = head;
            head = Some(node);
        }
        LinkedList { head }
    }

    /// The values, in list order.
    pub fn values(&self) -> Vec<u64> {
        let mut out = Vec::new();
        let mut node = self.head.as_deref();
        while let Some(n) = node {
            out.push(n.value);
            node = n.next.as_deref();
        }
        out
    }
}

impl Drop for LinkedList {
    /// Unlinks the nodes one at a time. The default drop would recurse once per node (each
    /// `Box<Node>` drops its `next` first) and overflow the stack on a long list.
    fn drop(&mut self) {
        let mut node = self.head.take();
        while let Some(mut n) = node {
            node = n.next.take();
        }
    }
}

/// Fisher–Yates with a xorshift generator: deterministic, no dependency.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = (state % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: u64) -> Vec<u64> {
        (0..n).map(|i| i * 3 + 1).collect()
    }

    #[test]
    fn every_traversal_computes_the_same_sum() {
        for n in [0, 1, 2, 1_000] {
            let v = values(n);
            let expected = 3 * n * n.saturating_sub(1) / 2 + n; // the sum of 3i + 1, i < n
            assert_eq!(sum_contiguous(&v), expected, "contiguous, n = {n}");
            assert_eq!(
                LinkedList::in_allocation_order(&v).sum(),
                expected,
                "in order, n = {n}"
            );
            assert_eq!(
                LinkedList::scattered(&v, 42).sum(),
                expected,
                "scattered, n = {n}"
            );
        }
    }

    #[test]
    fn the_in_order_list_keeps_the_order_of_its_values() {
        assert_eq!(
            LinkedList::in_allocation_order(&values(5)).values(),
            values(5)
        );
    }

    #[test]
    fn the_scattered_list_holds_a_permutation_of_its_values() {
        let v = values(1_000);
        let mut seen = LinkedList::scattered(&v, 42).values();
        assert_ne!(seen, v, "a shuffle of 1,000 values left them all in place");
        seen.sort_unstable();
        assert_eq!(seen, v);
    }

    #[test]
    fn a_node_is_a_value_and_a_pointer_and_an_option_box_costs_no_tag() {
        assert_eq!(std::mem::size_of::<Node>(), 16);
        assert_eq!(std::mem::size_of::<Option<Box<Node>>>(), 8);
    }

    #[test]
    fn dropping_a_long_list_does_not_overflow_the_stack() {
        // Far more nodes than a recursive drop could handle on a test thread's 2 MiB stack.
        drop(LinkedList::in_allocation_order(&values(1 << 20)));
    }
}
