//! Rebuilds healing-core when a migration changes, so `sqlx::migrate!` in the `store`
//! feature embeds the current `migrations/` (sqlx's documented advice: the macro
//! cannot tell cargo about files added to the folder).

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
