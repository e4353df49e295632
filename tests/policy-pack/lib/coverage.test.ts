// The catalogues of tls-in-transit and encryption-at-rest against their sources of truth: every
// property they judge must exist in @pulumi/aws's typings (a rename in the provider fails here, not
// silently in production), and the pack README's coverage tables must be exactly what the catalogues
// render.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { Shape, coverageTable, programName, typeOf } from "../../../policy-pack/lib/coverage";
import { kindOf } from "../../../policy-pack/lib/messages";
import { ENCRYPTION_AT_REST, ENCRYPTION_AT_REST_SHAPES } from "../../../policy-pack/policies/encryption-at-rest";
import { TLS_IN_TRANSIT, TLS_IN_TRANSIT_SHAPES } from "../../../policy-pack/policies/tls-in-transit";

const AWS_ROOT = path.dirname(require.resolve("@pulumi/aws/package.json"));
const INPUTS = fs.readFileSync(path.join(AWS_ROOT, "types/input.d.ts"), "utf8");
const README = fs.readFileSync(path.resolve(__dirname, "../../../policy-pack/README.md"), "utf8");

const CATALOGUES: [string, readonly Shape<object>[]][] = [
    [TLS_IN_TRANSIT, TLS_IN_TRANSIT_SHAPES as readonly Shape<object>[]],
    [ENCRYPTION_AT_REST, ENCRYPTION_AT_REST_SHAPES],
];

/** The text of `interface <name> {` up to its closing brace at the same indentation. */
function interfaceBody(text: string, name: string, indent: string, from = 0): string | undefined {
    const open = `\n${indent}${name.startsWith("export") ? "" : "interface "}${name} {\n`;
    const start = text.indexOf(open, from);
    if (start < 0) {
        return undefined;
    }
    const end = text.indexOf(`\n${indent}}\n`, start);
    return text.slice(start, end);
}

/** The declaration line of `field` in an interface body, or undefined. */
function fieldLine(body: string, field: string, indent: string): string | undefined {
    return body.split("\n").find((l) => l.startsWith(`${indent}${field}?:`) || l.startsWith(`${indent}${field}:`));
}

/** Follows `property.nested...` from a resource's Args interface through the provider's input types. */
function missingPath(shape: Shape<object>): string | undefined {
    const type = typeOf(shape.resource);
    const [, modulePath, name] = type.split(":");
    const file = path.join(AWS_ROOT, `${modulePath}.d.ts`);
    const args = interfaceBody(fs.readFileSync(file, "utf8"), `export interface ${name}Args`, "");
    let line = args === undefined ? undefined : fieldLine(args, shape.property, "    ");
    if (line === undefined) {
        return `${type}: ${name}Args has no ${shape.property}`;
    }
    for (const field of shape.nested ?? []) {
        const ref = /inputs\.(\w+)\.(\w+)/.exec(line);
        if (ref === null) {
            return `${type}: ${line.trim()} is not an input type, so it has no ${field}`;
        }
        const namespace = INPUTS.indexOf(`export declare namespace ${ref[1]} {`);
        const body = interfaceBody(INPUTS, ref[2], "    ", namespace);
        line = body === undefined ? undefined : fieldLine(body, field, "        ");
        if (line === undefined) {
            return `${type}: inputs.${ref[1]}.${ref[2]} has no ${field}`;
        }
    }
    return undefined;
}

describe("coverage catalogues (tls-in-transit, encryption-at-rest)", () => {
    for (const [policy, shapes] of CATALOGUES) {
        it(`${policy}: every catalogued property exists in @pulumi/aws's typings`, () => {
            expect(shapes.map(missingPath).filter((m) => m !== undefined)).to.deep.equal([]);
        });

        it(`${policy}: the pack README's coverage table is the catalogue's`, () => {
            const begin = `<!-- ${policy} coverage: generated from the catalogue, see tests/policy-pack/lib/coverage.test.ts -->\n`;
            const start = README.indexOf(begin);
            expect(start, `README lacks the marker ${begin.trim()}`).to.be.greaterThan(-1);
            const table = README.slice(start + begin.length).split("\n\n")[0];
            expect(table).to.equal(coverageTable(shapes));
        });

        it(`${policy}: every catalogued type has a reader's name in messages`, () => {
            const unnamed = shapes.map((s) => typeOf(s.resource)).filter((t) => kindOf(t) === t);
            expect(unnamed).to.deep.equal([]);
        });
    }

    it("names types the way programs write them", () => {
        expect(programName("aws:ebs/volume:Volume")).to.equal("aws.ebs.Volume");
        expect(programName("aws:elasticache/replicationGroup:ReplicationGroup")).to.equal("aws.elasticache.ReplicationGroup");
    });
});
