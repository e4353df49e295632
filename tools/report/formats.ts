// The report formats of the offline preview: text like `pulumi preview`, the JSON other tools read,
// SARIF 2.1.0 for code-scanning UIs, and (github.ts, markdown.ts) GitHub annotations
// and a markdown summary.
import type * as sarif from "sarif";
import { Diagnostic, PackInfo } from "../analyze";
import { costText } from "../cost";
import type { CostSection } from "../cost";
import { ExemptionReport, StaleExemption } from "../analyze";
import type { PlaceholderAnswer } from "../record";
import { EnforcementLevel } from "../analyze";
import { RecordedResource, RecordedStack } from "../record";
import { describeOrigin, formatSource, SourceLocation, SourceLocator, SourceOrigin } from "./source";
import {
    AppliedExemption, CheckCounts, countChecks, DEFERRED_EXPLANATION, DeferredCheck, isBlocking, isDefaultProvider, splitDeferred, summaryLines,
} from "./summary";

export { isBlocking } from "./summary";

export enum ReportFormat {
    Text = "text",
    Json = "json",
    Sarif = "sarif",
    Github = "github",
    Markdown = "markdown",
}
export const REPORT_FORMATS: readonly string[] = Object.values(ReportFormat);

export const TOOL_NAME = "trace-offline-preview";

/** Where a finding points: `file:line`, and whether that is the resource's own line or a stand-in. */
interface JsonSource {
    source: string;
    sourceOrigin: SourceOrigin;
    /** URN of the ancestor whose position stands in (sourceOrigin "ancestor"). */
    sourceAncestor?: string;
}

export interface JsonReport {
    project: string;
    stack: string;
    mode: string;
    resources: { urn: string; type: string; name: string; parent: string | null }[];
    policyPacks: { name: string; version: string }[];
    violations: ({ policyPack: string; policy: string; enforcementLevel: string; urn: string; type: string; name: string; message: string } & JsonSource)[];
    /** Checks the analyzer could not run during the preview; `pulumi up` runs them. Not violations. */
    deferred: ({ policyPack: string; policy: string; urn: string; type: string; name: string; reason: string } & JsonSource)[];
    /** Every resource a policy skipped because of an exemption in the pack config; `pattern` is the entry's glob. */
    exemptions: { policyPack: string; policy: string; urn: string; type: string; name: string; reason: string; pattern: string }[];
    /** Exemption entries that match no resource of the stack. */
    staleExemptions: { policyPack: string; policy: string; pattern: string; reason: string; configFile?: { path: string; line: number } }[];
    /** Lookups answered with a made-up value, not the real one (no policy judges it). */
    placeholderAnswers: { token: string; args: Record<string, unknown>; result: Record<string, unknown> }[];
    /** `resources` counts what the packs analyzed; `toCreate` what `pulumi preview` shows (no default providers). */
    summary: { resources: number; toCreate: number; mandatory: number; advisory: number; exempted: number; policyPacks: number; policies: number; deferred: number };
    /** The posture's monthly cost beside the NAT designs; absent with --no-cost. */
    cost?: CostSection;
    /** Components whose children are not in the recording (remote ones, e.g. awsx); absent when none. */
    componentsNotSeenInside?: { urn: string; type: string; name: string }[];
}

export interface ReportInput {
    recorded: RecordedStack;
    packs: PackInfo[];
    /** Everything the analyzer reported, deferred checks included (they are split off here). */
    violations: Diagnostic[];
    exemptions: ExemptionReport;
    /** The cost section, when it was asked for. */
    cost?: CostSection;
}

function rootOf(recorded: RecordedStack): RecordedResource {
    const root = recorded.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    if (root === undefined) {
        throw new Error(`the recording of ${recorded.project}/${recorded.stack} has no pulumi:pulumi:Stack resource`);
    }
    return root;
}

export interface Located {
    d: Diagnostic;
    resource: RecordedResource;
    source: SourceLocation;
    order: number;
}

