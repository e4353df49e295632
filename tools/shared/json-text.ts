// JSON files a user writes (pack config, mocks, price and traffic files): parsed by JSON.parse, and when that fails, the
// first syntax error located by line and column ("line 3, column 9: expected a value, found ']'"),
// which V8's message gives as a character offset at best.

import * as fs from "fs";

export interface JsonSyntaxError {
    line: number;
    column: number;
    problem: string;
}

class SyntaxAt extends Error {
    constructor(readonly offset: number, readonly problem: string) {
        super(problem);
    }
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const ESCAPES = "\"\\/bfnrt";

// A recursive-descent reader of the JSON grammar (RFC 8259) that only finds where it breaks.
class Scanner {
    private i = 0;

    constructor(private readonly text: string) {}

    document(): void {
        this.value();
        this.whitespace();
        if (this.i < this.text.length) {
            this.fail("the end of the file");
        }
    }

    private value(): void {
        this.whitespace();
        const c = this.text[this.i];
        if (c === "{") {
            this.object();
        } else if (c === "[") {
            this.array();
        } else if (c === "\"") {
            this.string();
        } else if (c === "-" || (c >= "0" && c <= "9")) {
            this.number();
        } else {
            const word = ["true", "false", "null"].find((w) => this.text.startsWith(w, this.i));
            if (word === undefined) {
                this.fail("a value");
            }
            this.i += word.length;
        }
    }

    private object(): void {
        this.i++;
        this.whitespace();
        if (this.text[this.i] === "}") {
            this.i++;
            return;
        }
        for (;;) {
            this.whitespace();
            if (this.text[this.i] !== "\"") {
                this.fail("a property name in double quotes");
            }
            this.string();
            this.whitespace();
            if (this.text[this.i] !== ":") {
                this.fail("':'");
            }
            this.i++;
            this.value();
            if (this.separator("}")) {
                return;
            }
        }
    }

    private array(): void {
        this.i++;
        this.whitespace();
        if (this.text[this.i] === "]") {
            this.i++;
            return;
        }
        do {
            this.value();
        } while (!this.separator("]"));
    }

    // After a member: "," continues (false), `close` ends (true), anything else is the error.
    private separator(close: string): boolean {
        this.whitespace();
        const c = this.text[this.i];
        if (c === "," || c === close) {
            this.i++;
            return c === close;
        }
        this.fail(`',' or '${close}'`);
    }

    private string(): void {
        this.i++;
        while (this.i < this.text.length) {
            const c = this.text[this.i];
            if (c === "\"") {
                this.i++;
                return;
            }
            if (c === "\\") {
                const next = this.text[this.i + 1];
                const unicode = next === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6));
                if (!unicode && (next === undefined || !ESCAPES.includes(next))) {
                    this.i++;
                    this.fail("an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)");
                }
                this.i += unicode ? 6 : 2;
            } else if (c < " ") {
                this.fail("'\"' to close the string (a line break inside a string is written \\n)");
            } else {
                this.i++;
            }
        }
        this.fail("'\"' to close the string");
    }

    private number(): void {
        NUMBER.lastIndex = this.i;
        const m = NUMBER.exec(this.text);
        if (m === null || m[0] === "-") {
            this.fail("a number");
        }
        this.i += m[0].length;
    }

    private whitespace(): void {
        while (this.i < this.text.length && " \t\n\r".includes(this.text[this.i])) {
            this.i++;
        }
    }

    private fail(expected: string): never {
        const c = this.text[this.i];
        throw new SyntaxAt(this.i, `expected ${expected}, found ${c === undefined ? "the end of the file" : JSON.stringify(c)}`);
    }
}

function position(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset).split("\n");
    return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The first syntax error of `text`, or undefined when it is JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
    try {
        new Scanner(text).document();
        return undefined;
    } catch (e) {
        if (!(e instanceof SyntaxAt)) {
            throw e;
        }
        return { ...position(text, e.offset), problem: e.problem };
    }
}

/** Parses JSON; on a syntax error, says where in words: "line 3, column 9: expected …, found …". */
export function parseJsonText(text: string): { value: unknown } | { error: string } {
    try {
        return { value: JSON.parse(text) as unknown };
    } catch (e) {
        const at = jsonSyntaxError(text);
        return { error: at === undefined ? (e as Error).message : `line ${at.line}, column ${at.column}: ${at.problem}` };
    }
}

/** A user's JSON file (`what` names it in the message): its value, or why it cannot be read or parsed. */
export function readJsonFile(file: string, what: string): { value: unknown } | { error: string } {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        return { error: `cannot read ${what} ${file}: ${(e as Error).message}` };
    }
    const parsed = parseJsonText(text);
    return "error" in parsed ? { error: `${what} ${file} is not valid JSON: ${parsed.error}` } : parsed;
}
