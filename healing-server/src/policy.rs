//! The one access-policy layer. Every route is registered through
//! [`PolicyRouter::route`] with a [`Policy`]; the router wraps the handler in
//! [`enforce`], which resolves the caller from the session cookie (identity
//! never comes from the request body) and decides before the handler runs.
//! Handlers receive the decision as [`Caller`] and [`PatientAccess`]
//! extractors, which exist only when `enforce` put them there, so a handler
//! cannot skip the check. [`PolicyRouter::table`] lists every route with its
//! policy; the access-matrix test fails when a route has no expected row.
//! Every 403 it answers is audited as `access_denied` (who, route template, why).

use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::Method;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use healing_core::ids::PersonId;
use healing_store::prelude::*;
use healing_store::{Role, SessionStage, TokenHash};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::SecurityRequirement;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use crate::error::ApiError;
use crate::state::AppState;

/// Header an admin sends to read a patient's clinical data, stating why.
/// The reason is written to the audit log (break-glass).
pub const BREAK_GLASS_HEADER: &str = "x-break-glass-reason";
/// Shortest break-glass reason accepted, so "x" is not a reason.
pub const BREAK_GLASS_MIN_CHARS: usize = 15;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Anyone; a session is resolved if present but not required.
    Public,
    /// A session in any stage, including one awaiting its second factor (logout).
    AnySession,
    /// A session that passed the password but not yet the second factor.
    AwaitingSecondFactor,
    /// A fully signed-in user of any role.
    SignedIn,
    /// A signed-in user, including a clinician or admin who must still enrol
    /// two-factor (which is required for them): enrolment and check-session.
    EnrolSecondFactor,
    /// A signed-in admin.
    Admin,
    /// A signed-in clinician.
    Clinician,
    /// A signed-in patient acting on their own record: the route's
    /// `{patient_id}` must be the caller.
    PatientSelf,
    /// Reading a patient's record: the patient themself, a clinician with an
    /// accepted link to them while the patient's `clinician_sharing` consent is
    /// in force, or an admin stating a break-glass reason.
    PatientSelfOrLinkedClinician,
    /// The clinician's workspace on one patient (the summary, courses, sessions,
    /// clinical notes, discharge, the FHIR download): a clinician with an accepted
    /// link while the patient's `clinician_sharing` consent is in force; an admin
    /// only to read, stating a break-glass reason; never the patient themself (the
    /// workspace holds what the patient's own screens do not show, such as alerts
    /// and how they were resolved, and clinical notes).
    LinkedClinician,
    /// A signed-in clinician or admin (the alert list, scoped by role in the handler).
    Staff,
    /// Acting on the alert named by the route's `{alert_id}`: a clinician with an
    /// accepted link to its patient, or an admin (the duty contact's role).
    AlertResponder,
    /// A signed-in patient or clinician: the people who have conversations with
    /// each other (their own inbox; who they may write to is the store's rule,
    /// `healing_store::check_members`). Not an admin, who takes no part.
    PatientOrClinician,
    /// Acting on the conversation named by the route's `{thread_id}`: one of its two
    /// members while they may see its patient's record (the patient themself, or a
    /// clinician with an accepted link while the patient's `clinician_sharing`
    /// consent is in force, as [`Policy::PatientSelfOrLinkedClinician`]), or, to
    /// read, an admin stating a break-glass reason.
    ThreadMember,
    /// Acting on the notification named by the route's `{notification_id}`: the
    /// person it is for, whatever their role; nobody else.
    NotificationRecipient,
    /// A signed-in patient with an accepted link to the route's `{clinician_id}`
    /// while the patient's `clinician_sharing` consent is in force: who may see that
    /// clinician's open slots and book one.
    PatientOfClinician,
    /// Acting on the appointment named by the route's `{appointment_id}`: its
    /// patient, or its clinician while they may see the patient's record (an
    /// accepted link while the patient's `clinician_sharing` consent is in force).
    AppointmentParty,
    /// Acting on the appointment named by the route's `{appointment_id}` as its
    /// clinician (attendance, the video-call link), while they may see the
    /// patient's record.
    AppointmentClinician,
    /// Acting on the community post or comment named by the route's `{post_id}`: a
    /// signed-in user who may see it (`healing_store::visible_to`: its author; a
    /// clinician or admin, who moderate; anyone else while it is published and they
    /// have not blocked or muted its author). Writing to it (comment, react,
    /// report) is for patients and clinicians only, as everywhere in the community.
    CommunityItem,
}

