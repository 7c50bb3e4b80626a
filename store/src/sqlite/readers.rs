//! A fixed set of read-only connections.
//!
//! In WAL mode readers do not block the writer or each other, but one SQLite connection
//! runs one statement at a time; a few connections let reads proceed in parallel on every
//! core. The set is small and fixed (no growth, no idle timeout), so a plain list of
//! mutexes does: a caller takes the first free connection, starting at a rotating index,
//! and waits on one only when all are busy.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::Connection;

pub(crate) struct Readers {
    conns: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl Readers {
    /// `conns` must not be empty.
    pub(crate) fn new(conns: Vec<Connection>) -> Readers {
        Readers {
            conns: conns.into_iter().map(Mutex::new).collect(),
            next: AtomicUsize::new(0),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.conns.len()
    }

    /// A connection for the caller's exclusive use until the guard drops.
    pub(crate) fn get(&self) -> MutexGuard<'_, Connection> {
        let n = self.conns.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        for i in 0..n {
            if let Ok(guard) = self.conns[(start + i) % n].try_lock() {
                return guard;
            }
        }
        // A panic while holding a connection leaves it usable: every read runs in its own
        // transaction, which SQLite ends when the statement or transaction object drops.
        self.conns[start]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
