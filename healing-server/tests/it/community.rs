//! The moderated community through HTTP on SQLite and PostgreSQL: channels set by
//! admins, pseudonyms, posts, comments and reactions; a risky post held with crisis
//! resources for its author and an alert for their clinician; a medium post
//! published with a signpost; reports and the audited moderation queue; block and
//! mute; the posting limit's 429 with Retry-After; and typed refusals.

use axum::http::{Method, StatusCode};
use healing_store::prelude::*;
use healing_store::{AlertSource, AuditQuery, Role};
use serde_json::{Value, json};

use crate::support::{Backend, Session, TestApp, TestResponse};

/// Words that must never be stored in clear.
const MARKER: &str = "COMMUNITY-MARKER-7c2e";
/// A disclosure screening holds (critical: intent and a plan).
pub(crate) const RISKY: &str = "I've saved up my pills and I'm taking them tonight";
/// A passive wish screening reads as medium.
const MEDIUM: &str = "Some days I feel nobody would miss me";

/// An admin, a patient and their linked clinician (sharing granted), and a second
/// patient; a channel the admin created.
pub(crate) struct World {
    pub(crate) admin: Session,
    pub(crate) pat: Session,
    pub(crate) doc: Session,
    pub(crate) otto: Session,
    pub(crate) channel_id: String,
}

