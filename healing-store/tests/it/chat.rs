//! The companion chat's storage on both back ends: numbering, paging, what the model
//! may read, screening stored with the message, and concurrent writers.

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{
    AlertScope, AlertSource, AnyStore, ChatAuthor, ChatSource, Error, KeyId, NewChatReply, NewUser,
    Page, PasswordScheme, Role, Screened, User, rotate_keys,
};

use crate::harness::{cipher_with, conformance};

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_seconds(1_780_000_000 + seconds).unwrap()
}

fn screened(text: &str) -> Screened {
    let assessment = healing_core::safety::assess(text, &healing_core::safety::Context::default());
    Screened::assessed(text.to_owned(), &assessment)
}

async fn patient(store: &AnyStore, name: &str) -> User {
    store
        .create_user(NewUser {
            username: name.to_owned(),
            email: format!("{name}@example.test"),
            display_name: name.to_owned(),
            role: Role::Patient,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
            password_scheme: PasswordScheme::Argon2id,
            nhs_number: None,
            year_of_birth: None,
            created_at: at(0),
        })
        .await
        .unwrap()
}

fn reply(body: &str, source: ChatSource, model_may_read: bool) -> NewChatReply {
    NewChatReply {
        body: body.to_owned(),
        source,
        model_may_read,
        withheld: None,
    }
}

