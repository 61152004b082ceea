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
import { attributeToString, dedupeAttributes } from '../model/attributes.ts'
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
import type { TraceImporter } from './importer.ts'
import { decodeBase64, isHexId, normalizeParentId, normalizeSpanId, normalizeTraceId } from './ids.ts'
import { asArray, asNumber, asString, isObject, microsToNanos, ownValue } from './values.ts'
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
  const text = asString(raw)?.trim()
  if (!text) return undefined
  return isHexId(text) ? normalizeTraceId(text) : text
}

function readSpanId(raw: unknown): string | undefined {
  const text = asString(raw)?.trim()
  if (!text) return undefined
  return isHexId(text) ? normalizeSpanId(text) : text
}

/** Like `readSpanId`, but absent, empty and all-zero ids mean "no parent". */
function readParentId(raw: unknown): string | undefined {
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

class JaegerReader {
  readonly spans: SpanRecord[] = []
  private readonly sourceWarnings: TraceWarning[] = []
  private readonly problems = new Map<WarningKind, ProblemGroup>()
  /** Inline processes (anonymizer output repeats one per span), shared by content. */
  private readonly inlineProcesses = new Map<string, ResolvedProcess>()
  private readonly bareContext: TraceContext = { traceId: undefined, processes: undefined, processCache: new Map() }

  result(): ImportResult {
    const warnings = [...this.sourceWarnings]
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
    if (Array.isArray(document)) {
      // An array of traces, or of spans (anonymizer output); tell them apart item by item.
      document.forEach((item, i) => {
        if (isObject(item) && !hasKey(item, 'spanID') && hasKey(item, 'spans')) this.readTrace(item, `item [${i}]`)
        else this.readSpan(item, `item [${i}]`, this.bareContext)
      })
      return
    }
    if (!isObject(document)) {
      throw new ImportError('invalid-structure', `Not Jaeger JSON: the document is ${describeJson(document)}, expected an object or an array.`)
    }
    if (hasKey(document, 'data')) {
      this.readErrors(document.errors)
      const data = document.data
      if (Array.isArray(data)) {
        data.forEach((item, i) => {
          if (isObject(item)) this.readTrace(item, `data[${i}]`)
          else this.problem('skipped-document', [], `data[${i}] is ${describeJson(item)}, not a trace object`)
        })
      } else if (isObject(data)) {
        this.readTrace(data, 'data')
      } else if (!(data === null && Array.isArray(document.errors) && document.errors.length > 0)) {
        // `{data: null, errors: [...]}` is Jaeger's "trace not found"; the errors already say so.
        this.problem('skipped-document', [], `"data" is ${describeJson(data)}, not a trace or a list of traces`)
      }
      return
    }
    if (hasKey(document, 'spans')) {
      this.readTrace(document, 'the trace')
      return
    }
    if (hasKey(document, 'spanID')) {
      this.readSpan(document, 'the span', this.bareContext)
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
      this.sourceWarnings.push({
        kind: 'source-warning',
        message: `Jaeger reported an error${traceId ? ` for trace ${traceId}` : ''}: ${message}${code ? ` (code ${code})` : ''}`,
        spanIds: [],
      })
    }
  }

  private readTrace(trace: JsonObject, where: string): void {
    const traceId = readTraceId(trace.traceID)
    for (const warning of asArray(trace.warnings)) {
      const text = textOf(warning)
      if (text === '') continue
      this.sourceWarnings.push({ kind: 'source-warning', message: `Jaeger warning on trace ${traceId ?? where}: ${text}`, spanIds: [] })
    }
    const spans = trace.spans
    if (!Array.isArray(spans)) {
      this.problem('skipped-document', [], `${where} has ${describeJson(spans)} "spans", not an array`)
      return
    }
    const context: TraceContext = {
      traceId,
      processes: isObject(trace.processes) ? trace.processes : undefined,
      processCache: new Map(),
    }
    for (let i = 0; i < spans.length; i++) this.readSpan(spans[i], `${where}.spans[${i}]`, context)
  }

  private readSpan(value: unknown, where: string, context: TraceContext): void {
    if (!isObject(value)) {
      this.problem('invalid-span', [], `${where} is ${describeJson(value)}, not a span object`)
      return
    }
    const spanId = readSpanId(value.spanID)
    if (spanId === undefined) {
      this.problem('invalid-span', [], `${where} has no spanID`)
      return
    }
    const traceId = readTraceId(value.traceID) ?? context.traceId
    if (traceId === undefined) {
      this.problem('invalid-span', [spanId], `${where} (span ${spanId}) has no traceID`)
      return
    }
    const notes: string[] = []

    const { parentSpanId, isAsyncParent, links } = this.readReferences(value, traceId, notes)
    const process = this.resolveProcess(value, context, spanId, notes)
    const startTimeNs = microsToNanos(value.startTime)
    const durationUs = asNumber(value.duration)

    const tags = readKeyValues(value.tags)
    if (tags.unreadable > 0) notes.push(`${tags.unreadable} tag(s) without a key were ignored`)
    const conventions = readTagConventions(tags.attributes)
    const deduped = dedupeAttributes(conventions.attributes)
    if (deduped.repeated > 0) this.problem('duplicate-attribute', [spanId], `span ${spanId}`)

    const events = this.readLogs(value.logs, startTimeNs, notes)

    for (const warning of asArray(value.warnings)) {
      const text = textOf(warning)
      if (text !== '') notes.push(text)
    }

    const record: Mutable<SpanRecord> = {
      traceId,
      spanId,
      name: textOf(value.operationName),
      service: process.service,
      kind: conventions.kind,
      startTimeNs,
      durationNs: durationUs === undefined ? undefined : durationUs * 1000,
      statusCode: conventions.statusCode,
      attributes: deduped.attributes.length > 0 ? deduped.attributes : NO_ATTRIBUTES,
      resource: process.resource,
      events,
      links,
    }
    if (parentSpanId !== undefined) record.parentSpanId = parentSpanId
    if (isAsyncParent && parentSpanId !== undefined) record.isAsyncParent = true
    if (conventions.statusMessage !== undefined) record.statusMessage = conventions.statusMessage
    if (conventions.scope !== undefined) record.scope = conventions.scope
    if (conventions.traceState !== undefined) record.traceState = conventions.traceState
    const flags = asNumber(value.flags)
    if (flags !== undefined && Number.isInteger(flags) && flags >= 0) record.flags = flags
    if (process.note !== undefined) notes.unshift(process.note)
    if (notes.length > 0) record.warnings = notes
    this.spans.push(record)
  }

  /**
   * Parent = the first CHILD_OF reference into the same trace, else the first FOLLOWS_FROM
   * into the same trace, else the legacy `parentSpanID` (formats.md §2.1). Every other
   * reference — into other traces, or extra ones — becomes a link.
   */
  private readReferences(
    span: JsonObject,
    traceId: string,
    notes: string[],
  ): { parentSpanId: string | undefined; isAsyncParent: boolean; links: readonly SpanLink[] } {
    const references = asArray(span.references)
    const refs: { kind: LinkKind; traceId: string; spanId: string }[] = []
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
    let parentSpanId: string | undefined
    // A FOLLOWS_FROM parent does not wait for its child: the critical path treats it as async.
    const isAsyncParent = parentAt >= 0 && refs[parentAt]?.kind === 'follows_from'
    if (parentAt >= 0) {
      const parent = refs[parentAt] as (typeof refs)[number]
      // An all-zero parent reference means "no parent" (formats.md §1.2 rule 4).
      parentSpanId = readParentId(parent.spanId)
    } else {
      parentSpanId = readParentId(span.parentSpanID)
    }
    if (refs.length === 0 || (refs.length === 1 && parentAt === 0)) return { parentSpanId, isAsyncParent, links: NO_LINKS }
    const links: SpanLink[] = []
    refs.forEach((ref, i) => {
      if (i !== parentAt) links.push({ traceId: ref.traceId, spanId: ref.spanId, kind: ref.kind, attributes: NO_ATTRIBUTES })
    })
    return { parentSpanId, isAsyncParent, links }
  }

  /**
   * Service and resource: `processes[processID]`, else the inline `process` (anonymizer
   * output), else "unknown_service" with a note. Process ids are looked up as own keys only:
   * real files have ids like "__proto__" (formats.md §8.17).
   */
  private resolveProcess(span: JsonObject, context: TraceContext, spanId: string, notes: string[]): ResolvedProcess {
    const processId = asString(span.processID)
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
    const inline = span.process
    if (isObject(inline)) {
      const key = safeJson(inline)
      const cached = this.inlineProcesses.get(key)
      if (cached) return cached
      const resolved = this.makeProcess(inline, 'the inline process', spanId)
      this.inlineProcesses.set(key, resolved)
      return resolved
    }
    notes.push(
      processId === undefined
        ? `the span names no process; service "${UNKNOWN_SERVICE}"`
        : `process "${processId}" is not in the trace's processes; service "${UNKNOWN_SERVICE}"`,
    )
    return UNKNOWN_PROCESS
  }

  private makeProcess(process: JsonObject, what: string, spanId: string): ResolvedProcess {
    const name = asString(process.serviceName)?.trim()
    const service = name ? name : UNKNOWN_SERVICE
    const tags = readKeyValues(process.tags)
    const deduped = dedupeAttributes(tags.attributes)
    if (deduped.repeated > 0) this.problem('duplicate-attribute', [spanId], `${what} of span ${spanId}`)
    const hasServiceName = deduped.attributes.some((attribute) => attribute.key === 'service.name')
    const resource = hasServiceName ? deduped.attributes : [{ key: 'service.name', value: service }, ...deduped.attributes]
    const problems: string[] = []
    if (!name) problems.push(`${what} has no serviceName; service "${UNKNOWN_SERVICE}"`)
    if (tags.unreadable > 0) problems.push(`${what} has ${tags.unreadable} tag(s) without a key, ignored`)
    return problems.length > 0 ? { service, resource, note: problems.join('; ') } : { service, resource }
  }

  /** Logs → events: name from the `event` field, else `message`, else "log"; other fields are attributes. */
  private readLogs(logs: unknown, spanStartNs: bigint | undefined, notes: string[]): readonly SpanEvent[] {
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
      const attributes = dedupeAttributes(fields.attributes).attributes
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
}

function isNamingValue(value: AttrValue): boolean {
  return typeof value === 'string' ? value !== '' : typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean'
}

interface TagConventions {
  readonly attributes: Attribute[]
  readonly kind: SpanKind
  readonly statusCode: StatusCode
  readonly statusMessage?: string
  readonly scope?: InstrumentationScope
  readonly traceState?: string
}

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
 */
function readTagConventions(tags: readonly Attribute[]): TagConventions {
  const attributes: Attribute[] = []
  const library: Attribute[] = []
  let kind: SpanKind = SpanKind.Unspecified
  let isErrorTag = false
  let otelStatus: StatusCode | undefined
  let statusMessage: string | undefined
  let scopeName: string | undefined
  let scopeVersion: string | undefined
  let libraryName: string | undefined
  let libraryVersion: string | undefined
  let traceState: string | undefined
  for (const tag of tags) {
    const value = tag.value
    const text = typeof value === 'string' ? value : undefined
    switch (tag.key) {
      case 'span.kind': {
        const mapped = text === undefined ? undefined : KIND_BY_TAG.get(text.trim().toLowerCase())
        if (mapped !== undefined) {
          kind = mapped
          continue
        }
        break
      }
      case 'error':
        // `error=false` / "false" is explicitly not an error.
        isErrorTag = value === true || (text !== undefined && text.trim().toLowerCase() === 'true')
        break
      case 'otel.status_code': {
        const mapped = text === undefined ? undefined : STATUS_BY_TAG.get(text.trim().toUpperCase())
        if (mapped !== undefined) {
          otelStatus = mapped
          continue
        }
        break
      }
      case 'otel.status_description':
        statusMessage = attributeToString(value)
        continue
      case 'otel.scope.name':
        scopeName = attributeToString(value)
        continue
      case 'otel.scope.version':
        scopeVersion = attributeToString(value)
        continue
      case 'otel.library.name':
        libraryName = attributeToString(value)
        library.push(tag)
        continue
      case 'otel.library.version':
        libraryVersion = attributeToString(value)
        library.push(tag)
        continue
      case 'w3c.tracestate':
        if (text !== undefined) {
          traceState = text
          continue
        }
        break
    }
    attributes.push(tag)
  }
  // Both spellings present: the newer one is the scope, the older one stays visible as tags.
  if (scopeName !== undefined && library.length > 0) for (const tag of library) attributes.push(tag)
  const name = scopeName ?? libraryName
  const version = scopeName !== undefined ? scopeVersion : (libraryVersion ?? scopeVersion)
  const result: Mutable<TagConventions> = {
    attributes,
    kind,
    statusCode: otelStatus ?? (isErrorTag ? StatusCode.Error : StatusCode.Unset),
  }
  if (statusMessage !== undefined) result.statusMessage = statusMessage
  if (name !== undefined) result.scope = version === undefined ? { name } : { name, version }
  else if (version !== undefined) result.scope = { name: '', version }
  if (traceState !== undefined) result.traceState = traceState
  return result
}

export function importJaegerJson(document: unknown): ImportResult {
  const reader = new JaegerReader()
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
  importDocument: importJaegerJson,
}
