//! Risk screening of free text (`healing_core::safety`): a typed summary or the
//! full assessment as JSON, one text or a batch, and the crisis resources to
//! show with an assessment.

use std::ffi::c_char;

use healing_core::safety::{Assessment, Category, Context, RiskLevel};

use crate::args::{Blank, Out, handle_ref, json_arg, json_text, null_parameter, text_arg};
use crate::boundary::Failure;
use crate::engine::healing_engine;
use crate::result::healing_result;

/// How urgently a human should see a text (`healing_assessment.level`).
/// Ordered: compare with `>=`. Levels route a message to people (crisis
/// resources on screen, a clinician alert); they never predict suicide and
/// are never a reason to withhold care (NICE NG225, 2022, 1.5.12-1.5.13).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum healing_risk_level {
    /// No risk content about the writer (small talk, idioms, clear negation,
    /// fiction or quotes about something else).
    HEALING_RISK_NONE = 0,
    /// Distress or low mood with no risk indicator, or clearly past risk.
    HEALING_RISK_LOW = 1,
    /// A passive wish to be dead, hopelessness with entrapment, resisted
    /// urges to self-harm, worry about someone else, ambiguous risk talk.
    HEALING_RISK_MEDIUM = 2,
    /// Current suicidal thoughts without a stated plan, recent self-harm,
    /// being harmed or unsafe at home, a threat to hurt someone without a plan.
    HEALING_RISK_HIGH = 3,
    /// Intent with a plan, means, time or place; an attempt under way;
    /// goodbye messages; imminent danger to others with intent.
    HEALING_RISK_CRITICAL = 4,
}

impl From<RiskLevel> for healing_risk_level {
    fn from(level: RiskLevel) -> Self {
        match level {
            RiskLevel::None => Self::HEALING_RISK_NONE,
            RiskLevel::Low => Self::HEALING_RISK_LOW,
            RiskLevel::Medium => Self::HEALING_RISK_MEDIUM,
            RiskLevel::High => Self::HEALING_RISK_HIGH,
            RiskLevel::Critical => Self::HEALING_RISK_CRITICAL,
        }
    }
}

/// The core level for a C number.
fn risk_level_arg(number: u32) -> Result<RiskLevel, Failure> {
    RiskLevel::ALL
        .into_iter()
        .find(|level| healing_risk_level::from(*level) as u32 == number)
        .ok_or_else(|| {
            Failure::new(
                healing_result::HEALING_ERR_INVALID_ARGUMENT,
                format!("parameter `level` is {number}, not a healing_risk_level (0 to 4)"),
            )
        })
}

/// Category bit in `healing_assessment.categories`: thoughts of suicide, a
/// plan, or an attempt.
pub const HEALING_CATEGORY_SUICIDE: u32 = 1 << 0;
/// Category bit: self-harm (urges, acts, injuries).
pub const HEALING_CATEGORY_SELF_HARM: u32 = 1 << 1;
/// Category bit: a threat or intent to hurt another person.
pub const HEALING_CATEGORY_HARM_TO_OTHERS: u32 = 1 << 2;
/// Category bit: the writer, a child or a vulnerable adult is being abused,
/// neglected, exploited or is unsafe.
pub const HEALING_CATEGORY_SAFEGUARDING: u32 = 1 << 3;
/// Category bit: the concern is about someone other than the writer (always
/// with the bit of that person's risk).
pub const HEALING_CATEGORY_THIRD_PARTY: u32 = 1 << 4;

/// The category's bit.
const fn category_bit(category: Category) -> u32 {
    match category {
        Category::Suicide => HEALING_CATEGORY_SUICIDE,
        Category::SelfHarm => HEALING_CATEGORY_SELF_HARM,
        Category::HarmToOthers => HEALING_CATEGORY_HARM_TO_OTHERS,
        Category::Safeguarding => HEALING_CATEGORY_SAFEGUARDING,
        Category::ThirdParty => HEALING_CATEGORY_THIRD_PARTY,
    }
}

/// The summary of one risk assessment, as fixed-size fields. The JSON form
/// (`healing_assess_json`) adds each finding's rule, byte span and reason,
/// notes, and the rules version.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct healing_assessment {
    /// The highest level any finding supports, a `healing_risk_level`.
    pub level: u32,
    /// `HEALING_CATEGORY_*` bits of the findings at medium or above (0 when
    /// the level is below medium). Unknown bits may appear in later minor
    /// releases: treat them as "some other risk".
    pub categories: u32,
    /// How many findings (pieces of evidence) support the assessment.
    pub finding_count: usize,
}

impl Blank for healing_assessment {
    fn blank() -> Self {
        Self {
            level: healing_risk_level::HEALING_RISK_NONE as u32,
            categories: 0,
            finding_count: 0,
        }
    }
}

