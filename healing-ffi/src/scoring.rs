//! Questionnaire scoring (`healing_core::scoring`): the instrument registry as
//! JSON, and scores as a typed struct or as JSON.

use std::ffi::c_char;

use healing_core::scoring::{self, BandId, Flag, MAX_ITEMS, Score, SuicideRiskLevel};
use serde::Serialize;

use crate::args::{Blank, Out, handle_ref, json_arg, json_text, text_arg};
use crate::boundary::Failure;
use crate::engine::healing_engine;
use crate::result::healing_result;

/// An answer value meaning "this item was left blank" in `healing_score_answers`.
pub const HEALING_ANSWER_BLANK: i32 = -1;

/// Flag bit in `healing_score.flags`: an answer reports thoughts of
/// self-harm, suicide or death (PHQ-9 item 9, EPDS item 10, CORE-10 item 6,
/// C-SSRS items 1 and 2). Route the result to a clinician whatever the total.
pub const HEALING_SCORE_FLAG_SELF_HARM_THOUGHTS: u32 = 1 << 0;
/// Flag bit: the C-SSRS screener triage level is low, moderate or high
/// (`healing_score.suicide_risk` says which). Route to a clinician.
pub const HEALING_SCORE_FLAG_SUICIDE_RISK: u32 = 1 << 1;
/// Flag bit: a screening questionnaire is positive (PHQ-2, GAD-2, AUDIT-C).
pub const HEALING_SCORE_FLAG_SCREEN_POSITIVE: u32 = 1 << 2;
/// Flag bit: the score is at or above the instrument's clinical cut-off.
pub const HEALING_SCORE_FLAG_CLINICAL_RANGE: u32 = 1 << 3;
/// Flag bit: the PCL-5 answers meet the DSM-5 symptom pattern for
/// provisional PTSD.
pub const HEALING_SCORE_FLAG_PROVISIONAL_PTSD: u32 = 1 << 4;

/// The severity band of a score (`healing_score.band`). Which bands an
/// instrument uses, and their cut-offs with sources, are in its definition
/// (`healing_instrument_json`). New bands may be added in a minor release.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum healing_band {
    /// The instrument defines no bands.
    HEALING_BAND_NONE = 0,
    /// Minimal symptoms.
    HEALING_BAND_MINIMAL = 1,
    /// Mild.
    HEALING_BAND_MILD = 2,
    /// Moderate.
    HEALING_BAND_MODERATE = 3,
    /// Moderately severe.
    HEALING_BAND_MODERATELY_SEVERE = 4,
    /// Severe.
    HEALING_BAND_SEVERE = 5,
    /// Below the clinical range (CORE-10).
    HEALING_BAND_NON_CLINICAL = 6,
    /// Subclinical functional impairment (WSAS).
    HEALING_BAND_SUBCLINICAL = 7,
    /// Significant functional impairment (WSAS).
    HEALING_BAND_SIGNIFICANT_IMPAIRMENT = 8,
    /// Moderately severe or worse impairment (WSAS).
    HEALING_BAND_MODERATELY_SEVERE_IMPAIRMENT = 9,
    /// Low somatic symptom severity (PHQ-15).
    HEALING_BAND_LOW = 10,
    /// Medium somatic symptom severity (PHQ-15).
    HEALING_BAND_MEDIUM = 11,
    /// High somatic symptom severity (PHQ-15).
    HEALING_BAND_HIGH = 12,
    /// AUDIT zone I.
    HEALING_BAND_LOWER_RISK = 13,
    /// AUDIT zone II.
    HEALING_BAND_INCREASING_RISK = 14,
    /// AUDIT zone III.
    HEALING_BAND_HIGHER_RISK = 15,
    /// AUDIT zone IV.
    HEALING_BAND_POSSIBLE_DEPENDENCE = 16,
    /// Below the screening threshold (EPDS).
    HEALING_BAND_BELOW_THRESHOLD = 17,
    /// Possible depression (EPDS).
    HEALING_BAND_POSSIBLE_DEPRESSION = 18,
    /// Probable depression (EPDS).
    HEALING_BAND_PROBABLE_DEPRESSION = 19,
    /// C-SSRS screener: no suicidal ideation or behaviour reported.
    HEALING_BAND_NO_RISK_IDENTIFIED = 20,
    /// C-SSRS screener: low risk.
    HEALING_BAND_LOW_RISK = 21,
    /// C-SSRS screener: moderate risk.
    HEALING_BAND_MODERATE_RISK = 22,
    /// C-SSRS screener: high risk.
    HEALING_BAND_HIGH_RISK = 23,
}

