//! How a course of care ended, as the clinician records it when closing it.

use serde::{Deserialize, Serialize};

/// Why a course of care ended, recorded when it is closed.
///
/// The ending does not change the outcome: NHS Talking Therapies counts a course as
/// finished treatment from its attended treatment contacts alone ("a referral that has
/// finished a course of treatment is one that has ended having had at least two
/// attended treatment" appointments, [Fingertips glossary]), so a patient who dropped out
/// after three treatment sessions has finished treatment and their paired scores count.
/// Services report endings separately, which is why the course keeps one.
///
/// unconfirmed: the NHS Talking Therapies data set codes endings in more detail (its
/// `ENDCODE` list: mutually agreed completion, termination earlier than planned by the
/// patient or by the professional, referred on, declined, not suitable, deceased, …);
/// these groups are a reading of that list, not its codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseEnding {
    /// Treatment completed as the patient and clinician agreed.
    FinishedTreatment,
    /// The patient stopped attending, or ended treatment earlier than planned.
    DroppedOut,
    /// The service ended treatment earlier than planned.
    EndedByService,
    /// Referred on to another service.
    ReferredOn,
    /// Offered treatment, which the patient declined.
    DeclinedTreatment,
    /// Any other ending.
    Other,
}

crate::wire_name::wire_names!(CourseEnding {
    FinishedTreatment => "finished_treatment",
    DroppedOut => "dropped_out",
    EndedByService => "ended_by_service",
    ReferredOn => "referred_on",
    DeclinedTreatment => "declined_treatment",
    Other => "other",
});