impl Policy {
    /// The policy's name, as the route table and the audit log show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::AnySession => "any_session",
            Self::AwaitingSecondFactor => "awaiting_second_factor",
            Self::SignedIn => "signed_in",
            Self::EnrolSecondFactor => "enrol_second_factor",
            Self::Admin => "admin",
            Self::Clinician => "clinician",
            Self::PatientSelf => "patient_self",
            Self::PatientSelfOrLinkedClinician => "patient_self_or_linked_clinician",
            Self::LinkedClinician => "linked_clinician",
            Self::Staff => "staff",
            Self::AlertResponder => "alert_responder",
            Self::PatientOrClinician => "patient_or_clinician",
            Self::ThreadMember => "thread_member",
            Self::NotificationRecipient => "notification_recipient",
            Self::PatientOfClinician => "patient_of_clinician",
            Self::AppointmentParty => "appointment_party",
            Self::AppointmentClinician => "appointment_clinician",
            Self::CommunityItem => "community_item",
        }
    }

    /// Whether the route needs a session cookie at all.
    pub fn needs_session(self) -> bool {
        !matches!(self, Self::Public)
    }
}

/// One registered route.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RouteInfo {
    /// HTTP method.
    pub method: String,
    /// Path template as registered, e.g. `/api/patients/{patient_id}/moods`.
    pub path: String,
    /// Its policy.
    pub policy: Policy,
}

/// The caller, resolved from the session by [`enforce`].
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user_id: PersonId,
    /// Their role.
    pub role: Role,
    /// Session stage.
    pub stage: SessionStage,
    /// SHA-256 of the session token (to end or rotate this session).
    pub session_hash: TokenHash,
    /// A clinician or admin who has not yet enrolled TOTP: only
    /// [`Policy::EnrolSecondFactor`] routes are open to them.
    pub second_factor_outstanding: bool,
}

/// How the caller reaches the patient named in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessBasis {
    /// The caller is the patient.
    Own,
    /// The caller is a clinician with an accepted link, and the patient's
    /// `clinician_sharing` consent is in force.
    LinkedClinician,
    /// An admin stated a break-glass reason (audited).
    BreakGlass,
}

/// The patient a patient-scoped route acts on, after the policy allowed it.
#[derive(Debug, Clone)]
pub struct PatientAccess {
    /// The patient.
    pub patient_id: PersonId,
    /// Why the caller may.
    pub basis: AccessBasis,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Self>()
            .cloned()
            .ok_or_else(ApiError::unauthenticated)
    }
}

/// Implements `FromRequestParts` for a value the policy layer put in the
/// request's extensions: a handler taking it runs only after its policy allowed
/// the request (and is refused, never run, if the route forgot its policy).
macro_rules! from_policy_extension {
    ($access:ty) => {
        impl<S: Send + Sync> FromRequestParts<S> for $access {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut Parts,
                _state: &S,
            ) -> Result<Self, Self::Rejection> {
                parts
                    .extensions
                    .get::<Self>()
                    .cloned()
                    .ok_or_else(ApiError::forbidden)
            }
        }
    };
}

/// The alert an alert route acts on, after the policy allowed it.
#[derive(Debug, Clone)]
pub struct AlertAccess {
    /// The alert.
    pub alert_id: String,
    /// Its patient.
    pub patient_id: PersonId,
}

from_policy_extension!(AlertAccess);

/// The conversation a thread route acts on, after the policy allowed it.
#[derive(Debug, Clone)]
pub struct ThreadAccess {
    /// The conversation with its members, as read by the policy.
    pub thread: healing_store::MessageThread,
    /// Why the caller may: [`AccessBasis::Own`] or [`AccessBasis::LinkedClinician`]
    /// for a member, [`AccessBasis::BreakGlass`] for an admin's read.
    pub basis: AccessBasis,
}

