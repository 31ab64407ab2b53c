//! The `slotmap` design: the arena design on the `slotmap` crate instead of our own arena.
//!
//! The code is the arena agent's, line for line, with `SlotMap<DefaultKey, Node>` for
//! `Arena<Node>` and `DefaultKey` for `Handle`: what a program that does not write its own
//! arena would do.

use crate::{Agent, Aggregates, Config, Event};
use slotmap::{DefaultKey, SlotMap};
use std::collections::{HashMap, VecDeque};

// ANCHOR: node
struct Node {
    event: Event,
    parent: Option<DefaultKey>,
    children: Vec<DefaultKey>,
    descendants: u64,
}

pub struct SlotMapAgent {
    config: Config,
    nodes: SlotMap<DefaultKey, Node>,
    by_id: HashMap<u64, DefaultKey>,
    expiry: VecDeque<(u64, DefaultKey)>,
}
// ANCHOR_END: node

impl SlotMapAgent {
    pub fn new(config: Config) -> Self {
        SlotMapAgent {
            config,
            nodes: SlotMap::new(),
            by_id: HashMap::new(),
            expiry: VecDeque::new(),
        }
    }
}

impl Agent for SlotMapAgent {
    // ANCHOR: link
    fn link(&mut self, batch: &[Event]) {
        for event in batch {
            let parent = event.parent.and_then(|id| self.by_id.get(&id).copied());
            let key = self.nodes.insert(Node {
                event: *event,
                parent,
                children: Vec::new(),
                descendants: 0,
            });
            self.by_id.insert(event.id, key);
            self.expiry.push_back((event.timestamp_ms, key));

            if let Some(node) = parent.and_then(|k| self.nodes.get_mut(k)) {
                node.children.push(key);
            }
            let mut next = parent;
            while let Some(node) = next.and_then(|k| self.nodes.get_mut(k)) {
                node.descendants += 1;
                next = node.parent;
            }
        }
    }
    // ANCHOR_END: link

    fn expire(&mut self, cutoff_ms: u64) {
        while let Some(&(timestamp_ms, key)) = self.expiry.front() {
            if timestamp_ms >= cutoff_ms {
                break;
            }
            self.expiry.pop_front();
            let node = self.nodes.remove(key).expect("expired twice");
            self.by_id.remove(&node.event.id);
        }
    }

    fn aggregates(&self) -> Aggregates {
        let mut out = Aggregates::empty();
        for (_, node) in &self.nodes {
            let live_parent = node
                .parent
                .and_then(|k| self.nodes.get(k))
                .map(|p| p.event.id);
            out.add_live(
                &node.event,
                live_parent,
                node.children.len(),
                node.descendants,
            );
        }
        out
    }

    fn config(&self) -> Config {
        self.config
    }
}

#[cfg(test)]
mod tests {
    use slotmap::DefaultKey;

    /// What the chapter says about slotmap's keys, checked against the version in Cargo.lock.
    #[test]
    fn a_slotmap_key_is_8_bytes_and_so_is_an_optional_one() {
        assert_eq!(size_of::<DefaultKey>(), 8);
        assert_eq!(size_of::<Option<DefaultKey>>(), 8);
    }
}
