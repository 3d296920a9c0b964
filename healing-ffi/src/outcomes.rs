//! NHS Talking Therapies outcome of a course of care, JSON in and out
//! (`healing_core::outcomes`).

use std::ffi::c_char;

use healing_core::outcomes::{Course, CourseRecord, course_outcome};

use crate::args::{Out, json_arg, json_text, rejected, text_arg};
use crate::result::healing_result;

/// Works out what NHS Talking Therapies reports about one course of care:
/// finished treatment, the paired depression and anxiety measures, caseness,
/// recovery, reliable improvement or deterioration, reliable recovery, and the
/// session-by-session trajectory.
///
/// `course_json` (UTF-8, `course_json_len` bytes) is one patient's attended
/// appointments, earliest first:
///
/// ```json
/// {"person": "patient-0042",
///  "problem_descriptor": "depression",
///  "sessions": [
///    {"at": "2026-01-05T10:00:00Z", "kind": "assessment",
///     "scores": [{"measure": "phq9", "value": 18}, {"measure": "gad7", "value": 15}]},
///    {"at": "2026-01-12T10:00:00Z", "kind": "treatment", "scores": []}]}
/// ```
///
/// `problem_descriptor` may be omitted or `null`. Session kinds are
/// `assessment`, `treatment`, `assessment_and_treatment`,
/// `review_and_treatment`, `review_without_treatment`, `other`. Measures and
/// the rest of both shapes are documented in healing-core's `outcomes` module
/// and in healing-ffi/README.md. Scores are numbers or decimal strings with
/// at most two places (`"2.35"`).
///
/// On success `*out_outcome_json` is a new JSON object (free it with
/// `healing_string_free`), e.g. `{"person":"patient-0042",...,
/// "result":{"status":"measured",...},"trajectory":[...]}`; its `result`
/// carries the outcome categories with their reasoning, or why they cannot
/// be given (not finished treatment, not a case at the start, ...).
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (wrong shape,
/// bad person id or time), `HEALING_ERR_INVALID_COURSE` (sessions out of
/// order, a measure twice in a session, a score out of range).
///
/// Thread safety: no shared state; call from any thread.
///
/// # Safety
/// `course_json` points to `course_json_len` readable bytes;
/// `out_outcome_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_talking_therapies_outcome(
    course_json: *const c_char,
    course_json_len: usize,
    out_outcome_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_outcome_json, "out_outcome_json") }?;
        // SAFETY: the caller passes `course_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(course_json, course_json_len, "course_json") }?;
        let record: CourseRecord = json_arg(text, "course_json")?;
        let course = Course::new(record)
            .map_err(|error| rejected(healing_result::HEALING_ERR_INVALID_COURSE, error))?;
        let outcome = course_outcome(&course);
        out.set_string(&json_text(&outcome, "the course outcome")?);
        Ok(())
    })
}
