/*
 * bad_input.c - feeds the C API what a careless or hostile caller might: NULL
 * pointers, invalid UTF-8, empty strings, a 10 MB string, malformed JSON,
 * unknown ids, double frees and the wrong kind of handle. Every call must
 * return its documented code with a useful healing_last_error() message, leave
 * its out-parameters NULL/zero, and never crash or leak (run-c-tests.sh runs
 * this under valgrind too).
 *
 * Double free: every _free and healing_string_free refuses a pointer it no
 * longer owns (HEALING_ERR_UNKNOWN_POINTER); this is best effort, because a
 * freed address can be reused by a later allocation (see the header).
 *
 * Prints "N passed, M failed" last and exits non-zero if anything failed.
 */
#include "healing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

/* A pointer no healing function returns, to check that failures reset outputs. */
static char sentinel_byte;
#define SENTINEL ((char *)&sentinel_byte)

static const char EMPTY_LEDGER[] = "{\"person\":\"patient-0042\",\"events\":[]}";
static const char GRANT[] =
    "{\"person\":\"patient-0042\",\"purpose\":\"research\",\"decision\":\"grant\","
    "\"at\":\"2026-03-01T09:00:00Z\",\"wording_version\":\"research-v2\","
    "\"recorded_by\":\"subject\"}";
static const char ADOPTION[] = "{\"name\":\"Biscuit\",\"species\":\"hedgehog\"}";
static const char INVALID_UTF8[] = "{\"person\":\"\xff\xfe\",\"events\":[]}";
static const int64_t MARCH_2026 = 1772355600; /* 2026-03-01T09:00:00Z */

static void test_version_and_names(void) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", HEALING_VERSION_MAJOR, HEALING_VERSION_MINOR,
             HEALING_VERSION_PATCH);
    EXPECT_TRUE(strcmp(healing_version(), expected) == 0);
    EXPECT_TRUE(strcmp(healing_result_name(HEALING_ERR_INVALID_UTF8), "HEALING_ERR_INVALID_UTF8") == 0);
    EXPECT_TRUE(strcmp(healing_result_name(4000000000u), "HEALING_ERR_UNKNOWN_CODE") == 0);
}

static void test_strings(void) {
    char local[] = "not from healing";
    EXPECT(healing_string_free(NULL), HEALING_OK, "");
    EXPECT(healing_string_free(local), HEALING_ERR_UNKNOWN_POINTER, "not a live string from healing");

    char *json = NULL;
    EXPECT(healing_ledger_new(EMPTY_LEDGER, strlen(EMPTY_LEDGER), NULL),
           HEALING_ERR_NULL_PARAMETER, "parameter `out_ledger` is NULL");
    healing_ledger *ledger = NULL;
    EXPECT(healing_ledger_new(EMPTY_LEDGER, strlen(EMPTY_LEDGER), &ledger), HEALING_OK, "");
    EXPECT(healing_ledger_to_json(ledger, &json), HEALING_OK, "");
    EXPECT(healing_string_free(json), HEALING_OK, "");
    /* A second free of the same string is refused, not a heap corruption. */
    EXPECT(healing_string_free(json), HEALING_ERR_UNKNOWN_POINTER, "already freed");
    EXPECT(healing_ledger_free(ledger), HEALING_OK, "");
}

