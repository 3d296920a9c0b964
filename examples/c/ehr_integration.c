/*
 * ehr_integration.c - how an EHR system written in C uses libhealing.
 *
 * The EHR has just received two things for patient-0042:
 *   1. a completed PHQ-9 from its questionnaire module, as a FHIR R4
 *      QuestionnaireResponse (LOINC codes);
 *   2. a free-text note a clinician typed after a phone call.
 * It scores the PHQ-9 (getting back the FHIR Observation to file), screens the
 * note for risk, stores the results (here: prints them) and, when either says
 * a clinician must look now, raises an alert: a FHIR Flag for the record and
 * the crisis resources to offer the patient.
 *
 * Build: see README.md in this folder (make HEALING_LIB_DIR=../../target/debug).
 * Run:   ./ehr_integration ["note text to screen instead of the built-in one"]
 */
#include "healing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the questionnaire module hands over: a FHIR R4 QuestionnaireResponse
 * for the LOINC PHQ-9 panel (44249-1), one item per question, each answer the
 * option's value. */
static const char PHQ9_RESPONSE[] =
    "{\"resourceType\":\"QuestionnaireResponse\","
    "\"questionnaire\":\"http://loinc.org/q/44249-1\",\"status\":\"completed\","
    "\"subject\":{\"reference\":\"Patient/patient-0042\"},"
    "\"authored\":\"2026-11-20T10:15:00Z\",\"item\":["
    "{\"linkId\":\"44250-9\",\"answer\":[{\"valueInteger\":2}]},"
    "{\"linkId\":\"44255-8\",\"answer\":[{\"valueInteger\":2}]},"
    "{\"linkId\":\"44259-0\",\"answer\":[{\"valueInteger\":1}]},"
    "{\"linkId\":\"44254-1\",\"answer\":[{\"valueInteger\":2}]},"
    "{\"linkId\":\"44251-7\",\"answer\":[{\"valueInteger\":1}]},"
    "{\"linkId\":\"44258-2\",\"answer\":[{\"valueInteger\":1}]},"
    "{\"linkId\":\"44252-5\",\"answer\":[{\"valueInteger\":2}]},"
    "{\"linkId\":\"44253-3\",\"answer\":[{\"valueInteger\":1}]},"
    "{\"linkId\":\"44260-8\",\"answer\":[{\"valueInteger\":1}]}]}";

/* When the note was screened: 2026-11-20T10:30:00Z. */
static const int64_t SCREENED_AT = 1795170600;

/* The clinician's note from the telephone review. */
static const char DEFAULT_NOTE[] =
    "Phone review. Sleeping badly, low mood most days. Says she has been "
    "thinking about ending her life and has started giving her things away.";

/* Where the note came from, for the risk screen's record. */
static const char NOTE_CONTEXT[] = "{\"source\":\"clinical_note\",\"recent_levels\":[]}";

/* Prints why a call failed and returns 0, so callers can write
 * `if (!ok(healing_x(...), "what")) goto cleanup;`. */
static int ok(healing_result result, const char *what) {
    if (result == HEALING_OK) {
        return 1;
    }
    fprintf(stderr, "healing: %s failed: %s: %s\n", what, healing_result_name(result),
            healing_last_error());
    return 0;
}

/* The library loaded at run time must match the header we compiled against. */
static int library_is_compatible(void) {
    unsigned major = 0, minor = 0, patch = 0;
    if (sscanf(healing_version(), "%u.%u.%u", &major, &minor, &patch) != 3) {
        return 0;
    }
    return major == HEALING_VERSION_MAJOR && minor >= HEALING_VERSION_MINOR;
}

static const char *risk_level_name(uint32_t level) {
    switch (level) {
    case HEALING_RISK_NONE: return "none";
    case HEALING_RISK_LOW: return "low";
    case HEALING_RISK_MEDIUM: return "medium";
    case HEALING_RISK_HIGH: return "high";
    case HEALING_RISK_CRITICAL: return "critical";
    default: return "unknown (newer library)";
    }
}

static const char *phq9_band_name(uint32_t band) {
    switch (band) {
    case HEALING_BAND_MINIMAL: return "minimal";
    case HEALING_BAND_MILD: return "mild";
    case HEALING_BAND_MODERATE: return "moderate";
    case HEALING_BAND_MODERATELY_SEVERE: return "moderately severe";
    case HEALING_BAND_SEVERE: return "severe";
    default: return "other";
    }
}