from_policy_extension!(ThreadAccess);

/// The notification a notification route acts on, after the policy found it is
/// the caller's.
#[derive(Debug, Clone)]
pub struct NotificationAccess {
    /// The notification.
    pub notification_id: String,
}

from_policy_extension!(NotificationAccess);

/// The community post or comment a post route acts on, after the policy allowed it.
#[derive(Debug, Clone)]
pub struct CommunityItemAccess {
    /// The item, as read by the policy.
    pub post: healing_store::CommunityPost,
    /// Whether the caller reads as a moderator (a clinician or admin).
    pub moderator: bool,
}

from_policy_extension!(CommunityItemAccess);

from_policy_extension!(PatientAccess);

/// The appointment an appointment route acts on, after the policy allowed it.
#[derive(Debug, Clone)]
pub struct AppointmentAccess {
    /// The appointment, as read by the policy.
    pub appointment: healing_store::Appointment,
}

from_policy_extension!(AppointmentAccess);

/// An optional caller, for public routes that behave differently when signed in.
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeCaller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<Caller>().cloned()))
    }
}

/// Builds the API router; the only way to add a route is with a policy.
pub struct PolicyRouter {
    inner: OpenApiRouter<AppState>,
    table: Vec<RouteInfo>,
}

impl Default for PolicyRouter {
    fn default() -> Self {
        Self::new()
    }
}

impl PolicyRouter {
    /// An empty router.
    pub fn new() -> Self {
        Self {
            inner: OpenApiRouter::new(),
            table: Vec::new(),
        }
    }

    /// Adds the handlers of one `utoipa_axum::routes!(…)` under `policy`.
    /// The path and method come from the handler's `#[utoipa::path]`, so the
    /// OpenAPI document, the policy table and the router cannot disagree.
    pub fn route(mut self, policy: Policy, routes: UtoipaMethodRouter<AppState>) -> Self {
        let (schemas, mut paths, method_router) = routes;
        for (path, item) in &mut paths.paths {
            let operations = [
                ("GET", &mut item.get),
                ("POST", &mut item.post),
                ("PUT", &mut item.put),
                ("PATCH", &mut item.patch),
                ("DELETE", &mut item.delete),
            ];
            for (method, operation) in operations {
                if let Some(operation) = operation {
                    document_policy(operation, policy, method);
                    self.table.push(RouteInfo {
                        method: method.to_owned(),
                        path: path.clone(),
                        policy,
                    });
                }
            }
        }
        // `route_layer`, not `layer`: a method the route does not serve gets
        // axum's 405 with `Allow`, not the policy's answer.
        let method_router = method_router.route_layer(axum::middleware::from_fn(
            move |request: Request, next: Next| enforce(policy, request, next),
        ));
        self.inner = self.inner.routes((schemas, paths, method_router));
        self
    }

    /// Every route registered so far with its policy.
    pub fn table(&self) -> &[RouteInfo] {
        &self.table
    }

    /// The axum router and OpenAPI document.
    pub fn into_parts(
        self,
    ) -> (
        axum::Router<AppState>,
        utoipa::openapi::OpenApi,
        Vec<RouteInfo>,
    ) {
        let (router, api) = self.inner.split_for_parts();
        (router, api, self.table)
    }
}

