/*
 * plugins.c - the WebAssembly plugin host through the C API, as an EHR would
 * use it (library built with the `plugins` feature): install plugin folders,
 * load them again from their precompiled artifacts in a second host, screen
 * text with an engine that runs a local risk-rule plugin, run a CBT tool, and
 * check that a failing plugin is contained: the assessment fails closed, the
 * plugin is disabled after repeated failures and re-enabled by the operator.
 *
 * Usage: plugins PLUGINS_ROOT
 *   PLUGINS_ROOT holds one folder per plugin, each with manifest.json and its
 *   component, not yet installed: local-terms (risk rule), box-breathing (CBT
 *   tool), hostile-rule (a risk rule that misbehaves on command) and tampered
 *   (a manifest whose SHA-256 does not match its file). run-c-tests.sh makes it
 *   from the committed fixtures. The last tests corrupt local-terms's artifact.
 *
 * Prints "N passed, M failed" last and exits non-zero if anything failed.
 */
#include "healing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

static const uint8_t KEY[32] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
static const uint8_t OTHER_KEY[32] = {9};

/* The plugins root (argv[1]) and room for root/name below it. */
static char root[2048];
#define PATH_SIZE 4096

/* root/name into buffer (which holds PATH_SIZE bytes); returns its length.
 * Called before the healing call, since C leaves argument order unspecified. */
static size_t folder(char *buffer, const char *name) {
    snprintf(buffer, PATH_SIZE, "%s/%s", root, name);
    return strlen(buffer);
}

/* Whether the JSON text contains fragment; frees nothing. */
static int has(const char *json, const char *fragment) {
    return json != NULL && strstr(json, fragment) != NULL;
}

static void test_host_arguments(void) {
    healing_plugin_host *host = (healing_plugin_host *)&root;
    EXPECT(healing_plugin_host_new(KEY, 31, LIT(""), &host), HEALING_ERR_INVALID_ARGUMENT,
           "not 32");
    EXPECT_TRUE(host == NULL);
    EXPECT(healing_plugin_host_new(KEY, 32, LIT(""), NULL), HEALING_ERR_NULL_PARAMETER,
           "out_host");
    EXPECT(healing_plugin_host_new(KEY, 32, LIT("{\"failures_before_disable\":0}"), &host),
           HEALING_ERR_INVALID_ARGUMENT, "failures_before_disable must be at least 1");
    EXPECT(healing_plugin_host_new(KEY, 32, LIT("{\"concurrent_calls\":0}"), &host),
           HEALING_ERR_INVALID_ARGUMENT, "concurrent_calls must be at least 1");
    EXPECT(healing_plugin_host_new(KEY, 32, LIT("{\"sockets\":true}"), &host),
           HEALING_ERR_INVALID_ARGUMENT, "sockets");
    EXPECT(healing_plugin_host_new(KEY, 32, LIT("{\"allowed_capabilities\":"), &host),
           HEALING_ERR_INVALID_JSON, "options_json");
    EXPECT_TRUE(host == NULL);
}

