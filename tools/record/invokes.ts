// Offline answers for the data sources (invokes) almost every AWS program calls, and placeholders for
// lookups no policy judges. Anything else must be answered by the user's --mocks file: guessing a
// shape would silently change what the program builds.
import * as crypto from "crypto";

export const ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "eu-west-1";

export type InvokeArgs = Record<string, unknown>;
export type InvokeResult = Record<string, unknown>;

export interface InvokeContext {
    /** `aws:region` from the stack config, if set. */
    region?: string;
    /** token -> result, from the --mocks file; wins over the built-in answers. */
    answers: Record<string, InvokeResult>;
    /** Told of every lookup answered with a placeholder, so that the report can name it. */
    onPlaceholder?: (answer: PlaceholderAnswer) => void;
}

/** A lookup the run answered with a made-up value instead of the real one. */
export interface PlaceholderAnswer {
    token: string;
    args: InvokeArgs;
    result: InvokeResult;
}

export class UnansweredInvokeError extends Error {
    constructor(readonly token: string, readonly args: InvokeArgs) {
        super(
            `the program called the data source "${token}" with ${JSON.stringify(args)}, which has no offline answer; ` +
            `answer it in a mocks file passed with --mocks <file.json>: {"invokes": {"${token}": { ...result fields... }}}`,
        );
        this.name = "UnansweredInvokeError";
    }
}

type Statement = Record<string, unknown>;

function one<T>(values: T[]): T | T[] {
    return values.length === 1 ? values[0] : values;
}

function strings(v: unknown): string[] {
    return Array.isArray(v) ? v.map(String) : [];
}

// Renders one `statements` entry as IAM JSON, following the aws_iam_policy_document conventions:
// single values collapse to a string, principal blocks of one type merge, "*" principals become "*".
function renderStatement(s: Record<string, unknown>): Statement {
    const out: Statement = {};
    if (typeof s.sid === "string" && s.sid !== "") {
        out.Sid = s.sid;
    }
    out.Effect = typeof s.effect === "string" ? s.effect : "Allow";
    const lists: [string, string][] = [["actions", "Action"], ["notActions", "NotAction"], ["resources", "Resource"], ["notResources", "NotResource"]];
    for (const [input, field] of lists) {
        const values = strings(s[input]);
        if (values.length > 0) {
            out[field] = one(values);
        }
    }
    for (const [input, field] of [["principals", "Principal"], ["notPrincipals", "NotPrincipal"]] as const) {
        const blocks = Array.isArray(s[input]) ? (s[input] as Record<string, unknown>[]) : [];
        if (blocks.length === 0) {
            continue;
        }
        if (blocks.length === 1 && blocks[0].type === "*" && strings(blocks[0].identifiers).every((i) => i === "*")) {
            out[field] = "*";
            continue;
        }
        const byType = new Map<string, string[]>();
        for (const b of blocks) {
            const type = String(b.type);
            byType.set(type, [...(byType.get(type) ?? []), ...strings(b.identifiers)]);
        }
        out[field] = Object.fromEntries([...byType].map(([t, ids]) => [t, one(ids)]));
    }
    const conditions = Array.isArray(s.conditions) ? (s.conditions as Record<string, unknown>[]) : [];
    if (conditions.length > 0) {
        const cond: Record<string, Record<string, string | string[]>> = {};
        for (const c of conditions) {
            const test = String(c.test);
            cond[test] = { ...(cond[test] ?? {}), [String(c.variable)]: one(strings(c.values)) };
        }
        out.Condition = cond;
    }
    return out;
}

function statementsOf(json: string): Statement[] {
    const doc = JSON.parse(json) as { Statement?: Statement | Statement[] };
    const st = doc.Statement ?? [];
    return Array.isArray(st) ? st : [st];
}

// Source documents come first and are overridden by this document's statements with the same Sid;
// override documents replace statements with their Sid or are appended.
function mergeBySid(base: Statement[], overlay: Statement[]): Statement[] {
    const result = [...base];
    for (const s of overlay) {
        const i = s.Sid === undefined ? -1 : result.findIndex((r) => r.Sid === s.Sid);
        if (i >= 0) {
            result[i] = s;
        } else {
            result.push(s);
        }
    }
    return result;
}

export function renderPolicyDocument(args: InvokeArgs): InvokeResult {
    const own = (Array.isArray(args.statements) ? (args.statements as Record<string, unknown>[]) : []).map(renderStatement);
    let statements: Statement[] = [];
    for (const src of strings(args.sourcePolicyDocuments)) {
        statements = mergeBySid(statements, statementsOf(src));
    }
    statements = mergeBySid(statements, own);
    for (const o of strings(args.overridePolicyDocuments)) {
        statements = mergeBySid(statements, statementsOf(o));
    }
    const doc: Record<string, unknown> = { Version: typeof args.version === "string" ? args.version : "2012-10-17" };
    if (typeof args.policyId === "string") {
        doc.Id = args.policyId;
    }
    doc.Statement = statements;
    return {
        ...args,
        id: "policy-document",
        json: JSON.stringify(doc, null, 2),
        minifiedJson: JSON.stringify(doc),
    };
}

