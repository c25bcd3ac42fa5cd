//! `saq new`: skeletons to fill in (being written).

use crate::cli::NewCommand;
use crate::session::Session;
use crate::{Failure, Outcome};

pub fn run(_session: &Session, _cmd: NewCommand) -> Result<Outcome, Failure> {
    Err(Failure::Other("`saq new` is not built yet".into()))
}
