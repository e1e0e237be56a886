import JSON
import JSONPath
import Testing
import TestSupport

let user: JSONValue = fixtureJSON("""
{
  "id": "u1",
  "userName": "jdoe",
  "name": {"givenName": "John", "familyName": "Doe"},
  "emails": [
    {"value": "john@work.example", "type": "work", "primary": true},
    {"value": "john@home.example", "type": "home"},
    {"value": "jd@other.example", "type": "other", "primary": false}
  ],
  "groups": [{"value": "g1", "display": "ABC_admins"}, {"value": "g2", "display": "users"}],
  "active": true,
  "logins": 12,
  "urn:ietf:params:scim:schemas:extension:sap:2.0:User": {"userUuid": "a-b-c", "mailVerified": true},
  "urn:sap:cloud:scim:schemas:extension:custom:2.0:User": {"attributes": [{"name": "customAttribute1", "value": "x1"}]}
}
""")

func read(_ expression: String, _ document: JSONValue = user) throws -> JSONValue? {
    try JSONPath(expression).read(document)
}

@Suite("JSONPath reading")
struct JSONPathReadTests {
    @Test func definitePathsYieldValues() throws {
        #expect(try read("$.userName") == "jdoe")
        #expect(try read("$.name.familyName") == "Doe")
        #expect(try read("$['name']['givenName']") == "John")
        #expect(try read("$[\"name\"].givenName") == "John")
        #expect(try read("$['urn:ietf:params:scim:schemas:extension:sap:2.0:User']['userUuid']") == "a-b-c")
        #expect(try read("$.emails[0].value") == "john@work.example")
        #expect(try read("$.emails[-1].type") == "other")
        #expect(try read("$") == user)
        #expect(try JSONPath("$.emails[0].value").isDefinite)
    }

    @Test func definitePathsFindNothingAsNil() throws {
        #expect(try read("$.nope") == nil)
        #expect(try read("$.name.middleName") == nil)
        #expect(try read("$.emails[5]") == nil)
        #expect(try read("$.userName.length.x") == nil)
        #expect(try read("$.emails[0].value.deeper") == nil)
    }

    @Test func indefinitePathsYieldLists() throws {
        #expect(try read("$.emails[*].type") == ["work", "home", "other"])
        #expect(try read("$.emails.*.type") == ["work", "home", "other"])
        #expect(try read("$.emails[0,2].type") == ["work", "other"])
        #expect(try read("$.emails[1:].type") == ["home", "other"])
        #expect(try read("$.emails[:2].type") == ["work", "home"])
        #expect(try read("$.emails[-2:].type") == ["home", "other"])
        #expect(try read("$.emails[*]['type','primary']") == [["type": "work", "primary": true], ["type": "home"], ["type": "other", "primary": false]])
        #expect(try read("$.emails[?(@.type == 'none')]") == [])
        #expect(try read("$.emails[*].primary") == [true, false])  // missing leaves are skipped
        #expect(try read("$..givenName") == ["John"])
        #expect(try read("$..value") == ["john@work.example", "john@home.example", "jd@other.example", "g1", "g2", "x1"])
        #expect(try !JSONPath("$.emails[*]").isDefinite)
        #expect(try !JSONPath("$..x").isDefinite)
    }

    @Test func wildcardOnObjectsYieldsValuesInOrder() throws {
        #expect(try read("$.name.*") == ["John", "Doe"])
    }

    @Test func filtersSelectArrayElements() throws {
        #expect(try read("$.emails[?(@.primary == true)].value") == ["john@work.example"])
        #expect(try read("$.emails[?(@.primary== true)].value") == ["john@work.example"])
        #expect(try read("$.emails[?(@.primary)].value") == ["john@work.example", "jd@other.example"])  // exists
        #expect(try read("$.emails[?(!@.primary)].value") == ["john@home.example"])
        #expect(try read("$.emails[?(@.type != 'work')].type") == ["home", "other"])
        #expect(try read("$.groups[?(@.display =~ /ABC.*/)].value") == ["g1"])
        #expect(try read("$.groups[?(@.display =~ /abc.*/i)].value") == ["g1"])
        #expect(try read("$.groups[?(@.display =~ /ABC/)].value") == [])  // =~ matches the whole text
        #expect(try read("$['urn:sap:cloud:scim:schemas:extension:custom:2.0:User']['attributes'][?(@.name=='customAttribute1')]['value']") == ["x1"])
        #expect(try read("$.emails[?(@.type in ['work','home'])].type") == ["work", "home"])
        #expect(try read("$.emails[?(@.type NIN ['work', 'home'])].type") == ["other"])
        #expect(try read("$.emails[?(@.type == 'work' || @.type == 'other')].type") == ["work", "other"])
        #expect(try read("$.emails[?(@.type != 'work' && @.primary == false)].type") == ["other"])
        #expect(try read("$.emails[?(@.value == $.emails[0].value)].type") == ["work"])
    }

