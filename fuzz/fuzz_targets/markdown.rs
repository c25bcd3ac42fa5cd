//! cargo-fuzz driver for the `markdown` target; the body is shared with the stable tests.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::markdown(data));
