// The AnalyzerService's messages: the requests the engine builds from the stack and its resources,
// and what the tool reads from the pack's answers (its info, its diagnostics).
import { Struct, JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import { EnforcementLevel, PolicyConfigEntry, PolicyConfigSchema, PolicyInfo, ResolvedPolicyConfig } from "./policy-config";
import { providerUrn, toAnalyzerProperties } from "./properties";
import type { StackContext } from "../project";
import type { RecordedResource } from "../record";

export interface PackInfo {
    name: string;
    version: string;
    displayName: string;
    /** The plugin's version (GetPluginInfo): the @pulumi/policy version serving the pack. */
    pluginVersion: string;
    policies: PolicyInfo[];
    initialConfig: Record<string, PolicyConfigEntry>;
}

export interface Diagnostic {
    policyPack: string;
    policyPackVersion: string;
    policy: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    /** Empty when a stack policy reported without naming a resource. */
    urn: string;
    message: string;
}

const LEVEL_FROM_PROTO: Record<number, EnforcementLevel> = {
    [analyzerPb.EnforcementLevel.ADVISORY]: EnforcementLevel.Advisory,
    [analyzerPb.EnforcementLevel.MANDATORY]: EnforcementLevel.Mandatory,
    [analyzerPb.EnforcementLevel.DISABLED]: EnforcementLevel.Disabled,
    [analyzerPb.EnforcementLevel.REMEDIATE]: EnforcementLevel.Remediate,
};
const LEVEL_TO_PROTO: Record<EnforcementLevel, analyzerPb.EnforcementLevel> = {
    [EnforcementLevel.Advisory]: analyzerPb.EnforcementLevel.ADVISORY,
    [EnforcementLevel.Mandatory]: analyzerPb.EnforcementLevel.MANDATORY,
    [EnforcementLevel.Disabled]: analyzerPb.EnforcementLevel.DISABLED,
    [EnforcementLevel.Remediate]: analyzerPb.EnforcementLevel.REMEDIATE,
};

function struct(props: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(props as Record<string, JavaScriptValue>);
}

export function handshakeRequest(engineAddress: string, packDir: string): analyzerPb.AnalyzerHandshakeRequest {
    const req = new analyzerPb.AnalyzerHandshakeRequest();
    req.setEngineAddress(engineAddress);
    req.setRootDirectory(packDir);
    req.setProgramDirectory(packDir);
    return req;
}

/** GetAnalyzerInfo and GetPluginInfo as the pack answered them; `projectVersion` is PulumiPolicy.yaml's. */
export function packInfo(info: analyzerPb.AnalyzerInfo, plugin: pluginPb.PluginInfo, projectVersion: string | undefined): PackInfo {
    const policies: PolicyInfo[] = info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        const configSchema: PolicyConfigSchema | undefined = schema === undefined
            ? undefined
            : { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>, required: schema.getRequiredList() };
        return { name: p.getName(), description: p.getDescription(), enforcementLevel: LEVEL_FROM_PROTO[p.getEnforcementlevel()], configSchema };
    });
    const initialConfig: Record<string, PolicyConfigEntry> = {};
    info.getInitialconfigMap().forEach((c, k) => {
        initialConfig[k] = {
            enforcementLevel: LEVEL_FROM_PROTO[c.getEnforcementlevel()],
            properties: (c.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
        };
    });
    return {
        name: info.getName(),
        // As the CLI does, PulumiPolicy.yaml's version wins over the one the pack reports.
        version: projectVersion ?? info.getVersion(),
        displayName: info.getDisplayname(),
        pluginVersion: plugin.getVersion(),
        policies,
        initialConfig,
    };
}

export function stackConfigureRequest(ctx: StackContext): analyzerPb.AnalyzerStackConfigureRequest {
    const req = new analyzerPb.AnalyzerStackConfigureRequest();
    req.setStack(ctx.stack);
    req.setProject(ctx.project);
    req.setOrganization(ctx.organization);
    req.setDryRun(ctx.dryRun);
    req.setConfigSecretKeysList(ctx.secretKeys);
    for (const [k, v] of Object.entries(ctx.config)) {
        req.getConfigMap().set(k, v);
    }
    for (const [k, v] of Object.entries(ctx.tags)) {
        req.getTagsMap().set(k, v);
    }
    return req;
}