impl From<BandId> for healing_band {
    fn from(band: BandId) -> Self {
        match band {
            BandId::Minimal => Self::HEALING_BAND_MINIMAL,
            BandId::Mild => Self::HEALING_BAND_MILD,
            BandId::Moderate => Self::HEALING_BAND_MODERATE,
            BandId::ModeratelySevere => Self::HEALING_BAND_MODERATELY_SEVERE,
            BandId::Severe => Self::HEALING_BAND_SEVERE,
            BandId::NonClinical => Self::HEALING_BAND_NON_CLINICAL,
            BandId::Subclinical => Self::HEALING_BAND_SUBCLINICAL,
            BandId::SignificantImpairment => Self::HEALING_BAND_SIGNIFICANT_IMPAIRMENT,
            BandId::ModeratelySevereImpairment => Self::HEALING_BAND_MODERATELY_SEVERE_IMPAIRMENT,
            BandId::Low => Self::HEALING_BAND_LOW,
            BandId::Medium => Self::HEALING_BAND_MEDIUM,
            BandId::High => Self::HEALING_BAND_HIGH,
            BandId::LowerRisk => Self::HEALING_BAND_LOWER_RISK,
            BandId::IncreasingRisk => Self::HEALING_BAND_INCREASING_RISK,
            BandId::HigherRisk => Self::HEALING_BAND_HIGHER_RISK,
            BandId::PossibleDependence => Self::HEALING_BAND_POSSIBLE_DEPENDENCE,
            BandId::BelowThreshold => Self::HEALING_BAND_BELOW_THRESHOLD,
            BandId::PossibleDepression => Self::HEALING_BAND_POSSIBLE_DEPRESSION,
            BandId::ProbableDepression => Self::HEALING_BAND_PROBABLE_DEPRESSION,
            BandId::NoRiskIdentified => Self::HEALING_BAND_NO_RISK_IDENTIFIED,
            BandId::LowRisk => Self::HEALING_BAND_LOW_RISK,
            BandId::ModerateRisk => Self::HEALING_BAND_MODERATE_RISK,
            BandId::HighRisk => Self::HEALING_BAND_HIGH_RISK,
        }
    }
}

/// The C-SSRS screener triage level (`healing_score.suicide_risk`).
/// Ordered: a larger number is more urgent.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum healing_suicide_risk {
    /// No C-SSRS risk flag (every other instrument, or no risk reported).
    HEALING_SUICIDE_RISK_NONE = 0,
    /// Wish to be dead or non-specific active thoughts only.
    HEALING_SUICIDE_RISK_LOW = 1,
    /// Thoughts with a method, or suicidal behaviour more than 3 months ago.
    HEALING_SUICIDE_RISK_MODERATE = 2,
    /// Intent, a plan with intent, or suicidal behaviour in the past 3 months.
    HEALING_SUICIDE_RISK_HIGH = 3,
}

impl From<SuicideRiskLevel> for healing_suicide_risk {
    fn from(level: SuicideRiskLevel) -> Self {
        match level {
            SuicideRiskLevel::Low => Self::HEALING_SUICIDE_RISK_LOW,
            SuicideRiskLevel::Moderate => Self::HEALING_SUICIDE_RISK_MODERATE,
            SuicideRiskLevel::High => Self::HEALING_SUICIDE_RISK_HIGH,
        }
    }
}

