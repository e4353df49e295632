import { expect } from "chai";

import { jsonSyntaxError, parseJsonText } from "../../../tools/shared/json-text";

describe("json-text: where a JSON file breaks, by line and column", () => {
    it("parses valid JSON as JSON.parse does", () => {
        const text = '{ "a": [1, -2.5e3, true, false, null, "x\\\\n\\\\u00e9"], "b": {} }';
        expect(parseJsonText(text)).to.deep.equal({ value: JSON.parse(text) });
        expect(jsonSyntaxError(text)).to.equal(undefined);
    });

    it("names the first mistake of each kind JSON.parse rejects", () => {
        const cases: [string, string][] = [
            ["{ no-nat: 1 }", 'line 1, column 3: expected a property name in double quotes, found "n"'],
            ['{\n  "a": [1,]\n}', 'line 2, column 11: expected a value, found "]"'],
            ['{\n  "a": 1,\n}', 'line 3, column 1: expected a property name in double quotes, found "}"'],
            ['{ "a": 1 "b": 2 }', "line 1, column 10: expected ',' or '}', found \"\\\"\""],
            ['{ "a": 1', "line 1, column 9: expected ',' or '}', found the end of the file"],
            ["", "line 1, column 1: expected a value, found the end of the file"],
            ['{ "a": "x\ny" }', "line 1, column 10: expected '\"' to close the string (a line break inside a string is written \\n), found \"\\n\""],
            ['{ "a": "\\x" }', "line 1, column 10: expected an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX), found \"x\""],
            ['{ "a": 01 }', "line 1, column 9: expected ',' or '}', found \"1\""],
            ['{ "a": - }', 'line 1, column 8: expected a number, found "-"'],
            ["[1] 2", 'line 1, column 5: expected the end of the file, found "2"'],
            ["{ 'a': 1 }", 'line 1, column 3: expected a property name in double quotes, found "\'"'],
        ];
        for (const [text, error] of cases) {
            expect(() => JSON.parse(text), text).to.throw(SyntaxError);
            expect([text, parseJsonText(text)]).to.deep.equal([text, { error }]);
        }
    });
});