conformance! {
    async fn keeps_a_withheld_reply_sealed_and_opens_it_only_through_its_alert(db: TestDb) {
        const WITHHELD: &str = "WITHHELD-MARKER-4b1e: I have saved up my pills and I am taking them tonight";
        let store = db.open_with(cipher_with(&[("k1", 1)])).await;
        store.record_key(&KeyId::new("k1").unwrap(), at(0)).await.unwrap();
        let pat = patient(&store, "pat").await;
        let fallback = NewChatReply {
            withheld: Some(screened(WITHHELD)),
            ..reply("let's slow down for a moment", ChatSource::Offline, false)
        };
        let stored = store.add_chat_reply(&pat.id, &fallback, at(1)).await.unwrap();
        assert_eq!(stored.body, "let's slow down for a moment");
        let alerts = store.alerts(&AlertScope::All, Page::first(10)).await.unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].source, AlertSource::ChatReplyWithheld);
        assert_eq!(alerts[0].source_id.as_deref(), Some(stored.id.as_str()));
        assert_eq!(store.withheld_chat_reply(&alerts[0]).await.unwrap().as_deref(), Some(WITHHELD));
        // Not part of the conversation, what the model reads, or the export.
        let read = store.chat_messages(&pat.id, Page::first(10)).await.unwrap();
        assert!(read.iter().all(|message| !message.body.contains("WITHHELD")));
        let export = store.export_user_data(&pat.id).await.unwrap();
        assert!(!serde_json::to_string(&export).unwrap().contains("WITHHELD"));
        assert_eq!(export.chat_messages.len(), 1);
        // Another alert opens nothing.
        store.add_chat_message(&pat.id, &screened("I want to kill myself"), false, at(2)).await.unwrap();
        let alerts = store.alerts(&AlertScope::All, Page::first(10)).await.unwrap();
        let chat = alerts.iter().find(|alert| alert.source == AlertSource::Chat).unwrap();
        assert_eq!(store.withheld_chat_reply(chat).await.unwrap(), None);
        // Sealed at rest, and re-sealed by key rotation like every sealed column.
        assert!(!db.raw_contents(&store).await.windows(WITHHELD.len()).any(|window| window == WITHHELD.as_bytes()));
        store.close().await;
        let rotating = db.open_with(cipher_with(&[("k2", 2), ("k1", 1)])).await;
        rotating.record_key(&KeyId::new("k2").unwrap(), at(3)).await.unwrap();
        rotate_keys(&rotating).await.unwrap();
        rotating.close().await;
        let only_new = db.open_with(cipher_with(&[("k2", 2)])).await;
        let alert = only_new.alert(&alerts.iter().find(|alert| alert.source == AlertSource::ChatReplyWithheld).unwrap().id).await.unwrap();
        assert_eq!(only_new.withheld_chat_reply(&alert).await.unwrap().as_deref(), Some(WITHHELD));
        only_new.close().await;
    }

    async fn numbers_a_conversation_and_pages_it_newest_first(db: TestDb) {
        let store = db.open().await;
        let pat = patient(&store, "pat").await;
        let other = patient(&store, "other").await;
        // Same second for all: the numbering, not the clock, keeps the order.
        store.add_chat_message(&pat.id, &screened("a quiet day"), true, at(5)).await.unwrap();
        store.add_chat_reply(&pat.id, &reply("tell me more", ChatSource::Model, true), at(5)).await.unwrap();
        store.add_chat_message(&other.id, &screened("not yours"), true, at(5)).await.unwrap();
        store.add_chat_message(&pat.id, &screened("I walked"), true, at(5)).await.unwrap();
        store.add_chat_reply(&pat.id, &reply("well done", ChatSource::Offline, true), at(5)).await.unwrap();

        let newest = store.chat_messages(&pat.id, Page::first(3)).await.unwrap();
        let seen: Vec<_> = newest.iter().map(|m| (m.seq, m.author, m.source, m.body.as_str())).collect();
        assert_eq!(seen, vec![
            (4, ChatAuthor::Companion, Some(ChatSource::Offline), "well done"),
            (3, ChatAuthor::Patient, None, "I walked"),
            (2, ChatAuthor::Companion, Some(ChatSource::Model), "tell me more"),
        ]);
        let older = store.chat_messages(&pat.id, Page { offset: 3, limit: 3 }).await.unwrap();
        assert_eq!(older.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(), vec!["a quiet day"]);
        let theirs = store.chat_messages(&other.id, Page::first(10)).await.unwrap();
        assert_eq!((theirs.len(), theirs[0].seq), (1, 1));
    }

    async fn gives_the_model_only_what_it_may_read_oldest_first(db: TestDb) {
        let store = db.open().await;
        let pat = patient(&store, "pat").await;
        store.add_chat_message(&pat.id, &screened("first, with consent"), true, at(1)).await.unwrap();
        store.add_chat_reply(&pat.id, &reply("reply one", ChatSource::Model, true), at(1)).await.unwrap();
        store.add_chat_message(&pat.id, &screened("written without consent"), false, at(2)).await.unwrap();
        store.add_chat_reply(&pat.id, &reply("offline answer", ChatSource::Offline, false), at(2)).await.unwrap();
        store.add_chat_message(&pat.id, &screened("second, with consent"), true, at(3)).await.unwrap();

        let context = store.chat_context(&pat.id, 10).await.unwrap();
        let bodies: Vec<_> = context.iter().map(|m| m.body.as_str()).collect();
        assert_eq!(bodies, vec!["first, with consent", "reply one", "second, with consent"]);
        assert!(context.iter().all(|m| m.model_may_read));
        let latest_two = store.chat_context(&pat.id, 2).await.unwrap();
        assert_eq!(latest_two.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(), vec!["reply one", "second, with consent"]);
        // Everything stays in the history the patient reads.
        assert_eq!(store.chat_messages(&pat.id, Page::first(10)).await.unwrap().len(), 5);
    }

    async fn stores_a_risky_message_with_its_safety_event_and_alert(db: TestDb) {
        let store = db.open().await;
        let pat = patient(&store, "pat").await;
        let message = store
            .add_chat_message(&pat.id, &screened("I've saved up my pills and I'm taking them tonight"), false, at(1))
            .await
            .unwrap();
        let events = store.safety_events(&pat.id).await.unwrap();
        assert_eq!((events.len(), events[0].source.as_str()), (1, "chat"));
        let alerts = store.alerts(&AlertScope::All, Page::first(10)).await.unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!((alerts[0].source, alerts[0].source_id.as_deref()), (AlertSource::Chat, Some(message.id.as_str())));
        // A calm message raises nothing.
        store.add_chat_message(&pat.id, &screened("a calm walk by the sea"), true, at(2)).await.unwrap();
        assert_eq!(store.alerts(&AlertScope::All, Page::first(10)).await.unwrap().len(), 1);
    }

    async fn numbers_concurrent_messages_without_gaps_or_repeats(db: TestDb) {
        let store = db.open().await;
        let pat = patient(&store, "pat").await;
        let mut tasks = Vec::new();
        for n in 0..8 {
            let store = store.clone();
            let id = pat.id.clone();
            tasks.push(tokio::spawn(async move {
                store.add_chat_message(&id, &screened(&format!("message {n}")), true, at(1)).await
            }));
        }
        let mut seqs = Vec::new();
        for task in tasks {
            seqs.push(task.await.unwrap().unwrap().seq);
        }
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=8).collect::<Vec<_>>());
    }

    async fn refuses_a_message_for_an_unknown_patient(db: TestDb) {
        let store = db.open().await;
        let ghost = PersonId::new("00000000-0000-4000-8000-000000000000").unwrap();
        assert!(matches!(
            store.add_chat_message(&ghost, &screened("hello"), true, at(1)).await,
            Err(Error::NotFound { entity: "user", .. })
        ));
    }
}
