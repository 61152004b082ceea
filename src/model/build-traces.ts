import { StatusCode } from './span-record.ts'
import type { SpanRecord, TraceWarning, WarningKind } from './span-record.ts'
import { packSpanIds, SpanFlag } from './trace.ts'
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
  'source-warning',
  'invalid-span',
  'skipped-document',
  'duplicate-span-removed',
  'duplicate-span-id',
  'orphan',
  'cycle',
  'missing-start',
  'missing-duration',
  'negative-duration',
  'child-outside-parent',
  'clock-skew',
  'duplicate-attribute',
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
  'child-outside-parent': (n) =>
    `${plural(n, 'span')} ${verb(n, 'starts', 'start')} before or ${verb(n, 'ends', 'end')} after ${verb(n, 'its', 'their')} parent`,
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
    a.spanId === b.spanId &&
    a.kind === b.kind &&
    a.startTimeNs === b.startTimeNs &&
    a.durationNs === b.durationNs &&
    a.name === b.name &&
    a.parentSpanId === b.parentSpanId
  )
}

function richness(span: SpanRecord): number {
  return span.attributes.length + span.events.length + span.links.length + span.resource.length
}

// Per-span facts gathered in the one pass over the records (`InputColumns.bits`).
const HAS_START = 1
const HAS_WARNINGS = 2
const IS_ERROR = 4
const IS_ASYNC_PARENT = 8

// How a span names its parent (`InputColumns.parentKind`).
const NO_PARENT = 0
const HEX_PARENT = 1
const OTHER_PARENT = 2

/** Hex digit values by ASCII code (lower case only: the form importers normalise ids to); -1 otherwise. */
const HEX_DIGIT = new Int8Array(128).fill(-1)
for (let d = 0; d < 16; d++) HEX_DIGIT['0123456789abcdef'.charCodeAt(d)] = d

/** The two int32 halves of the last id `readHexId` accepted (module scratch: no object per id). */
let hexHigh = 0
let hexLow = 0

/** Reads a 16-digit lower-case hex id (nearly every id) into `hexHigh` and `hexLow`. */
function readHexId(id: string): boolean {
  if (id.length !== 16) return false
  let high = 0
  let low = 0
  let invalid = 0
  for (let j = 0; j < 8; j++) {
    const c = id.charCodeAt(j)
    const digit = c < 128 ? (HEX_DIGIT[c] as number) : -1
    invalid |= digit
    high = (high << 4) | digit
  }
  for (let j = 8; j < 16; j++) {
    const c = id.charCodeAt(j)
    const digit = c < 128 ? (HEX_DIGIT[c] as number) : -1
    invalid |= digit
    low = (low << 4) | digit
  }
  if (invalid < 0) return false
  hexHigh = high
  hexLow = low
  return true
}

/**
 * Span id → first input index. A hex id is its own key as two int32 halves: the table holds the
 * low half with the index (8 bytes a slot), the high half is checked only when the low one
 * matches, so a lookup reads one slot and compares numbers. A `Map` of 100,000 id strings hashes
 * them and compares strings scattered over the heap, which cost a third of a build. Other ids
 * (test data such as "span-a") use a `Map`: a hex id and another id are never equal.
 */
class SpanIdIndex {
  /** Per slot: low half, input index + 1 (0 when the slot is empty). */
  private readonly table: Int32Array
  /** High half of the id, by input index. */
  private readonly highOf: Int32Array
  private readonly mask: number
  private others: Map<string, number> | undefined

  constructor(capacity: number) {
    let size = 16
    while (size < capacity * 2) size *= 2
    this.table = new Int32Array(size * 2)
    this.highOf = new Int32Array(capacity)
    this.mask = size - 1
  }

  /** The first index with this id; or -1, after recording `index` as the first. */
  firstOrAdd(id: string, index: number): number {
    if (!readHexId(id)) {
      this.others ??= new Map()
      const first = this.others.get(id)
      if (first !== undefined) return first
      this.others.set(id, index)
      return -1
    }
    const { table, highOf, mask } = this
    const high = hexHigh
    const low = hexLow
    for (let slot = slotOf(high, low, mask); ; slot = (slot + 1) & mask) {
      const entry = table[2 * slot + 1] as number
      if (entry === 0) {
        table[2 * slot] = low
        table[2 * slot + 1] = index + 1
        highOf[index] = high
        return -1
      }
      if (table[2 * slot] === low && highOf[entry - 1] === high) return entry - 1
    }
  }

