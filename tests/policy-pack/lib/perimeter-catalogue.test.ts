// The catalogue against its source of truth: every catalogued (and every left-out) type still exists
// in @pulumi/aws or @pulumi/awsx, every catalogued property path still exists in the resource's Args
// (nested paths through the provider's input types), and every entry has test cases.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { PERIMETER_CATALOGUE, PERIMETER_LEFT_OUT } from "../../../policy-pack/lib/perimeter-catalogue";
import { PERIMETER_CASES } from "../perimeter-cases";

const MODULES = path.resolve(__dirname, "../../../node_modules/@pulumi");

/** The .d.ts and class of a type token, or undefined when no module file registers the token. */
function declarationOf(token: string): { dts: string; className: string } | undefined {
    const [pkg, module, cls] = token.split(":");
    const [dir, file] = pkg === "aws" ? module.split("/") : [module, undefined];
    const base = path.join(MODULES, pkg, dir);
    const candidates = file !== undefined ? [`${file}.js`] : fs.existsSync(base) ? fs.readdirSync(base).filter((f) => f.endsWith(".js")) : [];
    for (const js of candidates) {
        const full = path.join(base, js);
        if (fs.existsSync(full) && fs.readFileSync(full, "utf8").includes(`__pulumiType = '${token}'`)) {
            return { dts: full.replace(/\.js$/, ".d.ts"), className: cls };
        }
    }
    return undefined;
}

/** The body of `interface <name> {` in `text` (at any indentation), up to its closing brace. */
function interfaceBody(text: string, name: string): string | undefined {
    const m = new RegExp(`^( *)(?:export )?interface ${name} \\{$`, "m").exec(text);
    if (m === null) {
        return undefined;
    }
    const close = text.indexOf(`\n${m[1]}}`, m.index);
    return text.slice(m.index, close);
}

const inputTypes = new Map<string, string>();
function inputTypesOf(pkg: string): string {
    const file = path.join(MODULES, pkg, "types", "input.d.ts");
    if (!inputTypes.has(file)) {
        inputTypes.set(file, fs.readFileSync(file, "utf8"));
    }
    return inputTypes.get(file) as string;
}

/** The namespace body of `inputs.<ns>.<Type>` in the aws provider's input types. */
function inputInterface(ns: string, type: string): string | undefined {
    const text = inputTypesOf("aws");
    const start = text.indexOf(`export declare namespace ${ns} {`);
    if (start < 0) {
        return undefined;
    }
    const end = text.indexOf("\n}", start);
    return interfaceBody(text.slice(start, end), type);
}

/** Whether `property` (a dot path) exists in `<Class>Args`; each step names the next type. */
function hasPath(dts: string, className: string, property: string): boolean {
    let body = interfaceBody(fs.readFileSync(dts, "utf8"), `${className}Args`);
    for (const key of property.split(".")) {
        if (body === undefined) {
            return false;
        }
        const decl = new RegExp(`^ *${key}\\??: (.*);$`, "m").exec(body);
        if (decl === null) {
            return false;
        }
        const next = /(?:inputs|types\.input)\.(\w+)\.(\w+)/.exec(decl[1]);
        body = next === null ? undefined : inputInterface(next[1], next[2]);
    }
    return true;
}

describe("perimeter catalogue", () => {
    for (const entry of PERIMETER_CATALOGUE) {
        it(`${entry.type} still has ${entry.property}`, () => {
            const decl = declarationOf(entry.type);
            expect(decl, `${entry.type} is not a type of the installed provider`).to.not.equal(undefined);
            const conditions = [entry.onlyWhen, entry.unless].flatMap((c) => (c === undefined ? [] : [c.property]));
            for (const p of [entry.property, ...(entry.orSet ?? []), ...conditions, ...(entry.subnets ?? [])]) {
                expect(hasPath(decl!.dts, decl!.className, p), `${entry.type} has no input ${p}`).to.equal(true);
            }
        });
    }

    it("names only types the providers still have among the services left out", () => {
        const missing = PERIMETER_LEFT_OUT.flatMap((l) => l.types).filter((t) => declarationOf(t) === undefined);
        expect(missing).to.deep.equal([]);
    });

    it("fails the check for a type or property the provider does not have", () => {
        const decl = declarationOf("aws:sagemaker/notebookInstance:NotebookInstance");
        expect(declarationOf("aws:sagemaker/notebookInstance:Notebook")).to.equal(undefined);
        expect(hasPath(decl!.dts, decl!.className, "directInternetAccess")).to.equal(true);
        expect(hasPath(decl!.dts, decl!.className, "directInternetAcess")).to.equal(false);
        const eks = declarationOf("aws:eks/cluster:Cluster");
        expect(hasPath(eks!.dts, eks!.className, "vpcConfig.endpointPublicAccess")).to.equal(true);
        expect(hasPath(eks!.dts, eks!.className, "vpcConfig.publicEndpoint")).to.equal(false);
    });

    it("has one compliant and one failing case for every entry, and no case without an entry", () => {
        const keys = PERIMETER_CATALOGUE.map((e) => `${e.type} ${e.property}`);
        expect(Object.keys(PERIMETER_CASES).sort()).to.deep.equal([...keys].sort());
        expect(new Set(keys).size).to.equal(keys.length);
    });
});
