//! Integration tests of the C API, calling the exported functions from Rust as a
//! C caller would (raw pointers, lengths, out-parameters).

mod header;
mod plumbing;
