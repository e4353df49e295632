// What some AWS managed policies grant, so a policy attached by ARN can be judged by its document like
// any in-stack policy. Copied from the AWS Managed Policy Reference
// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html), default version as
// noted; only the statements' Effect/Action/NotAction matter to the pack, so Resource is kept as given.
// A managed policy not listed here is unknown: the policies that use this table say so (advisory),
// they never pass it as safe.

export interface ManagedPolicy {
    /** The page the document was copied from, and its default version at the time. */
    readonly source: string;
    readonly version: string;
    readonly document: { readonly Version: string; readonly Statement: readonly Record<string, unknown>[] };
}

const REFERENCE = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference";

export const AWS_MANAGED_POLICIES: Readonly<Record<string, ManagedPolicy>> = {
    AdministratorAccess: {
        source: `${REFERENCE}/AdministratorAccess.html`,
        version: "v1",
        document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
    },
    PowerUserAccess: {
        source: `${REFERENCE}/PowerUserAccess.html`,
        version: "v12",
        document: {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
                {
                    Effect: "Allow",
                    Action: [
                        "account:GetAccountInformation",
                        "account:GetGovCloudAccountInformation",
                        "account:GetPrimaryEmail",
                        "account:ListRegions",
                        "iam:CreateServiceLinkedRole",
                        "iam:DeleteServiceLinkedRole",
                        "iam:ListRoles",
                        "organizations:DescribeEffectivePolicy",
                        "organizations:DescribeOrganization",
                    ],
                    Resource: "*",
                },
            ],
        },
    },
    AWSLambdaBasicExecutionRole: {
        source: `${REFERENCE}/AWSLambdaBasicExecutionRole.html`,
        version: "v1",
        document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" }] },
    },
    AWSLambdaVPCAccessExecutionRole: {
        source: `${REFERENCE}/AWSLambdaVPCAccessExecutionRole.html`,
        version: "v3",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: [
                        "logs:CreateLogGroup",
                        "logs:CreateLogStream",
                        "logs:PutLogEvents",
                        "ec2:CreateNetworkInterface",
                        "ec2:DescribeNetworkInterfaces",
                        "ec2:DescribeSubnets",
                        "ec2:DeleteNetworkInterface",
                        "ec2:AssignPrivateIpAddresses",
                        "ec2:UnassignPrivateIpAddresses",
                    ],
                    Resource: "*",
                },
            ],
        },
    },
    AmazonECSTaskExecutionRolePolicy: {
        source: `${REFERENCE}/AmazonECSTaskExecutionRolePolicy.html`,
        version: "v1",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: "*",
                },
            ],
        },
    },
};
