import { StatusCode } from './span-record.ts'
import type { SpanRecord, TraceWarning, WarningKind } from './span-record.ts'
import { SpanFlag } from './trace.ts'
import type { Trace } from './trace.ts'

/** How many span ids a warning message quotes before saying "and N more". */
const QUOTED_IDS = 3

/**
 * Collects warnings per kind so that a 100,000-span trace with 50,000 orphans yields one
 * readable warning listing 50,000 ids rather than 50,000 warnings.
 */
class WarningCollector {
  private readonly byKind = new Map<WarningKind, { spanIds: string[]; details: string[] }>()

  add(kind: WarningKind, spanIds: readonly string[], detail?: string): void {
    let entry = this.byKind.get(kind)
    if (!entry) {
      entry = { spanIds: [], details: [] }
      this.byKind.set(kind, entry)
    }
    for (const id of spanIds) entry.spanIds.push(id)
    if (detail !== undefined && entry.details.length < QUOTED_IDS) entry.details.push(detail)
  }

  /** In a fixed order of kinds, so that the same trace gives the same list whatever the input order. */
  toWarnings(): TraceWarning[] {
    const warnings: TraceWarning[] = []
    const kinds = [...this.byKind.keys()].sort((a, b) => WARNING_ORDER.indexOf(a) - WARNING_ORDER.indexOf(b))
    for (const kind of kinds) {
      const { spanIds, details } = this.byKind.get(kind) as { spanIds: string[]; details: string[] }
      const count = new Set(spanIds).size
      const more = count > details.length && details.length > 0 ? `; and ${count - details.length} more` : ''
      const examples = details.length > 0 ? ` (${details.join('; ')}${more})` : ''
      warnings.push({ kind, message: `${WARNING_TEXT[kind](count)}${examples}`, spanIds })
    }
    return warnings
  }
}

const WARNING_ORDER: readonly WarningKind[] = [
  'source-warning', 'invalid-span', 'skipped-document', 'duplicate-span-removed', 'duplicate-span-id', 'orphan', 'cycle',
  'missing-start', 'missing-duration', 'negative-duration', 'child-outside-parent', 'clock-skew', 'duplicate-attribute',
  'attribute-truncated',
]

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** Singular or plural verb: "1 span refers", "2 spans refer". */
const verb = (n: number, one: string, many: string) => (n === 1 ? one : many)

const WARNING_TEXT: Record<WarningKind, (n: number) => string> = {
  orphan: (n) => `${plural(n, 'span')} ${verb(n, 'refers', 'refer')} to a parent that is not in the trace; shown as ${verb(n, 'an extra root', 'extra roots')}`,
  cycle: (n) => `${plural(n, 'parent link')} formed a cycle and ${verb(n, 'was', 'were')} cut; the span is shown as a root`,
  'duplicate-span-id': (n) => `${plural(n, 'span')} ${verb(n, 'shares', 'share')} a span id with another, different span; children attach to the first`,
  'duplicate-span-removed': (n) => `${plural(n, 'exact duplicate span')} (same id, kind, name, start and duration) removed`,
  'child-outside-parent': (n) => `${plural(n, 'span')} ${verb(n, 'starts', 'start')} before or ${verb(n, 'ends', 'end')} after ${verb(n, 'its', 'their')} parent`,
  'clock-skew': (n) => `${plural(n, 'span')} ${verb(n, 'looks', 'look')} shifted by clock skew`,
  'negative-duration': (n) => `${plural(n, 'span')} ${verb(n, 'ends', 'end')} before ${verb(n, 'it starts', 'they start')}; drawn with zero duration`,
  'missing-duration': (n) => `${plural(n, 'span')} ${verb(n, 'has', 'have')} no duration; drawn with zero duration`,
  'missing-start': (n) => `${plural(n, 'span')} ${verb(n, 'has', 'have')} no start time; placed at ${verb(n, 'its', 'their')} parent's start`,
  'attribute-truncated': (n) => `${plural(n, 'attribute')} truncated`,
  'duplicate-attribute': (n) => `${plural(n, 'span')} ${verb(n, 'repeats', 'repeat')} an attribute key; the last value is kept`,
  'skipped-document': (n) => `${plural(n, 'document')} in the input ${verb(n, 'holds', 'hold')} no trace data and ${verb(n, 'was', 'were')} skipped`,
  'invalid-span': (n) => `${plural(n, 'span')} could not be read`,
  'source-warning': (n) => `${plural(n, 'span')} ${verb(n, 'carries', 'carry')} warnings from ${verb(n, 'its', 'their')} source`,
}

