"use strict";
// CIDR arithmetic on ipaddr.js: is a destination range entirely inside the allowlist?
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.CidrVerdict = void 0;
exports.parseCidr = parseCidr;
exports.cidrContains = cidrContains;
exports.classifyCidr = classifyCidr;
exports.parseAllowlist = parseAllowlist;
const ipaddr = __importStar(require("ipaddr.js"));
/** Parses "a.b.c.d/n" or an IPv6 CIDR; undefined when the text is not a CIDR. */
function parseCidr(text) {
    if (!ipaddr.isValidCIDR(text)) {
        return undefined;
    }
    const [address, prefix] = ipaddr.parseCIDR(text);
    return { text, family: address.kind(), address, prefix };
}
/**
 * True when every address of `inner` lies inside `outer`: same family, at least as long a prefix,
 * and the inner network address matches the outer network.
 */
function cidrContains(outer, inner) {
    if (outer.family !== inner.family || inner.prefix < outer.prefix) {
        return false;
    }
    return inner.address.match([outer.address, outer.prefix]);
}
var CidrVerdict;
(function (CidrVerdict) {
    /** Entirely inside one allowed range. */
    CidrVerdict["Inside"] = "inside";
    /** Reaches at least one address outside every allowed range. */
    CidrVerdict["Outside"] = "outside";
    /** Not a CIDR at all, so it cannot be proven to stay inside. */
    CidrVerdict["Invalid"] = "invalid";
})(CidrVerdict || (exports.CidrVerdict = CidrVerdict = {}));
/** Classifies one destination CIDR against the (already parsed) allowlist. */
function classifyCidr(text, allowed) {
    const parsed = parseCidr(text);
    if (parsed === undefined) {
        return CidrVerdict.Invalid;
    }
    return allowed.some((a) => cidrContains(a, parsed)) ? CidrVerdict.Inside : CidrVerdict.Outside;
}
/** Parses the configured allowlist; returns the texts that are not CIDRs as problems. */
function parseAllowlist(texts) {
    const cidrs = [];
    const invalid = [];
    for (const t of texts) {
        const p = parseCidr(t);
        if (p === undefined) {
            invalid.push(t);
        }
        else {
            cidrs.push(p);
        }
    }
    return { cidrs, invalid };
}
