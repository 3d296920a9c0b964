/*
 * c_api_bench.c - times the C API from a real C caller: a PHQ-9 score and a
 * risk assessment of a 200-byte note, in nanoseconds per call (best of 5 runs).
 * Compare with `cargo bench -p healing-ffi --bench c_api`, which times the same
 * calls through the core Rust functions and the C functions in one run.
 *
 *   cargo build --release -p healing-ffi
 *   gcc -std=c99 -O2 -Iinclude -o /tmp/c_api_bench healing-ffi/benches/c_api_bench.c \
 *       -Ltarget/release -lhealing -Wl,-rpath,$PWD/target/release
 *   /tmp/c_api_bench
 */
#define _POSIX_C_SOURCE 199309L
#include "healing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char NOTE_200[] =
    "Telephone review with patient today. Sleep poor, appetite reduced, low mood most days. "
    "Says she sometimes wishes she could go to sleep and not wake up. No plan. Lives with "
    "partner; agreed safety plan.";

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(void) {
    healing_engine *engine = NULL;
    const int32_t answers[9] = {2, 2, 1, 2, 1, 1, 2, 1, 1};
    healing_score score;
    healing_assessment assessment;
    double best_score = 1e18, best_assess = 1e18;
    unsigned long checksum = 0;

    if (sizeof NOTE_200 - 1 != 200 || healing_engine_new("", 0, &engine) != HEALING_OK) {
        fprintf(stderr, "setup failed: %s\n", healing_last_error());
        return EXIT_FAILURE;
    }
    for (int run = 0; run < 5; run++) {
        const int score_calls = 200000, assess_calls = 20000;
        double start = now_ns();
        for (int i = 0; i < score_calls; i++) {
            if (healing_score_answers(engine, "phq9", 4, answers, 9, &score) != HEALING_OK) return 1;
            checksum += score.total;
        }
        double per_score = (now_ns() - start) / score_calls;
        start = now_ns();
        for (int i = 0; i < assess_calls; i++) {
            if (healing_assess(engine, NOTE_200, 200, &assessment) != HEALING_OK) return 1;
            checksum += assessment.level;
        }
        double per_assess = (now_ns() - start) / assess_calls;
        if (per_score < best_score) best_score = per_score;
        if (per_assess < best_assess) best_assess = per_assess;
    }
    printf("healing_score_answers (PHQ-9):      %8.1f ns/call\n", best_score);
    printf("healing_assess (200-byte note):     %8.1f ns/call\n", best_assess);
    printf("(checksum %lu)\n", checksum);
    (void)healing_engine_free(engine);
    return EXIT_SUCCESS;
}
