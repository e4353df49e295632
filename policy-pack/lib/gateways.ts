// Who is an egress gateway: a resource whose egress-gateway tag holds one of the configured kinds
// (the keys of `egressGatewayPorts`, by default webhook and rpc).

import { SharedConfig } from "./config";
import { Taggable, tagValue } from "./resources";

export enum GatewayStatus {
    /** Not tagged as an egress gateway. */
    NotGateway = "not-gateway",
    /** Tagged with a configured kind. */
    Gateway = "gateway",
    /** Tagged, but with a value that is not a configured kind: treated as not a gateway. */
    UnknownKind = "unknown-kind",
}

export interface GatewayInfo {
    readonly status: GatewayStatus;
    /** The tag value when tagged. */
    readonly kind?: string;
    /** Ports a recognised gateway may reach the internet on. */
    readonly ports: readonly number[];
}

export function gatewayInfo(resource: Taggable, cfg: SharedConfig): GatewayInfo {
    const kind = tagValue(resource, cfg.tagKeys.egressGateway);
    if (kind === undefined || kind === "") {
        return { status: GatewayStatus.NotGateway, ports: [] };
    }
    const ports = Object.prototype.hasOwnProperty.call(cfg.egressGatewayPorts, kind) ? cfg.egressGatewayPorts[kind] : undefined;
    return ports === undefined ? { status: GatewayStatus.UnknownKind, kind, ports: [] } : { status: GatewayStatus.Gateway, kind, ports };
}

/** "tag trace:egress-gateway=webhook|rpc", for rules in messages. */
export function gatewayTagText(cfg: SharedConfig): string {
    return `tag ${cfg.tagKeys.egressGateway}=${Object.keys(cfg.egressGatewayPorts).join("|")}`;
}

/** The gateway kind DESIGN.md routes general outbound calls through, named in fixes when configured. */
const GENERAL_GATEWAY = "webhook";

/**
 * The gateway a fix tells a workload to call the internet through, in the team's kinds: "the webhook
 * gateway" when that kind is configured, else "an egress gateway (bank-sftp or smtp)".
 */
export function gatewayForCalls(cfg: SharedConfig): string {
    const kinds = Object.keys(cfg.egressGatewayPorts).sort();
    if (kinds.includes(GENERAL_GATEWAY)) {
        return `the ${GENERAL_GATEWAY} gateway`;
    }
    return kinds.length === 0 ? "an egress gateway" : `an egress gateway (${kinds.join(" or ")})`;
}
