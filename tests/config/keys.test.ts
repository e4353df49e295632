import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CONFIG_KEYS, configReferenceRows, ConfigType, KeyDeclaration, PROJECT, REGION_KEY } from "../../config";
import { readStackConfig, REPO_ROOT } from "./stack-file";

const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as {
    name: string;
    runtime: { name: string; options: { typescript: boolean } };
    main: string;
    config?: unknown;
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

    it("is documented: the README's configuration reference table is the one the declarations render, a row per key", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Configuration reference"), readme.indexOf("\n## ", readme.indexOf("## Configuration reference")));
        const table = section.split("\n").filter((line) => line.startsWith("| `"));
        expect(table).to.deep.equal(configReferenceRows());
        expect(configReferenceRows()[0]).to.equal(
            "| `environment` | string | yes | Deployment environment: dev, staging or prod. It is the {env} segment of every secret name. |",
        );
        expect(configReferenceRows().filter((row) => row.includes(" | list of integers | yes | "))).to.have.length(3);
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

describe("CONFIG_KEYS", () => {
    const declarations = Object.entries(CONFIG_KEYS) as [string, KeyDeclaration][];

    it("says in each description what prod requires, exactly for the keys whose declaration requires it", () => {
        const saysProd = declarations.filter(([, declaration]) => declaration.description.includes("in prod)")).map(([key]) => key);
        const requiresProd = declarations.filter(([, declaration]) => declaration.requiredIn?.prod !== undefined).map(([key]) => key);
        expect(saysProd).to.deep.equal(requiresProd);
        expect(requiresProd).to.deep.equal([
            "jobImage",
            "cryoIngestImage",
            "blockFollowerImage",
            "webhookGatewayImage",
            "rpcGatewayImage",
            "dbMultiAz",
            "dbDeletionProtection",
            "dbBackupRetentionDays",
        ]);
    });

    it("states in a description only the integer range its declaration checks", () => {
        const stated = declarations.flatMap(([key, declaration]) => {
            const range = / \((\d+) to (\d+)[,;)]/.exec(declaration.description);
            return range === null ? [] : [[key, Number(range[1]), Number(range[2])]];
        });
        const declared = stated.map(([key]) => {
            const declaration = CONFIG_KEYS[key as keyof typeof CONFIG_KEYS];
            return [key, ...(declaration.type === ConfigType.Integer ? declaration.range : [])];
        });
        expect(stated).to.deep.equal(declared);
        expect(stated.map(([key]) => key)).to.deep.equal(["gatewayTaskCount", "dbAllocatedStorageGiB", "dbBackupRetentionDays"]);
    });

    it("gives a default only to keys a stack may leave out", () => {
        const misdeclared = declarations.filter(([, declaration]) => declaration.default !== undefined && declaration.optional !== true).map(([key]) => key);
        expect(misdeclared).to.deep.equal([]);
    });
});
