/**
 * Jaeger UI/query JSON ("Jaeger JSON", formats.md §2.1): what `GET /api/traces/{id}` returns,
 * what Jaeger UI "Trace JSON", "Download Results" and "Upload JSON" use, and what
 * `jaeger-anonymizer` writes. Source of truth: jaeger `internal/uimodel/model.go`.
 *
 * Accepted envelopes (each may also arrive as one document per JSON line):
 * `{data:[Trace…], total, limit, offset, errors}`, `{data: Trace}`, a bare Trace
 * `{traceID, spans, processes}`, an array of Traces, an array of spans with an inline `process`,
 * and a single span object.
 *
 * Times are µs. Tags are typed KeyValues whose JSON value may disagree with their `type`
 * (formats.md §8.15). Ids are hex, or arbitrary strings in test data; never base64.
 */
import { attributeToString } from '../model/attributes.ts'
import { LazySpanRecord } from '../model/lazy-span.ts'
import type { DetailsReader, SpanDetails } from '../model/lazy-span.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type {
  Attribute,
  AttrValue,
  ImportResult,
  InstrumentationScope,
  LinkKind,
  SpanEvent,
  SpanLink,
  SpanRecord,
  TraceWarning,
  WarningKind,
} from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import type { StreamImportReader, TraceImporter } from './importer.ts'
import { deferredSpan, spanOf } from './span-pieces.ts'
import type { DeferredSpan } from './span-pieces.ts'
import { JsonValueBuilder, walkJsonDocument } from './stream-json.ts'
import { decodeBase64, isCanonicalSpanId, isCanonicalTraceId, isHexId, normalizeParentId, normalizeSpanId, normalizeTraceId } from './ids.ts'
import { asArray, asNumber, asString, dedupeAttributesFast, isObject, isReadableMicros, microsToNanos, ownValue } from './values.ts'
import type { JsonObject } from './values.ts'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The OTel default for a span whose service nobody named. */
export const UNKNOWN_SERVICE = 'unknown_service'

/** How many array items `detect` looks at to find the first object (cheap on 100k-span files). */
const DETECT_SCAN_LIMIT = 10
/** How many examples one aggregated import warning quotes. */
const QUOTED_EXAMPLES = 3

const NO_ATTRIBUTES: readonly Attribute[] = Object.freeze([])
const NO_EVENTS: readonly SpanEvent[] = Object.freeze([])
const NO_LINKS: readonly SpanLink[] = Object.freeze([])
const NO_NOTES: readonly string[] = Object.freeze([])

/** `span.kind` tag values (OpenTracing and OTel spell them the same, lower-case). */
const KIND_BY_TAG = new Map<string, SpanKind>([
  ['client', SpanKind.Client],
  ['server', SpanKind.Server],
  ['producer', SpanKind.Producer],
  ['consumer', SpanKind.Consumer],
  ['internal', SpanKind.Internal],
])

/** `otel.status_code` tag values written by Jaeger's OTLP translator. */
const STATUS_BY_TAG = new Map<string, StatusCode>([
  ['ERROR', StatusCode.Error],
  ['OK', StatusCode.Ok],
  ['UNSET', StatusCode.Unset],
])

const INTEGER_TEXT_RE = /^-?\d+$/
const ZERO_SPAN_ID = '0000000000000000'

/** Marks a finished pending span (see `finishTrace`). */
const DONE: PendingSpan = { problem: ['invalid-span', [], ''] }

// ---------------------------------------------------------------------------------------------
// Detection

function hasKey(value: JsonObject, key: string): boolean {
  return Object.hasOwn(value, key)
}

function firstObject(items: readonly unknown[]): JsonObject | undefined {
  for (let i = 0; i < items.length && i < DETECT_SCAN_LIMIT; i++) {
    const item = items[i]
    if (isObject(item)) return item
  }
  return undefined
}

/** `{traceID, spans, processes}`. Zipkin proto3 and Jaeger proto/Thrift `{spans}` have neither `traceID` nor `processes`. */
function looksLikeTrace(value: JsonObject): boolean {
  return Array.isArray(value.spans) && (typeof value.traceID === 'string' || isObject(value.processes))
}

/** A Jaeger span: `spanID` with a capital D (Zipkin and OTLP write `id`/`spanId`). */
function looksLikeSpan(value: JsonObject): boolean {
  return hasKey(value, 'spanID') && (hasKey(value, 'traceID') || hasKey(value, 'process') || hasKey(value, 'processID'))
}

/** Keys of Jaeger's query API envelope besides `data`. */
function hasApiEnvelopeKeys(value: JsonObject): boolean {
  return hasKey(value, 'total') || hasKey(value, 'limit') || hasKey(value, 'offset') || hasKey(value, 'errors')
}

export function detectJaegerJson(document: unknown): boolean {
  if (Array.isArray(document)) {
    const first = firstObject(document)
    return first !== undefined && (looksLikeTrace(first) || looksLikeSpan(first))
  }
  if (!isObject(document)) return false
  if (hasKey(document, 'data')) {
    const data = document.data
    if (isObject(data)) return Array.isArray(data.spans)
    if (!Array.isArray(data)) return data === null && hasApiEnvelopeKeys(document) && Array.isArray(document.errors)
    // An empty search answer is still a Jaeger answer; a bare `{data: []}` could be anything.
    if (data.length === 0) return hasApiEnvelopeKeys(document)
    // Lenient on purpose: a Jaeger-looking envelope with broken traces should reach the
    // importer and be reported item by item, not be called "unknown format".
    const first = firstObject(data)
    return first !== undefined && (hasKey(first, 'spans') || hasKey(first, 'traceID'))
  }
  return looksLikeTrace(document) || looksLikeSpan(document)
}

// ---------------------------------------------------------------------------------------------
// Values

/** JSON text of any parsed value; bigints as digits. Never throws (deep nesting, odd keys). */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)) ?? ''
  } catch {
    return '[unreadable value]'
  }
}

/** "null", "a number", "an array"… for messages; never the value itself. */
function describeJson(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'missing'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (value === null || value === undefined) return ''
  return safeJson(value)
}

