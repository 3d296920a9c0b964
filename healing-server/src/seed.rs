//! `seed-demo`: an invented clinic so a newcomer sees a living system and the
//! Python examples have data. Deterministic: the same seed and day count give
//! the same people, moods, questionnaires, sessions, consent and pets
//! (timestamps are relative to the day it runs). Every person is invented.

use healing_core::consent::{ConsentEvent, Decision, Ledger, Purpose, RecordedBy, WordingVersion};
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::outcomes::{Measure, ProblemDescriptor, ScoreValue, SessionKind, SessionScore};
use healing_core::pet::{self, Event, PetName, PetState, Species};
use healing_core::safety::Source;
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{
    AnyStore, Attendance, LinkStatus, NewCourse, NewTreatmentSession, NewUser, PasswordScheme, Role,
};

use crate::cli::SeedDemoArgs;
use crate::config::Config;
use crate::questionnaires;
use crate::screening::Screener;
use crate::server::{CommandError, open_store};

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, seeded, good enough for
/// invented data, and stable across versions (unlike library RNGs).
#[derive(Debug, Clone)]
pub struct DemoRandom(u64);

impl DemoRandom {
    /// Seeded generator.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (bound > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const FIRST_NAMES: &[&str] = &[
    "Aled", "Bea", "Cal", "Dev", "Eira", "Femi", "Gwen", "Hari", "Isla", "Jude", "Kofi", "Lena",
];
const NOTES: &[&str] = &[
    "Walked by the river after work.",
    "Hard morning, better after lunch.",
    "Slept badly, felt on edge.",
    "Called my sister, felt lighter.",
    "Tried the breathing exercise before the meeting.",
    "Quiet day at home.",
    "Went to the allotment.",
    "Felt flat most of the day.",
];
const SPECIES: [Species; 6] = [
    Species::Cat,
    Species::Dog,
    Species::Rabbit,
    Species::Hedgehog,
    Species::Owl,
    Species::Fox,
];

fn at(now: Timestamp, days_ago: i64, hour: i64) -> Result<Timestamp, CommandError> {
    let midnight = now.unix_seconds() - now.unix_seconds().rem_euclid(86_400);
    Timestamp::from_unix_seconds(midnight - days_ago * 86_400 + hour * 3600)
        .map_err(|error| CommandError::Failed(error.to_string()))
}

fn failed(error: impl std::fmt::Display) -> CommandError {
    CommandError::Failed(error.to_string())
}

/// The TOTP secret given to demo staff (base32), printed so a newcomer can add it to an app.
pub fn demo_totp_secret(seed: u64) -> String {
    let mut random = DemoRandom::new(seed ^ 0x7070);
    let bytes: Vec<u8> = (0..20).map(|_| random.below(256) as u8).collect();
    crate::auth::totp::base32_encode(&bytes)
}

/// Seeds the configured database.
pub async fn seed_demo(config: &Config, args: &SeedDemoArgs) -> Result<String, CommandError> {
    let store = open_store(config).await?;
    seed_store(&store, args).await
}

async fn create(
    store: &AnyStore,
    username: &str,
    display: &str,
    role: Role,
    hash: &str,
    now: Timestamp,
) -> Result<PersonId, CommandError> {
    let user = store
        .create_user(NewUser {
            username: username.to_owned(),
            email: format!("{username}@demo.healing.invalid"),
            display_name: display.to_owned(),
            role,
            password_hash: hash.to_owned(),
            password_scheme: PasswordScheme::Argon2id,
            nhs_number: None,
            year_of_birth: None,
            created_at: now,
        })
        .await?;
    Ok(user.id)
}

