// The GitHub Actions workflows the READMEs show are files under examples/workflows, checked by
// GitHub's own workflow parser, and each README block is the file, byte for byte.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../helpers/packages";
import { tempDir } from "../helpers/temp-dir";
import { workflowErrors } from "../helpers/workflow-parser";

const WORKFLOWS = path.join(REPO_ROOT, "examples", "workflows");
const READMES = ["README.md", path.join("tools", "README.md"), path.join("policy-pack", "README.md")];
// Each workflow file opens with a comment naming itself, so a README block says where it is kept.
const SELF_NAME = /^# (examples\/workflows\/[\w.-]+\.yml):/;

const workflowFiles = (): string[] => fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml")).sort();

/** The ```yaml blocks of a markdown file that name a workflow file, as [named file, block text]. */
function shownWorkflows(readme: string): [string, string][] {
    const blocks = [...fs.readFileSync(path.join(REPO_ROOT, readme), "utf8").matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    return blocks.flatMap((block): [string, string][] => {
        const named = SELF_NAME.exec(block);
        return named === null ? [] : [[named[1], block]];
    });
}

describe("examples/workflows: the CI workflows the READMEs show", () => {
    it("holds this repository's offline preview, its live preview and another team's offline preview", () => {
        expect(workflowFiles()).to.deep.equal(["network-posture-live.yml", "network-posture.yml", "other-team-network-posture.yml"]);
    });

    for (const file of workflowFiles()) {
        it(`${file} passes GitHub's workflow parser without an error`, async () => {
            const full = path.join(WORKFLOWS, file);
            expect(SELF_NAME.exec(fs.readFileSync(full, "utf8"))?.[1]).to.equal(`examples/workflows/${file}`);
            expect(await workflowErrors(full)).to.deep.equal([]);
        });
    }

    it("the parser rejects a step with two run keys and a job key GitHub does not know", async () => {
        const broken = [
            "on: [pull_request]",
            "jobs:",
            "  check:",
            "    runs-on: ubuntu-latest",
            "    timeout: 5",
            "    steps:",
            "      - run: npm ci",
            "        run: npx trace-preview",
        ].join("\n");
        const file = path.join(tempDir("trace-workflow-"), "broken.yml");
        fs.writeFileSync(file, broken);
        const errors = await workflowErrors(file);
        expect(errors.some((e) => e.includes("(Line: 8, Col: 9): 'run' is already defined")), errors.join("\n")).to.equal(true);
        expect(errors.some((e) => e.includes("(Line: 5, Col: 5): Unexpected value 'timeout'")), errors.join("\n")).to.equal(true);
    });

    it("every workflow block in a README is the file it names, and the READMEs show every file", () => {
        const shown = READMES.flatMap((readme) => shownWorkflows(readme).map(([file, block]) => ({ readme, file, block })));
        for (const { readme, file, block } of shown) {
            expect(block, `${readme} shows ${file}`).to.equal(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"));
        }
        expect(shown.map(({ file }) => file).sort()).to.deep.equal(workflowFiles().map((f) => `examples/workflows/${f}`));
        expect(shownWorkflows(path.join("tools", "README.md")).map(([file]) => file)).to.deep.equal(["examples/workflows/other-team-network-posture.yml"]);
    });

    it("another team's workflow installs the two packages from its own lockfile and never clones this repository", () => {
        const text = fs.readFileSync(path.join(WORKFLOWS, "other-team-network-posture.yml"), "utf8");
        expect(text).to.include("- run: npm ci\n");
        expect(text).to.include("npx trace-preview --stack staging --policy-pack-config network-guardrails.json");
        expect(text).not.to.match(/repository:|policy-pack\/|npm run /);
    });
});
