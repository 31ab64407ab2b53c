// Which types may cross threads, asked of the compiler: each call compiles only if the bound holds.
use std::cell::{Cell, RefCell};
use std::sync::atomic::AtomicU32;
use std::sync::{Arc, Mutex, MutexGuard, RwLock, Weak};

fn is_send<T: Send>() {}
fn is_sync<T: Sync>() {}

fn main() {
    // Owned data and single-owner pointers: Send and Sync when their contents are.
    is_send::<Box<Vec<String>>>();
    is_sync::<Box<Vec<String>>>();

    // Cell and RefCell may be moved to another thread, as a whole (they are Send)...
    is_send::<Cell<u32>>();
    is_send::<RefCell<Vec<u32>>>();
    // ...but only a type that synchronises access is Sync: a lock, or an atomic.
    is_sync::<Mutex<Cell<u32>>>(); // Mutex<T> needs only T: Send to be Sync
    is_sync::<RwLock<Vec<u32>>>(); // RwLock<T> needs T: Send + Sync
    is_sync::<AtomicU32>();

    // Arc<T> is Send and Sync when T is both: so Arc<Mutex<T>> crosses threads.
    is_send::<Arc<Mutex<Vec<u32>>>>();
    is_sync::<Arc<Mutex<Vec<u32>>>>();
    is_send::<Weak<Mutex<Vec<u32>>>>(); // std::sync::Weak, likewise
    is_sync::<Weak<Mutex<Vec<u32>>>>();

    // A guard may be shared by reference when its T is Sync, but never sent (see the exercise
    // at the end).
    is_sync::<MutexGuard<'static, u32>>();

    println!("every bound holds");
}