/// Seeds a store (used by the command and by tests).
pub async fn seed_store(store: &AnyStore, args: &SeedDemoArgs) -> Result<String, CommandError> {
    // Demo text goes through the same screening as the app's writes.
    let screener = Screener::standard();
    if store.user_by_username("demo.admin").await?.is_some() {
        return Err(CommandError::Failed(
            "this database already has the demo clinic (user demo.admin exists)".to_owned(),
        ));
    }
    if args.patients == 0 || args.clinicians == 0 {
        return Err(CommandError::Failed(
            "the demo clinic needs at least one patient and one clinician".to_owned(),
        ));
    }
    let mut random = DemoRandom::new(args.seed);
    let now = crate::state::Clock::default().now();
    let days = i64::from(args.days.max(14));
    let hash = crate::auth::password::hash_password(&args.password).map_err(failed)?;
    let totp_secret = demo_totp_secret(args.seed);

    let admin = create(
        store,
        "demo.admin",
        "Demo Admin",
        Role::Admin,
        &hash,
        at(now, days + 1, 9)?,
    )
    .await?;
    let mut clinicians = Vec::new();
    for index in 0..args.clinicians {
        let name = match index {
            0 => "Dr Rhiannon Demo".to_owned(),
            1 => "Sam Demo (PWP)".to_owned(),
            _ => format!("Clinician {} Demo", index + 1),
        };
        clinicians.push(
            create(
                store,
                &format!("demo.clinician{}", index + 1),
                &name,
                Role::Clinician,
                &hash,
                at(now, days + 1, 9)?,
            )
            .await?,
        );
    }
    for staff in std::iter::once(&admin).chain(&clinicians) {
        store.set_totp_secret(staff, &totp_secret).await?;
        store.enable_totp(staff).await?;
    }

    let (mut moods, mut assessments, mut sessions) = (0u32, 0u32, 0u32);
    for index in 0..usize::try_from(args.patients).unwrap_or(usize::MAX) {
        let first = FIRST_NAMES[index % FIRST_NAMES.len()];
        // Past the list, a number keeps each display name distinct for search.
        let surname = match index / FIRST_NAMES.len() {
            0 => "Demo".to_owned(),
            round => format!("Demo {}", round + 1),
        };
        let username = format!("demo.patient{:02}", index + 1);
        let joined = days + 1 - i64::try_from(random.below(10)).unwrap_or(0);
        let patient = create(
            store,
            &username,
            &format!("{first} {surname}"),
            Role::Patient,
            &hash,
            at(now, joined, 10)?,
        )
        .await?;
        let clinician = &clinicians[index % clinicians.len()];
        let link = store
            .request_link(clinician, &patient, at(now, joined, 11)?)
            .await?;
        store
            .set_link_status(&link.id, LinkStatus::Accepted, at(now, joined, 12)?)
            .await?;

        // Consent: care and sharing for everyone; research for most; one withdraws research later.
        let mut ledger = Ledger::new(patient.clone());
        let mut consent = |purpose: Purpose,
                           decision: Decision,
                           when: Timestamp|
         -> Result<Option<ConsentEvent>, CommandError> {
            let event = ConsentEvent {
                person: patient.clone(),
                purpose,
                decision,
                at: when,
                wording_version: WordingVersion::new(format!("{}-2026-01", purpose.name()))
                    .map_err(failed)?,
                recorded_by: RecordedBy::Subject,
            };
            Ok(ledger.append(event.clone()).ok().map(|()| event))
        };
        let mut events = vec![
            consent(Purpose::Care, Decision::Grant, at(now, joined, 13)?)?,
            consent(
                Purpose::ClinicianSharing,
                Decision::Grant,
                at(now, joined, 14)?,
            )?,
        ];
        if index % 6 != 5 {
            events.push(consent(
                Purpose::Research,
                Decision::Grant,
                at(now, joined, 15)?,
            )?);
        }
        if index == 3 {
            events.push(consent(
                Purpose::Research,
                Decision::Withdraw,
                at(now, joined / 2, 15)?,
            )?);
        }
        for event in events.into_iter().flatten() {
            store.append_consent_event(&event).await?;
        }

        // Moods: a noisy walk that improves over treatment for most patients.
        let improving = index % 4 != 2;
        let mut level: i64 = 3 + i64::try_from(random.below(3)).unwrap_or(0);
        for days_ago in (0..joined).rev() {
            if !random.chance(85) {
                continue;
            }
            let drift = if improving && random.chance(55) { 1 } else { 0 };
            level = (level + drift + i64::try_from(random.below(3)).unwrap_or(1)
                - 1
                - i64::from(random.chance(30) && level > 6))
            .clamp(1, 10);
            let recorded = at(now, days_ago, 20)?;
            let mood = u8::try_from(level).unwrap_or(5);
            let mut entry = MoodEntry::new(recorded.date(), recorded, mood).map_err(failed)?;
            entry = entry
                .with_sleep(u8::try_from(random.below(11)).unwrap_or(5))
                .map_err(failed)?;
            entry = entry
                .with_anxiety(u8::try_from((10 - level).clamp(0, 10)).unwrap_or(5))
                .map_err(failed)?;
            let mut screened = None;
            if random.chance(30) {
                let note = NOTES[usize::try_from(random.below(NOTES.len() as u64)).unwrap_or(0)];
                entry = entry.with_note(note).map_err(failed)?;
                screened = Some(screener.screen(note.to_owned(), Source::MoodNote));
            }
            store
                .add_mood_entry(&patient, &entry, screened.as_ref())
                .await?;
            moods += 1;
        }

        // PHQ-9 and GAD-7 every two weeks, severity easing for improving patients.
        let course = store
            .open_course(NewCourse {
                patient_id: patient.clone(),
                clinician_id: Some(clinician.clone()),
                problem_descriptor: if index % 2 == 0 {
                    ProblemDescriptor::Depression
                } else {
                    ProblemDescriptor::GeneralisedAnxiety
                },
                opened_at: at(now, joined, 16)?,
            })
            .await?;
        let mut severity: u64 = 2 + random.below(2);
        let mut days_ago = joined - 1;
        let mut first = true;
        while days_ago >= 0 {
            let when = at(now, days_ago, 17)?;
            let mut scores = Vec::new();
            for (instrument, items) in [("phq9", 9usize), ("gad7", 7usize)] {
                let answers: Vec<Option<u8>> = (0..items)
                    .map(|_| Some(u8::try_from(random.below(severity + 1).min(3)).unwrap_or(0)))
                    .collect();
                let (record, _) =
                    questionnaires::score_for_storage(&patient, instrument, &answers, when)
                        .map_err(|error| {
                            CommandError::Failed(format!("scoring {instrument}: {error}"))
                        })?;
                // The totals are also the measures taken at the session, so the
                // course's Talking Therapies outcome is kept as the API keeps it.
                if let (Some(measure), Some(Ok(points))) = (
                    Measure::from_instrument_id(instrument),
                    record.total.map(u16::try_from),
                ) {
                    scores.push(SessionScore {
                        measure,
                        value: ScoreValue::from_points(points),
                    });
                }
                store.add_assessment(record).await?;
                assessments += 1;
            }
            let attendance = if random.chance(90) {
                Attendance::Attended
            } else {
                Attendance::DidNotAttend
            };
            if attendance != Attendance::Attended {
                scores.clear();
            }
            store
                .add_treatment_session(NewTreatmentSession {
                    course_id: course.id.clone(),
                    patient_id: patient.clone(),
                    clinician_id: Some(clinician.clone()),
                    at: when,
                    kind: if first {
                        SessionKind::Assessment
                    } else {
                        SessionKind::Treatment
                    },
                    attendance,
                    scores,
                })
                .await?;
            sessions += 1;
            first = false;
            if improving && severity > 0 && random.chance(40) {
                severity -= 1;
            }
            days_ago -= 14;
        }

        // A pet, fed and played with a few times.
        let name = PetName::new(&format!(
            "{first}'s {}",
            ["Pip", "Moss", "Nova", "Bramble"][index % 4]
        ))
        .map_err(failed)?;
        let mut state = PetState::new(name, SPECIES[index % SPECIES.len()], at(now, joined, 18)?);
        for days_ago in (0..joined.min(7)).rev() {
            if let Ok(step) = pet::step(&state, &Event::Play, at(now, days_ago, 19)?) {
                state = step.state;
            }
        }
        store.put_pet_state(&patient, &state, now).await?;
        if index == 0 {
            store
                .add_journal_entry(
                    &patient,
                    &screener.screen(
                        "Started the course today. Nervous but hopeful.".to_owned(),
                        Source::Journal,
                    ),
                    at(now, joined, 21)?,
                )
                .await?;
        }
    }
    Ok(format!(
        "seeded the demo clinic: 1 admin (demo.admin), {} clinicians (demo.clinician1-{}), {} patients \
         (demo.patient01-{:02}), {moods} mood entries, {assessments} questionnaires, {sessions} sessions. \
         Password for every demo account: {:?}. Staff TOTP secret (add to an authenticator app): {totp_secret}",
        args.clinicians, args.clinicians, args.patients, args.patients, args.password
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_reference_sequence() {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        let mut random = DemoRandom::new(0);
        assert_eq!(random.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(random.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }
}
