//! Which completed questionnaires count as a treatment session's scores, for
//! Talking Therapies outcomes computed from stored records.
//!
//! Rule: a questionnaire counts for a session when it was completed on the same
//! UTC calendar day as the session; of several of one measure that day, the one
//! completed last counts (it is the answer the person settled on). Instruments
//! that are not Talking Therapies measures are ignored. This is a project
//! convention for data entered in the app, not a published rule: the NHS Talking
//! Therapies manual expects measures to be taken at the session itself
//! (unconfirmed: how services match app-completed measures to sessions).

use std::collections::BTreeMap;

use crate::outcomes::{Measure, ScoreValue, SessionScore};
use crate::timestamp::Timestamp;

/// A completed questionnaire as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletedScore<'a> {
    /// The instrument's id in the scoring registry, for example `phq9`.
    pub instrument_id: &'a str,
    /// When it was completed.
    pub completed_at: Timestamp,
    /// Its total.
    pub total: i32,
}

/// The scores of the session at `session_at`, one per measure, in measure order.
pub fn scores_at_session<'a>(
    session_at: Timestamp,
    completed: impl IntoIterator<Item = CompletedScore<'a>>,
) -> Vec<SessionScore> {
    let mut latest: BTreeMap<Measure, (Timestamp, u16)> = BTreeMap::new();
    for score in completed {
        let Some(measure) = Measure::from_instrument_id(score.instrument_id) else {
            continue;
        };
        if score.completed_at.date() != session_at.date() {
            continue;
        }
        let Ok(points) = u16::try_from(score.total) else {
            continue;
        };
        let newer = latest
            .get(&measure)
            .is_none_or(|(seen, _)| *seen <= score.completed_at);
        if newer {
            latest.insert(measure, (score.completed_at, points));
        }
    }
    latest
        .into_iter()
        .map(|(measure, (_, points))| SessionScore {
            measure,
            value: ScoreValue::from_points(points),
        })
        .collect()
}
