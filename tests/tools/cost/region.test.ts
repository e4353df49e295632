// The region each AWS resource is priced in, decided as the AWS provider decides it: the resource's own
// region input, its provider's region (explicit or the default provider's aws:region), then
// AWS_REGION before AWS_DEFAULT_REGION.
import { expect } from "chai";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { RecordedResource } from "../../../tools/record/protocol";
import { AWS_PROVIDER_TYPE, RegionSource, regionsOf } from "../../../tools/cost/region";

const STACK = "urn:pulumi:test::cost::pulumi:pulumi:Stack::cost-test";

function res(type: string, name: string, inputs: Record<string, unknown>, provider?: RecordedResource): RecordedResource {
    const urn = `urn:pulumi:test::cost::${type}::${name}`;
    return {
        urn, type, name, custom: true, ...(type === AWS_PROVIDER_TYPE ? {} : { parent: STACK }),
        ...(provider !== undefined ? { provider: `${provider.urn}::${unknownValue}` } : {}),
        dependencies: [], propertyDependencies: {}, inputs, outputs: inputs,
        options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 } },
    };
}

const NAT = "aws:ec2/natGateway:NatGateway";

describe("cost: the region of each resource", () => {
    const defaultWithRegion = res(AWS_PROVIDER_TYPE, "default", { region: "us-west-2" });
    const defaultWithout = res(AWS_PROVIDER_TYPE, "default_7_48_0", {});
    const explicit = res(AWS_PROVIDER_TYPE, "oregon", { region: "us-west-2", version: "7.48.0" });
    const unknownRegion = res(AWS_PROVIDER_TYPE, "computed", { region: unknownValue });

    it("takes the provider's region: the default provider's aws:region or an explicit aws.Provider's", () => {
        const viaDefault = res(NAT, "a", {}, defaultWithRegion);
        const viaExplicit = res(NAT, "b", {}, explicit);
        const regions = regionsOf([defaultWithRegion, explicit, viaDefault, viaExplicit], { AWS_REGION: "eu-west-1" });
        expect(regions.get(viaDefault.urn)).to.deep.equal({ known: true, region: "us-west-2", source: RegionSource.Provider });
        expect(regions.get(viaExplicit.urn)).to.deep.equal({ known: true, region: "us-west-2", source: RegionSource.Provider });
    });

    it("prefers the resource's own region input (provider 7.x) over its provider's", () => {
        const own = res(NAT, "own", { region: "eu-west-1" }, explicit);
        expect(regionsOf([explicit, own], {}).get(own.urn)).to.deep.equal({ known: true, region: "eu-west-1", source: RegionSource.Resource });
    });

    it("falls back on AWS_REGION, then AWS_DEFAULT_REGION, when the provider has no region", () => {
        const nat = res(NAT, "nat", {}, defaultWithout);
        const of = (env: NodeJS.ProcessEnv): unknown => regionsOf([defaultWithout, nat], env).get(nat.urn);
        expect(of({ AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "eu-west-1" })).to.deep.equal({ known: true, region: "us-west-2", source: RegionSource.Environment });
        expect(of({ AWS_DEFAULT_REGION: "eu-west-1" })).to.deep.equal({ known: true, region: "eu-west-1", source: RegionSource.Environment });
        // An empty variable is not set, as @pulumi/aws's getEnv reads it.
        expect(of({ AWS_REGION: "", AWS_DEFAULT_REGION: "eu-west-1" })).to.deep.equal({ known: true, region: "eu-west-1", source: RegionSource.Environment });
        expect(of({})).to.deep.equal({ known: false, why: "no region: neither aws:region, its provider's region, nor AWS_REGION / AWS_DEFAULT_REGION is set" });
    });

    it("keeps a region unknown at preview unknown, and leaves other packages' resources out", () => {
        const nat = res(NAT, "nat", {}, unknownRegion);
        const own = res(NAT, "own", { region: unknownValue }, explicit);
        const random = res("random:index/randomId:RandomId", "id", {});
        const regions = regionsOf([unknownRegion, explicit, nat, own, random], { AWS_REGION: "us-west-2" });
        expect(regions.get(nat.urn)).to.deep.equal({ known: false, why: "the region of its provider computed is unknown at preview" });
        expect(regions.get(own.urn)).to.deep.equal({ known: false, why: "its region input is unknown at preview" });
        expect(regions.has(random.urn)).to.equal(false);
    });
});
