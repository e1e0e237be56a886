#!/usr/bin/env bash
# Checks the CI recipes in docs/ci.md (make ci-recipes): each YAML block marked "# file: …" is
# validated against the platform's published schema (check-jsonschema's offline copies), then
# the recipes' commands run here: build, four shards, merge, validate, summary.
set -euo pipefail
cd "$(dirname "$0")/.."

checker=${CHECK_JSONSCHEMA:?set CHECK_JSONSCHEMA to the check-jsonschema command (make ci-recipes does)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The blocks, one file each, named after their "# file:" line.
python3 - "$work" <<'PY'
import re, sys, pathlib
text = pathlib.Path("docs/ci.md").read_text()
blocks = re.findall(r"```yaml\n# file: (\S+)\n(.*?)```", text, re.S)
if len(blocks) != 2:
    sys.exit(f"docs/ci.md: expected 2 recipes marked '# file:', found {len(blocks)}")
for name, body in blocks:
    out = pathlib.Path(sys.argv[1]) / pathlib.Path(name).name
    out.write_text(body)
    print(f"recipe {name} → {out}")
PY
"$checker" --builtin-schema vendor.github-workflows "$work/provsim.yml"
"$checker" --builtin-schema vendor.gitlab-ci "$work/.gitlab-ci.yml"

# The commands, as the recipes run them (GitLab's variables set as its runner sets them).
make build
rm -f reports/shard-*.xml reports/shard-*.html
for shard in 1 2 3 4; do
    CI_NODE_INDEX=$shard CI_NODE_TOTAL=4
    .build/debug/provsim run scenarios --shard "${CI_NODE_INDEX}/${CI_NODE_TOTAL}" \
        --junit "reports/shard-${CI_NODE_INDEX}.xml" --html "reports/shard-${CI_NODE_INDEX}.html" | tail -1
done
.build/debug/provsim report merge reports/junit.xml reports/shard-*.xml
.build/debug/provsim report validate reports/junit.xml
.build/debug/provsim report summary reports/junit.xml | head -3
suite=$(.build/debug/provsim run scenarios --list | grep -c '^[^ ]' || true)
merged=$(grep -c '<testsuite ' reports/junit.xml)
echo "scenarios in the suite: $suite; in the merged report: $merged"
[ "$merged" -gt 0 ] && [ "$merged" -eq "$suite" ] || { echo "the shards did not run every scenario once" >&2; exit 1; }
rm -f reports/shard-*.xml reports/shard-*.html
echo "ci-recipes: both recipes valid, their commands pass"
