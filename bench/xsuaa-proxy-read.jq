# The default XSUAA proxy read transformation (user block) written in jq, to compare provsim's
# throughput with jq 1.6 on the same input: see README, "Performance".
#   jq -c --arg base https://proxy.example/Users/ -f bench/xsuaa-proxy-read.jq users.ndjson
def opt(k): if has(k) and .[k] != null then {(k): .[k]} else {} end;
def req(k): if has(k) and .[k] != null then {(k): .[k]} else error("\(k) is mandatory") end;
{id: .id}
+ {meta: ({location: ($base + .id)} + (.meta // {}))}
+ req("userName")
+ opt("name")
+ req("emails")
+ opt("groups")
+ opt("phoneNumbers")
+ opt("active")
+ opt("externalId")
+ opt("origin")
+ opt("zoneId")
+ opt("verified")
+ {schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"]}
