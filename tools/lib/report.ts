// The three report formats of the offline preview: text like `pulumi preview`, the JSON other tools
// read, and SARIF 2.1.0 for code-scanning UIs.
import * as path from "path";
import type * as sarif from "sarif";
import { Diagnostic, PackInfo } from "./analyzer";
import { EnforcementLevel } from "./policy-config";
import { RecordedResource, RecordedStack } from "./record-protocol";

export enum ReportFormat {
    Text = "text",
    Json = "json",
    Sarif = "sarif",
    /** A pull-request comment: the verdict and the cost comparison. */
    MarkdownSummary = "markdown-summary",
}
export const REPORT_FORMATS: readonly string[] = Object.values(ReportFormat);

export const TOOL_NAME = "trace-offline-preview";

export interface JsonReport {
    project: string;
    stack: string;
    mode: string;
    resources: { urn: string; type: string; name: string; parent: string | null }[];
    policyPacks: { name: string; version: string }[];
    violations: { policyPack: string; policy: string; enforcementLevel: string; urn: string; type: string; name: string; message: string }[];
    summary: { resources: number; mandatory: number; advisory: number };
}

export interface ReportInput {
    recorded: RecordedStack;
    packs: PackInfo[];
    violations: Diagnostic[];
}

/** A remediate-level violation is reported as mandatory by the analyzer already; anything not advisory blocks. */
export function isBlocking(d: Diagnostic): boolean {
    return d.enforcementLevel !== EnforcementLevel.Advisory;
}

function rootOf(recorded: RecordedStack): RecordedResource {
    const root = recorded.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    if (root === undefined) {
        throw new Error(`the recording of ${recorded.project}/${recorded.stack} has no pulumi:pulumi:Stack resource`);
    }
    return root;
}

interface Located {
    d: Diagnostic;
    resource: RecordedResource;
    order: number;
}

// Violations in registration order, then by pack and policy; a stack policy that names no resource is
// attributed to the root stack, as `pulumi preview` lists it under the stack.
function locate(input: ReportInput): Located[] {
    const root = rootOf(input.recorded);
    const index = new Map(input.recorded.resources.map((r, i) => [r.urn, i]));
    const byUrn = new Map(input.recorded.resources.map((r) => [r.urn, r]));
    return input.violations
        .map((d) => {
            const resource = byUrn.get(d.urn) ?? root;
            return { d, resource, order: index.get(resource.urn) ?? 0 };
        })
        .sort((a, b) => a.order - b.order || a.d.policyPack.localeCompare(b.d.policyPack) || a.d.policy.localeCompare(b.d.policy));
}

export function jsonReport(input: ReportInput): JsonReport {
    const located = locate(input);
    return {
        project: input.recorded.project,
        stack: input.recorded.stack,
        mode: input.recorded.mode,
        resources: input.recorded.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null })),
        policyPacks: input.packs.map((p) => ({ name: p.name, version: p.version })),
        violations: located.map(({ d, resource }) => ({
            policyPack: d.policyPack,
            policy: d.policy,
            enforcementLevel: d.enforcementLevel,
            urn: resource.urn,
            type: resource.type,
            name: resource.name,
            message: d.message,
        })),
        summary: {
            resources: input.recorded.resources.length,
            mandatory: input.violations.filter(isBlocking).length,
            advisory: input.violations.filter((d) => !isBlocking(d)).length,
        },
    };
}

function isDefaultProvider(r: RecordedResource): boolean {
    return r.type.startsWith("pulumi:providers:") && r.parent === undefined;
}

// The resource tree as `pulumi preview` draws it (default providers are hidden there too).
function tree(resources: RecordedResource[]): string[] {
    const shown = resources.filter((r) => !isDefaultProvider(r));
    const children = new Map<string, RecordedResource[]>();
    for (const r of shown) {
        const key = r.parent ?? "";
        children.set(key, [...(children.get(key) ?? []), r]);
    }
    const rows: [string, string][] = [];
    const walk = (r: RecordedResource, prefix: string, last: boolean, depth: number): void => {
        const branch = depth === 0 ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
        rows.push([branch + r.type, r.name]);
        const kids = children.get(r.urn) ?? [];
        const nextPrefix = depth === 0 ? "" : prefix + (last ? "   " : "│  ");
        kids.forEach((k, i) => walk(k, nextPrefix, i === kids.length - 1, depth + 1));
    };
    (children.get("") ?? []).forEach((r) => walk(r, "", true, 0));
    const typeWidth = Math.max(4, ...rows.map(([t]) => t.length));
    const nameWidth = Math.max(4, ...rows.map(([, n]) => n.length));
    return [
        `     ${"Type".padEnd(typeWidth)}  ${"Name".padEnd(nameWidth)}  Plan`,
        ...rows.map(([t, n]) => ` +   ${t.padEnd(typeWidth)}  ${n.padEnd(nameWidth)}  create`),
    ];
}

