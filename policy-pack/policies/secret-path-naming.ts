// secret-path-naming: secret names are the IAM boundary. Execution roles get GetSecretValue on
// "/{env}/trace/*", org isolation uses "/{env}/{org_slug}/*"; a secret off those shapes is either
// unreachable by the roles that need it or readable by roles that must not see it. The environment
// segment must be this stack's, so a dev role never reads a prod secret. Auto names and namePrefix
// add a random suffix that no IAM path pattern can anticipate.

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { ConfigReader, environmentOf, policyConfigSchema } from "../lib/config";
import { show } from "../lib/messages";
import { checked } from "../lib/policy";
import { asRecord } from "../lib/resources";
import { Presence, presenceOf } from "../lib/unknowns";

export const SECRET_PATH_NAMING = "secret-path-naming";

export const DEFAULT_SECRET_PATH_SHAPES: readonly string[] = ["/{env}/trace/{component}/{secret_name}", "/{env}/{org_slug}/{secret_name}"];

/** A path segment: lower case, digits, '_' and '-', not starting with a separator. */
const SEGMENT = /^[a-z0-9][a-z0-9_-]*$/;
const SEGMENT_IN_WORDS = "each segment lower-case letters, digits, '-' and '_', starting with a letter or digit";
const PLACEHOLDER = /^\{([a-z][a-z0-9_]*)\}$/;
const ENV_PLACEHOLDER = "env";

type ShapeSegment = { literal: string } | { placeholder: string };

export interface PathShape {
    readonly text: string;
    readonly segments: readonly ShapeSegment[];
}

/** Parses "/{env}/trace/{component}/{secret_name}"; returns what is wrong, in words, when it is not a shape. */
export function parseShape(text: string): PathShape | string {
    if (!text.startsWith("/")) {
        return 'does not start with "/"';
    }
    const parts = text.slice(1).split("/");
    const segments: ShapeSegment[] = [];
    for (const part of parts) {
        const m = PLACEHOLDER.exec(part);
        if (m !== null) {
            segments.push({ placeholder: m[1] });
        } else if (SEGMENT.test(part)) {
            segments.push({ literal: part });
        } else {
            return `has segment ${JSON.stringify(part)}, which is neither a {placeholder} nor a name of lower-case letters, digits, '-' and '_'`;
        }
    }
    if (!segments.some((s) => "placeholder" in s && s.placeholder === ENV_PLACEHOLDER)) {
        return "has no {env} segment";
    }
    return { text, segments };
}

/** A name on `shape` for this environment, other placeholders shown as <name>: the example a fix gives. */
export function exampleName(shape: PathShape, env: string): string {
    return "/" + shape.segments.map((s) => ("literal" in s ? s.literal : s.placeholder === ENV_PLACEHOLDER ? env : `<${s.placeholder}>`)).join("/");
}

export enum ShapeMatch {
    Match = "match",
    /** Matches the shape except for the {env} segment. */
    WrongEnv = "wrong-env",
    NoMatch = "no-match",
}

export function matchShape(name: string, shape: PathShape, env: string): { match: ShapeMatch; env?: string } {
    if (!name.startsWith("/")) {
        return { match: ShapeMatch.NoMatch };
    }
    const parts = name.slice(1).split("/");
    if (parts.length !== shape.segments.length) {
        return { match: ShapeMatch.NoMatch };
    }
    let foundEnv: string | undefined;
    for (let i = 0; i < parts.length; i++) {
        const seg = shape.segments[i];
        const part = parts[i];
        if ("literal" in seg) {
            if (part !== seg.literal) {
                return { match: ShapeMatch.NoMatch };
            }
        } else if (!SEGMENT.test(part)) {
            return { match: ShapeMatch.NoMatch };
        } else if (seg.placeholder === ENV_PLACEHOLDER) {
            foundEnv = part;
        }
    }
    return foundEnv === env ? { match: ShapeMatch.Match } : { match: ShapeMatch.WrongEnv, env: foundEnv };
}