impl From<&Assessment> for healing_assessment {
    fn from(assessment: &Assessment) -> Self {
        Self {
            level: healing_risk_level::from(assessment.level) as u32,
            categories: assessment
                .categories
                .iter()
                .fold(0, |bits, category| bits | category_bit(*category)),
            finding_count: assessment.findings.len(),
        }
    }
}

/// The context JSON, or the default context for an empty string.
fn context_arg(text: &str) -> Result<Context, Failure> {
    if text.is_empty() {
        Ok(Context::default())
    } else {
        json_arg(text, "context_json")
    }
}

/// Screens one free text (a note, a message, a journal entry) for risk, and
/// summarises the result in a fixed-size struct.
///
/// `text` is UTF-8, `text_len` bytes, of any length (empty is fine: level
/// none). On success `*out_assessment` holds the summary; on failure it is
/// all zeros (`HEALING_RISK_NONE`): on any failure, fail safe (show crisis
/// resources, `healing_crisis_resources_for_level_json` at
/// `HEALING_RISK_CRITICAL`) rather than treat the text as risk-free.
///
/// Clinical safety: a level of none is not evidence of no risk. Show results
/// to a clinician, never in place of one.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`.
///
/// # Safety
/// `engine` is a live engine; `text` points to `text_len` readable bytes;
/// `out_assessment` is a writable `healing_assessment`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_assess(
    engine: *const healing_engine,
    text: *const c_char,
    text_len: usize,
    out_assessment: *mut healing_assessment,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `healing_assessment` (or NULL, refused).
        let out = unsafe { Out::new(out_assessment, "out_assessment") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `text_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(text, text_len, "text") }?;
        let assessment = engine.safety.assess(text, &Context::default());
        out.set(healing_assessment::from(&assessment));
        Ok(())
    })
}

/// Screens one free text for risk and returns the full assessment as JSON.
///
/// `context_json` (UTF-8) says where the text came from, e.g.
/// `{"source":"clinical_note","recent_levels":[]}`; pass `""` and 0 for
/// none. Sources: `chat`, `mood_note`, `journal`, `message`, `community`,
/// `clinical_note`, `unknown`. The built-in rules do not read it; local rules
/// may.
///
/// The result: `{"level":"high","categories":["suicide"],"findings":[{"rule":
/// "suicide.active_ideation","start":12,"end":27,"level":"high",
/// "categories":["suicide"],"reason":"..."}],"notes":[...],
/// "rules_version":"2026.11.1"}`. `start` and `end` are byte offsets into
/// `text` (character boundaries) of the evidence.
///
/// On success `*out_assessment_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (context of
/// the wrong shape).
///
/// # Safety
/// `engine` is a live engine; `text` and `context_json` point to their
/// lengths in readable bytes; `out_assessment_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_assess_json(
    engine: *const healing_engine,
    text: *const c_char,
    text_len: usize,
    context_json: *const c_char,
    context_json_len: usize,
    out_assessment_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_assessment_json, "out_assessment_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `text_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(text, text_len, "text") }?;
        // SAFETY: the caller passes `context_json_len` readable bytes (or NULL, refused).
        let context = unsafe { text_arg(context_json, context_json_len, "context_json") }?;
        let context = context_arg(context)?;
        let assessment = engine.safety.assess(text, &context);
        out.set_string(&json_text(&assessment, "the assessment")?);
        Ok(())
    })
}

/// Screens a batch of texts, in order, into an array of summaries.
///
/// `texts[i]` points to `text_lens[i]` bytes of UTF-8, for `i` from 0 to
/// `count - 1`; `out_assessments` points to an array of `count`
/// `healing_assessment`s that receives one summary per text, in the same
/// order. A NULL or invalid text fails the whole call (the message names its
/// index) and every output is zeroed. `count` may be 0 (then the arrays are
/// not read, but must still not be NULL).
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_ARGUMENT` (`count` too large).
///
/// # Safety
/// `engine` is a live engine; `texts` and `text_lens` point to `count`
/// readable elements; each `texts[i]` points to `text_lens[i]` readable
/// bytes; `out_assessments` points to `count` writable `healing_assessment`s.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_assess_many(
    engine: *const healing_engine,
    texts: *const *const c_char,
    text_lens: *const usize,
    count: usize,
    out_assessments: *mut healing_assessment,
) -> healing_result {
    ffi_boundary!({
        if out_assessments.is_null() {
            return Err(null_parameter("out_assessments"));
        }
        if texts.is_null() {
            return Err(null_parameter("texts"));
        }
        if text_lens.is_null() {
            return Err(null_parameter("text_lens"));
        }
        if count > isize::MAX as usize / size_of::<healing_assessment>() {
            return Err(Failure::new(
                healing_result::HEALING_ERR_INVALID_ARGUMENT,
                format!("parameter `count` is {count}, too many texts"),
            ));
        }
        // Blank every output before anything can fail, so a failed call leaves
        // zeros; raw writes, because the caller's memory may be uninitialised.
        for index in 0..count {
            // SAFETY: non-NULL (checked); the caller promises `count` writable,
            // aligned elements, so `index < count` stays inside the array.
            unsafe {
                out_assessments
                    .add(index)
                    .write(healing_assessment::blank())
            };
        }
        // SAFETY: as above, and every element is now initialised; the byte
        // size fits `isize` (checked).
        let outputs = unsafe { std::slice::from_raw_parts_mut(out_assessments, count) };
        // SAFETY: non-NULL (checked) and the caller promises `count` readable
        // elements in each array.
        let (pointers, lens) = unsafe {
            (
                std::slice::from_raw_parts(texts, count),
                std::slice::from_raw_parts(text_lens, count),
            )
        };
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let engine = unsafe { handle_ref(engine, "engine") }?;
        let mut batch = Vec::with_capacity(count);
        for (index, (pointer, len)) in pointers.iter().zip(lens).enumerate() {
            // SAFETY: the caller promises `texts[i]` points to `text_lens[i]`
            // readable bytes (or is NULL, refused).
            batch.push(unsafe { text_arg(*pointer, *len, &format!("texts[{index}]")) }?);
        }
        let assessments = engine.safety.assess_many(&batch, &Context::default());
        for (output, assessment) in outputs.iter_mut().zip(&assessments) {
            *output = healing_assessment::from(assessment);
        }
        Ok(())
    })
}

/// Screens a batch of texts, in order, and returns the full assessments as
/// a JSON array.
///
/// `texts_json` (UTF-8) is a JSON array of strings, e.g.
/// `["first note","second note"]`; `context_json` applies to every text
/// (`""` and 0 for none; see `healing_assess_json`). The result is an array
/// of assessments in the same order, each shaped as `healing_assess_json`
/// describes.
///
/// On success `*out_assessments_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (not an array
/// of strings, or a context of the wrong shape).
///
/// # Safety
/// `engine` is a live engine; `texts_json` and `context_json` point to
/// their lengths in readable bytes; `out_assessments_json` is a writable
/// `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_assess_many_json(
    engine: *const healing_engine,
    texts_json: *const c_char,
    texts_json_len: usize,
    context_json: *const c_char,
    context_json_len: usize,
    out_assessments_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_assessments_json, "out_assessments_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `texts_json_len` readable bytes (or NULL, refused).
        let texts = unsafe { text_arg(texts_json, texts_json_len, "texts_json") }?;
        // SAFETY: the caller passes `context_json_len` readable bytes (or NULL, refused).
        let context = unsafe { text_arg(context_json, context_json_len, "context_json") }?;
        let texts: Vec<String> = json_arg(texts, "texts_json")?;
        let context = context_arg(context)?;
        let batch: Vec<&str> = texts.iter().map(String::as_str).collect();
        let assessments = engine.safety.assess_many(&batch, &context);
        out.set_string(&json_text(&assessments, "the assessments")?);
        Ok(())
    })
}

