import { MockedResource } from "../helpers/program-mocks";

/**
 * Security group rules as one line each, e.g. `egress jobs -> endpoints tcp/443`, with ids turned into
 * names through `names` (anything unnamed, such as a CIDR, is shown as is).
 */
export function ruleLines(resources: readonly MockedResource[], names: Record<string, string>): string[] {
    const label = (id: string | undefined): string => (id === undefined ? "?" : (names[id] ?? id));
    return resources
        .filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" || r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .map((r) => {
            const egress = r.type.endsWith("EgressRule");
            const peer = r.inputs.referencedSecurityGroupId ?? r.inputs.prefixListId ?? r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6;
            const port = r.inputs.fromPort === r.inputs.toPort ? `${r.inputs.fromPort}` : `${r.inputs.fromPort}-${r.inputs.toPort}`;
            return `${egress ? "egress" : "ingress"} ${label(r.inputs.securityGroupId)} ${egress ? "->" : "<-"} ${label(peer)} ${r.inputs.ipProtocol}/${port}`;
        })
        .sort();
}