/** A value with no (or an unknown) `type`: inferred from the JSON type. Integers are int64. */
function inferValue(value: unknown): AttrValue {
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return value
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value
  if (value === null || value === undefined) return null
  return safeJson(value)
}

function readInt64(value: unknown): AttrValue {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value
  if (typeof value === 'string') {
    const text = value.trim()
    // Jaeger writes int64 beyond ±(2^53-1) as decimal strings (formats.md §1.1).
    if (INTEGER_TEXT_RE.test(text)) return BigInt(text)
  }
  return inferValue(value)
}

function readBool(value: unknown): AttrValue {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    // Jaeger UI test data and third-party producers write "true"/"false" strings.
    const text = value.trim().toLowerCase()
    if (text === 'true') return true
    if (text === 'false') return false
  }
  return inferValue(value)
}

function readFloat64(value: unknown): AttrValue {
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string') return asNumber(value) ?? value
  return inferValue(value)
}

/** One KeyValue's value by its declared `type` (formats.md §2.1, §8.15); falls back to the JSON type. */
export function readTagValue(type: unknown, value: unknown): AttrValue {
  switch (typeof type === 'string' ? type.toLowerCase() : undefined) {
    case 'string':
      return textOf(value)
    case 'bool':
    case 'boolean':
      return readBool(value)
    case 'int64':
      return readInt64(value)
    case 'float64':
      return readFloat64(value)
    case 'binary':
      return typeof value === 'string' ? (decodeBase64(value.trim()) ?? value) : inferValue(value)
    default:
      return inferValue(value)
  }
}

/** KeyValue[] → attributes; entries without a string key are counted, not read. */
function readKeyValues(list: unknown): { attributes: Attribute[]; unreadable: number } {
  const attributes: Attribute[] = []
  let unreadable = 0
  for (const item of asArray(list)) {
    if (!isObject(item) || typeof item.key !== 'string') {
      unreadable++
      continue
    }
    attributes.push({ key: item.key, value: readTagValue(item.type, item.value) })
  }
  return { attributes, unreadable }
}

/**
 * Jaeger JSON ids are hex (`model.go` TraceID/SpanID.String) or, in test data, arbitrary text
 * such as "trace-123" or "span-a-root". The shared normalisers would read an 11-char text like
 * "span-a-root" as unpadded base64, so only hex ids go through them.
 */
function readTraceId(raw: unknown): string | undefined {
  if (typeof raw === 'string' && isCanonicalTraceId(raw)) return raw
  const text = asString(raw)?.trim()
  if (!text) return undefined
  return isHexId(text) ? normalizeTraceId(text) : text
}

function readSpanId(raw: unknown): string | undefined {
  if (typeof raw === 'string' && isCanonicalSpanId(raw)) return raw
  const text = asString(raw)?.trim()
  if (!text) return undefined
  return isHexId(text) ? normalizeSpanId(text) : text
}

/** Like `readSpanId`, but absent, empty and all-zero ids mean "no parent". */
function readParentId(raw: unknown): string | undefined {
  if (typeof raw === 'string' && isCanonicalSpanId(raw)) return raw === ZERO_SPAN_ID ? undefined : raw
  const text = asString(raw)?.trim()
  if (!text) return undefined
  return isHexId(text) ? normalizeParentId(text) : text
}

// ---------------------------------------------------------------------------------------------
// Import

interface ResolvedProcess {
  readonly service: string
  /** Shared by every span of the process: one array per process, not per span. */
  readonly resource: readonly Attribute[]
  /** Said on every span of the process (e.g. it has no serviceName). */
  readonly note?: string
}

const UNKNOWN_PROCESS: ResolvedProcess = {
  service: UNKNOWN_SERVICE,
  resource: Object.freeze([{ key: 'service.name', value: UNKNOWN_SERVICE }]),
}

interface TraceContext {
  /** The enclosing trace's id, for spans that omit their own. */
  readonly traceId: string | undefined
  readonly processes: JsonObject | undefined
  readonly processCache: Map<string, ResolvedProcess>
}

/** Import problems of one kind, folded into one readable warning. */
interface ProblemGroup {
  count: number
  readonly spanIds: string[]
  readonly examples: string[]
}

const PROBLEM_TEXT: Partial<Record<WarningKind, (n: number) => string>> = {
  'invalid-span': (n) => `${n} Jaeger ${n === 1 ? 'span' : 'spans'} could not be read and ${n === 1 ? 'was' : 'were'} skipped`,
  'skipped-document': (n) => `${n} Jaeger ${n === 1 ? 'trace entry holds' : 'trace entries hold'} no readable spans and ${n === 1 ? 'was' : 'were'} skipped`,
  'duplicate-attribute': (n) => `${n} Jaeger ${n === 1 ? 'span repeats' : 'spans repeat'} a tag key; the last value is kept`,
}

/** A span read as far as it can be before its trace's `processes` (and maybe `traceID`) are known. */
interface PreparedSpan {
  readonly record: Mutable<SpanRecord>
  readonly spanId: string
  /** Notes about the span (not to be changed: clean spans share one empty list). */
  readonly notes: readonly string[]
  /** Where in `notes` a note about the process goes (after the references' notes). */
  readonly processNoteAt: number
  readonly processId: string | undefined
  readonly inlineProcess: JsonObject | undefined
  readonly hasRepeatedTags: boolean
}

/**
 * A span of a trace, waiting for the end of the trace: a problem to report, a span without its
 * own trace id (read once the trace's id is known), or a prepared span.
 */
type PendingSpan =
  | { readonly problem: readonly [WarningKind, readonly string[], string] }
  | { readonly raw: JsonObject; readonly where: string; readonly spanId: string }
  | PreparedSpan

/** A trace object being read: its members as they come, its spans prepared as they come. */
class TraceReading {
  readonly where: string
  /** Where its spans are, for messages: "data[0].spans". */
  readonly spansWhere: string
  traceIdValue: unknown
  processesValue: unknown
  warningsValue: unknown
  spansValue: unknown
  hasSpanList = false
  readonly pending: PendingSpan[] = []

  constructor(where: string) {
    this.where = where
    this.spansWhere = `${where}.spans`
  }

  member(key: string, value: unknown): void {
    if (key === 'traceID') this.traceIdValue = value
    else if (key === 'processes') this.processesValue = value
    else if (key === 'warnings') this.warningsValue = value
    else if (key === 'spans') this.spansValue = value
  }
}

