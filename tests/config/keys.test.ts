import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CONFIG_KEYS, ConfigType, PROJECT, REGION_KEY } from "../../config";
import { readStackConfig, REPO_ROOT } from "./stack-file";

const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as {
    name: string;
    runtime: { name: string; options: { typescript: boolean } };
    main: string;
    config?: unknown;
};

const README_TYPE: Record<ConfigType, string> = {
    [ConfigType.String]: "string",
    [ConfigType.Integer]: "integer",
    [ConfigType.Boolean]: "boolean",
    [ConfigType.StringArray]: "list of strings",
    [ConfigType.IntegerArray]: "list of integers",
};

describe("Pulumi.yaml", () => {
    it("is the trace-network TypeScript project with index.ts as its entry point", () => {
        expect(project.name).to.equal(PROJECT);
        expect(project.runtime).to.deep.equal({ name: "nodejs", options: { typescript: true } });
        expect(project.main).to.equal("index.ts");
    });

    it("declares no config, so the CLI neither demands keys the program treats as optional nor stops at the first wrong type", () => {
        expect(project.config).to.equal(undefined);
    });

    for (const stack of ["dev", "prod"]) {
        it(`Pulumi.${stack}.yaml sets only the program's keys and aws:region`, () => {
            const declared = new Set([...Object.keys(CONFIG_KEYS).map((k) => `${PROJECT}:${k}`), REGION_KEY]);
            expect(Object.keys(readStackConfig(stack)).filter((key) => !declared.has(key))).to.deep.equal([]);
        });
    }

    it("is documented: the README's configuration reference has one row per key, with its type, whether it is required and its description", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const rows = [...readme.matchAll(/^\| `([A-Za-z0-9]+)` \| ([^|]+) \| (yes|no) \| (.+) \|$/gm)].map((m) => [m[1], m[2], m[3], m[4]]);
        const expected = Object.entries(CONFIG_KEYS).map(([key, declaration]) => [
            key,
            README_TYPE[declaration.type],
            "optional" in declaration ? "no" : "yes",
            declaration.description,
        ]);
        expect(rows).to.deep.equal(expected);
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
        ].filter((key) => dev[`${PROJECT}:${key}`] === prod[`${PROJECT}:${key}`]);
        expect(differing).to.deep.equal([]);
    });
});
