import JSON
import Testing
@testable import SCIM

/// Filters printed once for every connector and the proxy: parentheses only where precedence
/// needs them, JSON quoting, and text that parses back to the same filter.
@Suite("SCIM filter printing")
struct FilterPrintingTests {
    @Test("printing keeps meaning and drops redundant parentheses", arguments: [
        (#"userName eq "jdoe""#, #"userName eq "jdoe""#),
        (#"(a eq 1 or b eq 2) and c pr"#, #"(a eq 1 or b eq 2) and c pr"#),
        (#"a eq 1 or (b eq 2 and c eq 3)"#, #"a eq 1 or b eq 2 and c eq 3"#),
        (#"((a eq 1))"#, #"a eq 1"#),
        (#"not (a eq 1 or b eq 2)"#, #"not (a eq 1 or b eq 2)"#),
        (#"emails[type eq "work" and value co "@example.com"]"#, #"emails[type eq "work" and value co "@example.com"]"#),
        (#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7""#,
         #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7""#),
        (#"meta.lastModified gt "2024-02-14T04:42:34Z" and active eq true and x eq null"#,
         #"meta.lastModified gt "2024-02-14T04:42:34Z" and active eq true and x eq null"#),
    ])
    func printing(_ text: String, _ expected: String) throws {
        let filter = try SCIMFilter(parsing: text)
        #expect(filter.description == expected)
        // What is printed parses to a filter that prints the same.
        #expect(try SCIMFilter(parsing: filter.description).description == expected)
    }

    @Test func valuesAreQuotedAsJSONStrings() throws {
        let tricky = "a \"quoted\" back\\slash and a\ttab"
        let filter = try #require(SCIMFilter.equal("userName", tricky))
        #expect(filter.description == #"userName eq "a \"quoted\" back\\slash and a\ttab""#)
        #expect(try SCIMFilter(parsing: filter.description) == filter)
        #expect(SCIMFilter.equal("not a path!", "x") == nil)
    }

    @Test func longChainsAreBalancedAndPrintFlat() throws {
        let values = (1...1000).map { SCIMFilter.compare(SCIMAttributePath(attribute: "value"), .eq, .string("id-\($0)")) }
        let any = try #require(SCIMFilter.any(values))
        #expect(any.description.hasPrefix(#"value eq "id-1" or value eq "id-2" or "#))
        #expect(!any.description.contains("("))
        #expect(SCIMFilter.valuePath(SCIMAttributePath(attribute: "members"), try #require(SCIMFilter.any(Array(values.prefix(2))))).description
                == #"members[value eq "id-1" or value eq "id-2"]"#)
    }

    @Test("a configured filter goes first, as written, in parentheses when it has or", arguments: [
        (nil as String?, #"meta.lastModified gt "t""#),
        ("  ", #"meta.lastModified gt "t""#),
        (#"active eq true"#, #"active eq true and meta.lastModified gt "t""#),
        (#"origin eq "a" or origin eq "b""#, #"(origin eq "a" or origin eq "b") and meta.lastModified gt "t""#),
        (#"origin eq "a" OR origin eq "b""#, #"(origin eq "a" OR origin eq "b") and meta.lastModified gt "t""#),
    ])
    func configured(_ configured: String?, _ expected: String) {
        #expect(SCIMFilter.text(configured: configured, and: [.modifiedAfter("t")]) == expected)
    }

    @Test func generatedAlternativesStayOneOperandAfterAConfiguredFilter() throws {
        let origins = try #require(SCIMFilter.any(["idp1", "idp2"].map { SCIMFilter.compare(SCIMAttributePath(attribute: "origin"), .eq, .string($0)) }))
        let text = try #require(SCIMFilter.text(configured: "active eq true", and: [origins]))
        #expect(text == #"active eq true and (origin eq "idp1" or origin eq "idp2")"#)
        // And the printed text means what it says: an inactive idp2 user does not match.
        guard case .and = try SCIMFilter(parsing: text) else {
            Issue.record("the conjunction must be the root: \(text)")
            return
        }
    }

    @Test func nothingToFilterOnIsNoFilter() {
        #expect(SCIMFilter.text(configured: nil, and: []) == nil)
        #expect(SCIMFilter.text(configured: "a pr", and: []) == "a pr")
    }
}