static void test_ledger(void) {
    healing_ledger *ledger = (healing_ledger *)SENTINEL;
    bool allowed = true;

    EXPECT(healing_ledger_new(NULL, 0, &ledger), HEALING_ERR_NULL_PARAMETER,
           "parameter `ledger_json` is NULL");
    EXPECT_TRUE(ledger == NULL);
    EXPECT(healing_ledger_new(INVALID_UTF8, strlen(INVALID_UTF8), &ledger),
           HEALING_ERR_INVALID_UTF8, "byte 0xff at offset 11");
    EXPECT(healing_ledger_new(LIT(""), &ledger), HEALING_ERR_INVALID_JSON,
           "EOF while parsing a value");
    EXPECT(healing_ledger_new(LIT("{\"person\":"), &ledger), HEALING_ERR_INVALID_JSON,
           "not well-formed JSON");
    EXPECT(healing_ledger_new(LIT("{\"person\":\"a b\",\"events\":[]}"), &ledger),
           HEALING_ERR_INVALID_ARGUMENT, "white space");
    EXPECT(healing_ledger_new(LIT("{\"person\":\"p\",\"events\":[],\"extra\":1}"), &ledger),
           HEALING_ERR_INVALID_ARGUMENT, "unknown field `extra`");
    EXPECT_TRUE(ledger == NULL);

    EXPECT(healing_ledger_new(EMPTY_LEDGER, strlen(EMPTY_LEDGER), &ledger), HEALING_OK, "");
    EXPECT(healing_ledger_append(NULL, GRANT, strlen(GRANT)), HEALING_ERR_NULL_PARAMETER,
           "parameter `ledger` is NULL");
    EXPECT(healing_ledger_append(ledger, NULL, 5), HEALING_ERR_NULL_PARAMETER,
           "parameter `event_json` is NULL");
    EXPECT(healing_ledger_append(ledger, GRANT, strlen(GRANT)), HEALING_OK, "");
    EXPECT(healing_ledger_append(ledger, GRANT, strlen(GRANT)), HEALING_ERR_CONSENT_REJECTED,
           "is already granted");
    EXPECT(healing_ledger_is_allowed(ledger, HEALING_PURPOSE_RESEARCH, MARCH_2026, NULL),
           HEALING_ERR_NULL_PARAMETER, "parameter `out_allowed` is NULL");
    EXPECT(healing_ledger_is_allowed(NULL, HEALING_PURPOSE_RESEARCH, MARCH_2026, &allowed),
           HEALING_ERR_NULL_PARAMETER, "parameter `ledger` is NULL");
    EXPECT_TRUE(allowed == false);
    EXPECT(healing_ledger_is_allowed(ledger, 77, MARCH_2026, &allowed),
           HEALING_ERR_INVALID_ARGUMENT, "parameter `purpose` is 77");
    EXPECT(healing_ledger_is_allowed(ledger, HEALING_PURPOSE_RESEARCH, INT64_MAX, &allowed),
           HEALING_ERR_INVALID_TIMESTAMP, "outside the supported range");
    EXPECT(healing_ledger_is_allowed(ledger, HEALING_PURPOSE_RESEARCH, MARCH_2026, &allowed),
           HEALING_OK, "");
    EXPECT_TRUE(allowed == true);

    char *json = SENTINEL;
    EXPECT(healing_ledger_state_json(ledger, INT64_MIN, &json), HEALING_ERR_INVALID_TIMESTAMP,
           "at_unix_seconds");
    EXPECT_TRUE(json == NULL);
    EXPECT(healing_ledger_to_json(NULL, &json), HEALING_ERR_NULL_PARAMETER, "`ledger` is NULL");

    EXPECT(healing_ledger_free(ledger), HEALING_OK, "");
    EXPECT(healing_ledger_free(ledger), HEALING_ERR_UNKNOWN_POINTER, "not a live healing_ledger");
    EXPECT(healing_ledger_free(NULL), HEALING_OK, "");
}

