import { attributeToString, findAttribute } from '../attributes.ts'
import type { SpanRecord } from '../span-record.ts'
import { spanName, spanService } from '../trace.ts'
import type { Trace } from '../trace.ts'
import { computeCriticalPath } from './critical-path.ts'
import type { CriticalPath } from './critical-path.ts'
import { computeSelfTimes } from './self-time.ts'

/** What spans are grouped by: service, operation (service + span name), or an attribute's value. */
export type StatisticsGroupBy = 'service' | 'operation' | { readonly attribute: string }

export interface StatisticsGrouping {
  readonly groupBy: StatisticsGroupBy
  /** A second level: each row gets `subRows` grouped by this. */
  readonly thenBy?: StatisticsGroupBy
}

/** Analyses the caller already has (memoized per trace); computed here when absent. */
export interface StatisticsInputs {
  readonly selfTimes?: Float64Array
  readonly criticalPath?: CriticalPath
}

/** The label of the group of spans that lack the attribute being grouped by. */
export const MISSING_GROUP_LABEL = '(none)'

export interface StatisticsRow {
  /** Unique among its siblings; stable for React keys and selection. */
  readonly id: string
  /** What the user sees: the service, the span name, or the attribute's value. */
  readonly key: string
  /** For operation rows: the service the span name belongs to. */
  readonly service?: string
  /** True for the "(none)" group of spans without the attribute. */
  readonly isMissing: boolean
  readonly count: number
  readonly totalNs: number
  readonly avgNs: number
  readonly minNs: number
  readonly maxNs: number
  readonly selfTotalNs: number
  readonly selfAvgNs: number
  /**
   * `selfTotalNs / trace.durationNs` (a fraction, 0 for a zero-length trace). Self times of
   * parallel spans add up, so the rows of a trace with parallel work can sum to more than 1.
   */
  readonly selfShareOfTrace: number
  /** Time these spans spend on the critical path (their own segments). */
  readonly criticalPathNs: number
  /** `criticalPathNs / criticalPath.totalNs`; the rows sum to 1. */
  readonly criticalPathShare: number
  /** The spans of the group, in display order: a click filters the waterfall to them. */
  readonly spanIndexes: Int32Array
  /** Second-level rows when `thenBy` was given, sorted like the first level; empty otherwise. */
  readonly subRows: readonly StatisticsRow[]
}

export interface TraceStatistics {
  /** Longest total duration first, ties by key. */
  readonly rows: readonly StatisticsRow[]
  /** Every span of the trace as one row, for a table footer. */
  readonly total: StatisticsRow
}

interface GroupKey {
  readonly id: string
  readonly key: string
  readonly service?: string
  readonly isMissing: boolean
}

const MISSING_ID = '\u0000none'

function groupKeyOf(trace: Trace, index: number, by: StatisticsGroupBy): GroupKey {
  if (by === 'service') {
    const service = spanService(trace, index)
    return { id: `s\u0000${service}`, key: service, isMissing: false }
  }
  if (by === 'operation') {
    const service = spanService(trace, index)
    const name = spanName(trace, index)
    return { id: `o\u0000${service}\u0000${name}`, key: name, service, isMissing: false }
  }
  // Span attributes first, then resource attributes (OTLP resource, Jaeger process tags).
  const span = trace.spans[index] as SpanRecord
  const value = findAttribute(span.attributes, by.attribute) ?? findAttribute(span.resource, by.attribute)
  if (value === undefined) return { id: MISSING_ID, key: MISSING_GROUP_LABEL, isMissing: true }
  const text = attributeToString(value)
  return { id: `a\u0000${text}`, key: text, isMissing: false }
}

/**
 * Aggregates a trace per group: count, total/avg/min/max duration, self time, critical-path
 * time and the spans of each group. Spans lacking a grouping attribute go to "(none)".
 */
export function computeStatistics(trace: Trace, grouping: StatisticsGrouping, inputs: StatisticsInputs = {}): TraceStatistics {
  const selfTimes = inputs.selfTimes ?? computeSelfTimes(trace)
  const criticalPath = inputs.criticalPath ?? computeCriticalPath(trace)
  const context: RowContext = { trace, selfTimes, criticalPath }
  const all = new Int32Array(trace.spanCount)
  for (let i = 0; i < trace.spanCount; i++) all[i] = i
  return {
    rows: groupRows(context, all, grouping.groupBy, grouping.thenBy),
    total: makeRow(context, { id: '\u0000all', key: 'all spans', isMissing: false }, all, []),
  }
}

interface RowContext {
  readonly trace: Trace
  readonly selfTimes: Float64Array
  readonly criticalPath: CriticalPath
}

function groupRows(context: RowContext, indexes: Int32Array, by: StatisticsGroupBy, thenBy: StatisticsGroupBy | undefined): StatisticsRow[] {
  const groups = new Map<string, { key: GroupKey; members: number[] }>()
  for (let k = 0; k < indexes.length; k++) {
    const index = indexes[k] as number
    const key = groupKeyOf(context.trace, index, by)
    const group = groups.get(key.id)
    if (group) group.members.push(index)
    else groups.set(key.id, { key, members: [index] })
  }
  const rows: StatisticsRow[] = []
  for (const { key, members } of groups.values()) {
    const spanIndexes = Int32Array.from(members)
    const subRows = thenBy === undefined ? [] : groupRows(context, spanIndexes, thenBy, undefined)
    rows.push(makeRow(context, key, spanIndexes, subRows))
  }
  rows.sort((a, b) => b.totalNs - a.totalNs || compareText(a.key, b.key) || compareText(a.service ?? '', b.service ?? ''))
  return rows
}

function makeRow(context: RowContext, key: GroupKey, spanIndexes: Int32Array, subRows: StatisticsRow[]): StatisticsRow {
  const { trace, selfTimes, criticalPath } = context
  let totalNs = 0
  let minNs = Number.POSITIVE_INFINITY
  let maxNs = 0
  let selfTotalNs = 0
  let criticalPathNs = 0
  for (let k = 0; k < spanIndexes.length; k++) {
    const index = spanIndexes[k] as number
    const duration = trace.durationsNs[index] as number
    totalNs += duration
    if (duration < minNs) minNs = duration
    if (duration > maxNs) maxNs = duration
    selfTotalNs += selfTimes[index] as number
    criticalPathNs += criticalPath.criticalNs[index] as number
  }
  const count = spanIndexes.length
  return {
    ...key,
    count,
    totalNs,
    avgNs: count > 0 ? totalNs / count : 0,
    minNs: count > 0 ? minNs : 0,
    maxNs,
    selfTotalNs,
    selfAvgNs: count > 0 ? selfTotalNs / count : 0,
    selfShareOfTrace: trace.durationNs > 0 ? selfTotalNs / trace.durationNs : 0,
    criticalPathNs,
    criticalPathShare: criticalPath.totalNs > 0 ? criticalPathNs / criticalPath.totalNs : 0,
    spanIndexes,
    subRows,
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
