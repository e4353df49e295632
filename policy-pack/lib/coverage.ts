// Catalogue-driven resource policies: a policy that judges one setting on many resource types keeps
// each (type, property) it judges as a row of data. The same rows build the policy's validation,
// render the README's coverage table and are checked against @pulumi/aws's typings by the tests, so
// a shape cannot be judged without being documented, nor documented without existing.

import { ResourceValidation, validateResourceOfType } from "@pulumi/policy";
import { Resource } from "@pulumi/pulumi";

import { ConfigReader } from "./config";
import { CheckContext, checked } from "./policy";
import { Props, asRecord, validateResourcesOfTypes } from "./resources";

/** An @pulumi/aws resource class, as `validateResourceOfType` takes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ResourceClass = { new (...args: any[]): Resource; isInstance(obj: any): boolean };

/** The class's type token (`aws:ebs/volume:Volume`): a static the SDK's typings hide. */
export function typeOf(resource: ResourceClass): string {
    const token = (resource as unknown as { __pulumiType?: unknown }).__pulumiType;
    if (typeof token !== "string") {
        throw new Error(`${resource.name} has no __pulumiType; @pulumi/aws changed how a class names its type`);
    }
    return token;
}

export interface Shape<T extends object> {
    readonly resource: ResourceClass;
    /** The top-level input property, as named in the resource's `...Args` interface. */
    readonly property: string;
    /** Fields under it that the check reads, as named in the provider's input types (`ebs.encrypted`). */
    readonly nested?: readonly string[];
    /** What fails, in words (README). */
    readonly unsafe: string;
    /** What AWS or the provider does when the property is unset, and so what the check assumes. */
    readonly whenUnset: string;
    /** Reports the shape's findings; reads through the props proxy (an unknown defers this shape only). */
    readonly check: (props: Props, ctx: CheckContext<T>) => void;
}

/**
 * One validation for every type of the catalogue; a type's shapes run as independent checks, so an
 * unknown value read by one never hides a definite finding of another.
 */
export function validateShapes<T extends object>(
    policyName: string,
    shapes: readonly Shape<T>[],
    own: (r: ConfigReader) => T,
): ResourceValidation {
    const byType = new Map<string, Shape<T>[]>();
    for (const s of shapes) {
        const type = typeOf(s.resource);
        byType.set(type, [...(byType.get(type) ?? []), s]);
    }
    const validations = [...byType.values()].map((group) =>
        validateResourceOfType(
            group[0].resource,
            checked<unknown, T>(
                policyName,
                (props, ctx) => {
                    const record = asRecord(props) ?? {};
                    for (const shape of group) {
                        ctx.unknowns.check(() => shape.check(record, ctx));
                    }
                },
                own,
            ),
        ),
    );
    return validateResourcesOfTypes(...validations);
}

/** `aws:ebs/volume:Volume` -> `aws.ebs.Volume`, the name a program uses. */
export function programName(type: string): string {
    const [pkg, module, name] = type.split(":");
    return `${pkg}.${module.split("/")[0]}.${name}`;
}

/** The README's coverage table of a catalogue, one row per shape. */
export function coverageTable(shapes: readonly Shape<object>[]): string {
    const rows = shapes.map((s) => {
        const property = [s.property, ...(s.nested ?? [])].join(".");
        return `| \`${programName(typeOf(s.resource))}\` | \`${property}\` | ${s.unsafe} | ${s.whenUnset} |`;
    });
    return ["| resource | property | fails when | when unset |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
