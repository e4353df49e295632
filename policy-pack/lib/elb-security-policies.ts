// The lowest TLS version each predefined Elastic Load Balancing security policy accepts, for ALB
// HTTPS and NLB TLS listeners. Source: AWS, "Security policies for your Application Load Balancer"
// and "... Network Load Balancer" (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html,
// .../network/describe-ssl-policies.html), the tables of protocols by policy. A name not listed here
// is unknown to the pack and is reported as such, never passed: a team that uses a newer policy adds
// it to tls-in-transit's `acceptedSslPolicies` after checking it in that table.

export enum MinimumTls {
    Tls10 = "TLS 1.0",
    Tls11 = "TLS 1.1",
    Tls12 = "TLS 1.2",
    Tls13 = "TLS 1.3",
}

export const ELB_SECURITY_POLICIES: Readonly<Record<string, MinimumTls>> = {
    "ELBSecurityPolicy-2016-08": MinimumTls.Tls10,
    "ELBSecurityPolicy-2015-05": MinimumTls.Tls10,
    "ELBSecurityPolicy-TLS-1-0-2015-04": MinimumTls.Tls10,
    "ELBSecurityPolicy-FS-2018-06": MinimumTls.Tls10,
    "ELBSecurityPolicy-TLS13-1-0-2021-06": MinimumTls.Tls10,
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04": MinimumTls.Tls10,
    "ELBSecurityPolicy-TLS-1-1-2017-01": MinimumTls.Tls11,
    "ELBSecurityPolicy-FS-1-1-2019-08": MinimumTls.Tls11,
    "ELBSecurityPolicy-TLS13-1-1-2021-06": MinimumTls.Tls11,
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04": MinimumTls.Tls11,
    "ELBSecurityPolicy-TLS-1-2-2017-01": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": MinimumTls.Tls12,
    "ELBSecurityPolicy-FS-1-2-2019-08": MinimumTls.Tls12,
    "ELBSecurityPolicy-FS-1-2-Res-2019-08": MinimumTls.Tls12,
    "ELBSecurityPolicy-FS-1-2-Res-2020-10": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-2021-06": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09": MinimumTls.Tls12,
    "ELBSecurityPolicy-TLS13-1-3-2021-06": MinimumTls.Tls13,
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04": MinimumTls.Tls13,
};

/** What AWS uses for an HTTPS/TLS listener created through the API (and so by Pulumi) without sslPolicy. */
export const ELB_API_DEFAULT_SECURITY_POLICY = "ELBSecurityPolicy-2016-08";

/** The minimum TLS version of a policy name, or undefined when the pack does not know the name. */
export function minimumTlsOf(policy: string): MinimumTls | undefined {
    return Object.prototype.hasOwnProperty.call(ELB_SECURITY_POLICIES, policy) ? ELB_SECURITY_POLICIES[policy] : undefined;
}

export function acceptsBelowTls12(min: MinimumTls): boolean {
    return min === MinimumTls.Tls10 || min === MinimumTls.Tls11;
}
