import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CONFIG_KEYS, ConfigType, PROJECT, REGION_KEY } from "../../config";
import { readStackConfig, REPO_ROOT } from "./stack-file";

interface Declaration {
    type: string;
    items?: { type: string };
    description: string;
}

const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as {
    name: string;
    runtime: { name: string; options: { typescript: boolean } };
    main: string;
    config: Record<string, Declaration>;
};

const PULUMI_TYPE: Record<ConfigType, Pick<Declaration, "type" | "items">> = {
    [ConfigType.String]: { type: "string" },
    [ConfigType.Integer]: { type: "integer" },
    [ConfigType.Boolean]: { type: "boolean" },
    [ConfigType.StringArray]: { type: "array", items: { type: "string" } },
    [ConfigType.IntegerArray]: { type: "array", items: { type: "integer" } },
};

describe("Pulumi.yaml", () => {
    it("is the trace-network TypeScript project with index.ts as its entry point", () => {
        expect(project.name).to.equal(PROJECT);
        expect(project.runtime).to.deep.equal({ name: "nodejs", options: { typescript: true } });
        expect(project.main).to.equal("index.ts");
    });

    it("declares exactly the keys the loader reads, with the same types and descriptions", () => {
        expect(Object.keys(project.config)).to.deep.equal(Object.keys(CONFIG_KEYS));
        for (const [key, declaration] of Object.entries(CONFIG_KEYS)) {
            const expected: Declaration = { ...PULUMI_TYPE[declaration.type], description: declaration.description };
            expect(project.config[key], key).to.deep.equal(expected);
        }
    });

    for (const stack of ["dev", "prod"]) {
        it(`leaves types to Pulumi.yaml: Pulumi.${stack}.yaml sets only declared keys and aws:region`, () => {
            const declared = new Set([...Object.keys(CONFIG_KEYS).map((k) => `${PROJECT}:${k}`), REGION_KEY]);
            expect(Object.keys(readStackConfig(stack)).filter((key) => !declared.has(key))).to.deep.equal([]);
        });
    }

    it("is documented: the README's configuration reference has a row for every key", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const documented = new Set([...readme.matchAll(/^\| `([A-Za-z0-9]+)` \|/gm)].map((m) => m[1]));
        expect(Object.keys(CONFIG_KEYS).filter((key) => !documented.has(key))).to.deep.equal([]);
    });

    it("differs between dev and prod where the design says it should", () => {
        const dev = readStackConfig("dev");
        const prod = readStackConfig("prod");
        const differing = [
            "availabilityZones",
            "endpointAzCount",
            "dbInstanceClass",
            "dbMultiAz",
            "dbDeletionProtection",
            "logRetentionDays",
            "flowLogRetentionDays",
        ].filter((key) => dev[`${PROJECT}:${key}`] === prod[`${PROJECT}:${key}`]);
        expect(differing).to.deep.equal([]);
    });
});