/// Adds the policy's security requirement, CSRF header and error responses to
/// the operation's OpenAPI description.
fn document_policy(operation: &mut Operation, policy: Policy, method: &str) {
    let note = match policy {
        Policy::Public => "Access: public.",
        Policy::AnySession => "Access: any session (also one awaiting its second factor).",
        Policy::AwaitingSecondFactor => "Access: a session awaiting its second factor.",
        Policy::SignedIn => "Access: any signed-in user.",
        Policy::EnrolSecondFactor => {
            "Access: any signed-in user, also before required two-factor enrolment."
        }
        Policy::Admin => "Access: admins.",
        Policy::Clinician => "Access: clinicians.",
        Policy::PatientSelf => "Access: the patient named in the path, themself.",
        Policy::PatientSelfOrLinkedClinician => {
            "Access: the patient themself, a clinician with an accepted link while the patient's clinician_sharing consent is in force, or an admin sending X-Break-Glass-Reason (audited)."
        }
        Policy::LinkedClinician => {
            "Access: a clinician with an accepted link while the patient's clinician_sharing consent is in force, or, to read, an admin sending X-Break-Glass-Reason (audited); not the patient."
        }
        Policy::Staff => "Access: clinicians and admins.",
        Policy::AlertResponder => {
            "Access: a clinician with an accepted link to the alert's patient, or an admin."
        }
        Policy::PatientOrClinician => "Access: patients and clinicians (not admins).",
        Policy::ThreadMember => {
            "Access: a member of the conversation while they may see its patient's record (the patient themself, or a clinician with an accepted link while the patient's clinician_sharing consent is in force), or, to read, an admin sending X-Break-Glass-Reason (audited)."
        }
        Policy::NotificationRecipient => "Access: the person the notification is for.",
        Policy::PatientOfClinician => {
            "Access: a patient with an accepted link to the clinician while their clinician_sharing consent is in force."
        }
        Policy::AppointmentParty => {
            "Access: the appointment's patient, or its clinician while they have an accepted link and the patient's clinician_sharing consent is in force."
        }
        Policy::AppointmentClinician => {
            "Access: the appointment's clinician, while they have an accepted link and the patient's clinician_sharing consent is in force."
        }
        Policy::CommunityItem => {
            "Access: someone who may see the post (its author; clinicians and admins, who moderate; any other signed-in user while it is published, unless they blocked or muted its author). Writing to it: patients and clinicians only."
        }
    };
    let description = operation.description.take().unwrap_or_default();
    operation.description = Some(if description.is_empty() {
        note.to_owned()
    } else {
        format!("{description}\n\n{note}")
    });
    if policy.needs_session() {
        let mut requirement = SecurityRequirement::new("session_cookie", Vec::<String>::new());
        if method != "GET" && crate::auth::csrf::requires_token(method) {
            requirement = requirement.add("csrf_header", Vec::<String>::new());
        }
        operation.security = Some(vec![requirement]);
    } else {
        operation.security = Some(vec![SecurityRequirement::default()]);
    }
    let mut errors: Vec<(&str, &str)> = vec![
        ("400", "Malformed request"),
        ("500", "Internal error (generic body)"),
        ("503", "Database unavailable"),
    ];
    let changes_state = crate::auth::csrf::requires_token(method);
    if policy.needs_session() {
        errors.push(("401", "No valid session"));
        errors.push((
            "403",
            if changes_state {
                "Not allowed, two-factor enrolment outstanding, missing/wrong X-CSRF-Token, or a cross-site request"
            } else {
                "Not allowed, or two-factor enrolment outstanding"
            },
        ));
    } else if changes_state {
        errors.push(("403", "Cross-site request refused"));
    }
    match policy {
        Policy::AwaitingSecondFactor => {
            errors.push(("409", "This session has already completed sign-in"));
        }
        Policy::AlertResponder => errors.push(("404", "No such alert")),
        Policy::ThreadMember => errors.push(("404", "No such conversation")),
        Policy::NotificationRecipient => errors.push(("404", "No such notification")),
        Policy::AppointmentParty | Policy::AppointmentClinician => {
            errors.push(("404", "No such appointment"));
        }
        Policy::CommunityItem => errors.push(("404", "No such post")),
        _ => {}
    }
    for (status, description) in errors {
        crate::openapi::add_error(operation, status, description);
    }
}

