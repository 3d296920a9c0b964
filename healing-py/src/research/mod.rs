//! `healing.research`: consented, pseudonymised research data from a Healing
//! server database, read through `healing_store` opened read-only.
//!
//! This is the only way data leaves a Healing database for research, and every
//! row passes the same gate ([`Person::allows`]): the person's consent ledger, as
//! it stood at the export's consent cut-off, must allow the `research` purpose at
//! the time of the record (`Ledger::is_allowed(Purpose::Research, record_time)`).
//! Records from before a grant, after a withdrawal, or after the cut-off never
//! leave. By default a person whose research consent is not in force at the
//! cut-off is left out entirely ([`Withdrawn::ExcludePerson`]); a study may
//! instead keep the records made while consent was in force
//! ([`Withdrawn::KeepEarlierRecords`]).
//!
//! What leaves is pseudonymised: a keyed HMAC-SHA256 pseudonym per person per
//! study key (`pseudonym.rs`), no names, emails, usernames, NHS numbers, pet names
//! or clinician ids, and every date reduced to a calendar day and then shifted by
//! a per-person keyed offset or truncated to the week or month (`dates.rs`). Free
//! text (mood notes, community posts) leaves only when the study asks for it, with
//! UK identifiers redacted (`redact.rs`). Each export is counted in a manifest
//! (study key id, cut-off, filters, counts) for the data protection officer.

mod keys;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use healing_core::consent::{Ledger, Purpose};
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::outcomes::{self, Course, CourseRecord, CourseResult, Session};
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{AnyStore, Attendance, FieldCipher, Page, Role};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::timestamp;
use crate::errors::Error;
use healing_core::research::{self, CompletedScore, DatePolicy, Redactor, StudyKey, iso_day};

/// People read from the store per page.
const PAGE_SIZE: u32 = 500;
/// Years of birth leave as the first year of a band this wide.
const BIRTH_YEAR_BAND: i32 = 5;

/// What happens to a person whose research consent is not in force at the cut-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Withdrawn {
    /// Leave the person out entirely.
    ExcludePerson,
    /// Keep the records made while their consent was in force.
    KeepEarlierRecords,
}

impl Withdrawn {
    fn name(self) -> &'static str {
        match self {
            Self::ExcludePerson => "exclude_person",
            Self::KeepEarlierRecords => "keep_earlier_records",
        }
    }
}

/// One person who may appear in the export.
#[derive(Debug)]
struct Person {
    id: PersonId,
    pseudonym: String,
    offset_days: i64,
    ledger: Ledger,
    role: Role,
    year_of_birth: Option<i32>,
}

impl Person {
    /// The one gate every record passes: research consent in force at the
    /// record's time, as the ledger stood at the cut-off, and not after it.
    fn allows(&self, at: Timestamp, cut_off: Timestamp) -> bool {
        at <= cut_off && self.ledger.is_allowed(Purpose::Research, at)
    }
}

/// Counts of one exported table, for the manifest.
#[derive(Debug, Default, Clone)]
struct TableCount {
    exported: u64,
    excluded_by_consent: u64,
    rejected: u64,
}

/// Counts of people, for the manifest.
#[derive(Debug, Default, Clone)]
struct PeopleCount {
    read: u64,
    included: u64,
    never_consented: u64,
    not_consented_at_cut_off: u64,
    unreadable_ledger: u64,
}

/// A column of an exported table.
enum Column {
    Text(Vec<Option<String>>),
    Integer(Vec<Option<i64>>),
    Boolean(Vec<Option<bool>>),
    IntegerList(Vec<Vec<Option<i64>>>),
}

/// A research study's read-only view of a Healing database.
///
/// Made by `healing.research.connect`; every table method returns a dict of
/// equal-length column lists (the Python layer turns them into a pandas DataFrame
/// or a pyarrow Table). Nothing here can write to the database.
#[pyclass(module = "healing.research", frozen)]
pub(crate) struct Study {
    runtime: tokio::runtime::Runtime,
    store: AnyStore,
    backend: &'static str,
    key_id: String,
    cut_off: Timestamp,
    dates: DatePolicy,
    free_text: bool,
    withdrawn: Withdrawn,
    people: Vec<Person>,
    people_count: PeopleCount,
    redactor: Redactor,
    tables: Mutex<BTreeMap<&'static str, TableCount>>,
}