int main(int argc, char **argv) {
    const char *note = argc > 1 ? argv[1] : DEFAULT_NOTE;
    int exit_code = EXIT_FAILURE;
    healing_engine *engine = NULL;
    char *observation_json = NULL;
    char *flag_json = NULL;
    char *assessment_json = NULL;
    char *resources_json = NULL;
    char *rules_version = NULL;
    healing_score score;
    healing_assessment assessment;
    int alert = 0;

    if (!library_is_compatible()) {
        fprintf(stderr, "libhealing %s does not match healing.h %d.%d.%d\n", healing_version(),
                HEALING_VERSION_MAJOR, HEALING_VERSION_MINOR, HEALING_VERSION_PATCH);
        return EXIT_FAILURE;
    }

    /* One engine for the whole process: build it at start-up, share it. */
    if (!ok(healing_engine_new("", 0, &engine), "creating the engine")) goto cleanup;
    if (!ok(healing_engine_rules_version(engine, &rules_version), "reading the rules version"))
        goto cleanup;
    printf("libhealing %s, risk rules %s\n\n", healing_version(), rules_version);

    /* 1. Score the PHQ-9: the typed result for routing, the FHIR Observation
     *    (LOINC-coded total) to file back into the record. */
    if (!ok(healing_fhir_score_questionnaire_response(engine, PHQ9_RESPONSE,
                                                      sizeof PHQ9_RESPONSE - 1, &score,
                                                      &observation_json),
            "scoring the PHQ-9 QuestionnaireResponse"))
        goto cleanup;
    printf("PHQ-9 for patient-0042\n");
    printf("  total %u (%s), definition v%u\n", score.total, phq9_band_name(score.band),
           score.instrument_version);
    if (score.flags & HEALING_SCORE_FLAG_SELF_HARM_THOUGHTS) {
        printf("  item %u answered %u: thoughts of self-harm or being better off dead\n",
               score.self_harm_item, score.self_harm_answer);
    }
    printf("  Observation to file: %s\n\n", observation_json);
    if (score.needs_clinician_review) {
        alert = 1;
    }

    /* 2. Screen the clinician's note for risk. */
    if (!ok(healing_assess(engine, note, strlen(note), &assessment), "screening the note")) {
        /* Fail safe: if the screen cannot run, treat the note as urgent. */
        assessment.level = HEALING_RISK_CRITICAL;
    }
    if (!ok(healing_assess_json(engine, note, strlen(note), NOTE_CONTEXT,
                                sizeof NOTE_CONTEXT - 1, &assessment_json),
            "screening the note (JSON)"))
        goto cleanup;
    printf("Risk screen of the note\n");
    printf("  level %s, %zu finding(s)%s%s\n", risk_level_name(assessment.level),
           assessment.finding_count,
           (assessment.categories & HEALING_CATEGORY_SUICIDE) ? ", suicide" : "",
           (assessment.categories & HEALING_CATEGORY_SELF_HARM) ? ", self-harm" : "");
    printf("  stored record: %s\n\n", assessment_json);
    /* This service's policy: high or critical alerts the duty clinician now. */
    if (assessment.level >= HEALING_RISK_HIGH) {
        alert = 1;
    }

    /* 3. Alert: a FHIR Flag (with the RiskAssessment behind it) for the record,
     *    and the crisis resources to give the patient. */
    if (alert) {
        if (!ok(healing_fhir_safety_alert(engine, assessment_json, strlen(assessment_json),
                                          "patient-0042", 12, SCREENED_AT,
                                          HEALING_FREE_TEXT_INCLUDE, &flag_json),
                "writing the FHIR alert"))
            goto cleanup;
        if (!ok(healing_crisis_resources_json(engine, assessment_json, strlen(assessment_json),
                                              &resources_json),
                "choosing crisis resources"))
            goto cleanup;
        printf("ALERT: duty clinician to review patient-0042 today\n");
        printf("  RiskAssessment and Flag to file: %s\n", flag_json);
        printf("  crisis resources to offer: %s\n", resources_json);
    } else {
        printf("No alert.\n");
    }
    exit_code = EXIT_SUCCESS;

cleanup:
    /* Every free accepts NULL, and failed calls leave their outputs NULL. */
    (void)healing_string_free(resources_json);
    (void)healing_string_free(assessment_json);
    (void)healing_string_free(flag_json);
    (void)healing_string_free(observation_json);
    (void)healing_string_free(rules_version);
    (void)healing_engine_free(engine);
    return exit_code;
}
