// "Did you mean …?" for misspelt policy names and config keys. A dozen lines of edit distance rather
// than a dependency: the pack is installed into every team's project, and the names compared are short.

/** Levenshtein distance: insertions, deletions and substitutions of one character each cost 1. */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

/**
 * The name of `names` nearest to `word` (case-insensitively), if it is near enough to be what was
 * meant: at most a third of the word's characters differ (at least 2 may), so `allowedCidr` finds
 * `allowedCidrs` but an unrelated word finds nothing.
 */
export function nearestName(word: string, names: readonly string[]): string | undefined {
    const limit = Math.max(2, Math.floor(word.length / 3));
    let best: { name: string; distance: number } | undefined;
    for (const name of names) {
        const distance = editDistance(word.toLowerCase(), name.toLowerCase());
        if (distance <= limit && (best === undefined || distance < best.distance)) {
            best = { name, distance };
        }
    }
    return best?.name;
}

/** "did you mean X?" when a name of `names` is near `word`, else `otherwise` (the names to choose from, in words). */
export function suggestion(word: string, names: readonly string[], otherwise: string): string {
    const near = nearestName(word, names);
    return near === undefined ? otherwise : `did you mean ${near}?`;
}

/** "; did you mean X?" when a name is near, else "". */
export function didYouMean(word: string, names: readonly string[]): string {
    const near = nearestName(word, names);
    return near === undefined ? "" : `; did you mean ${near}?`;
}
