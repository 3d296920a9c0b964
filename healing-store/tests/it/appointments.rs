//! Appointments on both back ends: slots from availability across the 2027 clock
//! changes, bookings refused by each rule, one live booking per slot, cancelling
//! and moving with the notice period, attendance, the sealed video link, the
//! reminder outbox delivered once across a restart, and calendar feed tokens.

use healing_core::consent::{ConsentEvent, Decision, Purpose, RecordedBy, WordingVersion};
use healing_core::timestamp::Timestamp;
use healing_store::appointments::AppointmentRefusal;
use healing_store::prelude::*;
use healing_store::schedule::{Availability, Closure, Date, WeeklySlot};
use healing_store::{
    AnyStore, AppointmentRules, AppointmentState, Error, LinkStatus, NewUser, Page, PasswordScheme,
    ReminderChannel, ReminderRecorded, Role, TokenHash, User,
};

use crate::harness::conformance;

fn at(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap()
}

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

/// 1 March 2027, noon: before both 2027 clock changes.
fn now() -> Timestamp {
    at("2027-03-01T12:00:00Z")
}

const RULES: AppointmentRules = AppointmentRules {
    notice_seconds: 24 * 3600,
    reminder_lead_seconds: 24 * 3600,
    email_reminders: true,
};

async fn user(store: &AnyStore, name: &str, role: Role) -> User {
    store
        .create_user(NewUser {
            username: name.to_owned(),
            email: format!("{name}@example.test"),
            display_name: name.to_owned(),
            role,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
            password_scheme: PasswordScheme::Argon2id,
            nhs_number: None,
            year_of_birth: None,
            created_at: at("2027-01-01T00:00:00Z"),
        })
        .await
        .unwrap()
}

/// Links the clinician to the patient and records the patient's sharing consent.
async fn linked(store: &AnyStore, clinician: &User, patient: &User) -> String {
    let link = store
        .request_link(&clinician.id, &patient.id, at("2027-01-02T00:00:00Z"))
        .await
        .unwrap();
    store
        .set_link_status(&link.id, LinkStatus::Accepted, at("2027-01-02T00:01:00Z"))
        .await
        .unwrap();
    sharing(store, patient, Decision::Grant, at("2027-01-02T00:02:00Z")).await;
    link.id
}

async fn sharing(store: &AnyStore, patient: &User, decision: Decision, when: Timestamp) {
    consent(store, patient, Purpose::ClinicianSharing, decision, when).await;
}

async fn consent(
    store: &AnyStore,
    patient: &User,
    purpose: Purpose,
    decision: Decision,
    when: Timestamp,
) {
    store
        .append_consent_event(&ConsentEvent {
            person: patient.id.clone(),
            purpose,
            decision,
            at: when,
            wording_version: WordingVersion::new("v1").unwrap(),
            recorded_by: RecordedBy::Subject,
        })
        .await
        .unwrap();
}

/// Sundays at 00:30, 01:30 and 10:00 and Mondays at 09:00, 50 minutes each;
/// closed on Monday 19 April 2027 (leave).
fn availability() -> Availability {
    let slot = |weekday, start_minute| WeeklySlot {
        weekday,
        start_minute,
        length_minutes: 50,
    };
    Availability {
        weekly: vec![slot(7, 30), slot(7, 90), slot(7, 600), slot(1, 540)],
        closures: vec![Closure {
            first_day: day("2027-04-19"),
            last_day: day("2027-04-19"),
        }],
    }
}

