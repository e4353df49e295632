// ecs-task-hardening: untrusted job code runs in these tasks. A writable root filesystem lets it
// persist and tamper with the image, a privileged container reaches the host, and host networking
// or host PID/IPC namespaces bypass the task's own ENI and security group.
//
// containerDefinitions is a JSON string: it is parsed and every container is checked. A string that
// is unknown at preview is "can't check yet" (the library's advisory); a known string that is not a
// JSON array of objects cannot be verified and is reported, never passed.

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { awsx } from "../lib/awsx";
import { ConfigReader, policyConfigSchema } from "../lib/config";
import { show } from "../lib/messages";
import { CheckContext, checked } from "../lib/policy";
import { asArray, asRecord, asString, isRecord, isTrue, validateResourcesOfTypes } from "../lib/resources";
import { assertKnown } from "../lib/unknowns";

export const ECS_TASK_HARDENING = "ecs-task-hardening";

const HOST_MODE = "host";

/** Linux capabilities that let a container escape or reconfigure the host's kernel and network. */
export const DEFAULT_FORBIDDEN_CAPABILITIES: readonly string[] = ["ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO", "BPF"];
const CAPABILITY = /^[A-Z][A-Z0-9_]*$/;

interface HardeningConfig {
    readonly forbiddenCapabilities: readonly string[];
}

type Ctx = CheckContext<HardeningConfig>;

/** "cap_sys_admin" and "SYS_ADMIN" name the same capability (ECS takes either spelling). */
function normaliseCapability(c: string): string {
    return c.toUpperCase().replace(/^CAP_/, "");
}

function checkCapabilities(read: (key: string) => unknown, path: string, parsed: boolean, label: string, ctx: Ctx): void {
    const linux = read("linuxParameters");
    const caps = isRecord(linux) ? linux["capabilities"] : undefined;
    if (parsed) {
        assertKnown(caps, [...path.split("."), "linuxParameters", "capabilities"]);
    }
    const add = isRecord(caps) ? caps["add"] : undefined;
    if (parsed) {
        assertKnown(add, [...path.split("."), "linuxParameters", "capabilities", "add"]);
    }
    const forbidden = asArray(add).filter((c, i) => {
        if (parsed) {
            assertKnown(c, [...path.split("."), "linuxParameters", "capabilities", "add", String(i)]);
        }
        return typeof c === "string" && ctx.cfg.forbiddenCapabilities.includes(normaliseCapability(c));
    });
    if (forbidden.length > 0) {
        ctx.report({
            finding: `adds Linux capabilities ${forbidden.map(show).join(", ")} to ${label}`,
            rule: `task containers must not add the capabilities ${ctx.cfg.forbiddenCapabilities.join(", ")} (forbiddenCapabilities)`,
            fix: `Remove ${forbidden.map(show).join(", ")} from linuxParameters.capabilities.add of ${label}`,
        });
    }
}

/**
 * Checks one container definition. `path` locates it for messages and unknown errors; `parsed`
 * says it came out of JSON (so unknown sentinels are not caught by the proxy and must be checked).
 */
function checkContainer(c: Record<string, unknown>, path: string, parsed: boolean, ctx: Ctx): void {
    const read = (key: string): unknown => {
        const v = c[key];
        if (parsed) {
            assertKnown(v, [...path.split("."), key]);
        }
        return v;
    };
    const name = asString(c["name"]);
    const label = name === undefined ? path : `container '${name}' (${path})`;
    ctx.unknowns.check(() => {
        const ro = read("readonlyRootFilesystem");
        if (!isTrue(ro)) {
            const shown = ro === undefined || ro === null ? "unset (defaults to false)" : show(ro);
            ctx.report({
                finding: `runs ${label} with readonlyRootFilesystem ${shown}`,
                rule: "task containers must have a read-only root filesystem",
                fix: `Set readonlyRootFilesystem: true on ${label} and mount a volume for the paths it must write`,
            });
        }
    });
    ctx.unknowns.check(() => checkCapabilities(read, path, parsed, label, ctx));
    ctx.unknowns.check(() => {
        const privileged = read("privileged");
        if (isTrue(privileged)) {
            ctx.report({
                finding: `runs ${label} with privileged: ${String(privileged)}`,
                rule: "task containers must never be privileged",
                fix: `Remove privileged from ${label}`,
            });
        }
    });
}

function checkTaskModes(task: Record<string, unknown>, ctx: Ctx): void {
    for (const key of ["networkMode", "pidMode", "ipcMode"]) {
        ctx.unknowns.check(() => {
            if (asString(task[key]) === HOST_MODE) {
                ctx.report({
                    finding: `sets ${key}: "host"`,
                    rule: "tasks must not share the host's network, PID or IPC namespace; each task gets its own ENI and security group (awsvpc)",
                    fix: key === "networkMode" ? 'Set networkMode: "awsvpc"' : `Remove ${key}`,
                });
            }
        });
    }
}

