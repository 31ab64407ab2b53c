use std::cell::RefCell;

/// A playlist that several parts of a program share (for example through `Rc`), so it mutates
/// through `&self`.
struct Playlist {
    songs: RefCell<Vec<String>>,
}

impl Playlist {
    fn add(&self, song: &str) {
        self.songs.borrow_mut().push(song.to_owned());
    }
}

fn main() {
    let playlist = Playlist {
        songs: RefCell::new(vec!["intro".to_owned()]),
    };

    // ANCHOR: twice
    // Add a reprise of every song: iterate over the songs and add while iterating.
    for song in playlist.songs.borrow().iter() {
        playlist.add(&format!("{song} (reprise)")); // borrow_mut while borrow() is alive
    }
    // ANCHOR_END: twice
}
