//! Conversations between patients and their care team on both back ends: who may
//! write to whom, unread counts, reading and deleting for oneself, paging, the
//! inbox's fixed number of queries, and a risky patient message's alert.

use healing_core::consent::{ConsentEvent, Decision, Purpose, RecordedBy, WordingVersion};
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{
    AlertScope, AlertSource, AnyStore, Error, LinkStatus, MessageRefusal, NewUser, Page,
    PasswordScheme, Role, Screened, User,
};

use crate::harness::conformance;

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_seconds(1_780_000_000 + seconds).unwrap()
}

fn screened(text: &str) -> Screened {
    let assessment = healing_core::safety::assess(text, &healing_core::safety::Context::default());
    Screened::assessed(text.to_owned(), &assessment)
}

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
            created_at: at(0),
        })
        .await
        .unwrap()
}

/// Links the clinician to the patient (accepted).
async fn link(store: &AnyStore, clinician: &User, patient: &User) -> String {
    let link = store
        .request_link(&clinician.id, &patient.id, at(1))
        .await
        .unwrap();
    store
        .set_link_status(&link.id, LinkStatus::Accepted, at(2))
        .await
        .unwrap();
    link.id
}

async fn sharing(store: &AnyStore, patient: &User, decision: Decision, seconds: i64) {
    store
        .append_consent_event(&ConsentEvent {
            person: patient.id.clone(),
            purpose: Purpose::ClinicianSharing,
            decision,
            at: at(seconds),
            wording_version: WordingVersion::new("v1").unwrap(),
            recorded_by: RecordedBy::Subject,
        })
        .await
        .unwrap();
}

