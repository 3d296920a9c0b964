//! The clinician's caseload read on both back ends: who is on it (accepted link and
//! `clinician_sharing` consent in force, nobody else), the risk order, filters,
//! search, paging, score changes, and a fixed number of queries whatever its size.

use healing_core::consent::{ConsentEvent, Decision, Purpose, RecordedBy, WordingVersion};
use healing_core::mood::MoodEntry;
use healing_core::outcomes::{CourseEnding, ProblemDescriptor, ReliableChange};
use healing_core::safety::Context;
use healing_core::scoring;
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{
    AlertSeverity, AnyStore, CaseloadPage, CaseloadQuery, ChangeBaseline, CourseState, LinkStatus,
    NewAssessment, NewCourse, NewUser, Page, PasswordScheme, Role, Screened, User,
};

use crate::harness::conformance;

const DAY: i64 = 86_400;

fn day(days: i64) -> Timestamp {
    Timestamp::from_unix_seconds(1_780_000_000 + days * DAY).unwrap()
}

async fn person(store: &AnyStore, username: &str, name: &str, role: Role) -> User {
    store
        .create_user(NewUser {
            username: username.to_owned(),
            email: format!("{username}@example.test"),
            display_name: name.to_owned(),
            role,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
            password_scheme: PasswordScheme::Argon2id,
            nhs_number: None,
            year_of_birth: None,
            created_at: day(-100),
        })
        .await
        .unwrap()
}

async fn consent(store: &AnyStore, patient: &User, decision: Decision, at: Timestamp) {
    store
        .append_consent_event(&ConsentEvent {
            person: patient.id.clone(),
            purpose: Purpose::ClinicianSharing,
            decision,
            at,
            wording_version: WordingVersion::new("clinician_sharing-2026-01").unwrap(),
            recorded_by: RecordedBy::Subject,
        })
        .await
        .unwrap();
}

/// A patient linked to `clinician` (accepted) who shares their data with them.
async fn linked_patient(store: &AnyStore, clinician: &User, username: &str, name: &str) -> User {
    let patient = person(store, username, name, Role::Patient).await;
    link(store, clinician, &patient).await;
    consent(store, &patient, Decision::Grant, day(-90)).await;
    patient
}

async fn link(store: &AnyStore, clinician: &User, patient: &User) {
    let link = store
        .request_link(&clinician.id, &patient.id, day(-95))
        .await
        .unwrap();
    store
        .set_link_status(&link.id, LinkStatus::Accepted, day(-94))
        .await
        .unwrap();
}

/// Stores a questionnaire with these answers, as the server would.
async fn questionnaire(
    store: &AnyStore,
    patient: &User,
    instrument: &str,
    answers: &[u8],
    at: Timestamp,
) {
    let answers = scoring::ValidatedAnswers::new(
        scoring::instrument(instrument).unwrap(),
        &answers.iter().copied().map(Some).collect::<Vec<_>>(),
    )
    .unwrap();
    let score = scoring::score(&answers);
    let record = NewAssessment::from_score(patient.id.clone(), &answers, &score, at).unwrap();
    store.add_assessment(record).await.unwrap();
}

/// PHQ-9 answers with this total and item 9 as given (total must leave room for it).
fn phq9(total: u8, item_nine: u8) -> [u8; 9] {
    let mut answers = [0u8; 9];
    answers[8] = item_nine;
    let mut left = total - item_nine;
    for answer in answers.iter_mut().take(8) {
        let given = left.min(3);
        *answer = given;
        left -= given;
    }
    answers
}

fn gad7(total: u8) -> [u8; 7] {
    let mut answers = [0u8; 7];
    let mut left = total;
    for answer in &mut answers {
        let given = left.min(3);
        *answer = given;
        left -= given;
    }
    answers
}

