//! End-to-end tests of the `saq` binary and its library crates, one module per area.
//! Fixtures live in `tests/fixtures/<area>/`.

mod cli_commands;
mod cli_foundation;
mod cli_several;
mod confidentiality;
mod fuzz_targets;
mod interrupted;
mod limits;
mod new;
mod packs;
mod questionnaires;
mod responses;
mod robustness;
mod util;
mod xss;