  /** The first index with this hex id (as halves); -1 when none. */
  findHex(high: number, low: number): number {
    const { table, highOf, mask } = this
    for (let slot = slotOf(high, low, mask); ; slot = (slot + 1) & mask) {
      const entry = table[2 * slot + 1] as number
      if (entry === 0) return -1
      if (table[2 * slot] === low && highOf[entry - 1] === high) return entry - 1
    }
  }

  find(id: string): number {
    if (readHexId(id)) return this.findHex(hexHigh, hexLow)
    return this.others?.get(id) ?? -1
  }
}

function slotOf(high: number, low: number, mask: number): number {
  const h = Math.imul(high ^ Math.imul(low, 0x9e3779b1), 0x85ebca6b)
  return (h ^ (h >>> 15)) & mask
}

/**
 * Strings interned in input order, renumbered in depth-first order when the columns are written
 * (the tables list each string where it first appears in the trace, whatever the input order).
 */
class InputStrings {
  private readonly indexOf = new Map<string, number>()
  private readonly values: string[] = []
  private last: string | undefined
  private lastIndex = -1
  private finalIndex: Int32Array | undefined
  readonly finalValues: string[] = []

  intern(value: string): number {
    // Neighbouring spans often share a service (and the importers share its string).
    if (this.lastIndex >= 0 && value === this.last) return this.lastIndex
    let index = this.indexOf.get(value)
    if (index === undefined) {
      index = this.values.length
      this.values.push(value)
      this.indexOf.set(value, index)
    }
    this.last = value
    this.lastIndex = index
    return index
  }

  /** The depth-first number of an input-order index. */
  final(index: number): number {
    this.finalIndex ??= new Int32Array(this.values.length).fill(-1)
    let result = this.finalIndex[index] as number
    if (result < 0) {
      result = this.finalValues.length
      this.finalValues.push(this.values[index] as string)
      this.finalIndex[index] = result
    }
    return result
  }
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const TWO_TO_32 = 2 ** 32
/** Where the high and the low int32 of an int64 lie in an `Int32Array` view (platform byte order). */
const HIGH_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0
const LOW_WORD = 1 - HIGH_WORD

/**
 * What the build needs of each record, read in one pass in input order: the later passes work on
 * these typed arrays and touch a record again only to warn about it.
 */
class InputColumns {
  readonly bits: Uint8Array
  readonly kind: Uint8Array
  readonly status: Uint8Array
  readonly duration: Float64Array
  /**
   * Starts as int64, read back as two int32 words: offsets are computed in float64 with one
   * rounding, as `Number(start - traceStart)` would, without a bigint allocated per span.
   */
  readonly start: BigInt64Array
  readonly parentKind: Uint8Array
  readonly parentHigh: Int32Array
  readonly parentLow: Int32Array
  readonly service: Int32Array
  readonly name: Int32Array
  readonly spanId: string[]
  readonly services = new InputStrings()
  readonly names = new InputStrings()
  /** False when a start lies outside the int64 range (garbage input): offsets are then taken from the bigints. */
  isInt64 = true

  constructor(capacity: number) {
    this.bits = new Uint8Array(capacity)
    this.kind = new Uint8Array(capacity)
    this.status = new Uint8Array(capacity)
    this.duration = new Float64Array(capacity)
    this.start = new BigInt64Array(capacity)
    this.parentKind = new Uint8Array(capacity)
    this.parentHigh = new Int32Array(capacity)
    this.parentLow = new Int32Array(capacity)
    this.service = new Int32Array(capacity)
    this.name = new Int32Array(capacity)
    this.spanId = new Array<string>(capacity)
  }

