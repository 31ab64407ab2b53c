//! A generational arena: values in a `Vec` of slots, addressed by an index plus a generation.
//!
//! Removing a value bumps its slot's generation and puts the slot on a free list; the next
//! insertion reuses it. A handle kept from before the removal carries the old generation, so
//! it is recognised as stale instead of silently reaching the new occupant.

use std::num::NonZeroU32;

// ANCHOR: handle
/// Names one value of an [`Arena`]: which slot, and which occupant of that slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Handle {
    index: u32,
    /// Never zero, so `Option<Handle>` uses the zero as its `None`: still 8 bytes.
    generation: NonZeroU32,
}

const _: () = assert!(size_of::<Handle>() == 8 && size_of::<Option<Handle>>() == 8);
// ANCHOR_END: handle

impl Handle {
    /// The slot this handle points at (for diagrams and tests).
    pub fn index(self) -> usize {
        self.index as usize
    }

    pub fn generation(self) -> u32 {
        self.generation.get()
    }
}

// ANCHOR: slot
struct Slot<T> {
    /// Bumped every time the slot is emptied, so that old handles stop matching.
    generation: NonZeroU32,
    entry: Entry<T>,
}

enum Entry<T> {
    Occupied(T),
    /// An empty slot is a link of the free list: it names the next empty slot.
    Free {
        next_free: Option<u32>,
    },
}

/// The arena: one `Vec`, one owner, and a free list threaded through the empty slots.
///
/// `CHECK_GENERATION` is `true` everywhere except in two tests, which turn the check off to
/// show what it prevents ([`UncheckedArena`]).
pub struct Arena<T, const CHECK_GENERATION: bool = true> {
    slots: Vec<Slot<T>>,
    free_head: Option<u32>,
    len: usize,
    /// Slots whose generation ran out: never reused (see [`Arena::remove`]).
    retired: usize,
}
// ANCHOR_END: slot

/// The arena with the generation check removed: a handle is a bare index. For two tests only:
/// the stale-index demonstration (`tests/stale_indices.rs`) and a unit test below.
pub type UncheckedArena<T> = Arena<T, false>;

const FIRST_GENERATION: NonZeroU32 = NonZeroU32::MIN;

impl<T> Arena<T> {
    pub fn new() -> Self {
        Self::empty()
    }
}