/** A report's content once the diagnostics are split, attributed to resources and located in the source. */
export interface Findings {
    violations: Located[];
    deferred: (Located & { reason: string })[];
    exemptions: AppliedExemption[];
    counts: CheckCounts;
}

// Findings in registration order, then by pack and policy; a stack policy that names no resource is
// attributed to the root stack, as `pulumi preview` lists it under the stack.
export function findings(input: ReportInput, sources: SourceLocator): Findings {
    const root = rootOf(input.recorded);
    const index = new Map(input.recorded.resources.map((r, i) => [r.urn, i]));
    const byUrn = new Map(input.recorded.resources.map((r) => [r.urn, r]));
    const locate = (d: Diagnostic): Located => {
        const resource = byUrn.get(d.urn) ?? root;
        return { d, resource, source: sources.locate(resource.urn), order: index.get(resource.urn) ?? 0 };
    };
    const byPosition = (a: Located, b: Located): number =>
        a.order - b.order || a.d.policyPack.localeCompare(b.d.policyPack) || a.d.policy.localeCompare(b.d.policy);
    const { violations, deferred } = splitDeferred(input.violations);
    const exemptions = input.exemptions.applied;
    return {
        violations: violations.map(locate).sort(byPosition),
        deferred: deferred.map((c: DeferredCheck) => ({ ...locate(c.diagnostic), reason: c.reason })).sort(byPosition),
        exemptions,
        counts: countChecks(input.recorded, input.packs, violations, deferred, exemptions),
    };
}

function jsonSource(loc: SourceLocation): JsonSource {
    return { source: formatSource(loc), sourceOrigin: loc.origin, ...(loc.ancestor !== undefined ? { sourceAncestor: loc.ancestor.urn } : {}) };
}

/** The source line of a finding in the text report, with why a stand-in position was used. */
export function sourceText(loc: SourceLocation): string {
    const why = describeOrigin(loc);
    return why === "" ? formatSource(loc) : `${formatSource(loc)} (${why})`;
}

export function jsonReport(input: ReportInput, sources: SourceLocator): JsonReport {
    const found = findings(input, sources);
    return {
        project: input.recorded.project,
        stack: input.recorded.stack,
        mode: input.recorded.mode,
        resources: input.recorded.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null })),
        policyPacks: input.packs.map((p) => ({ name: p.name, version: p.version })),
        violations: found.violations.map(({ d, resource, source }) => ({
            policyPack: d.policyPack,
            policy: d.policy,
            enforcementLevel: d.enforcementLevel,
            urn: resource.urn,
            type: resource.type,
            name: resource.name,
            message: d.message,
            ...jsonSource(source),
        })),
        deferred: found.deferred.map(({ d, resource, source, reason }) => ({
            policyPack: d.policyPack, policy: d.policy, urn: resource.urn, type: resource.type, name: resource.name, reason, ...jsonSource(source),
        })),
        exemptions: input.exemptions.applied.map((e) => ({
            policyPack: e.policyPack, policy: e.policy, urn: e.urn, type: e.type, name: e.name, reason: e.reason, pattern: e.resource,
        })),
        staleExemptions: input.exemptions.stale.map((e) => ({
            policyPack: e.policyPack, policy: e.policy, pattern: e.resource, reason: e.reason, ...(e.configFile !== undefined ? { configFile: e.configFile } : {}),
        })),
        placeholderAnswers: input.recorded.placeholders.map(({ token, args, result }) => ({ token, args, result })),
        summary: {
            resources: found.counts.resources,
            toCreate: found.counts.toCreate,
            mandatory: found.counts.mandatory,
            advisory: found.counts.advisory,
            exempted: found.counts.exempted,
            policyPacks: found.counts.packs,
            policies: found.counts.policies,
            deferred: found.counts.deferred,
        },
        ...(input.cost !== undefined ? { cost: input.cost } : {}),
        ...withComponentsNotSeenInside(input.recorded.resources),
    };
}

/**
 * Components no recorded resource has as parent. An offline run executes no component provider, so
 * a remote component (awsx's) registers without the children the engine would show the pack; the
 * pack judges the inputs of the components it catalogues, and the report names them all.
 */
