import { isRfc1918, parseCidr } from "./cidr";
import { DataLocation } from "./types";

/** Everything wrong with one value, each as the message a user reads; empty when nothing is. */
export type Format<V> = (value: V) => readonly string[];

/** The format of a list item; `earlier` are the items before it, for formats that forbid a repeated part. */
export type ItemFormat = (item: string, earlier: readonly string[]) => readonly string[];

/** What an environment requires of a well-formed value, shown as "must <must> in <environment><hint>". */
export interface Requirement<V> {
    readonly must: string;
    readonly hint?: string;
    readonly holds: (value: V) => boolean;
}

/** Inclusive bounds of an integer. */
export type Range = readonly [min: number, max: number];

function unless(holds: boolean, message: string): readonly string[] {
    return holds ? [] : [message];
}

export function quoted(items: readonly string[]): string {
    return items.map((item) => JSON.stringify(item)).join(", ");
}

export function allOf<V>(...formats: readonly Format<V>[]): Format<V> {
    return (value) => formats.flatMap((format) => format(value));
}

export function oneOf(values: readonly string[]): Format<string> {
    return (value) => unless(values.includes(value), `must be one of ${values.join(", ")}`);
}

export function atLeast(min: number, why: string): Format<number> {
    return (value) => unless(value >= min, `must be at least ${min} (${why})`);
}

export const beTrue: Requirement<boolean> = { must: "be true", holds: (value) => value };

