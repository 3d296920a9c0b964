//! Empty: a build script makes cargo resolve this crate's `[build-dependencies]`,
//! which carry the build-time half of the workspace's feature set.

fn main() {}
