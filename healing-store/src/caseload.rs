//! A clinician's caseload: the linked patients they may see, each with their latest
//! PHQ-9 and GAD-7, open alerts, last activity and course state, and the rules that
//! read risk from them and order, filter, search and page them. Pure, so every rule
//! is tested without a database; the store's `caseload` read fills the records in a
//! fixed number of queries and hands them to [`select_caseload`].

use std::cmp::{Ordering, Reverse};

use serde::{Deserialize, Serialize};

use healing_core::ids::PersonId;
use healing_core::outcomes::{Measure, ReliableChange, ScoreValue};
use healing_core::scoring::{BandId, Flag};
use healing_core::timestamp::Timestamp;

use crate::records::{AlertSeverity, Page, StoredAssessment};

/// Most patients one caseload page holds, whatever the caller asks.
pub const MAX_CASELOAD_PAGE: u32 = 200;

/// Seconds in a day, for "days since last activity".
const DAY_SECONDS: i64 = 86_400;

/// Whether a patient has a course of treatment, and whether one is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseState {
    /// A course is open (not yet closed).
    Open,
    /// Every course the patient had is closed.
    Closed,
    /// The patient has never had a course.
    None,
}

impl CourseState {
    /// Every state, in declaration order.
    pub const ALL: [CourseState; 3] = [CourseState::Open, CourseState::Closed, CourseState::None];

    /// The state's name in JSON and query strings.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::None => "none",
        }
    }

    /// The state with this name, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == name)
    }
}

/// Which score a latest score's change is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeBaseline {
    /// The first score of the measure since the patient's open course began.
    CurrentCourse,
    /// The first score of the measure on record: the patient has no open course, or
    /// no score of this measure since it began.
    FirstOnRecord,
}

impl ChangeBaseline {
    /// The baseline's name in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CurrentCourse => "current_course",
            Self::FirstOnRecord => "first_on_record",
        }
    }
}

/// How a latest score differs from its baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreChange {
    /// Which score the change is measured from.
    pub baseline: ChangeBaseline,
    /// The baseline's total.
    pub baseline_total: i32,
    /// When the baseline was completed.
    pub baseline_at: Timestamp,
    /// Latest total minus baseline total: positive is a rise in symptoms.
    pub change: i32,
    /// Reliable change on this measure alone, read with the measure's own reliable
    /// change index ([`Measure::reliable_change`]).
    pub reliable_change: ReliableChange,
}

/// The latest score of one outcome measure and its change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatestScore {
    /// The measure (PHQ-9 or GAD-7).
    pub measure: Measure,
    /// The questionnaire's id.
    pub assessment_id: String,
    /// Its total.
    pub total: i32,
    /// Its severity band.
    pub band: Option<BandId>,
    /// Its flags (a PHQ-9 item 9 answer above 0 is `self_harm_thoughts`).
    pub flags: Vec<Flag>,
    /// When it was completed.
    pub completed_at: Timestamp,
    /// The change from its baseline; `None` when the latest score is the baseline
    /// itself (the only score there is).
    pub change: Option<ScoreChange>,
}

impl LatestScore {
    /// The latest score `latest` of `measure`, its change measured from
    /// `first_in_course` (the first score since the open course began) when there is
    /// one, else from `first_on_record`. `None` when `latest` has no total (never so
    /// for the PHQ-9 and GAD-7 the caseload reads); a baseline without one gives no
    /// change.
    pub fn new(
        measure: Measure,
        latest: &StoredAssessment,
        first_in_course: Option<&StoredAssessment>,
        first_on_record: &StoredAssessment,
    ) -> Option<Self> {
        let total = latest.total?;
        let (baseline, from) = match first_in_course {
            Some(first) => (ChangeBaseline::CurrentCourse, first),
            None => (ChangeBaseline::FirstOnRecord, first_on_record),
        };
        let change = from
            .total
            .filter(|_| from.id != latest.id)
            .map(|baseline_total| ScoreChange {
                baseline,
                baseline_total,
                baseline_at: from.completed_at,
                change: total - baseline_total,
                reliable_change: measure
                    .reliable_change(points(baseline_total).difference_to(points(total))),
            });
        Some(Self {
            measure,
            assessment_id: latest.id.clone(),
            total,
            band: latest.band,
            flags: latest.flags.clone(),
            completed_at: latest.completed_at,
            change,
        })
    }

