import * as pulumi from "@pulumi/pulumi";

/** A resource as a component registered it under mocks. */
export interface MockedResource {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly inputs: Record<string, any>;
}

/** Outputs the mocks invent for the properties components read back from the resources they create. */
function mockState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    const state: Record<string, unknown> = { ...args.inputs, arn: `arn:aws:mock:::${args.type}/${args.name}` };
    if (args.inputs.name === undefined) {
        state.name = `${args.name}-physical`;
    }
    if (args.type === "aws:ec2/vpcEndpoint:VpcEndpoint") {
        state.prefixListId = `pl-${args.name}`;
    }
    if (args.type === "aws:ec2/vpc:Vpc") {
        state.defaultRouteTableId = `rtb-main-${args.name}`;
    }
    return state;
}

/**
 * Runs `build` (which constructs components) under Pulumi's mocks and resolves with every resource it
 * registered, in registration order, once all registrations have completed.
 */
export async function recordComponents(build: () => void): Promise<MockedResource[]> {
    const resources: MockedResource[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                resources.push({ type: args.type, name: args.name, custom: args.custom ?? true, inputs: args.inputs });
                return { id: `${args.name}-id`, state: mockState(args) };
            },
            call: (args) => {
                throw new Error(`components must not invoke anything under test; got ${args.token}`);
            },
        },
        "trace-network",
        "unit",
        false,
    );
    build();
    await pulumi.runtime.disconnect();
    return resources;
}

export function ofType(resources: readonly MockedResource[], type: string): MockedResource[] {
    return resources.filter((r) => r.type === type);
}

export function countByType(resources: readonly MockedResource[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of resources) {
        counts[r.type] = (counts[r.type] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** The one resource of `type` named `name`; names repeat across types (a role and its policy), never within one. */
export function one(resources: readonly MockedResource[], type: string, name: string): MockedResource {
    const found = resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected exactly one ${type} named ${name}, found ${found.length}`);
    }
    return found[0]!;
}

/** Resolves an Output's value under mocks. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}
