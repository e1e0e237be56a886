#!/usr/bin/env python3
"""Runs the independent SCIM 2.0 checker scim2-tester against `provsim serve`.

Usage: make compliance
       tools/scim-compliance.py [PATH-TO-PROVSIM] [--service NAME] [--tags a,b] [--trace FILE]

Starts the SCIM 2.0 fakes (UAA and Cloud Foundry speak other dialects: tools/cf-client-check.py),
takes a client-credentials token for each SCIM service, runs every check on the
User and Group resource types (AFC's /Roles is a read-only catalog by design), prints each result
that is not a success and a summary per service. Exits 1 when a check fails for a reason not
listed in KNOWN_TESTER_LIMITS below: those are explained in docs/fidelity.md.
"""
import argparse
import datetime
import json
import subprocess
import sys

import httpx2
import scim2_tester.checkers.patch_add
import scim2_tester.checkers.patch_replace
import scim2_tester.filling
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

# scim2-tester 0.5 fills dateTime attributes (SAP's validFrom/validTo) with a UUID, which its own
# client then refuses to send; give it a timestamp instead so those checks reach the server.
_generate = scim2_tester.filling.generate_random_value


def _generate_with_dates(context, path, *args, **kwargs):
    binding = path.resolve()
    if binding is not None and binding.target_type is datetime.datetime:
        value = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        return [value] if binding.target_is_multivalued else value
    return _generate(context, path, *args, **kwargs)


for module in (scim2_tester.filling, scim2_tester.checkers.patch_add, scim2_tester.checkers.patch_replace):
    module.generate_random_value = _generate_with_dates

# Failures caused by the checker, not by the server (see docs/fidelity.md, "SCIM compliance").
KNOWN_TESTER_LIMITS = [
    # The server adds read-only sub-attributes to what a PATCH wrote: members[].display (RFC 7643
    # §2.4, §8.4) and the Identity Directory's userUuid, which stays when the rest of the SAP
    # extension is removed. The checker compares what it sent with what it reads for equality.
    "PATCH modify() returned unexpected value for 'members'",
    "PATCH modify() returned unexpected value for 'urn:ietf:params:scim:schemas:extension:sap:2.0:User'",
    "PATCH modify() did not remove attribute 'urn:ietf:params:scim:schemas:extension:sap:2.0:User'",
    # An add to a multi-valued attribute that has values appends (RFC 7644 §3.5.2.1); the checker
    # first adds the whole custom extension, then expects the list to hold only its second value.
    "PATCH modify() returned unexpected value for 'urn:sap:cloud:scim:schemas:extension:custom:2.0:User:attributes'",
]


def main() -> int:
    parser = argparse.ArgumentParser(description="Run scim2-tester against provsim serve.")
    parser.add_argument("provsim", nargs="?", default=".build/debug/provsim")
    parser.add_argument("--service", help="only this service (identity-directory, afc)")
    parser.add_argument("--tags", help="only checks with these tags, comma-separated (e.g. patch:add)")
    parser.add_argument("--trace", help="write every request and response to this file")
    options = parser.parse_args()
    trace = open(options.trace, "w") if options.trace else None

    def record(response):
        response.read()
        request = response.request
        trace.write(f"{request.method} {request.url}\n{request.content.decode()}\n--> {response.status_code} {response.text}\n\n")

    provsim = options.provsim
    server = subprocess.Popen([provsim, "serve", "--services", "identity-directory,afc", "--no-rate-limits", "--seed", "1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        descriptor = json.loads(server.stdout.readline())
        unexpected = 0
        for service in descriptor["services"]:
            if options.service and service["name"] != options.service:
                continue
            token = httpx2.post(service["tokenURL"], data={
                "grant_type": "client_credentials", "client_id": service["clientId"], "client_secret": service["clientSecret"],
            }).json()["access_token"]
            http = httpx2.Client(base_url=service["scim"], headers={"Authorization": f"Bearer {token}"},
                                 event_hooks={"response": [record]} if trace else None)
            client = SyncSCIMClient(http)
            client.discover()
            tags = set(options.tags.split(",")) if options.tags else None
            results = check_server(client, resource_types=["User", "Group"], include_tags=tags)
            counts = {"passed": 0, "skipped": 0, "known": 0, "failed": 0}
            for result in results:
                if result.status == Status.SUCCESS:
                    counts["passed"] += 1
                    continue
                if result.status == Status.SKIPPED:
                    counts["skipped"] += 1
                    continue
                reason = str(result.reason)
                known = any(text in reason for text in KNOWN_TESTER_LIMITS)
                counts["known" if known else "failed"] += 1
                first_line = reason.splitlines()[0] if reason else ""
                print(f"{service['name']}: {'known' if known else 'FAILED'} {result.title}: {first_line}")
            unexpected += counts["failed"]
            print(f"{service['name']}: {counts['passed']} passed, {counts['skipped']} skipped, "
                  f"{counts['known']} checker limits, {counts['failed']} failed, of {len(results)} checks")
        return 1 if unexpected else 0
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