    /// Whether an answer on this questionnaire reports thoughts of self-harm or
    /// suicide (PHQ-9 item 9 above 0, as [`questionnaire_risk`](crate::questionnaire_risk)
    /// reads it).
    pub fn reports_self_harm_thoughts(&self) -> bool {
        self.flags
            .iter()
            .any(|flag| matches!(flag, Flag::SelfHarmThoughts { answer, .. } if *answer > 0))
    }

    /// Whether the score rose reliably from its baseline.
    pub fn reliably_deteriorated(&self) -> bool {
        self.change
            .as_ref()
            .is_some_and(|change| change.reliable_change == ReliableChange::ReliableDeterioration)
    }
}

/// A stored total as a score value; a total outside `u16` (never stored by the
/// scoring engine) reads as 0 rather than fail the caseload.
fn points(total: i32) -> ScoreValue {
    ScoreValue::from_points(u16::try_from(total).unwrap_or(0))
}

/// Alerts not yet resolved (open or acknowledged), counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenAlerts {
    /// Critical.
    pub critical: u32,
    /// High.
    pub high: u32,
    /// Medium.
    pub medium: u32,
}

impl OpenAlerts {
    /// Counts one more alert of `severity`.
    pub fn add(&mut self, severity: AlertSeverity, count: u32) {
        match severity {
            AlertSeverity::Critical => self.critical += count,
            AlertSeverity::High => self.high += count,
            AlertSeverity::Medium => self.medium += count,
        }
    }

    /// Alerts of every severity.
    pub fn total(&self) -> u32 {
        self.critical + self.high + self.medium
    }
}

/// Where a patient sorts in the caseload: the most urgent tier first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskTier {
    /// An open critical or high alert.
    UrgentAlert,
    /// The latest PHQ-9 reports thoughts of self-harm or suicide (item 9).
    SelfHarmThoughts,
    /// The latest PHQ-9 or GAD-7 rose reliably from its baseline.
    ReliableDeterioration,
    /// None of the above.
    Routine,
}

impl RiskTier {
    /// The tier's name in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::UrgentAlert => "urgent_alert",
            Self::SelfHarmThoughts => "self_harm_thoughts",
            Self::ReliableDeterioration => "reliable_deterioration",
            Self::Routine => "routine",
        }
    }
}

/// One patient on a clinician's caseload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadPatient {
    /// The patient.
    pub patient_id: PersonId,
    /// Their display name.
    pub display_name: String,
    /// Their NHS number, if recorded.
    pub nhs_number: Option<String>,
    /// The latest PHQ-9, if any.
    pub phq9: Option<LatestScore>,
    /// The latest GAD-7, if any.
    pub gad7: Option<LatestScore>,
    /// Alerts not yet resolved, by severity.
    pub open_alerts: OpenAlerts,
    /// The latest mood entry, questionnaire or journal entry, if any.
    pub last_activity_at: Option<Timestamp>,
    /// Whether a course is open, all are closed, or there is none.
    pub course: CourseState,
}

impl CaseloadPatient {
    /// Whether the latest PHQ-9 reports thoughts of self-harm or suicide.
    pub fn reports_self_harm_thoughts(&self) -> bool {
        self.phq9
            .as_ref()
            .is_some_and(LatestScore::reports_self_harm_thoughts)
    }

    /// Whether a risk flag is open: an alert not yet resolved, or the latest PHQ-9's
    /// item 9.
    pub fn risk_flag_open(&self) -> bool {
        self.open_alerts.total() > 0 || self.reports_self_harm_thoughts()
    }

    /// Whether the latest PHQ-9 or GAD-7 rose reliably from its baseline.
    pub fn reliably_deteriorated(&self) -> bool {
        [&self.phq9, &self.gad7]
            .into_iter()
            .flatten()
            .any(LatestScore::reliably_deteriorated)
    }

    /// The patient's risk tier.
    pub fn risk_tier(&self) -> RiskTier {
        if self.open_alerts.critical + self.open_alerts.high > 0 {
            RiskTier::UrgentAlert
        } else if self.reports_self_harm_thoughts() {
            RiskTier::SelfHarmThoughts
        } else if self.reliably_deteriorated() {
            RiskTier::ReliableDeterioration
        } else {
            RiskTier::Routine
        }
    }