impl<T> UncheckedArena<T> {
    pub fn without_generation_check() -> Self {
        Self::empty()
    }
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const CHECK_GENERATION: bool> Arena<T, CHECK_GENERATION> {
    fn empty() -> Self {
        Arena {
            slots: Vec::new(),
            free_head: None,
            len: 0,
            retired: 0,
        }
    }

    /// Slots taken out of use because their generation ran out.
    pub fn retired(&self) -> usize {
        self.retired
    }

    /// Values currently stored.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Slots ever created, occupied or free: the arena's high-water mark.
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    // ANCHOR: insert
    /// Stores `value`, in a freed slot if there is one, and returns its handle.
    pub fn insert(&mut self, value: T) -> Handle {
        self.len += 1;
        if let Some(index) = self.free_head {
            let slot = &mut self.slots[index as usize];
            let Entry::Free { next_free } = slot.entry else {
                unreachable!("the free list points at an occupied slot");
            };
            self.free_head = next_free;
            slot.entry = Entry::Occupied(value);
            return Handle {
                index,
                generation: slot.generation,
            };
        }
        let index = u32::try_from(self.slots.len()).expect("more than u32::MAX slots");
        self.slots.push(Slot {
            generation: FIRST_GENERATION,
            entry: Entry::Occupied(value),
        });
        Handle {
            index,
            generation: FIRST_GENERATION,
        }
    }
    // ANCHOR_END: insert

    // ANCHOR: get
    /// The value `handle` names, or `None` if it was removed (even if the slot is in use again).
    pub fn get(&self, handle: Handle) -> Option<&T> {
        match self.slots.get(handle.index as usize) {
            Some(Slot {
                generation,
                entry: Entry::Occupied(value),
            }) if *generation == handle.generation || !CHECK_GENERATION => Some(value),
            _ => None,
        }
    }
    // ANCHOR_END: get

    pub fn get_mut(&mut self, handle: Handle) -> Option<&mut T> {
        match self.slots.get_mut(handle.index as usize) {
            Some(Slot {
                generation,
                entry: Entry::Occupied(value),
            }) if *generation == handle.generation || !CHECK_GENERATION => Some(value),
            _ => None,
        }
    }

    // ANCHOR: remove
    /// Takes the value out, makes every handle to it stale, and puts the slot on the free list.
    ///
    /// A slot whose generation cannot go up any more (after 2³² − 1 occupants) is retired
    /// instead: it stays empty for good, so no old handle can ever match a new occupant.
    pub fn remove(&mut self, handle: Handle) -> Option<T> {
        self.get(handle)?;
        let slot = &mut self.slots[handle.index as usize];
        let next_generation = slot.generation.checked_add(1);
        let next_free = match next_generation {
            Some(_) => self.free_head,
            None => None, // retired: not on the free list
        };
        let old = std::mem::replace(&mut slot.entry, Entry::Free { next_free });
        match next_generation {
            Some(generation) => {
                slot.generation = generation;
                self.free_head = Some(handle.index);
            }
            None => self.retired += 1,
        }
        self.len -= 1;
        match old {
            Entry::Occupied(value) => Some(value),
            Entry::Free { .. } => unreachable!("checked by get above"),
        }
    }
    // ANCHOR_END: remove

    /// Every stored value with its handle, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (Handle, &T)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(index, slot)| match &slot.entry {
                Entry::Occupied(value) => Some((
                    Handle {
                        index: index as u32,
                        generation: slot.generation,
                    },
                    value,
                )),
                Entry::Free { .. } => None,
            })
    }

    /// The slot the next [`Arena::insert`] will use.
    pub fn next_slot(&self) -> usize {
        self.free_head.map_or(self.slots.len(), |i| i as usize)
    }

    /// Every slot's current generation, in slot order (for diagrams and tests).
    pub fn generations(&self) -> Vec<u32> {
        self.slots
            .iter()
            .map(|slot| slot.generation.get())
            .collect()
    }

    /// The free list, head first (for diagrams and tests).
    pub fn free_list(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut next = self.free_head;
        while let Some(index) = next {
            out.push(index as usize);
            next = match self.slots[index as usize].entry {
                Entry::Free { next_free } => next_free,
                Entry::Occupied(_) => unreachable!("the free list points at an occupied slot"),
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // ANCHOR: stale_test
    #[test]
    fn a_stale_handle_is_rejected_after_its_slot_is_reused() {
        let mut arena = Arena::new();
        let old = arena.insert("expired event");
        assert_eq!(arena.remove(old), Some("expired event"));

        let new = arena.insert("new event");
        assert_eq!(new.index(), old.index(), "the slot is reused");
        assert_ne!(new.generation(), old.generation());

        assert_eq!(
            arena.get(old),
            None,
            "the old handle must not reach the new event"
        );
        assert_eq!(arena.get_mut(old), None);
        assert_eq!(arena.remove(old), None);
        assert_eq!(arena.get(new), Some(&"new event"));
    }
    // ANCHOR_END: stale_test

    // ANCHOR: diagram_test
    /// Builds the arena drawn in the book's chapter, and checks every claim of the drawing.
    #[test]
    fn the_arena_drawn_in_the_chapter() {
        let mut arena = Arena::new();
        let h: Vec<Handle> = ["A", "B", "C", "D", "E"]
            .into_iter()
            .map(|event| arena.insert(event))
            .collect();
        arena.remove(h[1]); // B expires: slot 1 is free, generation 2
        arena.remove(h[3]); // D expires: slot 3 is free, generation 2
        assert_eq!(arena.free_list(), vec![3, 1]);

        let f = arena.insert("F"); // F takes the slot freed last
        assert_eq!((f.index(), f.generation()), (3, 2));
        assert_eq!(arena.free_list(), vec![1]);

        assert_eq!(arena.get(f), Some(&"F"));
        assert_eq!(arena.get(h[3]), None, "D's old handle does not reach F");
        assert_eq!(arena.get(h[1]), None);
        let live: Vec<_> = arena
            .iter()
            .map(|(h, v)| (h.index(), h.generation(), *v))
            .collect();
        assert_eq!(live, [(0, 1, "A"), (2, 1, "C"), (3, 2, "F"), (4, 1, "E")]);
        assert_eq!(size_of::<Handle>(), 8, "a handle is two u32s");
        assert_eq!(
            size_of::<Option<Handle>>(),
            8,
            "None is the zero generation"
        );

        // What the drawing states, printed from this arena: src/img/case-study/arena.svg takes
        // every number it shows from these lines (the book's diagram check, by key).
        let handle = |h: Handle| format!("({}, {})", h.index(), h.generation());
        let slots: Vec<String> = (0..arena.slot_count()).map(|i| i.to_string()).collect();
        let generations: Vec<String> = arena.generations().iter().map(u32::to_string).collect();
        let words: Vec<String> = arena
            .generations()
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let occupant = arena.iter().find(|(h, _)| h.index() == i);
                match occupant {
                    Some((_, v)) => format!("slot {i} holds {v} (generation {g})"),
                    None => format!("slot {i} is free (generation {g})"),
                }
            })
            .collect();
        let drawn = format!(
            "in words: {}; free_head points at slot {}; {} reaches F; {} and {} give None\n\
             slots: {}\ngenerations: {}\nD's generation: {}\nF's handle: {}\n\
             D's old handle: {} reaches slot {}, which holds F now at generation {}\n\
             B's old handle: {} reaches slot {}, which is {}\nhandle: {} bytes\n",
            words.join(", "),
            arena.free_list()[0],
            handle(f),
            handle(h[3]),
            handle(h[1]),
            slots.join(" "),
            generations.join(" "),
            h[3].generation(),
            handle(f),
            handle(h[3]),
            h[3].index(),
            f.generation(),
            handle(h[1]),
            h[1].index(),
            if arena.free_list().contains(&h[1].index()) {
                "empty"
            } else {
                "taken"
            },
            size_of::<Handle>(),
        );
        diagram_snapshot(&drawn);
    }
    // ANCHOR_END: diagram_test

    /// Compares what the arena drawing states with `arena.stdout` beside this file, the
    /// snapshot the book's diagram check reads; `TRYBUILD=overwrite` (the book's one bless
    /// switch) records it.
    fn diagram_snapshot(drawn: &str) {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/arena.stdout");
        if std::env::var("TRYBUILD").is_ok_and(|v| v == "overwrite") {
            std::fs::write(&file, drawn).expect("src/arena.stdout is writable");
            return;
        }
        let recorded = std::fs::read_to_string(&file).unwrap_or_default();
        assert_eq!(
            recorded,
            drawn,
            "{} does not say what the drawn arena is; if the arena changed on purpose, run \
             `TRYBUILD=overwrite cargo test` and update src/img/case-study/arena.svg to match",
            file.display()
        );
    }

    #[test]
    fn the_free_list_reuses_slots_last_freed_first() {
        let mut arena = Arena::new();
        let h: Vec<Handle> = (0..5).map(|i| arena.insert(i)).collect();
        assert_eq!(arena.slot_count(), 5);

        arena.remove(h[1]);
        arena.remove(h[3]);
        assert_eq!(arena.free_list(), vec![3, 1]);
        assert_eq!(arena.len(), 3);

        let a = arena.insert(10);
        let b = arena.insert(11);
        assert_eq!((a.index(), b.index()), (3, 1));
        assert!(arena.free_list().is_empty());
        assert_eq!(arena.slot_count(), 5, "no new slot while free ones exist");

        let c = arena.insert(12);
        assert_eq!(c.index(), 5);
        assert_eq!(arena.slot_count(), 6);
    }

    #[test]
    fn a_slot_used_many_times_stays_one_slot() {
        let mut arena = Arena::new();
        let mut handles = Vec::new();
        for round in 0..1_000u32 {
            let h = arena.insert(round);
            handles.push(h);
            assert_eq!(arena.remove(h), Some(round));
        }
        assert_eq!(arena.slot_count(), 1);
        assert!(arena.is_empty());
        assert!(handles.iter().all(|&h| arena.get(h).is_none()));
    }

    #[test]
    fn removing_twice_is_harmless() {
        let mut arena = Arena::new();
        let h = arena.insert(1);
        assert_eq!(arena.remove(h), Some(1));
        assert_eq!(arena.remove(h), None);
        assert_eq!(
            arena.free_list(),
            vec![0],
            "the slot is on the free list once"
        );
    }

    #[test]
    fn iter_visits_occupied_slots_only() {
        let mut arena = Arena::new();
        let h: Vec<Handle> = (0..4).map(|i| arena.insert(i * 10)).collect();
        arena.remove(h[2]);
        let seen: Vec<(usize, i32)> = arena.iter().map(|(h, v)| (h.index(), *v)).collect();
        assert_eq!(seen, vec![(0, 0), (1, 10), (3, 30)]);
        for (handle, value) in arena.iter() {
            assert_eq!(arena.get(handle), Some(value));
        }
    }

    // ANCHOR: wrap_test
    #[test]
    fn a_slot_whose_generation_runs_out_is_retired_not_reused() {
        let mut arena = Arena::new();
        let first = arena.insert("first");
        arena.remove(first);
        // Skip four billion reuses of slot 0: its next occupant is its last.
        arena.slots[0].generation = NonZeroU32::MAX;
        let last = arena.insert("last");
        assert_eq!((last.index(), last.generation()), (0, u32::MAX));

        assert_eq!(arena.remove(last), Some("last"));
        assert_eq!(arena.retired(), 1);
        assert!(
            arena.free_list().is_empty(),
            "slot 0 is not on the free list"
        );
        let next = arena.insert("next");
        assert_eq!(next.index(), 1, "a new slot, not slot 0");
        assert_eq!(arena.get(last), None, "no handle ever reaches slot 0 again");
        assert_eq!(arena.get(first), None);
    }
    // ANCHOR_END: wrap_test

    #[test]
    fn without_the_check_a_stale_handle_reaches_the_new_occupant() {
        let mut arena = UncheckedArena::without_generation_check();
        let old = arena.insert("expired event");
        arena.remove(old);
        let new = arena.insert("new event");
        assert_eq!(new.index(), old.index());
        assert_eq!(arena.get(old), Some(&"new event"));
    }
}
