//! Rebuilds the server when the embedded web app (`web/app/`) changes:
//! `include_dir!` alone is not tracked by cargo on stable Rust.

fn main() {
    println!("cargo:rerun-if-changed=web/app");
}
