// public-endpoints-only-via-api-gateway: the hardening checklist allows public ingress only through
// API Gateway. Many services open an endpoint to the internet with one argument, several by default
// (an EKS API endpoint, a Transfer server, an App Runner URL), and none of it shows in a security
// group. Which properties: the perimeter catalogue, surveyed from the provider's schema. Load
// balancers stay with `load-balancers-internal-only`, security groups with
// `security-group-no-public-ingress`.

import { ResourceValidationPolicy } from "@pulumi/policy";

import { policyConfigSchema } from "../lib/config";
import { PerimeterPolicy, perimeterResourceValidation } from "../lib/perimeter";
import { PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY } from "../lib/perimeter-catalogue";

export { PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY };

const policy: PerimeterPolicy = {
    name: PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY,
    rule: "only API Gateway may expose an endpoint to the internet",
    schema: policyConfigSchema(["exemptions"]),
};

export const publicEndpointsOnlyViaApiGateway: ResourceValidationPolicy = {
    name: PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY,
    description: "Forbids endpoints reachable from the internet other than API Gateway: function URLs without auth, public EKS API endpoints, OpenSearch outside a VPC, ... (the perimeter catalogue).",
    enforcementLevel: "mandatory",
    configSchema: policy.schema,
    validateResource: perimeterResourceValidation(policy),
};