export function componentsNotSeenInside(resources: readonly RecordedResource[]): RecordedResource[] {
    const parents = new Set(resources.map((r) => r.parent));
    return resources.filter((r) => !r.custom && !r.type.startsWith("pulumi:") && !parents.has(r.urn));
}

function withComponentsNotSeenInside(resources: readonly RecordedResource[]): Pick<JsonReport, "componentsNotSeenInside"> {
    const opaque = componentsNotSeenInside(resources);
    return opaque.length === 0 ? {} : { componentsNotSeenInside: opaque.map((r) => ({ urn: r.urn, type: r.type, name: r.name })) };
}

function componentLines(resources: readonly RecordedResource[]): string[] {
    const opaque = componentsNotSeenInside(resources);
    if (opaque.length === 0) {
        return [];
    }
    return [
        "Components not seen inside (offline, their children are not registered; the pack judged the inputs of those it catalogues):",
        ...opaque.map((r) => `    ${displayType(r.type)}: ${r.name}`),
        "",
    ];
}

/**
 * A type as the CLI displays it (display/progress.go simplifyTypeName): the module's last path
 * segment is dropped when it is the type name camel-cased, so `aws:ec2/vpc:Vpc` reads `aws:ec2:Vpc`.
 */
export function displayType(type: string): string {
    const parts = type.split(":");
    if (parts.length !== 3 || parts[2] === "") {
        return type;
    }
    const [pkg, module, name] = parts;
    const slash = module.lastIndexOf("/");
    if (slash === -1 || module.slice(slash + 1) !== name.charAt(0).toLowerCase() + name.slice(1)) {
        return type;
    }
    return `${pkg}:${module.slice(0, slash)}:${name}`;
}

// The resource tree as `pulumi preview` draws it: without default providers, internal steps there.
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
        rows.push([branch + displayType(r.type), r.name]);
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

function placeholderWarning(p: PlaceholderAnswer): string {
    return `the data source ${p.token} (${JSON.stringify(p.args)}) was answered with a placeholder, id ${JSON.stringify(p.result.id)}, not looked up: ` +
        "no policy judges its value; answer it in a --mocks file to run with the real one";
}

export function textReport(input: ReportInput, packDirs: string[], sources: SourceLocator): string {
    const { recorded } = input;
    const lines: string[] = [];
    const modeNote = recorded.mode === "plan" ? "plan mode: every value known, ids and ARNs synthesised" : "preview mode: outputs of new resources unknown";
    lines.push(`Previewing update (${recorded.stack}) of project ${recorded.project} offline (${modeNote})`, "");
    lines.push(...tree(recorded.resources), "");
    const output = recorded.programOutput.trim();
    const warnings = [...recorded.warnings, ...recorded.placeholders.map(placeholderWarning)];
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
    const found = findings(input, sources);
    const located = found.violations;
    lines.push("Policies:");
    input.packs.forEach((p, i) => {
        const mine = located.filter((l) => l.d.policyPack === p.name);
        const mark = mine.some((l) => isBlocking(l.d)) ? "❌" : mine.length > 0 ? "⚠️ " : "✅";
        lines.push(`    ${mark} ${p.name}@v${p.version} (local: ${packDirs[i] ?? ""})`);
        for (const level of [EnforcementLevel.Mandatory, EnforcementLevel.Advisory]) {
            for (const { d, resource, source } of mine.filter((l) => (level === EnforcementLevel.Mandatory) === isBlocking(l.d))) {
                lines.push(`        - [${level}]  ${d.policy}  (${displayType(resource.type)}: ${resource.name})`);
                for (const m of d.message.split("\n")) {
                    lines.push(`          ${m}`);
                }
                lines.push(`          source: ${sourceText(source)}`);
            }
        }
    });
    lines.push(...exemptionLines(input.exemptions));
    lines.push("", "Resources:", `    + ${found.counts.toCreate} to create`, "");
    lines.push(...componentLines(recorded.resources));
    // --- summary.ts: deferred checks and the closing summary (issue 13) ---
    if (found.deferred.length > 0) {
        lines.push("Checks deferred to deployment:", ...DEFERRED_EXPLANATION.map((l) => `    ${l}`));
        for (const { d, resource, source, reason } of found.deferred) {
            lines.push(`    - ${d.policy} (${d.policyPack})  ${displayType(resource.type)}: ${resource.name}  at ${sourceText(source)}`, `      ${reason}`);
        }
        lines.push("");
    }
    if (input.cost !== undefined) {
        lines.push(costText(input.cost).trimEnd(), "");
    }
    lines.push(...summaryLines(found.counts, recorded.mode));
    return lines.join("\n") + "\n";
}

