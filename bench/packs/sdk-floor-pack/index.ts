// The full pack's policies, same names and kinds, whose checks do nothing. Between the empty pack
// and this one lies what @pulumi/policy's server spends on that many policies (arguments built per
// policy, "not applicable" answers, a copy of the stack per stack policy); between this one and the
// full pack lies what the checks themselves cost. Loads the compiled pack, like run-policy-pack.
import { Policy, PolicyPack, ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { validateResourcesOfTypes } from "../../../policy-pack/dist/lib/resources";
import { allPolicies } from "../../../policy-pack/dist/policies";

/** Stands in for the types of a multi-type policy: no resource has it, so every answer is "not applicable". */
const NO_RESOURCE_TYPE = { __pulumiType: "bench:floor:NoResource" };

function idle(p: Policy): Policy {
    const { name, description, enforcementLevel } = p;
    const stackHalf = "validateStack" in p ? { validateStack: () => undefined } : {};
    if (!("validateResource" in p)) {
        const stack: StackValidationPolicy = { name, description, enforcementLevel, validateStack: () => undefined };
        return stack;
    }
    const single = (p as ResourceValidationPolicy).validateResource as { __pulumiType?: string };
    const validateResource =
        typeof single.__pulumiType === "string"
            ? validateResourceOfType({ __pulumiType: single.__pulumiType } as never, () => undefined)
            : validateResourcesOfTypes(validateResourceOfType(NO_RESOURCE_TYPE as never, () => undefined));
    // A policy with both halves (awsx components judged in its stack half) stays both.
    const resource: ResourceValidationPolicy = { name, description, enforcementLevel, validateResource, ...stackHalf };
    return resource;
}

new PolicyPack("sdk-floor-pack", { policies: allPolicies.map(idle) });