fn refused(result: Result<impl std::fmt::Debug, Error>) -> MessageRefusal {
    match result {
        Err(Error::MessageRefused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

conformance! {
    async fn conversations_count_unread_mark_read_hide_for_one_side_and_page(db: TestDb) {
        let store = db.open().await;
        let pat = user(&store, "pat", Role::Patient).await;
        let doc = user(&store, "doc", Role::Clinician).await;
        link(&store, &doc, &pat).await;
        sharing(&store, &pat, Decision::Grant, 3).await;

        let first = store.start_conversation(&pat.id, &doc.id, None, &screened("can we move tuesday?"), at(10)).await.unwrap();
        assert!(first.started);
        let thread_id = first.message.thread_id.clone();
        // Starting again continues the same conversation.
        let again = store.start_conversation(&doc.id, &pat.id, None, &screened("yes, thursday works"), at(11)).await.unwrap();
        assert_eq!((again.started, again.message.thread_id.as_str(), again.message.seq), (false, thread_id.as_str(), 2));
        store.post_message(&thread_id, &pat.id, &screened("thank you"), at(12)).await.unwrap();
        store.post_message(&thread_id, &pat.id, &screened("see you then"), at(13)).await.unwrap();

        let inbox = store.inbox(&doc.id, at(20), Page::first(10)).await.unwrap();
        assert_eq!((inbox.total_threads, inbox.total_unread), (1, 3));
        let row = &inbox.threads[0];
        assert_eq!((row.patient_id.clone(), row.other_member_id.clone(), row.unread, row.open), (pat.id.clone(), pat.id.clone(), 3, true));
        assert_eq!(store.inbox(&pat.id, at(20), Page::first(10)).await.unwrap().total_unread, 1);

        // Read both ways: the page is newest first, and the body comes back unsealed.
        let page = store.thread_messages(&thread_id, Some(&doc.id), Page { offset: 1, limit: 2 }).await.unwrap();
        assert_eq!(page.iter().map(|m| (m.seq, m.body.as_str())).collect::<Vec<_>>(), [(3, "thank you"), (2, "yes, thursday works")]);

        // Marking read up to a message leaves the later one unread; never backwards.
        let thread = store.mark_thread_read(&thread_id, &doc.id, Some(3), at(20)).await.unwrap();
        assert_eq!(thread.member(&doc.id).unwrap().read_seq, 3);
        assert_eq!(store.inbox(&doc.id, at(20), Page::first(10)).await.unwrap().total_unread, 1);
        store.mark_thread_read(&thread_id, &doc.id, Some(1), at(20)).await.unwrap();
        let thread = store.mark_thread_read(&thread_id, &doc.id, None, at(20)).await.unwrap();
        assert_eq!(thread.member(&doc.id).unwrap().read_seq, 4);
        assert_eq!(store.inbox(&doc.id, at(20), Page::first(10)).await.unwrap().total_unread, 0);

        // Deleting hides it for the patient only; a new message brings only itself back.
        store.hide_thread(&thread_id, &pat.id).await.unwrap();
        assert_eq!(store.inbox(&pat.id, at(20), Page::first(10)).await.unwrap().total_threads, 0);
        assert!(store.thread_messages(&thread_id, Some(&pat.id), Page::first(10)).await.unwrap().is_empty());
        assert_eq!(store.thread_messages(&thread_id, Some(&doc.id), Page::first(10)).await.unwrap().len(), 4);
        store.post_message(&thread_id, &doc.id, &screened("reminder: thursday"), at(21)).await.unwrap();
        let mine = store.thread_messages(&thread_id, Some(&pat.id), Page::first(10)).await.unwrap();
        assert_eq!(mine.iter().map(|m| m.seq).collect::<Vec<_>>(), [5]);
        assert_eq!(store.inbox(&pat.id, at(22), Page::first(10)).await.unwrap().total_unread, 1);
        // Every message is there for an admin's break-glass read (no reader).
        assert_eq!(store.thread_messages(&thread_id, None, Page::first(10)).await.unwrap().len(), 5);

        // The inbox: a fixed number of queries for one conversation and for six,
        // paged latest message first.
        let before = store.pool_acquisitions();
        store.inbox(&doc.id, at(30), Page::first(10)).await.unwrap();
        let one = store.pool_acquisitions() - before;
        for n in 0..5 {
            let other = user(&store, &format!("pat{n}"), Role::Patient).await;
            link(&store, &doc, &other).await;
            sharing(&store, &other, Decision::Grant, 3).await;
            store.start_conversation(&other.id, &doc.id, None, &screened("hello"), at(40 + n)).await.unwrap();
        }
        let before = store.pool_acquisitions();
        let inbox = store.inbox(&doc.id, at(50), Page { offset: 1, limit: 2 }).await.unwrap();
        assert_eq!(store.pool_acquisitions() - before, one, "queries for 1 and for 6 conversations");
        assert_eq!((inbox.total_threads, inbox.total_unread, inbox.threads.len()), (6, 5, 2));
        assert!(inbox.threads[0].last_message_at > inbox.threads[1].last_message_at);
        assert_eq!(inbox.threads[0].last_message_at, at(43));
    }

    async fn only_the_patients_care_team_takes_part_and_a_risky_patient_message_alerts(db: TestDb) {
        let store = db.open().await;
        let pat = user(&store, "pat", Role::Patient).await;
        let otto = user(&store, "otto", Role::Patient).await;
        let doc = user(&store, "doc", Role::Clinician).await;
        let colleague = user(&store, "col", Role::Clinician).await;
        let stranger = user(&store, "stranger", Role::Clinician).await;
        let admin = user(&store, "admin", Role::Admin).await;
        let link_id = link(&store, &doc, &pat).await;
        link(&store, &colleague, &pat).await;
        link(&store, &stranger, &otto).await;
        let hello = screened("hello");

        // Linked, but the patient has not shared their record yet.
        assert_eq!(refused(store.start_conversation(&pat.id, &doc.id, None, &hello, at(5)).await), MessageRefusal::OutsideCareTeam);
        sharing(&store, &pat, Decision::Grant, 6).await;
        sharing(&store, &otto, Decision::Grant, 6).await;
        let ghost = healing_store::new_person_id().unwrap();
        for (sender, recipient, about) in [
            (&pat.id, &stranger.id, None),
            (&pat.id, &otto.id, None),
            (&pat.id, &admin.id, None),
            (&pat.id, &ghost, None),
            (&doc.id, &stranger.id, Some(&pat.id)),
            (&doc.id, &stranger.id, Some(&otto.id)),
        ] {
            assert_eq!(refused(store.start_conversation(sender, recipient, about, &hello, at(7)).await), MessageRefusal::OutsideCareTeam, "{recipient:?}");
        }
        assert_eq!(refused(store.start_conversation(&doc.id, &colleague.id, None, &hello, at(7)).await), MessageRefusal::NoPatient);
        assert_eq!(refused(store.start_conversation(&doc.id, &colleague.id, Some(&colleague.id), &hello, at(7)).await), MessageRefusal::NoPatient);
        assert_eq!(refused(store.start_conversation(&pat.id, &pat.id, None, &hello, at(7)).await), MessageRefusal::SamePerson);

        // Colleagues about a patient both are linked to: allowed, and not in the
        // patient's inbox.
        let about = store.start_conversation(&doc.id, &colleague.id, Some(&pat.id), &screened("handover for pat"), at(8)).await.unwrap();
        assert_eq!(store.inbox(&colleague.id, at(9), Page::first(10)).await.unwrap().total_unread, 1);
        assert_eq!(refused(store.post_message(&about.message.thread_id, &pat.id, &hello, at(9)).await), MessageRefusal::NotMember);

        // A patient's risky message raises an alert for their clinicians in its
        // transaction; a clinician's words raise nothing.
        let chat = store.start_conversation(&pat.id, &doc.id, None, &screened("I've saved up my pills and I'm taking them tonight"), at(10)).await.unwrap();
        store.post_message(&chat.message.thread_id, &doc.id, &screened("are you thinking of ending your life?"), at(11)).await.unwrap();
        let alerts = store.alerts(&AlertScope::All, Page::first(10)).await.unwrap();
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!((alerts[0].source, alerts[0].patient_id.clone()), (AlertSource::Message, pat.id.clone()));

        // Once the patient withdraws sharing, or ends a link, the conversation closes:
        // no message waits for someone who may not read it, and the clinician's
        // inbox no longer shows it.
        sharing(&store, &pat, Decision::Withdraw, 12).await;
        assert_eq!(refused(store.post_message(&chat.message.thread_id, &pat.id, &hello, at(13)).await), MessageRefusal::OutsideCareTeam);
        assert_eq!(store.inbox(&doc.id, at(13), Page::first(10)).await.unwrap().total_threads, 0);
        let seen_by_patient = store.inbox(&pat.id, at(13), Page::first(10)).await.unwrap();
        assert_eq!((seen_by_patient.total_threads, seen_by_patient.threads[0].open), (1, false));
        sharing(&store, &pat, Decision::Grant, 14).await;
        store.post_message(&chat.message.thread_id, &pat.id, &hello, at(15)).await.unwrap();
        store.set_link_status(&link_id, LinkStatus::Ended, at(16)).await.unwrap();
        assert_eq!(refused(store.post_message(&chat.message.thread_id, &doc.id, &hello, at(17)).await), MessageRefusal::OutsideCareTeam);
        assert_eq!(refused(store.post_message(&about.message.thread_id, &colleague.id, &hello, at(17)).await), MessageRefusal::OutsideCareTeam);
        let ghost_thread = store.message_thread("no-such-thread").await;
        assert!(matches!(ghost_thread, Err(Error::NotFound { .. })), "{ghost_thread:?}");
    }
}
