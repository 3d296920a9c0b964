/*
 * Example risk rule written in C: a service's local term list.
 *
 * The C twin of examples/local-terms (Rust): the same terms, levels and rule
 * names, ASCII case-insensitive whole-word matching, byte spans of the original
 * text, and a longer term winning over a shorter one inside it. It shows the
 * contract (wit/healing-plugin.wit, world risk-rule) from C through the
 * bindings that wit-bindgen generates (risk_rule.h).
 *
 * The terms and levels are an illustration of the mechanism, not a validated
 * lexicon (unconfirmed: no published source grades these terms); a service
 * writes its own list with its clinical safety officer.
 *
 * Memory: the host gives the text and context in memory this module owns;
 * strings and lists returned are malloc'd here and freed by the generated
 * post-return functions. Each call runs in a fresh instance, so nothing lives
 * between calls.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "risk_rule.h"

typedef risk_rule_string_t string_t;
typedef exports_healing_plugin_rule_category_t category_t;
typedef exports_healing_plugin_rule_risk_level_t level_t;
typedef exports_healing_plugin_rule_finding_t finding_t;

#define SUICIDE EXPORTS_HEALING_PLUGIN_RULE_CATEGORY_SUICIDE
#define SELF_HARM EXPORTS_HEALING_PLUGIN_RULE_CATEGORY_SELF_HARM
#define MEDIUM EXPORTS_HEALING_PLUGIN_RULE_RISK_LEVEL_MEDIUM
#define HIGH EXPORTS_HEALING_PLUGIN_RULE_RISK_LEVEL_HIGH

/* One local term: the words to find (lower-case ASCII), the rule name
 * reported, the level and the category it supports. */
struct term {
    const char *words;
    const char *rule;
    level_t level;
    category_t category;
};

/* Most specific first: a shorter term inside an earlier finding is skipped. */
static const struct term TERMS[] = {
    {"unalive myself", "local.unalive_self", HIGH, SUICIDE},
    {"unaliving myself", "local.unalive_self", HIGH, SUICIDE},
    {"sewerslide", "local.sewerslide", MEDIUM, SUICIDE},
    {"unalive", "local.unalive", MEDIUM, SUICIDE},
    {"cat scratches", "local.cat_scratches", MEDIUM, SELF_HARM},
};
#define TERM_COUNT (sizeof TERMS / sizeof TERMS[0])

/* Every category a finding of this rule can carry; the host refuses others. */
static const category_t DECLARED[] = {SUICIDE, SELF_HARM};

static const char REASON_PREFIX[] = "local term '";

/* Copies `len` bytes into a fresh string the host will free; false when out
 * of memory. */
static bool string_copy(string_t *out, const uint8_t *bytes, size_t len) {
    out->ptr = NULL;
    out->len = 0;
    if (len == 0) {
        return true;
    }
    out->ptr = malloc(len);
    if (out->ptr == NULL) {
        return false;
    }
    memcpy(out->ptr, bytes, len);
    out->len = len;
    return true;
}

/* Sets an error result; the message is copied so the host can free it. */
static bool fail(exports_healing_plugin_rule_plugin_error_t *err, uint8_t tag, const char *message) {
    err->tag = tag;
    if (tag == EXPORTS_HEALING_PLUGIN_RULE_PLUGIN_ERROR_INVALID_INPUT) {
        risk_rule_string_dup(&err->val.invalid_input, message);
    } else {
        risk_rule_string_dup(&err->val.internal, message);
    }
    return false;
}

static bool is_ascii_alphanumeric(uint8_t byte) {
    return (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z');
}

static uint8_t ascii_lower(uint8_t byte) {
    return (byte >= 'A' && byte <= 'Z') ? (uint8_t)(byte + ('a' - 'A')) : byte;
}

/* Whether the lower-case term `words` (length `len`) is at `at` in `text`,
 * ignoring ASCII case. Non-ASCII bytes only ever equal themselves, so a match
 * starts and ends on UTF-8 character boundaries. */
static bool matches_at(const uint8_t *text, size_t at, const char *words, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (ascii_lower(text[at + i]) != (uint8_t)words[i]) {
            return false;
        }
    }
    return true;
}

/* Whether `start..end` is not inside a longer word. */
static bool is_whole_word(const uint8_t *text, size_t text_len, size_t start, size_t end) {
    bool letter_before = start > 0 && is_ascii_alphanumeric(text[start - 1]);
    bool letter_after = end < text_len && is_ascii_alphanumeric(text[end]);
    return !letter_before && !letter_after;
}

