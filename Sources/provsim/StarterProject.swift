import Scenario

/// The files `provsim init` writes: a scenario that onboards, re-reads and offboards users from
/// the Identity Directory into the chosen targets, and a systems file with the same systems for
/// `provsim job run` against `provsim serve`. Both run green as written.
struct StarterProject {
    /// A target `provsim init` can set up, with what its scenario checks.
    enum Target: String, CaseIterable, Sendable {
        case xsuaa, cf, afc

        /// The system's name in the files.
        var system: String {
            switch self {
            case .xsuaa: "btp"
            case .cf: "cf"
            case .afc: "afc"
            }
        }

        /// The system's declaration, on one line.
        var declaration: String {
            switch self {
            case .xsuaa: "{ type: xsuaa, role: target, fake: xsuaa, properties: { xsuaa.origin: sap.custom, xsuaa.group.prefix: XSUAA_ } }"
            case .cf: "{ type: cf-platform-members, role: target, fake: cf, properties: { btp.cf.pm.origin: sap.custom, btp.cf.pm.landscape: cf-eu10, btp.cf.pm.group.prefix: CF_ } }"
            case .afc: "{ type: afc, role: target, fake: afc, properties: { s4hana.afc.group.prefix: AFC_ } }"
            }
        }

        /// The directory group that reaches this target (alice and bob are its members).
        var group: String {
            switch self {
            case .xsuaa: "{ displayName: XSUAA_Auditors, members: [{ userName: alice }, { userName: bob }] }"
            case .cf:
                """
                displayName: CF_cf-eu10_acme_users
                            urn:sap:cloud:scim:schemas:extension:custom:2.0:Group: { name: org-1 organization_user }
                            members: [{ userName: alice }, { userName: bob }]
                """
            case .afc: "{ displayName: AFC_Closers, members: [{ userName: alice }, { userName: bob }] }"
            }
        }

        /// What the target holds after the onboarding, then after bob leaves.
        func assertion(afterOffboarding: Bool) -> String {
            switch (self, afterOffboarding) {
            case (.xsuaa, false): "{ fake: xsuaa, count: { users: 2, groups: 1 }, contains: { users: [{ userName: alice, origin: sap.custom }], groups: [{ displayName: Auditors }] } }"
            case (.xsuaa, true): "{ fake: xsuaa, count: { users: 1 }, absent: { users: [{ userName: bob }] } }"
            case (.cf, false): "{ fake: cf, roles: { alice: [organization_user acme], bob: [organization_user acme] } }"
            case (.cf, true): "{ fake: cf, roles: { alice: [organization_user acme], bob: [] } }"
            case (.afc, false): "{ fake: afc, count: { users: 2, groups: 1 }, contains: { groups: [{ displayName: Closers }] } }"
            case (.afc, true): "{ fake: afc, count: { users: 1 }, absent: { users: [{ userName: bob }] } }"
            }
        }
    }

    let targets: [Target]

    /// Relative path → content.
    var files: [(path: String, content: String)] {
        [("scenarios/onboarding.yaml", scenario), ("systems.yaml", systemsFile),
         ("schemas/scenario.schema.json", ScenarioSchema.scenario().text), ("schemas/systems.schema.json", ScenarioSchema.systems.text)]
    }

    private var systems: String {
        let names = targets.map(\.system).joined(separator: ", ")
        return (["directory: { type: identity-directory, role: source, fake: identity-directory, targets: [\(names)] }"]
            + targets.map { "\($0.system): \($0.declaration)" }).joined(separator: "\n")
    }

    private func indented(_ text: String, _ spaces: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { String(repeating: " ", count: spaces) + $0 }.joined(separator: "\n")
    }

    var scenario: String {
        let names = targets.map(\.system)
        let created = targets.map { "\($0.system): { user: { created: 2, failed: 0 }, group: { created: 1, failed: 0 } }" }.joined(separator: "\n")
        let noWrites = names.map { "\($0): { writes: 0 }" }.joined(separator: ", ")
        var steps = [
            """
              - name: the Identity Directory and \(names.joined(separator: ", "))
                systems:
                  timeScale: 100
                  systems:
            \(indented(systems, 8))
            """,
        ]
        if targets.contains(.cf) {
            steps.append("""
              - name: Cloud Foundry's acme org
                seed: { fake: cf, data: { organizations: [{ name: acme, guid: org-1, spaces: [{ name: dev, guid: space-1 }] }] } }
            """)
        }
        steps.append("""
          - name: two new hires and their groups
            seed:
              fake: identity-directory
              data:
                users:
                  - { userName: alice, name: { givenName: Alice, familyName: Archer }, emails: [{ value: alice@example.com }] }
                  - { userName: bob, name: { givenName: Bob, familyName: Baker }, emails: [{ value: bob@example.com }] }
                groups:
        \(targets.map { "          - " + $0.group }.joined(separator: "\n"))
          - name: the first Read onboards them everywhere
            run:
              source: directory
              expect:
                statistics:
        \(indented(created, 10))
        """)
        steps += targets.map { "  - assert: " + $0.assertion(afterOffboarding: false) }
        steps.append("""
          - name: a second Read finds nothing changed and writes nothing
            run: { source: directory, expect: { requests: { \(noWrites) } } }
          - name: bob leaves
            change: { delete: { user: bob } }
          - run: { source: directory, expect: { status: Success } }
        """)
        steps += targets.map { "  - assert: " + $0.assertion(afterOffboarding: true) }
        return """
        # yaml-language-server: $schema=../schemas/scenario.schema.json
        # A starter scenario from `provsim init`: run it with `provsim run scenarios`, then change it.
        # The format: docs/scenarios.md; the systems and their properties: docs/engine.md.
        name: Onboarding and offboarding
        description: >
          Two new hires in the Identity Directory reach \(names.joined(separator: ", ")) through their
          groups; a second Read writes nothing; when bob leaves, the next Read takes him out.
        steps:
        \(steps.joined(separator: "\n"))

        """
    }

    var systemsFile: String {
        """
        # yaml-language-server: $schema=schemas/systems.schema.json
        # Systems for `provsim job run`, written by `provsim init`. Against the fakes:
        #   provsim serve --ports-file fakes.json &
        #   provsim job run --systems systems.yaml --fakes fakes.json --source directory --store store.json
        # For a real tenant, replace `fake:` with the connection properties (URL, Authentication, …)
        # and take secrets from the environment; see docs/engine.md.
        systems:
        \(indented(systems, 2))

        """
    }
}