/// Opens a Healing database read-only for a study.
///
/// `database_url` is `sqlite:///path/healing.db` (or `sqlite://path`) or a
/// `postgres://` URL. `study_key` (bytes or str, at least 16 bytes) keys the
/// pseudonyms and date offsets: keep it secret and reuse it for every export of
/// one study. `encryption_key` is the server's key-file text (or the key itself)
/// and `encryption_key_file` a path to it; one of them is needed to open encrypted
/// columns. `cut_off` (aware datetime or RFC 3339; default now) is the instant the
/// consent ledgers are read at. `dates` is `"shift"` (default; per-person keyed
/// offset of 1 to `max_shift_days` days), `"week"`, `"month"` or `"day"`.
/// The default `max_shift_days` of 30 keeps seasonal analyses roughly right while
/// moving every date by up to a month. `free_text` adds mood notes and community posts with identifiers redacted.
/// `withdrawn` is `"exclude_person"` (default) or `"keep_earlier_records"`.
#[pyfunction]
#[pyo3(signature = (
    database_url, *, study_key, encryption_key = None, encryption_key_file = None,
    cut_off = None, dates = "shift", max_shift_days = 30,
    free_text = false, withdrawn = "exclude_person"
))]
#[expect(clippy::too_many_arguments, reason = "keyword-only Python options")]
fn connect(
    py: Python<'_>,
    database_url: &str,
    study_key: &Bound<'_, PyAny>,
    encryption_key: Option<&Bound<'_, PyAny>>,
    encryption_key_file: Option<&str>,
    cut_off: Option<&Bound<'_, PyAny>>,
    dates: &str,
    max_shift_days: u16,
    free_text: bool,
    withdrawn: &str,
) -> Result<Study, Error> {
    let key = StudyKey::new(&bytes_of(study_key, "study_key")?).map_err(research_error)?;
    let dates =
        DatePolicy::from_name(dates, max_shift_days).ok_or_else(|| Error::InvalidInput {
            what: "dates",
            reason: format!("'{dates}' is not one of 'shift', 'week', 'month', 'day'"),
        })?;
    if matches!(dates, DatePolicy::Shift { max_days: 0 }) {
        return Err(Error::InvalidInput {
            what: "max_shift_days",
            reason: "a shift of at most 0 days would leave dates exact; use dates='day'".to_owned(),
        });
    }
    let withdrawn = match withdrawn {
        "exclude_person" => Withdrawn::ExcludePerson,
        "keep_earlier_records" => Withdrawn::KeepEarlierRecords,
        other => {
            return Err(Error::InvalidInput {
                what: "withdrawn",
                reason: format!("'{other}' is neither 'exclude_person' nor 'keep_earlier_records'"),
            });
        }
    };
    let cut_off = match cut_off {
        Some(value) => timestamp(value)?,
        None => now(py)?,
    };
    let key_text = match (encryption_key, encryption_key_file) {
        (Some(text), None) => {
            String::from_utf8(bytes_of(text, "encryption_key")?).map_err(|_| {
                Error::InvalidInput {
                    what: "encryption_key",
                    reason: "the key text is not UTF-8".to_owned(),
                }
            })?
        }
        (None, Some(path)) => std::fs::read_to_string(path).map_err(|error| Error::Research {
            kind: "key_file_unreadable",
            message: format!("cannot read the key file: {error}"),
        })?,
        _ => {
            return Err(Error::InvalidInput {
                what: "encryption_key",
                reason: "give exactly one of encryption_key and encryption_key_file".to_owned(),
            });
        }
    };
    let ring = keys::key_ring(&key_text).map_err(|message| Error::Research {
        kind: "invalid_encryption_key",
        message,
    })?;
    let cipher = Arc::new(FieldCipher::new(ring));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Error::Research {
            kind: "runtime",
            message: format!("cannot start the database runtime: {error}"),
        })?;
    let url = database_url.to_owned();
    let (store, people, people_count, names) = py.detach(|| {
        runtime.block_on(async {
            let store = healing_store::connect_read_only(&url, cipher).await?;
            let (people, count) = read_people(&store, &key, dates, cut_off, withdrawn).await?;
            let names = known_names(&store).await?;
            Ok::<_, healing_store::Error>((store, people, count, names))
        })
    })?;
    let redactor = Redactor::new(names.iter().map(String::as_str)).map_err(research_error)?;
    let backend = match &store {
        AnyStore::Sqlite(_) => "sqlite",
        AnyStore::Postgres(_) => "postgres",
    };
    Ok(Study {
        runtime,
        store,
        backend,
        key_id: key.key_id(),
        cut_off,
        dates,
        free_text,
        withdrawn,
        people,
        people_count,
        redactor,
        tables: Mutex::new(BTreeMap::new()),
    })
}