/** The same span delivered twice (formats.md §8.1): same id, kind, name, parent, start and duration. */
function isSameSpan(a: SpanRecord, b: SpanRecord): boolean {
  return (
    a.spanId === b.spanId && a.kind === b.kind && a.startTimeNs === b.startTimeNs && a.durationNs === b.durationNs &&
    a.name === b.name && a.parentSpanId === b.parentSpanId
  )
}

function richness(span: SpanRecord): number {
  return span.attributes.length + span.events.length + span.links.length + span.resource.length
}

class StringTable {
  readonly values: string[] = []
  private readonly indexOf = new Map<string, number>()
  intern(value: string): number {
    let index = this.indexOf.get(value)
    if (index === undefined) {
      index = this.values.length
      this.values.push(value)
      this.indexOf.set(value, index)
    }
    return index
  }
}

/**
 * Builds one trace from the records of one trace id. Iterative throughout: a 100,000-deep
 * chain must not overflow the stack.
 *
 * 1. exact duplicates removed; other repeated span ids warned about (first one wins as parent);
 * 2. parents linked by span id; a missing parent makes an orphan root;
 * 3. spans not reachable from any root sit on or under a cycle: the cycle is cut at the span
 *    where the walk up closes it, which becomes a root;
 * 4. depth-first order, children by start time, then input order;
 * 5. times as offsets from the earliest start; missing or negative times warned and clamped.
 */