// What a container of the document is to the reader.
const FRAME_ROOT_OBJECT = 0
const FRAME_ROOT_ARRAY = 1
const FRAME_DATA_ARRAY = 2
const FRAME_TRACE = 3
const FRAME_SPANS = 4
const FRAME_IGNORED = 5
const FRAME_BUILD = 6

interface Frame {
  readonly type: number
  readonly trace?: TraceReading
  readonly builder?: JsonValueBuilder
  readonly key?: string | number
}

/**
 * Reads a Jaeger document from its container events (`stream-json.ts`): the whole-document
 * path replays a parsed document as events, the streaming path gets them from the splitter, so
 * both read alike. A trace's spans are prepared as they arrive and finished when the trace ends,
 * because Jaeger writes `processes` after `spans`.
 */
class JaegerReader implements StreamImportReader {
  readonly spans: SpanRecord[] = []
  /** The API's `errors`, told before everything else whatever their place in the document. */
  private readonly errorWarnings: TraceWarning[] = []
  private readonly sourceWarnings: TraceWarning[] = []
  private readonly problems = new Map<WarningKind, ProblemGroup>()
  /** Inline processes (anonymizer output repeats one per span), shared by content. */
  private readonly inlineProcesses = new Map<string, ResolvedProcess>()
  private readonly bareContext: TraceContext = { traceId: undefined, processes: undefined, processCache: new Map() }
  private readonly scopes: ScopeTable = { byKey: new Map(), first: [] }
  // Scratch space for the span being read (`build`).
  private readonly notes: string[] = []
  private readonly references = new References()
  /** The convention tags of the span being read. */
  private readonly conventions = new ConventionTags()
  private readonly shouldDeferDetails: boolean
  private lastDetailsReader: JaegerDetailsReader | undefined

  private readonly frames: Frame[] = []
  private rootMembers: Record<string, unknown> = {}
  private hasData = false
  private hasDataValue = false
  private rootTrace: TraceReading | undefined

  constructor(options: JaegerImportOptions = {}) {
    this.shouldDeferDetails = options.deferDetails ?? true
  }

  result(): ImportResult {
    const warnings = [...this.errorWarnings, ...this.sourceWarnings]
    for (const [kind, group] of this.problems) {
      const text = PROBLEM_TEXT[kind] ?? ((n: number) => `${n} Jaeger import problems`)
      const more = group.count > group.examples.length ? `; and ${group.count - group.examples.length} more` : ''
      warnings.push({ kind, message: `${text(group.count)}: ${group.examples.join('; ')}${more}`, spanIds: group.spanIds })
    }
    return { spans: this.spans, warnings }
  }

  private problem(kind: WarningKind, spanIds: readonly string[], example: string): void {
    let group = this.problems.get(kind)
    if (!group) {
      group = { count: 0, spanIds: [], examples: [] }
      this.problems.set(kind, group)
    }
    group.count++
    for (const id of spanIds) group.spanIds.push(id)
    if (group.examples.length < QUOTED_EXAMPLES) group.examples.push(example)
  }

  readDocument(document: unknown): void {
    if (!isObject(document) && !Array.isArray(document)) {
      throw new ImportError('invalid-structure', `Not Jaeger JSON: the document is ${describeJson(document)}, expected an object or an array.`)
    }
    walkJsonDocument(document, this)
  }

  // --- container events -----------------------------------------------------------------------

  onOpen(key: string | number | undefined, kind: 'object' | 'array'): void {
    const parent = this.frames[this.frames.length - 1]
    if (parent === undefined) {
      this.frames.push({ type: kind === 'object' ? FRAME_ROOT_OBJECT : FRAME_ROOT_ARRAY })
      return
    }
    switch (parent.type) {
      case FRAME_ROOT_OBJECT:
        if (key === 'data') {
          this.hasData = true
          this.frames.push(kind === 'array' ? { type: FRAME_DATA_ARRAY } : { type: FRAME_TRACE, trace: new TraceReading('data') })
          return
        }
        if (key === 'spans' && kind === 'array') {
          if (this.hasData) {
            this.frames.push({ type: FRAME_IGNORED })
            return
          }
          this.rootTrace ??= new TraceReading('the trace')
          this.rootTrace.hasSpanList = true
          this.frames.push({ type: FRAME_SPANS, trace: this.rootTrace })
          return
        }
        break
      case FRAME_ROOT_ARRAY:
        // An array among the items: not a span (readSpan says so), and its contents are not read.
        this.pendingNow(this.prepare([], 'item ', key as number), this.bareContext)
        this.frames.push({ type: FRAME_IGNORED })
        return
      case FRAME_DATA_ARRAY:
        this.frames.push({ type: FRAME_TRACE, trace: new TraceReading(`data[${key as number}]`) })
        return
      case FRAME_TRACE:
        if (key === 'spans' && kind === 'array') {
          const trace = parent.trace as TraceReading
          trace.hasSpanList = true
          this.frames.push({ type: FRAME_SPANS, trace })
          return
        }
        this.frames.push({ type: FRAME_IGNORED })
        return
      case FRAME_BUILD:
        ;(parent.builder as JsonValueBuilder).onOpen(key, kind)
        this.frames.push(parent)
        return
      default:
        this.frames.push({ type: FRAME_IGNORED })
        return
    }
    // Any other container of the root object is a plain member value.
    const builder = new JsonValueBuilder()
    builder.onOpen(undefined, kind)
    this.frames.push({ type: FRAME_BUILD, builder, key })
  }

  onMember(key: string, value: unknown): void {
    const frame = this.frames[this.frames.length - 1]
    if (frame === undefined) return
    if (frame.type === FRAME_ROOT_OBJECT) this.rootMember(key, value)
    else if (frame.type === FRAME_TRACE) (frame.trace as TraceReading).member(key, value)
    else if (frame.type === FRAME_BUILD) (frame.builder as JsonValueBuilder).onMember(key, value)
  }