/// The result of scoring one questionnaire, as fixed-size fields. The JSON
/// form (`healing_score_answers_json`) adds band labels, subscales and every
/// flag's details.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct healing_score {
    /// The revision of healing's definition of the instrument used; store it
    /// with the score.
    pub instrument_version: u32,
    /// The total (prorated, rounded half up, when `missing_items` > 0).
    /// Meaningful only when `has_total`.
    pub total: u32,
    /// A decimal result in hundredths (SWEMWBS metric score, Mobility
    /// Inventory mean: 2321 means 23.21). Meaningful only when `has_derived`.
    pub derived_hundredths: u32,
    /// The severity band, a `healing_band` (`HEALING_BAND_NONE` when the
    /// instrument has no bands).
    pub band: u32,
    /// `HEALING_SCORE_FLAG_*` bits. Unknown bits may appear in later minor
    /// releases: ignore them.
    pub flags: u32,
    /// The 1-based item whose answer raised
    /// `HEALING_SCORE_FLAG_SELF_HARM_THOUGHTS` (the first, if several), or 0.
    pub self_harm_item: u32,
    /// The answer given to `self_harm_item`, or 0.
    pub self_harm_answer: u32,
    /// The C-SSRS triage level, a `healing_suicide_risk`.
    pub suicide_risk: u32,
    /// How many blank items the total was prorated over (0 when complete).
    pub missing_items: u32,
    /// Whether the instrument gives a total (false for the Mobility
    /// Inventory mean and the C-SSRS triage).
    pub has_total: bool,
    /// Whether `derived_hundredths` holds a value.
    pub has_derived: bool,
    /// Whether a flag says a clinician must see this result whatever the
    /// total (thoughts of self-harm, or any C-SSRS risk level).
    pub needs_clinician_review: bool,
}

impl Blank for healing_score {
    fn blank() -> Self {
        Self {
            instrument_version: 0,
            total: 0,
            derived_hundredths: 0,
            band: healing_band::HEALING_BAND_NONE as u32,
            flags: 0,
            self_harm_item: 0,
            self_harm_answer: 0,
            suicide_risk: healing_suicide_risk::HEALING_SUICIDE_RISK_NONE as u32,
            missing_items: 0,
            has_total: false,
            has_derived: false,
            needs_clinician_review: false,
        }
    }
}

impl From<&Score> for healing_score {
    fn from(score: &Score) -> Self {
        let mut typed = Self::blank();
        typed.instrument_version = u32::from(score.version);
        if let Some(total) = score.total {
            typed.total = u32::from(total);
            typed.has_total = true;
        }
        if let Some(derived) = score.derived {
            typed.derived_hundredths = u32::from(derived.hundredths());
            typed.has_derived = true;
        }
        if let Some(band) = &score.band {
            typed.band = healing_band::from(band.id) as u32;
        }
        for flag in &score.flags {
            typed.flags |= match *flag {
                Flag::SelfHarmThoughts { item, answer } => {
                    if typed.self_harm_item == 0 {
                        typed.self_harm_item = u32::from(item);
                        typed.self_harm_answer = u32::from(answer);
                    }
                    HEALING_SCORE_FLAG_SELF_HARM_THOUGHTS
                }
                Flag::SuicideRisk { level } => {
                    typed.suicide_risk = healing_suicide_risk::from(level) as u32;
                    HEALING_SCORE_FLAG_SUICIDE_RISK
                }
                Flag::ScreenPositive => HEALING_SCORE_FLAG_SCREEN_POSITIVE,
                Flag::ClinicalRange => HEALING_SCORE_FLAG_CLINICAL_RANGE,
                Flag::ProvisionalPtsdDiagnosis => HEALING_SCORE_FLAG_PROVISIONAL_PTSD,
            };
        }
        typed.missing_items = match score.completeness {
            scoring::Completeness::Complete => 0,
            scoring::Completeness::Prorated { missing } => u32::from(missing),
        };
        typed.needs_clinician_review = score.needs_clinician_review();
        typed
    }
}

/// A scoring error as a C failure: an unknown id has its own code.
pub(crate) fn scoring_failure(error: scoring::Error) -> Failure {
    Failure::new(scoring_code(&error), error.to_string())
}

/// The `healing_result` code of a scoring error. Exhaustive, so a new kind of
/// scoring error cannot go unmapped.
pub(crate) fn scoring_code(error: &scoring::Error) -> healing_result {
    match error {
        scoring::Error::UnknownInstrument { .. } => healing_result::HEALING_ERR_UNKNOWN_INSTRUMENT,
        scoring::Error::WrongNumberOfAnswers { .. }
        | scoring::Error::AnswerAboveMaximum { .. }
        | scoring::Error::AnswerBelowMinimum { .. }
        | scoring::Error::AnswerNotAnOption { .. }
        | scoring::Error::MissingAnswer { .. }
        | scoring::Error::TooManyMissingAnswers { .. }
        | scoring::Error::AnswerToSkippedItem { .. } => healing_result::HEALING_ERR_INVALID_ANSWERS,
    }
}