/* Installs the three good plugins into a first host; the tampered one is refused. */
static void test_install(void) {
    char path[PATH_SIZE];
    size_t len;
    char *json = NULL;
    healing_plugin_host *host = NULL;
    EXPECT(healing_plugin_host_new(KEY, 32, LIT(""), &host), HEALING_OK, "");

    len = folder(path, "local-terms");
    EXPECT(healing_plugin_load(host, path, len, &json),
           HEALING_ERR_PLUGIN_REFUSED, "not installed");
    EXPECT_TRUE(json == NULL);

    len = folder(path, "local-terms");
    EXPECT(healing_plugin_install(host, path, len, &json),
           HEALING_OK, "");
    EXPECT_TRUE(has(json, "\"id\":\"local-terms\""));
    EXPECT_TRUE(has(json, "\"world\":\"risk_rule\""));
    EXPECT_TRUE(has(json, "\"contract\":\"healing:plugin@0.1.0\""));
    EXPECT_TRUE(has(json, "\"state\":\"enabled\""));
    EXPECT(healing_string_free(json), HEALING_OK, "");

    len = folder(path, "box-breathing");
    EXPECT(healing_plugin_install(host, path, len, &json),
           HEALING_OK, "");
    EXPECT_TRUE(has(json, "\"world\":\"cbt_tool\""));
    EXPECT_TRUE(has(json, "\"input_schema\""));
    EXPECT(healing_string_free(json), HEALING_OK, "");

    len = folder(path, "hostile-rule");
    EXPECT(healing_plugin_install(host, path, len, &json),
           HEALING_OK, "");
    EXPECT(healing_string_free(json), HEALING_OK, "");

    len = folder(path, "tampered");
    EXPECT(healing_plugin_install(host, path, len, &json),
           HEALING_ERR_PLUGIN_REFUSED, "sha-256");
    EXPECT_TRUE(json == NULL);
    len = folder(path, "no-such-plugin");
    EXPECT(healing_plugin_install(host, path, len, &json),
           HEALING_ERR_PLUGIN_IO, "no-such-plugin");
    EXPECT(healing_plugin_install(host, LIT("\xff"), &json), HEALING_ERR_INVALID_UTF8, "folder");

    EXPECT(healing_plugin_host_free(host), HEALING_OK, "");
}

/* A host with another artifact key refuses artifacts it did not produce. */
static void test_foreign_artifact_refused(void) {
    char path[PATH_SIZE];
    size_t len;
    char *json = NULL;
    healing_plugin_host *host = NULL;
    EXPECT(healing_plugin_host_new(OTHER_KEY, 32, LIT(""), &host), HEALING_OK, "");
    len = folder(path, "local-terms");
    EXPECT(healing_plugin_load(host, path, len, &json),
           HEALING_ERR_PLUGIN_REFUSED, "hmac");
    EXPECT_TRUE(json == NULL);
    EXPECT(healing_plugin_host_free(host), HEALING_OK, "");
}

static void test_engine_with_plugins(healing_plugin_host *host) {
    healing_engine *engine = NULL;
    healing_assessment assessment;
    char *json = NULL;
    EXPECT(healing_engine_new_with_plugins(LIT(""), host, &engine), HEALING_OK, "");

    /* The local term raises the level through the engine's extension point. */
    EXPECT(healing_assess(engine, LIT("the cat scratches are back"), &assessment), HEALING_OK, "");
    EXPECT_TRUE(assessment.level == HEALING_RISK_MEDIUM);
    EXPECT_TRUE(assessment.categories == HEALING_CATEGORY_SELF_HARM);
    EXPECT(healing_assess_json(engine, LIT("the cat scratches are back"), LIT(""), &json),
           HEALING_OK, "");
    EXPECT_TRUE(has(json, "\"rule\":\"plugin/local-terms/local.cat_scratches\""));
    /* The rules version names each plugin and its installed version. */
    EXPECT_TRUE(has(json, "+plugin/hostile-rule@0.1.0+plugin/local-terms@0.1.0\""));
    EXPECT(healing_string_free(json), HEALING_OK, "");

    /* A plugin never lowers what the built-in rules found. */
    EXPECT(healing_assess(engine, LIT("I want to kill myself"), &assessment), HEALING_OK, "");
    EXPECT_TRUE(assessment.level >= HEALING_RISK_HIGH);

    /* A plugin that traps or runs away fails closed: High, not an error. */
    EXPECT(healing_assess_json(engine, LIT("trap"), LIT(""), &json), HEALING_OK, "");
    EXPECT_TRUE(has(json, "\"level\":\"high\""));
    EXPECT_TRUE(has(json, "\"rule\":\"plugin/hostile-rule/failed\""));
    EXPECT_TRUE(has(json, "trapped"));
    EXPECT(healing_string_free(json), HEALING_OK, "");
    EXPECT(healing_assess_json(engine, LIT("loop"), LIT(""), &json), HEALING_OK, "");
    EXPECT_TRUE(has(json, "\"rule\":\"plugin/hostile-rule/failed\""));
    EXPECT_TRUE(has(json, "deadline"));
    EXPECT(healing_string_free(json), HEALING_OK, "");

    /* Third failure in a row: the host disables the plugin, with a reason. */
    EXPECT(healing_assess(engine, LIT("trap"), &assessment), HEALING_OK, "");
    EXPECT_TRUE(assessment.level == HEALING_RISK_HIGH);
    EXPECT(healing_plugin_list_json(host, &json), HEALING_OK, "");
    EXPECT_TRUE(has(json, "\"id\":\"hostile-rule\""));
    EXPECT_TRUE(has(json, "\"state\":\"disabled\""));
    EXPECT(healing_string_free(json), HEALING_OK, "");
    /* While disabled the engine still fails closed on every text. */
    EXPECT(healing_assess_json(engine, LIT("a calm day"), LIT(""), &json), HEALING_OK, "");
    EXPECT_TRUE(has(json, "\"level\":\"high\""));
    EXPECT_TRUE(has(json, "disabled"));
    EXPECT(healing_string_free(json), HEALING_OK, "");

    /* The operator re-enables it; the next call runs on a fresh instance. */
    EXPECT(healing_plugin_enable(host, LIT("hostile-rule")), HEALING_OK, "");
    EXPECT(healing_plugin_list_json(host, &json), HEALING_OK, "");
    EXPECT_TRUE(!has(json, "\"state\":\"disabled\""));
    EXPECT(healing_string_free(json), HEALING_OK, "");
    EXPECT(healing_assess(engine, LIT("a calm day"), &assessment), HEALING_OK, "");
    EXPECT_TRUE(assessment.level == HEALING_RISK_LOW);
    EXPECT(healing_plugin_enable(host, LIT("nobody")), HEALING_ERR_UNKNOWN_PLUGIN, "nobody");

    EXPECT(healing_engine_free(engine), HEALING_OK, "");
}