    @Test func filterOnAnObjectTestsTheObjectItself() throws {
        #expect(try read("$.name[?(@.givenName == 'John')].familyName") == ["Doe"])
        #expect(try read("$.name[?(@.givenName == 'Jane')].familyName") == [])
    }

    @Test func pathFunctions() throws {
        #expect(try read("$.emails.length()") == 3)
        #expect(try read("$.emails[0].length()") == 3)  // an object: its member count
        #expect(try read("$.userName.length()") == 4)
        #expect(try read("$.emails[*].type.length()") == 3)
        #expect(try read("$.nothing.length()") == nil)
        #expect(try read("$.name.keys()") == ["givenName", "familyName"])
        let numbers: JSONValue = ["n": [1, 2, 3, 6]]
        #expect(try read("$.n.sum()", numbers) == 12.0)
        #expect(try read("$.n.max()", numbers) == 6.0)
        #expect(try read("$.n.min()", numbers) == 1.0)
        #expect(try read("$.n.avg()", numbers) == 3.0)
        #expect(try read("$.n.first()", numbers) == 1)
        #expect(try read("$.n.last()", numbers) == 6)
    }

    @Test(arguments: [
        ("$.", 3, "expected a property name after '.'"),
        ("$.a[", 4, "unclosed '['"),
        ("$.a[1", 6, "expected ']'"),
        ("$.a[?(@.b == 1]", 15, "expected ')' to close the filter"),
        ("$.a[?(@.b = 1)]", 11, "'=' is not an operator"),
        ("$.a[?(@.b foo 1)]", 11, "unknown operator 'foo'"),
        ("$.a[?(@.b == bar)]", 14, "unexpected word 'bar'"),
        ("$.a[?(@.b =~ 'x')]", 14, "'=~' needs exactly one /regex/ operand"),
        ("$.a[?(@.b =~ /(/)]", 14, "invalid regular expression"),
        ("$.a[?(@.b =~ /x/q)]", 17, "unknown regex flag"),
        ("$.a[?(@.b empty 3)]", 17, "'empty' must be followed by true or false"),
        ("$.a.nope()", 5, "unknown path function 'nope()'"),
        ("$.a.length().b", 13, "nothing may follow the function call"),
        ("$.a..", 6, "'..' must be followed"),
        ("$.a b", 5, "unexpected 'b' after the path"),
        ("$['a", 3, "unterminated string literal"),
    ])
    func reportsInvalidPathsWithColumns(_ expression: String, _ column: Int, _ message: String) {
        do {
            _ = try JSONPath(expression)
            Issue.record("\(expression) should not compile")
        } catch {
            #expect(error.column == column, "\(expression): \(error)")
            #expect(error.message.contains(message), "\(expression): \(error)")
        }
    }

    @Test func selectDistinguishesNotFoundFromEmptyList() throws {
        #expect(try JSONPath("$.x").select(in: user) == .notFound)
        #expect(try JSONPath("$.x[*]").select(in: user) == .notFound, "Jayway: the missing name comes before anything indefinite")
        #expect(try JSONPath("$.emails[?(@.x)]").select(in: user) == .list([]))
        #expect(try JSONPath("$.id").select(in: user) == .value("u1"))
    }

    @Test func relativePathsReadTheCurrentElement() throws {
        let path = try JSONPath("@.value")
        #expect(path.select(in: user, current: ["value": 7]) == .value(7))
    }
}