export function buildTrace(traceId: string, records: readonly SpanRecord[]): Trace {
  const warnings = new WarningCollector()

  // 1. Index by span id. A repeated id is either an exact duplicate (removed, keeping the richer
  // copy in the place of the first) or a different span reusing the id (kept, warned).
  const indexById = new Map<string, number>()
  const input: SpanRecord[] = []
  const removedIds: string[] = []
  const reusedIdIndexes: number[] = []
  let sameIdIndexes: Map<string, number[]> | undefined
  for (const span of records) {
    const first = indexById.get(span.spanId)
    if (first === undefined) {
      indexById.set(span.spanId, input.length)
      input.push(span)
      continue
    }
    const candidates = sameIdIndexes?.get(span.spanId) ?? [first]
    const same = candidates.find((i) => isSameSpan(input[i] as SpanRecord, span))
    if (same !== undefined) {
      removedIds.push(span.spanId)
      if (richness(span) > richness(input[same] as SpanRecord)) input[same] = span
      continue
    }
    sameIdIndexes ??= new Map()
    sameIdIndexes.set(span.spanId, [...candidates, input.length])
    reusedIdIndexes.push(input.length)
    warnings.add('duplicate-span-id', [span.spanId], `span ${span.spanId}: "${(input[first] as SpanRecord).name}" and "${span.name}"`)
    input.push(span)
  }
  if (removedIds.length > 0) warnings.add('duplicate-span-removed', removedIds, `span ${removedIds[0]}`)
  const n = input.length
  const inputFlags = new Uint8Array(n)
  for (const i of reusedIdIndexes) inputFlags[i]! |= SpanFlag.DuplicateId
  const parentOf = new Int32Array(n)
  let minStart: bigint | undefined
  for (let i = 0; i < n; i++) {
    const span = input[i] as SpanRecord
    const start = span.startTimeNs
    if (start !== undefined && (minStart === undefined || start < minStart)) minStart = start
    if (span.warnings && span.warnings.length > 0) {
      inputFlags[i]! |= SpanFlag.HasWarning
      warnings.add('source-warning', [span.spanId], `span ${span.spanId}: ${span.warnings.join(', ')}`)
    }
    if (span.parentSpanId === undefined) {
      parentOf[i] = -1
      continue
    }
    const parent = indexById.get(span.parentSpanId)
    if (parent === undefined) {
      parentOf[i] = -1
      inputFlags[i]! |= SpanFlag.Orphan
      warnings.add('orphan', [span.spanId], `span ${span.spanId}'s parent ${span.parentSpanId}`)
    } else if (parent === i) {
      parentOf[i] = -1
      inputFlags[i]! |= SpanFlag.CycleBroken
      warnings.add('cycle', [span.spanId], `span ${span.spanId} is its own parent`)
    } else {
      parentOf[i] = parent
    }
  }

  // Relative start keys for ordering (missing starts sort after their siblings).
  const traceStart = minStart ?? 0n
  const startKey = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const start = (input[i] as SpanRecord).startTimeNs
    startKey[i] = start === undefined ? Number.POSITIVE_INFINITY : Number(start - traceStart)
  }

  // Children lists in compressed form (CSR), each sorted by start then input order.
  const childCount = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) childCount[(parentOf[i] as number) + 1]!++
  const childStart = new Int32Array(n + 2)
  for (let p = 0; p <= n; p++) childStart[p + 1] = (childStart[p] as number) + (childCount[p] as number)
  const fill = childStart.slice(0, n + 1)
  const children = new Int32Array(n)
  for (let i = 0; i < n; i++) children[fill[(parentOf[i] as number) + 1]!++] = i
  const byStart = (a: number, b: number) => (startKey[a] as number) - (startKey[b] as number) || a - b
  for (let p = 0; p <= n; p++) {
    const from = childStart[p] as number
    const to = childStart[p + 1] as number
    if (to - from > 1) children.subarray(from, to).sort(byStart)
  }

  // 3–4. Depth-first order from the roots, then from cycle cuts.
  const order = new Int32Array(n)
  let ordered = 0
  const visited = new Uint8Array(n)
  const stack: number[] = []
  const visitFrom = (root: number) => {
    stack.push(root)
    while (stack.length > 0) {
      const i = stack.pop() as number
      visited[i] = 1
      order[ordered++] = i
      const from = childStart[i + 1] as number
      for (let c = (childStart[i + 2] as number) - 1; c >= from; c--) {
        const child = children[c] as number
        // A link cut to break a cycle is still in the child lists: skip it.
        if (parentOf[child] === i) stack.push(child)
      }
    }
  }
  for (let c = childStart[0] as number; c < (childStart[1] as number); c++) visitFrom(children[c] as number)
  if (ordered < n) {
    const walkMark = new Int32Array(n).fill(-1)
    for (let start = 0; start < n; start++) {
      if (visited[start]) continue
      // Walk up until the walk meets itself: that span closes the cycle.
      let cursor = start
      while (walkMark[cursor] !== start) {
        walkMark[cursor] = start
        cursor = parentOf[cursor] as number
      }
      const cut = cursor
      const oldParent = parentOf[cut] as number
      parentOf[cut] = -1
      inputFlags[cut]! |= SpanFlag.CycleBroken
      const span = input[cut] as SpanRecord
      warnings.add('cycle', [span.spanId], `span ${span.spanId} → parent ${(input[oldParent] as SpanRecord).spanId}`)
      visitFrom(cut)
    }
  }

  // 5. Columns in depth-first order.
  const newIndex = new Int32Array(n)
  for (let k = 0; k < n; k++) newIndex[order[k] as number] = k
  const services = new StringTable()
  const names = new StringTable()
  const startOffsetNs = new Float64Array(n)
  const durationsNs = new Float64Array(n)
  const parentIndex = new Int32Array(n)
  const depth = new Int32Array(n)
  const subtreeEnd = new Int32Array(n)
  const serviceIndex = new Int32Array(n)
  const nameIndex = new Int32Array(n)
  const kind = new Uint8Array(n)
  const status = new Uint8Array(n)
  const flags = new Uint8Array(n)
  const spans: SpanRecord[] = new Array(n)
  let maxDepth = 0
  let errorCount = 0
  let endNs = 0
  for (let k = 0; k < n; k++) {
    const old = order[k] as number
    const span = input[old] as SpanRecord
    const parentOld = parentOf[old] as number
    const parent = parentOld < 0 ? -1 : (newIndex[parentOld] as number)
    let flag = inputFlags[old] as number
    spans[k] = span
    parentIndex[k] = parent
    depth[k] = parent < 0 ? 0 : (depth[parent] as number) + 1
    if ((depth[k] as number) > maxDepth) maxDepth = depth[k] as number
    subtreeEnd[k] = k + 1
    serviceIndex[k] = services.intern(span.service)
    nameIndex[k] = names.intern(span.name)
    kind[k] = span.kind
    status[k] = span.statusCode
    if (span.statusCode === StatusCode.Error) errorCount++

    if (span.startTimeNs === undefined) {
      flag |= SpanFlag.MissingStart
      warnings.add('missing-start', [span.spanId], `span ${span.spanId}`)
      startOffsetNs[k] = parent < 0 ? 0 : (startOffsetNs[parent] as number)
    } else {
      startOffsetNs[k] = startKey[old] as number
    }
    const duration = span.durationNs
    if (duration === undefined || !Number.isFinite(duration)) {
      flag |= SpanFlag.MissingDuration
      warnings.add('missing-duration', [span.spanId], `span ${span.spanId}`)
      durationsNs[k] = 0
    } else if (duration < 0) {
      flag |= SpanFlag.NegativeDuration
      warnings.add('negative-duration', [span.spanId], `span ${span.spanId}: ${duration} ns`)
      durationsNs[k] = 0
    } else {
      durationsNs[k] = duration
    }
    const spanEnd = (startOffsetNs[k] as number) + (durationsNs[k] as number)
    if (spanEnd > endNs) endNs = spanEnd
    if (parent >= 0 && span.startTimeNs !== undefined && (spans[parent] as SpanRecord).startTimeNs !== undefined) {
      const parentEnd = (startOffsetNs[parent] as number) + (durationsNs[parent] as number)
      const isParentTimed = ((flags[parent] as number) & SpanFlag.MissingDuration) === 0
      if ((startOffsetNs[k] as number) < (startOffsetNs[parent] as number) || (isParentTimed && spanEnd > parentEnd)) {
        flag |= SpanFlag.OutsideParent
        warnings.add('child-outside-parent', [span.spanId], `span ${span.spanId} in ${(spans[parent] as SpanRecord).spanId}`)
      }
    }
    if (flag & ~SpanFlag.HasWarning) flag |= SpanFlag.HasWarning
    flags[k] = flag
  }
  for (let k = n - 1; k >= 0; k--) {
    const parent = parentIndex[k] as number
    if (parent >= 0 && (subtreeEnd[k] as number) > (subtreeEnd[parent] as number)) subtreeEnd[parent] = subtreeEnd[k] as number
  }

  return {
    traceId,
    startTimeNs: traceStart,
    durationNs: endNs,
    spanCount: n,
    inputSpanCount: records.length,
    maxDepth,
    errorCount,
    startOffsetNs,
    durationsNs,
    parentIndex,
    depth,
    subtreeEnd,
    serviceIndex,
    nameIndex,
    kind,
    status,
    flags,
    services: services.values,
    names: names.values,
    spans,
    warnings: warnings.toWarnings(),
  }
}