fn refusal(result: Result<impl std::fmt::Debug, Error>) -> AppointmentRefusal {
    match result {
        Err(Error::AppointmentRefused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn starts(slots: &[healing_store::schedule::Slot]) -> Vec<String> {
    slots
        .iter()
        .map(|slot| slot.starts_at.to_rfc3339())
        .collect()
}

conformance! {
    async fn slots_follow_the_clock_changes_and_bookings_follow_every_rule(db: TestDb) {
        let store = db.open().await;
        let pat = user(&store, "pat", Role::Patient).await;
        let other = user(&store, "otto", Role::Patient).await;
        let doc = user(&store, "doc", Role::Clinician).await;
        linked(&store, &doc, &pat).await;
        let stored = store.set_availability(&doc.id, &availability(), now()).await.unwrap();
        assert_eq!(stored, store.availability(&doc.id).await.unwrap());
        assert_eq!(stored.weekly.len(), 4);

        // Spring 2027: 01:30 on 28 March does not exist; 00:30 is GMT, 10:00 BST.
        let spring = store.open_slots(&doc.id, day("2027-03-28"), day("2027-03-29"), now()).await.unwrap();
        assert_eq!(starts(&spring), ["2027-03-28T00:30:00Z", "2027-03-28T09:00:00Z", "2027-03-29T08:00:00Z"]);
        // Autumn 2027: 01:30 on 31 October is offered once, at its BST occurrence.
        let autumn = store.open_slots(&doc.id, day("2027-10-31"), day("2027-11-01"), now()).await.unwrap();
        assert_eq!(starts(&autumn), ["2027-10-30T23:30:00Z", "2027-10-31T00:30:00Z", "2027-10-31T10:00:00Z", "2027-11-01T09:00:00Z"]);

        // A slot on each side of the spring change books, and leaves the open slots.
        let before = store.book_appointment(&pat.id, &doc.id, at("2027-03-28T00:30:00Z"), &RULES, now()).await.unwrap();
        let after = store.book_appointment(&pat.id, &doc.id, at("2027-03-28T09:00:00Z"), &RULES, now()).await.unwrap();
        assert_eq!((before.state, before.ends_at), (AppointmentState::Scheduled, at("2027-03-28T01:20:00Z")));
        assert_eq!(after.ends_at, at("2027-03-28T09:50:00Z"));
        let left = store.open_slots(&doc.id, day("2027-03-28"), day("2027-03-29"), now()).await.unwrap();
        assert_eq!(starts(&left), ["2027-03-29T08:00:00Z"]);

        // Each rule refuses with its own reason, and writes nothing.
        assert_eq!(refusal(store.book_appointment(&pat.id, &doc.id, at("2027-03-28T09:00:00Z"), &RULES, now()).await), AppointmentRefusal::SlotTaken);
        assert_eq!(refusal(store.book_appointment(&other.id, &doc.id, at("2027-03-29T08:00:00Z"), &RULES, now()).await), AppointmentRefusal::NotLinked);
        assert_eq!(refusal(store.book_appointment(&pat.id, &doc.id, at("2027-03-28T01:30:00Z"), &RULES, now()).await), AppointmentRefusal::NotAnOpenSlot, "02:30 BST is no slot");
        assert_eq!(refusal(store.book_appointment(&pat.id, &doc.id, at("2027-03-29T08:01:00Z"), &RULES, now()).await), AppointmentRefusal::NotAnOpenSlot);
        assert_eq!(refusal(store.book_appointment(&pat.id, &doc.id, at("2027-04-19T08:00:00Z"), &RULES, now()).await), AppointmentRefusal::NotAnOpenSlot, "closed");
        assert_eq!(starts(&store.open_slots(&doc.id, day("2027-04-19"), day("2027-04-26"), now()).await.unwrap()), ["2027-04-24T23:30:00Z", "2027-04-25T00:30:00Z", "2027-04-25T09:00:00Z", "2027-04-26T08:00:00Z"]);
        assert_eq!(refusal(store.book_appointment(&pat.id, &doc.id, at("2027-02-28T10:00:00Z"), &RULES, now()).await), AppointmentRefusal::Started);
        assert_eq!(store.appointments_of(&pat.id, Page::first(10)).await.unwrap().len(), 2);
        // A patient who withdrew sharing books nothing until they grant it again.
        sharing(&store, &pat, Decision::Withdraw, at("2027-03-01T11:00:00Z")).await;
        assert_eq!(refusal(store.book_appointment(&pat.id, &doc.id, at("2027-03-29T08:00:00Z"), &RULES, now()).await), AppointmentRefusal::NotLinked);
        sharing(&store, &pat, Decision::Grant, at("2027-03-01T11:30:00Z")).await;

        // Bad availability is refused whole and leaves the stored one.
        let mut overlapping = availability();
        overlapping.weekly.push(WeeklySlot { weekday: 1, start_minute: 560, length_minutes: 30 });
        assert!(matches!(refusal(store.set_availability(&doc.id, &overlapping, now()).await), AppointmentRefusal::Schedule(_)));
        assert_eq!(store.availability(&doc.id).await.unwrap(), stored);
    }

    async fn either_side_cancels_or_moves_a_patient_only_before_the_notice(db: TestDb) {
        let store = db.open().await;
        let pat = user(&store, "pat", Role::Patient).await;
        let doc = user(&store, "doc", Role::Clinician).await;
        let stranger = user(&store, "stranger", Role::Clinician).await;
        linked(&store, &doc, &pat).await;
        store.set_availability(&doc.id, &availability(), now()).await.unwrap();

        let first = store.book_appointment(&pat.id, &doc.id, at("2027-03-08T09:00:00Z"), &RULES, now()).await.unwrap();
        assert_eq!(refusal(store.cancel_appointment(&first.id, &stranger.id, &RULES, now()).await), AppointmentRefusal::NotParty);
        // The patient moves it a week on: the old one is cancelled by the patient,
        // the new one points back at it, and the old slot is open again.
        let moved = store.reschedule_appointment(&first.id, &pat.id, at("2027-03-15T09:00:00Z"), &RULES, now()).await.unwrap();
        assert_eq!(moved.rescheduled_from.as_deref(), Some(first.id.as_str()));
        assert_eq!(store.appointment(&first.id).await.unwrap().state, AppointmentState::CancelledByPatient);
        assert_eq!(starts(&store.open_slots(&doc.id, day("2027-03-08"), day("2027-03-08"), now()).await.unwrap()), ["2027-03-08T09:00:00Z"]);
        // Moving onto a booked slot is refused whole: the appointment stays as it was.
        let other = store.book_appointment(&pat.id, &doc.id, at("2027-03-22T09:00:00Z"), &RULES, now()).await.unwrap();
        assert_eq!(refusal(store.reschedule_appointment(&moved.id, &pat.id, other.starts_at, &RULES, now()).await), AppointmentRefusal::SlotTaken);
        assert_eq!(store.appointment(&moved.id).await.unwrap().state, AppointmentState::Scheduled);

        // Inside the notice period the patient is refused; the clinician is not.
        let late = at("2027-03-14T10:00:00Z");
        assert_eq!(refusal(store.cancel_appointment(&moved.id, &pat.id, &RULES, late).await), AppointmentRefusal::InsideNotice { notice_hours: 24 });
        let cancelled = store.cancel_appointment(&moved.id, &doc.id, &RULES, late).await.unwrap();
        assert_eq!(cancelled.state, AppointmentState::CancelledByClinician);
        assert_eq!(refusal(store.cancel_appointment(&moved.id, &doc.id, &RULES, late).await), AppointmentRefusal::NotScheduled { state: AppointmentState::CancelledByClinician });

        // Attendance: the clinician's, once it has started.
        assert_eq!(refusal(store.record_attendance(&other.id, &doc.id, true, at("2027-03-22T08:59:00Z")).await), AppointmentRefusal::NotStarted);
        assert_eq!(refusal(store.record_attendance(&other.id, &pat.id, true, at("2027-03-22T09:10:00Z")).await), AppointmentRefusal::ClinicianOnly);
        let missed = store.record_attendance(&other.id, &doc.id, false, at("2027-03-22T09:10:00Z")).await.unwrap();
        assert_eq!(missed.state, AppointmentState::DidNotAttend);

        // The video link is sealed at rest and read back whole.
        let third = store.book_appointment(&pat.id, &doc.id, at("2027-04-05T08:00:00Z"), &RULES, now()).await.unwrap();
        let link = "https://video.example.test/room/VIDEO-MARKER-77c1";
        assert_eq!(refusal(store.set_video_link(&third.id, &pat.id, Some(link), now()).await), AppointmentRefusal::ClinicianOnly);
        let with_link = store.set_video_link(&third.id, &doc.id, Some(link), now()).await.unwrap();
        assert_eq!(with_link.video_url.as_deref(), Some(link));
        assert_eq!(store.appointment(&third.id).await.unwrap().video_url.as_deref(), Some(link));
        let contents = db.raw_contents(&store).await;
        assert!(!contents.windows(b"VIDEO-MARKER-77c1".len()).any(|w| w == b"VIDEO-MARKER-77c1"), "the link is stored sealed");
        // Moving keeps the link.
        let moved_again = store.reschedule_appointment(&third.id, &doc.id, at("2027-04-12T08:00:00Z"), &RULES, now()).await.unwrap();
        assert_eq!(moved_again.video_url.as_deref(), Some(link));
        assert_eq!(store.appointment(&third.id).await.unwrap().state, AppointmentState::CancelledByClinician);
        // Every write is audited with the appointment's patient as subject.
        let audited = db.raw_count(&store, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'appointment_%'").await;
        assert_eq!(audited, 8, "booked 3, moved 2 (the refused move left nothing), cancelled 1, attendance 1, link 1");
    }

    async fn a_reminder_is_sent_once_and_survives_a_restart(db: TestDb) {
        let store = db.open().await;
        let pat = user(&store, "pat", Role::Patient).await;
        let doc = user(&store, "doc", Role::Clinician).await;
        linked(&store, &doc, &pat).await;
        // A patient is emailed only with this consent (withdrawn below).
        consent(&store, &pat, Purpose::EmailNotifications, Decision::Grant, at("2027-01-02T00:03:00Z")).await;
        store.set_availability(&doc.id, &availability(), now()).await.unwrap();
        let booked = store.book_appointment(&pat.id, &doc.id, at("2027-03-08T09:00:00Z"), &RULES, now()).await.unwrap();
        let due = at("2027-03-07T09:00:00Z");

        // Nothing before the lead time.
        assert!(store.claim_due_reminders(at("2027-03-07T08:59:59Z"), 30, 10).await.unwrap().is_empty());
        let claimed = store.claim_due_reminders(due, 30, 10).await.unwrap();
        let mut channels: Vec<_> = claimed.iter().map(|r| r.channel).collect();
        channels.sort_by_key(|c| c.as_str());
        assert_eq!(channels, [ReminderChannel::Email, ReminderChannel::InApp]);
        let email = claimed.iter().find(|r| r.channel == ReminderChannel::Email).unwrap().clone();
        let in_app = claimed.iter().find(|r| r.channel == ReminderChannel::InApp).unwrap().clone();
        assert_eq!((email.attempt, email.recipient_email.as_deref(), email.starts_at), (1, Some("pat@example.test"), booked.starts_at));
        // Claimed reminders are not claimed twice while the lease holds.
        assert!(store.claim_due_reminders(due, 30, 10).await.unwrap().is_empty());
        assert_eq!(store.record_reminder_attempt(&in_app.id, 1, true, due).await.unwrap(), ReminderRecorded::Sent);
        assert_eq!(store.appointment(&booked.id).await.unwrap().reminded_at, Some(due));

        // The process dies holding the email's claim: nothing is recorded. After a
        // restart (a new store on the same database) the lease lapses and the email
        // is claimed again, once; then it is sent and never claimed again.
        drop(store);
        let store = db.open().await;
        assert!(store.claim_due_reminders(at("2027-03-07T09:00:29Z"), 30, 10).await.unwrap().is_empty());
        let again = store.claim_due_reminders(at("2027-03-07T09:00:30Z"), 30, 10).await.unwrap();
        assert_eq!(again.iter().map(|r| (r.id.as_str(), r.attempt)).collect::<Vec<_>>(), [(email.id.as_str(), 2)]);
        // The first claim's late answer is stale and changes nothing.
        assert_eq!(store.record_reminder_attempt(&email.id, 1, true, at("2027-03-07T09:00:31Z")).await.unwrap(), ReminderRecorded::Stale);
        assert_eq!(store.record_reminder_attempt(&email.id, 2, true, at("2027-03-07T09:00:32Z")).await.unwrap(), ReminderRecorded::Sent);
        assert!(store.claim_due_reminders(at("2027-03-08T00:00:00Z"), 30, 10).await.unwrap().is_empty());
        let sent = db.raw_count(&store, "SELECT COUNT(*) FROM appointment_reminders WHERE state = 'sent'").await;
        assert_eq!(sent, 2, "one reminder per channel, each sent once");

        // A failed email is retried after a backoff; a cancelled appointment's
        // pending reminders are never sent.
        let second = store.book_appointment(&pat.id, &doc.id, at("2027-03-15T09:00:00Z"), &RULES, now()).await.unwrap();
        let claimed = store.claim_due_reminders(at("2027-03-14T09:00:00Z"), 30, 10).await.unwrap();
        let email = claimed.iter().find(|r| r.channel == ReminderChannel::Email).unwrap();
        let retry = store.record_reminder_attempt(&email.id, 1, false, at("2027-03-14T09:00:01Z")).await.unwrap();
        assert!(matches!(retry, ReminderRecorded::RetryAt(when) if when > at("2027-03-14T09:00:01Z")), "{retry:?}");
        store.cancel_appointment(&second.id, &doc.id, &RULES, at("2027-03-14T09:01:00Z")).await.unwrap();
        assert!(store.claim_due_reminders(at("2027-03-15T00:00:00Z"), 30, 10).await.unwrap().is_empty());

        // Once the patient withdraws consent to email, a due email reminder is
        // dropped when claimed; the in-app one still comes.
        let third = store.book_appointment(&pat.id, &doc.id, at("2027-03-22T09:00:00Z"), &RULES, now()).await.unwrap();
        consent(&store, &pat, Purpose::EmailNotifications, Decision::Withdraw, at("2027-03-20T00:00:00Z")).await;
        let claimed = store.claim_due_reminders(at("2027-03-21T09:00:00Z"), 30, 10).await.unwrap();
        assert_eq!(claimed.iter().map(|r| (r.appointment_id.as_str(), r.channel)).collect::<Vec<_>>(), [(third.id.as_str(), ReminderChannel::InApp)]);
        let dropped = db.raw_count(&store, "SELECT COUNT(*) FROM appointment_reminders WHERE state = 'cancelled' AND channel = 'email'").await;
        assert_eq!(dropped, 2, "the cancelled appointment's and the one without consent");
    }

    async fn calendar_feed_tokens_are_found_by_hash_replaced_and_revoked(db: TestDb) {
        let store = db.open().await;
        let pat = user(&store, "pat", Role::Patient).await;
        let first = TokenHash::of_secret(b"first token");
        let second = TokenHash::of_secret(b"second token");
        assert_eq!(store.calendar_feed_owner(&first).await.unwrap(), None);
        store.set_calendar_feed(&pat.id, &first, now()).await.unwrap();
        assert_eq!(store.calendar_feed_owner(&first).await.unwrap(), Some(pat.id.clone()));
        store.set_calendar_feed(&pat.id, &second, now()).await.unwrap();
        assert_eq!(store.calendar_feed_owner(&first).await.unwrap(), None, "a new feed stops the old one");
        assert_eq!(store.calendar_feed_owner(&second).await.unwrap(), Some(pat.id.clone()));
        assert!(store.revoke_calendar_feed(&pat.id).await.unwrap());
        assert!(!store.revoke_calendar_feed(&pat.id).await.unwrap());
        assert_eq!(store.calendar_feed_owner(&second).await.unwrap(), None);
    }
}