static void test_pet(void) {
    char *state = SENTINEL;
    char *outcomes = SENTINEL;
    healing_pet *pet = NULL;

    EXPECT(healing_pet_adopt_json(LIT("{\"name\":\"\",\"species\":\"cat\"}"), MARCH_2026, &state),
           HEALING_ERR_INVALID_ARGUMENT, "pet name is blank");
    EXPECT_TRUE(state == NULL);
    EXPECT(healing_pet_adopt_json(LIT("{\"name\":\"Rex\",\"species\":\"dragon\"}"), MARCH_2026,
                                  &state),
           HEALING_ERR_INVALID_ARGUMENT, "unknown variant `dragon`");
    EXPECT(healing_pet_adopt_json(ADOPTION, strlen(ADOPTION), MARCH_2026, &state), HEALING_OK, "");
    EXPECT(healing_pet_new(state, strlen(state), &pet), HEALING_OK, "");
    EXPECT(healing_string_free(state), HEALING_OK, "");

    EXPECT(healing_pet_step(pet, LIT("{\"kind\":\"buy\",\"item\":\"crown\"}"), MARCH_2026,
                            &outcomes),
           HEALING_ERR_PET_REJECTED, "crown costs 150 coins but the pet has 0");
    EXPECT_TRUE(outcomes == NULL);
    EXPECT(healing_pet_step(pet, LIT("{\"kind\":"), MARCH_2026, &outcomes), HEALING_ERR_INVALID_JSON,
           "event_json");
    EXPECT(healing_pet_step(pet, LIT("{\"kind\":\"play\"}"), MARCH_2026 + 60, NULL),
           HEALING_ERR_NULL_PARAMETER, "out_outcomes_json");
    EXPECT(healing_pet_step(pet, LIT("{\"kind\":\"play\"}"), MARCH_2026 + 60, &outcomes), HEALING_OK,
           "");
    EXPECT(healing_string_free(outcomes), HEALING_OK, "");

    /* The wrong free for the kind of handle is refused, and the pet survives. */
    EXPECT(healing_ledger_free((healing_ledger *)pet), HEALING_ERR_UNKNOWN_POINTER,
           "is a healing_pet, not a healing_ledger");
    EXPECT(healing_pet_free(pet), HEALING_OK, "");
    EXPECT(healing_pet_free(pet), HEALING_ERR_UNKNOWN_POINTER, "not a live healing_pet");
}

static void test_outcome(void) {
    char *json = SENTINEL;
    const char course[] = "{\"person\":\"p1\",\"sessions\":["
                          "{\"at\":\"2026-01-12T10:00:00Z\",\"kind\":\"treatment\"},"
                          "{\"at\":\"2026-01-05T10:00:00Z\",\"kind\":\"treatment\"}]}";
    EXPECT(healing_talking_therapies_outcome(course, strlen(course), &json),
           HEALING_ERR_INVALID_COURSE, "session 2 at 2026-01-05T10:00:00Z is not after");
    EXPECT_TRUE(json == NULL);
    EXPECT(healing_talking_therapies_outcome(LIT("[]"), &json), HEALING_ERR_INVALID_ARGUMENT,
           "course_json");
}


static void test_engine(healing_engine **out_engine) {
    healing_engine *engine = (healing_engine *)SENTINEL;
    char *version = SENTINEL;
    EXPECT(healing_engine_new(NULL, 0, &engine), HEALING_ERR_NULL_PARAMETER,
           "parameter `local_rules` is NULL");
    EXPECT_TRUE(engine == NULL);
    EXPECT(healing_engine_new(LIT(""), NULL), HEALING_ERR_NULL_PARAMETER,
           "parameter `out_engine` is NULL");
    EXPECT(healing_engine_new(LIT("not a lexicon"), &engine), HEALING_ERR_INVALID_RULES, "line");
    EXPECT(healing_engine_new(LIT("\xc0\xaf"), &engine), HEALING_ERR_INVALID_UTF8, "local_rules");
    EXPECT(healing_engine_new(LIT(""), &engine), HEALING_OK, "");
    EXPECT(healing_engine_rules_version(NULL, &version), HEALING_ERR_NULL_PARAMETER, "`engine`");
    EXPECT(healing_engine_rules_version(engine, &version), HEALING_OK, "");
    EXPECT_TRUE(version != NULL && strchr(version, '.') != NULL);
    EXPECT(healing_string_free(version), HEALING_OK, "");
    *out_engine = engine;
}

