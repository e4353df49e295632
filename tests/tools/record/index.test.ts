import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { recordStack, recordStacks, RecordedResource, RecordedStack, RecordError, RecordErrorKind, UNKNOWN } from "../../../tools/record";
import { program, REPO_ROOT } from "../helpers";
import { tempDir } from "../../helpers/temp-dir";

const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const STACK_URN = "urn:pulumi:test::fixture-basic::pulumi:pulumi:Stack::fixture-basic-test";
const PROVIDER_URN = "urn:pulumi:test::fixture-basic::pulumi:providers:aws::default_7_48_0";
const VPC_URN = "urn:pulumi:test::fixture-basic::aws:ec2/vpc:Vpc::main";
const SUBNET_URN = "urn:pulumi:test::fixture-basic::aws:ec2/subnet:Subnet::app-a";
const SG_URN = "urn:pulumi:test::fixture-basic::aws:ec2/securityGroup:SecurityGroup::jobs";

async function recordError(p: Promise<unknown>): Promise<RecordError> {
    try {
        await p;
    } catch (e) {
        expect(e).to.be.instanceOf(RecordError);
        return e as RecordError;
    }
    throw new Error("expected the recording to fail");
}

function find(stack: RecordedStack, urn: string): RecordedResource {
    const r = stack.resources.find((x) => x.urn === urn);
    expect(r, urn).to.not.equal(undefined);
    return r as RecordedResource;
}

let basicRecordings: Promise<RecordedStack[]> | undefined;

/** The basic fixture in preview and in plan mode, each recorded in a process of its own; once for the file. */
function basicAlone(): Promise<RecordedStack[]> {
    // Both calls share this mocha process: each must start from clean SDK state.
    basicRecordings ??= Promise.all([
        recordStack({ programDir: program("basic"), stack: "test", mode: "preview" }),
        recordStack({ programDir: program("basic"), stack: "test", mode: "plan" }),
    ]);
    return basicRecordings;
}

