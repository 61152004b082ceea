import type { StatisticsGroupBy, StatisticsRow } from '../../model/analyses/statistics.ts'
import type { Trace } from '../../model/trace.ts'

/**
 * The statistics table's pure part: group-by choices, sorting, text filtering, flattening the
 * two levels into display rows, and the per-column scales of the heat colouring. The numbers
 * themselves come from `computeStatistics` (src/model/analyses/statistics.ts).
 */

export const STATISTICS_COLUMNS = ['key', 'count', 'total', 'avg', 'min', 'max', 'self-total', 'self-avg', 'share', 'critical'] as const
export type StatisticsColumn = (typeof STATISTICS_COLUMNS)[number]
export type NumericColumn = Exclude<StatisticsColumn, 'key'>
export const NUMERIC_COLUMNS: readonly NumericColumn[] = ['count', 'total', 'avg', 'min', 'max', 'self-total', 'self-avg', 'share', 'critical']

export type SortDirection = 'asc' | 'desc'
export interface StatisticsSort {
  readonly column: StatisticsColumn
  readonly direction: SortDirection
}

/** The value a numeric column shows for a row. */
export function columnValue(row: StatisticsRow, column: NumericColumn): number {
  switch (column) {
    case 'count':
      return row.count
    case 'total':
      return row.totalNs
    case 'avg':
      return row.avgNs
    case 'min':
      return row.minNs
    case 'max':
      return row.maxNs
    case 'self-total':
      return row.selfTotalNs
    case 'self-avg':
      return row.selfAvgNs
    case 'share':
      return row.selfShareOfTrace
    case 'critical':
      return row.criticalPathNs
  }
}

/** A click on a column header: a new column sorts descending (numbers) or ascending (names); the same column flips. */
export function nextSort(current: StatisticsSort, column: StatisticsColumn): StatisticsSort {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' }
  return { column, direction: column === 'key' ? 'asc' : 'desc' }
}

/** Label text of a row: the key, with the service for operation rows (`checkout · PlaceOrder`). */
export function rowLabel(row: StatisticsRow): string {
  return row.service === undefined ? row.key : `${row.service} · ${row.key}`
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Rows sorted by a column (sub-rows too, by the same column). Ties fall back to the total time,
 * then the label, so the order is stable. "(none)" rows sort by their numbers like any other.
 */
export function sortStatisticsRows(rows: readonly StatisticsRow[], sort: StatisticsSort): StatisticsRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1
  const compare = (a: StatisticsRow, b: StatisticsRow) => {
    const primary =
      sort.column === 'key' ? compareText(rowLabel(a).toLowerCase(), rowLabel(b).toLowerCase()) : columnValue(a, sort.column) - columnValue(b, sort.column)
    return sign * primary || b.totalNs - a.totalNs || compareText(rowLabel(a), rowLabel(b))
  }
  return rows.map((row) => (row.subRows.length > 1 ? { ...row, subRows: [...row.subRows].sort(compare) } : row)).sort(compare)
}

/**
 * Rows whose label contains the text (case-insensitive). A row that does not match is kept when
 * one of its sub-rows does, with only the matching sub-rows; a row that matches keeps them all.
 */
export function filterStatisticsRows(rows: readonly StatisticsRow[], text: string): readonly StatisticsRow[] {
  const needle = text.trim().toLowerCase()
  if (needle === '') return rows
  const matches = (row: StatisticsRow) => rowLabel(row).toLowerCase().includes(needle)
  const out: StatisticsRow[] = []
  for (const row of rows) {
    if (matches(row)) {
      out.push(row)
      continue
    }
    const subRows = row.subRows.filter(matches)
    if (subRows.length > 0) out.push({ ...row, subRows })
  }
  return out
}

export interface StatisticsDisplayRow {
  readonly row: StatisticsRow
  /** 0 for a group, 1 for a sub-group. */
  readonly level: 0 | 1
  /** Unique in the table (sub-row ids are only unique among siblings). */
  readonly id: string
  readonly hasChildren: boolean
  readonly isExpanded: boolean
  /** For a sub-group: its group. */
  readonly parent?: StatisticsRow
}

/** Groups and, under each expanded group, its sub-groups, in order. Groups are expanded unless listed in `collapsed`. */
export function flattenStatisticsRows(rows: readonly StatisticsRow[], collapsed: ReadonlySet<string>): StatisticsDisplayRow[] {
  const out: StatisticsDisplayRow[] = []
  for (const row of rows) {
    const hasChildren = row.subRows.length > 0
    const isExpanded = hasChildren && !collapsed.has(row.id)
    out.push({ row, level: 0, id: row.id, hasChildren, isExpanded })
    if (!isExpanded) continue
    for (const sub of row.subRows) out.push({ row: sub, level: 1, id: `${row.id}\u0001${sub.id}`, hasChildren: false, isExpanded: false, parent: row })
  }
  return out
}

/** Per numeric column, the largest value among the groups and the sub-groups: the top of its heat scale. */
export function columnMaxima(rows: readonly StatisticsRow[]): Record<NumericColumn, number> {
  const maxima = Object.fromEntries(NUMERIC_COLUMNS.map((column) => [column, 0])) as Record<NumericColumn, number>
  const visit = (row: StatisticsRow) => {
    for (const column of NUMERIC_COLUMNS) maxima[column] = Math.max(maxima[column], columnValue(row, column))
  }
  for (const row of rows) {
    visit(row)
    for (const sub of row.subRows) visit(sub)
  }
  return maxima
}

/** Heat of a cell, 0 (none) to 1 (the column's largest value). */
export function heatOf(value: number, max: number): number {
  if (!(max > 0) || !(value > 0)) return 0
  return Math.min(1, value / max)
}

/**
 * The attribute keys of a trace's spans (span attributes and resource attributes), most common
 * first, for the group-by picker. Resource attributes are shared objects, so each distinct
 * resource array is counted per span without re-reading it.
 */
export function listAttributeKeys(trace: Trace): { readonly key: string; readonly spanCount: number }[] {
  const counts = new Map<string, number>()
  const resourceKeys = new Map<readonly unknown[], readonly string[]>()
  const seen = new Set<string>()
  for (const span of trace.spans) {
    seen.clear()
    for (const attribute of span.attributes) seen.add(attribute.key)
    let keys = resourceKeys.get(span.resource)
    if (!keys) {
      keys = span.resource.map((attribute) => attribute.key)
      resourceKeys.set(span.resource, keys)
    }
    for (const key of keys) seen.add(key)
    for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([key, spanCount]) => ({ key, spanCount })).sort((a, b) => b.spanCount - a.spanCount || compareText(a.key, b.key))
}

/** Group-by choices as select values: `service`, `operation`, `attr:<key>`; `none` for no second level. */
export function encodeGroupBy(groupBy: StatisticsGroupBy | undefined): string {
  if (groupBy === undefined) return 'none'
  return typeof groupBy === 'string' ? groupBy : `attr:${groupBy.attribute}`
}

export function decodeGroupBy(value: string): StatisticsGroupBy | undefined {
  if (value === 'service' || value === 'operation') return value
  if (value.startsWith('attr:')) return { attribute: value.slice(5) }
  return undefined
}

/** What a group-by is called in labels: `service`, `operation`, or the attribute key. */
export function groupByName(groupBy: StatisticsGroupBy): string {
  return typeof groupBy === 'string' ? groupBy : groupBy.attribute
}