/// The crisis resources to show with an assessment, most urgent first, as a
/// JSON array: `[{"id":"samaritans","name":"Samaritans","contact":"call 116
/// 123 (free, 24 hours)","description":"...","min_level":"medium",
/// "categories":[]}, ...]`. Empty for level none. The directory is the
/// built-in UK one.
///
/// `assessment_json` (UTF-8) is an assessment exactly as
/// `healing_assess_json` returned it (or one element of
/// `healing_assess_many_json`).
///
/// On success `*out_resources_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `engine` is a live engine; `assessment_json` points to
/// `assessment_json_len` readable bytes; `out_resources_json` is a writable
/// `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_crisis_resources_json(
    engine: *const healing_engine,
    assessment_json: *const c_char,
    assessment_json_len: usize,
    out_resources_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_resources_json, "out_resources_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `assessment_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(assessment_json, assessment_json_len, "assessment_json") }?;
        let assessment: Assessment = json_arg(text, "assessment_json")?;
        let resources = engine.crisis.resources_for(&assessment);
        out.set_string(&json_text(&resources, "the crisis resources")?);
        Ok(())
    })
}

/// The crisis resources for a level, whatever the categories, most urgent
/// first, as a JSON array shaped as in `healing_crisis_resources_json`.
///
/// Use it to fail safe: when you cannot get an assessment for a text (any
/// error), show the resources for `HEALING_RISK_CRITICAL` rather than none.
///
/// On success `*out_resources_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_ARGUMENT`
/// (`level` is not a `healing_risk_level`).
///
/// # Safety
/// `engine` is a live engine; `out_resources_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_crisis_resources_for_level_json(
    engine: *const healing_engine,
    level: u32,
    out_resources_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_resources_json, "out_resources_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let engine = unsafe { handle_ref(engine, "engine") }?;
        let level = risk_level_arg(level)?;
        let resources = engine.crisis.resources_for_level(level);
        out.set_string(&json_text(&resources, "the crisis resources")?);
        Ok(())
    })
}
