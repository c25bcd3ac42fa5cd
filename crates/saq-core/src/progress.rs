//! How complete a state's responses are: what `saq progress` shows and what a
//! pack's summary counts.
//!
//! A question counts as applicable when its `show_if` holds given the other
//! answers; completion is measured against applicable questions only, so answering
//! "no" to a compliance question does not leave its follow-ups "missing".

use serde::Serialize;

use crate::dossier::Dossier;
use crate::questionnaire::{Catalog, Questionnaire};
use crate::response::{applicability, is_answered, Response, Status};
use crate::submission::Target;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub required_applicable: usize,
    pub required_answered: usize,
    pub optional_applicable: usize,
    pub optional_answered: usize,
    /// Stakeholder comments on questions or articles of this part.
    pub comments: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.required_applicable += other.required_applicable;
        self.required_answered += other.required_answered;
        self.optional_applicable += other.optional_applicable;
        self.optional_answered += other.optional_answered;
        self.comments += other.comments;
    }

    /// Required questions answered, as a whole percentage (100 when none apply).
    pub fn percent(&self) -> u32 {
        (self.required_answered * 100)
            .checked_div(self.required_applicable)
            .map_or(100, |p| p as u32)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ClusterProgress {
    pub number: u8,
    pub title: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstrumentProgress {
    pub instrument: String,
    pub questionnaire: String,
    pub status: Status,
    pub clusters: Vec<ClusterProgress>,
    pub total: Counts,
    /// Submissions on this instrument, and their comments.
    pub submissions: usize,
    pub general_comments: usize,
    /// Required questions that apply and are not answered, in questionnaire order.
    pub missing: Vec<String>,
}

/// Completion of one response; `comments` lists the targets of the stakeholder comments to count.
pub fn of_response(q: &Questionnaire, r: &Response, targets: &[Target]) -> InstrumentProgress {
    let applies = applicability(q, &r.answers);
    let mut clusters = Vec::new();
    let mut total = Counts::default();
    let mut missing = Vec::new();
    let mut index = 0;
    for c in &q.clusters {
        let mut counts = Counts::default();
        for a in &c.articles {
            counts.comments += targets
                .iter()
                .filter(|t| matches!(t, Target::Article(n) if *n == a.article))
                .count();
            for question in &a.questions {
                let applicable = applies.get(index).is_some_and(|x| x.applies);
                index += 1;
                counts.comments += targets
                    .iter()
                    .filter(|t| matches!(t, Target::Question(id) if *id == question.id))
                    .count();
                if !applicable {
                    continue;
                }
                let answered = r
                    .answers
                    .get(&question.id)
                    .is_some_and(|x| is_answered(&x.value));
                if question.required {
                    counts.required_applicable += 1;
                    counts.required_answered += usize::from(answered);
                    if !answered {
                        missing.push(question.id.clone());
                    }
                } else {
                    counts.optional_applicable += 1;
                    counts.optional_answered += usize::from(answered);
                }
            }
        }
        total.add(&counts);
        clusters.push(ClusterProgress {
            number: c.number,
            title: c.title.english().to_string(),
            counts,
        });
    }
    InstrumentProgress {
        instrument: q.id.clone(),
        questionnaire: q.reference(),
        status: r.status,
        clusters,
        total,
        submissions: 0,
        general_comments: targets.iter().filter(|t| **t == Target::General).count(),
        missing,
    }
}

/// Completion of every response in a dossier, with the stakeholder input on each.
pub fn of_dossier(catalog: &Catalog, dossier: &Dossier) -> Vec<InstrumentProgress> {
    let mut out = Vec::new();
    for r in &dossier.responses {
        let Ok(q) = catalog.get(&r.response.questionnaire) else {
            continue;
        };
        let on_instrument: Vec<_> = dossier
            .submissions
            .iter()
            .filter(|s| s.submission.questionnaire.split('@').next() == Some(q.id.as_str()))
            .collect();
        let targets: Vec<Target> = on_instrument
            .iter()
            .flat_map(|s| {
                s.submission
                    .comments
                    .iter()
                    .map(|c| Target::parse(&c.target))
            })
            .collect();
        let mut p = of_response(q, &r.response, &targets);
        p.submissions = on_instrument.len();
        out.push(p);
    }
    out
}
