// The awsx components the pack judges, as @pulumi/policy matches any resource class: by its type
// token alone (`__pulumiType`). The pack reads the components' arguments untyped and runs none of
// @pulumi/awsx's code, so installing the pack never brings awsx and its docker providers into a
// team's project. tests/policy-pack/lib/awsx.test.ts checks each token against @pulumi/awsx itself.
import type { ComponentResource } from "@pulumi/pulumi";

/** What `validateResourceOfType` needs of a component class; its arguments arrive as plain data. */
export interface ComponentClass {
    new (name: string, args: Record<string, unknown>): ComponentResource;
    readonly __pulumiType: string;
}

function component(token: string): ComponentClass {
    return { __pulumiType: token } as unknown as ComponentClass;
}

export const awsx = {
    ec2: {
        Vpc: component("awsx:ec2:Vpc"),
    },
    ecs: {
        FargateService: component("awsx:ecs:FargateService"),
        FargateTaskDefinition: component("awsx:ecs:FargateTaskDefinition"),
        EC2Service: component("awsx:ecs:EC2Service"),
        EC2TaskDefinition: component("awsx:ecs:EC2TaskDefinition"),
    },
};
