#!/usr/bin/env bash
# make compliance, last part: provsim's checks of services provsim did not write into itself.
#   - `provsim check scim` against `provsim serve` started as a separate process (the Identity
#     Directory and AFC fakes, each in PUT and in PATCH mode): everything passes;
#   - `provsim check scim` against the independent SCIM 2.0 server scim2-server from PyPI (its
#     throwaway bearer token is on its command line: scim2-server takes it no other way);
#   - the lifecycle scenarios tools/compliance/external-lifecycle.yaml (XSUAA, AFC) and
#     external-cloud-foundry.yaml (Cloud Foundry's V3 API) against the separate `provsim serve`,
#     seeding and asserting only through public APIs.
# Usage: tools/check-scim.sh PROVSIM VENV   (VENV has scim2-server installed)
set -euo pipefail
provsim=$1
venv=$2
out=reports/compliance
mkdir -p "$out"
work=$(mktemp -d)
serve_pid=""
scim2_pid=""
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
    [ -n "$scim2_pid" ] && kill "$scim2_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$provsim" serve --ports-file "$work/ports.json" > "$work/serve.log" 2>&1 &
serve_pid=$!
port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(24))')
"$venv/bin/scim2-server" --hostname 127.0.0.1 --port "$port" --bearer-token "$token" > "$work/scim2.log" 2>&1 &
scim2_pid=$!
for _ in $(seq 100); do
    [ -s "$work/ports.json" ] && "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/ServiceProviderConfig')" 2>/dev/null && break
    sleep 0.1
done

# The services' connections from the ports file, as environment files (never on command lines).
"$venv/bin/python" - "$work" <<'PY'
import json, sys, urllib.request
work = sys.argv[1]
services = {s["name"]: s for s in json.load(open(f"{work}/ports.json"))["services"]}
for name in ("identity-directory", "afc"):
    s = services[name]
    with open(f"{work}/{name}.env", "w") as f:
        f.write(f"URL={s['scim']}\nTOKEN_URL={s['tokenURL']}\nCLIENT_ID={s['clientId']}\nPROVSIM_CHECK_CLIENT_SECRET={s['clientSecret']}\n")
with open(f"{work}/external.env", "w") as f:
    for key, name in (("XSUAA", "xsuaa"), ("AFC", "afc")):
        s = services[name]
        f.write(f"{key}_URL={s['systemProperties']['URL']}\n{key}_CLIENT_ID={s['clientId']}\n"
                f"{key}_CLIENT_SECRET={s['clientSecret']}\n{key}_TOKEN_URL={s['tokenURL']}\n")
# Cloud Foundry as a platform team hands it over: an organization with a space, managed by the
# provisioning user (the fake's control API stands for the platform's admin).
cf = services["cf"]
seed = json.dumps({"organizations": [{"name": "acme", "spaces": [{"name": "dev"}]}]}).encode()
urllib.request.urlopen(urllib.request.Request(f"{cf['url']}/_provsim/seed", data=seed, method="POST", headers={"Content-Type": "application/json"}))
with open(f"{work}/cloud-foundry.env", "w") as f:
    p = cf["systemProperties"]
    f.write(f"CF_URL={p['URL']}\nCF_USER={p['User']}\nCF_PASSWORD={p['Password']}\n")
PY

status=0
for name in identity-directory afc; do
    for mode in put patch; do
        property=(--property "scim.support.patch.operation=$([ $mode = patch ] && echo true || echo false)")
        # AFC allows 3 requests at a time: a burst of 10 at a time meets its 429s when requests
        # overlap, which depends on the machine; the check then passes, or is skipped, and fails
        # only on a 429 without Retry-After.
        burst=(); [ $name = afc ] && burst=(--burst 60)
        (set -a; . "$work/$name.env"; set +a
         "$provsim" check scim --url "$URL" --token-url "$TOKEN_URL" --client-id "$CLIENT_ID" "${property[@]}" "${burst[@]}" \
            --junit "$out/check-scim-$name-$mode.xml" --html "$out/check-scim-$name-$mode.html") || status=1
    done
done
for mode in put patch; do
    PROVSIM_CHECK_TOKEN=$token "$provsim" check scim --url "http://127.0.0.1:$port" \
        --property "scim.support.patch.operation=$([ $mode = patch ] && echo true || echo false)" \
        --junit "$out/check-scim-scim2-server-$mode.xml" --html "$out/check-scim-scim2-server-$mode.html" || status=1
done
"$provsim" run tools/compliance/external-lifecycle.yaml --env-file "$work/external.env" --junit "$out/external-lifecycle.xml" --html "$out/external-lifecycle.html" || status=1
"$provsim" run tools/compliance/external-cloud-foundry.yaml --env-file "$work/cloud-foundry.env" --junit "$out/external-cloud-foundry.xml" --html "$out/external-cloud-foundry.html" || status=1

# What the checks created is gone from every service.
SCIM2_TOKEN=$token "$venv/bin/python" - "$work" "$port" <<'PY' || status=1
import json, os, sys, urllib.request
work, port = sys.argv[1:]
token = os.environ["SCIM2_TOKEN"]
left = []
for s in json.load(open(f"{work}/ports.json"))["services"]:
    if s["name"] in ("identity-directory", "afc", "xsuaa"):
        state = json.load(urllib.request.urlopen(f"{s['url']}/_provsim/state"))
        left += [f"{s['name']}: {e.get('userName') or e.get('displayName')}" for key in ("users", "groups") for e in state.get(key, [])]
    if s["name"] == "cf":
        # Only the provisioning user's own roles: Cloud Foundry users stay (deleting them needs an admin).
        state = json.load(urllib.request.urlopen(f"{s['url']}/_provsim/state"))
        names = {u["guid"]: u.get("username") for u in state.get("users", [])}
        left += [f"cf: role {r['type']} of {names.get(r['relationships']['user']['data']['guid'])}" for r in state.get("roles", [])
                 if names.get(r["relationships"]["user"]["data"]["guid"]) != s["username"]]
for endpoint in ("Users", "Groups"):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/{endpoint}", headers={"Authorization": f"Bearer {token}"})
    left += [f"scim2-server: {e.get('userName') or e.get('displayName')}" for e in json.load(urllib.request.urlopen(request)).get("Resources", [])]
if left:
    print("check-scim: left behind: " + ", ".join(left))
    sys.exit(1)
print("check-scim: nothing left behind in identity-directory, afc, xsuaa, cf (roles) and scim2-server")
PY
exit $status