  onItem(index: number, item: unknown): void {
    const frame = this.frames[this.frames.length - 1]
    if (frame === undefined) return
    switch (frame.type) {
      case FRAME_ROOT_ARRAY:
        // An array of traces, or of spans (anonymizer output); tell them apart item by item.
        if (isObject(item) && !hasKey(item, 'spanID') && hasKey(item, 'spans')) this.readTraceObject(item, `item [${index}]`)
        else this.pendingNow(this.prepare(item, 'item ', index), this.bareContext)
        return
      case FRAME_DATA_ARRAY:
        this.problem('skipped-document', [], `data[${index}] is ${describeJson(item)}, not a trace object`)
        return
      case FRAME_SPANS: {
        const trace = frame.trace as TraceReading
        trace.pending.push(this.prepare(item, trace.spansWhere, index))
        return
      }
      case FRAME_BUILD:
        ;(frame.builder as JsonValueBuilder).onItem(index, item)
        return
    }
  }

  onClose(): void {
    const frame = this.frames.pop()
    if (frame === undefined) return
    switch (frame.type) {
      case FRAME_TRACE:
        this.finishTrace(frame.trace as TraceReading)
        return
      case FRAME_ROOT_OBJECT:
        this.finishRoot()
        return
      case FRAME_BUILD: {
        const builder = frame.builder as JsonValueBuilder
        builder.onClose()
        if (builder.isComplete) this.rootMember(frame.key as string, builder.value)
        return
      }
    }
  }

  private rootMember(key: string, value: unknown): void {
    Object.defineProperty(this.rootMembers, key, { value, enumerable: true, writable: true, configurable: true })
    if (key === 'data') {
      this.hasData = true
      this.hasDataValue = true
    } else if (key === 'spans' && !this.hasData) {
      this.rootTrace ??= new TraceReading('the trace')
    }
  }

  private finishRoot(): void {
    const document = this.rootMembers
    if (this.hasData) {
      this.readErrors(document.errors)
      const data = document.data
      // `{data: null, errors: [...]}` is Jaeger's "trace not found"; the errors already say so.
      if (this.hasDataValue && !(data === null && Array.isArray(document.errors) && document.errors.length > 0)) {
        this.problem('skipped-document', [], `"data" is ${describeJson(data)}, not a trace or a list of traces`)
      }
      return
    }
    if (this.rootTrace) {
      const trace = this.rootTrace
      for (const key of ['traceID', 'processes', 'warnings', 'spans']) if (hasKey(document, key)) trace.member(key, document[key])
      this.finishTrace(trace)
      return
    }
    if (hasKey(document, 'spanID')) {
      this.pendingNow(this.prepare(document, 'the span', -1), this.bareContext)
      return
    }
    throw new ImportError(
      'invalid-structure',
      'Not Jaeger JSON: the object has neither "data", "spans" nor "spanID". Expected {data:[{traceID, spans, processes}]}, a single trace or a span list.',
    )
  }

  /** The API's `errors: [{code, msg, traceID}]` (partial multi-get, "trace not found"). */
  private readErrors(errors: unknown): void {
    for (const error of asArray(errors)) {
      if (!isObject(error)) continue
      const message = asString(error.msg) ?? safeJson(error)
      const code = asString(error.code)
      const traceId = asString(error.traceID)
      this.errorWarnings.push({
        kind: 'source-warning',
        message: `Jaeger reported an error${traceId ? ` for trace ${traceId}` : ''}: ${message}${code ? ` (code ${code})` : ''}`,
        spanIds: [],
      })
    }
  }

  /** A whole trace object (an item of an array of traces). */
  private readTraceObject(object: JsonObject, where: string): void {
    const trace = new TraceReading(where)
    for (const key of Object.keys(object)) {
      const value = object[key]
      if (key === 'spans' && Array.isArray(value)) {
        trace.hasSpanList = true
        const spans: readonly unknown[] = value
        for (let i = 0; i < spans.length; i++) trace.pending.push(this.prepare(spans[i], trace.spansWhere, i))
      } else {
        trace.member(key, value)
      }
    }
    this.finishTrace(trace)
  }

  private finishTrace(trace: TraceReading): void {
    const traceId = readTraceId(trace.traceIdValue)
    for (const warning of asArray(trace.warningsValue)) {
      const text = textOf(warning)
      if (text === '') continue
      this.sourceWarnings.push({ kind: 'source-warning', message: `Jaeger warning on trace ${traceId ?? trace.where}: ${text}`, spanIds: [] })
    }
    if (!trace.hasSpanList) {
      this.problem('skipped-document', [], `${trace.where} has ${describeJson(trace.spansValue)} "spans", not an array`)
      return
    }
    const context: TraceContext = {
      traceId,
      processes: isObject(trace.processesValue) ? trace.processesValue : undefined,
      processCache: new Map(),
    }
    const pending = trace.pending
    for (let i = 0; i < pending.length; i++) {
      this.pendingNow(pending[i] as PendingSpan, context)
      // Let go of what is finished: a million prepared spans need not wait for the last one.
      pending[i] = DONE
    }
  }

  // --- spans ----------------------------------------------------------------------------------

  /** Everything about a span that needs neither the trace's processes nor its id. */
  private prepare(value: unknown, where: string, index: number): PendingSpan {
    if (!isObject(value)) return { problem: ['invalid-span', [], `${placeOf(where, index)} is ${describeJson(value)}, not a span object`] }
    const spanId = readSpanId(value.spanID)
    if (spanId === undefined) return { problem: ['invalid-span', [], `${placeOf(where, index)} has no spanID`] }
    const traceId = readTraceId(value.traceID)
    if (traceId === undefined) return { raw: value, where: placeOf(where, index), spanId }
    return this.build(value, spanId, traceId)
  }

