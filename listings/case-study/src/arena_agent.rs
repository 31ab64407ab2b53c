//! The `arena` design: the event graph in a generational arena, owned by one thread.
//!
//! Links are [`Handle`]s, plain `Copy` values; nothing is reference-counted and nothing is
//! locked. An expired event's slot goes back on the free list, and a handle that still names it
//! (a child's link to its expired parent) is detected as stale by its generation.

use crate::arena::{Arena, Handle};
use crate::{Agent, Aggregates, Config, Event};
use std::collections::{HashMap, VecDeque};

// ANCHOR: node
struct Node {
    event: Event,
    parent: Option<Handle>,
    children: Vec<Handle>,
    descendants: u64,
}

/// One owner for the whole graph: `&mut self` is the only "lock" there is.
pub struct ArenaAgent<const CHECK_GENERATION: bool = true> {
    config: Config,
    nodes: Arena<Node, CHECK_GENERATION>,
    by_id: HashMap<u64, Handle>,
    /// Live events in arrival order, oldest first: what to expire next.
    expiry: VecDeque<(u64, Handle)>,
}
// ANCHOR_END: node

/// The arena agent on an arena without the generation check (a handle is a bare index): for
/// the stale-index demonstration only.
pub type StaleIndexAgent = ArenaAgent<false>;

impl ArenaAgent {
    pub fn new(config: Config) -> Self {
        Self::with_arena(config, Arena::new())
    }
}

impl StaleIndexAgent {
    pub fn without_generation_check(config: Config) -> Self {
        Self::with_arena(config, Arena::without_generation_check())
    }
}

impl<const CHECK_GENERATION: bool> ArenaAgent<CHECK_GENERATION> {
    fn with_arena(config: Config, nodes: Arena<Node, CHECK_GENERATION>) -> Self {
        ArenaAgent {
            config,
            nodes,
            by_id: HashMap::new(),
            expiry: VecDeque::new(),
        }
    }

    /// Slots the arena ever needed: stays near the number of events in one window.
    pub fn slot_count(&self) -> usize {
        self.nodes.slot_count()
    }

    /// The walk up from event `id` through parent handles, for the stale-index demonstration:
    /// each slot met with the event in it, at most `limit` of them. A handle to an empty slot
    /// ends the walk, recorded with `None`.
    pub fn parent_walk(&self, id: u64, limit: usize) -> Vec<(usize, Option<u64>)> {
        let mut out = Vec::new();
        let mut next = self.by_id.get(&id).copied();
        while let Some(handle) = next {
            if out.len() == limit {
                break;
            }
            let node = self.nodes.get(handle);
            out.push((handle.index(), node.map(|n| n.event.id)));
            next = node.and_then(|n| n.parent);
        }
        out
    }

    /// The slot the next event will be stored in.
    pub fn next_slot(&self) -> usize {
        self.nodes.next_slot()
    }

    // ANCHOR: link
    fn link_one(&mut self, event: &Event) {
        let parent = event.parent.and_then(|id| self.by_id.get(&id).copied());
        let handle = self.nodes.insert(Node {
            event: *event,
            parent,
            children: Vec::new(),
            descendants: 0,
        });
        self.by_id.insert(event.id, handle);
        self.expiry.push_back((event.timestamp_ms, handle));

        if let Some(node) = parent.and_then(|h| self.nodes.get_mut(h)) {
            node.children.push(handle);
        }
        // Walk up the ancestors, counting the new descendant, until one has expired: its
        // handle is stale, even if its slot already holds a newer event.
        let mut next = parent;
        while let Some(node) = next.and_then(|h| self.nodes.get_mut(h)) {
            node.descendants += 1;
            next = node.parent;
        }
    }
    // ANCHOR_END: link
}

impl<const CHECK_GENERATION: bool> Agent for ArenaAgent<CHECK_GENERATION> {
    fn link(&mut self, batch: &[Event]) {
        for event in batch {
            self.link_one(event);
        }
    }

    // ANCHOR: expire
    fn expire(&mut self, cutoff_ms: u64) {
        while let Some(&(timestamp_ms, handle)) = self.expiry.front() {
            if timestamp_ms >= cutoff_ms {
                break;
            }
            self.expiry.pop_front();
            // The slot goes on the free list; children that still hold `handle` will find it
            // stale. Nothing else needs to be told.
            let node = self.nodes.remove(handle).expect("expired twice");
            self.by_id.remove(&node.event.id);
        }
    }
    // ANCHOR_END: expire

    // ANCHOR: aggregates
    fn aggregates(&self) -> Aggregates {
        let mut out = Aggregates::empty();
        for (_, node) in self.nodes.iter() {
            let live_parent = node
                .parent
                .and_then(|h| self.nodes.get(h))
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
    // ANCHOR_END: aggregates

    fn config(&self) -> Config {
        self.config
    }
}