// After the violations, so an auditor sees every resource a policy skipped and why, and every entry
// that no longer matches anything.
function exemptionLines(ex: ExemptionReport): string[] {
    if (ex.applied.length === 0 && ex.stale.length === 0) {
        return [];
    }
    const lines = ["", "Exemptions:"];
    for (const e of ex.applied) {
        lines.push(`    - [exempted]  ${e.policy}  (${displayType(e.type)}: ${e.name})`, `          ${e.reason} (exemption ${e.resource}, ${e.policyPack})`);
    }
    for (const e of ex.stale) {
        lines.push(`    - [stale]  ${e.policy}  ${e.resource} matches no resource of this stack`, `          ${e.reason} (${e.policyPack}; remove the entry or fix its pattern)`);
    }
    return lines;
}

const SARIF_LEVEL: Record<EnforcementLevel, sarif.ReportingConfiguration.level> = {
    [EnforcementLevel.Mandatory]: "error",
    [EnforcementLevel.Remediate]: "error",
    [EnforcementLevel.Advisory]: "warning",
    [EnforcementLevel.Disabled]: "none",
};

function sarifLocation(source: SourceLocation, resource: Pick<RecordedResource, "urn" | "name">): sarif.Location {
    return {
        physicalLocation: {
            artifactLocation: { uri: source.file },
            region: { startLine: source.line, ...(source.column !== undefined ? { startColumn: source.column } : {}) },
        },
        logicalLocations: [{ fullyQualifiedName: resource.urn, name: resource.name, kind: "resource" }],
    };
}

function withOrigin(text: string, source: SourceLocation): string {
    const why = describeOrigin(source);
    return why === "" ? text : `${text}\n(${why}.)`;
}

/** The tool's own rule: a finding about the pack config file, not about the program. */
const STALE_EXEMPTION_RULE: sarif.ReportingDescriptor = {
    id: `${TOOL_NAME}/stale-exemption`,
    name: "stale-exemption",
    shortDescription: { text: "An exemption in the policy pack config matches no resource of the stack." },
    fullDescription: { text: "An exemption entry names a resource glob that matches nothing: the resource is gone or the glob is wrong. Remove the entry or fix its pattern, so it cannot silently exempt a future resource." },
    defaultConfiguration: { level: "warning" },
};

// Located at the entry in its config file when the file is inside the source root; otherwise the
// file's name stands as the logical location, so code scanning never pins it on the program.
function staleExemptionResult(e: StaleExemption, ruleIndex: number, sources: SourceLocator): sarif.Result {
    const uri = e.configFile === undefined ? undefined : sources.fileInRoot(e.configFile.path);
    const where = e.configFile === undefined ? "the pack's default config" : `${uri ?? e.configFile.path}:${e.configFile.line}`;
    const location: sarif.Location = {
        ...(uri !== undefined && e.configFile !== undefined ? { physicalLocation: { artifactLocation: { uri }, region: { startLine: e.configFile.line } } } : {}),
        logicalLocations: [{ fullyQualifiedName: `${e.policyPack}/${e.policy}/exemptions/${e.resource}`, name: e.resource, kind: "member" }],
    };
    return {
        ruleId: STALE_EXEMPTION_RULE.id,
        ruleIndex,
        level: "warning",
        message: { text: `exemption ${e.resource} of ${e.policy} (${e.policyPack}, in ${where}) matches no resource of this stack; remove it or fix its pattern (its reason: ${e.reason})` },
        locations: [location],
        partialFingerprints: { "pulumiExemption/v1": `${e.policyPack}/${e.policy}#${e.resource}` },
        properties: { policyPack: e.policyPack, policy: e.policy, staleExemption: e.resource },
    };
}

