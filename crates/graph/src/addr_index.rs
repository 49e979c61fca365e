//! Address → node id without a second copy of every address.
//!
//! A `HashMap<String, u32>` keeps each node's address twice (in the node and as the key): one
//! more allocation, copy and free per node, on graphs of 100k+ nodes. This table stores only
//! the ids and compares against the address the node already owns.

use std::hash::BuildHasher;

use hashbrown::HashTable;

fn hash(address: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(address)
}

/// Node ids keyed by their node's address, read through `address_of`.
#[derive(Debug, Default)]
pub(crate) struct AddrIndex {
    table: HashTable<u32>,
}

impl AddrIndex {
    pub(crate) fn with_capacity(n: usize) -> Self {
        AddrIndex {
            table: HashTable::with_capacity(n),
        }
    }

    /// The id whose node has `address`.
    pub(crate) fn get<'n>(&self, address: &str, address_of: impl Fn(u32) -> &'n str) -> Option<u32> {
        self.table.find(hash(address), |&i| address_of(i) == address).copied()
    }

    /// Indexes `id`, whose node has `address` and is already where `address_of` looks (growing
    /// the table rehashes every indexed node). `address` must not be indexed yet.
    pub(crate) fn insert_new<'n>(&mut self, address: &str, id: u32, address_of: impl Fn(u32) -> &'n str) {
        self.table.insert_unique(hash(address), id, |&i| hash(address_of(i)));
    }

    /// Renumbers every id (the addresses, hence the hashes, are unchanged).
    pub(crate) fn renumber(&mut self, new_id: impl Fn(u32) -> u32) {
        for v in self.table.iter_mut() {
            *v = new_id(*v);
        }
    }
}
