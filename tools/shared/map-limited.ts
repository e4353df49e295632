// Bounded concurrency for the stages that fan work out: the analyzer's requests to a pack, the
// recorder's processes.

/** `fn` over `items` with at most `limit` calls in flight; the results in the order of `items`. */
export async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