static void test_scoring(const healing_engine *engine) {
    const int32_t phq9[9] = {2, 2, 1, 2, 1, 1, 2, 1, 1};
    const int32_t out_of_range[9] = {2, 2, 7, 2, 1, 1, 2, 1, 1};
    healing_score score;
    char *json = SENTINEL;

    EXPECT(healing_score_answers(NULL, LIT("phq9"), phq9, 9, &score), HEALING_ERR_NULL_PARAMETER,
           "parameter `engine` is NULL");
    EXPECT(healing_score_answers(engine, NULL, 4, phq9, 9, &score), HEALING_ERR_NULL_PARAMETER,
           "parameter `instrument_id` is NULL");
    EXPECT(healing_score_answers(engine, LIT("phq9"), NULL, 9, &score), HEALING_ERR_NULL_PARAMETER,
           "parameter `answers` is NULL");
    EXPECT(healing_score_answers(engine, LIT("phq9"), phq9, 9, NULL), HEALING_ERR_NULL_PARAMETER,
           "parameter `out_score` is NULL");
    EXPECT(healing_score_answers(engine, LIT("phq9"), out_of_range, 9, &score),
           HEALING_ERR_INVALID_ANSWERS, "answer to item 3 of phq9 is 7, above the maximum of 3");
    EXPECT_TRUE(score.total == 0 && score.has_total == false);
    EXPECT(healing_score_answers(engine, LIT("phq9"), phq9, 8, &score), HEALING_ERR_INVALID_ANSWERS,
           "phq9 has 9 items but 8 answers were given");
    EXPECT(healing_score_answers(engine, LIT(""), phq9, 9, &score),
           HEALING_ERR_UNKNOWN_INSTRUMENT, "no instrument has the id ''");
    EXPECT(healing_score_answers(engine, LIT("phq-9"), phq9, 9, &score),
           HEALING_ERR_UNKNOWN_INSTRUMENT, "no instrument has the id 'phq-9'");
    EXPECT(healing_score_answers(engine, LIT("ph\xffq9"), phq9, 9, &score),
           HEALING_ERR_INVALID_UTF8, "instrument_id");
    EXPECT(healing_score_answers(engine, LIT("phq9"), phq9, 9, &score), HEALING_OK, "");
    EXPECT_TRUE(score.has_total && score.total == 13 && score.band == HEALING_BAND_MODERATE);
    EXPECT_TRUE(score.needs_clinician_review && score.self_harm_item == 9);

    EXPECT(healing_score_answers_json(engine, LIT("phq9"), LIT("[2,2,1,2,1,1,2,1,"), &json),
           HEALING_ERR_INVALID_JSON, "answers_json");
    EXPECT_TRUE(json == NULL);
    EXPECT(healing_score_answers_json(engine, LIT("phq9"), LIT("{\"a\":1}"), &json),
           HEALING_ERR_INVALID_ARGUMENT, "answers_json");
    EXPECT(healing_score_answers_json(engine, LIT("phq9"), LIT("[2,2,1,2,1,1,2,1,-3]"), &json),
           HEALING_ERR_INVALID_ARGUMENT, "answers_json");
    EXPECT(healing_score_answers_json(engine, LIT("phq9"), LIT(""), &json),
           HEALING_ERR_INVALID_JSON, "EOF");
    EXPECT(healing_instrument_json(engine, LIT("nope"), &json), HEALING_ERR_UNKNOWN_INSTRUMENT,
           "'nope'");
    EXPECT(healing_instruments_json(engine, NULL), HEALING_ERR_NULL_PARAMETER,
           "out_instruments_json");
    EXPECT(healing_instrument_json(engine, LIT("phq9"), &json), HEALING_OK, "");
    EXPECT(healing_string_free(json), HEALING_OK, "");
}