/// The policy middleware wrapped around every route's handler.
pub async fn enforce(policy: Policy, mut request: Request, next: Next) -> Response {
    let Some(state) = request.extensions().get::<AppState>().cloned() else {
        return ApiError::internal("application state missing from request").into_response();
    };
    if let Err(error) = authorize(&state, policy, &mut request).await {
        if error.status() == axum::http::StatusCode::FORBIDDEN {
            let actor = request
                .extensions()
                .get::<Caller>()
                .map(|caller| caller.user_id.clone());
            let method = request.method().as_str().to_owned();
            let route = crate::audit::route_template(&request);
            let reason = format!("{} under policy {}", error.code(), policy.as_str());
            crate::audit::record_denial(&state, actor.as_ref(), &method, &route, &reason).await;
        }
        return error.into_response();
    }
    let Some(access) = request.extensions().get::<PatientAccess>().cloned() else {
        return next.run(request).await;
    };
    // Patient-data routes: audit who read or changed whose data, after the
    // handler succeeded; if the audit write fails the answer is withheld.
    let actor = request
        .extensions()
        .get::<Caller>()
        .map(|caller| caller.user_id.clone());
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_default();
    let action = if request.method() == Method::GET {
        "patient_data_read"
    } else {
        "patient_data_changed"
    };
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    if !response.status().is_success() {
        return response;
    }
    let detail = serde_json::json!({ "method": method, "route": route, "basis": access.basis });
    match crate::audit::record(
        &state,
        actor.as_ref(),
        action,
        Some(&access.patient_id),
        detail,
    )
    .await
    {
        Ok(()) => response,
        Err(error) => error.into_response(),
    }
}