  private build(value: JsonObject, spanId: string, traceId: string): PreparedSpan {
    // One list for every span, copied only when a span has notes: most have none.
    const notes = this.notes
    notes.length = 0
    const references = this.references
    readReferences(value, traceId, notes, references)
    const processNoteAt = notes.length
    const processId = asString(value.processID)
    const inline = value.process
    const startTimeNs = microsToNanos(value.startTime)
    const durationUs = asNumber(value.duration)
    const durationNs = durationUs === undefined ? undefined : durationUs * 1000
    const name = textOf(value.operationName)

    // The details (tags, logs, extra references) are read on first use when a scan of the raw
    // input proves that reading them adds no note and no warning; the fields that tags decide
    // (kind, status, scope, trace state) come from that scan. Anything else is read now.
    const conventions = this.conventions
    let record: Mutable<SpanRecord>
    let hasRepeatedTags = false
    if (this.shouldDeferDetails && processNoteAt === 0 && canReadLogsSilently(value.logs) && scanTagConventions(value.tags, conventions)) {
      record = new LazySpanRecord<DeferredSpan>(
        traceId,
        spanId,
        name,
        UNKNOWN_SERVICE,
        conventions.kind,
        startTimeNs,
        durationNs,
        conventions.statusCode,
        NO_ATTRIBUTES,
        // A span parsed from a piece of the text keeps the piece, not its parse tree.
        deferredSpan(value),
        this.detailsReaderFor(traceId),
      )
    } else {
      const tags = readKeyValues(value.tags)
      if (tags.unreadable > 0) notes.push(`${tags.unreadable} tag(s) without a key were ignored`)
      const deduped = dedupeAttributesFast(readTagConventions(tags.attributes, conventions))
      hasRepeatedTags = deduped.repeated > 0
      record = {
        traceId,
        spanId,
        name,
        service: UNKNOWN_SERVICE,
        kind: conventions.kind,
        startTimeNs,
        durationNs,
        statusCode: conventions.statusCode,
        attributes: deduped.attributes.length > 0 ? deduped.attributes : NO_ATTRIBUTES,
        resource: NO_ATTRIBUTES,
        events: readLogs(value.logs, startTimeNs, notes),
        links: linksOf(references),
      }
    }
    const scope = conventions.scope(this.scopes)

    for (const warning of asArray(value.warnings)) {
      const text = textOf(warning)
      if (text !== '') notes.push(text)
    }

    const parentSpanId = references.parentSpanId
    if (parentSpanId !== undefined) record.parentSpanId = parentSpanId
    if (references.isAsyncParent && parentSpanId !== undefined) record.isAsyncParent = true
    if (conventions.statusMessage !== undefined) record.statusMessage = conventions.statusMessage
    if (scope !== undefined) record.scope = scope
    if (conventions.traceState !== undefined) record.traceState = conventions.traceState
    const flags = asNumber(value.flags)
    if (flags !== undefined && Number.isInteger(flags) && flags >= 0) record.flags = flags
    return {
      record,
      spanId,
      notes: notes.length > 0 ? notes.slice() : NO_NOTES,
      processNoteAt,
      processId,
      inlineProcess: isObject(inline) ? inline : undefined,
      hasRepeatedTags,
    }
  }

  /** One reader per trace id (the links of a span need it); spans of a trace come together. */
  private detailsReaderFor(traceId: string): JaegerDetailsReader {
    let reader = this.lastDetailsReader
    if (reader === undefined || reader.traceId !== traceId) {
      reader = new JaegerDetailsReader(traceId)
      this.lastDetailsReader = reader
    }
    return reader
  }

  /** Finishes a span once its trace is known: problems are reported in span order. */
  private pendingNow(pending: PendingSpan, context: TraceContext): void {
    if ('problem' in pending) {
      const [kind, spanIds, example] = pending.problem
      this.problem(kind, spanIds, example)
      return
    }
    let prepared: PreparedSpan
    if ('raw' in pending) {
      const traceId = context.traceId
      if (traceId === undefined) {
        this.problem('invalid-span', [pending.spanId], `${pending.where} (span ${pending.spanId}) has no traceID`)
        return
      }
      prepared = this.build(pending.raw, pending.spanId, traceId)
    } else {
      prepared = pending
    }
    const { record, spanId } = prepared
    let notes = prepared.notes
    const process = this.resolveProcess(prepared, context, spanId)
    if (process === undefined) {
      const processId = prepared.processId
      notes = notes.toSpliced(
        prepared.processNoteAt,
        0,
        processId === undefined
          ? `the span names no process; service "${UNKNOWN_SERVICE}"`
          : `process "${processId}" is not in the trace's processes; service "${UNKNOWN_SERVICE}"`,
      )
    }
    if (prepared.hasRepeatedTags) this.problem('duplicate-attribute', [spanId], `span ${spanId}`)
    const resolved = process ?? UNKNOWN_PROCESS
    record.service = resolved.service
    record.resource = resolved.resource
    if (resolved.note !== undefined) notes = [resolved.note, ...notes]
    if (notes.length > 0) record.warnings = notes
    this.spans.push(record)
  }

  /**
   * Service and resource: `processes[processID]`, else the inline `process` (anonymizer
   * output), else undefined ("unknown_service", with a note). Process ids are looked up as own
   * keys only: real files have ids like "__proto__" (formats.md §8.17).
   */
  private resolveProcess(span: PreparedSpan, context: TraceContext, spanId: string): ResolvedProcess | undefined {
    const processId = span.processId
    if (processId !== undefined && context.processes) {
      const cached = context.processCache.get(processId)
      if (cached) return cached
      const process = ownValue(context.processes, processId)
      if (isObject(process)) {
        const resolved = this.makeProcess(process, `process "${processId}"`, spanId)
        context.processCache.set(processId, resolved)
        return resolved
      }
    }
    const inline = span.inlineProcess
    if (inline !== undefined) {
      const key = safeJson(inline)
      const cached = this.inlineProcesses.get(key)
      if (cached) return cached
      const resolved = this.makeProcess(inline, 'the inline process', spanId)
      this.inlineProcesses.set(key, resolved)
      return resolved
    }
    return undefined
  }

  private makeProcess(process: JsonObject, what: string, spanId: string): ResolvedProcess {
    const name = asString(process.serviceName)?.trim()
    const service = name ? name : UNKNOWN_SERVICE
    const tags = readKeyValues(process.tags)
    const deduped = dedupeAttributesFast(tags.attributes)
    if (deduped.repeated > 0) this.problem('duplicate-attribute', [spanId], `${what} of span ${spanId}`)
    const hasServiceName = deduped.attributes.some((attribute) => attribute.key === 'service.name')
    const resource = hasServiceName ? deduped.attributes : [{ key: 'service.name', value: service }, ...deduped.attributes]
    const problems: string[] = []
    if (!name) problems.push(`${what} has no serviceName; service "${UNKNOWN_SERVICE}"`)
    if (tags.unreadable > 0) problems.push(`${what} has ${tags.unreadable} tag(s) without a key, ignored`)
    return problems.length > 0 ? { service, resource, note: problems.join('; ') } : { service, resource }
  }
}