pub(crate) async fn world(app: &TestApp) -> World {
    app.register_patient("pat").await;
    app.register_patient("otto").await;
    app.create_staff("doc", Role::Clinician).await;
    app.create_staff("admin", Role::Admin).await;
    let pat = app.login("pat").await;
    let doc = app.login("doc").await;
    app.accept_link("pat", &pat, &doc).await;
    let granted = app.consent(&pat, "clinician_sharing", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    let admin = app.login("admin").await;
    let channel = app
        .post(
            "/api/community/channels",
            json!({ "name": "Sleep", "description": "Rest and routines" }),
            Some(&admin),
        )
        .await;
    assert_eq!(channel.status, StatusCode::CREATED, "{}", channel.text);
    World {
        channel_id: channel.json["data"]["id"].as_str().unwrap().to_owned(),
        otto: app.login("otto").await,
        admin,
        pat,
        doc,
    }
}

pub(crate) async fn name(app: &TestApp, session: &Session, pseudonym: &str) -> TestResponse {
    app.call(
        Method::PUT,
        "/api/community/me",
        Some(json!({ "pseudonym": pseudonym })),
        Some(session),
    )
    .await
}

pub(crate) async fn post(
    app: &TestApp,
    session: &Session,
    channel_id: &str,
    body: &str,
) -> TestResponse {
    app.post(
        &format!("/api/community/channels/{channel_id}/posts"),
        json!({ "body": body }),
        Some(session),
    )
    .await
}

pub(crate) async fn comment(
    app: &TestApp,
    session: &Session,
    post_id: &str,
    body: &str,
) -> TestResponse {
    app.post(
        &format!("/api/community/posts/{post_id}/comments"),
        json!({ "body": body }),
        Some(session),
    )
    .await
}

async fn page_ids(app: &TestApp, session: &Session, channel_id: &str) -> Vec<String> {
    let page = app
        .get(
            &format!("/api/community/channels/{channel_id}/posts"),
            Some(session),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.json["data"]["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn id_of(response: &TestResponse) -> String {
    response.json["data"]["item"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an item id in {}", response.text))
        .to_owned()
}

async fn members_post_comment_and_react_under_pseudonyms(backend: Backend) {
    let app = TestApp::new(backend).await;
    let w = world(&app).await;

    // No pseudonym, no posting; the username is never accepted as one.
    let early = post(&app, &w.pat, &w.channel_id, "hello").await;
    assert_eq!(
        (early.status, early.json["code"].as_str()),
        (StatusCode::CONFLICT, Some("PSEUDONYM_REQUIRED")),
        "{}",
        early.text
    );
    let own_username = name(&app, &w.pat, "PAT").await;
    assert_eq!(
        own_username.status,
        StatusCode::BAD_REQUEST,
        "{}",
        own_username.text
    );
    let named = name(&app, &w.pat, "Quiet Fox").await;
    assert_eq!(named.status, StatusCode::OK, "{}", named.text);
    let taken = name(&app, &w.otto, "quiet   fox").await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.text);
    assert_eq!(
        name(&app, &w.otto, "Night Owl").await.status,
        StatusCode::OK
    );
    assert_eq!(name(&app, &w.doc, "Dr Sleep").await.status, StatusCode::OK);
    // Admins moderate; they do not take part.
    let admin_name = name(&app, &w.admin, "The Admin").await;
    assert_eq!(
        admin_name.status,
        StatusCode::FORBIDDEN,
        "{}",
        admin_name.text
    );

    let written = post(
        &app,
        &w.pat,
        &w.channel_id,
        &format!("Winding down with a book helps me {MARKER}"),
    )
    .await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.text);
    assert_eq!(written.json["data"]["held"], false);
    assert_eq!(written.json["data"]["item"]["status"], "published");
    assert_eq!(
        written.json["data"]["item"]["author"]["pseudonym"],
        "Quiet Fox"
    );
    assert!(
        !written.text.contains(w.pat.user_id.as_str()),
        "no account id"
    );
    assert!(!app.db.holds_text(MARKER).await, "sealed at rest");
    let post_id = id_of(&written);

    let reply = comment(&app, &w.doc, &post_id, "Same here, a routine helps.").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.json["data"]["item"]["author"]["clinician"], true);
    assert_eq!(
        reply.json["data"]["safety"],
        Value::Null,
        "clinicians get no crisis view"
    );
    // Comments go on posts, not on comments.
    let nested = comment(&app, &w.otto, &id_of(&reply), "and me").await;
    assert_eq!(nested.status, StatusCode::CONFLICT, "{}", nested.text);

    // Reactions toggle, one per kind per member.
    let react = |session: Session, kind: &'static str| {
        let app = &app;
        let path = format!("/api/community/posts/{post_id}/reactions");
        async move {
            app.post(&path, json!({ "kind": kind }), Some(&session))
                .await
        }
    };
    react(w.otto.clone(), "hug").await;
    let both = react(w.doc.clone(), "hug").await;
    assert_eq!(
        both.json["data"]["reactions"],
        json!([{ "kind": "hug", "count": 2, "mine": true }])
    );
    let undone = react(w.doc.clone(), "hug").await;
    assert_eq!(
        undone.json["data"]["reactions"],
        json!([{ "kind": "hug", "count": 1, "mine": false }])
    );
    let bad = react(w.otto.clone(), "angry").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text);

    let page = app
        .get(
            &format!("/api/community/channels/{}/posts", w.channel_id),
            Some(&w.otto),
        )
        .await;
    let first = &page.json["data"]["posts"][0];
    assert_eq!(first["comments"], 1, "{}", page.text);
    assert_eq!(
        first["open_reports"],
        Value::Null,
        "members see no report counts"
    );
    let shown = app
        .get(&format!("/api/community/posts/{post_id}"), Some(&w.otto))
        .await;
    assert_eq!(shown.json["data"]["comments"].as_array().unwrap().len(), 1);

    // Paging states its range; newest first.
    for n in 0..3 {
        // A second apart, so newest-first is a known order.
        app.state.clock().advance(1);
        assert_eq!(
            post(&app, &w.otto, &w.channel_id, &format!("tip {n}"))
                .await
                .status,
            StatusCode::CREATED
        );
    }
    let paged = app
        .get(
            &format!(
                "/api/community/channels/{}/posts?limit=2&offset=1",
                w.channel_id
            ),
            Some(&w.pat),
        )
        .await;
    let bodies: Vec<&str> = paged.json["data"]["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["tip 1", "tip 0"], "{}", paged.text);
    let huge = app
        .get(
            &format!(
                "/api/community/channels/{}/posts?limit=4294967296",
                w.channel_id
            ),
            Some(&w.pat),
        )
        .await;
    assert_eq!(huge.status, StatusCode::BAD_REQUEST, "{}", huge.text);
}