static void test_safety(const healing_engine *engine) {
    healing_assessment assessment;
    char *json = SENTINEL;
    const char *texts[2] = {"I'm fine", NULL};
    const size_t lens[2] = {8, 3};
    healing_assessment batch[2];

    EXPECT(healing_assess(engine, NULL, 0, &assessment), HEALING_ERR_NULL_PARAMETER,
           "parameter `text` is NULL");
    EXPECT(healing_assess(engine, LIT("caf\xe9"), &assessment), HEALING_ERR_INVALID_UTF8,
           "byte 0xe9 at offset 3");
    EXPECT(healing_assess(engine, LIT(""), &assessment), HEALING_OK, "");
    EXPECT_TRUE(assessment.level == HEALING_RISK_NONE && assessment.finding_count == 0);
    EXPECT(healing_assess(engine, LIT("I want to kill myself"), &assessment), HEALING_OK, "");
    EXPECT_TRUE(assessment.level >= HEALING_RISK_HIGH &&
                (assessment.categories & HEALING_CATEGORY_SUICIDE) != 0);
    EXPECT(healing_assess_json(engine, LIT("hello"), LIT("{\"source\":"), &json),
           HEALING_ERR_INVALID_JSON, "context_json");
    EXPECT_TRUE(json == NULL);
    EXPECT(healing_assess_many(engine, texts, lens, 2, batch), HEALING_ERR_NULL_PARAMETER,
           "parameter `texts[1]` is NULL");
    EXPECT_TRUE(batch[0].level == 0 && batch[1].level == 0);
    EXPECT(healing_assess_many(engine, texts, lens, 0, batch), HEALING_OK, "");
    EXPECT(healing_assess_many_json(engine, LIT("[\"a\", 3]"), LIT(""), &json),
           HEALING_ERR_INVALID_ARGUMENT, "texts_json");
    EXPECT(healing_crisis_resources_json(engine, LIT("{}"), &json), HEALING_ERR_INVALID_ARGUMENT,
           "assessment_json");
    EXPECT(healing_crisis_resources_for_level_json(engine, 5, &json),
           HEALING_ERR_INVALID_ARGUMENT, "parameter `level` is 5");
    EXPECT(healing_crisis_resources_for_level_json(engine, HEALING_RISK_CRITICAL, &json),
           HEALING_OK, "");
    EXPECT_TRUE(json != NULL && strstr(json, "999") != NULL);
    EXPECT(healing_string_free(json), HEALING_OK, "");
}

static void test_fhir(const healing_engine *engine) {
    healing_score score;
    char *observation = SENTINEL;
    char *alert = SENTINEL;
    const char draft[] = "{\"resourceType\":\"QuestionnaireResponse\","
                         "\"questionnaire\":\"http://loinc.org/q/44249-1\","
                         "\"status\":\"in-progress\",\"item\":[]}";
    const char patient[] = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}";
    const char assessment[] = "{\"level\":\"none\",\"categories\":[],\"findings\":[],"
                              "\"notes\":[],\"rules_version\":\"2026.11.1\"}";

    EXPECT(healing_fhir_score_questionnaire_response(engine, NULL, 0, &score, &observation),
           HEALING_ERR_NULL_PARAMETER, "parameter `response_json` is NULL");
    EXPECT_TRUE(observation == NULL && score.total == 0);
    EXPECT(healing_fhir_score_questionnaire_response(engine, LIT(draft), &score, NULL),
           HEALING_ERR_NULL_PARAMETER, "out_observation_json");
    EXPECT(healing_fhir_score_questionnaire_response(engine, LIT(draft), &score, &observation),
           HEALING_ERR_INVALID_FHIR, "status is 'in-progress'");
    EXPECT(healing_fhir_score_questionnaire_response(engine, LIT(patient), &score, &observation),
           HEALING_ERR_INVALID_FHIR, "resourceType is 'Patient'");
    EXPECT(healing_fhir_score_questionnaire_response(engine, LIT("<xml/>"), &score, &observation),
           HEALING_ERR_INVALID_JSON, "not json");
    EXPECT(healing_fhir_score_questionnaire_response(engine, LIT(""), &score, &observation),
           HEALING_ERR_INVALID_JSON, "not json");
    EXPECT_TRUE(observation == NULL);

    EXPECT(healing_fhir_safety_alert(engine, LIT(assessment), LIT("not a fhir id!"), 0,
                                     HEALING_FREE_TEXT_OMIT, &alert),
           HEALING_ERR_INVALID_ARGUMENT, "person_id");
    EXPECT(healing_fhir_safety_alert(engine, LIT(assessment), LIT("p1"), INT64_MAX,
                                     HEALING_FREE_TEXT_OMIT, &alert),
           HEALING_ERR_INVALID_TIMESTAMP, "assessed_at_unix_seconds");
    EXPECT(healing_fhir_safety_alert(engine, LIT(assessment), LIT("p1"), 0, 9, &alert),
           HEALING_ERR_INVALID_ARGUMENT, "parameter `free_text` is 9");
    EXPECT_TRUE(alert == NULL);
    EXPECT(healing_fhir_safety_alert(engine, LIT(assessment), LIT("p1"), 0,
                                     HEALING_FREE_TEXT_OMIT, &alert),
           HEALING_OK, "");
    EXPECT_TRUE(alert != NULL && strstr(alert, "\"flag\":null") != NULL);
    EXPECT(healing_string_free(alert), HEALING_OK, "");
}