function checkContainerDefinitionsJson(text: unknown, ctx: Ctx): void {
    if (text === undefined || text === null) {
        ctx.report({
            finding: "has no containerDefinitions",
            rule: "every container of a task definition must be verifiably hardened",
            fix: "Declare containerDefinitions as a JSON array of container definitions",
        });
        return;
    }
    if (typeof text !== "string") {
        ctx.report({
            finding: `has containerDefinitions of type ${Array.isArray(text) ? "array" : typeof text}, not a JSON string`,
            rule: "every container of a task definition must be verifiably hardened",
            fix: "Pass containerDefinitions as a JSON string (JSON.stringify / pulumi.jsonStringify)",
        });
        return;
    }
    assertKnown(text, ["containerDefinitions"]);
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        ctx.report({
            finding: `has containerDefinitions that are not valid JSON (${(e as Error).message})`,
            rule: "every container of a task definition must be verifiably hardened",
            fix: "Pass containerDefinitions as a JSON array of container definitions",
        });
        return;
    }
    if (!Array.isArray(parsed)) {
        ctx.report({
            finding: `has containerDefinitions that are a JSON ${parsed === null ? "null" : typeof parsed}, not an array`,
            rule: "every container of a task definition must be verifiably hardened",
            fix: "Pass containerDefinitions as a JSON array of container definitions",
        });
        return;
    }
    parsed.forEach((c: unknown, i: number) => {
        const path = `containerDefinitions.${i}`;
        ctx.unknowns.check(() => {
            assertKnown(c, path.split("."));
            if (!isRecord(c)) {
                ctx.report({
                    finding: `has ${path} = ${show(c)}, not a container definition object`,
                    rule: "every container of a task definition must be verifiably hardened",
                    fix: "Make every element of containerDefinitions a container definition object",
                });
                return;
            }
            checkContainer(c, path, true, ctx);
        });
    });
}

/** awsx task definition inputs: `container` (one) and/or `containers` (name -> definition). */
function checkAwsxContainers(args: Record<string, unknown>, prefix: string, ctx: Ctx): void {
    ctx.unknowns.check(() => {
        const one = asRecord(args["container"]);
        if (one !== undefined) {
            checkContainer(one, `${prefix}container`, false, ctx);
        }
    });
    ctx.unknowns.check(() => {
        const many = asRecord(args["containers"]);
        for (const key of Object.keys(many ?? {})) {
            ctx.unknowns.check(() => {
                const c = asRecord(many?.[key]);
                if (c !== undefined) {
                    checkContainer(c, `${prefix}containers.${key}`, false, ctx);
                }
            });
        }
    });
}

function readHardeningConfig(r: ConfigReader): HardeningConfig {
    const caps = r.stringArray("forbiddenCapabilities", DEFAULT_FORBIDDEN_CAPABILITIES);
    for (const c of caps.filter((x) => !CAPABILITY.test(x))) {
        r.problems.push(`forbiddenCapabilities contains ${JSON.stringify(c)}, which is not a capability name such as SYS_ADMIN`);
    }
    return { forbiddenCapabilities: caps.map(normaliseCapability) };
}

export const ecsTaskHardening: ResourceValidationPolicy = {
    name: ECS_TASK_HARDENING,
    description:
        "Requires read-only root filesystems and forbids privileged containers, forbidden Linux capabilities and host network/PID/IPC modes in ECS task definitions (aws and awsx).",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["exemptions"], {
        forbiddenCapabilities: {
            type: "array",
            description: "Linux capabilities a container may not add (linuxParameters.capabilities.add), without the CAP_ prefix.",
            items: { type: "string" },
            default: [...DEFAULT_FORBIDDEN_CAPABILITIES],
        },
    }),
    validateResource: validateResourcesOfTypes(
        validateResourceOfType(
            aws.ecs.TaskDefinition,
            checked(ECS_TASK_HARDENING, (props, ctx) => {
                const task = asRecord(props) ?? {};
                checkTaskModes(task, ctx);
                ctx.unknowns.check(() => checkContainerDefinitionsJson(task["containerDefinitions"], ctx));
            }, readHardeningConfig),
        ),
        validateResourceOfType(
            awsx.ecs.FargateTaskDefinition,
            checked(ECS_TASK_HARDENING, (props, ctx) => checkAwsxContainers(asRecord(props) ?? {}, "", ctx), readHardeningConfig),
        ),
        validateResourceOfType(
            awsx.ecs.EC2TaskDefinition,
            checked(ECS_TASK_HARDENING, (props, ctx) => {
                const task = asRecord(props) ?? {};
                checkTaskModes(task, ctx);
                checkAwsxContainers(task, "", ctx);
            }, readHardeningConfig),
        ),
        validateResourceOfType(
            awsx.ecs.FargateService,
            checked(ECS_TASK_HARDENING, (props, ctx) => {
                const td = asRecord(asRecord(props)?.["taskDefinitionArgs"]);
                if (td !== undefined) {
                    checkAwsxContainers(td, "taskDefinitionArgs.", ctx);
                }
            }, readHardeningConfig),
        ),
        validateResourceOfType(
            awsx.ecs.EC2Service,
            checked(ECS_TASK_HARDENING, (props, ctx) => {
                const td = asRecord(asRecord(props)?.["taskDefinitionArgs"]);
                if (td !== undefined) {
                    checkTaskModes(td, ctx);
                    checkAwsxContainers(td, "taskDefinitionArgs.", ctx);
                }
            }, readHardeningConfig),
        ),
    ),
};