export function configureRequest(resolved: Record<string, ResolvedPolicyConfig>): analyzerPb.ConfigureAnalyzerRequest {
    const req = new analyzerPb.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(resolved)) {
        const pc = new analyzerPb.PolicyConfig();
        pc.setEnforcementlevel(LEVEL_TO_PROTO[c.enforcementLevel]);
        pc.setProperties(struct(c.properties));
        req.getPolicyconfigMap().set(name, pc);
    }
    return req;
}

function resourceOptions(r: RecordedResource): analyzerPb.AnalyzerResourceOptions {
    const o = new analyzerPb.AnalyzerResourceOptions();
    o.setProtect(r.options.protect);
    o.setIgnorechangesList(r.options.ignoreChanges);
    o.setDeletebeforereplace(r.options.deleteBeforeReplace ?? false);
    o.setDeletebeforereplacedefined(r.options.deleteBeforeReplace !== undefined);
    o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
    o.setAliasesList(r.options.aliases);
    const t = new analyzerPb.AnalyzerResourceOptions.CustomTimeouts();
    t.setCreate(r.options.customTimeouts.create);
    t.setUpdate(r.options.customTimeouts.update);
    t.setDelete(r.options.customTimeouts.delete);
    o.setCustomtimeouts(t);
    o.setParent(r.parent ?? "");
    return o;
}

function providerResource(r: RecordedResource, byUrn: Map<string, RecordedResource>): analyzerPb.AnalyzerProviderResource | undefined {
    const p = r.provider === undefined ? undefined : byUrn.get(providerUrn(r.provider));
    if (p === undefined) {
        return undefined;
    }
    const pr = new analyzerPb.AnalyzerProviderResource();
    pr.setUrn(p.urn);
    pr.setType(p.type);
    pr.setName(p.name);
    pr.setProperties(struct(toAnalyzerProperties(p.inputs)));
    return pr;
}

export function analyzeRequest(r: RecordedResource, byUrn: Map<string, RecordedResource>): analyzerPb.AnalyzeRequest {
    const req = new analyzerPb.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name);
    req.setProperties(struct(toAnalyzerProperties(r.inputs)));
    req.setOptions(resourceOptions(r));
    const provider = providerResource(r, byUrn);
    if (provider !== undefined) {
        req.setProvider(provider);
    }
    return req;
}

export function analyzeStackRequest(resources: RecordedResource[], byUrn: Map<string, RecordedResource>): analyzerPb.AnalyzeStackRequest {
    const req = new analyzerPb.AnalyzeStackRequest();
    req.setResourcesList(resources.map((r) => stackResource(r, byUrn)));
    return req;
}

function stackResource(r: RecordedResource, byUrn: Map<string, RecordedResource>): analyzerPb.AnalyzerResource {
    const ar = new analyzerPb.AnalyzerResource();
    ar.setUrn(r.urn);
    ar.setType(r.type);
    ar.setName(r.name);
    ar.setProperties(struct(toAnalyzerProperties(r.outputs)));
    ar.setOptions(resourceOptions(r));
    const provider = providerResource(r, byUrn);
    if (provider !== undefined) {
        ar.setProvider(provider);
    }
    ar.setParent(r.parent ?? "");
    ar.setDependenciesList(r.dependencies);
    for (const [k, urns] of Object.entries(r.propertyDependencies)) {
        if (urns.length > 0) {
            const pd = new analyzerPb.AnalyzerPropertyDependencies();
            pd.setUrnsList(urns);
            ar.getPropertydependenciesMap().set(k, pd);
        }
    }
    return ar;
}

/** The diagnostics of an Analyze or AnalyzeStack answer, with the pack's version as its PackInfo states it. */
export function diagnostics(resp: analyzerPb.AnalyzeResponse, packVersion: string): Diagnostic[] {
    return resp.getDiagnosticsList().map((d) => ({
        policyPack: d.getPolicypackname(),
        policyPackVersion: packVersion,
        policy: d.getPolicyname(),
        description: d.getDescription(),
        enforcementLevel: LEVEL_FROM_PROTO[d.getEnforcementlevel()],
        urn: d.getUrn(),
        message: d.getMessage(),
    }));
}