  read(i: number, span: SpanRecord): void {
    let bits = 0
    const start = span.startTimeNs
    if (start !== undefined) {
      bits |= HAS_START
      if (start >= INT64_MIN && start <= INT64_MAX) this.start[i] = start
      else this.isInt64 = false
    }
    if (span.warnings && span.warnings.length > 0) bits |= HAS_WARNINGS
    if (span.statusCode === StatusCode.Error) bits |= IS_ERROR
    if (span.isAsyncParent === true) bits |= IS_ASYNC_PARENT
    this.bits[i] = bits
    this.spanId[i] = span.spanId
    this.kind[i] = span.kind
    this.status[i] = span.statusCode
    const duration = span.durationNs
    this.duration[i] = typeof duration === 'number' ? duration : Number.NaN
    const parentId = span.parentSpanId
    if (parentId === undefined) {
      this.parentKind[i] = NO_PARENT
    } else if (readHexId(parentId)) {
      this.parentKind[i] = HEX_PARENT
      this.parentHigh[i] = hexHigh
      this.parentLow[i] = hexLow
    } else {
      this.parentKind[i] = OTHER_PARENT
    }
    this.service[i] = this.services.intern(span.service)
    this.name[i] = this.names.intern(span.name)
  }

  /** Offsets of the starts from the earliest (+∞ where a span has none), and that earliest start. */
  startKeys(spans: readonly SpanRecord[], n: number): { startKey: Float64Array; traceStart: bigint } {
    if (!this.isInt64) return startKeysFromBigints(spans, n)
    const words = new Int32Array(this.start.buffer, 0, n * 2)
    const earliest = this.earliestStart(words, n)
    if (earliest < 0) return { startKey: new Float64Array(n).fill(Number.POSITIVE_INFINITY), traceStart: 0n }
    const startKey = this.offsets(words, n, words[2 * earliest + HIGH_WORD] as number, (words[2 * earliest + LOW_WORD] as number) >>> 0)
    return { startKey, traceStart: (spans[earliest] as SpanRecord).startTimeNs as bigint }
  }

  /** The index of the earliest start; -1 when no span has one. */
  private earliestStart(words: Int32Array, n: number): number {
    const { bits } = this
    let minAt = -1
    let minHigh = 0
    let minLow = 0
    for (let i = 0; i < n; i++) {
      if (((bits[i] as number) & HAS_START) === 0) continue
      const high = words[2 * i + HIGH_WORD] as number
      const low = (words[2 * i + LOW_WORD] as number) >>> 0
      if (minAt < 0 || high < minHigh || (high === minHigh && low < minLow)) {
        minAt = i
        minHigh = high
        minLow = low
      }
    }
    return minAt
  }

  private offsets(words: Int32Array, n: number, minHigh: number, minLow: number): Float64Array {
    const { bits } = this
    const startKey = new Float64Array(n)
    // Both terms are exact (a multiple of 2^32 below 2^64, and a difference of uint32s): the sum
    // is the exact difference rounded once, i.e. `Number(start - traceStart)`.
    for (let i = 0; i < n; i++) {
      startKey[i] =
        ((bits[i] as number) & HAS_START) === 0
          ? Number.POSITIVE_INFINITY
          : ((words[2 * i + HIGH_WORD] as number) - minHigh) * TWO_TO_32 + (((words[2 * i + LOW_WORD] as number) >>> 0) - minLow)
    }
    return startKey
  }
}

/** Start keys from the bigints themselves, for starts beyond the int64 range. */
function startKeysFromBigints(spans: readonly SpanRecord[], n: number): { startKey: Float64Array; traceStart: bigint } {
  let minStart: bigint | undefined
  for (let i = 0; i < n; i++) {
    const start = (spans[i] as SpanRecord).startTimeNs
    if (start !== undefined && (minStart === undefined || start < minStart)) minStart = start
  }
  const traceStart = minStart ?? 0n
  const startKey = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const start = (spans[i] as SpanRecord).startTimeNs
    startKey[i] = start === undefined ? Number.POSITIVE_INFINITY : Number(start - traceStart)
  }
  return { startKey, traceStart }
}