static bool inside_earlier(const finding_t *findings, size_t count, size_t start, size_t end) {
    for (size_t i = 0; i < count; i++) {
        if (findings[i].span.start <= start && end <= findings[i].span.end) {
            return true;
        }
    }
    return false;
}

/* Fills `finding` for `text[start..end]`; false when out of memory (what was
 * allocated stays in `finding` for the caller to free). */
static bool make_finding(finding_t *finding, const struct term *term, const uint8_t *text, size_t start, size_t end) {
    size_t prefix = sizeof REASON_PREFIX - 1;
    size_t reason_len = prefix + (end - start) + 1;
    memset(finding, 0, sizeof *finding);
    finding->span.start = (uint32_t)start;
    finding->span.end = (uint32_t)end;
    finding->level = term->level;
    if (!string_copy(&finding->rule, (const uint8_t *)term->rule, strlen(term->rule))) {
        return false;
    }
    finding->categories.ptr = malloc(sizeof(category_t));
    if (finding->categories.ptr == NULL) {
        return false;
    }
    finding->categories.ptr[0] = term->category;
    finding->categories.len = 1;
    finding->reason.ptr = malloc(reason_len);
    if (finding->reason.ptr == NULL) {
        return false;
    }
    /* The reason quotes the text as written: "local term 'Cat Scratches'". */
    memcpy(finding->reason.ptr, REASON_PREFIX, prefix);
    memcpy(finding->reason.ptr + prefix, text + start, end - start);
    finding->reason.ptr[reason_len - 1] = '\'';
    finding->reason.len = reason_len;
    return true;
}

void exports_healing_plugin_rule_describe(exports_healing_plugin_rule_rule_description_t *ret) {
    risk_rule_string_dup(&ret->name, "Local terms in C (example)");
    risk_rule_string_dup(&ret->version, "0.1.0");
    ret->categories.len = 0;
    ret->categories.ptr = malloc(sizeof DECLARED);
    if (ret->categories.ptr != NULL) {
        memcpy(ret->categories.ptr, DECLARED, sizeof DECLARED);
        ret->categories.len = sizeof DECLARED / sizeof DECLARED[0];
    }
}

bool exports_healing_plugin_rule_assess(
    string_t *text,
    exports_healing_plugin_rule_context_t *context,
    exports_healing_plugin_rule_list_finding_t *ret,
    exports_healing_plugin_rule_plugin_error_t *err) {
    /* This rule does not use the context; it owns it and frees it. */
    exports_healing_plugin_rule_context_free(context);

    const uint8_t *bytes = text->ptr;
    size_t len = text->len;
    ret->ptr = NULL;
    ret->len = 0;

    /* C code that treats the text as a NUL-terminated string would stop at an
     * embedded NUL and miss what follows, so such a text is refused rather than
     * half-read. The host then fails closed. */
    if (len > 0 && memchr(bytes, 0, len) != NULL) {
        risk_rule_string_free(text);
        return fail(err, EXPORTS_HEALING_PLUGIN_RULE_PLUGIN_ERROR_INVALID_INPUT, "text contains a NUL byte");
    }

    size_t capacity = 0;
    for (size_t t = 0; t < TERM_COUNT; t++) {
        const struct term *term = &TERMS[t];
        size_t term_len = strlen(term->words);
        size_t at = 0;
        while (term_len <= len && at <= len - term_len) {
            if (!matches_at(bytes, at, term->words, term_len)) {
                at++;
                continue;
            }
            size_t end = at + term_len;
            if (is_whole_word(bytes, len, at, end) && !inside_earlier(ret->ptr, ret->len, at, end)) {
                if (ret->len == capacity) {
                    size_t grown = capacity == 0 ? 4 : capacity * 2;
                    finding_t *more = realloc(ret->ptr, grown * sizeof(finding_t));
                    if (more == NULL) {
                        goto out_of_memory;
                    }
                    ret->ptr = more;
                    capacity = grown;
                }
                ret->len++;
                if (!make_finding(&ret->ptr[ret->len - 1], term, bytes, at, end)) {
                    goto out_of_memory;
                }
            }
            /* Matches do not overlap: continue after this one. */
            at = end;
        }
    }
    risk_rule_string_free(text);
    return true;

out_of_memory:
    exports_healing_plugin_rule_list_finding_free(ret);
    ret->ptr = NULL;
    ret->len = 0;
    risk_rule_string_free(text);
    return fail(err, EXPORTS_HEALING_PLUGIN_RULE_PLUGIN_ERROR_INTERNAL, "out of memory");
}
