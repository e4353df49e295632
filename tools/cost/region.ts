// The region AWS would create each resource in, as the provider decides it: the resource's own
// `region` input (provider 7.x), else its provider's `region` (an explicit aws.Provider, or the
// engine's default provider, whose inputs are the stack's aws:* config), else AWS_REGION, then
// AWS_DEFAULT_REGION, as the provider reads them when its region is not set.
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { providerUrn } from "../analyze";
import type { RecordedResource } from "../record";

export const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/** The variables the AWS provider falls back on, first set wins (@pulumi/aws utilities.getEnv order). */
export const REGION_ENV_VARS = ["AWS_REGION", "AWS_DEFAULT_REGION"] as const;

/** Where a resource's region came from, for the report. */
export enum RegionSource {
    Resource = "resource",
    Provider = "provider",
    Environment = "environment",
}

export type ResolvedRegion =
    | { known: true; region: string; source: RegionSource }
    | { known: false; why: string };

function plainString(value: unknown): string | undefined | typeof unknownValue {
    if (value === unknownValue) {
        return unknownValue;
    }
    // A secret region is still a region.
    if (typeof value === "object" && value !== null && "value" in value) {
        return plainString((value as { value: unknown }).value);
    }
    return typeof value === "string" && value !== "" ? value : undefined;
}

/** Resolves the region of every AWS resource in `resources`; other packages' resources are left out. */
export function regionsOf(resources: readonly RecordedResource[], env: NodeJS.ProcessEnv): Map<string, ResolvedRegion> {
    const providers = new Map(resources.filter((r) => r.type === AWS_PROVIDER_TYPE).map((r) => [r.urn, r]));
    const fromEnv = REGION_ENV_VARS.map((v) => env[v]).find((v) => v !== undefined && v !== "");
    const out = new Map<string, ResolvedRegion>();
    for (const r of resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
        out.set(r.urn, resolve(r, providers, fromEnv));
    }
    return out;
}

function resolve(r: RecordedResource, providers: Map<string, RecordedResource>, fromEnv: string | undefined): ResolvedRegion {
    const own = plainString(r.inputs.region);
    if (own === unknownValue) {
        return { known: false, why: "its region input is unknown at preview" };
    }
    if (own !== undefined) {
        return { known: true, region: own, source: RegionSource.Resource };
    }
    const provider = r.provider === undefined ? undefined : providers.get(providerUrn(r.provider));
    const viaProvider = provider === undefined ? undefined : plainString(provider.inputs.region);
    if (viaProvider === unknownValue) {
        return { known: false, why: `the region of its provider ${(provider as RecordedResource).name} is unknown at preview` };
    }
    if (viaProvider !== undefined) {
        return { known: true, region: viaProvider, source: RegionSource.Provider };
    }
    if (fromEnv !== undefined) {
        return { known: true, region: fromEnv, source: RegionSource.Environment };
    }
    return { known: false, why: `no region: neither aws:region, its provider's region, nor ${REGION_ENV_VARS.join(" / ")} is set` };
}