static void test_huge_input(const healing_engine *engine) {
    /* 10 MB that is valid UTF-8 but not JSON: refused quickly, no crash, no copy kept. */
    const size_t size = 10u * 1024u * 1024u;
    char *huge = malloc(size);
    if (huge == NULL) {
        failed++;
        fprintf(stderr, "FAIL: could not allocate 10 MB for the test\n");
        return;
    }
    memset(huge, 'x', size);
    char *json = SENTINEL;
    EXPECT(healing_talking_therapies_outcome(huge, size, &json), HEALING_ERR_INVALID_JSON,
           "not well-formed JSON");
    EXPECT_TRUE(json == NULL);
    /* The same 10 MB with an invalid byte at the end. */
    /* 10 MB of unclosed nested arrays inside a field the parser skips: read
     * to the end without recursion (no stack overflow) and refused. */
    memset(huge, '[', size);
    memcpy(huge, "{\"x\":", 5);
    EXPECT(healing_talking_therapies_outcome(huge, size, &json), HEALING_ERR_INVALID_JSON,
           "EOF while parsing a list");
    /* The same 10 MB as a free text: screened in full, never truncated or refused. */
    healing_assessment assessment;
    memset(huge, ' ', size);
    memcpy(huge + size / 2, "I want to kill myself", 21);
    EXPECT(healing_assess(engine, huge, size, &assessment), HEALING_OK, "");
    EXPECT_TRUE(assessment.level >= HEALING_RISK_HIGH);
    huge[size - 1] = (char)0xC3;
    EXPECT(healing_assess(engine, huge, size, &assessment), HEALING_ERR_INVALID_UTF8,
           "offset 10485759");
    EXPECT(healing_talking_therapies_outcome(huge, size, &json), HEALING_ERR_INVALID_UTF8,
           "offset 10485759");
    free(huge);
}

