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

    // ANCHOR: fix
    // Read first, in a statement of its own: the `Ref` is dropped at its semicolon.
    let reprises: Vec<String> = playlist
        .songs
        .borrow()
        .iter()
        .map(|s| format!("{s} (reprise)"))
        .collect();
    for song in &reprises {
        playlist.add(song); // no other borrow is alive now
    }

    // When a borrow may be alive and you cannot tell statically, ask instead of panicking.
    let reading = playlist.songs.borrow();
    match playlist.songs.try_borrow_mut() {
        Ok(mut songs) => songs.clear(),
        Err(e) => println!("not now: {e}"),
    }
    drop(reading);
    // ANCHOR_END: fix
    println!("{:?}", playlist.songs.borrow());
}