async fn a_risky_post_is_held_its_author_gets_resources_and_the_clinician_an_alert(
    backend: Backend,
) {
    let app = TestApp::new(backend).await;
    let w = world(&app).await;
    name(&app, &w.pat, "Quiet Fox").await;
    name(&app, &w.otto, "Night Owl").await;

    let held = post(&app, &w.pat, &w.channel_id, RISKY).await;
    assert_eq!(held.status, StatusCode::CREATED, "{}", held.text);
    let data = &held.json["data"];
    assert_eq!(data["held"], true, "{data}");
    assert_eq!(data["item"]["status"], "held");
    assert_eq!(data["safety"]["show_crisis_resources"], true, "{data}");
    assert!(!data["safety"]["resources"].as_array().unwrap().is_empty());
    assert!(data["notice"].as_str().unwrap().contains("held"));
    let post_id = id_of(&held);

    // The alert is raised for the linked clinician, with none of the words.
    let alerts = app
        .state
        .store()
        .alerts_of_patient(&w.pat.user_id)
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].source, AlertSource::Community);
    let listed = app.get("/api/alerts", Some(&w.doc)).await;
    assert_eq!(
        listed.json["data"].as_array().unwrap().len(),
        1,
        "{}",
        listed.text
    );
    assert!(!listed.text.contains("pills"), "{}", listed.text);

    // Not visible to others, visible to its author marked held.
    assert!(page_ids(&app, &w.otto, &w.channel_id).await.is_empty());
    assert_eq!(
        page_ids(&app, &w.pat, &w.channel_id).await,
        [post_id.as_str()]
    );
    let probe = app
        .get(&format!("/api/community/posts/{post_id}"), Some(&w.otto))
        .await;
    assert_eq!(probe.status, StatusCode::FORBIDDEN, "{}", probe.text);
    let replied = comment(&app, &w.otto, &post_id, "hang in there").await;
    assert_eq!(replied.status, StatusCode::FORBIDDEN, "{}", replied.text);

    // A comment is held the same way.
    let open = post(&app, &w.otto, &w.channel_id, "How is everyone sleeping?").await;
    let held_comment = comment(&app, &w.pat, &id_of(&open), RISKY).await;
    assert_eq!(
        held_comment.status,
        StatusCode::CREATED,
        "{}",
        held_comment.text
    );
    assert_eq!(held_comment.json["data"]["held"], true);
    let thread = app
        .get(
            &format!("/api/community/posts/{}", id_of(&open)),
            Some(&w.otto),
        )
        .await;
    assert!(
        thread.json["data"]["comments"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.state
            .store()
            .alerts_of_patient(&w.pat.user_id)
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn a_medium_post_is_published_with_a_signpost(backend: Backend) {
    let app = TestApp::new(backend).await;
    let w = world(&app).await;
    name(&app, &w.pat, "Quiet Fox").await;
    name(&app, &w.otto, "Night Owl").await;
    let written = post(&app, &w.pat, &w.channel_id, MEDIUM).await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.text);
    let data = &written.json["data"];
    assert_eq!(data["safety"]["level"], "medium", "{data}");
    assert_eq!(data["held"], false);
    assert_eq!(data["safety"]["show_crisis_resources"], false);
    assert!(
        data["safety"]["signpost"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert_eq!(
        page_ids(&app, &w.otto, &w.channel_id).await,
        [id_of(&written)]
    );
}

async fn reports_and_the_moderation_queue_are_audited(backend: Backend) {
    let app = TestApp::new(backend).await;
    let w = world(&app).await;
    name(&app, &w.pat, "Quiet Fox").await;
    name(&app, &w.otto, "Night Owl").await;
    let held = id_of(&post(&app, &w.pat, &w.channel_id, RISKY).await);
    app.state.clock().advance(1);
    let rude = id_of(&post(&app, &w.otto, &w.channel_id, "buy cheap watches here").await);

    let reported = app
        .post(
            &format!("/api/community/posts/{rude}/reports"),
            json!({ "reason": "spam", "note": format!("looks like an advert {MARKER}") }),
            Some(&w.pat),
        )
        .await;
    assert_eq!(reported.status, StatusCode::CREATED, "{}", reported.text);
    assert!(!app.db.holds_text(MARKER).await, "the note is sealed");
    let again = app
        .post(
            &format!("/api/community/posts/{rude}/reports"),
            json!({ "reason": "spam" }),
            Some(&w.pat),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    let bad_reason = app
        .post(
            &format!("/api/community/posts/{rude}/reports"),
            json!({ "reason": "i dislike it" }),
            Some(&w.otto),
        )
        .await;
    assert_eq!(
        bad_reason.status,
        StatusCode::BAD_REQUEST,
        "{}",
        bad_reason.text
    );

    // Patients have no queue; clinicians and admins see the held and reported items.
    assert_eq!(
        app.get("/api/community/moderation", Some(&w.pat))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let queue = app.get("/api/community/moderation", Some(&w.admin)).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.text);
    let items = queue.json["data"]["items"].as_array().unwrap();
    let ids: Vec<&str> = items
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [held.as_str(), rude.as_str()], "oldest first");
    assert_eq!(items[1]["open_reports"], 1);
    assert_eq!(items[0]["risk_level"], "critical", "{}", queue.text);
    let opened = app
        .get(&format!("/api/community/posts/{rude}"), Some(&w.doc))
        .await;
    assert_eq!(opened.json["data"]["reports"][0]["reason"], "spam");
    assert!(
        opened.json["data"]["reports"][0]["note"]
            .as_str()
            .unwrap()
            .contains(MARKER)
    );

    // Hiding and removing need a reason; each action is audited.
    let no_reason = app
        .post(
            &format!("/api/community/moderation/{rude}"),
            json!({ "action": "remove" }),
            Some(&w.doc),
        )
        .await;
    assert_eq!(
        no_reason.status,
        StatusCode::BAD_REQUEST,
        "{}",
        no_reason.text
    );
    let removed = app
        .post(
            &format!("/api/community/moderation/{rude}"),
            json!({ "action": "remove", "reason": "spam" }),
            Some(&w.doc),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.text);
    assert_eq!(removed.json["data"]["status"], "removed");
    let approved = app
        .post(
            &format!("/api/community/moderation/{held}"),
            json!({ "action": "approve" }),
            Some(&w.admin),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);
    let after_removal = app
        .post(
            &format!("/api/community/moderation/{rude}"),
            json!({ "action": "approve" }),
            Some(&w.admin),
        )
        .await;
    assert_eq!(
        after_removal.status,
        StatusCode::CONFLICT,
        "{}",
        after_removal.text
    );
    assert!(
        app.get("/api/community/moderation", Some(&w.doc))
            .await
            .json["data"]["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The approved post is visible to others and the removed one is not; its
    // author still finds it, with the reason and without the words.
    assert_eq!(page_ids(&app, &w.pat, &w.channel_id).await, [held.as_str()]);
    assert_eq!(
        page_ids(&app, &w.otto, &w.channel_id).await,
        [rude.clone(), held.clone()]
    );
    let removed_view = app
        .get(&format!("/api/community/posts/{rude}"), Some(&w.otto))
        .await;
    assert_eq!(removed_view.json["data"]["post"]["status"], "removed");
    assert_eq!(removed_view.json["data"]["post"]["body"], Value::Null);
    assert_eq!(
        removed_view.json["data"]["post"]["moderation_reason"],
        "spam"
    );

    let entries = app
        .state
        .store()
        .audit_entries(AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let moderated: Vec<_> = entries
        .iter()
        .filter(|entry| entry.action.as_str() == "community_post_moderated")
        .collect();
    assert_eq!(moderated.len(), 2, "{entries:?}");
    assert_eq!(moderated[0].actor_id.as_ref(), Some(&w.doc.user_id));
    assert!(
        moderated[0].detail.contains("\"remove\""),
        "{}",
        moderated[0].detail
    );
    assert!(moderated[1].detail.contains("\"approve\""));
    // The held post's author is the subject; none of the words are in the log.
    assert_eq!(
        moderated[1].subject_patient_id.as_ref(),
        Some(&w.pat.user_id)
    );
    assert!(entries.iter().all(|entry| !entry.detail.contains("pills")));
}

async fn block_and_mute_hide_a_member(backend: Backend) {
    let app = TestApp::new(backend).await;
    let w = world(&app).await;
    let pat_member = name(&app, &w.pat, "Quiet Fox").await.json["data"]["member_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let otto_member = name(&app, &w.otto, "Night Owl").await.json["data"]["member_id"]
        .as_str()
        .unwrap()
        .to_owned();
    name(&app, &w.doc, "Dr Sleep").await;
    let mine = id_of(&post(&app, &w.pat, &w.channel_id, "my evening routine").await);
    app.state.clock().advance(1);
    let ottos = id_of(&post(&app, &w.otto, &w.channel_id, "an owl's routine").await);
    let relation = |session: Session, member: String, relation: &'static str| {
        let app = &app;
        async move {
            app.call(
                Method::PUT,
                &format!("/api/community/members/{member}/relation"),
                Some(json!({ "relation": relation })),
                Some(&session),
            )
            .await
        }
    };

    // Mute: hidden from me only; they may still reply to me.
    let muted = relation(w.pat.clone(), otto_member.clone(), "muted").await;
    assert_eq!(muted.status, StatusCode::OK, "{}", muted.text);
    assert_eq!(page_ids(&app, &w.pat, &w.channel_id).await, [mine.as_str()]);
    assert_eq!(
        page_ids(&app, &w.doc, &w.channel_id).await,
        [ottos.clone(), mine.clone()]
    );
    assert_eq!(
        comment(&app, &w.otto, &mine, "nice").await.status,
        StatusCode::CREATED
    );
    let thread = app
        .get(&format!("/api/community/posts/{mine}"), Some(&w.pat))
        .await;
    assert!(
        thread.json["data"]["comments"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Block: hidden from me, and they cannot reply to my posts.
    relation(w.pat.clone(), otto_member.clone(), "blocked").await;
    let refused = comment(&app, &w.otto, &mine, "hello?").await;
    assert_eq!(
        (refused.status, refused.json["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("COMMUNITY_REFUSED")),
        "{}",
        refused.text
    );
    assert_eq!(page_ids(&app, &w.pat, &w.channel_id).await, [mine.as_str()]);
    // Restored, they are back.
    relation(w.pat.clone(), otto_member.clone(), "none").await;
    assert_eq!(
        page_ids(&app, &w.pat, &w.channel_id).await,
        [ottos, mine.clone()]
    );
    assert_eq!(
        comment(&app, &w.otto, &mine, "hello again").await.status,
        StatusCode::CREATED
    );
    let yourself = relation(w.pat.clone(), pat_member, "muted").await;
    assert_eq!(
        yourself.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        yourself.text
    );
    let unknown = relation(w.pat.clone(), "nobody".to_owned(), "muted").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);
}

async fn posting_is_rate_limited_per_member(backend: Backend) {
    let app = TestApp::new(backend).await;
    let w = world(&app).await;
    name(&app, &w.pat, "Quiet Fox").await;
    name(&app, &w.otto, "Night Owl").await;
    let limit = healing_server::routes::community::posting_limit();
    let first = id_of(&post(&app, &w.pat, &w.channel_id, "first").await);
    for n in 1..limit.max_items {
        let written = comment(&app, &w.pat, &first, &format!("more {n}")).await;
        assert_eq!(written.status, StatusCode::CREATED, "{}", written.text);
    }
    app.state.clock().advance(60);
    let limited = post(&app, &w.pat, &w.channel_id, "one too many").await;
    assert_eq!(
        (limited.status, limited.json["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("RATE_LIMITED")),
        "{}",
        limited.text
    );
    let retry: i64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // Until the first item leaves the window (the real clock may have ticked).
    let expected = limit.window_seconds - 60;
    assert!((expected - 5..=expected).contains(&retry), "{retry}");
    // Someone else is not limited by it; after the window, neither is the author.
    assert_eq!(
        post(&app, &w.otto, &w.channel_id, "hi").await.status,
        StatusCode::CREATED
    );
    app.state.clock().advance(retry);
    assert_eq!(
        post(&app, &w.pat, &w.channel_id, "back again").await.status,
        StatusCode::CREATED
    );
}

async fn admins_manage_channels(backend: Backend) {
    let app = TestApp::new(backend).await;
    let w = world(&app).await;
    name(&app, &w.pat, "Quiet Fox").await;
    let duplicate = app
        .post(
            "/api/community/channels",
            json!({ "name": "  sleep " }),
            Some(&w.admin),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT, "{}", duplicate.text);
    assert_eq!(
        app.post(
            "/api/community/channels",
            json!({ "name": "Mine" }),
            Some(&w.doc)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let path = format!("/api/community/channels/{}", w.channel_id);
    let renamed = app
        .call(
            Method::PATCH,
            &path,
            Some(json!({ "name": "Sleep and rest", "archived": true })),
            Some(&w.admin),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.json["data"]["name"], "Sleep and rest");
    assert_eq!(renamed.json["data"]["archived"], true);
    let listed = app.get("/api/community/channels", Some(&w.pat)).await;
    assert!(
        listed.json["data"]["channels"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let archived = post(&app, &w.pat, &w.channel_id, "anyone?").await;
    assert_eq!(archived.status, StatusCode::CONFLICT, "{}", archived.text);
    app.call(
        Method::PATCH,
        &path,
        Some(json!({ "archived": false })),
        Some(&w.admin),
    )
    .await;
    assert_eq!(
        post(&app, &w.pat, &w.channel_id, "anyone?").await.status,
        StatusCode::CREATED
    );
    let missing = app
        .get("/api/community/channels/nope/posts", Some(&w.pat))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.text);
    let actions: Vec<String> = app
        .state
        .store()
        .audit_entries(AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action.as_str().to_owned())
        .filter(|action| action.starts_with("community_channel"))
        .collect();
    assert_eq!(
        actions,
        [
            "community_channel_created",
            "community_channel_changed",
            "community_channel_changed"
        ]
    );
}

crate::both_backends!(
    members_post_comment_and_react_under_pseudonyms,
    a_risky_post_is_held_its_author_gets_resources_and_the_clinician_an_alert,
    a_medium_post_is_published_with_a_signpost,
    reports_and_the_moderation_queue_are_audited,
    block_and_mute_hide_a_member,
    posting_is_rate_limited_per_member,
    admins_manage_channels,
);