async fn authorize(
    state: &AppState,
    policy: Policy,
    request: &mut Request,
) -> Result<(), ApiError> {
    let caller = crate::auth::resolve_caller(state, request.headers()).await?;
    if let Some(caller) = &caller {
        request.extensions_mut().insert(caller.clone());
    }
    let enrolling = caller
        .as_ref()
        .filter(|caller| caller.stage == SessionStage::Authenticated);
    let signed_in = enrolling.filter(|caller| !caller.second_factor_outstanding);
    if enrolling.is_some()
        && signed_in.is_none()
        && !matches!(
            policy,
            Policy::Public | Policy::AnySession | Policy::EnrolSecondFactor
        )
    {
        return Err(ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "TWO_FACTOR_REQUIRED",
            "clinicians and admins must set up two-factor sign-in first",
        ));
    }
    match policy {
        Policy::Public => Ok(()),
        Policy::AnySession => caller.map(|_| ()).ok_or_else(ApiError::unauthenticated),
        Policy::AwaitingSecondFactor => match caller {
            Some(caller) if caller.stage == SessionStage::AwaitingSecondFactor => Ok(()),
            Some(_) => Err(ApiError::conflict(
                "this session has already completed sign-in",
            )),
            None => Err(ApiError::unauthenticated()),
        },
        Policy::SignedIn => signed_in.map(|_| ()).ok_or_else(ApiError::unauthenticated),
        Policy::EnrolSecondFactor => enrolling.map(|_| ()).ok_or_else(ApiError::unauthenticated),
        Policy::Admin => require_role(signed_in, Role::Admin),
        Policy::Clinician => require_role(signed_in, Role::Clinician),
        Policy::Staff => match signed_in {
            Some(caller) if matches!(caller.role, Role::Clinician | Role::Admin) => Ok(()),
            Some(_) => Err(ApiError::forbidden()),
            None => Err(ApiError::unauthenticated()),
        },
        Policy::AlertResponder => {
            let caller = signed_in.ok_or_else(ApiError::unauthenticated)?;
            if !matches!(caller.role, Role::Clinician | Role::Admin) {
                return Err(ApiError::forbidden());
            }
            let alert_id = path_param(request, "alert_id").await?;
            let alert = state
                .store()
                .alert(&alert_id)
                .await
                .map_err(crate::state::store_error)?;
            if caller.role == Role::Clinician
                && !state
                    .store()
                    .has_accepted_link(&caller.user_id, &alert.patient_id)
                    .await
                    .map_err(crate::state::store_error)?
            {
                return Err(ApiError::forbidden());
            }
            request.extensions_mut().insert(AlertAccess {
                alert_id,
                patient_id: alert.patient_id,
            });
            Ok(())
        }
        Policy::PatientOrClinician => match signed_in {
            Some(caller) if matches!(caller.role, Role::Patient | Role::Clinician) => Ok(()),
            Some(_) => Err(ApiError::forbidden()),
            None => Err(ApiError::unauthenticated()),
        },
        Policy::ThreadMember => {
            let caller = signed_in.ok_or_else(ApiError::unauthenticated)?;
            let thread_id = path_param(request, "thread_id").await?;
            let thread = state
                .store()
                .message_thread(&thread_id)
                .await
                .map_err(crate::state::store_error)?;
            // Members only (an admin may read with break-glass); then the same
            // decision as any read of the patient's record, so a clinician whose link
            // ended or whose patient withdrew sharing is refused.
            if thread.member(&caller.user_id).is_none() && caller.role != Role::Admin {
                return Err(ApiError::forbidden());
            }
            let is_read = request.method() == Method::GET;
            let basis = decide_patient_access(
                state,
                Policy::PatientSelfOrLinkedClinician,
                caller,
                &thread.patient_id,
                is_read,
                break_glass_reason(request),
            )
            .await?;
            request.extensions_mut().insert(PatientAccess {
                patient_id: thread.patient_id.clone(),
                basis,
            });
            request
                .extensions_mut()
                .insert(ThreadAccess { thread, basis });
            Ok(())
        }
        Policy::NotificationRecipient => {
            let caller = signed_in.ok_or_else(ApiError::unauthenticated)?;
            let notification_id = path_param(request, "notification_id").await?;
            let notification = state
                .store()
                .notification(&notification_id)
                .await
                .map_err(crate::state::store_error)?;
            if notification.user_id != caller.user_id {
                return Err(ApiError::forbidden());
            }
            request
                .extensions_mut()
                .insert(NotificationAccess { notification_id });
            Ok(())
        }
        Policy::PatientOfClinician => {
            let caller = signed_in.ok_or_else(ApiError::unauthenticated)?;
            if caller.role != Role::Patient {
                return Err(ApiError::forbidden());
            }
            let raw = path_param(request, "clinician_id").await?;
            let clinician_id = PersonId::new(raw)
                .map_err(|_| ApiError::validation("clinician_id is not a valid id"))?;
            // The same decision as a clinician's read of this patient's record,
            // seen from the patient's side.
            let linked = state
                .store()
                .has_accepted_link(&clinician_id, &caller.user_id)
                .await
                .map_err(crate::state::store_error)?;
            if linked && sharing_in_force(state, &caller.user_id).await? {
                Ok(())
            } else {
                Err(ApiError::forbidden())
            }
        }
        Policy::AppointmentParty | Policy::AppointmentClinician => {
            let caller = signed_in.ok_or_else(ApiError::unauthenticated)?;
            let appointment_id = path_param(request, "appointment_id").await?;
            let appointment = state
                .store()
                .appointment(&appointment_id)
                .await
                .map_err(crate::state::store_error)?;
            let allowed = if policy == Policy::AppointmentClinician {
                caller.user_id == appointment.clinician_id
            } else {
                caller.user_id == appointment.patient_id
                    || caller.user_id == appointment.clinician_id
            };
            if !allowed {
                return Err(ApiError::forbidden());
            }
            // Then the same decision as any read of the patient's record, so a
            // clinician whose link ended or whose patient withdrew sharing is refused.
            let basis = decide_patient_access(
                state,
                Policy::PatientSelfOrLinkedClinician,
                caller,
                &appointment.patient_id,
                request.method() == Method::GET,
                None,
            )
            .await?;
            request.extensions_mut().insert(PatientAccess {
                patient_id: appointment.patient_id.clone(),
                basis,
            });
            request
                .extensions_mut()
                .insert(AppointmentAccess { appointment });
            Ok(())
        }
        Policy::CommunityItem => {
            let caller = signed_in.ok_or_else(ApiError::unauthenticated)?;
            let post_id = path_param(request, "post_id").await?;
            let post = state
                .store()
                .community_post(&post_id)
                .await
                .map_err(crate::state::store_error)?;
            let moderator = matches!(caller.role, Role::Clinician | Role::Admin);
            let relation = state
                .store()
                .community_relation(&caller.user_id, &post.author_id)
                .await
                .map_err(crate::state::store_error)?;
            let may_see = healing_store::visible_to(
                post.status,
                &post.author_id,
                &caller.user_id,
                relation,
                moderator,
            );
            let may_write =
                request.method() == Method::GET || healing_store::may_take_part(caller.role);
            if !(may_see && may_write) {
                return Err(ApiError::forbidden());
            }
            request
                .extensions_mut()
                .insert(CommunityItemAccess { post, moderator });
            Ok(())
        }
        Policy::PatientSelf | Policy::PatientSelfOrLinkedClinician | Policy::LinkedClinician => {
            let caller = signed_in.ok_or_else(ApiError::unauthenticated)?;
            let patient_id = patient_id_from_path(request).await?;
            let is_read = request.method() == Method::GET;
            let break_glass_reason = break_glass_reason(request);
            let basis = decide_patient_access(
                state,
                policy,
                caller,
                &patient_id,
                is_read,
                break_glass_reason,
            )
            .await?;
            request
                .extensions_mut()
                .insert(PatientAccess { patient_id, basis });
            Ok(())
        }
    }
}