/** "data[0].spans[3]" for messages, put together only when one is written (`index` -1: `where` alone). */
function placeOf(where: string, index: number): string {
  return index < 0 ? where : `${where}[${index}]`
}

// ---------------------------------------------------------------------------------------------
// Span details

interface Reference {
  readonly kind: LinkKind
  readonly traceId: string
  readonly spanId: string
}

/** Where `readReferences` puts what it read (one instance reused span after span). */
class References {
  parentSpanId: string | undefined = undefined
  isAsyncParent = false
  /** The readable references when some of them become links; undefined when none does. */
  refs: readonly Reference[] | undefined = undefined
  parentAt = 0
}

/**
 * Parent = the first CHILD_OF reference into the same trace, else the first FOLLOWS_FROM
 * into the same trace, else the legacy `parentSpanID` (formats.md §2.1). Every other
 * reference — into other traces, or extra ones — becomes a link (`linksOf`).
 */
function readReferences(span: JsonObject, traceId: string, notes: string[], out: References): void {
  const references = asArray(span.references)
  out.isAsyncParent = false
  out.refs = undefined
  out.parentAt = 0
  // The usual case, one CHILD_OF into the same trace, without the general bookkeeping.
  if (references.length === 1) {
    const reference = references[0]
    if (isObject(reference)) {
      const spanId = reference.spanID
      const refType = reference.refType
      // `readTraceId` gives back what it returned, so an id equal to the span's is its trace.
      const refTraceId = reference.traceID
      if (
        typeof spanId === 'string' &&
        isCanonicalSpanId(spanId) &&
        (refType === 'CHILD_OF' || refType === undefined) &&
        (refTraceId === traceId || (readTraceId(refTraceId) ?? traceId) === traceId)
      ) {
        // An all-zero parent reference means "no parent" (formats.md §1.2 rule 4).
        out.parentSpanId = spanId === ZERO_SPAN_ID ? undefined : spanId
        return
      }
    }
  }
  const refs: Reference[] = []
  for (let i = 0; i < references.length; i++) {
    const reference = references[i]
    if (!isObject(reference)) {
      notes.push(`reference ${i} is ${describeJson(reference)}, not an object; ignored`)
      continue
    }
    const spanId = readSpanId(reference.spanID)
    if (spanId === undefined) {
      notes.push(`reference ${i} has no spanID; ignored`)
      continue
    }
    // Jaeger's enum default (0) is CHILD_OF, so a missing or unknown refType is CHILD_OF.
    const refType = typeof reference.refType === 'string' ? reference.refType.trim().toUpperCase() : ''
    refs.push({
      kind: refType === 'FOLLOWS_FROM' ? 'follows_from' : 'child_of',
      traceId: readTraceId(reference.traceID) ?? traceId,
      spanId,
    })
  }
  let parentAt = refs.findIndex((ref) => ref.kind === 'child_of' && ref.traceId === traceId)
  if (parentAt < 0) parentAt = refs.findIndex((ref) => ref.kind === 'follows_from' && ref.traceId === traceId)
  // A FOLLOWS_FROM parent does not wait for its child: the critical path treats it as async.
  out.isAsyncParent = parentAt >= 0 && refs[parentAt]?.kind === 'follows_from'
  // An all-zero parent reference means "no parent" (formats.md §1.2 rule 4).
  out.parentSpanId = parentAt >= 0 ? readParentId((refs[parentAt] as Reference).spanId) : readParentId(span.parentSpanID)
  if (refs.length === 0 || (refs.length === 1 && parentAt === 0)) return
  out.refs = refs
  out.parentAt = parentAt
}

/** The references that are not the parent. */
function linksOf(references: References): readonly SpanLink[] {
  const { refs, parentAt } = references
  if (refs === undefined) return NO_LINKS
  const links: SpanLink[] = []
  refs.forEach((ref, i) => {
    if (i !== parentAt) links.push({ traceId: ref.traceId, spanId: ref.spanId, kind: ref.kind, attributes: NO_ATTRIBUTES })
  })
  return links
}

/** Logs → events: name from the `event` field, else `message`, else "log"; other fields are attributes. */
function readLogs(logs: unknown, spanStartNs: bigint | undefined, notes: string[]): readonly SpanEvent[] {
  const list = asArray(logs)
  if (list.length === 0) return NO_EVENTS
  const events: SpanEvent[] = []
  for (let i = 0; i < list.length; i++) {
    const log = list[i]
    if (!isObject(log)) {
      notes.push(`log ${i} is ${describeJson(log)}, not an object; ignored`)
      continue
    }
    let timeNs = microsToNanos(log.timestamp)
    if (timeNs === undefined) {
      notes.push(`log ${i} has no timestamp; placed at the span start`)
      timeNs = spanStartNs ?? 0n
    }
    const fields = readKeyValues(log.fields)
    if (fields.unreadable > 0) notes.push(`log ${i}: ${fields.unreadable} field(s) without a key were ignored`)
    const attributes = dedupeAttributesFast(fields.attributes).attributes
    let nameAt = attributes.findIndex((field) => field.key === 'event' && isNamingValue(field.value))
    if (nameAt < 0) nameAt = attributes.findIndex((field) => field.key === 'message' && isNamingValue(field.value))
    let name = 'log'
    if (nameAt >= 0) {
      name = attributeToString((attributes[nameAt] as Attribute).value)
      attributes.splice(nameAt, 1)
    }
    events.push({ timeNs, name, attributes: attributes.length > 0 ? attributes : NO_ATTRIBUTES })
  }
  return events
}

/** True when `readLogs` would add no note: every log an object with a timestamp, every field keyed. */
function canReadLogsSilently(logs: unknown): boolean {
  if (!Array.isArray(logs)) return true
  const list: readonly unknown[] = logs
  for (let i = 0; i < list.length; i++) {
    const log = list[i]
    if (!isObject(log)) return false
    if (!isReadableMicros(log.timestamp)) return false
    if (!areKeyValuesReadable(log.fields)) return false
  }
  return true
}