describe("recorder: a program under the recording mock monitor", () => {
    let preview: RecordedStack;
    let plan: RecordedStack;

    before(async () => {
        [preview, plan] = await basicAlone();
    });

    it("records the root stack, the engine's default provider and every resource in registration order", () => {
        expect(preview.resources.map((r) => r.urn)).to.deep.equal([STACK_URN, PROVIDER_URN, VPC_URN, SUBNET_URN, SG_URN]);
        expect(preview.resources.map((r) => r.custom)).to.deep.equal([false, true, true, true, true]);
        expect(plan.resources.map((r) => r.urn)).to.deep.equal(preview.resources.map((r) => r.urn));
    });

    it("keeps parents, providers, dependencies and property dependencies as registered", () => {
        const subnet = find(preview, SUBNET_URN);
        expect(subnet.parent).to.equal(STACK_URN);
        expect(subnet.provider).to.equal(`${PROVIDER_URN}::${UNKNOWN}`);
        expect(subnet.dependencies).to.deep.equal([VPC_URN]);
        expect(subnet.propertyDependencies).to.deep.equal({ cidrBlock: [], mapPublicIpOnLaunch: [], vpcId: [VPC_URN] });
        expect(find(preview, PROVIDER_URN).parent).to.equal(undefined);
        expect(find(preview, PROVIDER_URN).inputs).to.deep.equal({ region: "eu-west-1", version: "7.48.0" });
        expect(find(preview, STACK_URN).parent).to.equal(undefined);
    });

    it("leaves outputs of new resources unknown in preview mode, as a first `pulumi preview` does", () => {
        expect(UNKNOWN).to.equal("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
        const subnet = find(preview, SUBNET_URN);
        expect(subnet.id).to.equal(undefined);
        expect(subnet.inputs).to.deep.equal({ cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: false, vpcId: UNKNOWN });
        expect(preview.stackOutputs.vpcId).to.equal(UNKNOWN);
    });

    it("knows every value in plan mode: synthesised ids and ARNs flow into dependants", () => {
        const vpc = find(plan, VPC_URN);
        expect(vpc.id).to.match(/^vpc-0[0-9a-f]{16}$/);
        expect(vpc.outputs.arn).to.equal(`arn:aws:ec2:eu-west-1:123456789012:vpc/${vpc.id}`);
        expect(find(plan, SUBNET_URN).inputs.vpcId).to.equal(vpc.id);
        expect(find(plan, SG_URN).id).to.match(/^sg-0[0-9a-f]{16}$/);
        const provider = find(plan, PROVIDER_URN);
        expect(find(plan, SUBNET_URN).provider).to.equal(`${PROVIDER_URN}::${provider.id}`);
        expect(plan.stackOutputs.vpcId).to.equal(vpc.id);
    });

    it("turns a secure: config value into a placeholder secret, never the ciphertext", () => {
        expect(preview.config["fixture-basic:dbPassword"]).to.equal("[secret fixture-basic:dbPassword]");
        expect(preview.secretKeys).to.deep.equal(["fixture-basic:dbPassword"]);
        expect(preview.stackOutputs.password).to.deep.equal({ ...SECRET_SIG, value: "[secret fixture-basic:dbPassword]" });
        expect(JSON.stringify(preview)).to.not.include("v1:AAAA");
    });

    it("applies Pulumi.yaml defaults, then the stack file, then overrides", async () => {
        expect(find(preview, VPC_URN).inputs.cidrBlock).to.equal("10.0.0.0/16");
        const overridden = await recordStack({ programDir: program("basic"), stack: "test", mode: "preview", configOverrides: { cidr: "10.9.0.0/16" } });
        expect(find(overridden, VPC_URN).inputs.cidrBlock).to.equal("10.9.0.0/16");
    });

    it("answers region and iam.getPolicyDocument invokes offline", () => {
        expect(preview.stackOutputs.regionName).to.equal("eu-west-1");
        expect(JSON.parse(preview.stackOutputs.policy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Principal: "*" }],
        });
    });

    it("records an awsx remote component as one component resource without children", async () => {
        const awsx = await recordStack({ programDir: program("awsx-vpc"), stack: "test", mode: "preview" });
        expect(awsx.resources.map((r) => [r.type, r.custom])).to.deep.equal([["pulumi:pulumi:Stack", false], ["awsx:ec2:Vpc", false]]);
        expect(awsx.resources[1].inputs).to.deep.equal({ cidrBlock: "10.1.0.0/16" });
    });

    it("records the same stack when the tool runs from its TypeScript sources, its child compiling the tool's files itself", () => {
        // The suite's workers load the compiled tool (tests/helpers/build-packages.ts); `npm run bench`
        // and a file run on its own load the sources, whose recording child registers ts-node for them.
        const script = `
            const childProcess = require("child_process");
            const spawn = childProcess.spawn;
            let args;
            childProcess.spawn = (command, a, options) => ((args = a), spawn(command, a, options));
            require("./tools/record/index.ts").recordStack({ programDir: ${JSON.stringify(program("basic"))}, stack: "test", mode: "plan" })
                .then((stack) => process.stdout.write(JSON.stringify({ args, stack })));`;
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
        expect(run.status, run.stderr).to.equal(0);
        const { args, stack } = JSON.parse(run.stdout) as { args: string[]; stack: RecordedStack };
        expect(args).to.deep.equal(["--require", path.join(REPO_ROOT, "tools", "shared", "tool-ts.js"), path.join(REPO_ROOT, "tools", "record", "child.ts")]);
        expect(stack.resources).to.deep.equal(plan.resources);
    });

    it("answers invokes and adds plan-mode outputs from a mocks file", async () => {
        const mocked = await recordStack({
            programDir: program("mocked-vpc"), stack: "test", mode: "plan", mocksFile: path.join(program("mocked-vpc"), "mocks.json"),
        });
        const subnet = mocked.resources.find((r) => r.type === "aws:ec2/subnet:Subnet") as RecordedResource;
        expect(subnet.inputs.vpcId).to.equal("vpc-0shared0000000001");
        expect(subnet.outputs.availabilityZone).to.equal("eu-west-1a");
    });
});

