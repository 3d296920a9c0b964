//! Unit tests of the caseload's rules: risk tiers and order, score changes against
//! their baseline, filters, search and paging.

use healing_core::ids::PersonId;
use healing_core::outcomes::{Measure, ReliableChange};
use healing_core::scoring::{BandId, Flag};
use healing_core::timestamp::Timestamp;

use super::*;
use crate::records::{AlertSeverity, Page, StoredAssessment};

fn at(days: i64) -> Timestamp {
    Timestamp::from_unix_seconds(1_780_000_000 + days * DAY_SECONDS).unwrap()
}

fn assessment(id: &str, total: i32, day: i64, flags: Vec<Flag>) -> StoredAssessment {
    StoredAssessment {
        id: id.to_owned(),
        patient_id: PersonId::new("p").unwrap(),
        instrument_id: "phq9".to_owned(),
        instrument_version: "1".to_owned(),
        answers: Vec::new(),
        total: Some(total),
        band: None::<BandId>,
        flags,
        completed_at: at(day),
    }
}

fn patient(name: &str) -> CaseloadPatient {
    CaseloadPatient {
        patient_id: PersonId::new(format!("id-{}", name.replace(' ', "-"))).unwrap(),
        display_name: name.to_owned(),
        nhs_number: None,
        phq9: None,
        gad7: None,
        open_alerts: OpenAlerts::default(),
        last_activity_at: Some(at(0)),
        course: CourseState::None,
    }
}

fn with_alert(mut patient: CaseloadPatient, severity: AlertSeverity) -> CaseloadPatient {
    patient.open_alerts.add(severity, 1);
    patient
}

/// A patient whose latest PHQ-9 went from `first` to `latest`, with item 9 flagged
/// when `item_nine`.
fn with_phq9(
    mut patient: CaseloadPatient,
    first: i32,
    latest: i32,
    item_nine: bool,
) -> CaseloadPatient {
    let flags = if item_nine {
        vec![Flag::SelfHarmThoughts { item: 9, answer: 1 }]
    } else {
        Vec::new()
    };
    let first = assessment("first", first, 0, Vec::new());
    let latest = assessment("latest", latest, 14, flags);
    patient.phq9 = LatestScore::new(Measure::Phq9, &latest, None, &first);
    patient
}

fn everyone() -> CaseloadQuery {
    CaseloadQuery {
        search: None,
        has_open_alert: None,
        inactive_days: None,
        course: None,
        page: Page::first(100),
    }
}

fn names(page: &CaseloadPage) -> Vec<&str> {
    page.patients
        .iter()
        .map(|patient| patient.display_name.as_str())
        .collect()
}

#[test]
fn orders_urgent_alerts_then_item_nine_then_deterioration_then_names() {
    let patients = vec![
        patient("Zed"),
        with_phq9(patient("Deteriorating"), 5, 12, false),
        with_alert(patient("Medium alert only"), AlertSeverity::Medium),
        with_phq9(patient("Item nine"), 12, 10, true),
        with_alert(patient("High alert"), AlertSeverity::High),
        with_alert(patient("Critical alert"), AlertSeverity::Critical),
        patient("amy"),
    ];
    let page = select_caseload(patients, &everyone(), at(1));
    assert_eq!(
        names(&page),
        [
            "Critical alert",
            "High alert",
            "Item nine",
            "Deteriorating",
            "amy",
            "Medium alert only",
            "Zed"
        ]
    );
    assert_eq!(page.total, 7);
}

#[test]
fn a_medium_alert_opens_a_risk_flag_without_raising_the_tier() {
    let medium = with_alert(patient("M"), AlertSeverity::Medium);
    assert!(medium.risk_flag_open());
    assert_eq!(medium.risk_tier(), RiskTier::Routine);
    let item_nine = with_phq9(patient("N"), 3, 3, true);
    assert!(item_nine.risk_flag_open());
    assert!(!patient("Q").risk_flag_open());
}

#[test]
fn change_is_read_against_each_measures_reliable_change_index() {
    let first = assessment("a", 6, 0, Vec::new());
    let latest = assessment("b", 10, 14, Vec::new());
    // A rise of 4: reliable on the GAD-7 (index 4), not on the PHQ-9 (index 6).
    let gad7 = LatestScore::new(Measure::Gad7, &latest, None, &first).unwrap();
    let phq9 = LatestScore::new(Measure::Phq9, &latest, None, &first).unwrap();
    let change = gad7.change.as_ref().unwrap();
    assert_eq!((change.change, change.baseline_total), (4, 6));
    assert_eq!(
        change.reliable_change,
        ReliableChange::ReliableDeterioration
    );
    assert_eq!(
        phq9.change.unwrap().reliable_change,
        ReliableChange::NoReliableChange
    );
}

