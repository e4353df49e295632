import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { loadProject, loadStackConfig, ProjectError, ProjectErrorKind, StackConfig } from "../../../tools/project";
import { tempDir } from "../../helpers/temp-dir";

function project(files: Record<string, string>): string {
    const dir = tempDir("project-");
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

const PULUMI_YAML = [
    "name: shop",
    "runtime: nodejs",
    "main: src/index.ts",
    "config:",
    "  aws:region: eu-west-1",
    "  replicas:",
    "    type: integer",
    "    default: 2",
    "  environment:",
    "    type: string",
    "  zones:",
    "    type: array",
    "    default: [a, b]",
    "",
].join("\n");

function stackConfig(dir: string, stack: string, overrides?: Record<string, unknown>): StackConfig {
    return loadStackConfig(loadProject(dir), stack, overrides);
}

function projectError(fn: () => unknown): ProjectError {
    try {
        fn();
    } catch (e) {
        expect(e).to.be.instanceOf(ProjectError);
        return e as ProjectError;
    }
    throw new Error("expected a ProjectError");
}

describe("project loading: Pulumi.yaml and the stack's config as the CLI reads them", () => {
    it("takes the entry point from Pulumi.yaml main and the name from Pulumi.yaml", () => {
        const dir = project({ "Pulumi.yaml": PULUMI_YAML });
        const p = loadProject(dir);
        expect([p.name, p.entry, p.stackConfigDir]).to.deep.equal(["shop", path.join(dir, "src", "index.ts"), dir]);
    });

    it("layers Pulumi.yaml values and defaults under the stack file, structured values as JSON text", () => {
        const dir = project({
            "Pulumi.yaml": PULUMI_YAML,
            "Pulumi.dev.yaml": "config:\n  shop:environment: dev\n  replicas: 3\n  shop:db: {host: db.internal, password: {secure: v1:abc}}\n",
        });
        expect(stackConfig(dir, "dev")).to.deep.equal({
            values: {
                "aws:region": "eu-west-1",
                "shop:replicas": "3",
                "shop:zones": '["a","b"]',
                "shop:environment": "dev",
                "shop:db": '{"host":"db.internal","password":"[secret shop:db]"}',
            },
            secretKeys: ["shop:db"],
            warnings: [],
        });
    });

    it("applies overrides last and removes a key overridden with null", () => {
        const dir = project({ "Pulumi.yaml": PULUMI_YAML, "Pulumi.dev.yaml": "config:\n  shop:environment: dev\n" });
        const c = stackConfig(dir, "dev", { "aws:region": "us-east-1", zones: null });
        expect(c.values["aws:region"]).to.equal("us-east-1");
        expect(c.values["shop:zones"]).to.equal(undefined);
    });

    it("reports every stack config problem at once: missing required keys and wrong types", () => {
        const dir = project({ "Pulumi.yaml": PULUMI_YAML, "Pulumi.prod.yaml": "config:\n  shop:replicas: three\n  shop:zones: a\n" });
        const e = projectError(() => stackConfig(dir, "prod"));
        expect(e.kind).to.equal(ProjectErrorKind.StackConfig);
        expect(e.message).to.equal(
            `stack "prod" config (${path.join(dir, "Pulumi.prod.yaml")}): missing required value "shop:environment" (declared in Pulumi.yaml without a default); ` +
            '"shop:replicas" must be of type integer, found "three"; "shop:zones" must be of type array, found "a"',
        );
    });

    it("rejects a directory without Pulumi.yaml and a non-Node.js runtime", () => {
        const empty = project({});
        expect(projectError(() => loadProject(empty)).message).to.equal(`no Pulumi.yaml in ${empty}: --program must name a Pulumi project directory`);
        const python = project({ "Pulumi.yaml": "name: shop\nruntime: python\n" });
        expect(projectError(() => loadProject(python)).message).to.equal(
            `${path.join(python, "Pulumi.yaml")}: "runtime" must be nodejs (this tool runs Node.js programs), found "python"`,
        );
    });
});