/// The instrument for a caller's id, or `HEALING_ERR_UNKNOWN_INSTRUMENT`.
fn instrument_arg(id: &str) -> Result<&'static scoring::Instrument, Failure> {
    scoring::instrument(id).ok_or_else(|| {
        Failure::new(
            healing_result::HEALING_ERR_UNKNOWN_INSTRUMENT,
            format!(
                "no instrument has the id '{}'",
                id.chars().take(64).collect::<String>()
            ),
        )
    })
}

/// One line of the instrument list.
#[derive(Serialize)]
struct InstrumentSummary {
    id: &'static str,
    version: u16,
    title: &'static str,
    items: usize,
}

/// The questionnaires the engine can score, as a JSON array in a stable
/// order: `[{"id":"phq9","version":1,"title":"Patient Health Questionnaire
/// (PHQ-9)","items":9}, ...]`. Pass an `id` to `healing_instrument_json` for
/// the full definition.
///
/// On success `*out_instruments_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`.
///
/// # Safety
/// `engine` is a live engine; `out_instruments_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_instruments_json(
    engine: *const healing_engine,
    out_instruments_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_instruments_json, "out_instruments_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let _engine = unsafe { handle_ref(engine, "engine") }?;
        let summaries: Vec<InstrumentSummary> = scoring::instruments()
            .iter()
            .map(|instrument| InstrumentSummary {
                id: instrument.id.as_str(),
                version: instrument.version,
                title: instrument.title,
                items: instrument.items.len(),
            })
            .collect();
        out.set_string(&json_text(&summaries, "the instrument list")?);
        Ok(())
    })
}

/// One questionnaire's full definition as JSON, to render a form and to
/// show where its scoring comes from: items with their answer options and
/// values, recall period, scoring and prorating rules, bands with cut-offs,
/// subscales, thresholds, risk items, licence and source.
///
/// `instrument_id` (UTF-8) is a stable id such as `phq9`, `gad7`, `audit_c`
/// (`healing_instruments_json` lists them). Where an instrument's licence
/// restricts reproducing its wording, the definition carries structure and
/// scoring only, and the licence says so.
///
/// On success `*out_instrument_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_UNKNOWN_INSTRUMENT`.
///
/// # Safety
/// `engine` is a live engine; `instrument_id` points to `instrument_id_len`
/// readable bytes; `out_instrument_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_instrument_json(
    engine: *const healing_engine,
    instrument_id: *const c_char,
    instrument_id_len: usize,
    out_instrument_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_instrument_json, "out_instrument_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let _engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `instrument_id_len` readable bytes (or NULL, refused).
        let id = unsafe { text_arg(instrument_id, instrument_id_len, "instrument_id") }?;
        let instrument = instrument_arg(id)?;
        out.set_string(&json_text(instrument, "the instrument")?);
        Ok(())
    })
}

/// Scores one completed questionnaire into a fixed-size struct.
///
/// `instrument_id` (UTF-8) is a stable id such as `phq9`. `answers` holds
/// `answers_len` values, one per item in order (item 1 first): each is the
/// value of the option chosen (e.g. 0 to 3 for the PHQ-9), or
/// `HEALING_ANSWER_BLANK` (-1) for an item left blank. Blanks are allowed
/// only where the instrument's prorating rule allows them; risk items are
/// never prorated.
///
/// On success `*out_score` holds the result; on failure it is all zeros.
///
/// Clinical safety: when `needs_clinician_review` is true (thoughts of
/// self-harm, or any C-SSRS risk), route the result to a clinician whatever
/// the total.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_UNKNOWN_INSTRUMENT`, `HEALING_ERR_INVALID_ANSWERS` (wrong
/// number of answers, a value that is not one of the item's options or not
/// -1, a required item blank, too many blanks; the message names the item).
///
/// # Safety
/// `engine` is a live engine; `instrument_id` points to `instrument_id_len`
/// readable bytes; `answers` points to `answers_len` readable `int32_t`s;
/// `out_score` is a writable `healing_score`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_score_answers(
    engine: *const healing_engine,
    instrument_id: *const c_char,
    instrument_id_len: usize,
    answers: *const i32,
    answers_len: usize,
    out_score: *mut healing_score,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `healing_score` (or NULL, refused).
        let out = unsafe { Out::new(out_score, "out_score") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let _engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `instrument_id_len` readable bytes (or NULL, refused).
        let id = unsafe { text_arg(instrument_id, instrument_id_len, "instrument_id") }?;
        // SAFETY: the caller passes `answers_len` readable `int32_t`s (or NULL, refused).
        let raw = unsafe { answers_arg(answers, answers_len) }?;
        // Answers fit on the stack for every registered instrument; a longer
        // list is still converted so the core can name the count mismatch.
        let mut on_stack = [None; MAX_ITEMS];
        let on_heap: Vec<Option<u8>>;
        let converted: &[Option<u8>] = match on_stack.get_mut(..raw.len()) {
            Some(slots) => {
                for (index, (slot, value)) in slots.iter_mut().zip(raw).enumerate() {
                    *slot = answer_value(index, *value)?;
                }
                slots
            }
            None => {
                on_heap = raw
                    .iter()
                    .enumerate()
                    .map(|(index, value)| answer_value(index, *value))
                    .collect::<Result<_, _>>()?;
                &on_heap
            }
        };
        let score = scoring::score_answers(id, converted).map_err(scoring_failure)?;
        out.set(healing_score::from(&score));
        Ok(())
    })
}

