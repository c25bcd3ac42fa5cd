//! `saq explain`: what a diagnostic code means and how to fix it.

use saq_core::Code;

use crate::output::print;
use crate::{Failure, Outcome};

pub fn run(code: Option<&str>, list: bool) -> Result<Outcome, Failure> {
    match code {
        Some(text) if !list => {
            let code = Code::parse(text).ok_or_else(|| {
                Failure::Usage(format!(
                    "no diagnostic code `{text}`; `saq explain --list` lists them"
                ))
            })?;
            print(&format!(
                "{code}: {}\n\n{}\n",
                code.summary(),
                code.explanation()
            ))?;
        }
        _ => {
            let mut out = String::new();
            for code in Code::ALL {
                out.push_str(&format!(
                    "{code}  {:<7} {}\n",
                    format!("{:?}", code.severity()).to_lowercase(),
                    code.summary()
                ));
            }
            print(&out)?;
        }
    }
    Ok(Outcome::Clean)
}
