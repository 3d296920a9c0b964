//! Writes an invented clinic into a fresh database through the server's own storage
//! code (`healing_store`), for the research tests and benchmark.
//!
//! `cargo run --release -p healing-py --example research_fixture -- DB KEYFILE PATIENTS DAYS`
//!
//! `DB` is a SQLite file path (created if missing) or a `postgres://` URL of an
//! existing, empty database (`postgres_scratch create` makes one).
//!
//! Everyone is invented. The first four patients have fixed stories the tests rely
//! on (times are days after 2026-01-01T00:00:00Z):
//! - `alice.example` consents to research on day 0;
//! - `bob.sample` never consents to research;
//! - `carol.test` consents on day 0 and withdraws on day 60;
//! - `dan.demo` consents on day 30.
//!
//! Every further patient consents on day 0. Each patient logs a mood on most days
//! (some notes hold names, emails, phone numbers, postcodes and NHS numbers, so
//! redaction can be tested), completes PHQ-9 and GAD-7 at a session every 14 days,
//! has a pet, a few safety events and community posts. The key file holds a fixed
//! test key in hex (never use it for real data). Deterministic: the same arguments
//! write the same rows.

#![expect(
    clippy::print_stdout,
    reason = "a command-line tool reports what it wrote"
)]

use std::sync::Arc;

use healing_core::consent::{ConsentEvent, Decision, Purpose, RecordedBy, WordingVersion};
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::outcomes::{ProblemDescriptor, SessionKind};
use healing_core::pet::{PetName, PetState, Species};
use healing_core::safety::{Category, RiskLevel};
use healing_core::scoring;
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{
    Attendance, ConnectOptions, FieldCipher, KeyRing, NewAssessment, NewCourse, NewSafetyEvent,
    NewTreatmentSession, NewUser, PasswordScheme, PostTarget, PostingLimit, Role, Screened,
};

/// 2026-01-01T00:00:00Z.
const BASE: i64 = 1_767_225_600;
/// The fixed test key (hex). Its id is derived the server's way by the reader.
const KEY_HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/// One of the fixed people.
struct Story {
    username: &'static str,
    display_name: &'static str,
    email: &'static str,
    nhs_number: &'static str,
    research_grant_day: Option<i64>,
    research_withdrawal_day: Option<i64>,
}

/// The fixed people the tests rely on.
const STORIES: [Story; 4] = [
    Story {
        username: "alice.example",
        display_name: "Alice Example",
        email: "alice@example.org",
        nhs_number: "943 476 5919",
        research_grant_day: Some(0),
        research_withdrawal_day: None,
    },
    Story {
        username: "bob.sample",
        display_name: "Bob Sample",
        email: "bob.sample@example.net",
        nhs_number: "943 476 5870",
        research_grant_day: None,
        research_withdrawal_day: None,
    },
    Story {
        username: "carol.test",
        display_name: "Carol Test",
        email: "carol@example.com",
        nhs_number: "943 476 5837",
        research_grant_day: Some(0),
        research_withdrawal_day: Some(60),
    },
    Story {
        username: "dan.demo",
        display_name: "Dan Demo",
        email: "dan.demo@example.org",
        nhs_number: "943 476 5802",
        research_grant_day: Some(30),
        research_withdrawal_day: None,
    },
];

/// Mood notes; `{name}`, `{email}`, `{nhs}` are filled in per patient.
const NOTES: [&str; 6] = [
    "walked by the river with {name}, felt a bit lighter",
    "bad night, email me at {email} if the group moves",
    "ring 07700 900123 about the appointment, or (020) 7946 0958",
    "moved to a flat near SW1A 1AA, NHS number {nhs} for the letter",
    "tired but ok",
    "the CBT worksheet helped today",
];

/// Community posts; one in eight discloses risk.
const POSTS: [&str; 8] = [
    "anyone else find mornings hardest?",
    "the breathing exercise actually works for me",
    "had a good week, small wins",
    "I can't see the point anymore and I've been thinking about ending it",
    "my cat sat on my worksheet again",
    "first session tomorrow, nervous",
    "I'm dead tired but happy",
    "does anyone have tips for sleep?",
];

/// A tiny deterministic generator (SplitMix64) so the fixture needs no crate.
struct Draws(u64);