/** Groups records by trace id and builds every trace, earliest first. */
export function buildTraces(records: readonly SpanRecord[]): Trace[] {
  const set = new TraceSet()
  set.add(records)
  return set.buildAll()
}

/**
 * The traces loaded so far. Fragments of one trace arriving from several files or batches are
 * merged by trace id; `buildTrace` removes exact duplicates between them.
 */
export class TraceSet {
  private readonly recordsByTrace = new Map<string, SpanRecord[]>()

  /** Adds records; returns the trace ids they touched, in first-seen order. */
  add(records: readonly SpanRecord[]): string[] {
    const touched = new Set<string>()
    // Spans of one trace mostly come together: look the list up again only when the id changes.
    let traceId: string | undefined
    let list: SpanRecord[] | undefined
    for (const record of records) {
      if (record.traceId !== traceId || !list) {
        traceId = record.traceId
        list = this.recordsByTrace.get(traceId)
        if (!list) {
          list = []
          this.recordsByTrace.set(traceId, list)
        }
        touched.add(traceId)
      }
      list.push(record)
    }
    return [...touched]
  }

  get traceIds(): string[] {
    return [...this.recordsByTrace.keys()]
  }

  has(traceId: string): boolean {
    return this.recordsByTrace.has(traceId)
  }

  remove(traceId: string): void {
    this.recordsByTrace.delete(traceId)
  }

  build(traceId: string): Trace | undefined {
    const records = this.recordsByTrace.get(traceId)
    return records ? buildTrace(traceId, records) : undefined
  }

  buildAll(): Trace[] {
    const traces = this.traceIds.map((id) => buildTrace(id, this.recordsByTrace.get(id) as SpanRecord[]))
    return traces.sort((a, b) => (a.startTimeNs < b.startTimeNs ? -1 : a.startTimeNs > b.startTimeNs ? 1 : 0))
  }
}

/** Exact duplicates removed (the richer copy kept in the place of the first); for callers outside buildTrace. */
export function removeExactDuplicates(records: readonly SpanRecord[]): { spans: SpanRecord[]; removedIds: string[] } {
  const byId = new Map<string, number[]>()
  const spans: SpanRecord[] = []
  const removedIds: string[] = []
  for (const span of records) {
    const list = byId.get(span.spanId)
    const same = list?.find((i) => isSameSpan(spans[i] as SpanRecord, span))
    if (same === undefined) {
      if (list) list.push(spans.length)
      else byId.set(span.spanId, [spans.length])
      spans.push(span)
    } else {
      removedIds.push(span.spanId)
      if (richness(span) > richness(spans[same] as SpanRecord)) spans[same] = span
    }
  }
  return { spans, removedIds }
}
