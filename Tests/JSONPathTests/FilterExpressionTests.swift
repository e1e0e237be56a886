import JSON
import JSONPath
import Testing

func holds(_ condition: String, _ document: JSONValue = user, variables: VariableBindings = .empty, functions: FilterFunctionTable = .none) throws -> Bool {
    try FilterExpression(parsing: condition, functions: functions).evaluate(FilterScope(root: document, variables: variables))
}

@Suite("Filter expressions and conditions")
struct FilterExpressionTests {
    @Test func equalityAndStrictEquality() throws {
        #expect(try holds("$.userName == 'jdoe'"))
        #expect(try holds("$.userName == \"jdoe\""))
        #expect(try holds("$.logins == 12"))
        #expect(try holds("$.logins == '12'"))  // Jayway: numbers equal strings that spell them
        #expect(try !holds("$.logins === '12'"))
        #expect(try holds("$.logins === 12"))
        #expect(try holds("$.logins !== '12'"))
        #expect(try holds("'null' === 'null'"))
        #expect(try holds("$.active == true"))
        #expect(try holds("$.name == {'givenName': 'John', 'familyName': 'Doe'}"))
        #expect(try !holds("$.name == 'John'"))
    }

    @Test func undefinedComparesUnequalToEverything() throws {
        #expect(try !holds("$.missing == null"))
        #expect(try holds("$.missing != 'x'"))
        #expect(try !holds("$.missing < 5"))
        #expect(try !holds("$.missing in ['a']"))
        #expect(try holds("$.missing nin ['a']"))
    }

    @Test func indefinitePathsCompareAsLists() throws {
        // The XSUAA default: "no email is primary" is written as an empty-list comparison.
        #expect(try !holds("$.emails[?(@.primary == true)].value == []"))
        let noPrimary: JSONValue = ["emails": [["value": "a@b.c"]]]
        #expect(try holds("$.emails[?(@.primary == true)].value == []", noPrimary))
        #expect(try holds("$.emails[*].type == ['work', 'home', 'other']"))
    }

    @Test func ordering() throws {
        #expect(try holds("$.logins > 5 && $.logins >= 12 && $.logins < 13 && $.logins <= 12"))
        #expect(try holds("'2024-01-02 10:00:00.000' < '2024-01-10 00:00:00.000'"))  // dates as strings
        #expect(try holds("'b' > 'a'"))
        #expect(try !holds("$.name > 1"))
    }

    @Test func emptyFollowsTheIPSDocumentation() throws {
        #expect(try holds("$.groups[?(@.display =~ /ABC.*/)] empty false"))
        #expect(try holds("$.groups[?(@.display =~ /XYZ.*/)] empty true"))
        #expect(try holds("$.missing EMPTY true"))  // IPS: missing counts as empty
        #expect(try holds("$.userName EMPTY false"))
        #expect(try holds("'' empty true"))
        #expect(try holds("$.logins empty false"))
    }

    @Test func membershipAndSets() throws {
        #expect(try holds("$.emails[*].type contains 'home'"))
        #expect(try holds("$.userName contains 'do'"))
        #expect(try !holds("$.userName contains 'x'"))
        #expect(try holds("$.userName in ['a', 'jdoe']"))
        #expect(try holds("$.userName NIN ['a', 'b']"))
        #expect(try holds("$.emails size 3"))
        #expect(try holds("$.userName size 4"))
        #expect(try holds("$.emails[*].type subsetof ['work', 'home', 'other', 'x']"))
        #expect(try holds("$.emails[*].type anyof ['x', 'home']"))
        #expect(try holds("$.emails[*].type noneof ['x', 'y']"))
    }

    @Test func regexMatching() throws {
        #expect(try holds("$.emails[0].value =~ /.*@work.example/"))
        #expect(try !holds("$.emails[0].value =~ /@work/"))
        #expect(try holds("!($.emails[0].value =~ /.*contractorsCompany.com/)"))
        #expect(try holds("$.userName =~ /JDOE/i"))
        #expect(try holds("$.emails[*].type =~ /ho.*/"))  // any element of a list
        #expect(try holds("$.logins =~ /1\\d/"))
        #expect(try holds("$.userName =~ /a|jdoe/"))  // alternation still matches the whole text
    }

    @Test func booleanLogicAndPrecedence() throws {
        #expect(try holds("true || false && false"))  // && binds tighter
        #expect(try !holds("(true || false) && false"))
        #expect(try holds("!false"))
        #expect(try holds("!!true"))
        #expect(try holds("!($.userName == 'x') && ($.active == true)"))
        #expect(try holds("$.name.givenName"))  // exists
        #expect(try !holds("$.name.middleName"))
    }

    @Test func templatesInterpolateVariables() throws {
        var variables = VariableBindings()
        variables["op"] = "createEntity"
        variables["pattern"] = "jd.*"
        #expect(try holds("'${op}' == 'createEntity'", variables: variables))
        #expect(try holds("$.userName =~ /${pattern}/", variables: variables))
        #expect(try holds("'${unset}' == 'null'", variables: variables))
        #expect(try holds("${op} == 'createEntity'", variables: variables))
    }

    @Test func extensionFunctionsAreCompiledThroughTheTable() throws {
        var table = FilterFunctionTable()
        table.register("hasKey") { (arguments) throws(FilterFunctionError) -> FilterCall in
            guard arguments.count == 1, case .word(let key) = arguments[0] else {
                throw FilterFunctionError("expects one bare word")
            }
            return FilterCall(name: "hasKey") { scope in scope.root[key] != nil }
        }
        #expect(try holds("hasKey(userName)", functions: table))
        #expect(try holds("hasKey(userName) == true && !hasKey(nope)", functions: table))
        #expect {
            try holds("hasKey($.x)", functions: table)
        } throws: { error in
            (error as? JSONPathError)?.message == "hasKey: expects one bare word"
        }
        #expect {
            try holds("nope()", functions: table)
        } throws: { error in
            (error as? JSONPathError)?.message.contains("unknown function 'nope' (known: hasKey)") == true
        }
    }

    @Test(arguments: [
        ("$.a ==", "expected a value"),
        ("$.a == 1 &&", "expected a condition"),
        ("($.a == 1", "expected ')' to match"),
        ("$.a == 1)", "unexpected ')' after the condition"),
        ("'x'", "expected a comparison operator"),
        ("$.a == /x/", "a /regex/ can only be used with '=~'"),
        ("/x/ =~ /y/", "'=~' needs exactly one /regex/ operand"),
        ("$.a < /x/", "a /regex/ can only be used with '=~'"),
    ])
    func rejectsMalformedConditions(_ condition: String, _ message: String) {
        #expect {
            try FilterExpression(parsing: condition)
        } throws: { error in
            (error as? JSONPathError)?.message.contains(message) == true
        }
    }
}
