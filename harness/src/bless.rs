//! The single switch that rewrites snapshots.
//!
//! trybuild rewrites `.stderr` files when `TRYBUILD=overwrite` is set; the rest of the harness
//! follows the same variable, so one command re-blesses everything after a compiler upgrade:
//! `TRYBUILD=overwrite cargo test`, then review `git diff`.

/// The command a person runs to accept the current output as the new snapshots.
pub const BLESS_COMMAND: &str = "TRYBUILD=overwrite cargo test";

/// True when the person running the tests asked to rewrite snapshots.
pub fn requested() -> bool {
    std::env::var("TRYBUILD").is_ok_and(|v| v == "overwrite")
}