#[test]
fn change_is_from_the_first_score_of_the_open_course_when_there_is_one() {
    let on_record = assessment("a", 20, 0, Vec::new());
    let in_course = assessment("b", 15, 30, Vec::new());
    let latest = assessment("c", 8, 60, Vec::new());
    let score = LatestScore::new(Measure::Phq9, &latest, Some(&in_course), &on_record).unwrap();
    let change = score.change.unwrap();
    assert_eq!(change.baseline, ChangeBaseline::CurrentCourse);
    assert_eq!((change.change, change.baseline_at), (-7, at(30)));
    assert_eq!(change.reliable_change, ReliableChange::ReliableImprovement);
    let score = LatestScore::new(Measure::Phq9, &latest, None, &on_record).unwrap();
    assert_eq!(
        score.change.unwrap().baseline,
        ChangeBaseline::FirstOnRecord
    );
}

#[test]
fn a_single_score_has_no_change() {
    let only = assessment("a", 20, 0, Vec::new());
    let score = LatestScore::new(Measure::Phq9, &only, Some(&only), &only).unwrap();
    assert_eq!(score.change, None);
    assert!(!score.reliably_deteriorated());
}

#[test]
fn filters_by_open_alert_inactivity_and_course() {
    let mut quiet = patient("Quiet");
    quiet.last_activity_at = Some(at(-20));
    quiet.course = CourseState::Closed;
    let mut never = patient("Never");
    never.last_activity_at = None;
    let mut active = with_alert(patient("Active"), AlertSeverity::Medium);
    active.course = CourseState::Open;
    let all = vec![quiet, never, active];

    let mut query = everyone();
    query.has_open_alert = Some(true);
    assert_eq!(
        names(&select_caseload(all.clone(), &query, at(0))),
        ["Active"]
    );
    query.has_open_alert = Some(false);
    assert_eq!(
        names(&select_caseload(all.clone(), &query, at(0))),
        ["Never", "Quiet"]
    );

    let mut query = everyone();
    query.inactive_days = Some(14);
    assert_eq!(
        names(&select_caseload(all.clone(), &query, at(0))),
        ["Never", "Quiet"]
    );
    query.inactive_days = Some(21);
    assert_eq!(
        names(&select_caseload(all.clone(), &query, at(0))),
        ["Never"]
    );

    for (course, expected) in [
        (CourseState::Open, "Active"),
        (CourseState::Closed, "Quiet"),
        (CourseState::None, "Never"),
    ] {
        let mut query = everyone();
        query.course = Some(course);
        assert_eq!(
            names(&select_caseload(all.clone(), &query, at(0))),
            [expected]
        );
    }
}

#[test]
fn days_since_activity_counts_whole_days_and_never_goes_negative() {
    let mut someone = patient("S");
    someone.last_activity_at = Some(at(0));
    assert_eq!(someone.days_since_activity(at(0)), Some(0));
    assert_eq!(someone.days_since_activity(at(3)), Some(3));
    assert_eq!(someone.days_since_activity(at(-1)), Some(0));
    someone.last_activity_at = None;
    assert_eq!(someone.days_since_activity(at(3)), None);
}

#[test]
fn searches_names_ignoring_case_and_nhs_numbers_ignoring_spaces() {
    let mut ada = patient("Ada Lovelace");
    ada.nhs_number = Some("943 476 5919".to_owned());
    let all = vec![ada, patient("Grace Hopper")];
    let search = |text: &str| {
        let mut query = everyone();
        query.search = Some(text.to_owned());
        select_caseload(all.clone(), &query, at(0))
            .patients
            .into_iter()
            .map(|patient| patient.display_name)
            .collect::<Vec<_>>()
    };
    assert_eq!(search("  LOVE "), ["Ada Lovelace"]);
    assert_eq!(search("9434765919"), ["Ada Lovelace"]);
    assert_eq!(search("476 59"), ["Ada Lovelace"]);
    assert_eq!(search("hop"), ["Grace Hopper"]);
    assert!(search("1234").is_empty());
}

#[test]
fn pages_after_ordering_and_counts_every_match() {
    let all: Vec<CaseloadPatient> = ["e", "d", "c", "b", "a"].into_iter().map(patient).collect();
    let mut query = everyone();
    query.page = Page {
        offset: 1,
        limit: 2,
    };
    let page = select_caseload(all.clone(), &query, at(0));
    assert_eq!((names(&page), page.total), (vec!["b", "c"], 5));
    query.page = Page {
        offset: 10,
        limit: 2,
    };
    assert!(
        select_caseload(all.clone(), &query, at(0))
            .patients
            .is_empty()
    );
    query.page = Page {
        offset: 0,
        limit: MAX_CASELOAD_PAGE + 50,
    };
    assert_eq!(select_caseload(all, &query, at(0)).patients.len(), 5);
}

#[test]
fn course_state_names_round_trip() {
    for state in CourseState::ALL {
        assert_eq!(CourseState::from_name(state.as_str()), Some(state));
    }
    assert_eq!(CourseState::from_name("paused"), None);
}
