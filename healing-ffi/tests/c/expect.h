/*
 * expect.h - the small assertion helpers shared by the C tests: each check
 * counts as passed or failed and a failure prints the line, the call and what
 * healing said, so one run reports every broken expectation.
 */
#ifndef HEALING_TEST_EXPECT_H
#define HEALING_TEST_EXPECT_H

#include <stdio.h>
#include <string.h>

#include "healing.h"

static int passed = 0;
static int failed = 0;

/* Records one expectation: the code, and a fragment the message must contain
 * ("" after success, since the message is then empty). */
static void expect_code(int line, const char *what, healing_result got, healing_result want,
                        const char *message_part) {
    const char *message = healing_last_error();
    int message_ok = message != NULL &&
                     (want == HEALING_OK ? message[0] == '\0'
                                         : strstr(message, message_part) != NULL);
    if (got == want && message_ok) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "FAIL line %d: %s\n  got  %s: %s\n  want %s containing \"%s\"\n", line, what,
            healing_result_name(got), message ? message : "(NULL message)",
            healing_result_name(want), message_part);
}

#define EXPECT(call, want, part) expect_code(__LINE__, #call, (call), (want), (part))

static void expect_true(int line, const char *what, int condition) {
    if (condition) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL line %d: %s\n", line, what);
    }
}

#define EXPECT_TRUE(condition) expect_true(__LINE__, #condition, (condition))

/* A string literal as the (pointer, length) pair the C API takes. */
#define LIT(text) (text), (sizeof(text) - 1)

#endif
