"""healing.plugins: the plugin host from Python, with the committed .wasm fixtures.

The fixtures are the plugin host's own (plugins/healing-plugins/tests/fixtures, rebuilt by
plugins/build-fixtures.sh). Compiling a component takes seconds in a debug build,
so each is installed once per session into a plugins folder; every test then loads
fresh plugins from the installed artifacts with a new host (fresh failure counts).
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import shutil
import tempfile
import threading
import time
from typing import Iterator

import pytest

import healing
from healing import plugins, safety

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "plugins" / "healing-plugins" / "tests" / "fixtures"
KEY = bytes([7] * 32)
OTHER_KEY = bytes([9] * 32)

#: Plugin id -> (fixture file, world); installed once per session.
INSTALLED = {
    "hostile-rule": ("hostile_rule", "risk_rule"),
    "local-terms": ("local_terms", "risk_rule"),
    "thought-record": ("thought_record", "cbt_tool"),
}

THOUGHT_RECORD = {
    "situation": "Team meeting",
    "mood": "anxious",
    "mood_rating_before": 80,
    "hot_thought": "They think I'm useless",
    "evidence_for": ["I stumbled over a slide"],
    "evidence_against": ["My manager thanked me afterwards"],
    "balanced_thought": "One stumble is not the whole talk",
    "belief_in_balanced_thought": 60,
    "mood_rating_after": 45,
}


def plugin_folder(root: pathlib.Path, plugin_id: str, wasm: bytes, world: str) -> pathlib.Path:
    """A plugin folder as an operator lays it out: manifest.json beside the component."""
    folder = root / plugin_id
    folder.mkdir(parents=True)
    file_name = f"{plugin_id}.wasm"
    (folder / file_name).write_bytes(wasm)
    manifest = {
        "id": plugin_id,
        "version": "0.1.0",
        "world": world,
        "file": file_name,
        "sha256": hashlib.sha256(wasm).hexdigest(),
        "limits": {},
        "capabilities": [],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


@pytest.fixture(scope="session")
def plugins_root() -> Iterator[pathlib.Path]:
    """A plugins folder with the fixtures of INSTALLED installed under KEY."""
    root = pathlib.Path(tempfile.mkdtemp(prefix="healing-plugins-"))
    try:
        host = plugins.PluginHost(KEY)
        for plugin_id, (fixture, world) in INSTALLED.items():
            wasm = (FIXTURES / f"{fixture}.wasm").read_bytes()
            host.install(plugin_folder(root, plugin_id, wasm, world))
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def host() -> plugins.PluginHost:
    return plugins.PluginHost(KEY)


def risk_rule(host: plugins.PluginHost, root: pathlib.Path, plugin_id: str) -> plugins.RiskRule:
    plugin = host.load(root / plugin_id)
    assert isinstance(plugin, plugins.RiskRule)
    return plugin


def cbt_tool(host: plugins.PluginHost, root: pathlib.Path, plugin_id: str) -> plugins.CbtTool:
    plugin = host.load(root / plugin_id)
    assert isinstance(plugin, plugins.CbtTool)
    return plugin


def test_every_plugin_error_is_a_healing_error() -> None:
    assert issubclass(healing.PluginError, healing.HealingError)
    for error_type in [
        healing.PluginTimeoutError,
        healing.PluginMemoryLimitError,
        healing.PluginTrapError,
        healing.PluginMalformedOutputError,
        healing.PluginSchemaError,
        healing.PluginContractError,
        healing.PluginDisabledError,
    ]:
        assert issubclass(error_type, healing.PluginError)


def test_load_folder_gives_each_plugin_its_own_result(
    host: plugins.PluginHost, plugins_root: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    for plugin_id in INSTALLED:
        shutil.copytree(plugins_root / plugin_id, tmp_path / plugin_id)
    # Copied but never installed: no artifact, so it is refused on its own.
    plugin_folder(tmp_path, "box-breathing", (FIXTURES / "box_breathing.wasm").read_bytes(), "cbt_tool")

    loads = host.load_folder(tmp_path)

    assert [pathlib.Path(load.folder).name for load in loads] == [
        "box-breathing",
        "hostile-rule",
        "local-terms",
        "thought-record",
    ]
    assert [load.ok for load in loads] == [False, True, True, True]
    refused = loads[0]
    assert refused.plugin is None
    assert isinstance(refused.error, healing.PluginError)
    assert refused.error.kind == "artifact_refused"
    assert refused.error.plugin == "box-breathing"
    assert "not installed" in str(refused.error)
    assert isinstance(loads[2].plugin, plugins.RiskRule)
    assert isinstance(loads[3].plugin, plugins.CbtTool)
    listed = [(plugin.id, plugin.status) for plugin in host.plugins()]
    assert listed == [
        ("hostile-rule", {"state": "enabled", "consecutive_failures": 0}),
        ("local-terms", {"state": "enabled", "consecutive_failures": 0}),
        ("thought-record", {"state": "enabled", "consecutive_failures": 0}),
    ]


def test_an_artifact_installed_under_another_key_is_refused(plugins_root: pathlib.Path) -> None:
    other = plugins.PluginHost(OTHER_KEY)
    with pytest.raises(healing.PluginError) as raised:
        other.load(plugins_root / "local-terms")
    assert raised.value.kind == "artifact_refused"
    assert other.plugins() == []


def test_local_terms_rule_raises_the_assessment(
    host: plugins.PluginHost, plugins_root: pathlib.Path
) -> None:
    text = "the cat scratches are back"
    core_only = safety.assess(text)
    assert core_only.level in ("none", "low")

    rule = risk_rule(host, plugins_root, "local-terms")
    engine = safety.Engine(plugins=[rule])
    assessment = engine.assess(text)

    assert assessment.level == "medium"
    assert assessment.categories == ["self_harm"]
    finding = next(f for f in assessment.findings if f["rule"].startswith("plugin/"))
    assert finding["rule"] == "plugin/local-terms/local.cat_scratches"
    assert text.encode()[finding["start"] : finding["end"]] == b"cat scratches"
    assert finding["reason"] == "local term 'cat scratches'"
    assert engine.plugins == ["local-terms"]
    # The rules version names the plugin and its installed version.
    assert rule.version == "0.1.0"
    assert engine.rules_version == safety.rules_version() + "+plugin/local-terms@0.1.0"
    assert assessment.rules_version == engine.rules_version
    # The host's own engine carries every risk rule it loaded.
    assert host.engine().assess(text).level == "medium"


def copy_installed(plugins_root: pathlib.Path, tmp_path: pathlib.Path) -> pathlib.Path:
    """A plugins folder holding a copy of the installed local-terms."""
    shutil.copytree(plugins_root / "local-terms", tmp_path / "local-terms")
    return tmp_path


def test_an_engine_is_not_built_from_a_folder_with_a_foreign_key_artifact(
    plugins_root: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    root = copy_installed(plugins_root, tmp_path)
    other = plugins.PluginHost(OTHER_KEY)
    [load] = other.load_folder(root)
    assert not load.ok
    with pytest.raises(healing.PluginError) as raised:
        other.engine()
    assert raised.value.kind == "refused"
    assert "'local-terms'" in str(raised.value)
    assert "hmac does not match" in str(raised.value)
    # Screening without it is the caller's explicit decision.
    [forgotten] = other.forget_refused()
    assert forgotten.folder == str(root / "local-terms")
    assert other.engine().rules_version == safety.rules_version()


def test_an_engine_is_not_built_from_a_folder_with_a_corrupted_artifact(
    host: plugins.PluginHost, plugins_root: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    root = copy_installed(plugins_root, tmp_path)
    artifact = root / "local-terms" / "plugin.cwasm"
    data = bytearray(artifact.read_bytes())
    data[len(data) // 2] ^= 0xFF
    artifact.write_bytes(bytes(data))
    host.load_folder(root)
    with pytest.raises(healing.PluginError, match="'local-terms'.*hmac does not match"):
        host.engine()
    # Installing it again mends it: the folder then loads and is no longer refused.
    host.install(root / "local-terms")
    assert host.engine().assess("the cat scratches are back").level == "medium"


def test_an_engine_without_plugins_equals_assess() -> None:
    texts = ["I want to kill myself", "the cat scratches are back", "lovely walk today"]
    assert safety.Engine().assess_many(texts) == [safety.assess(text) for text in texts]


def test_engine_assess_many_equals_one_by_one_in_order(
    host: plugins.PluginHost, plugins_root: pathlib.Path
) -> None:
    engine = safety.Engine(plugins=[risk_rule(host, plugins_root, "local-terms")])
    texts = [f"day {i}: the cat scratches are back" if i % 3 == 0 else f"day {i}: fine" for i in range(12)]
    batch = engine.assess_many(texts, threads=2)
    assert batch == [engine.assess(text) for text in texts]
    assert [a.level for a in batch[:3]] == ["medium", "none", "none"]


def test_a_plugin_never_lowers_the_core_level(
    host: plugins.PluginHost, plugins_root: pathlib.Path
) -> None:
    # The hostile fixture answers ordinary text with one low finding.
    text = "I want to kill myself"
    core_only = safety.assess(text)
    assessment = safety.Engine(plugins=[risk_rule(host, plugins_root, "hostile-rule")]).assess(text)
    assert any(f["rule"] == "plugin/hostile-rule/hostile" for f in assessment.findings)
    assert assessment.level == core_only.level
    assert safety.levels().index(assessment.level) >= safety.levels().index("high")


def test_a_failing_rule_fails_closed_inside_an_engine(
    host: plugins.PluginHost, plugins_root: pathlib.Path
) -> None:
    engine = safety.Engine(plugins=[risk_rule(host, plugins_root, "hostile-rule")])
    assessment = engine.assess("trap")
    assert assessment.level == "high"
    assert assessment.findings[0]["rule"] == "plugin/hostile-rule/failed"
    assert assessment.findings[0]["reason"].startswith(
        "plugin rule could not assess this text (plugin 'hostile-rule': it trapped"
    )


def test_engine_refuses_what_is_not_a_risk_rule(
    host: plugins.PluginHost, plugins_root: pathlib.Path
) -> None:
    tool = cbt_tool(host, plugins_root, "thought-record")
    with pytest.raises(healing.InvalidInputError, match="item 0 is not a healing.plugins.RiskRule"):
        safety.Engine(plugins=[tool])  # type: ignore[list-item]
    with pytest.raises(healing.InvalidInputError):
        safety.Engine(plugins="local-terms")  # type: ignore[arg-type]


def test_thought_record_round_trips_through_its_schemas(
    host: plugins.PluginHost, plugins_root: pathlib.Path
) -> None:
    tool = cbt_tool(host, plugins_root, "thought-record")
    description = tool.describe()
    assert description["name"]
    assert description["input_schema"]["type"] == "object"
    assert tool.contract == "healing:plugin@0.1.0"

    result = tool.run(THOUGHT_RECORD)

    assert result.data == {"columns_completed": 7, "mood_change": -35}
    assert result.rewards == ["cbt_tool"]
    assert result.journal_summary == "Thought record: anxious rated 80 before and 45 after."
    assert result.steps == []
    assert result.to_dict()["data"] == result.data
    # Ready for healing.pet.step.
    assert result.pet_events() == [{"kind": "complete_activity", "activity": "cbt_tool"}]


def test_input_that_breaks_the_schema_raises_and_is_not_held_against_the_tool(
    host: plugins.PluginHost, plugins_root: pathlib.Path
) -> None:
    tool = cbt_tool(host, plugins_root, "thought-record")
    with pytest.raises(healing.PluginSchemaError) as raised:
        tool.run({"situation": "Bus", "mood": "low", "mood_rating_before": 150, "hot_thought": "x"})
    assert raised.value.kind == "input_schema"
    assert raised.value.plugin == "thought-record"
    assert str(raised.value).endswith("/mood_rating_before: above the maximum of 100")
    assert tool.status == {"state": "enabled", "consecutive_failures": 0}
    with pytest.raises(healing.InvalidInputError):
        tool.run({"situation": object()})


@pytest.mark.parametrize(
    ("text", "error_type", "kind"),
    [
        ("loop", healing.PluginTimeoutError, "timeout"),
        ("grow", healing.PluginMemoryLimitError, "memory_limit"),
        ("trap", healing.PluginTrapError, "trap"),
        ("undeclared", healing.PluginMalformedOutputError, "malformed_output"),
        ("flood", healing.PluginMalformedOutputError, "output_too_large"),
    ],
)
def test_a_hostile_call_raises_its_own_subclass_and_the_host_keeps_serving(
    host: plugins.PluginHost,
    plugins_root: pathlib.Path,
    text: str,
    error_type: type[healing.PluginError],
    kind: str,
) -> None:
    hostile = risk_rule(host, plugins_root, "hostile-rule")
    with pytest.raises(error_type) as raised:
        hostile.findings(text)
    assert raised.value.kind == kind
    assert raised.value.plugin == "hostile-rule"
    assert hostile.status == {"state": "enabled", "consecutive_failures": 1}
    # A fresh instance serves the next call, and other plugins are unaffected.
    assert [f["reason"] for f in hostile.findings("hello")] == ["call 1 on this instance"]
    local = risk_rule(host, plugins_root, "local-terms")
    assert len(local.findings("sewerslide")) == 1


def test_a_plugin_that_keeps_failing_is_disabled_until_re_enabled(
    host: plugins.PluginHost, plugins_root: pathlib.Path
) -> None:
    hostile = risk_rule(host, plugins_root, "hostile-rule")
    for _ in range(3):
        with pytest.raises(healing.PluginTrapError):
            hostile.findings("trap")
    assert hostile.status["state"] == "disabled"
    assert hostile.status["reason"].startswith("disabled after 3 consecutive failures")
    with pytest.raises(healing.PluginDisabledError) as raised:
        hostile.findings("hello")
    assert raised.value.kind == "disabled"
    # The host's list shows the same plugin disabled.
    assert [p.status["state"] for p in host.plugins() if p.id == "hostile-rule"] == ["disabled"]
    hostile.enable()
    assert [f["reason"] for f in hostile.findings("hello")] == ["call 1 on this instance"]


def test_a_component_for_an_unsupported_contract_is_refused(
    host: plugins.PluginHost, tmp_path: pathlib.Path
) -> None:
    # The local-terms component with its export renamed to a future contract
    # version (same length, so the binary stays well-formed).
    wasm = (FIXTURES / "local_terms.wasm").read_bytes()
    assert b"healing:plugin/rule@0.1.0" in wasm
    future = wasm.replace(b"healing:plugin/rule@0.1.0", b"healing:plugin/rule@9.0.0")
    folder = plugin_folder(tmp_path, "future", future, "risk_rule")
    with pytest.raises(healing.PluginContractError) as raised:
        host.install(folder)
    assert raised.value.kind == "unsupported_contract"
    assert str(raised.value) == (
        "plugin 'future' was built for healing:plugin@9.0.0; this host supports healing:plugin@0.1.0"
    )
    assert not (folder / "plugin.cwasm").exists()
    assert host.supported_contracts() == ["healing:plugin@0.1.0"]


def test_a_component_of_the_other_world_is_a_contract_error(
    host: plugins.PluginHost, tmp_path: pathlib.Path
) -> None:
    wasm = (FIXTURES / "box_breathing.wasm").read_bytes()
    folder = plugin_folder(tmp_path, "box-breathing", wasm, "risk_rule")
    with pytest.raises(healing.PluginContractError) as raised:
        host.install(folder)
    assert raised.value.kind == "wrong_world"


def test_bad_host_settings_raise_typed_errors(tmp_path: pathlib.Path) -> None:
    with pytest.raises(healing.InvalidInputError, match="expected 32 bytes, got 3"):
        plugins.PluginHost(b"key")
    with pytest.raises(healing.InvalidInputError):
        plugins.PluginHost(KEY, allowed_capabilities=["sockets"])  # type: ignore[list-item]
    with pytest.raises(healing.InvalidInputError):
        plugins.PluginHost(KEY, failures_before_disable=0)
    with pytest.raises(healing.InvalidInputError, match="concurrent_calls"):
        plugins.PluginHost(KEY, concurrent_calls=0)
    with pytest.raises(healing.PluginError) as raised:
        plugins.PluginHost(KEY).load_folder(tmp_path / "missing")
    assert raised.value.kind == "io"
    assert raised.value.plugin is None


def test_plugin_calls_release_the_gil(host: plugins.PluginHost, plugins_root: pathlib.Path) -> None:
    hostile = risk_rule(host, plugins_root, "hostile-rule")
    started = threading.Event()
    errors: list[BaseException] = []

    def run_loop() -> None:
        started.set()
        try:
            hostile.findings("loop")  # runs until its 100 ms deadline
        except healing.PluginTimeoutError as error:
            errors.append(error)

    worker = threading.Thread(target=run_loop)
    worker.start()
    started.wait()
    ticks = 0
    while worker.is_alive():
        time.sleep(0.001)
        ticks += 1
    worker.join()
    assert len(errors) == 1
    # Had the call held the GIL, this thread could not have run while it lasted.
    assert ticks >= 10, ticks