/** Sorts `children[from, to)` by start key, then input index (the order children were filled in). */
function sortChildren(children: Int32Array, from: number, to: number, startKey: Float64Array): void {
  if (to - from > 32) {
    children.subarray(from, to).sort((a, b) => (startKey[a] as number) - (startKey[b] as number) || a - b)
    return
  }
  // Insertion sort: sibling lists are short, and a comparator call per step costs more.
  for (let c = from + 1; c < to; c++) {
    const child = children[c] as number
    const key = startKey[child] as number
    let d = c - 1
    while (d >= from) {
      const other = children[d] as number
      const otherKey = startKey[other] as number
      if (otherKey < key || (otherKey === key && other < child)) break
      children[d + 1] = other
      d--
    }
    children[d + 1] = child
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
 *
 * Each record is read once (into `InputColumns`): records and their strings lie scattered over the
 * heap, and every further pass over them costs a cache miss per span. Each pass over the spans is
 * a function of its own: V8 optimises a long loop while it runs (on-stack replacement), and in one
 * large function it recompiled the whole function for every loop and dropped the code at the next
 * loop for lack of type feedback, so a first build ran mostly unoptimised, three times as long as
 * the next one.
 */
export function buildTrace(traceId: string, records: readonly SpanRecord[]): Trace {
  const warnings = new WarningCollector()
  const ids = new SpanIdIndex(records.length)
  const columns = new InputColumns(records.length)
  const { input, reusedIdIndexes } = readRecords(records, ids, columns, warnings)
  const n = input.length
  const inputFlags = new Uint8Array(n)
  for (const i of reusedIdIndexes) inputFlags[i]! |= SpanFlag.DuplicateId
  const parentOf = new Int32Array(n)
  const childCount = new Int32Array(n + 1)
  linkParents(input, columns, ids, warnings, inputFlags, parentOf, childCount)

  // Relative start keys for ordering (missing starts sort after their siblings).
  const { startKey, traceStart } = columns.startKeys(input, n)

  // Children lists in compressed form (CSR), each sorted by start then input order.
  const childStart = prefixSums(childCount)
  const children = fillChildren(parentOf, childStart)
  sortAllChildren(children, childStart, startKey)

  // 3–4. Depth-first order from the roots, then from cycle cuts.
  const order = new Int32Array(n)
  const newIndex = new Int32Array(n)
  const visited = new Uint8Array(n)
  const stack = new Int32Array(n)
  let ordered = 0
  for (let c = childStart[0] as number; c < (childStart[1] as number); c++) {
    ordered = visitFrom(children[c] as number, ordered, childStart, children, parentOf, order, newIndex, visited, stack)
  }
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
      ordered = visitFrom(cut, ordered, childStart, children, parentOf, order, newIndex, visited, stack)
    }
  }

  // 5. Columns in depth-first order.
  return writeTrace(traceId, traceStart, records.length, input, columns, order, newIndex, parentOf, inputFlags, startKey, warnings)
}

/**
 * Step 1: indexes the records by span id and reads each into `columns`. A repeated id is either
 * an exact duplicate (removed, keeping the richer copy in the place of the first) or a different
 * span reusing the id (kept, warned).
 */
function readRecords(
  records: readonly SpanRecord[],
  ids: SpanIdIndex,
  columns: InputColumns,
  warnings: WarningCollector,
): { input: readonly SpanRecord[]; reusedIdIndexes: number[] } {
  // The records as they are until an id repeats; then a copy that skips or replaces duplicates.
  let copy: SpanRecord[] | undefined
  let n = 0
  const removedIds: string[] = []
  const reusedIdIndexes: number[] = []
  let sameIdIndexes: Map<string, number[]> | undefined
  for (let r = 0; r < records.length; r++) {
    const span = records[r] as SpanRecord
    const first = ids.firstOrAdd(span.spanId, n)
    if (first < 0) {
      columns.read(n++, span)
      if (copy) copy.push(span)
      continue
    }
    copy ??= records.slice(0, r)
    const candidates = sameIdIndexes?.get(span.spanId) ?? [first]
    const same = candidates.find((i) => isSameSpan((copy as SpanRecord[])[i] as SpanRecord, span))
    if (same !== undefined) {
      removedIds.push(span.spanId)
      if (richness(span) > richness(copy[same] as SpanRecord)) {
        copy[same] = span
        columns.read(same, span)
      }
      continue
    }
    sameIdIndexes ??= new Map()
    sameIdIndexes.set(span.spanId, [...candidates, n])
    reusedIdIndexes.push(n)
    warnings.add('duplicate-span-id', [span.spanId], `span ${span.spanId}: "${(copy[first] as SpanRecord).name}" and "${span.name}"`)
    columns.read(n++, span)
    copy.push(span)
  }
  if (removedIds.length > 0) warnings.add('duplicate-span-removed', removedIds, `span ${removedIds[0]}`)
  return { input: copy ?? records, reusedIdIndexes }
}

