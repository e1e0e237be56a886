#!/usr/bin/env python3
"""Checks provsim's YAML formats with a validator provsim did not write: Python's jsonschema.

Usage: schema-check.py PROVSIM

- schemas/*.schema.json are what `PROVSIM schema scenario|systems` prints (they are current);
- every shipped scenario, the compliance scenarios in tools/compliance, and the files
  `provsim init` writes are valid against them;
- every wrong file in Tests/ScenarioTests/Fixtures/schema is refused by the schema and by
  provsim's loader (`provsim run --list`), so the two agree on what is wrong.

YAML is read with libyaml (the parser Yams uses) and YAML 1.2's core types, as an editor and the
loader read it: only true/false are booleans, numbers are decimal, timestamps and `1:30` stay text
(PyYAML's YAML 1.1 defaults would turn `yes`, 2024-01-31T12:00:00Z, 1:30 and 0x10 into other types).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ProvsimLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml, the parser Yams uses
    pass


REPLACED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
ProvsimLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ProvsimLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
ProvsimLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
ProvsimLoader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"), list("-+.0123456789"))


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=ProvsimLoader)


def validator(provsim, name):
    printed = subprocess.run([provsim, "schema", name], check=True, capture_output=True, text=True).stdout
    committed_path = os.path.join(ROOT, "schemas", f"{name}.schema.json")
    with open(committed_path, encoding="utf-8") as f:
        committed = f.read()
    if printed != committed:
        sys.exit(f"schema-check: {committed_path} is not what `provsim schema {name}` prints; run make schemas")
    schema = json.loads(printed)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def problems(check, path):
    return sorted(check.iter_errors(load_yaml(path)), key=lambda e: list(e.absolute_path))


def shipped_scenarios():
    for directory, subdirectories, files in os.walk(os.path.join(ROOT, "scenarios")):
        subdirectories[:] = sorted(d for d in subdirectories if d != "fixtures")
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                yield os.path.join(directory, name)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: schema-check.py PROVSIM")
    provsim = os.path.abspath(sys.argv[1])
    scenario, systems = validator(provsim, "scenario"), validator(provsim, "systems")
    failures = []

    valid = 0
    with tempfile.TemporaryDirectory() as starter:
        subprocess.run([provsim, "init", "--targets", "xsuaa,cf,afc", "--directory", starter], check=True, capture_output=True)
        files = [(path, scenario) for path in shipped_scenarios()]
        compliance = os.path.join(ROOT, "tools", "compliance")
        files += [(os.path.join(compliance, name), scenario) for name in sorted(os.listdir(compliance)) if name.endswith(".yaml")]
        files += [(os.path.join(starter, "scenarios", "onboarding.yaml"), scenario), (os.path.join(starter, "systems.yaml"), systems)]
        for path, check in files:
            found = problems(check, path)
            for error in found[:3]:
                failures.append(f"{os.path.relpath(path, ROOT)}: {'.'.join(map(str, error.absolute_path)) or '(root)'}: {error.message[:300]}")
            valid += not found

    refused = 0
    wrong = os.path.join(ROOT, "Tests", "ScenarioTests", "Fixtures", "schema")
    cases = [(os.path.join(wrong, n), scenario, True) for n in sorted(os.listdir(wrong)) if n.endswith(".yaml")]
    cases += [(os.path.join(wrong, "systems", n), systems, False) for n in sorted(os.listdir(os.path.join(wrong, "systems")))]
    for path, check, is_scenario in cases:
        name = os.path.relpath(path, ROOT)
        if not problems(check, path):
            failures.append(f"{name}: the schema accepts a wrong file")
            continue
        command = ["run", path, "--list"] if is_scenario else ["job", "run", "--systems", path, "--source", "directory"]
        loaded = subprocess.run([provsim] + command, capture_output=True, text=True)
        if loaded.returncode != 2:
            failures.append(f"{name}: provsim {command[0]} gives exit code {loaded.returncode}, not 2 (invalid input)")
            continue
        refused += 1

    for failure in failures:
        print(f"schema-check: {failure}")
    print(f"schema-check: {valid} of {len(files)} files valid against the schemas (jsonschema {jsonschema_version()}); "
          f"{refused} of {len(cases)} wrong files refused")
    sys.exit(1 if failures else 0)


def jsonschema_version():
    from importlib.metadata import version
    return version("jsonschema")


if __name__ == "__main__":
    main()