static void test_fhir_export(const healing_engine *engine) {
    char *json = SENTINEL;
    bool valid = true;
    const char export_json[] = "{\"export_id\":\"export-1\",\"exported_at\":\"2026-11-27T09:00:00Z\","
                               "\"patient\":{\"person\":\"p1\",\"nhs_number\":\"9434765919\"}}";
    const char bad_nhs[] = "{\"export_id\":\"export-1\",\"exported_at\":\"2026-11-27T09:00:00Z\","
                           "\"patient\":{\"person\":\"p1\",\"nhs_number\":\"9434765918\"}}";
/* A high risk screen whose alert was resolved: before it was raised, not a time, then right. */
#define RESOLVED_EXPORT(resolved_at)                                                               \
    "{\"export_id\":\"export-1\",\"exported_at\":\"2026-11-27T09:00:00Z\","                        \
    "\"patient\":{\"person\":\"p1\"},\"safety_assessments\":[{\"assessment\":"                     \
    "{\"level\":\"high\",\"categories\":[\"self_harm\"],\"findings\":[],\"notes\":[],"              \
    "\"rules_version\":\"2026.11.1\"},\"assessed_at\":\"2026-11-20T22:05:00Z\","                   \
    "\"resolved_at\":" resolved_at "}]}"
    const char resolved_too_early[] = RESOLVED_EXPORT("\"2026-11-20T22:04:59Z\"");
    const char resolved_not_a_time[] = RESOLVED_EXPORT("\"yesterday\"");
    const char resolved[] = RESOLVED_EXPORT("\"2026-11-21T09:30:00Z\"");
#undef RESOLVED_EXPORT
    const char secret[32] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                             7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
    const char patient[] = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}";

    EXPECT(healing_fhir_export_bundle(NULL, LIT(export_json), HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, LIT(""), LIT(""), &json),
           HEALING_ERR_NULL_PARAMETER, "parameter `engine` is NULL");
    EXPECT_TRUE(json == NULL);
    EXPECT(healing_fhir_export_bundle(engine, NULL, 0, HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, LIT(""), LIT(""), &json),
           HEALING_ERR_NULL_PARAMETER, "parameter `export_json` is NULL");
    EXPECT(healing_fhir_export_bundle(engine, LIT(export_json), HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, NULL, 0, LIT(""), &json),
           HEALING_ERR_NULL_PARAMETER, "parameter `key_id` is NULL");
    EXPECT(healing_fhir_export_bundle(engine, LIT(export_json), HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, LIT(""), LIT(""), NULL),
           HEALING_ERR_NULL_PARAMETER, "out_bundle_json");
    EXPECT(healing_fhir_export_bundle(engine, LIT("{\"export_id\":"), HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, LIT(""), LIT(""), &json),
           HEALING_ERR_INVALID_JSON, "not well-formed JSON");
    EXPECT(healing_fhir_export_bundle(engine, LIT("{\"export_id\":\"x\"}"),
                                      HEALING_BUNDLE_COLLECTION, HEALING_FREE_TEXT_INCLUDE,
                                      LIT(""), LIT(""), &json),
           HEALING_ERR_INVALID_ARGUMENT, "missing field");
    EXPECT(healing_fhir_export_bundle(engine, LIT(bad_nhs), HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, LIT(""), LIT(""), &json),
           HEALING_ERR_INVALID_ARGUMENT, "check digit");
    EXPECT(healing_fhir_export_bundle(engine, LIT(resolved_too_early), HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, LIT(""), LIT(""), &json),
           HEALING_ERR_INVALID_ARGUMENT, "before it was raised");
    EXPECT(healing_fhir_export_bundle(engine, LIT(resolved_not_a_time), HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, LIT(""), LIT(""), &json),
           HEALING_ERR_INVALID_ARGUMENT, "yesterday");
    EXPECT_TRUE(json == NULL);
    EXPECT(healing_fhir_export_bundle(engine, LIT(resolved), HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, LIT(""), LIT(""), &json),
           HEALING_OK, "");
    EXPECT_TRUE(json != NULL && strstr(json, "\"status\":\"inactive\"") != NULL &&
                strstr(json, "\"end\":\"2026-11-21T09:30:00Z\"") != NULL);
    EXPECT(healing_string_free(json), HEALING_OK, "");
    json = SENTINEL;
    EXPECT(healing_fhir_export_bundle(engine, LIT(export_json), 7, HEALING_FREE_TEXT_INCLUDE,
                                      LIT(""), LIT(""), &json),
           HEALING_ERR_INVALID_ARGUMENT, "parameter `bundle_kind` is 7");
    EXPECT(healing_fhir_export_bundle(engine, LIT(export_json), HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, LIT("k1"), "short", 5, &json),
           HEALING_ERR_INVALID_ARGUMENT, "secret is 5 bytes long");
    EXPECT(healing_fhir_export_bundle(engine, LIT(export_json), HEALING_BUNDLE_COLLECTION,
                                      HEALING_FREE_TEXT_INCLUDE, "\xff", 1, secret,
                                      sizeof secret, &json),
           HEALING_ERR_INVALID_UTF8, "parameter `key_id`");
    EXPECT_TRUE(json == NULL);
    EXPECT(healing_fhir_export_bundle(engine, LIT(export_json), HEALING_BUNDLE_TRANSACTION,
                                      HEALING_FREE_TEXT_INCLUDE, LIT("k1"), secret,
                                      sizeof secret, &json),
           HEALING_OK, "");
    EXPECT_TRUE(json != NULL && strstr(json, "\"resourceType\":\"Bundle\"") != NULL &&
                strstr(json, "\"resourceType\":\"Provenance\"") != NULL);
    EXPECT(healing_string_free(json), HEALING_OK, "");

    json = SENTINEL;
    EXPECT(healing_fhir_export_ndjson(engine, LIT(export_json), NULL, 0, LIT("https://x"),
                                      HEALING_FREE_TEXT_OMIT, LIT(""), LIT(""), &json),
           HEALING_ERR_NULL_PARAMETER, "parameter `request_url` is NULL");
    EXPECT_TRUE(json == NULL);
    EXPECT(healing_fhir_export_ndjson(engine, LIT(export_json), LIT("https://ehr/$export"),
                                      LIT("https://files"), HEALING_FREE_TEXT_OMIT, LIT(""),
                                      LIT(""), &json),
           HEALING_OK, "");
    EXPECT_TRUE(json != NULL && strstr(json, "\"Patient.ndjson\"") != NULL &&
                strstr(json, "\"Provenance.ndjson\"") == NULL);
    EXPECT(healing_string_free(json), HEALING_OK, "");

    EXPECT(healing_fhir_verify_provenance(engine, LIT(patient), LIT("[]"), LIT("k1"), secret,
                                          sizeof secret, NULL),
           HEALING_ERR_NULL_PARAMETER, "out_valid");
    EXPECT(healing_fhir_verify_provenance(engine, LIT(patient), LIT("[]"), LIT("k1"), secret,
                                          sizeof secret, &valid),
           HEALING_ERR_INVALID_FHIR, "provenance_json");
    EXPECT_TRUE(!valid);
    EXPECT(healing_fhir_verify_provenance(engine, LIT("{\"resourceType\":\"Provenance\"}"),
                                          LIT("[]"), LIT(""), LIT(""), &valid),
           HEALING_ERR_INVALID_ARGUMENT, "without a key");
    EXPECT(healing_fhir_verify_provenance(engine, LIT("{"), LIT("[]"), LIT("k1"), secret,
                                          sizeof secret, &valid),
           HEALING_ERR_INVALID_JSON, "provenance_json");
    EXPECT(healing_fhir_verify_jws(engine, LIT("[]"), LIT("no-dots"), LIT("k1"), secret,
                                   sizeof secret, &valid),
           HEALING_ERR_INVALID_FHIR, "signature is malformed");
    EXPECT(healing_fhir_verify_jws(engine, LIT("[]"), NULL, 0, LIT("k1"), secret, sizeof secret,
                                   &valid),
           HEALING_ERR_NULL_PARAMETER, "parameter `jws` is NULL");
    EXPECT_TRUE(!valid);
}

int main(void) {
    healing_engine *engine = NULL;
    test_version_and_names();
    test_engine(&engine);
    test_scoring(engine);
    test_safety(engine);
    test_fhir(engine);
    test_fhir_export(engine);
    test_strings();
    test_ledger();
    test_pet();
    test_outcome();
    test_huge_input(engine);
    EXPECT(healing_engine_free(engine), HEALING_OK, "");
    EXPECT(healing_engine_free(engine), HEALING_ERR_UNKNOWN_POINTER, "not a live healing_engine");
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