/** Step 2: each span's parent index (-1 for a root), and the number of children of each (roots at 0). */
function linkParents(
  input: readonly SpanRecord[],
  columns: InputColumns,
  ids: SpanIdIndex,
  warnings: WarningCollector,
  inputFlags: Uint8Array,
  parentOf: Int32Array,
  childCount: Int32Array,
): void {
  const { bits, parentKind, parentHigh, parentLow } = columns
  for (let i = 0; i < parentOf.length; i++) {
    if ((bits[i] as number) & HAS_WARNINGS) {
      const span = input[i] as SpanRecord
      inputFlags[i]! |= SpanFlag.HasWarning
      warnings.add('source-warning', [span.spanId], `span ${span.spanId}: ${(span.warnings as readonly string[]).join(', ')}`)
    }
    const how = parentKind[i] as number
    let parent = -1
    if (how !== NO_PARENT) {
      const found =
        how === HEX_PARENT ? ids.findHex(parentHigh[i] as number, parentLow[i] as number) : ids.find((input[i] as SpanRecord).parentSpanId as string)
      if (found < 0) {
        const span = input[i] as SpanRecord
        inputFlags[i]! |= SpanFlag.Orphan
        warnings.add('orphan', [span.spanId], `span ${span.spanId}'s parent ${span.parentSpanId}`)
      } else if (found === i) {
        const span = input[i] as SpanRecord
        inputFlags[i]! |= SpanFlag.CycleBroken
        warnings.add('cycle', [span.spanId], `span ${span.spanId} is its own parent`)
      } else {
        parent = found
      }
    }
    parentOf[i] = parent
    childCount[parent + 1]!++
  }
}

/** `result[p]` = sum of `counts[0, p)`, for p up to counts.length (one more entry than counts). */
function prefixSums(counts: Int32Array): Int32Array {
  const result = new Int32Array(counts.length + 1)
  for (let p = 0; p < counts.length; p++) result[p + 1] = (result[p] as number) + (counts[p] as number)
  return result
}

/** The children of parent p (roots for p = -1) at `childStart[p + 1]` onwards, in input order. */
function fillChildren(parentOf: Int32Array, childStart: Int32Array): Int32Array {
  const fill = childStart.slice(0, parentOf.length + 1)
  const children = new Int32Array(parentOf.length)
  for (let i = 0; i < parentOf.length; i++) children[fill[(parentOf[i] as number) + 1]!++] = i
  return children
}

/**
 * Sorts every child list. Lists are often in order already (children were filled in input order):
 * one pass over all of them finds those that are not, without a call per list.
 */
function sortAllChildren(children: Int32Array, childStart: Int32Array, startKey: Float64Array): void {
  let list = -1
  let listStart = 0
  let listEnd = 0
  for (let c = 0; c < children.length; c++) {
    if (c >= listEnd) {
      // The first child of the next list that has any.
      while (c >= listEnd) listEnd = childStart[++list + 1] as number
      listStart = c
      continue
    }
    const a = children[c - 1] as number
    const b = children[c] as number
    const keyA = startKey[a] as number
    const keyB = startKey[b] as number
    if (keyA < keyB || (keyA === keyB && a < b)) continue
    sortChildren(children, listStart, listEnd, startKey)
    c = listEnd - 1
  }
}

/** Appends the subtree of `root` to `order` depth-first; returns the new length of `order`. Each span is pushed once at most. */
function visitFrom(
  root: number,
  ordered: number,
  childStart: Int32Array,
  children: Int32Array,
  parentOf: Int32Array,
  order: Int32Array,
  newIndex: Int32Array,
  visited: Uint8Array,
  stack: Int32Array,
): number {
  let top = 0
  stack[top++] = root
  while (top > 0) {
    const i = stack[--top] as number
    visited[i] = 1
    newIndex[i] = ordered
    order[ordered++] = i
    const from = childStart[i + 1] as number
    for (let c = (childStart[i + 2] as number) - 1; c >= from; c--) {
      const child = children[c] as number
      // A link cut to break a cycle is still in the child lists: skip it.
      if (parentOf[child] === i) stack[top++] = child
    }
  }
  return ordered
}