interface SecretConfig {
    readonly shapes: readonly PathShape[];
}

function readShapes(r: ConfigReader): SecretConfig {
    const texts = r.stringArray("secretPathShapes", DEFAULT_SECRET_PATH_SHAPES);
    const shapes: PathShape[] = [];
    texts.forEach((t, i) => {
        const s = parseShape(t);
        if (typeof s === "string") {
            r.problems.push(`secretPathShapes[${i}] ${JSON.stringify(t)} ${s}`);
        } else {
            shapes.push(s);
        }
    });
    if (texts.length === 0) {
        r.problems.push("secretPathShapes must list at least one shape, got []");
    }
    return { shapes };
}

export const secretPathNaming: ResourceValidationPolicy = {
    name: SECRET_PATH_NAMING,
    description:
        "Requires Secrets Manager secret names on the path shapes (default /{env}/trace/{component}/{secret_name} or /{env}/{org_slug}/{secret_name}) with this stack's environment; forbids namePrefix and auto-generated names.",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["environments", "environment", "exemptions"], {
        secretPathShapes: {
            type: "array",
            description: "Allowed secret name shapes: '/'-separated literal segments and {placeholders}; {env} is required and must equal the stack's environment.",
            items: { type: "string" },
            minItems: 1,
            default: [...DEFAULT_SECRET_PATH_SHAPES],
        },
    }),
    validateResource: validateResourceOfType(
        aws.secretsmanager.Secret,
        checked(
            SECRET_PATH_NAMING,
            (props, ctx) => {
                const secret = asRecord(props) ?? {};
                const env = environmentOf(ctx.cfg);
                const shapes = ctx.cfg.shapes.map((s) => s.text.replace("{env}", env)).join(" or ");
                const rule = `secret names must follow ${shapes} (${SEGMENT_IN_WORDS}) so IAM path policies scope them`;
                const example = JSON.stringify(exampleName(ctx.cfg.shapes[0], env));
                if (presenceOf(secret, "namePrefix") !== Presence.Absent) {
                    const prefix = presenceOf(secret, "namePrefix") === Presence.Known ? show(secret["namePrefix"]) : "(known after deployment)";
                    ctx.report({
                        finding: `uses namePrefix ${prefix}, so its name gets a random suffix`,
                        rule,
                        fix: "Replace namePrefix with an explicit name on the path shape",
                    });
                }
                const presence = presenceOf(secret, "name");
                if (presence === Presence.Absent) {
                    if (presenceOf(secret, "namePrefix") === Presence.Absent) {
                        ctx.report({
                            finding: "has no name, so Pulumi auto-names it with a random suffix",
                            rule,
                            fix: `Set name explicitly, e.g. ${example}`,
                        });
                    }
                    return;
                }
                const name = secret["name"];
                if (typeof name !== "string") {
                    ctx.report({ finding: `has name ${show(name)}, which is not a string`, rule, fix: "Set name to a path-shaped string" });
                    return;
                }
                const results = ctx.cfg.shapes.map((s) => matchShape(name, s, env));
                if (results.some((r) => r.match === ShapeMatch.Match)) {
                    return;
                }
                const wrongEnv = results.find((r) => r.match === ShapeMatch.WrongEnv);
                if (wrongEnv !== undefined) {
                    ctx.report({
                        finding: `is named ${name}, whose environment segment ${show(wrongEnv.env)} is not this stack's environment ${show(env)}`,
                        rule,
                        fix: `Name it ${name.replace(`/${wrongEnv.env}/`, `/${env}/`)}, or map this stack to its environment with the environments config key`,
                    });
                    return;
                }
                ctx.report({ finding: `is named ${show(name)}`, rule, fix: `Rename it on a path shape, e.g. ${example}` });
            },
            readShapes,
        ),
    ),
};