/// Reads every person, replays their ledger as it stood at the cut-off, and keeps
/// those the study may include.
async fn read_people(
    store: &AnyStore,
    key: &StudyKey,
    dates: DatePolicy,
    cut_off: Timestamp,
    withdrawn: Withdrawn,
) -> Result<(Vec<Person>, PeopleCount), healing_store::Error> {
    let everyone = every_page(async |page| store.research_people(page).await).await?;
    let mut people = Vec::new();
    let mut count = PeopleCount::default();
    for person in everyone {
        count.read += 1;
        let known: Vec<_> = person
            .consent_events
            .into_iter()
            .filter(|event| event.at <= cut_off)
            .collect();
        let Ok(ledger) = Ledger::replay(person.id.clone(), known) else {
            // A ledger that cannot be replayed proves nothing: fail closed.
            count.unreadable_ledger += 1;
            continue;
        };
        if ledger.allowed_periods(Purpose::Research).is_empty() {
            count.never_consented += 1;
            continue;
        }
        if withdrawn == Withdrawn::ExcludePerson && !ledger.is_allowed(Purpose::Research, cut_off) {
            count.not_consented_at_cut_off += 1;
            continue;
        }
        count.included += 1;
        let offset_days = match dates {
            DatePolicy::Shift { max_days } => key.date_offset_days(person.id.as_str(), max_days),
            DatePolicy::Week | DatePolicy::Month | DatePolicy::Day => 0,
        };
        people.push(Person {
            pseudonym: key.pseudonym(person.id.as_str()),
            id: person.id,
            offset_days,
            ledger,
            role: person.role,
            year_of_birth: person.year_of_birth,
        });
    }
    // Rows come out in pseudonym order, so row order reveals nothing about
    // account age or id.
    people.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
    Ok((people, count))
}

/// Display names and usernames of every account, for redacting free text.
async fn known_names(store: &AnyStore) -> Result<Vec<String>, healing_store::Error> {
    let users = every_page(async |page| store.list_users(None, page).await).await?;
    Ok(users
        .into_iter()
        .flat_map(|user| [user.display_name, user.username])
        .collect())
}

/// Every row of a paged listing: pages of [`PAGE_SIZE`] until a short one.
async fn every_page<T>(
    fetch: impl AsyncFn(Page) -> Result<Vec<T>, healing_store::Error>,
) -> Result<Vec<T>, healing_store::Error> {
    let mut rows = Vec::new();
    let mut offset = 0_u64;
    loop {
        let page = fetch(Page {
            offset,
            limit: PAGE_SIZE,
        })
        .await?;
        let last = page.len() < usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
        rows.extend(page);
        if last {
            return Ok(rows);
        }
        offset += u64::from(PAGE_SIZE);
    }
}

