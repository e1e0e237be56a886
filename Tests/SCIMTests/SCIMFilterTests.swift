import JSON
import Testing
@testable import SCIM

func matches(_ filter: String, _ resource: JSONValue = bjensen, type: SCIMResourceType = userType) throws -> Bool {
    SCIMFilterEvaluator(resourceType: type).matches(try SCIMFilter(parsing: filter), resource)
}

@Suite("SCIM filters")
struct SCIMFilterTests {
    @Test func parsesTheRFCExamples() throws {
        for text in [
            #"userName eq "bjensen""#, #"name.familyName co "O'Malley""#, #"userName sw "J""#,
            #"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#, "title pr",
            #"meta.lastModified gt "2011-05-13T04:42:34Z""#, #"meta.lastModified ge "2011-05-13T04:42:34Z""#,
            #"title pr and userType eq "Employee""#, #"title pr or userType eq "Intern""#,
            #"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            #"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            #"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
            #"userType eq "Employee" and (emails.type eq "work")"#,
            #"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            #"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
            "active eq true", "meta.version eq 3", #"userName EQ "X""#,
        ] {
            #expect(throws: Never.self, "\(text)") { try SCIMFilter(parsing: text) }
        }
    }

    @Test(arguments: [
        ("", "expected an expression, found the end"),
        ("userName", "expected an operator after 'userName'"),
        ("userName eq", "expected a value, found the end"),
        (#"userName eq bjensen"#, "'bjensen' is not a value (strings need double quotes)"),
        (#"userName like "b""#, "unknown operator 'like'"),
        (#"userName eq "b" and"#, "expected an expression, found the end"),
        (#"(userName eq "b""#, "expected ')'"),
        (#"emails[type eq "work""#, "expected ']'"),
        (#"not userName eq "b""#, "'not' must be followed by '('"),
        (#"userName eq "b" extra"#, "unexpected 'e' at position 17 after the filter"),
        (#"user..name eq "b""#, "is not an attribute path"),
        (#"userName eq "unterminated"#, "unterminated string"),
    ])
    func malformedFiltersAreInvalidFilter(_ text: String, _ message: String) {
        do {
            _ = try SCIMFilter(parsing: text)
            Issue.record("'\(text)' should not parse")
        } catch {
            #expect(error.status == 400)
            #expect(error.scimType == .invalidFilter)
            #expect(error.detail.contains(message), "\(error.detail)")
        }
    }

    @Test func reportsWhatAFilterUses() throws {
        let filter = try SCIMFilter(parsing: #"Meta.lastModified gt "2025-01-01T00:00:00Z" and not (emails[type eq "work"] or title pr)"#)
        #expect(filter.referencedAttributes == ["meta", "emails", "title"])
        #expect(filter.operators == [.gt, .eq])
        #expect(filter.usesPresence)
        #expect(filter.usesNotOrValuePath)
        let plain = try SCIMFilter(parsing: #"userName eq "a" or displayName sw "b""#)
        #expect(!plain.usesPresence)
        #expect(!plain.usesNotOrValuePath)
    }

    @Test func comparisonOperators() throws {
        #expect(try matches(#"userName eq "BJENSEN@example.com""#))  // caseExact false
        #expect(try matches(#"id eq "2819c223-7f76-453a-919d-413861904646""#))
        #expect(try !matches(#"id eq "2819C223-7F76-453A-919D-413861904646""#))  // id is caseExact
        #expect(try matches(#"externalId eq "bjensen""#))
        #expect(try matches(#"userName ne "other""#))
        #expect(try matches(#"name.familyName co "ens""#))
        #expect(try matches(#"name.familyName sw "jen""#))
        #expect(try matches(#"name.familyName ew "SEN""#))
        #expect(try matches(#"userName gt "a" and userName lt "c""#))
        #expect(try matches(#"userName ge "bjensen@example.com" and userName le "bjensen@example.com""#))
        #expect(try matches("title pr"))
        #expect(try !matches("nickName pr"))
        #expect(try matches("active eq true"))
        #expect(try !matches("active eq false"))
        #expect(try matches(#"active eq "true""#))
        #expect(try matches("nickName eq null"))
        #expect(try matches("nickName ne \"x\""))  // a missing attribute is "not equal"
    }

    @Test func multiValuedAttributesMatchAnyValue() throws {
        #expect(try matches(#"emails eq "babs@jensen.org""#))
        #expect(try matches(#"emails.value ew "jensen.org""#))
        #expect(try matches(#"emails.type eq "home""#))
        #expect(try !matches(#"emails ne "babs@jensen.org""#))
        #expect(try matches(#"emails[type eq "work" and value co "@example.com"]"#))
        #expect(try !matches(#"emails[type eq "home" and value co "@example.com"]"#))
        #expect(try matches(#"emails[primary eq true]"#))
        #expect(try matches(#"phoneNumbers[type eq "work"]"#))
        #expect(try matches(#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#))
    }

    @Test func logicAndPrecedence() throws {
        #expect(try matches(#"title pr and userType eq "Employee""#))
        #expect(try matches(#"title eq "x" or userType eq "Employee""#))
        #expect(try matches(#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#))
        #expect(try !matches(#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#))
        #expect(try matches(#"title eq "x" and title eq "y" or active eq true"#))  // and binds tighter
        #expect(try !matches(#"title eq "x" and (title eq "y" or active eq true)"#))
        #expect(try matches(#"not (title eq "x")"#))
    }

    @Test func schemaQualifiedAndExtensionAttributes() throws {
        #expect(try matches(#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "b""#))
        #expect(try matches(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#))
        #expect(try matches(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915""#))
        #expect(try matches(#"employeeNumber eq "701984""#))  // unqualified extension attribute
        #expect(try matches(#"USERNAME eq "bjensen@example.com""#))  // names are case-insensitive
        #expect(try matches(#"Name.FamilyName eq "jensen""#))
    }

    @Test func datesCompareAsInstants() throws {
        #expect(try matches(#"meta.lastModified gt "2011-05-13T04:42:33Z""#))
        #expect(try !matches(#"meta.lastModified gt "2011-05-13T04:42:34Z""#))
        #expect(try matches(#"meta.lastModified ge "2011-05-13T04:42:34.000Z""#))
        #expect(try matches(#"meta.lastModified gt "2011-05-13T06:42:33+02:00""#))
        #expect(try matches(#"meta.created lt "2011-01-01T00:00:00Z""#))
    }

    @Test func operatorInventoryForRestrictedServers() throws {
        let f = try SCIMFilter(parsing: #"userName eq "a" and (emails ew "b" or not (title pr)) and emails[type eq "w"]"#)
        #expect(f.operators == [.eq, .ew])
        #expect(f.usesNotOrValuePath)
        #expect(try !SCIMFilter(parsing: #"a eq "1" or b co "2""#).usesNotOrValuePath)
    }
}