describe("recorder: several programs one after another in one process (recordStacks)", () => {
    const shared = (name: string): string => path.join(program("shared-module"), name);
    let alone: RecordedStack[];
    let batched: RecordedStack[];

    before(async () => {
        [alone, batched] = await Promise.all([
            basicAlone(),
            recordStacks([
                { programDir: shared("one"), stack: "test", mode: "preview" },
                { programDir: program("basic"), stack: "test", mode: "preview" },
                { programDir: shared("two"), stack: "test", mode: "preview" },
                { programDir: program("basic"), stack: "test", mode: "plan" },
            ], 1),
        ]);
    });

    it("records a program after others exactly as in a process of its own: resources, outputs, config and output", () => {
        expect(batched[1]).to.deep.equal(alone[0]);
        expect(batched[3]).to.deep.equal(alone[1]);
    });

    it("loads each program's own modules afresh, so a module two programs share registers and prints for each", () => {
        const [one, , two] = batched;
        expect(two.stackOutputs.recordedBy).to.equal(one.stackOutputs.recordedBy);
        expect(one.resources.map((r) => r.urn.split("::").slice(2).join("::"))).to.deep.equal([
            "pulumi:pulumi:Stack::fixture-shared-one-test", "pulumi:providers:aws::default_7_48_0", "aws:ec2/vpc:Vpc::shared", "aws:ec2/subnet:Subnet::one-a",
        ]);
        expect(two.resources.map((r) => r.urn.split("::").slice(2).join("::"))).to.deep.equal([
            "pulumi:pulumi:Stack::fixture-shared-two-test", "pulumi:providers:aws::default_7_48_0", "aws:ec2/vpc:Vpc::shared", "aws:ec2/subnet:Subnet::two-a",
        ]);
        // Stdout and stderr arrive on two pipes, so only each stream's own order is fixed.
        const lines = (s: RecordedStack): string[] => s.programOutput.trimEnd().split("\n").sort();
        expect(lines(one)).to.deep.equal(["network.ts loaded", "network.ts loaded (stderr)", "program one"]);
        expect(lines(two)).to.deep.equal(["network.ts loaded", "network.ts loaded (stderr)", "program two"]);
    });

    it("shares the programs out among the processes it may start", async () => {
        const stacks = await recordStacks([
            { programDir: shared("one"), stack: "test", mode: "preview" },
            { programDir: shared("two"), stack: "test", mode: "preview" },
        ], 2);
        expect(stacks.map((s) => s.project)).to.deep.equal(["fixture-shared-one", "fixture-shared-two"]);
        expect(stacks[1].stackOutputs.recordedBy).to.not.equal(stacks[0].stackOutputs.recordedBy);
    });

    it("rejects with the first program that fails, as recordStack would, and records nothing after it", async () => {
        const e = await recordError(recordStacks([
            { programDir: program("basic"), stack: "test", mode: "preview" },
            { programDir: program("throws"), stack: "test", mode: "preview" },
            { programDir: shared("one"), stack: "test", mode: "preview" },
        ], 1));
        expect(e.kind).to.equal(RecordErrorKind.Program);
        expect(e.message).to.include("Error: fixture-throws: tier 'app' has no subnets");
        expect(e.message).to.include(`at validateTiers (${path.join(program("throws"), "index.ts")}:6:11)`);
        expect(e.registered.map((r) => r.urn)).to.deep.equal(["urn:pulumi:test::fixture-throws::aws:s3/bucket:Bucket::logs"]);
        expect(e.programOutput).to.not.include("program one");
    });

    it("checks every program's project and stack before it runs any", async () => {
        const e = await recordError(recordStacks([
            { programDir: program("basic"), stack: "test", mode: "preview" },
            { programDir: program("basic"), stack: "staging", mode: "preview" },
        ], 1));
        expect(e.kind).to.equal(RecordErrorKind.StackConfig);
        expect(e.message).to.equal(`stack "staging" has no config file: ${path.join(program("basic"), "Pulumi.staging.yaml")} does not exist (create it, or pick an existing stack with --stack)`);
    });
});

