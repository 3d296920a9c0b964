//! Accounts and sessions: CSRF, session fixation, lockout, legacy hashes,
//! two-factor, expiry, password reset by email.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use healing_store::prelude::*;
use healing_store::{PasswordScheme, Role};
use serde_json::json;

use crate::support::{Backend, PASSWORD, Session, TestApp, start_smtp};

async fn csrf_token_is_required_on_state_changing_requests(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let session = app.login("pat").await;
    let path = format!("/api/patients/{}/moods", id.as_str());
    let body = json!({ "mood": 6 }).to_string();
    let send = |csrf: Option<&str>| {
        let mut builder = Request::post(&path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(
                header::COOKIE,
                format!("healing_session={}", session.cookie),
            );
        if let Some(csrf) = csrf {
            builder = builder.header("x-csrf-token", csrf);
        }
        builder.body(Body::from(body.clone())).unwrap()
    };
    let missing = app.send(send(None)).await;
    assert_eq!(
        (missing.status, missing.json["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("CSRF_FAILED"))
    );
    let wrong = app.send(send(Some("not-the-token"))).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let other = app.register_patient("otto").await;
    let _ = other;
    let other_session = app.login("otto").await;
    let foreign = app.send(send(Some(&other_session.csrf))).await;
    assert_eq!(
        foreign.status,
        StatusCode::FORBIDDEN,
        "another session's token is refused"
    );
    let right = app.send(send(Some(&session.csrf))).await;
    assert_eq!(right.status, StatusCode::CREATED, "{}", right.text);
}

async fn login_from_another_origin_is_refused(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let request = Request::post("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::HOST, "127.0.0.1:8080")
        .body(Body::from(
            json!({ "username": "pat", "password": PASSWORD }).to_string(),
        ))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
}

/// Issue 21 ("Also"): a signed-in, state-changing request that a browser
/// says comes from another site is refused even with the right CSRF token, and
/// audited; same-origin requests and clients that send neither header pass.
async fn cross_site_requests_are_refused_beside_the_csrf_token(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let session = app.login("pat").await;
    let path = format!("/api/patients/{}/moods", id.as_str());
    let send = |extra: &[(&str, &str)]| {
        let mut builder = Request::post(&path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "127.0.0.1:8080")
            .header(
                header::COOKIE,
                format!("healing_session={}", session.cookie),
            )
            .header("x-csrf-token", &session.csrf);
        for (name, value) in extra {
            builder = builder.header(*name, *value);
        }
        builder
            .body(Body::from(json!({ "mood": 6 }).to_string()))
            .unwrap()
    };
    let audited_denials = || async {
        app.state
            .store()
            .audit_entries(healing_store::AuditQuery {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .filter(|entry| entry.action.as_str() == "access_denied")
            .map(|entry| {
                let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
                (entry.actor_id.map(|id| id.as_str().to_owned()), detail)
            })
            .collect::<Vec<_>>()
    };

    for refused in [
        &[("origin", "https://evil.example")][..],
        &[("origin", "null")][..],
        &[("origin", "http://127.0.0.1:8080.evil.example")][..],
        &[("sec-fetch-site", "cross-site")][..],
        &[
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "cross-site"),
        ][..],
    ] {
        let response = app.send(send(refused)).await;
        assert_eq!(
            (response.status, response.json["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("CSRF_FAILED")),
            "{refused:?}: {}",
            response.text
        );
    }
    let denials = audited_denials().await;
    assert_eq!(denials.len(), 5, "{denials:?}");
    for (actor, detail) in &denials {
        assert_eq!(actor.as_deref(), Some(id.as_str()));
        assert_eq!(
            detail,
            &json!({
                "method": "POST",
                "route": "/api/patients/{patient_id}/moods",
                "reason": "CSRF_FAILED: cross-site request refused",
            })
        );
    }

    for accepted in [
        // The public URL's origin (the test app's is http://127.0.0.1:8080).
        &[
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ][..],
        &[("sec-fetch-site", "same-origin")][..],
        &[("sec-fetch-site", "none")][..],
        // The web app's fetch from the page the server served.
        &[("origin", "http://127.0.0.1:8080")][..],
        // Neither header: curl, the Python bindings.
        &[][..],
    ] {
        let response = app.send(send(accepted)).await;
        assert_eq!(
            response.status,
            StatusCode::CREATED,
            "{accepted:?}: {}",
            response.text
        );
    }
    assert_eq!(audited_denials().await.len(), 5);
}

/// With no public URL of its own in reach (the server listens on every
/// interface), the origin of the `Host` the request came to is this server's.
async fn the_host_a_request_came_to_is_a_same_origin(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let session = app.login("pat").await;
    let send = |host: &str, origin: &str| {
        Request::post(format!("/api/patients/{}/moods", id.as_str()))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, host)
            .header(header::ORIGIN, origin)
            .header(
                header::COOKIE,
                format!("healing_session={}", session.cookie),
            )
            .header("x-csrf-token", &session.csrf)
            .body(Body::from(json!({ "mood": 6 }).to_string()))
            .unwrap()
    };
    let same = app
        .send(send(
            "clinic.example.org:8443",
            "https://clinic.example.org:8443",
        ))
        .await;
    assert_eq!(same.status, StatusCode::CREATED, "{}", same.text);
    let other = app
        .send(send(
            "clinic.example.org:8443",
            "https://clinic.example.org",
        ))
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.text);
}

async fn session_fixation_is_impossible(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    // An attacker plants a cookie value, then the victim logs in with it.
    let planted = "attacker-chosen-session-id-0000000000000000";
    let request = Request::post("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, format!("healing_session={planted}"))
        .body(Body::from(
            json!({ "username": "pat", "password": PASSWORD }).to_string(),
        ))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::OK);
    let issued = response.session_cookie().unwrap();
    assert_ne!(issued, planted);
    let planted_session = Session {
        cookie: planted.to_owned(),
        csrf: String::new(),
        user_id: crate::support::session_from(&response).user_id,
    };
    assert_eq!(
        app.get("/api/auth/check-session", Some(&planted_session))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // A real earlier session is also never carried over: a second login issues a new id and ends the old one.
    let first = crate::support::session_from(&response);
    let request = Request::post("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, format!("healing_session={}", first.cookie))
        .body(Body::from(
            json!({ "username": "pat", "password": PASSWORD }).to_string(),
        ))
        .unwrap();
    let second = app.send(request).await;
    assert_ne!(second.session_cookie().unwrap(), first.cookie);
    assert_eq!(
        app.get("/api/auth/check-session", Some(&first))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The cookie carries the protective flags.
    let cookie = second
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

async fn second_factor_issues_a_new_session_id(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    let pending = app
        .post(
            "/api/auth/login",
            json!({ "username": "doc", "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(pending.json["data"]["stage"], "awaiting_second_factor");
    let pending_session = crate::support::session_from(&pending);
    assert_eq!(
        app.get("/api/links", Some(&pending_session)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let wrong = app
        .post(
            "/api/auth/verify-2fa",
            json!({ "code": "000000" }),
            Some(&pending_session),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let full = app.login("doc").await;
    assert_ne!(full.cookie, pending_session.cookie);
    assert_eq!(
        app.get("/api/links", Some(&full)).await.status,
        StatusCode::OK
    );
}

/// Starts a password sign-in of `username`, returning the session awaiting 2FA.
async fn pending_second_factor(app: &TestApp, username: &str) -> Session {
    let response = app
        .post(
            "/api/auth/login",
            json!({ "username": username, "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(response.json["data"]["stage"], "awaiting_second_factor");
    crate::support::session_from(&response)
}

async fn verify_code(app: &TestApp, session: &Session, code: &str) -> StatusCode {
    app.post(
        "/api/auth/verify-2fa",
        json!({ "code": code }),
        Some(session),
    )
    .await
    .status
}

async fn a_totp_code_is_accepted_once_even_across_two_server_instances(backend: Backend) {
    let first = TestApp::new(backend).await;
    let second = first.second_instance().await;
    first.create_staff("doc", Role::Clinician).await;
    let secret =
        healing_server::auth::totp::base32_decode(crate::support::STAFF_TOTP_SECRET).unwrap();
    let code = healing_server::auth::totp::code_at(&secret, first.state.now().unix_seconds());
    let on_first = pending_second_factor(&first, "doc").await;
    let again_on_first = pending_second_factor(&first, "doc").await;
    let on_second = pending_second_factor(&second, "doc").await;
    assert_eq!(verify_code(&first, &on_first, &code).await, StatusCode::OK);
    assert_eq!(
        verify_code(&first, &again_on_first, &code).await,
        StatusCode::UNAUTHORIZED,
        "replayed on the same instance"
    );
    assert_eq!(
        verify_code(&second, &on_second, &code).await,
        StatusCode::UNAUTHORIZED,
        "replayed on another instance sharing the database"
    );
    // A restarted instance (new pool, new state) refuses it too.
    let restarted = first.second_instance().await;
    let after_restart = pending_second_factor(&restarted, "doc").await;
    assert_eq!(
        verify_code(&restarted, &after_restart, &code).await,
        StatusCode::UNAUTHORIZED,
        "replayed after a restart"
    );
}

async fn recovery_code_works_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let hash = healing_server::auth::password::hash_password(PASSWORD).unwrap();
    app.create_user_with_hash("pat", Role::Patient, &hash, PasswordScheme::Argon2id)
        .await;
    let session = app.login("pat").await;
    let setup = app
        .post("/api/auth/2fa/setup", json!({}), Some(&session))
        .await;
    let secret =
        healing_server::auth::totp::base32_decode(setup.json["data"]["secret"].as_str().unwrap())
            .unwrap();
    let code = healing_server::auth::totp::code_at(&secret, app.state.now().unix_seconds());
    let confirm = app
        .post(
            "/api/auth/2fa/confirm",
            json!({ "code": code }),
            Some(&session),
        )
        .await;
    let recovery = confirm.json["data"]["recovery_codes"][0]
        .as_str()
        .unwrap()
        .to_owned();
    for attempt in 0..2 {
        let pending = app
            .post(
                "/api/auth/login",
                json!({ "username": "pat", "password": PASSWORD }),
                None,
            )
            .await;
        let pending = crate::support::session_from(&pending);
        let response = app
            .post(
                "/api/auth/verify-2fa",
                json!({ "recovery_code": recovery }),
                Some(&pending),
            )
            .await;
        let expected = if attempt == 0 {
            StatusCode::OK
        } else {
            StatusCode::UNAUTHORIZED
        };
        assert_eq!(
            response.status, expected,
            "attempt {attempt}: {}",
            response.text
        );
    }
}

async fn repeated_failures_lock_the_account_with_retry_after(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let mut last = None;
    for _ in 0..5 {
        last = Some(
            app.post(
                "/api/auth/login",
                json!({ "username": "pat", "password": "wrong password here" }),
                None,
            )
            .await,
        );
    }
    let last = last.unwrap();
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS, "{}", last.text);
    // Even the right password is refused while locked, with Retry-After.
    let locked = app
        .post(
            "/api/auth/login",
            json!({ "username": "pat", "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = locked
        .headers
        .get(header::RETRY_AFTER)
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    app.state.clock().advance(901);
    assert_eq!(
        app.post(
            "/api/auth/login",
            json!({ "username": "pat", "password": PASSWORD }),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
}

async fn unknown_and_known_accounts_fail_alike(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let known = app
        .post(
            "/api/auth/login",
            json!({ "username": "pat", "password": "wrong password here" }),
            None,
        )
        .await;
    let unknown = app
        .post(
            "/api/auth/login",
            json!({ "username": "nobody", "password": "wrong password here" }),
            None,
        )
        .await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.json, unknown.json);
}

async fn legacy_hashes_are_upgraded_to_argon2id_at_login(backend: Backend) {
    use sha2::Digest as _;
    let app = TestApp::new(backend).await;
    let bcrypt_hash = bcrypt::hash(PASSWORD, 4).unwrap();
    let pbkdf2_hash = {
        let mut derived = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(PASSWORD.as_bytes(), b"oldsalt", 1000, &mut derived);
        use base64::Engine as _;
        format!(
            "pbkdf2_sha256$1000$oldsalt${}",
            base64::engine::general_purpose::STANDARD.encode(derived)
        )
    };
    let sha_hash = {
        let digest = sha2::Sha256::digest(format!("NaCl{PASSWORD}").as_bytes());
        format!(
            "sha256$NaCl${}",
            digest
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        )
    };
    for (username, hash, scheme) in [
        ("legacy.bcrypt", bcrypt_hash, PasswordScheme::Bcrypt),
        ("legacy.pbkdf2", pbkdf2_hash, PasswordScheme::Pbkdf2Sha256),
        ("legacy.sha", sha_hash, PasswordScheme::SaltedSha256),
    ] {
        let id = app
            .create_user_with_hash(username, Role::Patient, &hash, scheme)
            .await;
        let wrong = app
            .post(
                "/api/auth/login",
                json!({ "username": username, "password": "not the password" }),
                None,
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            app.state
                .store()
                .password_credentials(&id)
                .await
                .unwrap()
                .scheme,
            scheme,
            "unchanged after a failure"
        );
        app.login(username).await;
        let credentials = app.state.store().password_credentials(&id).await.unwrap();
        assert_eq!(credentials.scheme, PasswordScheme::Argon2id, "{username}");
        assert!(
            credentials
                .password_hash
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{username}"
        );
        app.login(username).await;
    }
}

async fn sessions_expire_after_two_idle_hours(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let session = app.login("pat").await;
    app.state.clock().advance(2 * 3600 - 120);
    assert_eq!(
        app.get("/api/auth/check-session", Some(&session))
            .await
            .status,
        StatusCode::OK
    );
    app.state.clock().advance(2 * 3600 + 60);
    assert_eq!(
        app.get("/api/auth/check-session", Some(&session))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn sessions_expire_twelve_hours_after_login_however_active(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let session = app.login("pat").await;
    for _ in 0..11 {
        app.state.clock().advance(3600);
        assert_eq!(
            app.get("/api/auth/check-session", Some(&session))
                .await
                .status,
            StatusCode::OK
        );
    }
    app.state.clock().advance(3600);
    assert_eq!(
        app.get("/api/auth/check-session", Some(&session))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn logout_everywhere_ends_every_session(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let first = app.login("pat").await;
    let second = app.login("pat").await;
    assert_eq!(
        app.post("/api/auth/logout-everywhere", json!({}), Some(&second))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/auth/check-session", Some(&first))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/auth/check-session", Some(&second))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn role_change_ends_the_users_sessions(backend: Backend) {
    let app = TestApp::new(backend).await;
    let patient = app.register_patient("pat").await;
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    let session = app.login("pat").await;
    let changed = app
        .post(
            &format!("/api/admin/users/{}/role", patient.as_str()),
            json!({ "role": "clinician" }),
            Some(&admin),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(
        app.get("/api/auth/check-session", Some(&session))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn only_an_admin_registers_staff(backend: Backend) {
    let app = TestApp::new(backend).await;
    let body = json!({ "username": "selfmade", "email": "s@example.test", "password": PASSWORD, "role": "admin" });
    assert_eq!(
        app.post("/api/auth/register", body.clone(), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    assert_eq!(
        app.post("/api/auth/register", body, Some(&admin))
            .await
            .status,
        StatusCode::CREATED
    );
}

async fn registration_explains_what_is_wrong(backend: Backend) {
    let app = TestApp::new(backend).await;
    let weak = app
        .post(
            "/api/auth/register",
            json!({ "username": "pat", "email": "p@example.test", "password": "short" }),
            None,
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        weak.json["error"],
        "password has 5 characters, below the minimum of 12"
    );
    let email = app
        .post(
            "/api/auth/register",
            json!({ "username": "pat", "email": "nope", "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(email.json["error"], "email is not a valid address");
    app.register_patient("pat").await;
    let taken = app
        .post(
            "/api/auth/register",
            json!({ "username": "pat", "email": "x@example.test", "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
}

async fn password_reset_emails_a_single_use_token(backend: Backend) {
    let (sink, port) = start_smtp();
    let mailer = healing_server::mailer::Mailer::from_settings(
        Some(&format!("smtp://127.0.0.1:{port}")),
        "Healing <no-reply@test>",
    )
    .unwrap();
    let app = TestApp::with_mailer(backend, mailer).await;
    app.register_patient("pat").await;
    let old_session = app.login("pat").await;
    let known = app
        .post(
            "/api/security/password-reset",
            json!({ "email": "pat@example.test" }),
            None,
        )
        .await;
    let unknown = app
        .post(
            "/api/security/password-reset",
            json!({ "email": "nobody@example.test" }),
            None,
        )
        .await;
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(
        (known.status, &known.json),
        (unknown.status, &unknown.json),
        "no user enumeration"
    );
    let mut message = None;
    for _ in 0..100 {
        if let Some(found) = sink.received.lock().unwrap().first().cloned() {
            message = Some(found);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let message = message.expect("reset email delivered over SMTP");
    assert_eq!(
        sink.received.lock().unwrap().len(),
        1,
        "no email for the unknown address"
    );
    // Undo quoted-printable soft breaks and the escaped '='.
    let unfolded = message
        .replace("=\r\n", "")
        .replace("\r\n", "\n")
        .replace("=3D", "=");
    let token = unfolded
        .split("#token=")
        .nth(1)
        .expect("token link")
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let new_password = "new quiet harbour lamp";
    let confirm = app
        .post(
            "/api/security/password-reset/confirm",
            json!({ "token": token, "new_password": new_password }),
            None,
        )
        .await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.text);
    let again = app
        .post(
            "/api/security/password-reset/confirm",
            json!({ "token": token, "new_password": new_password }),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "single use");
    assert_eq!(
        app.get("/api/auth/check-session", Some(&old_session))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let login = app
        .post(
            "/api/auth/login",
            json!({ "username": "pat", "password": new_password }),
            None,
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
}

/// Issue 21 item 5: failures count per account, whichever identifier is typed:
/// five wrong passwords as the username also lock sign-in by email.
async fn lockout_counts_per_account_not_per_typed_identifier(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    for _ in 0..5 {
        app.post(
            "/api/auth/login",
            json!({ "username": "pat", "password": "wrong password here" }),
            None,
        )
        .await;
    }
    let by_email = app
        .post(
            "/api/auth/login",
            json!({ "username": "pat@example.test", "password": crate::support::PASSWORD }),
            None,
        )
        .await;
    assert_eq!(
        by_email.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        by_email.text
    );
}

/// Issue 21 item 6: password-reset confirm applies the same policy as register
/// and change-password (no username in the password), before spending the token.
async fn password_reset_refuses_a_password_with_the_username(backend: Backend) {
    let app = TestApp::new(backend).await;
    let user = app.register_patient("annabel").await;
    let token = "reset-token-for-annabel-0123456789";
    let now = app.state.now();
    app.state
        .store()
        .create_password_reset_token(
            &healing_store::TokenHash::of_secret(token.as_bytes()),
            &user,
            now,
            now.checked_add_seconds(3600).unwrap(),
        )
        .await
        .unwrap();
    let weak = app
        .post(
            "/api/security/password-reset/confirm",
            json!({ "token": token, "new_password": "my name is annabel!" }),
            None,
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST, "{}", weak.text);
    assert!(weak.text.contains("username"), "{}", weak.text);
    let good = app
        .post(
            "/api/security/password-reset/confirm",
            json!({ "token": token, "new_password": "new quiet harbour lamp" }),
            None,
        )
        .await;
    assert_eq!(
        good.status,
        StatusCode::OK,
        "the token was not spent: {}",
        good.text
    );
}

/// A reset for a known and an unknown email answers alike, does the same store
/// work (each appends its audit entry) and never waits for SMTP: here the SMTP
/// server accepts connections and never says a word. See: issue 21, finding 7.
async fn password_reset_does_the_same_work_for_any_email_and_never_waits_for_smtp(
    backend: Backend,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let silent_smtp = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((connection, _)) = listener.accept().await {
            held.push(connection);
        }
    });
    let app = TestApp::with_mailer(backend, crate::support::smtp_mailer(port)).await;
    let pat = app.register_patient("pat").await;
    let mut answers = Vec::new();
    for email in ["pat@example.test", "nobody@example.test"] {
        let started = std::time::Instant::now();
        let response = app
            .post(
                "/api/security/password-reset",
                json!({ "email": email }),
                None,
            )
            .await;
        // lettre waits a minute for a silent server; the answer must not.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{email}: the answer waited for SMTP ({:?})",
            started.elapsed()
        );
        answers.push(response);
    }
    let (known, unknown) = (&answers[0], &answers[1]);
    assert_eq!(known.status, StatusCode::ACCEPTED, "{}", known.text);
    assert_eq!((known.status, &known.json), (unknown.status, &unknown.json));
    let requested: Vec<_> = app
        .state
        .store()
        .audit_entries(healing_store::AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.action.as_str() == "password_reset_requested")
        .map(|entry| entry.actor_id)
        .collect();
    assert_eq!(requested, vec![Some(pat), None]);
    silent_smtp.abort();
}

crate::both_backends!(
    password_reset_does_the_same_work_for_any_email_and_never_waits_for_smtp,
    lockout_counts_per_account_not_per_typed_identifier,
    password_reset_refuses_a_password_with_the_username,
    csrf_token_is_required_on_state_changing_requests,
    login_from_another_origin_is_refused,
    cross_site_requests_are_refused_beside_the_csrf_token,
    the_host_a_request_came_to_is_a_same_origin,
    session_fixation_is_impossible,
    second_factor_issues_a_new_session_id,
    a_totp_code_is_accepted_once_even_across_two_server_instances,
    recovery_code_works_once,
    repeated_failures_lock_the_account_with_retry_after,
    unknown_and_known_accounts_fail_alike,
    legacy_hashes_are_upgraded_to_argon2id_at_login,
    sessions_expire_after_two_idle_hours,
    sessions_expire_twelve_hours_after_login_however_active,
    logout_everywhere_ends_every_session,
    role_change_ends_the_users_sessions,
    only_an_admin_registers_staff,
    registration_explains_what_is_wrong,
    password_reset_emails_a_single_use_token,
);