    /// Whole days from the last activity to `now` (0 for activity in the last 24
    /// hours, or recorded after `now`); `None` without any activity.
    pub fn days_since_activity(&self, now: Timestamp) -> Option<u32> {
        self.last_activity_at.map(|last| {
            let days = now.seconds_since(last).max(0) / DAY_SECONDS;
            u32::try_from(days).unwrap_or(u32::MAX)
        })
    }
}

/// The risk order: urgent alerts first (more critical, then more high alerts
/// first), then item-9 reports, then reliable deterioration, then everyone else;
/// within a tier by display name ignoring case, then by id so the order is total.
pub fn risk_order(first: &CaseloadPatient, second: &CaseloadPatient) -> Ordering {
    sort_key(first).cmp(&sort_key(second))
}

/// The key [`risk_order`] compares. Owned, so [`select_caseload`] computes it once
/// per patient rather than twice per comparison (it lower-cases the name).
fn sort_key(patient: &CaseloadPatient) -> (RiskTier, Reverse<u32>, Reverse<u32>, String, String) {
    (
        patient.risk_tier(),
        Reverse(patient.open_alerts.critical),
        Reverse(patient.open_alerts.high),
        patient.display_name.to_lowercase(),
        patient.patient_id.as_str().to_owned(),
    )
}

/// What a clinician asks of their caseload: filters, a search and a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadQuery {
    /// Only patients whose display name contains this text (ignoring case), or
    /// whose NHS number contains it as digits (ignoring spaces).
    pub search: Option<String>,
    /// `Some(true)`: only patients with an alert not yet resolved; `Some(false)`:
    /// only patients without one.
    pub has_open_alert: Option<bool>,
    /// Only patients with no activity for at least this many days (or none ever).
    pub inactive_days: Option<u32>,
    /// Only patients in this course state.
    pub course: Option<CourseState>,
    /// Which part of the ordered, filtered list to return (the limit is capped at
    /// [`MAX_CASELOAD_PAGE`]).
    pub page: Page,
}

/// One page of a caseload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadPage {
    /// Patients matching the filters and search, before paging.
    pub total: usize,
    /// The page, in risk order.
    pub patients: Vec<CaseloadPatient>,
}

/// The patients matching `query`, in risk order, paged.
pub fn select_caseload(
    patients: Vec<CaseloadPatient>,
    query: &CaseloadQuery,
    now: Timestamp,
) -> CaseloadPage {
    let search = query.search.as_deref().map(Search::new);
    let mut matching: Vec<CaseloadPatient> = patients
        .into_iter()
        .filter(|patient| {
            query
                .has_open_alert
                .is_none_or(|wanted| (patient.open_alerts.total() > 0) == wanted)
                && query.inactive_days.is_none_or(|days| {
                    patient
                        .days_since_activity(now)
                        .is_none_or(|inactive| inactive >= days)
                })
                && query.course.is_none_or(|course| patient.course == course)
                && search.as_ref().is_none_or(|search| search.matches(patient))
        })
        .collect();
    matching.sort_by_cached_key(sort_key);
    let total = matching.len();
    let limit = usize::try_from(query.page.limit.min(MAX_CASELOAD_PAGE)).unwrap_or(0);
    let offset = usize::try_from(query.page.offset).unwrap_or(usize::MAX);
    let patients = matching.into_iter().skip(offset).take(limit).collect();
    CaseloadPage { total, patients }
}

/// A search of the caseload by name or NHS number.
struct Search {
    /// The text, lower-cased, for names.
    text: String,
    /// The text's digits when it is only digits and spaces, for NHS numbers.
    digits: Option<String>,
}

impl Search {
    fn new(text: &str) -> Self {
        let text = text.trim();
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let digits = (!squeezed.is_empty() && squeezed.chars().all(|c| c.is_ascii_digit()))
            .then_some(squeezed);
        Self {
            text: text.to_lowercase(),
            digits,
        }
    }

    fn matches(&self, patient: &CaseloadPatient) -> bool {
        if patient.display_name.to_lowercase().contains(&self.text) {
            return true;
        }
        match (&self.digits, &patient.nhs_number) {
            (Some(digits), Some(number)) => number
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .contains(digits.as_str()),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;