impl Draws {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

type Failure = Box<dyn std::error::Error>;

fn at(day: i64, hour: i64) -> Result<Timestamp, Failure> {
    Ok(Timestamp::from_unix_seconds(
        BASE + day * 86_400 + hour * 3_600,
    )?)
}

fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db, key_file, patients, days] = args.as_slice() else {
        return Err("usage: research_fixture DB KEYFILE PATIENTS DAYS".into());
    };
    let patients: usize = patients.parse()?;
    let days: i64 = days.parse()?;
    std::fs::write(key_file, format!("{KEY_HEX}\n"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(write_clinic(db, patients.max(STORIES.len()), days))
}

async fn write_clinic(db: &str, patients: usize, days: i64) -> Result<(), Failure> {
    let key = healing_store::EncryptionKey::parse(KEY_HEX)?;
    let ring = KeyRing::new(key.id().clone(), key.field_key());
    let cipher = Arc::new(FieldCipher::new(ring));
    let store = healing_store::connect(&database_url(db), ConnectOptions::new(cipher)).await?;
    store.migrate().await?;
    let mut draws = Draws(2026);
    let clinician = store
        .create_user(NewUser {
            username: "dr.fixture".to_owned(),
            email: "dr.fixture@example.nhs.uk".to_owned(),
            display_name: "Dr Fixture Clinician".to_owned(),
            role: Role::Clinician,
            password_hash: "$argon2id$fixture".to_owned(),
            password_scheme: PasswordScheme::Argon2id,
            nhs_number: None,
            year_of_birth: Some(1980),
            created_at: at(-10, 9)?,
        })
        .await?
        .id;
    let channel = store
        .create_channel(&clinician, "Everyday coping", "", at(-10, 9)?)
        .await?;
    let mut rows = 0_u64;
    for index in 0..patients {
        let (username, display, email, nhs, grant, withdraw) = match STORIES.get(index) {
            Some(story) => (
                story.username.to_owned(),
                story.display_name.to_owned(),
                story.email.to_owned(),
                story.nhs_number.to_owned(),
                story.research_grant_day,
                story.research_withdrawal_day,
            ),
            None => (
                format!("patient.{index:05}"),
                format!("Pat{index} Person{index}"),
                format!("patient{index}@example.org"),
                format!(
                    "{:03} {:03} {:04}",
                    600 + index % 300,
                    index % 1000,
                    index % 10_000
                ),
                Some(0),
                None,
            ),
        };
        let person = store
            .create_user(NewUser {
                username,
                email: email.clone(),
                display_name: display.clone(),
                role: Role::Patient,
                password_hash: "$argon2id$fixture".to_owned(),
                password_scheme: PasswordScheme::Argon2id,
                nhs_number: Some(nhs.clone()),
                year_of_birth: Some(1960 + i32::try_from(index % 45)?),
                created_at: at(-1, 9)?,
            })
            .await?
            .id;
        consent(&store, &person, Purpose::Care, Decision::Grant, at(-1, 10)?).await?;
        if let Some(day) = grant {
            consent(
                &store,
                &person,
                Purpose::Research,
                Decision::Grant,
                at(day, 10)?,
            )
            .await?;
        }
        if let Some(day) = withdraw {
            consent(
                &store,
                &person,
                Purpose::Research,
                Decision::Withdraw,
                at(day, 10)?,
            )
            .await?;
        }
        let first_name = display
            .split_whitespace()
            .next()
            .unwrap_or("them")
            .to_owned();
        for day in 0..days {
            if draws.below(100) >= 85 {
                continue;
            }
            let recorded = at(day, 20)?;
            let mood = u8::try_from(1 + draws.below(10))?;
            let mut entry = MoodEntry::new(recorded.date(), recorded, mood)?
                .with_sleep(u8::try_from(draws.below(11))?)?
                .with_anxiety(u8::try_from(draws.below(11))?)?;
            if draws.below(100) < 30 {
                let template = NOTES[usize::try_from(draws.below(NOTES.len() as u64))?];
                entry = entry.with_note(
                    template
                        .replace("{name}", &first_name)
                        .replace("{email}", &email)
                        .replace("{nhs}", &nhs),
                )?;
            }
            // The store takes a note only with its screening, as the server writes it.
            let screened = entry.note().map(|note| {
                let assessment = healing_core::safety::assess(note, &Default::default());
                healing_store::Screened::assessed(note.to_owned(), &assessment)
            });
            store
                .add_mood_entry(&person, &entry, screened.as_ref())
                .await?;
            rows += 1;
        }
        let course = store
            .open_course(NewCourse {
                patient_id: person.clone(),
                clinician_id: Some(clinician.clone()),
                problem_descriptor: if index % 2 == 0 {
                    ProblemDescriptor::Depression
                } else {
                    ProblemDescriptor::GeneralisedAnxiety
                },
                opened_at: at(0, 11)?,
            })
            .await?;
        let mut severity = 3_u64;
        for (number, day) in (0..days).step_by(14).enumerate() {
            let when = at(day, 17)?;
            for (instrument, items) in [("phq9", 9_usize), ("gad7", 7_usize)] {
                let answers: Vec<u8> = (0..items)
                    .map(|_| u8::try_from(draws.below(severity + 1).min(3)))
                    .collect::<Result<_, _>>()?;
                let answers: Vec<Option<u8>> = answers.into_iter().map(Some).collect();
                let instrument = scoring::instrument(instrument)
                    .ok_or_else(|| format!("{instrument} is not in the registry"))?;
                let answers = scoring::ValidatedAnswers::new(instrument, &answers)?;
                let result = scoring::score(&answers);
                store
                    .add_assessment(NewAssessment::from_score(
                        person.clone(),
                        &answers,
                        &result,
                        when,
                    )?)
                    .await?;
                rows += 1;
            }
            store
                .add_treatment_session(NewTreatmentSession {
                    course_id: course.id.clone(),
                    patient_id: person.clone(),
                    clinician_id: Some(clinician.clone()),
                    at: when,
                    kind: if number == 0 {
                        SessionKind::Assessment
                    } else {
                        SessionKind::Treatment
                    },
                    attendance: if draws.below(10) < 9 {
                        Attendance::Attended
                    } else {
                        Attendance::DidNotAttend
                    },
                    scores: Vec::new(),
                })
                .await?;
            rows += 1;
            if index % 4 != 3 && severity > 0 && draws.below(10) < 4 {
                severity -= 1;
            }
        }
        store
            .set_pseudonym(&person, &format!("member {index}"), at(2, 12)?)
            .await?;
        for day in (3..days).step_by(9) {
            let text = POSTS[usize::try_from(draws.below(POSTS.len() as u64))?];
            // Screened as nothing of concern, so the fixture's safety events are
            // only the ones it records below.
            let calm = healing_core::safety::Assessment {
                level: RiskLevel::None,
                categories: Vec::new(),
                findings: Vec::new(),
                notes: Vec::new(),
                rules_version: "fixture".to_owned(),
            };
            store
                .write_community_post(
                    &person,
                    PostTarget::Channel(&channel.id),
                    &Screened::assessed(format!("{text} ({first_name} here)"), &calm),
                    PostingLimit::DEFAULT,
                    at(day, 12)?,
                )
                .await?;
            if draws.below(4) == 0 {
                store
                    .record_safety_event(NewSafetyEvent {
                        patient_id: person.clone(),
                        source: "community".to_owned(),
                        level: RiskLevel::High,
                        categories: vec![Category::Suicide],
                        rules_version: "test-rules-1".to_owned(),
                        at: at(day, 12)?,
                    })
                    .await?;
            }
            rows += 2;
        }
        let pet = PetState::new(
            PetName::new(&format!("{first_name}'s Pip"))?,
            [Species::Cat, Species::Dog, Species::Hedgehog][index % 3],
            at(0, 18)?,
        );
        store
            .put_pet_state(&person, &pet, at(days - 1, 18)?)
            .await?;
    }
    // Closing checkpoints SQLite's WAL into the database file, so readers see one file.
    store.close().await;
    println!("wrote {patients} patients, {days} days, {rows} rows to {db}");
    Ok(())
}

/// The store URL for `db`: a PostgreSQL URL as given, anything else a SQLite path.
fn database_url(db: &str) -> String {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        db.to_owned()
    } else {
        format!("sqlite://{db}?mode=rwc")
    }
}

async fn consent(
    store: &healing_store::AnyStore,
    person: &PersonId,
    purpose: Purpose,
    decision: Decision,
    when: Timestamp,
) -> Result<(), Failure> {
    store
        .append_consent_event(&ConsentEvent {
            person: person.clone(),
            purpose,
            decision,
            at: when,
            wording_version: WordingVersion::new(format!("{}-v1", purpose.name()))?,
            recorded_by: RecordedBy::Subject,
        })
        .await?;
    Ok(())
}
