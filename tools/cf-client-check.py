#!/usr/bin/env python3
"""Drives the fake UAA and Cloud Controller with a real Cloud Foundry client library.

Usage: make compliance            (runs this after the SCIM checks)
       tools/cf-client-check.py [PATH-TO-PROVSIM]

cloudfoundry-client (PyPI) discovers the UAA from the Cloud Controller's root document, signs in
with client credentials and, as the CF provisioning user, with a password through the public `cf`
client; lists organizations and spaces; creates, lists and deletes roles (deletion polls the
job); sees the organization_user rule as the library reports it; and, with simulated time running
fast, gets its expired token refreshed transparently on CF-InvalidAuthToken. Exits 1 on the first
step that does not behave.
"""
import json
import subprocess
import sys
import tempfile
import time

from cloudfoundry_client.client import CloudFoundryClient
from cloudfoundry_client.errors import InvalidStatusCode

SEED = {
    "uaa": {"users": [{"userName": "jdoe@example.com", "origin": "idp-platform",
                       "emails": [{"value": "jdoe@example.com", "primary": True}]}]},
    "cf": {"organizations": [{"name": "acme", "spaces": [{"name": "dev"}, {"name": "prod"}]}]},
}


def step(text):
    print(f"  {text}", flush=True)


def role(org=None, space=None, user=None):
    relationships = {"user": {"data": {"guid": user}}}
    if org:
        relationships["organization"] = {"data": {"guid": org}}
    if space:
        relationships["space"] = {"data": {"guid": space}}
    return relationships


def main() -> int:
    provsim = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/provsim"
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as state:
        json.dump(SEED, state)
    # 20,000 simulated seconds per real second: a 12-hour token expires in about 2 s.
    log = tempfile.NamedTemporaryFile("w+", suffix=".log")
    server = subprocess.Popen([provsim, "serve", "--services", "uaa,cf", "--state", state.name, "--time-scale", "20000"],
                              stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        services = {s["name"]: s for s in json.loads(server.stdout.readline())["services"]}
        cf, uaa = services["cf"], services["uaa"]
        print(f"cloudfoundry-client against {cf['url']} (UAA {uaa['url']})")

        admin = CloudFoundryClient(cf["url"], client_id=cf["clientId"], client_secret=cf["clientSecret"])
        admin.init_with_client_credentials()
        step(f"client credentials: signed in at {admin.info.authorization_endpoint}")
        orgs = list(admin.v3.organizations.list())
        assert [o["name"] for o in orgs] == ["acme"], orgs
        org = orgs[0]["guid"]
        spaces = {s["name"]: s["guid"] for s in admin.v3.spaces.list(organization_guids=org)}
        assert set(spaces) == {"dev", "prod"}, spaces
        step(f"listed organizations {[o['name'] for o in orgs]} and spaces {sorted(spaces)}")
        user = admin.v3.users._post(f"{cf['url']}/v3/users", data={"guid": uaa_user_id(admin, uaa)})["guid"]

        provisioner = CloudFoundryClient(cf["url"])  # client "cf", empty secret
        provisioner.init_with_user_credentials(cf["username"], cf["password"])
        step(f"password grant as {cf['username']}")
        roles = provisioner.v3.roles
        try:
            roles._post(f"{cf['url']}/v3/roles", data={"type": "space_developer", "relationships": role(space=spaces["dev"], user=user)})
            raise AssertionError("a space role without organization_user was accepted")
        except InvalidStatusCode as error:
            assert error.status_code == 422 and error.body["errors"][0]["code"] == 10008, error
            step(f"space role before organization_user: {error.status_code} {error.body['errors'][0]['detail']}")
        org_user = roles._post(f"{cf['url']}/v3/roles", data={"type": "organization_user", "relationships": role(org=org, user=user)})
        developer = roles._post(f"{cf['url']}/v3/roles", data={"type": "space_developer", "relationships": role(space=spaces["dev"], user=user)})
        listed = sorted(r["type"] for r in roles.list(user_guids=user))
        assert listed == ["organization_user", "space_developer"], listed
        step(f"created and listed roles {listed}")

        time.sleep(2.5)  # the provisioning user's token expires; the library refreshes on CF-InvalidAuthToken
        roles.remove(developer["guid"], asynchronous=False)
        roles.remove(org_user["guid"], asynchronous=False)
        assert list(roles.list(user_guids=user)) == []
        log.seek(0)
        requests = log.read().splitlines()
        expired = [line for line in requests if line.startswith("cf DELETE /v3/roles/") and " 401 " in line]
        refreshed = [line for line in requests if line.startswith("uaa POST /oauth/token 200") and "client=cf" in line]
        assert expired and len(refreshed) >= 2, "no expiry and refresh in the request log:\n" + "\n".join(requests)
        step("after token expiry (401 CF-InvalidAuthToken, refreshed at the UAA): deleted both roles (202 + job polled), none left")
        print("cloudfoundry-client: all steps passed")
        return 0
    except AssertionError as failure:
        print(f"cloudfoundry-client: FAILED: {failure}")
        return 1
    finally:
        server.terminate()
        server.wait(timeout=10)


def uaa_user_id(admin, uaa):
    """The seeded platform user's ID, read from the UAA with the admin's token (scim.read)."""
    response = admin.get(f"{uaa['url']}/Users?filter=userName%20eq%20%22jdoe@example.com%22")
    return response.json()["resources"][0]["id"]


if __name__ == "__main__":
    sys.exit(main())