static void test_cbt_tool(healing_plugin_host *host) {
    char *json = (char *)&root;
    EXPECT(healing_plugin_run_tool(host, LIT("box-breathing"),
                                   LIT("{\"cycles\":2,\"seconds_per_side\":5}"), &json),
           HEALING_OK, "");
    EXPECT_TRUE(has(json, "\"steps\":["));
    EXPECT_TRUE(has(json, "\"data\":{\"cycles\":2,\"total_seconds\":40}"));
    EXPECT(healing_string_free(json), HEALING_OK, "");

    EXPECT(healing_plugin_run_tool(host, LIT("box-breathing"), LIT("{\"cycles\":99}"), &json),
           HEALING_ERR_PLUGIN_SCHEMA, "schema");
    EXPECT_TRUE(json == NULL);
    EXPECT(healing_plugin_run_tool(host, LIT("box-breathing"), LIT("{\"cycles\":"), &json),
           HEALING_ERR_INVALID_JSON, "input_json");
    EXPECT(healing_plugin_run_tool(host, LIT("no-such-tool"), LIT("{}"), &json),
           HEALING_ERR_UNKNOWN_PLUGIN, "no-such-tool");
    EXPECT(healing_plugin_run_tool(host, LIT("local-terms"), LIT("{}"), &json),
           HEALING_ERR_UNKNOWN_PLUGIN, "risk rule");
    EXPECT(healing_plugin_run_tool(NULL, LIT("box-breathing"), LIT("{}"), &json),
           HEALING_ERR_NULL_PARAMETER, "host");
}

/* Loads root into a new host with key; building an engine must then fail,
 * naming the plugin and why, until the refusals are forgotten on purpose. */
static void expect_engine_refused(const uint8_t *key, const char *plugin, const char *why) {
    healing_plugin_host *host = NULL;
    healing_engine *engine = NULL;
    char *report = NULL;
    EXPECT(healing_plugin_host_new(key, 32, LIT(""), &host), HEALING_OK, "");
    EXPECT(healing_plugin_load_folder(host, root, strlen(root), &report), HEALING_OK, "");
    EXPECT(healing_string_free(report), HEALING_OK, "");
    EXPECT(healing_engine_new_with_plugins(LIT(""), host, &engine), HEALING_ERR_PLUGIN_REFUSED,
           plugin);
    EXPECT_TRUE(engine == NULL);
    EXPECT_TRUE(strstr(healing_last_error(), why) != NULL);
    EXPECT(healing_plugin_forget_refused(host, &report), HEALING_OK, "");
    EXPECT_TRUE(has(report, plugin));
    EXPECT(healing_string_free(report), HEALING_OK, "");
    EXPECT(healing_engine_new_with_plugins(LIT(""), host, &engine), HEALING_OK, "");
    EXPECT(healing_engine_free(engine), HEALING_OK, "");
    EXPECT(healing_plugin_host_free(host), HEALING_OK, "");
}

