import type { DependencyLink } from '../../backends/types.ts'

/** The dependencies page's URL (`?page=dependencies&backend=…&lookback=…&end=…`) and its table. Pure. */

export const DEPENDENCY_LOOKBACKS: readonly { readonly id: string; readonly label: string; readonly ms: number }[] = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { id: '12h', label: 'Last 12 hours', ms: 12 * 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { id: '2d', label: 'Last 2 days', ms: 2 * 24 * 3_600_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
]

export const DEFAULT_DEPENDENCY_LOOKBACK = '24h'

export function dependencyLookbackMs(id: string): number {
  return (
    (DEPENDENCY_LOOKBACKS.find((entry) => entry.id === id) ?? DEPENDENCY_LOOKBACKS.find((entry) => entry.id === DEFAULT_DEPENDENCY_LOOKBACK))?.ms ?? 86_400_000
  )
}

export type DependencySortKey = 'parent' | 'child' | 'calls' | 'errors' | 'rate'

export interface DependencyRow {
  readonly parent: string
  readonly child: string
  readonly callCount: number
  /** Undefined when the backend does not count errors (Jaeger). */
  readonly errorCount?: number
  readonly errorRate?: number
}

/** The links that touch a service whose name contains `filter` (case-insensitive). */
export function filterLinks(links: readonly DependencyLink[], filter: string): readonly DependencyLink[] {
  const needle = filter.trim().toLowerCase()
  if (needle === '') return links
  return links.filter((link) => link.parent.toLowerCase().includes(needle) || link.child.toLowerCase().includes(needle))
}

/** Links merged per (parent, child) — Jaeger may list an edge once per storage bucket — then sorted. */
export function dependencyRows(
  links: readonly DependencyLink[],
  sort: { readonly key: DependencySortKey; readonly isDescending: boolean },
  filter = '',
): DependencyRow[] {
  // Zipkin leaves errorCount out when it is 0; a backend that never sends it (Jaeger) does not count errors.
  const countsErrors = links.some((link) => link.errorCount !== undefined)
  const merged = new Map<string, { parent: string; child: string; callCount: number; errorCount?: number }>()
  for (const link of filterLinks(links, filter)) {
    const key = `${link.parent}\u0000${link.child}`
    const entry = merged.get(key)
    if (entry) {
      entry.callCount += link.callCount
      if (countsErrors) entry.errorCount = (entry.errorCount ?? 0) + (link.errorCount ?? 0)
    } else {
      merged.set(key, { parent: link.parent, child: link.child, callCount: link.callCount, ...(countsErrors ? { errorCount: link.errorCount ?? 0 } : {}) })
    }
  }
  const rows: DependencyRow[] = [...merged.values()].map((row) =>
    row.errorCount === undefined ? row : { ...row, errorRate: row.callCount > 0 ? row.errorCount / row.callCount : 0 },
  )
  const value = (row: DependencyRow): string | number => {
    switch (sort.key) {
      case 'parent':
        return row.parent
      case 'child':
        return row.child
      case 'calls':
        return row.callCount
      case 'errors':
        return row.errorCount ?? -1
      case 'rate':
        return row.errorRate ?? -1
    }
  }
  const sign = sort.isDescending ? -1 : 1
  return rows.sort((a, b) => {
    const va = value(a)
    const vb = value(b)
    if (va !== vb) return (va < vb ? -1 : 1) * sign
    return a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : a.child < b.child ? -1 : a.child > b.child ? 1 : 0
  })
}
