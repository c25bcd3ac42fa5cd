//! `saq schema`: the JSON Schemas editors and other tools validate with.

use crate::cli::SchemaKind;
use crate::output::print;
use crate::session::Session;
use crate::{Failure, Outcome};

pub fn run(
    session: &Session,
    kind: SchemaKind,
    questionnaire: Option<&str>,
) -> Result<Outcome, Failure> {
    let schema = match kind {
        SchemaKind::Questionnaire => saq_core::schema::questionnaire(),
        SchemaKind::Response => {
            let reference = questionnaire.ok_or_else(|| Failure::Usage("`saq schema response` needs a questionnaire, e.g. `saq schema response untoc@1.0`".into()))?;
            saq_core::schema::response(super::resolve(session, reference)?)
        }
        SchemaKind::Submission => match questionnaire {
            Some(reference) => {
                saq_core::schema::submission(Some(super::resolve(session, reference)?))
            }
            None => saq_core::schema::submission(None),
        },
        SchemaKind::Pack => saq_render::pack_schema(),
    };
    print(&(serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"))?;
    Ok(Outcome::Clean)
}
