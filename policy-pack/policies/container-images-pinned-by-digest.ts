// container-images-pinned-by-digest: a tag (`:latest`, `:v3`) is a pointer anyone with push rights
// can move, so the image that runs untrusted jobs or the egress gateways would not be the one that
// was reviewed. Every image must name its content: `<repository>@sha256:<64 hex digits>`.
//
// containerDefinitions is a JSON string: every container of it is checked. An image that is unknown
// at preview (e.g. the output of an image build) defers the verdict for that container only.

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { awsx } from "../lib/awsx";
import { ConfigReader, policyConfigSchema } from "../lib/config";
import { show } from "../lib/messages";
import { CheckContext, checked } from "../lib/policy";
import { asRecord, asString, isRecord, validateResourcesOfTypes } from "../lib/resources";
import { rejectUnknownKeys } from "../lib/strict-config";
import { assertKnown } from "../lib/unknowns";

export const CONTAINER_IMAGES_PINNED_BY_DIGEST = "container-images-pinned-by-digest";

const PINNED = /^[^\s@]+@sha256:[0-9a-f]{64}$/;
const RULE = "container images must be pinned by digest (<repository>@sha256:<64 hex digits>) so what runs is exactly what was reviewed";
const FIX_HINT = "(the digest is printed by docker push, or is the imageUri of an awsx.ecr.Image)";

const schema = policyConfigSchema(["exemptions"]);
type Ctx = CheckContext<object>;

/** What is wrong with an image reference that is not pinned: its tag, or that it has none. */
function describe(image: string): string {
    if (image.includes("@")) {
        return `image ${show(image)}, whose digest is not sha256:<64 hex digits>`;
    }
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    return colon === -1 ? `image ${show(image)}, which has no tag or digest (it means :latest)` : `image ${show(image)}, pinned only by tag ${show(lastSegment.slice(colon))}`;
}

function repositoryOf(image: string): string {
    const at = image.indexOf("@");
    if (at !== -1) {
        return image.slice(0, at);
    }
    const slash = image.lastIndexOf("/");
    const colon = image.lastIndexOf(":");
    return colon > slash ? image.slice(0, colon) : image;
}

function checkImage(image: unknown, label: string, ctx: Ctx): void {
    if (typeof image === "string" && PINNED.test(image)) {
        return;
    }
    if (typeof image !== "string" || image === "") {
        ctx.report({
            finding: `runs ${label} with no image (${image === undefined || image === null ? "unset" : show(image)})`,
            rule: RULE,
            fix: `Give ${label} an image pinned by digest ${FIX_HINT}`,
        });
        return;
    }
    ctx.report({
        finding: `runs ${label} with ${describe(image)}`,
        rule: RULE,
        fix: `Pin it as ${repositoryOf(image)}@sha256:<digest> ${FIX_HINT}`,
    });
}

function label(c: Record<string, unknown>, path: string): string {
    const name = asString(c["name"]);
    return name === undefined ? path : `container '${name}' (${path})`;
}

function checkContainerDefinitionsJson(text: unknown, ctx: Ctx): void {
    if (typeof text !== "string") {
        ctx.report({
            finding: `has containerDefinitions that are ${text === undefined || text === null ? "unset" : `of type ${typeof text}`}, so no image can be verified`,
            rule: RULE,
            fix: "Pass containerDefinitions as a JSON array of container definitions, each image pinned by digest",
        });
        return;
    }
    assertKnown(text, ["containerDefinitions"]);
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        parsed = e as Error;
    }
    if (!Array.isArray(parsed)) {
        ctx.report({
            finding: `has containerDefinitions that are not a JSON array${parsed instanceof Error ? ` (${parsed.message})` : ""}, so no image can be verified`,
            rule: RULE,
            fix: "Pass containerDefinitions as a JSON array of container definitions, each image pinned by digest",
        });
        return;
    }
    parsed.forEach((c: unknown, i: number) => {
        ctx.unknowns.check(() => {
            const path = `containerDefinitions.${i}`;
            assertKnown(c, [path]);
            if (!isRecord(c)) {
                return;
            }
            const image = c["image"];
            assertKnown(image, ["containerDefinitions", String(i), "image"]);
            checkImage(image, label(c, path), ctx);
        });
    });
}

/** awsx task definition inputs: `container` (one) and/or `containers` (name -> definition). */
function checkAwsxContainers(args: Record<string, unknown> | undefined, prefix: string, ctx: Ctx): void {
    if (args === undefined) {
        return;
    }
    ctx.unknowns.check(() => {
        const one = asRecord(args["container"]);
        if (one !== undefined) {
            ctx.unknowns.check(() => checkImage(one["image"], label(one, `${prefix}container`), ctx));
        }
    });
    ctx.unknowns.check(() => {
        const many = asRecord(args["containers"]);
        for (const key of Object.keys(many ?? {})) {
            ctx.unknowns.check(() => {
                const c = asRecord(many?.[key]);
                if (c !== undefined) {
                    checkImage(c["image"], label(c, `${prefix}containers.${key}`), ctx);
                }
            });
        }
    });
}

function readConfig(r: ConfigReader): object {
    rejectUnknownKeys(r, schema);
    return {};
}

const run = <P>(fn: (props: Record<string, unknown>, ctx: Ctx) => void) =>
    checked<P>(CONTAINER_IMAGES_PINNED_BY_DIGEST, (props, ctx) => fn(asRecord(props) ?? {}, ctx), readConfig);

export const containerImagesPinnedByDigest: ResourceValidationPolicy = {
    name: CONTAINER_IMAGES_PINNED_BY_DIGEST,
    description: "Requires every container image (ECS task definitions, awsx task definitions and services, Lambda imageUri) to be pinned by @sha256 digest.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateResource: validateResourcesOfTypes(
        validateResourceOfType(
            aws.ecs.TaskDefinition,
            run((td, ctx) => ctx.unknowns.check(() => checkContainerDefinitionsJson(td["containerDefinitions"], ctx))),
        ),
        validateResourceOfType(awsx.ecs.FargateTaskDefinition, run((td, ctx) => checkAwsxContainers(td, "", ctx))),
        validateResourceOfType(awsx.ecs.EC2TaskDefinition, run((td, ctx) => checkAwsxContainers(td, "", ctx))),
        validateResourceOfType(awsx.ecs.FargateService, run((svc, ctx) => checkAwsxContainers(asRecord(svc["taskDefinitionArgs"]), "taskDefinitionArgs.", ctx))),
        validateResourceOfType(awsx.ecs.EC2Service, run((svc, ctx) => checkAwsxContainers(asRecord(svc["taskDefinitionArgs"]), "taskDefinitionArgs.", ctx))),
        validateResourceOfType(
            aws.lambda.Function,
            run((fn, ctx) => {
                const uri = fn["imageUri"];
                if (uri === undefined || uri === null || uri === "") {
                    return;
                }
                checkImage(uri, "its function image (imageUri)", ctx);
            }),
        ),
    ),
};
