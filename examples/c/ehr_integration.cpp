// ehr_integration.cpp - the same C API from C++17, wrapped the way a C++ EHR
// would wrap it: RAII owners for handles and strings, and an exception that
// carries the healing_result code and healing_last_error() message.
//
// It scores a GAD-7 and screens a batch of patient messages from the portal
// inbox in one call, then prints which messages need a clinician today.
//
// Build: see README.md in this folder (make HEALING_LIB_DIR=../../target/debug).
#include "healing.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace healing {

// A failed call: the code to branch on and the message to log.
class Error : public std::runtime_error {
public:
    Error(healing_result code, const std::string &what)
        : std::runtime_error(what + ": " + healing_result_name(code) + ": " + healing_last_error()),
          code_(code) {}
    healing_result code() const noexcept { return code_; }

private:
    healing_result code_;
};

// Throws unless the call succeeded. The message is copied at once: it is only
// valid until the next healing_ call on this thread.
inline void check(healing_result code, const char *what) {
    if (code != HEALING_OK) {
        throw Error(code, what);
    }
}

// Owns a string healing returned; frees it with healing_string_free.
struct StringFree {
    void operator()(char *string) const noexcept { (void)healing_string_free(string); }
};
using String = std::unique_ptr<char, StringFree>;

// Owns an engine; the engine itself may be shared by every thread.
struct EngineFree {
    void operator()(healing_engine *engine) const noexcept { (void)healing_engine_free(engine); }
};
using Engine = std::unique_ptr<healing_engine, EngineFree>;

inline Engine make_engine() {
    healing_engine *raw = nullptr;
    check(healing_engine_new("", 0, &raw), "creating the engine");
    return Engine(raw);
}

inline healing_score score(const Engine &engine, std::string_view instrument,
                           const std::vector<int32_t> &answers) {
    healing_score result{};
    check(healing_score_answers(engine.get(), instrument.data(), instrument.size(), answers.data(),
                                answers.size(), &result),
          "scoring");
    return result;
}

inline std::vector<healing_assessment> assess_many(const Engine &engine,
                                                   const std::vector<std::string_view> &texts) {
    std::vector<const char *> pointers;
    std::vector<size_t> lengths;
    for (std::string_view text : texts) {
        // string_view data need not be NUL-terminated: healing takes lengths.
        pointers.push_back(text.data());
        lengths.push_back(text.size());
    }
    std::vector<healing_assessment> results(texts.size());
    check(healing_assess_many(engine.get(), pointers.data(), lengths.data(), texts.size(),
                              results.data()),
          "screening messages");
    return results;
}

inline String crisis_resources_for_level(const Engine &engine, uint32_t level) {
    char *raw = nullptr;
    check(healing_crisis_resources_for_level_json(engine.get(), level, &raw),
          "choosing crisis resources");
    return String(raw);
}

}  // namespace healing

int main() {
    try {
        healing::Engine engine = healing::make_engine();

        healing_score gad7 = healing::score(engine, "gad7", {3, 2, 2, 3, 1, 2, 2});
        std::printf("GAD-7 total %u, clinical range: %s\n", gad7.total,
                    (gad7.flags & HEALING_SCORE_FLAG_CLINICAL_RANGE) ? "yes" : "no");

        const std::vector<std::string_view> inbox = {
            "Can I move my appointment to Thursday please?",
            "I can't do this any more. I've written letters to everyone and I'm going to the "
            "bridge tonight.",
            "Feeling a bit flat this week but the walking group helps.",
        };
        std::vector<healing_assessment> results = healing::assess_many(engine, inbox);
        uint32_t highest = HEALING_RISK_NONE;
        for (size_t i = 0; i < results.size(); ++i) {
            const bool urgent = results[i].level >= HEALING_RISK_HIGH;
            std::printf("message %zu: level %u, %zu finding(s)%s\n", i + 1, results[i].level,
                        results[i].finding_count, urgent ? "  <- clinician today" : "");
            if (results[i].level > highest) {
                highest = results[i].level;
            }
        }
        if (highest >= HEALING_RISK_HIGH) {
            healing::String resources = healing::crisis_resources_for_level(engine, highest);
            std::printf("crisis resources to offer: %s\n", resources.get());
        }

        // Errors arrive as exceptions with the code and message.
        try {
            (void)healing::score(engine, "phq9", {4, 0, 0, 0, 0, 0, 0, 0, 0});
        } catch (const healing::Error &error) {
            std::printf("refused as expected: %s\n", error.what());
        }
        return EXIT_SUCCESS;
    } catch (const std::exception &error) {
        std::fprintf(stderr, "%s\n", error.what());
        return EXIT_FAILURE;
    }
}