#[pymethods]
impl Study {
    /// The included people: `person` (pseudonym), `role`, `birth_year_band`
    /// (first year of a 5-year band) and `consented_from` (day of the first research
    /// grant, under the study's date policy).
    fn people<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        let mut person = Vec::new();
        let mut role = Vec::new();
        let mut band = Vec::new();
        let mut consented_from = Vec::new();
        for included in &self.people {
            person.push(Some(included.pseudonym.clone()));
            role.push(Some(included.role.as_str().to_owned()));
            band.push(
                included
                    .year_of_birth
                    .map(|year| i64::from(year - year.rem_euclid(BIRTH_YEAR_BAND))),
            );
            consented_from.push(
                included
                    .ledger
                    .allowed_periods(Purpose::Research)
                    .first()
                    .map(|period| self.day(included, period.from)),
            );
        }
        self.count("people", self.people.len() as u64, 0, 0);
        columns(
            py,
            vec![
                ("person", Column::Text(person)),
                ("role", Column::Text(role)),
                ("birth_year_band", Column::Integer(band)),
                ("consented_from", Column::Text(consented_from)),
            ],
        )
    }

    /// Mood diary entries: `person`, `day`, `mood`, `sleep`, `anxiety`, and `note`
    /// (redacted) when the study asked for free text.
    fn moods<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        let rows = self.read_per_person(py, async |person| {
            let stored = self.store.mood_entries(&person.id).await?;
            Ok(stored.into_iter().map(|stored| stored.entry).collect())
        })?;
        let (rows, excluded) = self.consented(rows, MoodEntry::recorded_at);
        let (mut person, mut day, mut mood, mut sleep, mut anxiety, mut note) = (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        for (owner, entry) in rows {
            person.push(Some(owner.pseudonym.clone()));
            day.push(Some(iso_day(
                self.dates.apply_to_day(entry.day(), owner.offset_days),
            )));
            mood.push(Some(i64::from(entry.mood())));
            sleep.push(entry.sleep().map(i64::from));
            anxiety.push(entry.anxiety().map(i64::from));
            if self.free_text {
                note.push(entry.note().map(|text| self.redactor.redact(text)));
            }
        }
        self.count("moods", person.len() as u64, excluded, 0);
        let mut table = vec![
            ("person", Column::Text(person)),
            ("day", Column::Text(day)),
            ("mood", Column::Integer(mood)),
            ("sleep", Column::Integer(sleep)),
            ("anxiety", Column::Integer(anxiety)),
        ];
        if self.free_text {
            table.push(("note", Column::Text(note)));
        }
        columns(py, table)
    }

    /// Questionnaire results with their items: `person`, `day`, `instrument`,
    /// `instrument_version`, `total`, `band`, `flags` (flag names joined by `;`) and `answers`
    /// (a list, one value per item).
    fn assessments<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        let rows =
            self.read_per_person(py, async |person| self.store.assessments(&person.id).await)?;
        let (rows, excluded) = self.consented(rows, |assessment| assessment.completed_at);
        let mut person = Vec::new();
        let mut day = Vec::new();
        let mut instrument = Vec::new();
        let mut version = Vec::new();
        let mut total = Vec::new();
        let mut band = Vec::new();
        let mut flags = Vec::new();
        let mut answers = Vec::new();
        for (owner, assessment) in rows {
            person.push(Some(owner.pseudonym.clone()));
            day.push(Some(self.day(owner, assessment.completed_at)));
            instrument.push(Some(assessment.instrument_id));
            version.push(Some(assessment.instrument_version));
            total.push(assessment.total.map(i64::from));
            band.push(assessment.band.map(|band| band.as_str().to_owned()));
            flags.push(Some(crate::scoring::flag_names(&assessment.flags)));
            answers.push(
                assessment
                    .answers
                    .into_iter()
                    .map(|answer| answer.map(i64::from))
                    .collect(),
            );
        }
        self.count("assessments", person.len() as u64, excluded, 0);
        columns(
            py,
            vec![
                ("person", Column::Text(person)),
                ("day", Column::Text(day)),
                ("instrument", Column::Text(instrument)),
                ("instrument_version", Column::Text(version)),
                ("total", Column::Integer(total)),
                ("band", Column::Text(band)),
                ("flags", Column::Text(flags)),
                ("answers", Column::IntegerList(answers)),
            ],
        )
    }

    /// Appointments: `person`, `course` (1, 2, … per person), `day`, `kind` and
    /// `attendance`. Clinician ids never leave.
    fn appointments<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        let rows = self.read_per_person(py, async |person| {
            let courses = self.store.courses(&person.id).await?;
            let sessions = self.store.treatment_sessions(&person.id).await?;
            Ok(sessions
                .into_iter()
                .map(|session| {
                    let number = courses
                        .iter()
                        .position(|course| course.id == session.course_id)
                        .map(|index| index as i64 + 1);
                    (number, session)
                })
                .collect())
        })?;
        let (rows, excluded) = self.consented(rows, |(_, session)| session.at);
        let (mut person, mut course, mut day, mut kind, mut attendance) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (owner, (number, session)) in rows {
            person.push(Some(owner.pseudonym.clone()));
            course.push(number);
            day.push(Some(self.day(owner, session.at)));
            kind.push(Some(session.kind.as_str().to_owned()));
            attendance.push(Some(session.attendance.as_str().to_owned()));
        }
        self.count("appointments", person.len() as u64, excluded, 0);
        columns(
            py,
            vec![
                ("person", Column::Text(person)),
                ("course", Column::Integer(course)),
                ("day", Column::Text(day)),
                ("kind", Column::Text(kind)),
                ("attendance", Column::Text(attendance)),
            ],
        )
    }

    /// NHS Talking Therapies outcomes, one row per course, computed by
    /// `healing_core::outcomes` from the consented attended sessions and the
    /// questionnaire scores recorded at them.
    ///
    /// A score is recorded at a session when the questionnaire was completed on the
    /// same calendar day (UTC) as an attended appointment of the course; with two of
    /// one measure that day, the later counts. Columns: `person`, `course`,
    /// `problem_descriptor`, `opened` (day), `treatment_sessions`, `treatment`,
    /// `result`, `depression_measure`, `depression_first`, `depression_last`,
    /// `anxiety_measure`, `anxiety_first`, `anxiety_last`, `recovery`,
    /// `reliable_change`, `reliable_recovery` (None unless measured).
    fn outcomes<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        let per_person = self.read_per_person(py, async |person| {
            let courses = self.store.courses(&person.id).await?;
            let sessions = self.store.treatment_sessions(&person.id).await?;
            let assessments = self.store.assessments(&person.id).await?;
            Ok(vec![(courses, sessions, assessments)])
        })?;
        let mut out = OutcomeColumns::default();
        let (mut excluded, mut rejected) = (0, 0);
        for (owner, (courses, sessions, assessments)) in per_person {
            for (index, course) in courses.iter().enumerate() {
                let mut attended: Vec<&healing_store::TreatmentSession> = sessions
                    .iter()
                    .filter(|session| {
                        session.course_id == course.id && session.attendance == Attendance::Attended
                    })
                    .collect();
                let before = attended.len();
                attended.retain(|session| owner.allows(session.at, self.cut_off));
                excluded += (before - attended.len()) as u64;
                if attended.is_empty() {
                    continue;
                }
                attended.sort_by_key(|session| session.at);
                let record = CourseRecord {
                    person: owner.id.clone(),
                    problem_descriptor: Some(course.problem_descriptor),
                    sessions: attended
                        .iter()
                        .map(|session| Session {
                            at: session.at,
                            kind: session.kind,
                            scores: research::scores_at_session(
                                session.at,
                                assessments
                                    .iter()
                                    .filter(|assessment| {
                                        owner.allows(assessment.completed_at, self.cut_off)
                                    })
                                    // An instrument without a total (the C-SSRS
                                    // screener) is no outcome measure.
                                    .filter_map(|assessment| {
                                        Some(CompletedScore {
                                            instrument_id: &assessment.instrument_id,
                                            completed_at: assessment.completed_at,
                                            total: assessment.total?,
                                        })
                                    }),
                            ),
                        })
                        .collect(),
                };
                let Ok(checked) = Course::new(record) else {
                    // Inconsistent stored data (two sessions at one instant, a score
                    // out of range): counted, never guessed at.
                    rejected += 1;
                    continue;
                };
                out.push(
                    owner,
                    index + 1,
                    self.day(owner, course.opened_at),
                    &outcomes::course_outcome(&checked),
                );
            }
        }
        self.count("outcomes", out.person.len() as u64, excluded, rejected);
        columns(py, out.into_columns())
    }

    /// Safety-engine levels per screened message, without any text: `person`,
    /// `day`, `source`, `level`, `categories` (joined by `;`), `rules_version`.
    fn safety_events<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        let rows = self.read_per_person(py, async |person| {
            self.store.safety_events(&person.id).await
        })?;
        let (rows, excluded) = self.consented(rows, |event| event.at);
        let (mut person, mut day, mut source, mut level, mut categories, mut version) = (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        for (owner, event) in rows {
            person.push(Some(owner.pseudonym.clone()));
            day.push(Some(self.day(owner, event.at)));
            source.push(Some(event.source));
            level.push(Some(event.level.as_str().to_owned()));
            let names: Vec<_> = event.categories.iter().map(|c| c.as_str()).collect();
            categories.push(Some(names.join(";")));
            version.push(Some(event.rules_version));
        }
        self.count("safety_events", person.len() as u64, excluded, 0);
        columns(
            py,
            vec![
                ("person", Column::Text(person)),
                ("day", Column::Text(day)),
                ("source", Column::Text(source)),
                ("level", Column::Text(level)),
                ("categories", Column::Text(categories)),
                ("rules_version", Column::Text(version)),
            ],
        )
    }

    /// Companion-pet engagement, one row per person with a pet: `person`, `day`
    /// (last update), `species`, `stage`, `xp`, `coins`, `streak_days`. The pet's
    /// name never leaves (people often name pets after themselves or family).
    fn pet_engagement<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        let rows = self.read_per_person(py, async |person| {
            Ok(self
                .store
                .pet_state(&person.id)
                .await?
                .into_iter()
                .collect())
        })?;
        let (rows, excluded) = self.consented(rows, |record| record.updated_at);
        let (mut person, mut day, mut species, mut stage) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut xp, mut coins, mut streak) = (Vec::new(), Vec::new(), Vec::new());
        for (owner, record) in rows {
            let state = record.state;
            person.push(Some(owner.pseudonym.clone()));
            day.push(Some(self.day(owner, record.updated_at)));
            species.push(Some(state.species().as_str().to_owned()));
            stage.push(Some(state.stage().as_str().to_owned()));
            xp.push(Some(i64::from(state.xp())));
            coins.push(Some(i64::from(state.coins())));
            streak.push(Some(i64::from(state.streak().days)));
        }
        self.count("pet_engagement", person.len() as u64, excluded, 0);
        columns(
            py,
            vec![
                ("person", Column::Text(person)),
                ("day", Column::Text(day)),
                ("species", Column::Text(species)),
                ("stage", Column::Text(stage)),
                ("xp", Column::Integer(xp)),
                ("coins", Column::Integer(coins)),
                ("streak_days", Column::Integer(streak)),
            ],
        )
    }

    /// Community posts by included people, with identifiers redacted: `person`,
    /// `day`, `text`, `risk_level` (as screened when posted) and `hidden` (removed
    /// by a moderator). Only for studies opened with `free_text=True`; raises
    /// ResearchError (kind `free_text_not_requested`) otherwise.
    fn community_posts<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        if !self.free_text {
            return Err(Error::Research {
                kind: "free_text_not_requested",
                message: "community posts are free text; open the study with free_text=True"
                    .to_owned(),
            });
        }
        let posts = py.detach(|| {
            self.runtime.block_on(every_page(async |page| {
                self.store.community_posts(page).await
            }))
        })?;
        let read = posts.len();
        let rows: Vec<_> = posts
            .into_iter()
            .filter_map(|post| Some((self.person(&post.author_id)?, post)))
            .collect();
        // Posts of people outside the study count as excluded by consent too.
        let outsiders = (read - rows.len()) as u64;
        let (rows, not_consented) = self.consented(rows, |post| post.posted_at);
        let (mut person, mut day, mut text, mut level, mut hidden) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (owner, post) in rows {
            person.push(Some(owner.pseudonym.clone()));
            day.push(Some(self.day(owner, post.posted_at)));
            text.push(Some(self.redactor.redact(&post.body)));
            level.push(post.risk_level.map(|level| level.as_str().to_owned()));
            hidden.push(Some(post.status != healing_store::PostStatus::Published));
        }
        self.count(
            "community_posts",
            person.len() as u64,
            outsiders + not_consented,
            0,
        );
        columns(
            py,
            vec![
                ("person", Column::Text(person)),
                ("day", Column::Text(day)),
                ("text", Column::Text(text)),
                ("risk_level", Column::Text(level)),
                ("hidden", Column::Boolean(hidden)),
            ],
        )
    }

    /// What this study has exported so far, for a data protection officer: the
    /// study key id (a fingerprint, never the key), the consent cut-off, the
    /// filters and policies used, and counts of people and of rows per table
    /// (exported, excluded by consent, rejected as inconsistent).
    fn manifest<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        let manifest = PyDict::new(py);
        manifest.set_item("format", "healing-research-manifest-1")?;
        manifest.set_item("package_version", env!("CARGO_PKG_VERSION"))?;
        manifest.set_item("study_key_id", &self.key_id)?;
        manifest.set_item("consent_cut_off", self.cut_off.to_rfc3339())?;
        manifest.set_item("database_backend", self.backend)?;
        let filters = PyDict::new(py);
        filters.set_item("consent_purpose", Purpose::Research.name())?;
        filters.set_item(
            "record_rule",
            "research consent in force at the record's time (consent ledger read at the cut-off); records after the cut-off excluded",
        )?;
        filters.set_item("withdrawn", self.withdrawn.name())?;
        filters.set_item("dates", self.dates.name())?;
        if let DatePolicy::Shift { max_days } = self.dates {
            filters.set_item("max_shift_days", max_days)?;
        }
        filters.set_item("free_text", self.free_text)?;
        filters.set_item(
            "free_text_redaction",
            if self.free_text {
                "known names and usernames, emails, UK phone numbers, postcodes, NHS numbers"
            } else {
                "not exported"
            },
        )?;
        filters.set_item("pseudonym", "HMAC-SHA256(study key, person id), 128 bits")?;
        filters.set_item(
            "never_exported",
            vec![
                "names",
                "usernames",
                "emails",
                "nhs_numbers",
                "clinician_ids",
                "pet_names",
                "times_of_day",
            ],
        )?;
        manifest.set_item("filters", filters)?;
        let people = PyDict::new(py);
        people.set_item("read", self.people_count.read)?;
        people.set_item("included", self.people_count.included)?;
        people.set_item(
            "excluded_never_consented",
            self.people_count.never_consented,
        )?;
        people.set_item(
            "excluded_not_consented_at_cut_off",
            self.people_count.not_consented_at_cut_off,
        )?;
        people.set_item(
            "excluded_unreadable_ledger",
            self.people_count.unreadable_ledger,
        )?;
        manifest.set_item("people", people)?;
        let tables = PyDict::new(py);
        let counts = self
            .tables
            .lock()
            .map(|tables| tables.clone())
            .unwrap_or_default();
        for (name, count) in counts {
            let entry = PyDict::new(py);
            entry.set_item("rows_exported", count.exported)?;
            entry.set_item("rows_excluded_by_consent", count.excluded_by_consent)?;
            entry.set_item("rows_rejected", count.rejected)?;
            tables.set_item(name, entry)?;
        }
        manifest.set_item("tables", tables)?;
        Ok(manifest)
    }

    /// The study key's fingerprint (as in the manifest).
    #[getter]
    fn study_key_id(&self) -> &str {
        &self.key_id
    }

    /// Whether the study asked for free text (mood notes, community posts).
    #[getter]
    fn free_text(&self) -> bool {
        self.free_text
    }

    /// The consent cut-off as an RFC 3339 string.
    #[getter]
    fn consent_cut_off(&self) -> String {
        self.cut_off.to_rfc3339()
    }

    fn __repr__(&self) -> String {
        format!(
            "Study(study_key_id='{}', cut_off='{}', people={}, dates='{}', free_text={})",
            self.key_id,
            self.cut_off,
            self.people.len(),
            self.dates.name(),
            self.free_text
        )
    }
}