// How AWS zone ids abbreviate a region ("us-east-2" -> "use2", "ap-southeast-1" -> "apse1").
const DIRECTIONS: Record<string, string> = {
    east: "e", west: "w", north: "n", south: "s", central: "c", northeast: "ne", northwest: "nw", southeast: "se", southwest: "sw",
};

function availabilityZones(region: string, args: InvokeArgs): InvokeResult {
    const exclude = new Set(strings(args.excludeNames));
    const names = ["a", "b", "c"].map((s) => `${region}${s}`).filter((n) => !exclude.has(n));
    const [area, direction, n] = region.split("-");
    const short = `${area}${DIRECTIONS[direction] ?? direction}${n}`;
    return {
        id: region,
        region,
        names,
        zoneIds: names.map((n) => `${short}-az${"abc".indexOf(n.slice(-1)) + 1}`),
        groupNames: names.map(() => region),
        state: args.state,
    };
}

const PLACEHOLDER = "offline-preview-placeholder";

/** A stable hex digest of `text`, `length` characters long: ids that are the same on every run. */
export function shortHash(text: string, length: number): string {
    return crypto.createHash("sha256").update(text).digest("hex").slice(0, length);
}

function placeholderHash(token: string, args: InvokeArgs): string {
    return shortHash(token + JSON.stringify(args), 16);
}

/**
 * Lookups whose value no policy of the pack judges: an image id, an account alias, a hosted zone, a
 * registry login only flow into properties the policies never read, so a placeholder lets common
 * programs run without a mocks file. A lookup whose value could change a verdict (a VPC and its
 * routes, subnets, security groups, an organization id in a data perimeter) is not here: it still
 * needs --mocks. A mocks file's answer wins over a placeholder.
 */
const PLACEHOLDER_ANSWERS: Record<string, (args: InvokeArgs, region: string) => InvokeResult> = {
    "aws:ec2/getAmi:getAmi": (args, region) => {
        const id = `ami-0${placeholderHash("ami", args)}`;
        const owners = strings(args.owners);
        return {
            id, imageId: id, arn: `arn:aws:ec2:${region}::image/${id}`, name: PLACEHOLDER, architecture: "x86_64",
            ownerId: owners[0] ?? ACCOUNT_ID, rootDeviceName: "/dev/xvda", state: "available", owners, mostRecent: args.mostRecent,
        };
    },
    "aws:iam/getAccountAlias:getAccountAlias": () => ({ id: ACCOUNT_ID, accountAlias: PLACEHOLDER }),
    "aws:route53/getZone:getZone": (args) => {
        const zoneId = `Z0${placeholderHash("zone", args).toUpperCase()}`;
        const name = typeof args.name === "string" ? args.name.replace(/\.$/, "") : `${PLACEHOLDER}.example`;
        return {
            id: zoneId, zoneId, name, arn: `arn:aws:route53:::hostedzone/${zoneId}`, privateZone: args.privateZone ?? false,
            nameServers: [], callerReference: PLACEHOLDER, comment: "", resourceRecordSetCount: 0, tags: args.tags ?? {},
        };
    },
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": (_args, region) => ({
        id: region, userName: "AWS", password: PLACEHOLDER, authorizationToken: Buffer.from(`AWS:${PLACEHOLDER}`).toString("base64"),
        proxyEndpoint: `https://${ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com`, expiresAt: "",
    }),
};

/** The tokens answered with a placeholder when no mocks file answers them. */
export const PLACEHOLDER_TOKENS: readonly string[] = Object.keys(PLACEHOLDER_ANSWERS);

export function answerInvoke(token: string, args: InvokeArgs, ctx: InvokeContext): InvokeResult {
    const custom = ctx.answers[token];
    if (custom !== undefined) {
        return custom;
    }
    const region = ctx.region ?? DEFAULT_REGION;
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/offline-preview`, id: ACCOUNT_ID, userId: "AIDAOFFLINEPREVIEW" };
        case "aws:index/getRegion:getRegion":
            return { id: region, name: region, region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
        case "aws:index/getPartition:getPartition":
            return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return availabilityZones(region, args);
        case "aws:iam/getPolicyDocument:getPolicyDocument":
            return renderPolicyDocument(args);
        default: {
            const placeholder = PLACEHOLDER_ANSWERS[token];
            if (placeholder === undefined) {
                throw new UnansweredInvokeError(token, args);
            }
            const result = placeholder(args, region);
            ctx.onPlaceholder?.({ token, args, result });
            return result;
        }
    }
}