/**
 * SARIF 2.1.0: one rule per policy (`<pack>/<policy>`), one result per violation, located at the line
 * that constructed the resource (relative to the source root, as code scanning resolves it) with the
 * URN and name as the logical location. Deferred checks are not results: they are the invocation's
 * notifications, so code scanning raises no alert for them. A stale exemption is a finding about the
 * pack config, under the tool's own rule, at its entry in the config file.
 */
export function sarifReport(input: ReportInput, sources: SourceLocator, toolVersion: string): sarif.Log {
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
    const ruleRef = (d: Diagnostic): { ruleId: string; ruleIndex?: number } => {
        const ruleId = `${d.policyPack}/${d.policy}`;
        return { ruleId, ...(ruleIndex.has(ruleId) ? { ruleIndex: ruleIndex.get(ruleId) } : {}) };
    };
    const found = findings(input, sources);
    const results: sarif.Result[] = found.violations.map(({ d, resource, source }) => {
        const { ruleId, ...index } = ruleRef(d);
        return {
            ruleId,
            ...index,
            level: SARIF_LEVEL[d.enforcementLevel],
            message: { text: withOrigin(`${resource.type} "${resource.name}": ${d.message}`, source) },
            locations: [sarifLocation(source, resource)],
            partialFingerprints: { "pulumiUrn/v1": `${resource.urn}#${ruleId}` },
            properties: { enforcementLevel: d.enforcementLevel, resourceType: resource.type, urn: resource.urn, sourceOrigin: source.origin },
        };
    });
    const notifications: sarif.Notification[] = found.deferred.map(({ d, resource, source, reason }) => {
        const { ruleId, ruleIndex: index } = ruleRef(d);
        return {
            level: "note",
            message: { text: withOrigin(`${resource.type} "${resource.name}": ${d.policy} deferred to deployment: ${reason}`, source) },
            locations: [sarifLocation(source, resource)],
            associatedRule: { id: ruleId, ...(index !== undefined ? { index } : {}) },
        };
    });
    const policyLevel = new Map<string, EnforcementLevel>(input.packs.flatMap((p) => p.policies.map((pol): [string, EnforcementLevel] => [`${p.name}/${pol.name}`, pol.enforcementLevel])));
    const index = (ruleId: string) => (ruleIndex.has(ruleId) ? { ruleIndex: ruleIndex.get(ruleId) } : {});
    // An exempted resource is a suppressed result (the form code scanning reads).
    for (const e of input.exemptions.applied) {
        const ruleId = `${e.policyPack}/${e.policy}`;
        results.push({
            ruleId,
            ...index(ruleId),
            level: SARIF_LEVEL[policyLevel.get(ruleId) ?? EnforcementLevel.Mandatory],
            message: { text: `${e.type} "${e.name}" is exempted from ${e.policy} by ${e.resource}: ${e.reason}` },
            locations: [sarifLocation(sources.locate(e.urn), { urn: e.urn, name: e.name })],
            partialFingerprints: { "pulumiUrn/v1": `${e.urn}#${ruleId}` },
            suppressions: [{ kind: "external", justification: e.reason }],
            properties: { resourceType: e.type, urn: e.urn, exemption: e.resource },
        });
    }
    if (input.exemptions.stale.length > 0) {
        rules.push(STALE_EXEMPTION_RULE);
    }
    const staleRuleIndex = rules.indexOf(STALE_EXEMPTION_RULE);
    results.push(...input.exemptions.stale.map((e) => staleExemptionResult(e, staleRuleIndex, sources)));
    return {
        version: "2.1.0",
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [{
            tool: { driver: { name: TOOL_NAME, version: toolVersion, informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/", rules } },
            automationDetails: { id: `${input.recorded.project}/${input.recorded.stack}/${input.recorded.mode}/` },
            invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
            results,
        }],
    };
}
