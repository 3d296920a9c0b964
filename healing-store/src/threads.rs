//! The rules of messages between patients and their care team, pure so they are
//! tested without a database.
//!
//! A conversation (a thread) has two members and is about one patient. Each member
//! is either that patient, or a clinician with an accepted link to them while the
//! patient's `clinician_sharing` consent is in force ([`sharing_in_force`], the rule
//! every patient-data read follows). So a patient writes to their linked clinicians,
//! and a clinician writes to the patient or to a colleague who shares the patient's
//! care; an admin never takes part. The store checks [`check_members`] inside the
//! transaction that writes each message, against the links and consent as they are
//! then, so a message is never left for someone who may no longer read it.
//!
//! [`sharing_in_force`]: crate::sharing_in_force

use healing_core::ids::PersonId;

use crate::records::Role;

/// Why a message is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MessageRefusal {
    /// A member is neither the patient nor a clinician who may see the patient's
    /// record now (not linked, the link ended, the patient does not share their
    /// record, an admin, or no such account).
    #[error(
        "messages go only between a patient and the clinicians linked to them while the patient \
         shares their record with them, or between two such clinicians about that patient"
    )]
    OutsideCareTeam,
    /// Both members are the same person.
    #[error("a conversation needs two different people")]
    SamePerson,
    /// Two clinicians wrote without naming the patient the conversation is about,
    /// or named someone who is not a patient.
    #[error("a conversation between clinicians must name the patient it is about")]
    NoPatient,
    /// The writer is not a member of the conversation.
    #[error("only the two people in a conversation write to it")]
    NotMember,
}

/// A member or would-be member of a conversation, as the rules need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// The person.
    pub id: PersonId,
    /// Their role, or `None` when no such account exists.
    pub role: Option<Role>,
    /// Whether they have an accepted link to the conversation's patient.
    pub linked: bool,
}

/// The patient a new conversation between `sender` and `recipient` is about: the
/// one of them who is a patient (`about`, if named, must be them), else `about`,
/// which must be a patient.
pub fn patient_of(
    sender: &Party,
    recipient: &Party,
    about: Option<&Party>,
) -> Result<PersonId, MessageRefusal> {
    let patient_member = [sender, recipient]
        .into_iter()
        .find(|party| party.role == Some(Role::Patient));
    match (patient_member, about) {
        (Some(patient), Some(about)) if patient.id != about.id => Err(MessageRefusal::NoPatient),
        (Some(patient), _) => Ok(patient.id.clone()),
        (None, Some(about)) if about.role == Some(Role::Patient) => Ok(about.id.clone()),
        (None, _) => Err(MessageRefusal::NoPatient),
    }
}

/// Whether `members` may write to each other about `patient` now, given whether
/// the patient's `clinician_sharing` consent is in force: two different people,
/// each the patient themself or a clinician linked to them while sharing is in
/// force.
pub fn check_members(
    patient: &PersonId,
    members: [&Party; 2],
    sharing: bool,
) -> Result<(), MessageRefusal> {
    if members[0].id == members[1].id {
        return Err(MessageRefusal::SamePerson);
    }
    for member in members {
        let may_take_part = match member.role {
            Some(Role::Patient) => &member.id == patient,
            Some(Role::Clinician) => member.linked && sharing,
            Some(Role::Admin) | None => false,
        };
        if !may_take_part {
            return Err(MessageRefusal::OutsideCareTeam);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(name: &str, role: Option<Role>, linked: bool) -> Party {
        Party {
            id: PersonId::new(name).unwrap(),
            role,
            linked,
        }
    }

    #[test]
    fn a_patient_and_a_linked_clinician_write_while_sharing_is_in_force() {
        let pat = party("pat", Some(Role::Patient), false);
        let doc = party("doc", Some(Role::Clinician), true);
        let patient = patient_of(&pat, &doc, None).unwrap();
        assert_eq!(patient, pat.id);
        assert_eq!(check_members(&patient, [&pat, &doc], true), Ok(()));
        assert_eq!(
            check_members(&patient, [&pat, &doc], false),
            Err(MessageRefusal::OutsideCareTeam)
        );
        let unlinked = party("doc", Some(Role::Clinician), false);
        assert_eq!(
            check_members(&patient, [&pat, &unlinked], true),
            Err(MessageRefusal::OutsideCareTeam)
        );
    }

    #[test]
    fn colleagues_write_about_a_patient_both_are_linked_to() {
        let doc = party("doc", Some(Role::Clinician), true);
        let colleague = party("col", Some(Role::Clinician), true);
        assert_eq!(
            patient_of(&doc, &colleague, None),
            Err(MessageRefusal::NoPatient)
        );
        let pat = party("pat", Some(Role::Patient), false);
        assert_eq!(
            patient_of(&doc, &colleague, Some(&colleague)),
            Err(MessageRefusal::NoPatient)
        );
        let patient = patient_of(&doc, &colleague, Some(&pat)).unwrap();
        assert_eq!(check_members(&patient, [&doc, &colleague], true), Ok(()));
        let unlinked = party("col", Some(Role::Clinician), false);
        assert_eq!(
            check_members(&patient, [&doc, &unlinked], true),
            Err(MessageRefusal::OutsideCareTeam)
        );
    }

    #[test]
    fn nobody_else_takes_part() {
        let pat = party("pat", Some(Role::Patient), false);
        let other = party("otto", Some(Role::Patient), false);
        let admin = party("adm", Some(Role::Admin), true);
        let nobody = party("ghost", None, false);
        let patient = pat.id.clone();
        for stranger in [&other, &admin, &nobody] {
            assert_eq!(
                check_members(&patient, [&pat, stranger], true),
                Err(MessageRefusal::OutsideCareTeam),
                "{stranger:?}"
            );
        }
        assert_eq!(
            check_members(&patient, [&pat, &pat], true),
            Err(MessageRefusal::SamePerson)
        );
        // A patient member cannot name a different patient.
        let doc = party("doc", Some(Role::Clinician), true);
        assert_eq!(
            patient_of(&pat, &doc, Some(&other)),
            Err(MessageRefusal::NoPatient)
        );
    }
}