export function beAtLeast(min: number): Requirement<number> {
    return { must: `be at least ${min}`, holds: (value) => value >= min };
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
export const awsRegion: Format<string> = (region) => unless(REGION.test(region), "must be an AWS region name such as eu-west-1");

const ACCOUNT_ID = /^\d{12}$/;
export const awsAccountId: Format<string> = (id) => unless(ACCOUNT_ID.test(id), "must be a 12-digit AWS account id");

const ORG_ID = /^o-[a-z0-9]{10,32}$/;
export const organizationId: Format<string> = (id) =>
    unless(ORG_ID.test(id), "must be an AWS Organizations id: o- followed by 10 to 32 lower-case letters or digits");

/** Why a CIDR block does not parse, with the network address meant when only host bits are set; empty when it parses. */
export const cidrBlock: Format<string> = (text) => {
    const parsed = parseCidr(text);
    if (!("defect" in parsed)) {
        return [];
    }
    return [parsed.networkAddress === undefined ? parsed.defect : `${parsed.defect}; did you mean ${parsed.networkAddress}?`];
};

/** A VPC's primary block: RFC 1918 and a prefix length AWS accepts for a VPC. */
export function privateVpcBlock([min, max]: Range): Format<string> {
    return (text) => {
        const parsed = parseCidr(text);
        if ("defect" in parsed) {
            return cidrBlock(text);
        }
        const { cidr } = parsed;
        return unless(
            isRfc1918(cidr) && cidr.prefixLength >= min && cidr.prefixLength <= max,
            `must be an RFC 1918 IPv4 block (10/8, 172.16/12, 192.168/16) with a prefix length from ${min} to ${max}`,
        );
    };
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const privateDnsName: Format<string> = (domain) => {
    const labels = domain.split(".");
    return unless(
        labels.length >= 2 && labels.every((label) => DNS_LABEL.test(label)),
        "must be a lower-case DNS name of at least two labels, e.g. dev.trace.internal",
    );
};

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const IMAGE_NAME = /^[a-z0-9]+(?:[._\-/][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/;
export const imageReference: Format<string> = (image) => {
    const at = image.indexOf("@");
    const name = at === -1 ? image : image.slice(0, at);
    const digest = at === -1 ? undefined : image.slice(at + 1);
    return unless(
        IMAGE_NAME.test(name) && (digest === undefined || DIGEST.test(digest)),
        "is not an image reference (registry/repository[:tag][@sha256:<64 hex>])",
    );
};

export const bePinnedByDigest: Requirement<string> = {
    must: "be pinned by digest",
    hint: ": append @sha256:<digest>",
    holds: (image) => image.includes("@"),
};

const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
export const rdsInstanceClass: Format<string> = (instanceClass) =>
    unless(INSTANCE_CLASS.test(instanceClass), "must be an RDS instance class such as db.t4g.medium");

const ENGINE_VERSION = /^(\d+)(?:\.\d+)?$/;
export function postgresVersion(minMajor: number): Format<string> {
    return (version) => {
        const major = ENGINE_VERSION.exec(version)?.[1];
        return unless(
            major !== undefined && Number(major) >= minMajor,
            `must be a PostgreSQL version ${minMajor} or later, as major or major.minor`,
        );
    };
}

/** Secret path segments (DESIGN.md "Data and secrets"). */
export const SECRET_SEGMENT = /^[a-z0-9][a-z0-9_-]*$/;

function secretSegment(what: string, segment: string): readonly string[] {
    return unless(SECRET_SEGMENT.test(segment), `${what} ${JSON.stringify(segment)} must be lower-case letters, digits, _ and -, starting with a letter or a digit`);
}

export const secretName: Format<string> = (name) => secretSegment("secret name", name);

export const orgSlug: Format<string> = (slug) => {
    const segment = secretSegment("org slug", slug);
    if (segment.length > 0) {
        return segment;
    }
    return unless(slug !== "trace", "'trace' is the platform's own secret namespace (/{env}/trace/...); pick the organisation's slug");
};

export const platformSecret: Format<string> = (entry) => {
    const parts = entry.split("/");
    if (parts.length !== 2) {
        return ["must be component/secret_name"];
    }
    const [component, name] = parts as [string, string];
    return [...secretSegment("component", component), ...secretSegment("secret name", name)];
};

/** `bucket/prefix`, the prefix without trailing slashes. */
export function splitDataLocation(location: string): DataLocation {
    const slash = location.indexOf("/");
    const bucket = slash === -1 ? location : location.slice(0, slash);
    const prefix = slash === -1 ? "" : location.slice(slash + 1).replace(/\/+$/, "");
    return { bucket, prefix };
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const dataLocation: Format<string> = (location) => {
    const { bucket, prefix } = splitDataLocation(location);
    return unless(
        BUCKET.test(bucket) && prefix !== "" && !prefix.includes("*"),
        "must be bucket/prefix with a valid bucket name and a non-empty prefix without wildcards",
    );
};

const QUEUE = /^[A-Za-z0-9_-]{1,75}(?:\.fifo)?$/;
export const sqsQueueName: Format<string> = (queue) =>
    unless(QUEUE.test(queue), "is not an SQS queue name: letters, digits, _ and -, at most 80 characters (the .fifo suffix included)");

/** Deliberately loose (SNS confirms every address by mail): one @, no spaces, a dotted domain. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const emailAddress: Format<string> = (email) => unless(EMAIL.test(email), "is not an email address");

export const httpsUrl: Format<string> = (text) => {
    let url: URL | undefined;
    try {
        url = new URL(text);
    } catch {
        url = undefined;
    }
    return unless(url?.protocol === "https:" && url.hostname !== "", "must be an https:// URL (SNS delivers alarms over TLS only here)");
};

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const cloudWatchRetention: Format<number> = (days) =>
    unless(CLOUDWATCH_RETENTION_DAYS.includes(days), `is not a CloudWatch retention value; use one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`);

/** `key=value` with AWS's tag lengths, or undefined. */
export function splitTag(entry: string): { readonly key: string; readonly value: string } | undefined {
    const eq = entry.indexOf("=");
    const key = entry.slice(0, Math.max(eq, 0));
    const value = entry.slice(eq + 1);
    return eq === -1 || key === "" || key.length > 128 || value.length > 256 ? undefined : { key, value };
}

export function tag(reservedPrefixes: readonly string[]): ItemFormat {
    return (entry, earlier) => {
        const parsed = splitTag(entry);
        if (parsed === undefined) {
            return ["must be key=value with a key of 1 to 128 and a value of at most 256 characters"];
        }
        const key = JSON.stringify(parsed.key);
        if (reservedPrefixes.some((prefix) => parsed.key.toLowerCase().startsWith(prefix))) {
            return [`tag key ${key} is reserved (${reservedPrefixes.join(", ")} prefixes are set by AWS and by this program)`];
        }
        return unless(!earlier.some((other) => splitTag(other)?.key === parsed.key), `tag key ${key} is given more than once`);
    };
}

export function endpointServices(known: ReadonlySet<string>, required: readonly string[]): Format<readonly string[]> {
    return (services) => {
        const unknown = services.filter((service) => !known.has(service));
        const missing = required.filter((service) => !services.includes(service));
        return [
            ...unless(unknown.length === 0, `unknown endpoint service(s) ${quoted(unknown)}; known: ${[...known].join(", ")}`),
            ...unless(missing.length === 0, `must include the required endpoint(s) ${missing.join(", ")}`),
        ];
    };
}