/* An artifact installed under another key, or corrupted on disk, is refused
 * by load_folder, and the engine is not built without it. */
static void test_refused_artifacts_fail_the_engine(void) {
    char path[PATH_SIZE];
    FILE *file;
    long size;
    int byte;
    /* Every artifact in root was installed under KEY: foreign to OTHER_KEY. */
    expect_engine_refused(OTHER_KEY, "'local-terms'", "hmac does not match");

    snprintf(path, sizeof path, "%s/local-terms/plugin.cwasm", root);
    file = fopen(path, "r+b");
    EXPECT_TRUE(file != NULL);
    if (file == NULL) {
        return;
    }
    fseek(file, 0, SEEK_END);
    size = ftell(file);
    fseek(file, size / 2, SEEK_SET);
    byte = fgetc(file);
    fseek(file, size / 2, SEEK_SET);
    fputc(byte ^ 0xff, file);
    fclose(file);
    expect_engine_refused(KEY, "'local-terms'", "hmac does not match");
}

int main(int argc, char **argv) {
    if (argc != 2 || strlen(argv[1]) >= sizeof root) {
        fprintf(stderr, "usage: %s PLUGINS_ROOT\n", argv[0]);
        return EXIT_FAILURE;
    }
    strcpy(root, argv[1]);

    test_host_arguments();
    test_install();
    test_foreign_artifact_refused();

    /* A second host loads what the first installed, from the artifacts. */
    healing_plugin_host *host = NULL;
    char *report = NULL;
    EXPECT(healing_plugin_host_new(KEY, 32, LIT(""), &host), HEALING_OK, "");
    EXPECT(healing_plugin_load_folder(host, root, strlen(root), &report), HEALING_OK, "");
    EXPECT_TRUE(has(report, "\"plugin\":{\"id\":\"box-breathing\""));
    EXPECT_TRUE(has(report, "\"plugin\":{\"id\":\"hostile-rule\""));
    EXPECT_TRUE(has(report, "\"plugin\":{\"id\":\"local-terms\""));
    EXPECT_TRUE(has(report, "\"code\":\"HEALING_ERR_PLUGIN_REFUSED\""));
    EXPECT(healing_string_free(report), HEALING_OK, "");
    EXPECT(healing_plugin_load_folder(host, LIT("/no/such/root"), &report),
           HEALING_ERR_PLUGIN_IO, "/no/such/root");

    /* The tampered folder was refused: no engine until that is forgotten. */
    healing_engine *engine = NULL;
    EXPECT(healing_engine_new_with_plugins(LIT(""), host, &engine), HEALING_ERR_PLUGIN_REFUSED,
           "'tampered'");
    EXPECT_TRUE(engine == NULL);
    EXPECT(healing_plugin_forget_refused(host, &report), HEALING_OK, "");
    EXPECT_TRUE(has(report, "tampered\",\"error\":{\"code\":\"HEALING_ERR_PLUGIN_REFUSED\""));
    EXPECT(healing_string_free(report), HEALING_OK, "");
    EXPECT(healing_plugin_forget_refused(host, &report), HEALING_OK, "");
    EXPECT_TRUE(strcmp(report, "[]") == 0);
    EXPECT(healing_string_free(report), HEALING_OK, "");

    test_engine_with_plugins(host);
    test_cbt_tool(host);

    EXPECT(healing_plugin_host_free(host), HEALING_OK, "");
    EXPECT(healing_plugin_host_free(host), HEALING_ERR_UNKNOWN_POINTER, "host");
    test_refused_artifacts_fail_the_engine();
    EXPECT_TRUE(strcmp(healing_result_name(HEALING_ERR_PLUGIN_TIMEOUT),
                       "HEALING_ERR_PLUGIN_TIMEOUT") == 0);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
