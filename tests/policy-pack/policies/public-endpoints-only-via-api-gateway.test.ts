import { expect } from "chai";

import { PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY, publicEndpointsOnlyViaApiGateway } from "../../../policy-pack/policies/public-endpoints-only-via-api-gateway";
import { runResourcePolicy } from "../../helpers/policy-harness";
import { catalogueCases } from "../perimeter-policy-tests";
import { U, canNotRun, findings, rejection } from "../support";

const RULE = "only API Gateway may expose an endpoint to the internet";
const PERMISSION = "aws:lambda/permission:Permission";
const EKS = "aws:eks/cluster:Cluster";

describe("public-endpoints-only-via-api-gateway", () => {
    catalogueCases(publicEndpointsOnlyViaApiGateway, RULE);

    it("judges a Lambda permission's source conditions only for the principal *", async () => {
        const service = await runResourcePolicy(publicEndpointsOnlyViaApiGateway, { type: PERMISSION, name: "p", props: { function: "f", principal: "apigateway.amazonaws.com" } });
        const scoped = await runResourcePolicy(publicEndpointsOnlyViaApiGateway, { type: PERMISSION, name: "p", props: { function: "f", principal: "*", sourceArn: U } });
        const principalUnknown = await runResourcePolicy(publicEndpointsOnlyViaApiGateway, { type: PERMISSION, name: "p", props: { function: "f", principal: U } });
        expect(service.diagnostics).to.deep.equal([]);
        expect(scoped.diagnostics).to.deep.equal([]);
        expect(findings(principalUnknown)).to.deep.equal([["advisory", canNotRun(PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY, "string value at .principal")]]);
    });

    it("reports an EKS endpoint made public explicitly, and defers one unknown at preview", async () => {
        const on = await runResourcePolicy(publicEndpointsOnlyViaApiGateway, { type: EKS, name: "k8s", props: { vpcConfig: { subnetIds: [U], endpointPublicAccess: true } } });
        const unknown = await runResourcePolicy(publicEndpointsOnlyViaApiGateway, { type: EKS, name: "k8s", props: { vpcConfig: { subnetIds: [U], endpointPublicAccess: U } } });
        expect(findings(on)).to.deep.equal([
            [
                "mandatory",
                `EKS cluster 'k8s' has vpcConfig.endpointPublicAccess true, so it has a public Kubernetes API endpoint; ${RULE}. Set vpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true }.`,
            ],
        ]);
        expect(findings(unknown)).to.deep.equal([["advisory", canNotRun(PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY, "string value at .vpcConfig.endpointPublicAccess")]]);
    });

    it("leaves API Gateway, load balancers and security groups to their own policies", async () => {
        for (const type of ["aws:apigatewayv2/api:Api", "aws:lb/loadBalancer:LoadBalancer", "aws:ec2/securityGroup:SecurityGroup"]) {
            const res = await runResourcePolicy(publicEndpointsOnlyViaApiGateway, { type, name: "x", props: {} });
            expect(res.diagnostics).to.deep.equal([]);
            expect(res.notApplicable.map((n) => n.policyName)).to.deep.equal([PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY]);
        }
    });

    it("honours exemptions and rejects unknown config keys", async () => {
        const config = { exemptions: [{ resource: "partner-*", reason: "SEC-4: partner SFTP, IP-restricted" }] };
        const exempt = await runResourcePolicy(publicEndpointsOnlyViaApiGateway, { type: "aws:transfer/server:Server", name: "partner-sftp", props: {} }, { config });
        expect(exempt.diagnostics).to.deep.equal([]);
        const bad = await rejection(runResourcePolicy(publicEndpointsOnlyViaApiGateway, { type: EKS, name: "k", props: {} }, { config: { exemptoins: [] } }));
        expect(bad).to.contain("invalid config for policy 'public-endpoints-only-via-api-gateway': exemptoins is not a config key of this policy (did you mean exemptions?)");
    });
});
