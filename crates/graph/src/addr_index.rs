//! Address → node id without a second copy of every address.
//!
//! A `HashMap<String, u32>` keeps each node's address twice (in the node and as the key): one
//! more allocation, copy and free per node, on graphs of 100k+ nodes. This table stores only
//! the ids and compares against the address the node already owns.

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// The hash [`AddrIndex`] files an address under. Exposed so that callers preparing nodes in
/// parallel can hash there and keep the serial insertion to a probe.
pub(crate) fn hash(address: &str) -> u64 {
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
        self.get_hashed(hash(address), address, address_of)
    }

    /// [`AddrIndex::get`] with `hash(address)` already computed.
    pub(crate) fn get_hashed<'n>(&self, hash: u64, address: &str, address_of: impl Fn(u32) -> &'n str) -> Option<u32> {
        self.table.find(hash, |&i| address_of(i) == address).copied()
    }

    /// Indexes `id`, whose node's address hashes to `hash_of_address` and is already where
    /// `address_of` looks (growing the table rehashes every indexed node). The address must not
    /// be indexed yet.
    pub(crate) fn insert_hashed<'n>(&mut self, hash_of_address: u64, id: u32, address_of: impl Fn(u32) -> &'n str) {
        self.table.insert_unique(hash_of_address, id, |&i| hash(address_of(i)));
    }

    /// Renumbers every id (the addresses, hence the hashes, are unchanged).
    pub(crate) fn renumber(&mut self, new_id: impl Fn(u32) -> u32) {
        for v in self.table.iter_mut() {
            *v = new_id(*v);
        }
    }
}