async fn mood(store: &AnyStore, patient: &User, at: Timestamp, note: Option<&str>) {
    let mut entry = MoodEntry::new(at.date(), at, 5).unwrap();
    let screened = note.map(|note| {
        entry = entry.clone().with_note(note).unwrap();
        Screened::assessed(
            note.to_owned(),
            &healing_core::safety::assess(note, &Context::default()),
        )
    });
    store
        .add_mood_entry(&patient.id, &entry, screened.as_ref())
        .await
        .unwrap();
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

/// Everyone, narrowed by `change`.
fn query(change: impl FnOnce(&mut CaseloadQuery)) -> CaseloadQuery {
    let mut query = everyone();
    change(&mut query);
    query
}

fn names(page: &CaseloadPage) -> Vec<&str> {
    page.patients
        .iter()
        .map(|patient| patient.display_name.as_str())
        .collect()
}

/// A clinic: five patients the clinician may see, each at a different risk, and
/// three they may not (consent withdrawn, linked to someone else, link only asked).
struct Clinic {
    clinician: User,
}

async fn clinic(store: &AnyStore) -> Clinic {
    let clinician = person(store, "doc", "Dr Doc", Role::Clinician).await;
    let other = person(store, "other", "Dr Other", Role::Clinician).await;

    // An open critical alert, raised by a risky mood note.
    let cara = linked_patient(store, &clinician, "cara", "Cara Critical").await;
    mood(
        store,
        &cara,
        day(-2),
        Some("I've saved my tablets and I'm taking them tonight"),
    )
    .await;

    // Latest PHQ-9 answers item 9; its alert is resolved, the flag remains.
    let nina = linked_patient(store, &clinician, "nina", "Nina Nine").await;
    questionnaire(store, &nina, "phq9", &phq9(8, 1), day(-3)).await;
    for alert in store.alerts_of_patient(&nina.id).await.unwrap() {
        store
            .resolve_alert(&alert.id, &clinician.id, "called, safe", day(-3))
            .await
            .unwrap();
    }

    // PHQ-9 from 5 to 12: a reliable rise (index 6); an open course.
    let dan = linked_patient(store, &clinician, "dan", "Dan Deteriorating").await;
    store
        .open_course(NewCourse {
            patient_id: dan.id.clone(),
            clinician_id: Some(clinician.id.clone()),
            problem_descriptor: ProblemDescriptor::Depression,
            opened_at: day(-60),
        })
        .await
        .unwrap();
    questionnaire(store, &dan, "phq9", &phq9(5, 0), day(-40)).await;
    questionnaire(store, &dan, "phq9", &phq9(12, 0), day(-5)).await;

    // Routine: Amy last active 30 days ago, with a closed course; Zoe today, with an
    // NHS number.
    let amy = linked_patient(store, &clinician, "amy", "amy Routine").await;
    mood(store, &amy, day(-30), None).await;
    let course = store
        .open_course(NewCourse {
            patient_id: amy.id.clone(),
            clinician_id: None,
            problem_descriptor: ProblemDescriptor::GeneralisedAnxiety,
            opened_at: day(-80),
        })
        .await
        .unwrap();
    store
        .close_course(&course.id, CourseEnding::FinishedTreatment, day(-35))
        .await
        .unwrap();
    let zoe = store
        .create_user(NewUser {
            nhs_number: Some("943 476 5919".to_owned()),
            ..new_patient("zoe", "Zoe Routine")
        })
        .await
        .unwrap();
    link(store, &clinician, &zoe).await;
    consent(store, &zoe, Decision::Grant, day(-90)).await;
    mood(store, &zoe, day(0), None).await;

    // Not on the caseload: consent withdrawn, another clinician's patient, a
    // request not yet accepted. Each has a critical alert, so each would sort first.
    let wanda = linked_patient(store, &clinician, "wanda", "Wanda Withdrawn").await;
    consent(store, &wanda, Decision::Withdraw, day(-10)).await;
    let ursula = linked_patient(store, &other, "ursula", "Ursula Unlinked").await;
    let rita = person(store, "rita", "Rita Requested", Role::Patient).await;
    store
        .request_link(&clinician.id, &rita.id, day(-5))
        .await
        .unwrap();
    consent(store, &rita, Decision::Grant, day(-5)).await;
    for hidden in [&wanda, &ursula, &rita] {
        mood(
            store,
            hidden,
            day(-1),
            Some("I've saved my tablets and I'm taking them tonight"),
        )
        .await;
    }
    Clinic { clinician }
}

fn new_patient(username: &str, name: &str) -> NewUser {
    NewUser {
        username: username.to_owned(),
        email: format!("{username}@example.test"),
        display_name: name.to_owned(),
        role: Role::Patient,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        password_scheme: PasswordScheme::Argon2id,
        nhs_number: None,
        year_of_birth: None,
        created_at: day(-100),
    }
}

async fn read(store: &AnyStore, clinic: &Clinic, query: CaseloadQuery) -> CaseloadPage {
    store
        .caseload(&clinic.clinician.id, &query, day(0))
        .await
        .unwrap()
}

conformance! {
    async fn caseload_holds_consenting_linked_patients_most_at_risk_first(db: TestDb) {
        let store = db.open().await;
        let clinic = clinic(&store).await;
        let page = read(&store, &clinic, everyone()).await;
        assert_eq!(
            names(&page),
            ["Cara Critical", "Nina Nine", "Dan Deteriorating", "amy Routine", "Zoe Routine"]
        );
        assert_eq!(page.total, 5);
        let cara = &page.patients[0];
        assert_eq!(cara.open_alerts.critical, 1, "{cara:?}");
        assert!(cara.risk_flag_open());
        let nina = &page.patients[1];
        assert_eq!(nina.open_alerts.total(), 0);
        assert!(nina.reports_self_harm_thoughts() && nina.risk_flag_open());
        let dan = &page.patients[2];
        let change = dan.phq9.as_ref().unwrap().change.as_ref().unwrap();
        assert_eq!((change.baseline_total, change.change), (5, 7));
        assert_eq!(change.baseline, ChangeBaseline::CurrentCourse);
        assert_eq!(change.reliable_change, ReliableChange::ReliableDeterioration);
        assert!(!dan.risk_flag_open());
        assert_eq!(dan.course, CourseState::Open);
        let amy = &page.patients[3];
        assert_eq!(amy.days_since_activity(day(0)), Some(30));
        assert_eq!(amy.course, CourseState::Closed);
        let zoe = &page.patients[4];
        assert_eq!(zoe.nhs_number.as_deref(), Some("943 476 5919"));
        assert_eq!((zoe.course, zoe.phq9.clone()), (CourseState::None, None));
        let alert = store.alerts_of_patient(&cara.patient_id).await.unwrap();
        assert_eq!(alert[0].severity, AlertSeverity::Critical);
    }

    async fn caseload_filters_searches_within_itself_and_pages(db: TestDb) {
        let store = db.open().await;
        let clinic = clinic(&store).await;
        let page = read(&store, &clinic, query(|q| q.has_open_alert = Some(true))).await;
        assert_eq!(names(&page), ["Cara Critical"]);
        let page = read(&store, &clinic, query(|q| q.inactive_days = Some(14))).await;
        assert_eq!(names(&page), ["amy Routine"]);
        let page = read(&store, &clinic, query(|q| q.course = Some(CourseState::Open))).await;
        assert_eq!(names(&page), ["Dan Deteriorating"]);
        let page = read(&store, &clinic, query(|q| q.course = Some(CourseState::Closed))).await;
        assert_eq!(names(&page), ["amy Routine"]);
        let page = read(&store, &clinic, query(|q| q.course = Some(CourseState::None))).await;
        assert_eq!(names(&page), ["Cara Critical", "Nina Nine", "Zoe Routine"]);
        for (search, expected) in [
            ("ROUTINE", vec!["amy Routine", "Zoe Routine"]),
            ("9434765919", vec!["Zoe Routine"]),
            // Linked, but sharing withdrawn; another clinician's; a request only.
            ("wanda", vec![]),
            ("Ursula", vec![]),
            ("rita", vec![]),
        ] {
            let page = read(&store, &clinic, query(|q| q.search = Some(search.to_owned()))).await;
            assert_eq!(names(&page), expected, "search {search:?}");
        }
        let page = read(&store, &clinic, query(|q| q.page = Page { offset: 1, limit: 2 })).await;
        assert_eq!(names(&page), ["Nina Nine", "Dan Deteriorating"]);
        assert_eq!(page.total, 5);
    }

    async fn caseload_measures_change_from_the_open_courses_first_score(db: TestDb) {
        let store = db.open().await;
        let clinician = person(&store, "doc", "Dr Doc", Role::Clinician).await;
        let patient = linked_patient(&store, &clinician, "pat", "Pat").await;
        questionnaire(&store, &patient, "phq9", &phq9(20, 0), day(-50)).await;
        questionnaire(&store, &patient, "gad7", &gad7(10), day(-50)).await;
        store
            .open_course(NewCourse {
                patient_id: patient.id.clone(),
                clinician_id: None,
                problem_descriptor: ProblemDescriptor::Depression,
                opened_at: day(-40),
            })
            .await
            .unwrap();
        questionnaire(&store, &patient, "phq9", &phq9(15, 0), day(-30)).await;
        questionnaire(&store, &patient, "phq9", &phq9(8, 0), day(-10)).await;
        let page = store
            .caseload(&clinician.id, &everyone(), day(0))
            .await
            .unwrap();
        let found = &page.patients[0];
        let phq9 = found.phq9.as_ref().unwrap();
        assert_eq!(phq9.total, 8);
        let change = phq9.change.as_ref().unwrap();
        assert_eq!(change.baseline, ChangeBaseline::CurrentCourse);
        assert_eq!((change.baseline_total, change.change), (15, -7));
        assert_eq!(change.reliable_change, ReliableChange::ReliableImprovement);
        // The GAD-7 has one score, before the course: it is its own baseline.
        let gad7 = found.gad7.as_ref().unwrap();
        assert_eq!((gad7.total, gad7.change.clone()), (10, None));
        assert_eq!(found.last_activity_at, Some(day(-10)));
    }

    async fn caseload_baseline_is_the_open_courses_and_ties_in_time_go_by_id(db: TestDb) {
        let store = db.open().await;
        let clinician = person(&store, "doc", "Dr Doc", Role::Clinician).await;
        let patient = linked_patient(&store, &clinician, "pat", "Pat").await;
        let course = |opened_at| NewCourse {
            patient_id: patient.id.clone(),
            clinician_id: None,
            problem_descriptor: ProblemDescriptor::Depression,
            opened_at,
        };
        questionnaire(&store, &patient, "phq9", &phq9(24, 0), day(-80)).await;
        let closed = store.open_course(course(day(-70))).await.unwrap();
        questionnaire(&store, &patient, "phq9", &phq9(21, 0), day(-60)).await;
        store
            .close_course(&closed.id, CourseEnding::DroppedOut, day(-50))
            .await
            .unwrap();
        store.open_course(course(day(-40))).await.unwrap();
        // Two PHQ-9s completed in the same second open the course, and two more in
        // the same second are the latest: the order within a second is by id.
        for (total, at) in [(18, -30), (16, -30), (9, -5), (6, -5)] {
            questionnaire(&store, &patient, "phq9", &phq9(total, 0), day(at)).await;
        }
        let stored = store.assessments(&patient.id).await.unwrap();
        let mut same_second: Vec<_> = stored
            .iter()
            .filter(|assessment| assessment.completed_at == day(-30))
            .collect();
        same_second.sort_by(|first, second| first.id.cmp(&second.id));
        let baseline = same_second[0];
        let mut latest_second: Vec<_> = stored
            .iter()
            .filter(|assessment| assessment.completed_at == day(-5))
            .collect();
        latest_second.sort_by(|first, second| first.id.cmp(&second.id));
        let latest = latest_second[1];

        let page = store
            .caseload(&clinician.id, &everyone(), day(0))
            .await
            .unwrap();
        let phq9 = page.patients[0].phq9.as_ref().unwrap();
        assert_eq!(phq9.assessment_id, latest.id);
        assert_eq!(Some(phq9.total), latest.total);
        let change = phq9.change.as_ref().unwrap();
        // Neither the first on record nor the closed course's score is the baseline.
        assert_eq!(change.baseline, ChangeBaseline::CurrentCourse);
        assert_eq!(Some(change.baseline_total), baseline.total);
        assert_eq!(change.baseline_at, day(-30));
        assert_eq!(change.change, phq9.total - change.baseline_total);
    }

    async fn caseload_makes_the_same_number_of_queries_for_2_and_12_patients(db: TestDb) {
        let store = db.open().await;
        let small = person(&store, "small", "Dr Small", Role::Clinician).await;
        let large = person(&store, "large", "Dr Large", Role::Clinician).await;
        for (clinician, count) in [(&small, 2), (&large, 12)] {
            for index in 0..count {
                let username = format!("{}{index}", clinician.username);
                let patient = linked_patient(&store, clinician, &username, &username).await;
                questionnaire(&store, &patient, "phq9", &phq9(10, 1), day(-20)).await;
                questionnaire(&store, &patient, "phq9", &phq9(4, 0), day(-6)).await;
                questionnaire(&store, &patient, "gad7", &gad7(9), day(-6)).await;
                mood(&store, &patient, day(-1), Some("a quiet day at home")).await;
            }
        }
        let mut queries = Vec::new();
        for (clinician, count) in [(&small, 2), (&large, 12)] {
            let before = store.pool_acquisitions();
            let page = store
                .caseload(&clinician.id, &everyone(), day(0))
                .await
                .unwrap();
            queries.push(store.pool_acquisitions() - before);
            assert_eq!(page.total, count);
            assert!(page.patients.iter().all(|patient| patient.open_alerts.high == 1));
        }
        assert!(queries[0] > 0, "{queries:?}");
        assert_eq!(queries[0], queries[1], "queries for 2 and for 12 patients");
    }

    async fn display_names_are_read_in_one_query_and_skip_unknown_ids(db: TestDb) {
        let store = db.open().await;
        let ann = person(&store, "ann", "Ann A", Role::Patient).await;
        let bob = person(&store, "bob", "Bob B", Role::Clinician).await;
        let gone = healing_store::new_person_id().unwrap();
        let before = store.pool_acquisitions();
        let names = store
            .display_names(&[ann.id.clone(), bob.id.clone(), gone.clone()])
            .await
            .unwrap();
        assert_eq!(store.pool_acquisitions() - before, 1);
        assert_eq!(names.len(), 2);
        assert_eq!(names[&ann.id], "Ann A");
        assert_eq!(names[&bob.id], "Bob B");
        assert!(store.display_names(&[]).await.unwrap().is_empty());
    }

    async fn summary_reads_mood_ratings_without_notes_and_the_plans_date(db: TestDb) {
        let store = db.open().await;
        let patient = person(&store, "pat", "Pat", Role::Patient).await;
        mood(&store, &patient, day(-10), Some("walked by the river")).await;
        mood(&store, &patient, day(-2), Some("a calm evening")).await;
        let recent = store
            .mood_ratings_from(&patient.id, day(-5).date())
            .await
            .unwrap();
        assert_eq!(recent.len(), 1);
        assert_eq!((recent[0].day(), recent[0].note()), (day(-2).date(), None));
        assert_eq!(store.safety_plan_updated_at(&patient.id).await.unwrap(), None);
        store
            .save_safety_plan(
                &patient.id,
                "{\"steps\":[]}",
                &Screened::assessed(
                    String::new(),
                    &healing_core::safety::assess("", &Context::default()),
                ),
                day(-4),
            )
            .await
            .unwrap();
        assert_eq!(
            store.safety_plan_updated_at(&patient.id).await.unwrap(),
            Some(day(-4))
        );
    }
}