/// Scores one questionnaire and returns the full result as JSON.
///
/// `answers_json` (UTF-8) is an array with one entry per item, in order: the
/// option value chosen, or `null` for a blank item, e.g.
/// `[2,2,1,2,1,1,2,1,1]`. The result is the full score:
/// `{"instrument":"phq9","version":1,"total":13,"derived":null,
/// "band":{"id":"moderate","label":"Moderate"},"subscales":[],
/// "flags":[{"flag":"self_harm_thoughts","item":9,"answer":1}],
/// "completeness":{"kind":"complete"}}`.
///
/// On success `*out_score_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (not an array
/// of numbers 0 to 255 and nulls), `HEALING_ERR_UNKNOWN_INSTRUMENT`,
/// `HEALING_ERR_INVALID_ANSWERS`.
///
/// # Safety
/// `engine` is a live engine; `instrument_id` and `answers_json` point to
/// their lengths in readable bytes; `out_score_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_score_answers_json(
    engine: *const healing_engine,
    instrument_id: *const c_char,
    instrument_id_len: usize,
    answers_json: *const c_char,
    answers_json_len: usize,
    out_score_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_score_json, "out_score_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let _engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `instrument_id_len` readable bytes (or NULL, refused).
        let id = unsafe { text_arg(instrument_id, instrument_id_len, "instrument_id") }?;
        // SAFETY: the caller passes `answers_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(answers_json, answers_json_len, "answers_json") }?;
        let answers: Vec<Option<u8>> = json_arg(text, "answers_json")?;
        let score = scoring::score_answers(id, &answers).map_err(scoring_failure)?;
        out.set_string(&json_text(&score, "the score")?);
        Ok(())
    })
}

/// Borrows the caller's answer array.
///
/// # Safety
/// If `answers` is not NULL it points to `len` readable, aligned `int32_t`s.
unsafe fn answers_arg<'call>(answers: *const i32, len: usize) -> Result<&'call [i32], Failure> {
    if answers.is_null() {
        return Err(crate::args::null_parameter("answers"));
    }
    if len > isize::MAX as usize / size_of::<i32>() {
        return Err(Failure::new(
            healing_result::HEALING_ERR_INVALID_ARGUMENT,
            format!("parameter `answers_len` is {len}, too many answers"),
        ));
    }
    // SAFETY: non-NULL (checked); the caller promises `len` readable, aligned
    // `int32_t`s that stay unchanged for the call; the byte size fits `isize`.
    Ok(unsafe { std::slice::from_raw_parts(answers, len) })
}

/// One C answer as the core's optional option value.
fn answer_value(index: usize, value: i32) -> Result<Option<u8>, Failure> {
    if value == HEALING_ANSWER_BLANK {
        return Ok(None);
    }
    u8::try_from(value).map(Some).map_err(|_| {
        Failure::new(
            healing_result::HEALING_ERR_INVALID_ANSWERS,
            format!(
                "answer to item {} is {value}; give the option value chosen, or -1 for a blank item",
                index + 1
            ),
        )
    })
}
