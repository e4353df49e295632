// Where a report points a reviewer: the line of the program that constructed the resource, as the
// SDK sent it with the registration, relative to the source root that code scanning and GitHub
// annotations resolve paths against.
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";
import { RecordedResource } from "../record";

export enum SourceOrigin {
    /** The SDK sent the position of this resource's own constructor call. */
    Resource = "resource",
    /**
     * The resource has no position in the program: the SDK sent none (an older SDK, a call from a
     * frame it cannot parse, such as an anonymous callback), or the call is inside a library in
     * node_modules or outside the source root. Its nearest ancestor's position stands in.
     */
    Ancestor = "ancestor",
    /** Neither the resource nor any ancestor has one (the stack itself): the program's entry file. */
    EntryFile = "entry-file",
}

export interface SourceLocation {
    /** Relative to the source root, with "/" separators. */
    file: string;
    line: number;
    /** Absent for the entry-file fallback, which names no particular column. */
    column?: number;
    origin: SourceOrigin;
    /** The ancestor whose position stands in (origin Ancestor). */
    ancestor?: { urn: string; type: string; name: string };
}

/** `file:line`, the form text, JSON, markdown and editors share. */
export function formatSource(loc: SourceLocation): string {
    return `${loc.file}:${loc.line}`;
}

/** Says where a stand-in position comes from; empty for a resource's own position. */
export function describeOrigin(loc: SourceLocation): string {
    switch (loc.origin) {
        case SourceOrigin.Resource:
            return "";
        case SourceOrigin.Ancestor:
            return `the resource has no position of its own in the program; this is where its ancestor ${loc.ancestor?.type} "${loc.ancestor?.name}" is declared`;
        case SourceOrigin.EntryFile:
            return "no resource position applies; this is the program's entry file";
    }
}

/** The git repository root holding `dir` (a `.git` directory, or a `.git` file in a worktree), else `dir`. */
export function defaultSourceRoot(dir: string): string {
    const start = path.resolve(dir);
    for (let d = start; ; d = path.dirname(d)) {
        if (fs.existsSync(path.join(d, ".git"))) {
            return d;
        }
        if (path.dirname(d) === d) {
            return start;
        }
    }
}

function isInside(root: string, file: string): boolean {
    const rel = path.relative(root, file);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

export class SourceLocator {
    private readonly byUrn: Map<string, RecordedResource>;
    private readonly root: string;

    /**
     * `root`: paths are reported relative to it, and only positions inside it count as the program's.
     * `entryFile` must lie inside it (the CLI checks --sarif-root against the program directory).
     */
    constructor(resources: RecordedResource[], root: string, private readonly entryFile: string) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
        // Resolve symlinks as Node does for the files in the SDK's stack frames (macOS /tmp, for one).
        this.root = fs.realpathSync(root);
        if (!isInside(this.root, fs.realpathSync(entryFile))) {
            throw new Error(`the program's entry file ${entryFile} is outside the source root ${root}`);
        }
    }

    private relative(file: string): string {
        return path.relative(this.root, file).split(path.sep).join("/");
    }

    // A position counts when it names a file of the program: inside the root and not in a library.
    private programFile(r: RecordedResource): string | undefined {
        const pos = r.sourcePosition;
        if (pos === undefined || !pos.uri.startsWith("file:")) {
            return undefined;
        }
        const file = fileURLToPath(pos.uri);
        return isInside(this.root, file) && !file.split(path.sep).includes("node_modules") ? file : undefined;
    }

    /** A file outside the program (a config file) relative to the root, as code scanning resolves it; undefined outside the root. */
    fileInRoot(file: string): string | undefined {
        const real = fs.existsSync(file) ? fs.realpathSync(file) : path.resolve(file);
        return isInside(this.root, real) ? this.relative(real) : undefined;
    }

    locate(urn: string): SourceLocation {
        const own = this.byUrn.get(urn);
        for (let r = own; r !== undefined; r = r.parent === undefined ? undefined : this.byUrn.get(r.parent)) {
            const file = this.programFile(r);
            if (file !== undefined && r.sourcePosition !== undefined) {
                const { line, column } = r.sourcePosition;
                return r === own
                    ? { file: this.relative(file), line, column, origin: SourceOrigin.Resource }
                    : { file: this.relative(file), line, column, origin: SourceOrigin.Ancestor, ancestor: { urn: r.urn, type: r.type, name: r.name } };
            }
        }
        return { file: this.relative(fs.realpathSync(this.entryFile)), line: 1, origin: SourceOrigin.EntryFile };
    }
}
