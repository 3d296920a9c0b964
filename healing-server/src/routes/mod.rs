//! HTTP routes, grouped by purpose. [`api_router`] registers every route
//! with its policy through [`PolicyRouter`]; [`crate::app`] adds the
//! cross-cutting layers.

pub mod admin;
pub mod alerts;
pub mod appointments;
pub mod assessments;
pub mod auth;
pub mod caseload;
pub mod chat;
pub mod community;
pub mod consent;
pub mod courses;
pub mod crisis;
pub mod ehr_record;
pub mod health;
pub mod journal;
pub mod links;
pub mod messages;
pub mod moderation;
pub mod moods;
pub mod notes;
pub mod notifications;
pub mod outcomes;
pub mod patient_summary;
pub mod pet;
pub mod plugins;
pub mod preferences;
pub mod safety_plan;
pub mod security;
pub mod today;
pub mod tools;

use utoipa_axum::routes;

use crate::policy::{Policy, PolicyRouter};

/// Every API route with its policy.
pub fn api_router() -> PolicyRouter {
    PolicyRouter::new()
        // health and operations
        .route(Policy::Public, routes!(health::health))
        .route(Policy::Public, routes!(health::metrics))
        // crisis services, for anyone, signed in or not
        .route(Policy::Public, routes!(crisis::crisis_resources))
        // accounts and sessions
        .route(Policy::Public, routes!(auth::register))
        .route(Policy::Public, routes!(auth::login))
        .route(
            Policy::AwaitingSecondFactor,
            routes!(auth::verify_two_factor),
        )
        .route(Policy::AnySession, routes!(auth::logout))
        .route(Policy::SignedIn, routes!(auth::logout_everywhere))
        .route(Policy::EnrolSecondFactor, routes!(auth::check_session))
        .route(Policy::SignedIn, routes!(auth::change_password))
        .route(
            Policy::EnrolSecondFactor,
            routes!(auth::start_two_factor_setup),
        )
        .route(
            Policy::EnrolSecondFactor,
            routes!(auth::confirm_two_factor_setup),
        )
        // security and GDPR
        .route(Policy::Public, routes!(security::request_password_reset))
        .route(Policy::Public, routes!(security::confirm_password_reset))
        .route(Policy::SignedIn, routes!(security::export_data))
        .route(Policy::SignedIn, routes!(security::delete_account))
        .route(Policy::Admin, routes!(security::audit_log))
        .route(Policy::Admin, routes!(security::verify_audit_log))
        // administration
        .route(Policy::Admin, routes!(admin::list_users))
        .route(Policy::Admin, routes!(admin::change_role))
        .route(Policy::Admin, routes!(plugins::list_plugins))
        .route(Policy::Admin, routes!(plugins::enable_plugin))
        .route(Policy::Admin, routes!(admin::disable_user))
        .route(Policy::Admin, routes!(admin::enable_user))
        .route(Policy::Admin, routes!(admin::erase_user))
        // the caller's own notifications and preferences
        .route(Policy::SignedIn, routes!(notifications::list_notifications))
        .route(
            Policy::NotificationRecipient,
            routes!(notifications::mark_notification_read),
        )
        .route(
            Policy::SignedIn,
            routes!(notifications::mark_all_notifications_read),
        )
        .route(Policy::SignedIn, routes!(preferences::show_preferences))
        .route(Policy::SignedIn, routes!(preferences::save_preferences))
        // clinician–patient links
        .route(Policy::SignedIn, routes!(links::my_links))
        .route(Policy::Clinician, routes!(links::request_link))
        .route(Policy::PatientSelf, routes!(links::accept_link))
        .route(Policy::PatientSelf, routes!(links::decline_link))
        .route(Policy::PatientSelf, routes!(links::end_link))
        // patient data
        .route(
            Policy::PatientSelfOrLinkedClinician,
            routes!(moods::list_moods),
        )
        .route(Policy::PatientSelf, routes!(moods::add_mood))
        .route(Policy::SignedIn, routes!(assessments::list_instruments))
        .route(
            Policy::PatientSelfOrLinkedClinician,
            routes!(assessments::list_assessments),
        )
        .route(Policy::PatientSelf, routes!(assessments::submit_assessment))
        .route(
            Policy::PatientSelfOrLinkedClinician,
            routes!(consent::consent_state),
        )
        .route(Policy::PatientSelf, routes!(consent::record_consent))
        .route(Policy::Public, routes!(consent::consent_wordings))
        .route(Policy::PatientSelf, routes!(journal::list_journal))
        .route(Policy::PatientSelf, routes!(journal::add_journal_entry))
        // the AI companion chat: the patient only (see `chat`'s module docs)
        .route(Policy::PatientSelf, routes!(chat::chat_history))
        .route(Policy::PatientSelf, routes!(chat::send_chat))
        // the safety plan: the patient writes it, a linked clinician reads it and
        // proposes edits the patient accepts or declines
        .route(
            Policy::PatientSelfOrLinkedClinician,
            routes!(safety_plan::show_safety_plan),
        )
        .route(Policy::PatientSelf, routes!(safety_plan::save_safety_plan))
        .route(
            Policy::PatientSelfOrLinkedClinician,
            routes!(safety_plan::safety_plan_versions),
        )
        .route(
            Policy::PatientSelfOrLinkedClinician,
            routes!(safety_plan::list_proposals),
        )
        .route(
            Policy::LinkedClinician,
            routes!(safety_plan::propose_safety_plan),
        )
        .route(Policy::PatientSelf, routes!(safety_plan::accept_proposal))
        .route(Policy::PatientSelf, routes!(safety_plan::decline_proposal))
        // CBT tools: the catalogue, a patient's runs (a linked clinician reads them)
        .route(Policy::SignedIn, routes!(tools::list_tools))
        .route(Policy::PatientSelf, routes!(tools::run_tool))
        .route(
            Policy::PatientSelfOrLinkedClinician,
            routes!(tools::list_runs),
        )
        // messages between a patient and their care team
        .route(Policy::PatientOrClinician, routes!(messages::inbox))
        .route(
            Policy::PatientOrClinician,
            routes!(messages::start_conversation),
        )
        .route(Policy::ThreadMember, routes!(messages::show_thread))
        .route(Policy::ThreadMember, routes!(messages::post_message))
        .route(Policy::ThreadMember, routes!(messages::mark_read))
        .route(Policy::ThreadMember, routes!(messages::delete_thread))
        // appointments: a clinician's availability, a linked clinician's slots and
        // booking, the caller's own appointments, the calendar feed
        .route(Policy::Clinician, routes!(appointments::my_availability))
        .route(Policy::Clinician, routes!(appointments::set_availability))
        .route(
            Policy::PatientOfClinician,
            routes!(appointments::open_slots),
        )
        .route(Policy::PatientOfClinician, routes!(appointments::book))
        .route(
            Policy::PatientOrClinician,
            routes!(appointments::my_appointments),
        )
        .route(Policy::AppointmentParty, routes!(appointments::show))
        .route(Policy::AppointmentParty, routes!(appointments::cancel))
        .route(Policy::AppointmentParty, routes!(appointments::reschedule))
        .route(
            Policy::AppointmentClinician,
            routes!(appointments::record_attendance),
        )
        .route(
            Policy::AppointmentClinician,
            routes!(appointments::set_video_link),
        )
        .route(
            Policy::PatientOrClinician,
            routes!(appointments::create_calendar_feed),
        )
        .route(
            Policy::PatientOrClinician,
            routes!(appointments::revoke_calendar_feed),
        )
        .route(Policy::Public, routes!(appointments::calendar_feed))
        // the moderated community: admins set the channels; patients and
        // clinicians take part; clinicians and admins moderate
        .route(Policy::PatientOrClinician, routes!(community::my_profile))
        .route(
            Policy::PatientOrClinician,
            routes!(community::set_pseudonym),
        )
        .route(Policy::PatientOrClinician, routes!(community::set_relation))
        .route(Policy::SignedIn, routes!(community::list_channels))
        .route(Policy::Admin, routes!(community::create_channel))
        .route(Policy::Admin, routes!(community::change_channel))
        .route(Policy::SignedIn, routes!(community::channel_page))
        .route(Policy::PatientOrClinician, routes!(community::write_post))
        .route(Policy::CommunityItem, routes!(community::show_post))
        .route(Policy::CommunityItem, routes!(community::write_comment))
        .route(Policy::CommunityItem, routes!(community::react))
        .route(Policy::CommunityItem, routes!(community::report))
        .route(Policy::Staff, routes!(moderation::moderation_queue))
        .route(Policy::Staff, routes!(moderation::moderate))
        // today's tasks and the pet
        .route(Policy::PatientSelf, routes!(today::today))
        .route(Policy::PatientSelfOrLinkedClinician, routes!(pet::show_pet))
        .route(Policy::PatientSelf, routes!(pet::adopt_pet))
        .route(Policy::PatientSelf, routes!(pet::pet_event))
        // the clinician's workspace: courses of care, clinical notes, discharge
        .route(Policy::LinkedClinician, routes!(courses::open_course))
        .route(Policy::LinkedClinician, routes!(courses::list_courses))
        .route(Policy::LinkedClinician, routes!(courses::record_session))
        .route(Policy::LinkedClinician, routes!(courses::close_course))
        .route(Policy::LinkedClinician, routes!(courses::discharge))
        .route(Policy::LinkedClinician, routes!(notes::write_note))
        .route(Policy::LinkedClinician, routes!(notes::list_notes))
        .route(Policy::LinkedClinician, routes!(notes::note_history))
        .route(Policy::LinkedClinician, routes!(notes::amend_note))
        .route(
            Policy::LinkedClinician,
            routes!(ehr_record::patient_fhir_record),
        )
        // service outcomes
        .route(Policy::Clinician, routes!(outcomes::clinician_outcomes))
        .route(Policy::Admin, routes!(outcomes::service_outcomes))
        // the clinician's workspace
        .route(Policy::Clinician, routes!(caseload::caseload))
        .route(
            Policy::LinkedClinician,
            routes!(patient_summary::patient_summary),
        )
        // safety alerts
        .route(Policy::Staff, routes!(alerts::list_alerts))
        .route(Policy::AlertResponder, routes!(alerts::get_alert))
        .route(Policy::AlertResponder, routes!(alerts::acknowledge_alert))
        .route(Policy::AlertResponder, routes!(alerts::resolve_alert))
        // the web app (its files, and index.html for its screens' URLs)
        .route(Policy::Public, crate::web::root_route())
        .route(Policy::Public, crate::web::path_route())
}

/// Parses an id from a path or body.
pub fn person_id(
    text: &str,
    field: &str,
) -> Result<healing_core::ids::PersonId, crate::error::ApiError> {
    healing_core::ids::PersonId::new(text)
        .map_err(|_| crate::error::ApiError::validation(format!("{field} is not a valid id")))
}