export function textReport(input: ReportInput, packDirs: string[]): string {
    const { recorded } = input;
    const lines: string[] = [];
    const modeNote = recorded.mode === "plan" ? "plan mode: every value known, ids and ARNs synthesised" : "preview mode: outputs of new resources unknown";
    lines.push(`Previewing update (${recorded.stack}) of project ${recorded.project} offline (${modeNote})`, "");
    lines.push(...tree(recorded.resources), "");
    const output = recorded.programOutput.trim();
    const warnings = recorded.warnings;
    if (output !== "" || warnings.length > 0) {
        lines.push("Diagnostics:", `  pulumi:pulumi:Stack (${recorded.project}-${recorded.stack}):`);
        for (const w of warnings) {
            lines.push(`    warning: ${w}`);
        }
        for (const l of output.split("\n").filter((x) => x !== "")) {
            lines.push(`    ${l}`);
        }
        lines.push("");
    }
    const located = locate(input);
    lines.push("Policies:");
    input.packs.forEach((p, i) => {
        const mine = located.filter((l) => l.d.policyPack === p.name);
        const mark = mine.some((l) => isBlocking(l.d)) ? "❌" : mine.length > 0 ? "⚠️ " : "✅";
        lines.push(`    ${mark} ${p.name}@v${p.version} (local: ${packDirs[i] ?? ""})`);
        for (const level of [EnforcementLevel.Mandatory, EnforcementLevel.Advisory]) {
            for (const { d, resource } of mine.filter((l) => (level === EnforcementLevel.Mandatory) === isBlocking(l.d))) {
                lines.push(`        - [${level}]  ${d.policy}  (${resource.type}: ${resource.name})`);
                for (const m of d.message.split("\n")) {
                    lines.push(`          ${m}`);
                }
            }
        }
    });
    const summary = jsonReport(input).summary;
    lines.push("", "Resources:", `    + ${summary.resources} to create`, "");
    lines.push(`Policy violations: ${summary.mandatory} mandatory, ${summary.advisory} advisory`);
    return lines.join("\n") + "\n";
}

const SARIF_LEVEL: Record<EnforcementLevel, sarif.ReportingConfiguration.level> = {
    [EnforcementLevel.Mandatory]: "error",
    [EnforcementLevel.Remediate]: "error",
    [EnforcementLevel.Advisory]: "warning",
    [EnforcementLevel.Disabled]: "none",
};

/**
 * SARIF 2.1.0: one rule per policy (`<pack>/<policy>`), one result per violation, located at the
 * program's entry file (code scanning needs a file) with the resource URN as the logical location.
 */
export function sarifReport(input: ReportInput, entryFile: string, toolVersion: string): sarif.Log {
    const rules: sarif.ReportingDescriptor[] = input.packs.flatMap((p) =>
        p.policies.map((pol) => ({
            id: `${p.name}/${pol.name}`,
            name: pol.name,
            shortDescription: { text: pol.description },
            defaultConfiguration: { level: SARIF_LEVEL[pol.enforcementLevel] },
            properties: { policyPack: p.name, policyPackVersion: p.version, enforcementLevel: pol.enforcementLevel },
        })),
    );
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const uri = path.relative(process.cwd(), entryFile).split(path.sep).join("/");
    const results: sarif.Result[] = locate(input).map(({ d, resource }) => {
        const ruleId = `${d.policyPack}/${d.policy}`;
        return {
            ruleId,
            ...(ruleIndex.has(ruleId) ? { ruleIndex: ruleIndex.get(ruleId) } : {}),
            level: SARIF_LEVEL[d.enforcementLevel],
            message: { text: `${resource.type} "${resource.name}": ${d.message}` },
            locations: [{
                physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } },
                logicalLocations: [{ fullyQualifiedName: resource.urn, name: resource.name, kind: "resource" }],
            }],
            partialFingerprints: { "pulumiUrn/v1": `${resource.urn}#${ruleId}` },
            properties: { enforcementLevel: d.enforcementLevel, resourceType: resource.type, urn: resource.urn },
        };
    });
    return {
        version: "2.1.0",
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [{
            tool: { driver: { name: TOOL_NAME, version: toolVersion, informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/", rules } },
            automationDetails: { id: `${input.recorded.project}/${input.recorded.stack}/${input.recorded.mode}/` },
            results,
        }],
    };
}