impl Study {
    /// The exported day of an instant for `person`.
    fn day(&self, person: &Person, at: Timestamp) -> String {
        iso_day(self.dates.apply(at, person.offset_days))
    }

    /// The included person with this id, if any.
    fn person(&self, id: &PersonId) -> Option<&Person> {
        self.people.iter().find(|person| &person.id == id)
    }

    /// Reads rows of every included person through `fetch`, with the GIL released,
    /// each paired with its person.
    fn read_per_person<T: Send>(
        &self,
        py: Python<'_>,
        fetch: impl AsyncFn(&Person) -> Result<Vec<T>, healing_store::Error> + Sync,
    ) -> Result<Vec<(&Person, T)>, Error> {
        let rows = py.detach(|| {
            self.runtime.block_on(async {
                let mut rows = Vec::new();
                for person in &self.people {
                    rows.extend(fetch(person).await?.into_iter().map(|row| (person, row)));
                }
                Ok::<_, healing_store::Error>(rows)
            })
        })?;
        Ok(rows)
    }

    /// The one gate applied to a table: keeps the rows whose person allows research
    /// at the row's time (`at`), and counts the rest.
    fn consented<'a, T>(
        &self,
        rows: Vec<(&'a Person, T)>,
        at: impl Fn(&T) -> Timestamp,
    ) -> (Vec<(&'a Person, T)>, u64) {
        let read = rows.len();
        let kept: Vec<_> = rows
            .into_iter()
            .filter(|(person, row)| person.allows(at(row), self.cut_off))
            .collect();
        let excluded = (read - kept.len()) as u64;
        (kept, excluded)
    }

    /// Records one table export in the manifest.
    fn count(&self, table: &'static str, exported: u64, excluded: u64, rejected: u64) {
        if let Ok(mut tables) = self.tables.lock() {
            let entry = tables.entry(table).or_default();
            entry.exported += exported;
            entry.excluded_by_consent += excluded;
            entry.rejected += rejected;
        }
    }
}

/// A core research error as the Python `ResearchError` of the same kind.
fn research_error(error: research::Error) -> Error {
    Error::Research {
        kind: error.kind(),
        message: error.to_string(),
    }
}

/// Columns of the outcomes table.
#[derive(Default)]
struct OutcomeColumns {
    person: Vec<Option<String>>,
    course: Vec<Option<i64>>,
    problem: Vec<Option<String>>,
    opened: Vec<Option<String>>,
    sessions: Vec<Option<i64>>,
    treatment: Vec<Option<String>>,
    result: Vec<Option<String>>,
    depression_measure: Vec<Option<String>>,
    depression_first: Vec<Option<String>>,
    depression_last: Vec<Option<String>>,
    anxiety_measure: Vec<Option<String>>,
    anxiety_first: Vec<Option<String>>,
    anxiety_last: Vec<Option<String>>,
    recovery: Vec<Option<String>>,
    reliable_change: Vec<Option<String>>,
    reliable_recovery: Vec<Option<String>>,
}

impl OutcomeColumns {
    /// Adds one course's outcome; every value is copied from the core's result.
    fn push(
        &mut self,
        person: &Person,
        course: usize,
        opened: String,
        outcome: &outcomes::CourseOutcome,
    ) {
        self.person.push(Some(person.pseudonym.clone()));
        self.course.push(i64::try_from(course).ok());
        self.problem.push(
            outcome
                .problem_descriptor
                .map(|problem| problem.as_str().to_owned()),
        );
        self.opened.push(Some(opened));
        self.sessions
            .push(i64::try_from(outcome.treatment_sessions).ok());
        self.treatment
            .push(Some(outcome.treatment.as_str().to_owned()));
        self.depression_measure.push(Some(
            outcome.depression_measure.as_instrument_id().to_owned(),
        ));
        self.anxiety_measure.push(Some(
            outcome
                .anxiety_measure
                .measure
                .as_instrument_id()
                .to_owned(),
        ));
        let change = |change: &Option<outcomes::MeasureChange>| {
            change
                .as_ref()
                .map(|change| (change.first.to_string(), change.last.to_string()))
        };
        let (first, last) = change(&outcome.depression).unzip();
        self.depression_first.push(first);
        self.depression_last.push(last);
        let (first, last) = change(&outcome.anxiety).unzip();
        self.anxiety_first.push(first);
        self.anxiety_last.push(last);
        let (result, categories) = match &outcome.result {
            CourseResult::NotFinishedTreatment { .. } => ("not_finished_treatment", None),
            CourseResult::NoPairedScores { .. } => ("no_paired_scores", None),
            CourseResult::Measured(categories) => ("measured", Some(categories)),
        };
        self.result.push(Some(result.to_owned()));
        self.recovery
            .push(categories.map(|c| c.recovery.value.as_str().to_owned()));
        self.reliable_change
            .push(categories.map(|c| c.reliable_change.value.as_str().to_owned()));
        self.reliable_recovery
            .push(categories.map(|c| c.reliable_recovery.value.as_str().to_owned()));
    }