/** Step 5: the trace, its columns in depth-first order; the warnings about times are the last ones. */
function writeTrace(
  traceId: string,
  startTimeNs: bigint,
  inputSpanCount: number,
  input: readonly SpanRecord[],
  columns: InputColumns,
  order: Int32Array,
  newIndex: Int32Array,
  parentOf: Int32Array,
  inputFlags: Uint8Array,
  startKey: Float64Array,
  warnings: WarningCollector,
): Trace {
  const n = order.length
  const {
    bits,
    services,
    names,
    duration: inputDuration,
    kind: inputKind,
    status: inputStatus,
    service: inputService,
    name: inputName,
    spanId: inputId,
  } = columns
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
  const spanIds: string[] = new Array(n)
  const asyncParent = new Uint8Array(n)
  let maxDepth = 0
  let errorCount = 0
  let endNs = 0
  for (let k = 0; k < n; k++) {
    const old = order[k] as number
    const parentOld = parentOf[old] as number
    const parent = parentOld < 0 ? -1 : (newIndex[parentOld] as number)
    const spanBits = bits[old] as number
    let flag = inputFlags[old] as number
    const id = inputId[old] as string
    spans[k] = input[old] as SpanRecord
    spanIds[k] = id
    if ((spanBits & IS_ASYNC_PARENT) !== 0 && parent >= 0) asyncParent[k] = 1
    parentIndex[k] = parent
    const spanDepth = parent < 0 ? 0 : (depth[parent] as number) + 1
    depth[k] = spanDepth
    if (spanDepth > maxDepth) maxDepth = spanDepth
    subtreeEnd[k] = k + 1
    serviceIndex[k] = services.final(inputService[old] as number)
    nameIndex[k] = names.final(inputName[old] as number)
    kind[k] = inputKind[old] as number
    status[k] = inputStatus[old] as number
    if (spanBits & IS_ERROR) errorCount++

    let start: number
    if (spanBits & HAS_START) {
      start = startKey[old] as number
    } else {
      flag |= SpanFlag.MissingStart
      warnings.add('missing-start', [id], `span ${id}`)
      start = parent < 0 ? 0 : (startOffsetNs[parent] as number)
    }
    startOffsetNs[k] = start
    let duration = inputDuration[old] as number
    if (!Number.isFinite(duration)) {
      flag |= SpanFlag.MissingDuration
      warnings.add('missing-duration', [id], `span ${id}`)
      duration = 0
    } else if (duration < 0) {
      flag |= SpanFlag.NegativeDuration
      warnings.add('negative-duration', [id], `span ${id}: ${duration} ns`)
      duration = 0
    }
    durationsNs[k] = duration
    const spanEnd = start + duration
    if (spanEnd > endNs) endNs = spanEnd
    if (parent >= 0 && (spanBits & HAS_START) !== 0 && ((flags[parent] as number) & SpanFlag.MissingStart) === 0) {
      const parentStart = startOffsetNs[parent] as number
      const parentEnd = parentStart + (durationsNs[parent] as number)
      const isParentTimed = ((flags[parent] as number) & SpanFlag.MissingDuration) === 0
      if (start < parentStart || (isParentTimed && spanEnd > parentEnd)) {
        flag |= SpanFlag.OutsideParent
        warnings.add('child-outside-parent', [id], `span ${id} in ${spanIds[parent]}`)
      }
    }
    if (flag & ~SpanFlag.HasWarning) flag |= SpanFlag.HasWarning
    flags[k] = flag
  }
  setSubtreeEnds(parentIndex, subtreeEnd)
  return {
    traceId,
    startTimeNs,
    durationNs: endNs,
    spanCount: n,
    inputSpanCount,
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
    asyncParent,
    services: services.finalValues,
    names: names.finalValues,
    ...packSpanIds(spanIds),
    spans,
    warnings: warnings.toWarnings(),
  }
}

/** Exclusive subtree ends, from the last span up: a subtree ends where its last descendant's does. */
function setSubtreeEnds(parentIndex: Int32Array, subtreeEnd: Int32Array): void {
  for (let k = parentIndex.length - 1; k >= 0; k--) {
    const parent = parentIndex[k] as number
    if (parent >= 0 && (subtreeEnd[k] as number) > (subtreeEnd[parent] as number)) subtreeEnd[parent] = subtreeEnd[k] as number
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