describe("recorder: failures", () => {
    it("rejects a missing stack file as stack-config, naming the file, before running anything", async () => {
        const e = await recordError(recordStack({ programDir: program("basic"), stack: "staging", mode: "preview" }));
        expect(e.kind).to.equal(RecordErrorKind.StackConfig);
        expect(e.message).to.equal(`stack "staging" has no config file: ${path.join(program("basic"), "Pulumi.staging.yaml")} does not exist (create it, or pick an existing stack with --stack)`);
        expect(e.registered).to.deep.equal([]);
    });

    it("reports a throwing program with its own message and stack trace, and what it registered first", async () => {
        const e = await recordError(recordStack({ programDir: program("throws"), stack: "test", mode: "preview" }));
        expect(e.kind).to.equal(RecordErrorKind.Program);
        expect(e.message).to.include("Error: fixture-throws: tier 'app' has no subnets");
        expect(e.message).to.include(`at validateTiers (${path.join(program("throws"), "index.ts")}:6:11)`);
        expect(e.registered.map((r) => r.urn)).to.deep.equal(["urn:pulumi:test::fixture-throws::aws:s3/bucket:Bucket::logs"]);
    });

    it("fails an unanswered invoke naming its token and how to answer it", async () => {
        const e = await recordError(recordStack({ programDir: program("mocked-vpc"), stack: "test", mode: "preview" }));
        expect(e.kind).to.equal(RecordErrorKind.Invoke);
        expect(e.message).to.equal(
            'the program called the data source "aws:ec2/getVpc:getVpc" with {"tags":{"Name":"shared"}}, which has no offline answer; ' +
            'answer it in a mocks file passed with --mocks <file.json>: {"invokes": {"aws:ec2/getVpc:getVpc": { ...result fields... }}}',
        );
        expect(e.registered).to.deep.equal([]);
    });

    it("names every declared dependency that is not installed and what to run, before running anything", async () => {
        const dir = tempDir("no-deps-");
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: no-deps\nruntime: nodejs\n");
        fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), "config: {}\n");
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ dependencies: { "@pulumi/aws": "7.48.0", "@pulumi/pulumi": "3.248.0" } }));
        fs.writeFileSync(path.join(dir, "index.ts"), 'import "@pulumi/aws";\n');
        const e = await recordError(recordStack({ programDir: dir, stack: "test", mode: "preview" }));
        expect(e.kind).to.equal(RecordErrorKind.Dependencies);
        expect(e.message).to.equal(
            `cannot find @pulumi/pulumi, @pulumi/aws from ${dir}; it looks like they have not been installed. Run npm install (or npm ci) in ${dir} and try again.`,
        );
    });

    it("names a package the program imports that is not installed, without a stack trace", async () => {
        const dir = program("missing-import");
        const e = await recordError(recordStack({ programDir: dir, stack: "test", mode: "preview" }));
        expect(e.kind).to.equal(RecordErrorKind.Dependencies);
        expect(e.message).to.equal(`cannot find @trace/not-installed from ${dir}; it looks like it has not been installed. Run npm install (or npm ci) in ${dir} and try again.`);
    });

    it("rejects a mocks file with an unknown key, naming it", async () => {
        const file = path.join(tempDir("mocks-"), "mocks.json");
        fs.writeFileSync(file, JSON.stringify({ invoke: { "aws:ec2/getVpc:getVpc": { id: "vpc-1" } } }));
        const e = await recordError(recordStack({ programDir: program("mocked-vpc"), stack: "test", mode: "preview", mocksFile: file }));
        expect(e.kind).to.equal(RecordErrorKind.Mocks);
        expect(e.message).to.equal(`mocks file ${file}: unknown top-level key "invoke" (expected "invokes" and/or "resources")`);
    });

    it("names the line and column of a syntax error in a mocks file", async () => {
        const file = path.join(tempDir("mocks-"), "mocks.json");
        fs.writeFileSync(file, '{\n  "invokes": {\n    "aws:ec2/getVpc:getVpc": { id: "vpc-1" }\n  }\n}\n');
        const e = await recordError(recordStack({ programDir: program("mocked-vpc"), stack: "test", mode: "preview", mocksFile: file }));
        expect([e.kind, e.message]).to.deep.equal([RecordErrorKind.Mocks, `mocks file ${file} is not valid JSON: line 3, column 32: expected a property name in double quotes, found "i"`]);
    });
});

describe("recorder: a program shaped like pulumi/examples' aws-ts-webserver", () => {
    const WEBSERVER_URN = "urn:pulumi:placeholder::fixture-webserver::pulumi:providers:aws";

    it("runs through with a placeholder AMI it names, and gives explicit providers the engine's version input", async () => {
        const stack = await recordStack({ programDir: program("webserver"), stack: "placeholder", mode: "preview" });
        const instance = stack.resources.find((r) => r.type === "aws:ec2/instance:Instance") as RecordedResource;
        expect(stack.placeholders.map((p) => [p.token, p.result.id])).to.deep.equal([["aws:ec2/getAmi:getAmi", instance.inputs.ami]]);
        expect(instance.inputs.ami).to.match(/^ami-0[0-9a-f]{16}$/);
        // `west` sends the SDK's version; `unpinned` sends none and gets the installed plugin's, as from the language host.
        expect(["west", "unpinned"].map((name) => find(stack, `${WEBSERVER_URN}::${name}`).inputs.version)).to.deep.equal(["7.48.0", "7.48.0"]);
    });

    it("ends at once on a lookup with no offline answer whose promise feeds a resource, naming it", async () => {
        const started = Date.now();
        const e = await recordError(recordStack({ programDir: program("webserver"), stack: "unanswered", mode: "preview" }));
        expect(e.kind).to.equal(RecordErrorKind.Invoke);
        expect(e.message).to.equal(
            'the program called the data source "aws:ec2/getVpc:getVpc" with {"default":true}, which has no offline answer; ' +
            'answer it in a mocks file passed with --mocks <file.json>: {"invokes": {"aws:ec2/getVpc:getVpc": { ...result fields... }}}',
        );
        // Before, the stack's outputs waited for the lookup until the recording was killed after 300 s.
        expect(Date.now() - started).to.be.below(120_000);
    });
});
