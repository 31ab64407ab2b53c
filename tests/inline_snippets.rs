//! Every inline ```rust snippet of the book, compiled and run by skeptic.
//!
//! `build.rs` hands skeptic the chapters listed in `src/SUMMARY.md`; each snippet becomes a test
//! named after its chapter, section and line (`ownership_sect_drop_line_120`). Snippets are
//! compiled as edition 2021 by skeptic 0.14; see "Editions" in README.md for why that is safe.

include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));