/// The break-glass reason the request states, trimmed, if any.
fn break_glass_reason(request: &Request) -> Option<String> {
    request
        .headers()
        .get(BREAK_GLASS_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.trim().to_owned())
}

fn require_role(caller: Option<&Caller>, role: Role) -> Result<(), ApiError> {
    match caller {
        Some(caller) if caller.role == role => Ok(()),
        Some(_) => Err(ApiError::forbidden()),
        None => Err(ApiError::unauthenticated()),
    }
}

async fn patient_id_from_path(request: &mut Request) -> Result<PersonId, ApiError> {
    let raw = path_param(request, "patient_id").await?;
    PersonId::new(raw).map_err(|_| ApiError::validation("patient_id is not a valid id"))
}

async fn path_param(request: &mut Request, name: &str) -> Result<String, ApiError> {
    use axum::RequestExt as _;
    let params = request
        .extract_parts::<RawPathParams>()
        .await
        .map_err(|_| ApiError::internal("route without path parameters"))?;
    params
        .iter()
        .find(|(param, _)| *param == name)
        .map(|(_, value)| value.to_owned())
        .ok_or_else(|| ApiError::internal("route without its id parameter"))
}

async fn decide_patient_access(
    state: &AppState,
    policy: Policy,
    caller: &Caller,
    patient_id: &PersonId,
    is_read: bool,
    break_glass_reason: Option<String>,
) -> Result<AccessBasis, ApiError> {
    if caller.role == Role::Patient && &caller.user_id == patient_id {
        return if policy == Policy::LinkedClinician {
            Err(ApiError::forbidden())
        } else {
            Ok(AccessBasis::Own)
        };
    }
    if policy == Policy::PatientSelf {
        return Err(ApiError::forbidden());
    }
    match caller.role {
        Role::Patient => Err(ApiError::forbidden()),
        Role::Clinician => {
            let linked = state
                .store()
                .has_accepted_link(&caller.user_id, patient_id)
                .await
                .map_err(crate::state::store_error)?;
            if linked && sharing_in_force(state, patient_id).await? {
                Ok(AccessBasis::LinkedClinician)
            } else {
                Err(ApiError::forbidden())
            }
        }
        Role::Admin => {
            // Break-glass is for reading only.
            if !is_read {
                return Err(ApiError::forbidden());
            }
            let reason = break_glass_reason.unwrap_or_default();
            if reason.chars().count() < BREAK_GLASS_MIN_CHARS {
                return Err(ApiError::forbidden());
            }
            crate::audit::record(
                state,
                Some(&caller.user_id),
                "break_glass",
                Some(patient_id),
                // The reason is the admin's own justification, kept so reviewers can judge it.
                serde_json::json!({ "reason": reason.chars().take(300).collect::<String>(), "method": "GET" }),
            )
            .await?;
            Ok(AccessBasis::BreakGlass)
        }
    }
}

/// Whether the patient's `clinician_sharing` consent is in force now
/// ([`healing_store::sharing_in_force`], the rule the caseload applies too). Read
/// from the store on every request (no cache), so a withdrawal takes effect at once
/// for every server process.
async fn sharing_in_force(state: &AppState, patient_id: &PersonId) -> Result<bool, ApiError> {
    let events = state
        .store()
        .consent_events(patient_id)
        .await
        .map_err(crate::state::store_error)?;
    healing_store::sharing_in_force(patient_id, events, state.now())
        .map_err(crate::state::store_error)
}