    fn into_columns(self) -> Vec<(&'static str, Column)> {
        vec![
            ("person", Column::Text(self.person)),
            ("course", Column::Integer(self.course)),
            ("problem_descriptor", Column::Text(self.problem)),
            ("opened", Column::Text(self.opened)),
            ("treatment_sessions", Column::Integer(self.sessions)),
            ("treatment", Column::Text(self.treatment)),
            ("result", Column::Text(self.result)),
            ("depression_measure", Column::Text(self.depression_measure)),
            ("depression_first", Column::Text(self.depression_first)),
            ("depression_last", Column::Text(self.depression_last)),
            ("anxiety_measure", Column::Text(self.anxiety_measure)),
            ("anxiety_first", Column::Text(self.anxiety_first)),
            ("anxiety_last", Column::Text(self.anxiety_last)),
            ("recovery", Column::Text(self.recovery)),
            ("reliable_change", Column::Text(self.reliable_change)),
            ("reliable_recovery", Column::Text(self.reliable_recovery)),
        ]
    }
}

/// Builds the Python dict of column lists.
fn columns<'py>(
    py: Python<'py>,
    table: Vec<(&'static str, Column)>,
) -> Result<Bound<'py, PyDict>, Error> {
    let dict = PyDict::new(py);
    for (name, column) in table {
        let list = match column {
            Column::Text(values) => PyList::new(py, values)?,
            Column::Integer(values) => PyList::new(py, values)?,
            Column::Boolean(values) => PyList::new(py, values)?,
            Column::IntegerList(values) => PyList::new(py, values)?,
        };
        dict.set_item(name, list)?;
    }
    Ok(dict)
}

/// Bytes of a `bytes` or `str` argument.
fn bytes_of(value: &Bound<'_, PyAny>, what: &'static str) -> Result<Vec<u8>, Error> {
    if !value.is_instance_of::<pyo3::types::PyString>()
        && let Ok(bytes) = value.extract::<Vec<u8>>()
    {
        return Ok(bytes);
    }
    if let Ok(text) = value.extract::<String>() {
        return Ok(text.into_bytes());
    }
    Err(Error::InvalidInput {
        what,
        reason: "expected bytes or str".to_owned(),
    })
}

/// The current instant, read through Python's clock (the bindings may read a
/// clock; the core never does).
fn now(py: Python<'_>) -> Result<Timestamp, Error> {
    let seconds: f64 = py.import("time")?.call_method0("time")?.extract()?;
    // Whole seconds: the core's timestamps are to the second.
    Ok(Timestamp::from_unix_seconds(seconds.floor() as i64)?)
}

/// Builds the `healing._native.research` submodule.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Study>()?;
    module.add_function(wrap_pyfunction!(connect, module)?)?;
    Ok(())
}