/** True when `readKeyValues` would find no entry without a key. */
function areKeyValuesReadable(list: unknown): boolean {
  if (!Array.isArray(list)) return true
  const items: readonly unknown[] = list
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if (!isObject(item) || typeof item.key !== 'string') return false
  }
  return true
}

/**
 * Reads a deferred span's details from its raw Jaeger span, as `build` would have. Only spans
 * whose reading adds no note get here, so the notes it is handed are thrown away.
 */
class JaegerDetailsReader implements DetailsReader<DeferredSpan> {
  /** The span's trace: a reference without a traceID points into it. */
  readonly traceId: string

  constructor(traceId: string) {
    this.traceId = traceId
  }

  readDetails(kept: DeferredSpan): SpanDetails {
    const span = spanOf(kept)
    const references = new References()
    readReferences(span, this.traceId, [], references)
    // No repeated key (the scan said so): the attributes need no dedupe.
    const attributes = readTagConventions(readKeyValues(span.tags).attributes, new ConventionTags())
    return {
      attributes: attributes.length > 0 ? attributes : NO_ATTRIBUTES,
      events: readLogs(span.logs, microsToNanos(span.startTime), []),
      links: linksOf(references),
    }
  }
}

function isNamingValue(value: AttrValue): boolean {
  return typeof value === 'string' ? value !== '' : typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean'
}

// The tag keys that carry model fields (`ConventionTags`), numbered by their length, which
// differs from key to key: telling whether a key is one costs one string comparison at most.
const NOT_A_CONVENTION = -1
const ERROR = 5
const SPAN_KIND = 9
const W3C_TRACESTATE = 14
const OTEL_SCOPE_NAME = 15
const OTEL_STATUS_CODE = 16
const OTEL_LIBRARY_NAME = 17
const OTEL_SCOPE_VERSION = 18
const OTEL_LIBRARY_VERSION = 20
const OTEL_STATUS_DESCRIPTION = 23

const CONVENTION_KEY_BY_LENGTH: readonly (string | undefined)[] = (() => {
  const keys: (string | undefined)[] = []
  keys[ERROR] = 'error'
  keys[SPAN_KIND] = 'span.kind'
  keys[W3C_TRACESTATE] = 'w3c.tracestate'
  keys[OTEL_SCOPE_NAME] = 'otel.scope.name'
  keys[OTEL_STATUS_CODE] = 'otel.status_code'
  keys[OTEL_LIBRARY_NAME] = 'otel.library.name'
  keys[OTEL_SCOPE_VERSION] = 'otel.scope.version'
  keys[OTEL_LIBRARY_VERSION] = 'otel.library.version'
  keys[OTEL_STATUS_DESCRIPTION] = 'otel.status_description'
  // Without holes: a packed array is read faster.
  return Array.from(keys)
})()

/** The convention a tag key names, or NOT_A_CONVENTION. */
function conventionOf(key: string): number {
  const length = key.length
  return length < CONVENTION_KEY_BY_LENGTH.length && CONVENTION_KEY_BY_LENGTH[length] === key ? length : NOT_A_CONVENTION
}

// Read for every span: module constants rather than a property of an imported object each time.
const UNSPECIFIED_KIND = SpanKind.Unspecified
const ERROR_STATUS = StatusCode.Error
const UNSET_STATUS = StatusCode.Unset

// What a tag is to the span (`ConventionTags.take`).
const TAG_STAYS = 0
const TAG_TAKEN = 1
/** An `otel.library.*` tag: taken, unless `otel.scope.name` is there too. */
const TAG_LIBRARY = 2

/**
 * Tags that carry model fields (formats.md §2.1 "Conventions carried in tags").
 *
 * - `span.kind` becomes `kind` and leaves the attributes (an unknown value stays a tag).
 * - `otel.status_code` / `otel.status_description` become `statusCode` / `statusMessage` and
 *   leave the attributes: they are a rendering of the OTLP status, and the exporter writes them back.
 * - `error` decides the status when there is no `otel.status_code`, and STAYS an attribute:
 *   for Jaeger-native producers it is the only error marker, users search for it, and it may
 *   carry detail ("true" strings). The exporter does not add a second one.
 * - `otel.scope.*` (older `otel.library.*`) become `scope`, `w3c.tracestate` becomes
 *   `traceState`; both leave the attributes.
 *
 * One instance reads the tags of one span after another (`reset` between spans), so that the
 * scan of a deferred span allocates nothing for the tags that are not conventions.
 */
class ConventionTags {
  kind: SpanKind = UNSPECIFIED_KIND
  private isErrorTag = false
  private otelStatus: StatusCode | undefined
  statusMessage: string | undefined
  private scopeName: string | undefined
  private scopeVersion: string | undefined
  private libraryName: string | undefined
  private libraryVersion: string | undefined
  traceState: string | undefined

  reset(): void {
    this.kind = UNSPECIFIED_KIND
    this.isErrorTag = false
    this.otelStatus = undefined
    this.statusMessage = undefined
    this.scopeName = undefined
    this.scopeVersion = undefined
    this.libraryName = undefined
    this.libraryVersion = undefined
    this.traceState = undefined
  }

  /** Reads one tag whose key is a convention (`conventionOf`); says whether it stays an attribute. */
  take(convention: number, value: AttrValue): number {
    const text = typeof value === 'string' ? value : undefined
    switch (convention) {
      case SPAN_KIND: {
        const mapped = text === undefined ? undefined : KIND_BY_TAG.get(text.trim().toLowerCase())
        if (mapped === undefined) return TAG_STAYS
        this.kind = mapped
        return TAG_TAKEN
      }
      case ERROR:
        // `error=false` / "false" is explicitly not an error.
        this.isErrorTag = value === true || (text !== undefined && text.trim().toLowerCase() === 'true')
        return TAG_STAYS
      case OTEL_STATUS_CODE: {
        const mapped = text === undefined ? undefined : STATUS_BY_TAG.get(text.trim().toUpperCase())
        if (mapped === undefined) return TAG_STAYS
        this.otelStatus = mapped
        return TAG_TAKEN
      }
      case OTEL_STATUS_DESCRIPTION:
        this.statusMessage = attributeToString(value)
        return TAG_TAKEN
      case OTEL_SCOPE_NAME:
        this.scopeName = attributeToString(value)
        return TAG_TAKEN
      case OTEL_SCOPE_VERSION:
        this.scopeVersion = attributeToString(value)
        return TAG_TAKEN
      case OTEL_LIBRARY_NAME:
        this.libraryName = attributeToString(value)
        return TAG_LIBRARY
      case OTEL_LIBRARY_VERSION:
        this.libraryVersion = attributeToString(value)
        return TAG_LIBRARY
      case W3C_TRACESTATE:
        if (text === undefined) return TAG_STAYS
        this.traceState = text
        return TAG_TAKEN
    }
    return TAG_STAYS
  }

