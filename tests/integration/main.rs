//! End-to-end tests of the `saq` binary and its library crates, one module per area.
//! Fixtures live in `tests/fixtures/<area>/`.

mod util;
