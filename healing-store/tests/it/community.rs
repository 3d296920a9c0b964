//! The moderated community on both back ends: who sees what (held items, block and
//! mute), the posting limit counted in the write's transaction, a patient's held
//! post with its alert, moderation audited with its action, and the refusals.

use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{
    AlertSource, AnyStore, AuditQuery, CommunityReason, CommunityRefusal, Error, ModerationAction,
    NewUser, Page, PasswordScheme, PostStatus, PostTarget, PostingLimit, Relation, Role, Screened,
    User,
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

fn refusal<T: std::fmt::Debug>(result: Result<T, Error>) -> CommunityRefusal {
    match result {
        Err(Error::CommunityRefused(refusal)) => refusal,
        other => panic!("expected a community refusal, got {other:?}"),
    }
}

conformance! {
    async fn held_items_blocks_mutes_and_the_posting_limit(db: TestDb) {
        let store = db.open().await;
        let admin = user(&store, "admin", Role::Admin).await;
        let pat = user(&store, "pat", Role::Patient).await;
        let otto = user(&store, "otto", Role::Patient).await;
        let channel = store.create_channel(&admin.id, "Sleep", "", at(1)).await.unwrap();
        let limit = PostingLimit { max_items: 3, window_seconds: 600 };
        let calm = screened("a walk before bed helps");

        // A pseudonym first; admins never take part.
        assert_eq!(refusal(store.write_community_post(&pat.id, PostTarget::Channel(&channel.id), &calm, limit, at(2)).await), CommunityRefusal::NoPseudonym);
        assert_eq!(refusal(store.set_pseudonym(&admin.id, "boss", at(2)).await), CommunityRefusal::NotAMember);
        store.set_pseudonym(&pat.id, "Quiet Fox", at(2)).await.unwrap();
        let taken = store.set_pseudonym(&otto.id, "QUIET  fox", at(2)).await;
        assert!(matches!(taken, Err(Error::Conflict { table: "community_members", .. })), "{taken:?}");
        let otto_member = store.set_pseudonym(&otto.id, "Night Owl", at(2)).await.unwrap();

        // A risky post is held, with its alert, and seen only by its author.
        let held = store.write_community_post(&pat.id, PostTarget::Channel(&channel.id), &screened("I've saved up my pills and I'm taking them tonight"), limit, at(3)).await.unwrap();
        assert_eq!(held.status, PostStatus::Held);
        let alerts = store.alerts_of_patient(&pat.id).await.unwrap();
        assert_eq!((alerts.len(), alerts[0].source), (1, AlertSource::Community));
        let calm_post = store.write_community_post(&otto.id, PostTarget::Channel(&channel.id), &calm, limit, at(4)).await.unwrap();
        let seen = |reader: &User| {
            let (store, channel_id, reader) = (&store, channel.id.clone(), reader.id.clone());
            async move {
                store.channel_page(&channel_id, &reader, Page::first(10)).await.unwrap()
                    .into_iter().map(|item| item.post.id).collect::<Vec<_>>()
            }
        };
        assert_eq!(seen(&otto).await, [calm_post.id.as_str()]);
        assert_eq!(seen(&pat).await, [calm_post.id.clone(), held.id.clone()]);
        assert_eq!(refusal(store.write_community_post(&otto.id, PostTarget::Comment(&held.id), &calm, limit, at(5)).await), CommunityRefusal::NotVisible);

        // Muted: hidden from me; blocked: and no replies to my posts.
        store.set_relation(&pat.id, &otto_member.member_id, Some(Relation::Muted), at(6)).await.unwrap();
        assert_eq!(seen(&pat).await, [held.id.as_str()]);
        store.set_relation(&pat.id, &otto_member.member_id, None, at(6)).await.unwrap();
        store.set_relation(&otto.id, &store.community_member(&pat.id).await.unwrap().unwrap().member_id, Some(Relation::Blocked), at(6)).await.unwrap();
        assert_eq!(refusal(store.write_community_post(&pat.id, PostTarget::Comment(&calm_post.id), &calm, limit, at(7)).await), CommunityRefusal::Blocked);
        assert_eq!(refusal(store.set_relation(&pat.id, &store.community_member(&pat.id).await.unwrap().unwrap().member_id, Some(Relation::Muted), at(7)).await), CommunityRefusal::Yourself);

        // The limit counts posts and comments in the window: pat has written one.
        store.write_community_post(&pat.id, PostTarget::Channel(&channel.id), &calm, limit, at(8)).await.unwrap();
        store.write_community_post(&pat.id, PostTarget::Channel(&channel.id), &calm, limit, at(9)).await.unwrap();
        assert_eq!(
            refusal(store.write_community_post(&pat.id, PostTarget::Channel(&channel.id), &calm, limit, at(10)).await),
            CommunityRefusal::RateLimited { retry_after_seconds: 593 }
        );
        store.write_community_post(&pat.id, PostTarget::Channel(&channel.id), &calm, limit, at(604)).await.unwrap();
    }

    async fn moderation_moves_settle_reports_and_are_audited(db: TestDb) {
        let store = db.open().await;
        let admin = user(&store, "admin", Role::Admin).await;
        let doc = user(&store, "doc", Role::Clinician).await;
        let pat = user(&store, "pat", Role::Patient).await;
        let channel = store.create_channel(&admin.id, "Sleep", "", at(1)).await.unwrap();
        store.set_pseudonym(&pat.id, "Quiet Fox", at(1)).await.unwrap();
        store.set_pseudonym(&doc.id, "Dr Sleep", at(1)).await.unwrap();
        let post = store.write_community_post(&pat.id, PostTarget::Channel(&channel.id), &screened("buy my watches"), PostingLimit::DEFAULT, at(2)).await.unwrap();
        store.report_community_post(&post.id, &doc.id, CommunityReason::Spam, Some(&screened("an advert")), at(3)).await.unwrap();
        let again = store.report_community_post(&post.id, &doc.id, CommunityReason::Spam, None, at(3)).await;
        assert!(matches!(again, Err(Error::Conflict { table: "community_reports", .. })), "{again:?}");
        let queue = store.moderation_queue(&admin.id, Page::first(10)).await.unwrap();
        assert_eq!((queue.len(), queue[0].open_reports), (1, 1));
        assert_eq!(store.report_notes(&post.id).await.unwrap()[0].note.as_deref(), Some("an advert"));

        let hidden = store.moderate_community_post(&post.id, &admin.id, ModerationAction::Hide, Some(CommunityReason::Spam), at(4)).await.unwrap();
        assert_eq!((hidden.status, hidden.moderation_reason), (PostStatus::Hidden, Some(CommunityReason::Spam)));
        assert!(store.moderation_queue(&admin.id, Page::first(10)).await.unwrap().is_empty(), "reports settled");
        assert_eq!(refusal(store.moderate_community_post(&post.id, &admin.id, ModerationAction::Hide, Some(CommunityReason::Spam), at(5)).await), CommunityRefusal::Moderation { from: PostStatus::Hidden, action: ModerationAction::Hide });
        store.moderate_community_post(&post.id, &admin.id, ModerationAction::Remove, Some(CommunityReason::Spam), at(6)).await.unwrap();
        assert!(store.moderate_community_post(&post.id, &admin.id, ModerationAction::Approve, None, at(7)).await.is_err());
        let audited: Vec<_> = store.audit_entries(AuditQuery { limit: 100, ..Default::default() }).await.unwrap()
            .into_iter().filter(|entry| entry.action.as_str() == "community_post_moderated").collect();
        assert_eq!(audited.len(), 2);
        assert_eq!(audited[0].subject_patient_id.as_ref(), Some(&pat.id));
        assert!(audited[1].detail.contains("\"removed\""), "{}", audited[1].detail);
        assert!(store.community_posts(Page::first(10)).await.unwrap().is_empty(), "research sees published items only");
    }
}