  get statusCode(): StatusCode {
    return this.otelStatus ?? (this.isErrorTag ? ERROR_STATUS : UNSET_STATUS)
  }

  /** Both spellings present: the newer one is the scope, the older one stays visible as tags. */
  get keepsLibraryTags(): boolean {
    return this.scopeName !== undefined
  }

  scope(scopes: ScopeTable): InstrumentationScope | undefined {
    const name = this.scopeName ?? this.libraryName
    const version = this.scopeName !== undefined ? this.scopeVersion : (this.libraryVersion ?? this.scopeVersion)
    return name !== undefined || version !== undefined ? sharedScope(scopes, name ?? '', version) : undefined
  }
}

/** A span's tags without the ones that became model fields (`conventions` holds those). */
function readTagConventions(tags: readonly Attribute[], conventions: ConventionTags): Attribute[] {
  conventions.reset()
  const attributes: Attribute[] = []
  let library: Attribute[] | undefined
  for (const tag of tags) {
    const convention = conventionOf(tag.key)
    const taken = convention === NOT_A_CONVENTION ? TAG_STAYS : conventions.take(convention, tag.value)
    if (taken === TAG_STAYS) attributes.push(tag)
    else if (taken === TAG_LIBRARY) (library ??= []).push(tag)
  }
  if (library !== undefined && conventions.keepsLibraryTags) for (const tag of library) attributes.push(tag)
  return attributes
}

/** Tag lists longer than this are read at once (rare; the scan below is quadratic in the worst case). */
const MAX_SCANNED_TAGS = 64

/**
 * Reads the convention tags of a span into `conventions` straight from the raw tags, without
 * an attribute for each of the others. False when reading the tags would note or warn (a tag
 * without a key, a repeated key: any repeat, even of a key that would leave the attributes),
 * so the span must be read at once.
 */
function scanTagConventions(tags: unknown, conventions: ConventionTags): boolean {
  conventions.reset()
  if (!Array.isArray(tags)) return true
  const list: readonly unknown[] = tags
  const n = list.length
  if (n > MAX_SCANNED_TAGS) return false
  // Bit k: a key of length k (31: of 31 or more) was seen. Keys of a span mostly differ in
  // length, so most keys are compared with no other: string comparisons cost more than the rest.
  let lengths = 0
  for (let i = 0; i < n; i++) {
    const tag = list[i]
    // `isObject`, written out: this loop runs for every tag of every span.
    if (typeof tag !== 'object' || tag === null || Array.isArray(tag)) return false
    const key = (tag as JsonObject).key
    if (typeof key !== 'string') return false
    const length = key.length
    const bit = 1 << (length < 31 ? length : 31)
    if ((lengths & bit) !== 0) {
      for (let j = 0; j < i; j++) {
        const other = (list[j] as JsonObject).key as string
        if (other.length === length && other === key) return false
      }
    }
    lengths |= bit
    const convention = conventionOf(key)
    if (convention !== NOT_A_CONVENTION) conventions.take(convention, readTagValue((tag as JsonObject).type, (tag as JsonObject).value))
  }
  return true
}

/**
 * Equal scopes are one object: a million spans of one library share it. A file names a handful
 * of scopes, and neighbouring spans often differ (a server span, its database client span…), so
 * the first few are compared in turn, which is cheaper than a map key made of both strings.
 */
interface ScopeTable {
  readonly byKey: Map<string, InstrumentationScope>
  /** The first `FIRST_SCOPES` scopes of the file. */
  readonly first: InstrumentationScope[]
}

const FIRST_SCOPES = 16

function sharedScope(scopes: ScopeTable, name: string, version: string | undefined): InstrumentationScope {
  const first = scopes.first
  for (let i = 0; i < first.length; i++) {
    // A scope has a `version` member exactly when it has a version (see below).
    const scope = first[i] as InstrumentationScope
    if (scope.name === name && scope.version === version) return scope
  }
  const key = version === undefined ? `-${name}` : `+${name}\u0000${version}`
  let scope = scopes.byKey.get(key)
  if (!scope) {
    scope = version === undefined ? { name } : { name, version }
    scopes.byKey.set(key, scope)
    if (first.length < FIRST_SCOPES) first.push(scope)
  }
  return scope
}

export interface JaegerImportOptions {
  /**
   * Read a span's attributes, events and links on first use when that cannot warn (default
   * true; see `lazy-span.ts`). False reads every span at once, as tests compare.
   */
  readonly deferDetails?: boolean
}

export function importJaegerJson(document: unknown, options: JaegerImportOptions = {}): ImportResult {
  const reader = new JaegerReader(options)
  try {
    reader.readDocument(document)
  } catch (error) {
    if (error instanceof ImportError) throw error
    // Belt and braces: whatever the input, callers only ever see an ImportError.
    throw new ImportError('invalid-structure', `Jaeger JSON could not be read: ${error instanceof Error ? error.message : 'unexpected value'}.`)
  }
  return reader.result()
}

export const jaegerImporter: TraceImporter = {
  format: 'jaeger-json',
  label: 'Jaeger JSON',
  expects: '{"data":[{"traceID", "spans", "processes"}]}, a single trace, an array of traces, or a span list with "spanID"',
  detect: detectJaegerJson,
  importDocument: (document) => importJaegerJson(document),
  createStreamReader: () => new JaegerReader(),
}
