/**
 * Zipkin JSON importers (formats.md §3.1 v2, §3.3 v1; quirks §8).
 *
 * Both formats are first read into one intermediate shape, `ZipkinSpan`, which is a v2 span
 * (v1 spans are split the way Zipkin's own `V1SpanConverter` splits them). The common tail,
 * `toSpanRecords`, then makes span ids unique (shared client/server spans), picks parents,
 * fills in missing service names and maps everything onto `SpanRecord`.
 *
 * Model mapping, in one place:
 * - `localEndpoint` → resource `service.name`, `network.local.address` (ipv4, else ipv6),
 *   `network.local.port`, plus `zipkin.local.ipv6` when an endpoint has both addresses;
 * - `remoteEndpoint` → span attributes `peer.service`, `network.peer.address`,
 *   `network.peer.port` (`zipkin.remote.ipv6` likewise), unless a tag of that name exists;
 * - tags → string attributes; `error` (any value, even "") → status Error, message = value;
 *   `otel.status_code` / `otel.status_description` → status, and removed from the attributes;
 * - annotations → events; `debug: true` → boolean attribute `zipkin.debug`.
 *
 * A v2 span whose tags all have a value and whose annotations are all readable (nearly every
 * span) becomes a `LazySpanRecord`: its attributes and events are read from the input on first
 * use, since reading them then cannot warn. The status is decided at once from the three status
 * tags, found in one pass over the tags that builds nothing. v1 spans are read eagerly: their
 * details come out of the conversion that also decides kinds, times and endpoints.
 */
import { LazySpanRecord } from '../model/lazy-span.ts'
import type { DetailsReader, SpanDetails } from '../model/lazy-span.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type { Attribute, ImportResult, SpanEvent, SpanLink, SpanRecord, TraceWarning } from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import type { StreamImportReader, TraceImporter } from './importer.ts'
import { normalizeParentId, normalizeSpanId, normalizeTraceId } from './ids.ts'
import { JSON_STRING, PLAIN_STRING } from './skim-patterns.ts'
import { deferredSpan, originalSpan, spanOf } from './span-pieces.ts'
import type { DeferredSpan } from './span-pieces.ts'
import { asNumber, asString, dedupeAttributesFast, isObject, isReadableMicros, microsToNanos, ownValue } from './values.ts'
import type { JsonObject } from './values.ts'

/** The service of a span whose input names none (the OpenTelemetry default). */
export const UNKNOWN_SERVICE = 'unknown_service'

/** Attribute keys this importer writes and the Zipkin exporter reads back. */
export const ZipkinAttr = {
  serviceName: 'service.name',
  localAddress: 'network.local.address',
  localPort: 'network.local.port',
  localIpv6: 'zipkin.local.ipv6',
  peerService: 'peer.service',
  peerAddress: 'network.peer.address',
  peerPort: 'network.peer.port',
  peerIpv6: 'zipkin.remote.ipv6',
  debug: 'zipkin.debug',
  error: 'error',
  otelStatusCode: 'otel.status_code',
  otelStatusDescription: 'otel.status_description',
} as const

type ZipkinKind = 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER'

interface ZipkinEndpoint {
  readonly serviceName?: string
  readonly ipv4?: string
  readonly ipv6?: string
  readonly port?: number
}

interface ZipkinAnnotation {
  readonly timeNs: bigint
  readonly value: string
}

/**
 * The spans of a document in Zipkin v2 shape, ids normalised but not yet unique, as columns:
 * the record, already in model form for what depends on the span alone (status, attributes,
 * events), and what the common tail needs besides to decide ids, parents and services. No
 * object per span outlives its reading but the record itself.
 */
class ZipkinSpans {
  /** `traceId`, `spanId` and `parentSpanId` as read; `service` and `resource` are decided at the end. */
  readonly records: Array<Mutable<SpanRecord>> = []
  readonly kinds: Array<ZipkinKind | undefined> = []
  readonly isShared: boolean[] = []
  readonly locals: Array<ZipkinEndpoint | undefined> = []
  /**
   * A read endpoint (v1, eager v2) or the input's `remoteEndpoint` as it is (deferred v2): only
   * the service name of a few is ever needed (`remoteServiceName`), so most are never read.
   */
  readonly remotes: unknown[] = []
  readonly hasRepeatedTags: boolean[] = []
  /** `stringHash` of each span id as read. */
  readonly idHashes: number[] = []
}

/** The parts of a span the format-specific readers produce, before `toZipkinSpan`. */
interface ZipkinSpanDraft {
  readonly traceId: string
  readonly id: string
  readonly idHash: number
  readonly parentId: string | undefined
  readonly kind: ZipkinKind | undefined
  readonly name: string
  readonly startTimeNs: bigint | undefined
  readonly durationNs: number | undefined
  readonly isShared: boolean
  readonly isDebug: boolean
  readonly localEndpoint: ZipkinEndpoint | undefined
  readonly remoteEndpoint: ZipkinEndpoint | undefined
  readonly annotations: readonly ZipkinAnnotation[]
  /** String tags, as attributes in input order (repeats not yet removed). */
  readonly tags: Attribute[]
  readonly warnings: string[]
}

const NO_ATTRIBUTES: readonly Attribute[] = Object.freeze([])
const ZERO_SPAN_ID = '0000000000000000'
const NO_EVENTS: readonly SpanEvent[] = Object.freeze([])

/** Endpoints per service name before the table switches that service to keys (see `EndpointTable`). */
const ENDPOINTS_COMPARED = 8

/** Endpoints are shared by value: one object per distinct endpoint, however many spans name it. */
class EndpointTable {
  // A service has a few endpoints (hosts, ports): comparing their fields costs less than building
  // a key string for every span. A service with more goes on through keys.
  private readonly byService = new Map<string, ZipkinEndpoint[]>()
  private readonly byKey = new Map<string, ZipkinEndpoint>()

  intern(serviceName: string | undefined, ipv4: string | undefined, ipv6: string | undefined, port: number | undefined): ZipkinEndpoint {
    const group = serviceName ?? ''
    let list = this.byService.get(group)
    if (list === undefined) {
      list = []
      this.byService.set(group, list)
    }
    for (let i = 0; i < list.length; i++) {
      const known = list[i] as ZipkinEndpoint
      if (known.ipv4 === ipv4 && known.ipv6 === ipv6 && known.port === port) return known
    }
    const endpoint: ZipkinEndpoint = { serviceName, ipv4, ipv6, port }
    if (list.length < ENDPOINTS_COMPARED) {
      list.push(endpoint)
      return endpoint
    }
    const key = endpointKey(endpoint)
    const known = this.byKey.get(key)
    if (known) return known
    this.byKey.set(key, endpoint)
    return endpoint
  }
}

/** The status tags of a v2 span, as found by `scanV2Tags`. */
class StatusTags {
  error: string | undefined
  otelCode: string | undefined
  otelDescription: string | undefined
}

/** What a reader needs besides the item: where invalid spans and read spans go, shared endpoints. */
class ReadContext {
  readonly invalid = new InvalidSpans()
  readonly out = new ZipkinSpans()
  readonly endpoints = new EndpointTable()
  readonly deferDetails: boolean
  /** `readIds` puts a span's ids here, and the `stringHash` of its id. */
  traceId = ''
  id = ''
  idHash = 0
  // Spans of one trace follow each other: the last trace id read is normalised once.
  lastRawTraceId: string | undefined
  private lastTraceId = ''
  /** Scratch for the v2 reader, reused from span to span. */
  readonly statusTags = new StatusTags()
  readonly warnings: string[] = []

  constructor(deferDetails: boolean) {
    this.deferDetails = deferDetails
  }

  normalizeTraceId(raw: string): string {
    if (raw !== this.lastRawTraceId) {
      this.lastRawTraceId = raw
      this.lastTraceId = normalizeTraceId(raw)
    }
    return this.lastTraceId
  }
}

/** How a caller can tune an import. */
export interface ZipkinImportOptions {
  /**
   * Read the attributes and events of clean v2 spans on first use (`LazySpanRecord`), default
   * true. False reads every span's details at once, as tests compare.
   */
  readonly deferDetails?: boolean
}

// ---------------------------------------------------------------------------------------------
// Small readers

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value === undefined) return 'missing'
  const type = typeof value
  return type === 'object' ? 'an object' : `a ${type === 'bigint' ? 'number' : type}`
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text
}

/** JSON text of any parsed value; bigints (from the lossless reader) as their digits. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? ''
}

/** A tag value as the string Zipkin says it is; other JSON types are written out as text. */
function tagText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  return jsonText(value)
}

/**
 * True for an object as a JSON parser makes it: its prototype is `Object.prototype` (or null),
 * which has no enumerable property and none of the field names this importer reads. On such an
 * object a plain read is an own read, and `for…in` visits what `Object.keys` lists, both cheaper
 * than `ownValue` and `Object.keys` on the hot path.
 */
function isParsedObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function isEmptyObject(value: unknown): boolean {
  return isParsedObject(value) && Object.keys(value).length === 0
}

function readEndpoint(value: unknown, endpoints?: EndpointTable): ZipkinEndpoint | undefined {
  const isParsed = isParsedObject(value)
  if (!isParsed && !isObject(value)) return undefined
  const serviceName = nonEmpty(asString(isParsed ? value.serviceName : ownValue(value, 'serviceName')))
  const ipv4 = nonEmpty(asString(isParsed ? value.ipv4 : ownValue(value, 'ipv4')))
  const ipv6 = nonEmpty(asString(isParsed ? value.ipv6 : ownValue(value, 'ipv6')))
  const rawPort = asNumber(isParsed ? value.port : ownValue(value, 'port'))
  // Zipkin writes port 0 for "unknown".
  const port = rawPort !== undefined && Number.isInteger(rawPort) && rawPort > 0 ? rawPort : undefined
  if (serviceName === undefined && ipv4 === undefined && ipv6 === undefined && port === undefined) return undefined
  return endpoints ? endpoints.intern(serviceName, ipv4, ipv6, port) : { serviceName, ipv4, ipv6, port }
}

/** The service name of a remote endpoint, read (`ZipkinEndpoint`) or not (the input's object). */
function remoteServiceName(remote: unknown): string | undefined {
  return isObject(remote) ? nonEmpty(asString(ownValue(remote, 'serviceName'))) : undefined
}

function endpointKey(endpoint: ZipkinEndpoint): string {
  return `${endpoint.serviceName ?? ''}\u0000${endpoint.ipv4 ?? ''}\u0000${endpoint.ipv6 ?? ''}\u0000${endpoint.port ?? ''}`
}

/**
 * Same process, as far as Zipkin can tell: the same service name when either side has one,
 * otherwise the same addresses.
 */
function isSameProcess(a: ZipkinEndpoint | undefined, b: ZipkinEndpoint | undefined): boolean {
  if (!a || !b) return false
  if (a.serviceName !== undefined || b.serviceName !== undefined) return a.serviceName === b.serviceName
  return endpointKey(a) === endpointKey(b)
}

function readKind(value: unknown, warnings: string[]): ZipkinKind | undefined {
  if (value === undefined || value === null) return undefined
  if (value === 'CLIENT' || value === 'SERVER' || value === 'PRODUCER' || value === 'CONSUMER') return value
  const text = typeof value === 'string' ? value.toUpperCase() : undefined
  if (text === 'CLIENT' || text === 'SERVER' || text === 'PRODUCER' || text === 'CONSUMER') return text
  warnings.push(`unknown kind ${jsonText(value)} read as a local span`)
  return undefined
}

/** Absolute ns from µs; Zipkin uses 0 for "no timestamp". */
function readTimestamp(value: unknown, field: string, warnings: string[]): bigint | undefined {
  if (value === undefined || value === null) return undefined
  const ns = microsToNanos(value)
  if (ns === undefined) warnings.push(`${field} ${jsonText(value)} is not a number of microseconds`)
  return ns === 0n ? undefined : ns
}

/**
 * ns from µs. Unlike a timestamp, a v2 duration of 0 is kept: it is a real zero-length span,
 * and buildTraces shows it as such rather than as "no duration". (v1 conversion treats 0 as
 * absent, as Zipkin's converter does, because there it decides where times come from.)
 */
function readDurationNs(value: unknown, warnings: string[]): number | undefined {
  if (value === undefined || value === null) return undefined
  const us = asNumber(value)
  if (us === undefined) warnings.push(`duration ${jsonText(value)} is not a number of microseconds`)
  return us === undefined ? undefined : us * 1000
}

/** Collects spans that cannot be read into one warning per document, as `buildTraces` does. */
class InvalidSpans {
  private count = 0
  private readonly details: string[] = []
  readonly spanIds: string[] = []

  add(detail: string, spanId?: string): void {
    this.count++
    if (this.details.length < 3) this.details.push(detail)
    if (spanId !== undefined) this.spanIds.push(spanId)
  }

  toWarnings(): TraceWarning[] {
    if (this.count === 0) return []
    const more = this.count > this.details.length ? `; and ${this.count - this.details.length} more` : ''
    const spans = this.count === 1 ? '1 span' : `${this.count} spans`
    return [
      {
        kind: 'invalid-span',
        message: `${spans} could not be read and ${this.count === 1 ? 'was' : 'were'} skipped (${this.details.join('; ')}${more})`,
        spanIds: this.spanIds,
      },
    ]
  }
}

/**
 * Where an item is in its document, for messages: `item 3` (outer 3, inner -1), `item 3.1`
 * (an array of arrays), `the span` (outer -1: a document that is one span). Kept as numbers
 * and put in words only for a span that cannot be read.
 */
function whereOf(outer: number, inner: number): string {
  if (outer < 0) return 'the span'
  return inner < 0 ? `item ${outer}` : `item ${outer}.${inner}`
}

/** Spans of a document: an array of spans, an array of arrays (`/api/v2/traces`), or one span. */
function forEachSpanItem(document: unknown, format: string, visit: (item: unknown, outer: number, inner: number) => void): void {
  if (Array.isArray(document)) {
    const items: readonly unknown[] = document
    for (let i = 0; i < items.length; i++) {
      const item = items[i]
      // Holes (not in JSON, but possible in a document built in code) are skipped, as forEach does.
      if (item === undefined && !(i in items)) continue
      if (Array.isArray(item)) {
        const inners: readonly unknown[] = item
        for (let j = 0; j < inners.length; j++) if (inners[j] !== undefined || j in inners) visit(inners[j], i, j)
      } else {
        visit(item, i, -1)
      }
    }
  } else if (isObject(document)) {
    visit(document, -1, -1)
  } else {
    throw new ImportError('invalid-structure', `${format} must be an array of spans or one span object, but the input is ${describeValue(document)}.`)
  }
}

/**
 * The ids every span must have, into `context.traceId` and `context.id`; false (and the span
 * skipped) when they are unusable.
 */
function readIds(item: JsonObject, isParsed: boolean, outer: number, inner: number, context: ReadContext): boolean {
  const traceId = isParsed ? item.traceId : ownValue(item, 'traceId')
  const id = isParsed ? item.id : ownValue(item, 'id')
  // An id in model form is not blank, nor is the trace id read last: no need to trim those.
  const hash = typeof id === 'string' ? canonicalSpanIdHash(id) : -1
  const idText = typeof id === 'string' && (hash >= 0 || id.trim() !== '') ? id : undefined
  if (typeof traceId !== 'string' || (traceId !== context.lastRawTraceId && traceId.trim() === '')) {
    context.invalid.add(`${whereOf(outer, inner)}: "traceId" is ${typeof traceId === 'string' ? 'empty' : describeValue(traceId)}`, idText)
    return false
  }
  if (idText === undefined) {
    context.invalid.add(`${whereOf(outer, inner)}: "id" is ${typeof id === 'string' ? 'empty' : describeValue(id)}`)
    return false
  }
  context.traceId = context.normalizeTraceId(traceId)
  if (hash >= 0) {
    context.id = idText
    context.idHash = hash
  } else {
    context.id = normalizeSpanId(idText)
    context.idHash = stringHash(context.id)
  }
  return true
}

function readParentId(raw: unknown, warnings: string[]): string | undefined {
  // Nearly every parent id is already in model form.
  if (typeof raw === 'string' && canonicalSpanIdHash(raw) >= 0) return raw === ZERO_SPAN_ID ? undefined : raw
  if (raw !== undefined && raw !== null && typeof raw !== 'string') {
    warnings.push(`parentId ${jsonText(raw)} is not a string; treated as a root`)
    return undefined
  }
  return normalizeParentId(raw)
}

// ---------------------------------------------------------------------------------------------
// Zipkin v2

function readV2Span(item: unknown, outer: number, inner: number, context: ReadContext): void {
  const isParsed = isParsedObject(item)
  if (!isParsed && !isObject(item)) {
    context.invalid.add(`${whereOf(outer, inner)} is ${describeValue(item)}, not a span object`)
    return
  }
  if (!readIds(item, isParsed, outer, inner, context)) return
  // Details that cannot warn are read on first use; any other span is read at once, whole.
  if (context.deferDetails && isParsed && scanV2Tags(item.tags, context.statusTags) && areV2AnnotationsReadable(item.annotations)) {
    addDeferredV2Span(item, context)
    return
  }
  // Read whole, now. Skimming (`skimV2Tags`) leaves a span as it is but for tags it empties:
  // a span with empty tags, from a skimmed piece, is read from the piece's own text.
  const span = isParsed && isEmptyObject(item.tags) ? originalSpan(item) : item
  const warnings: string[] = []
  const annotations = readV2Annotations(ownValue(span, 'annotations'), warnings)
  const tags = readV2Tags(ownValue(span, 'tags'), warnings)
  addSpan(context.out, {
    traceId: context.traceId,
    id: context.id,
    idHash: context.idHash,
    parentId: readParentId(ownValue(span, 'parentId'), warnings),
    kind: readKind(ownValue(span, 'kind'), warnings),
    name: asString(ownValue(span, 'name')) ?? '',
    startTimeNs: readTimestamp(ownValue(span, 'timestamp'), 'timestamp', warnings),
    durationNs: readDurationNs(ownValue(span, 'duration'), warnings),
    isShared: ownValue(span, 'shared') === true,
    isDebug: ownValue(span, 'debug') === true,
    localEndpoint: readEndpoint(ownValue(span, 'localEndpoint'), context.endpoints),
    remoteEndpoint: readEndpoint(ownValue(span, 'remoteEndpoint'), context.endpoints),
    annotations,
    tags,
    warnings,
  })
}

function readV2Annotations(rawAnnotations: unknown, warnings: string[]): ZipkinAnnotation[] {
  const annotations: ZipkinAnnotation[] = []
  let droppedAnnotations = 0
  if (Array.isArray(rawAnnotations)) {
    for (const annotation of rawAnnotations as readonly unknown[]) {
      const value = isObject(annotation) ? tagText(ownValue(annotation, 'value')) : undefined
      const timeNs = isObject(annotation) ? microsToNanos(ownValue(annotation, 'timestamp')) : undefined
      if (value === undefined || timeNs === undefined) droppedAnnotations++
      else annotations.push({ timeNs, value })
    }
  }
  if (droppedAnnotations > 0) warnings.push(`${droppedAnnotations} annotation(s) without a value or timestamp dropped`)
  return annotations
}

function readV2Tags(rawTags: unknown, warnings: string[]): Attribute[] {
  const tags: Attribute[] = []
  if (isObject(rawTags)) {
    for (const key of Object.keys(rawTags)) {
      const value = tagText(rawTags[key])
      if (value === undefined) warnings.push(`tag "${key}" has no value`)
      else tags.push({ key, value })
    }
  }
  return tags
}

/**
 * True when `readV2Tags` cannot warn: every tag has a value (or there are no tags). On the way,
 * the status tags are put into `found`, as strings, so that the status is known without
 * building the tags. Builds nothing.
 */
function scanV2Tags(rawTags: unknown, found: StatusTags): boolean {
  found.error = undefined
  found.otelCode = undefined
  found.otelDescription = undefined
  if (!isParsedObject(rawTags)) return !isObject(rawTags)
  for (const key in rawTags) {
    const value = rawTags[key]
    if (value === null || value === undefined) return false
    if (key === ZipkinAttr.error) found.error = tagText(value)
    else if (key === ZipkinAttr.otelStatusCode) found.otelCode = tagText(value)
    else if (key === ZipkinAttr.otelStatusDescription) found.otelDescription = tagText(value)
  }
  return true
}

const STATUS_KEYS = [ZipkinAttr.error, ZipkinAttr.otelStatusCode, ZipkinAttr.otelStatusDescription].map((key) => `"${key.replaceAll('.', '\\.')}"`)
// Keys without escapes: a key that could spell a status tag through escapes is never skimmed.
const SKIMMED_TAG = `(?!${STATUS_KEYS.join('|')})${PLAIN_STRING}:${JSON_STRING}`
/** A `"tags"` member whose value is an object of string values with none of the status keys, written without spaces. */
const SKIMMED_TAGS = new RegExp(`"tags":\\{(?:${SKIMMED_TAG}(?:,${SKIMMED_TAG})*)?\\}`, 'g')

/**
 * A piece of a v2 spans array with its tags objects emptied (`TraceImporter.skimPiece`): the
 * tags are most of a span's text, and all the import needs of them is the status and that no
 * value is missing (`scanV2Tags`). So a tags object is emptied only when its values are all
 * strings and none of its keys is a status tag; any other is left for the parse.
 *
 * It parses exactly when the piece does. The quote after `tags` in a match is not escaped: in
 * the piece it ends a string, either a member name (`"tags"`, or a name ending so) whose value
 * is then the matched object, read as JSON reads it, or a value, after which `:` fails in both
 * texts alike; were it to open a string, the `tags` before it would be a bare word, failing alike
 * too. Every span's fields are as in the piece but for those tags, whose details are read from
 * the piece.
 */
export function skimV2Tags(text: string): string {
  return text.replace(SKIMMED_TAGS, '"tags":{}')
}

/** True when `readV2Annotations` cannot warn: every annotation has a value and a readable timestamp. */
function areV2AnnotationsReadable(rawAnnotations: unknown): boolean {
  if (!Array.isArray(rawAnnotations)) return true
  const annotations: readonly unknown[] = rawAnnotations
  for (let i = 0; i < annotations.length; i++) {
    const annotation = annotations[i]
    if (!isObject(annotation)) return false
    const value = ownValue(annotation, 'value')
    if (value === null || value === undefined) return false
    if (!isReadableMicros(ownValue(annotation, 'timestamp'))) return false
  }
  return true
}

/**
 * A clean v2 span (see `scanV2Tags`, `areV2AnnotationsReadable`): the fields that decide the
 * trace now, the attributes and events from the input when first read. The warnings are those
 * the eager reader gives after the (here impossible) tag and annotation ones, in its order.
 */
function addDeferredV2Span(item: JsonObject, context: ReadContext): void {
  const warnings = context.warnings
  warnings.length = 0
  const parentId = readParentId(item.parentId, warnings)
  const kind = readKind(item.kind, warnings)
  const name = asString(item.name) ?? ''
  const startTimeNs = readTimestamp(item.timestamp, 'timestamp', warnings)
  const durationNs = readDurationNs(item.duration, warnings)
  const tags = context.statusTags
  const status = statusOf(tags.error, tags.otelCode, tags.otelDescription)
  // A span parsed from a piece of the text keeps the piece, not its parse tree (`span-pieces.ts`).
  const record = new LazySpanRecord<DeferredSpan>(
    context.traceId,
    context.id,
    name,
    UNKNOWN_SERVICE,
    kind === undefined ? SpanKind.Internal : KIND_BY_NAME[kind],
    startTimeNs,
    durationNs,
    status.statusCode,
    NO_ATTRIBUTES,
    deferredSpan(item),
    V2_DETAILS,
  )
  if (parentId !== undefined) record.parentSpanId = parentId
  if (status.statusMessage !== undefined) record.statusMessage = status.statusMessage
  if (warnings.length > 0) record.warnings = warnings.slice()
  pushSpan(context.out, record, context.idHash, kind, item.shared === true, readEndpoint(item.localEndpoint, context.endpoints), item.remoteEndpoint, false)
}

/** The details of a deferred v2 span, read as the eager reader reads them. */
const V2_DETAILS: DetailsReader<DeferredSpan> = {
  readDetails(kept: DeferredSpan): SpanDetails {
    const item = spanOf(kept)
    // The span passed `scanV2Tags` and `areV2AnnotationsReadable`: nothing is ever pushed here.
    const none: string[] = []
    const tags = readV2Tags(ownValue(item, 'tags'), none)
    const annotations = readV2Annotations(ownValue(item, 'annotations'), none)
    const details = spanDetails(tags, readEndpoint(ownValue(item, 'remoteEndpoint')), ownValue(item, 'debug') === true, annotations)
    return { attributes: details.attributes, events: details.events, links: NO_LINKS }
  },
}

function asArrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : []
}

// ---------------------------------------------------------------------------------------------
// Zipkin v1, split into v2 spans following Zipkin's V1SpanConverter:
// one v2 span per local service seen in the annotations; `cs`…`cr` make a CLIENT, `sr`…`ss` a
// (shared) SERVER, `ms` a PRODUCER, `mr` a CONSUMER; `ca`/`sa`/`ma` give remote endpoints.

type CoreName = 'cs' | 'cr' | 'sr' | 'ss' | 'ms' | 'mr' | 'ws' | 'wr'
const CORE_KIND: Readonly<Record<CoreName, ZipkinKind | undefined>> = {
  cs: 'CLIENT',
  cr: 'CLIENT',
  sr: 'SERVER',
  ss: 'SERVER',
  ms: 'PRODUCER',
  mr: 'CONSUMER',
  ws: undefined,
  wr: undefined,
}
const isCoreName = (value: string): value is CoreName => Object.prototype.hasOwnProperty.call(CORE_KIND, value)

interface V1Annotation {
  readonly timeNs: bigint
  readonly value: string
  readonly endpoint: ZipkinEndpoint | undefined
}

/** One v2 span being assembled from a v1 span. */
interface Draft {
  local: ZipkinEndpoint | undefined
  kind: ZipkinKind | undefined
  isShared: boolean
  startNs: bigint | undefined
  durationNs: bigint | undefined
  remote: ZipkinEndpoint | undefined
  readonly annotations: ZipkinAnnotation[]
  readonly tags: Attribute[]
}

const newDraft = (local: ZipkinEndpoint | undefined): Draft => ({
  local,
  kind: undefined,
  isShared: false,
  startNs: undefined,
  durationNs: undefined,
  remote: undefined,
  annotations: [],
  tags: [],
})

/** The v1 span's drafts, one per local service; the first takes data without an endpoint. */
class V1Drafts {
  readonly all: Draft[] = [newDraft(undefined)]

  get first(): Draft {
    return this.all[0] as Draft
  }

  for(endpoint: ZipkinEndpoint | undefined): Draft {
    if (!endpoint) return this.first
    for (const draft of this.all) {
      if (!draft.local) {
        draft.local = endpoint
        return draft
      }
      if (draft.local.serviceName === endpoint.serviceName) return draft
    }
    return this.fork(endpoint)
  }

  fork(endpoint: ZipkinEndpoint | undefined): Draft {
    const draft = newDraft(endpoint)
    this.all.push(draft)
    return draft
  }
}

const ADDRESS_KEYS = new Set(['ca', 'sa', 'ma'])

/** `ca`/`sa`/`ma` carry `true` (type BOOL); some writers use 1 or "1". */
function isAddressMarker(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true'
}

function readV1Span(item: unknown, outer: number, inner: number, context: ReadContext): void {
  const { out } = context
  if (!isObject(item)) {
    context.invalid.add(`${whereOf(outer, inner)} is ${describeValue(item)}, not a span object`)
    return
  }
  if (!readIds(item, isParsedObject(item), outer, inner, context)) return
  const ids = { traceId: context.traceId, id: context.id, idHash: context.idHash }
  const warnings: string[] = []
  const parentId = readParentId(ownValue(item, 'parentId'), warnings)
  const name = asString(ownValue(item, 'name')) ?? ''
  const isDebug = ownValue(item, 'debug') === true
  const sourceStart = readTimestamp(ownValue(item, 'timestamp'), 'timestamp', warnings)
  const rawDuration = readDurationNs(ownValue(item, 'duration'), warnings)
  // A duration beyond any float in ns (1e305 µs) cannot be placed: read as none, and said.
  if (rawDuration !== undefined && !Number.isFinite(rawDuration)) warnings.push(`duration ${jsonText(ownValue(item, 'duration'))} is out of range`)
  // Zipkin v1 uses 0 for "no duration" as well.
  const sourceDuration = rawDuration === undefined || rawDuration === 0 || !Number.isFinite(rawDuration) ? undefined : BigInt(Math.round(rawDuration))

  const annotations: V1Annotation[] = []
  let droppedAnnotations = 0
  for (const annotation of asArrayOf(ownValue(item, 'annotations'))) {
    const value = isObject(annotation) ? tagText(ownValue(annotation, 'value')) : undefined
    const timeNs = isObject(annotation) ? microsToNanos(ownValue(annotation, 'timestamp')) : undefined
    if (value === undefined || timeNs === undefined || !isObject(annotation)) droppedAnnotations++
    else annotations.push({ timeNs, value, endpoint: readEndpoint(ownValue(annotation, 'endpoint'), context.endpoints) })
  }
  if (droppedAnnotations > 0) warnings.push(`${droppedAnnotations} annotation(s) without a value or timestamp dropped`)

  const drafts = new V1Drafts()
  const core: Partial<Record<CoreName, V1Annotation>> = {}
  for (const annotation of annotations) {
    const draft = drafts.for(annotation.endpoint)
    // Core annotations count only with an endpoint, which says whose side they are.
    if (annotation.endpoint && isCoreName(annotation.value)) {
      core[annotation.value] = annotation
      const kind = CORE_KIND[annotation.value]
      if (kind) draft.kind = kind
    } else {
      draft.annotations.push({ timeNs: annotation.timeNs, value: annotation.value })
    }
  }

  // A span bridged from an event model may lack its start annotation; the span's own
  // timestamp stands in when its end matches the end annotation exactly.
  const endMatchesSpan = (end: V1Annotation | undefined): end is V1Annotation =>
    end !== undefined && sourceStart !== undefined && sourceDuration !== undefined && sourceStart + sourceDuration === end.timeNs
  if (!core.cs && endMatchesSpan(core.cr)) core.cs = { timeNs: sourceStart as bigint, value: 'cs', endpoint: core.cr.endpoint }
  if (!core.sr && endMatchesSpan(core.ss)) core.sr = { timeNs: sourceStart as bigint, value: 'sr', endpoint: core.ss.endpoint }
  const { cs, cr, sr, ss, ms, mr, ws, wr } = core

  /** The span's own timestamp and duration win; otherwise the annotations give them. */
  const setTimes = (begin: V1Annotation, end: V1Annotation | undefined) => {
    const draft = drafts.for(begin.endpoint)
    if (sourceStart !== undefined && sourceDuration !== undefined) {
      draft.startNs = sourceStart
      draft.durationNs = sourceDuration
    } else {
      draft.startNs = begin.timeNs
      if (end) draft.durationNs = end.timeNs - begin.timeNs
    }
  }

  if (cs && sr) {
    // Both sides of one RPC in one v1 span: the client owns the span's times; the server
    // becomes its own shared span timed by sr…ss.
    setTimes(cs, cr)
    const client = drafts.for(cs.endpoint)
    let server: Draft
    if (cs.endpoint?.serviceName === sr.endpoint?.serviceName) {
      // Loopback: the same service on both sides still makes two spans.
      client.kind = 'CLIENT'
      server = drafts.fork(sr.endpoint)
      server.kind = 'SERVER'
    } else {
      server = drafts.for(sr.endpoint)
    }
    server.isShared = true
    server.startNs = sr.timeNs
    if (ss) server.durationNs = ss.timeNs - sr.timeNs
    if (!cr && sourceDuration === undefined) client.durationNs = undefined
  } else if (cs && cr) {
    setTimes(cs, cr)
  } else if (sr && ss) {
    setTimes(sr, ss)
  } else {
    // An incomplete RPC: start where the start annotation is; a lone end annotation is an event.
    for (const draft of drafts.all) {
      if (draft.kind === 'CLIENT') {
        if (cs) draft.startNs = cs.timeNs
        if (cr) draft.annotations.push({ timeNs: cr.timeNs, value: cr.value })
      } else if (draft.kind === 'SERVER') {
        if (sr) draft.startNs = sr.timeNs
        if (ss) draft.annotations.push({ timeNs: ss.timeNs, value: ss.value })
      }
    }
    if (sourceStart !== undefined) {
      drafts.first.startNs = sourceStart
      drafts.first.durationNs = sourceDuration
    }
  }

  // v1 had no shared flag: a server-only span without its own timestamp (or with sr…ss but no
  // duration) was, by convention, the server half of a span the client also reported.
  if (!cs && sr && (sourceStart === undefined || (ss && sourceDuration === undefined))) drafts.for(sr.endpoint).isShared = true

  if (ms && mr) {
    // Both messaging sides in one span (not supposed to happen, but it does).
    const producer = drafts.for(ms.endpoint)
    let consumer: Draft
    if (ms.endpoint?.serviceName === mr.endpoint?.serviceName) {
      producer.kind = 'PRODUCER'
      consumer = drafts.fork(mr.endpoint)
      consumer.kind = 'CONSUMER'
    } else {
      consumer = drafts.for(mr.endpoint)
    }
    consumer.isShared = true
    if (wr) {
      consumer.startNs = wr.timeNs
      consumer.durationNs = mr.timeNs - wr.timeNs
    } else {
      consumer.startNs = mr.timeNs
    }
    producer.startNs = ms.timeNs
    producer.durationNs = ws ? ws.timeNs - ms.timeNs : undefined
  } else if (ms) {
    setTimes(ms, ws)
  } else if (mr) {
    if (wr) setTimes(wr, mr)
    else setTimes(mr, undefined)
  } else {
    if (ws) drafts.for(ws.endpoint).annotations.push({ timeNs: ws.timeNs, value: ws.value })
    if (wr) drafts.for(wr.endpoint).annotations.push({ timeNs: wr.timeNs, value: wr.value })
  }

  // Binary annotations: addresses, and tags (whatever their declared type) as strings.
  let ca: ZipkinEndpoint | undefined
  let sa: ZipkinEndpoint | undefined
  let ma: ZipkinEndpoint | undefined
  for (const binary of asArrayOf(ownValue(item, 'binaryAnnotations'))) {
    if (!isObject(binary)) {
      warnings.push(`binary annotation ${describeValue(binary)} ignored`)
      continue
    }
    const key = asString(ownValue(binary, 'key'))
    const rawValue = ownValue(binary, 'value')
    const endpoint = readEndpoint(ownValue(binary, 'endpoint'), context.endpoints)
    if (key === undefined) {
      warnings.push('binary annotation without a key ignored')
      continue
    }
    if (ADDRESS_KEYS.has(key) && isAddressMarker(rawValue)) {
      // The last address of each kind wins, as in Zipkin.
      if (key === 'ca') ca = endpoint
      else if (key === 'sa') sa = endpoint
      else ma = endpoint
      continue
    }
    const draft = drafts.for(endpoint)
    const value = tagText(rawValue)
    if (value === undefined) {
      warnings.push(`binary annotation "${key}" has no value`)
      continue
    }
    // An empty "lc" only marks a local span; its endpoint (taken above) is what matters.
    if (key === 'lc' && value === '') continue
    draft.tags.push({ key, value })
  }

  const hasCore = cs !== undefined || cr !== undefined || ss !== undefined || sr !== undefined
  if (!hasCore && (ca || sa)) {
    // No RPC annotations but addresses: "ca" and "sa" together say who called whom; "sa" alone
    // is just a remote address; "ca" alone makes a server.
    if (ca && sa) drafts.for(ca).remote = sa
    else if (sa) drafts.first.remote = sa
    else if (ca) {
      drafts.first.kind = 'SERVER'
      drafts.first.remote = ca
    }
  } else {
    const serverSide = sr ?? ss
    if (ca && serverSide && endpointKey(ca) !== (serverSide.endpoint ? endpointKey(serverSide.endpoint) : '')) {
      // Finagle writes "ca" with the server's own service name and the client's socket
      // address; dropping the name avoids inventing a call from the server to itself.
      const remote = ca.serviceName === serverSide.endpoint?.serviceName ? { ...ca, serviceName: undefined } : ca
      drafts.for(serverSide.endpoint).remote = remote
    }
    if (sa) {
      if (cs) drafts.for(cs.endpoint).remote = sa
      else if (cr) drafts.for(cr.endpoint).remote = sa
    }
    if (ma) {
      if (ms) drafts.for(ms.endpoint).remote = ma
      if (mr) drafts.for(mr.endpoint).remote = ma
    }
  }

  drafts.all.forEach((draft, i) => {
    addSpan(out, {
      traceId: ids.traceId,
      id: ids.id,
      idHash: ids.idHash,
      parentId,
      kind: draft.kind,
      name,
      startTimeNs: draft.startNs,
      durationNs: draft.durationNs === undefined ? undefined : Number(draft.durationNs),
      isShared: draft.isShared,
      isDebug,
      localEndpoint: draft.local,
      remoteEndpoint: draft.remote,
      annotations: draft.annotations,
      tags: draft.tags,
      // Problems reading the v1 span are told once, on its first part.
      warnings: i === 0 ? warnings : [],
    })
  })
}

// ---------------------------------------------------------------------------------------------
// Common tail: unique ids, parents, services, records

/** FNV-1a, 64 bits, as 16 hex digits. */
function hashToSpanId(text: string): string {
  let hash = 0xcbf29ce484222325n
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i))
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return hash.toString(16).padStart(16, '0')
}

/**
 * A 64-bit trace id and a 128-bit one ending in the same 16 digits are one trace when the
 * collector ran with STRICT_TRACE_ID=false (formats.md §1.2): within a document, the short
 * form joins the long one when exactly one long id matches.
 */
function unifyTraceIds(spans: readonly SpanRecord[]): (traceId: string) => string {
  const isShort = (id: string) => id.length === 32 && id.startsWith('0000000000000000')
  // Almost every file has no short ids: then there is nothing to unify.
  let hasShort = false
  let previous: string | undefined
  for (const span of spans) {
    if (span.traceId === previous) continue
    previous = span.traceId
    if (isShort(previous)) {
      hasShort = true
      break
    }
  }
  if (!hasShort) return (traceId) => traceId
  const longByLow = new Map<string, string>()
  const ambiguous = new Set<string>()
  previous = undefined
  for (const span of spans) {
    const id = span.traceId
    // Spans of one trace usually follow each other; a repeat changes nothing.
    if (id === previous) continue
    previous = id
    if (id.length !== 32 || id.startsWith('0000000000000000')) continue
    const low = id.slice(16)
    const seen = longByLow.get(low)
    if (seen === undefined) longByLow.set(low, id)
    else if (seen !== id) ambiguous.add(low)
  }
  for (const low of ambiguous) longByLow.delete(low)
  if (longByLow.size === 0) return (traceId) => traceId
  return (traceId) => {
    if (!isShort(traceId)) return traceId
    return longByLow.get(traceId.slice(16)) ?? traceId
  }
}

const traceAndIdKey = (traceId: string, id: string) => `${traceId}\u0000${id}`

/** FNV-1a of a string's UTF-16 units, to 30 bits (a small integer to the engine): for `SpanIdIndex`. */
function stringHash(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash >>> 2
}

/**
 * `stringHash` of a span id already in model form (16 lower-case hex digits, as `normalizeSpanId`
 * leaves it), or -1 for any other id: one pass over the id both checks and hashes it.
 */
function canonicalSpanIdHash(id: string): number {
  if (id.length !== 16) return -1
  let hash = 0x811c9dc5
  for (let i = 0; i < 16; i++) {
    const c = id.charCodeAt(i)
    if (c > 0x66 || (c > 0x39 && c < 0x61) || c < 0x30) return -1
    hash = Math.imul(hash ^ c, 0x01000193)
  }
  return hash >>> 2
}

/**
 * Spans by (trace id, span id). Span ids are unique in almost every file, so lookups go by span
 * id alone, and only ids that occur more than once are keyed by trace and id as well: no key
 * strings are built for the other 99.9 % (they cost more than the rest of the tail).
 */
class SpanIdIndex {
  // The first span of each id, by open addressing on the ids' hashes (taken while the ids were
  // read, see `readIds`): slots hold span indexes, -1 when free. Filling a Map with 100k id
  // strings costs several times more, mostly in fetching each string again from memory.
  private readonly slots: Int32Array
  private readonly mask: number
  private readonly records: readonly SpanRecord[]
  private readonly hashes: readonly number[]
  /** Members of each repeated (trace, id), in input order; undefined while no id repeats. */
  private repeated: Map<string, number[]> | undefined
  private readonly repeatedIds = new Set<string>()
  private readonly traceOf: readonly string[]

  constructor(records: readonly SpanRecord[], hashes: readonly number[], traceOf: readonly string[]) {
    this.records = records
    this.hashes = hashes
    this.traceOf = traceOf
    let size = 16
    while (size < records.length * 2) size *= 2
    this.slots = new Int32Array(size).fill(-1)
    this.mask = size - 1
    for (let i = 0; i < records.length; i++) {
      const id = (records[i] as SpanRecord).spanId
      const first = this.findOrAdd(id, hashes[i] as number, i)
      if (first < 0) continue
      this.repeated ??= new Map()
      if (!this.repeatedIds.has(id)) {
        this.repeatedIds.add(id)
        this.repeated.set(traceAndIdKey(traceOf[first] as string, id), [first])
      }
      const key = traceAndIdKey(traceOf[i] as string, id)
      const members = this.repeated.get(key)
      if (members) members.push(i)
      else this.repeated.set(key, [i])
    }
  }

  /** The first span with this id, or -1 after adding `add` (-1: add nothing) as the first. */
  private findOrAdd(id: string, hash: number, add: number): number {
    const { slots, mask, hashes, records } = this
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slots[slot] as number
      if (at < 0) {
        if (add >= 0) slots[slot] = add
        return -1
      }
      if (hashes[at] === hash && (records[at] as SpanRecord).spanId === id) return at
    }
  }

  /** The first span with this trace and id, or -1. */
  first(traceId: string, id: string): number {
    const first = this.findOrAdd(id, stringHash(id), -1)
    if (first < 0) return -1
    if (this.traceOf[first] === traceId) return first
    if (!this.repeatedIds.has(id)) return -1
    return this.repeated?.get(traceAndIdKey(traceId, id))?.[0] ?? -1
  }

  isRepeated(id: string): boolean {
    return this.repeatedIds.has(id)
  }

  /** (key, members) of every (trace, id) shared by two spans or more. */
  *repeatedGroups(): Generator<[string, number[]]> {
    if (!this.repeated) return
    for (const entry of this.repeated) if (entry[1].length > 1) yield entry
  }
}

/** A set of spans with one (trace, id): the span the others hang under and the renamed ones. */
interface SharedGroup {
  readonly anchor: number
  readonly renamed: number[]
}

/**
 * Zipkin lets an RPC server reuse its client's span id (`shared: true`, or no flag at all in
 * some real data). In the model every span needs its own id, so each such span gets a new one
 * and becomes a child of the span whose id it shares:
 *
 * - the anchor is the group's non-shared CLIENT, else its first span that is neither shared nor
 *   a SERVER, else its first non-shared span (a root SERVER with a shared SERVER under it);
 * - renamed are the group's other spans that are shared, or are SERVERs when the anchor is not;
 *   two plain SERVERs with one id are a real duplicate and left to `buildTraces` to report.
 *
 * A lone shared span (a SERVER whose client was not reported, Envoy's case) keeps its id.
 */
function findSharedGroups(spans: ZipkinSpans, index: SpanIdIndex): Map<string, SharedGroup> {
  const groups = new Map<string, SharedGroup>()
  const { isShared, kinds } = spans
  for (const [key, members] of index.repeatedGroups()) {
    const anchor =
      members.find((i) => !isShared[i] && kinds[i] === 'CLIENT') ??
      members.find((i) => !isShared[i] && kinds[i] !== 'SERVER') ??
      members.find((i) => !isShared[i])
    if (anchor === undefined) continue
    const anchorIsServer = kinds[anchor] === 'SERVER'
    const renamed = members.filter((i) => i !== anchor && (isShared[i] || (!anchorIsServer && kinds[i] === 'SERVER')))
    if (renamed.length > 0) groups.set(key, { anchor, renamed })
  }
  return groups
}
/**
 * Which renamed span of a shared id a child belongs to. Spans made in the server process hang
 * under the server half (that is how Zipkin builds its tree); others stay on the client. When
 * several server halves match (one message delivered to several consumers with the same id),
 * prefer the same host and port, then the latest one that started before the child.
 */
function pickServerParent(child: number, group: SharedGroup, spans: ZipkinSpans): number | undefined {
  const { locals, records } = spans
  const childEndpoint = locals[child]
  let candidates = group.renamed.filter((i) => isSameProcess(locals[i], childEndpoint))
  if (candidates.length === 0) return undefined
  if (candidates.length > 1 && childEndpoint) {
    const sameHost = candidates.filter((i) => endpointKey(locals[i] as ZipkinEndpoint) === endpointKey(childEndpoint))
    if (sameHost.length > 0) candidates = sameHost
  }
  const childStart = (records[child] as SpanRecord).startTimeNs
  if (candidates.length > 1 && childStart !== undefined) {
    let best: number | undefined
    for (const i of candidates) {
      const start = (records[i] as SpanRecord).startTimeNs
      if (start === undefined || start > childStart) continue
      if (best === undefined || start > ((records[best] as SpanRecord).startTimeNs as bigint)) best = i
    }
    if (best !== undefined) return best
  }
  return candidates[0]
}

const KIND_BY_NAME: Readonly<Record<ZipkinKind, SpanKind>> = {
  CLIENT: SpanKind.Client,
  SERVER: SpanKind.Server,
  PRODUCER: SpanKind.Producer,
  CONSUMER: SpanKind.Consumer,
}

interface Status {
  readonly statusCode: StatusCode
  readonly statusMessage?: string
}

const UNSET_STATUS: Status = { statusCode: StatusCode.Unset }
const OK_STATUS: Status = { statusCode: StatusCode.Ok }

/**
 * Zipkin marks failure with an `error` tag, whose value (possibly "") is the message; spans
 * exported from OpenTelemetry also carry `otel.status_code` / `otel.status_description`.
 * `error` wins; the otel tags are folded into the status when they are understood.
 */
function statusOf(errorValue: string | undefined, otelCode: string | undefined, otelDescription: string | undefined): Status {
  if (errorValue === undefined && otelCode === undefined) return UNSET_STATUS
  const code = otelCode?.toUpperCase()
  const description = nonEmpty(otelDescription)
  if (errorValue !== undefined) return { statusCode: StatusCode.Error, statusMessage: description ?? nonEmpty(errorValue) }
  if (code === 'ERROR') return { statusCode: StatusCode.Error, statusMessage: description }
  if (code === 'OK') return OK_STATUS
  return UNSET_STATUS
}

interface StatusAndAttributes extends Status {
  readonly attributes: Attribute[]
}

/**
 * The status from the tags (string values), and the tags without the otel status tags when
 * those were folded into the status; the tags as they are when nothing is removed.
 */
function readStatus(tags: Attribute[]): StatusAndAttributes {
  let errorValue: string | undefined
  let otelCode: string | undefined
  let otelDescription: string | undefined
  let otelTags = 0
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i] as Attribute
    const key = tag.key
    if (key === ZipkinAttr.error) errorValue = tag.value as string
    else if (key === ZipkinAttr.otelStatusCode) {
      otelCode = tag.value as string
      otelTags++
    } else if (key === ZipkinAttr.otelStatusDescription) {
      otelDescription = tag.value as string
      otelTags++
    }
  }
  const code = otelCode?.toUpperCase()
  const isOtelUnderstood = code === 'ERROR' || code === 'OK' || code === 'UNSET'
  const stripOtel = isOtelUnderstood || errorValue !== undefined
  const attributes =
    stripOtel && otelTags > 0 ? tags.filter((tag) => tag.key !== ZipkinAttr.otelStatusCode && tag.key !== ZipkinAttr.otelStatusDescription) : tags
  const { statusCode, statusMessage } = statusOf(errorValue, otelCode, otelDescription)
  return statusMessage === undefined ? { statusCode, attributes } : { statusCode, statusMessage, attributes }
}

function pushAddress(attributes: Attribute[], addressKey: string, ipv6Key: string, endpoint: ZipkinEndpoint): void {
  if (endpoint.ipv4 !== undefined) {
    attributes.push({ key: addressKey, value: endpoint.ipv4 })
    if (endpoint.ipv6 !== undefined) attributes.push({ key: ipv6Key, value: endpoint.ipv6 })
  } else if (endpoint.ipv6 !== undefined) {
    attributes.push({ key: addressKey, value: endpoint.ipv6 })
  }
}

interface ReadDetails extends StatusAndAttributes {
  readonly events: readonly SpanEvent[]
  /** Tags dropped because a later tag has the same key. */
  readonly repeated: number
}

/** Status, attributes (tags, then the peer and debug ones) and events of a read span. */
function spanDetails(tags: Attribute[], remote: ZipkinEndpoint | undefined, isDebug: boolean, annotations: readonly ZipkinAnnotation[]): ReadDetails {
  const { statusCode, statusMessage, attributes: tagAttributes } = readStatus(tags)
  const deduped = dedupeAttributesFast(tagAttributes)
  const attributes = deduped.attributes
  if (remote) {
    const peer: Attribute[] = []
    if (remote.serviceName !== undefined) peer.push({ key: ZipkinAttr.peerService, value: remote.serviceName })
    pushAddress(peer, ZipkinAttr.peerAddress, ZipkinAttr.peerIpv6, remote)
    if (remote.port !== undefined) peer.push({ key: ZipkinAttr.peerPort, value: BigInt(remote.port) })
    // An explicit tag of the same name says more than the endpoint.
    for (const attribute of peer) if (!attributes.some((a) => a.key === attribute.key)) attributes.push(attribute)
  }
  if (isDebug) attributes.push({ key: ZipkinAttr.debug, value: true })
  let events: readonly SpanEvent[] = NO_EVENTS
  if (annotations.length > 0) {
    const list: SpanEvent[] = new Array(annotations.length)
    for (let i = 0; i < annotations.length; i++) {
      const annotation = annotations[i] as ZipkinAnnotation
      list[i] = { timeNs: annotation.timeNs, name: annotation.value, attributes: NO_ATTRIBUTES }
    }
    events = list
  }
  return {
    statusCode,
    statusMessage,
    attributes: attributes.length > 0 ? attributes : (NO_ATTRIBUTES as Attribute[]),
    events,
    repeated: deduped.repeated,
  }
}

/**
 * Adds a read span: everything about it that needs no other span (status, attributes from tags,
 * peer and debug, events) goes into its record now; ids, parent and service are decided at the end.
 */
function addSpan(spans: ZipkinSpans, draft: ZipkinSpanDraft): void {
  const { statusCode, statusMessage, attributes, events, repeated } = spanDetails(draft.tags, draft.remoteEndpoint, draft.isDebug, draft.annotations)
  const record: Mutable<SpanRecord> = {
    traceId: draft.traceId,
    spanId: draft.id,
    parentSpanId: draft.parentId,
    name: draft.name,
    service: UNKNOWN_SERVICE,
    // Zipkin documents an absent kind as a local (in-process) span, which is exactly
    // OpenTelemetry's INTERNAL; Unspecified would claim we do not know, and we do.
    kind: draft.kind === undefined ? SpanKind.Internal : KIND_BY_NAME[draft.kind],
    startTimeNs: draft.startTimeNs,
    durationNs: draft.durationNs,
    statusCode,
    attributes,
    resource: NO_ATTRIBUTES,
    events,
    links: NO_LINKS,
  }
  if (statusMessage !== undefined) record.statusMessage = statusMessage
  if (draft.warnings.length > 0) record.warnings = draft.warnings
  pushSpan(spans, record, draft.idHash, draft.kind, draft.isShared, draft.localEndpoint, draft.remoteEndpoint, repeated > 0)
}

function pushSpan(
  spans: ZipkinSpans,
  record: Mutable<SpanRecord>,
  idHash: number,
  kind: ZipkinKind | undefined,
  isShared: boolean,
  local: ZipkinEndpoint | undefined,
  remote: unknown,
  hasRepeatedTags: boolean,
): void {
  spans.records.push(record)
  spans.kinds.push(kind)
  spans.isShared.push(isShared)
  spans.locals.push(local)
  spans.remotes.push(remote)
  spans.hasRepeatedTags.push(hasRepeatedTags)
  spans.idHashes.push(idHash)
}

const NO_LINKS: readonly SpanLink[] = Object.freeze([])

function toSpanRecords(spans: ZipkinSpans): {
  records: SpanRecord[]
  repeatedTags: string[]
} {
  const { records, kinds, locals, remotes } = spans
  const unify = unifyTraceIds(records)
  const n = records.length
  const traceOf: string[] = new Array(n)
  for (let i = 0; i < n; i++) traceOf[i] = unify((records[i] as SpanRecord).traceId)
  const index = new SpanIdIndex(records, spans.idHashes, traceOf)
  const groups = findSharedGroups(spans, index)
  const at = (i: number) => records[i] as Mutable<SpanRecord>

  // Parent of each span as an index (when it is in the document and needed), for service
  // fallback and for the renamed spans and their children; -1 otherwise.
  const isRenamed = new Uint8Array(n)
  const parentOf = new Int32Array(n).fill(-1)
  for (const group of groups.values()) {
    for (const i of group.renamed) {
      isRenamed[i] = 1
      parentOf[i] = group.anchor
    }
  }
  for (let i = 0; i < n; i++) {
    const parentId = at(i).parentSpanId
    if (isRenamed[i] || parentId === undefined) continue
    // Without shared ids, a parent's index serves only to name a span that has no service of
    // its own: the parent id itself stays as it is.
    if (groups.size === 0 && locals[i]?.serviceName !== undefined) continue
    const traceId = traceOf[i] as string
    const group = groups.size > 0 && index.isRepeated(parentId) ? groups.get(traceAndIdKey(traceId, parentId)) : undefined
    parentOf[i] = group ? (pickServerParent(i, group, spans) ?? group.anchor) : index.first(traceId, parentId)
  }

  // Services: the local endpoint's, else (formats.md §3.1) the name the calling span gave its
  // remote side; a server half without a name is what its client called.
  const services: string[] = new Array(n)
  const serviceWarnings: Array<string | undefined> = new Array(n)
  for (let i = 0; i < n; i++) {
    const own = locals[i]?.serviceName
    if (own !== undefined) {
      services[i] = own
      continue
    }
    const parent = parentOf[i] as number
    const parentKind = parent >= 0 ? kinds[parent] : undefined
    const called = parentKind === 'CLIENT' || parentKind === 'PRODUCER' ? remoteServiceName(remotes[parent]) : undefined
    services[i] = called ?? UNKNOWN_SERVICE
    serviceWarnings[i] =
      called !== undefined
        ? `no localEndpoint.serviceName; "${called}" taken from the calling span's remoteEndpoint`
        : `no localEndpoint.serviceName; shown as "${UNKNOWN_SERVICE}"`
  }

  // New ids for renamed spans: FNV-1a (64 bits, 16 hex digits, the shape of a span id) of
  // "original id|service|start", i.e. of what tells one server half from another. Derived, not
  // random, so the same input always gives the same id, and a Zipkin re-export (which writes
  // the original id back with shared: true) re-imports to it. A collision with any id of the
  // trace is resolved by hashing again with a counter.
  const finalId: string[] = new Array(n)
  for (let i = 0; i < n; i++) finalId[i] = at(i).spanId
  if (groups.size > 0) {
    const newIds = new Set<string>()
    const isUsed = (traceId: string, id: string) => index.first(traceId, id) >= 0 || newIds.has(traceAndIdKey(traceId, id))
    for (let i = 0; i < n; i++) {
      if (!isRenamed[i]) continue
      const span = at(i)
      const traceId = traceOf[i] as string
      const seed = `${span.spanId}|${services[i]}|${span.startTimeNs ?? ''}`
      let id = hashToSpanId(seed)
      for (let attempt = 1; isUsed(traceId, id) || /^0+$/.test(id); attempt++) id = hashToSpanId(`${seed}|${attempt}`)
      newIds.add(traceAndIdKey(traceId, id))
      finalId[i] = id
    }
  }

  // One resource per (service, local endpoint), shared by its spans.
  const resourcesByEndpoint = new Map<string, Map<string, Attribute[]>>()
  const endpointKeys = new Map<ZipkinEndpoint, string>()
  // Endpoints are interned, and nearly always named with their own service: one lookup by
  // identity finds the resource of most spans.
  const lastResource = new Map<ZipkinEndpoint, { readonly service: string; readonly resource: Attribute[] }>()
  const resourceFor = (service: string, endpoint: ZipkinEndpoint | undefined): Attribute[] => {
    if (endpoint) {
      const last = lastResource.get(endpoint)
      if (last !== undefined && last.service === service) return last.resource
    }
    const resource = findResource(service, endpoint)
    if (endpoint) lastResource.set(endpoint, { service, resource })
    return resource
  }
  const findResource = (service: string, endpoint: ZipkinEndpoint | undefined): Attribute[] => {
    let key = ''
    if (endpoint) {
      let known = endpointKeys.get(endpoint)
      if (known === undefined) {
        known = endpointKey(endpoint)
        endpointKeys.set(endpoint, known)
      }
      key = known
    }
    let byService = resourcesByEndpoint.get(key)
    if (!byService) {
      byService = new Map()
      resourcesByEndpoint.set(key, byService)
    }
    let resource = byService.get(service)
    if (!resource) {
      resource = [{ key: ZipkinAttr.serviceName, value: service }]
      if (endpoint) {
        pushAddress(resource, ZipkinAttr.localAddress, ZipkinAttr.localIpv6, endpoint)
        if (endpoint.port !== undefined) resource.push({ key: ZipkinAttr.localPort, value: BigInt(endpoint.port) })
      }
      byService.set(service, resource)
    }
    return resource
  }

  const repeatedTags: string[] = []
  for (let i = 0; i < n; i++) {
    const record = at(i)
    if (spans.hasRepeatedTags[i]) repeatedTags.push(finalId[i] as string)
    const parent = parentOf[i] as number
    record.traceId = traceOf[i] as string
    if (parent >= 0) record.parentSpanId = finalId[parent]
    record.service = services[i] as string
    record.resource = resourceFor(services[i] as string, locals[i])
    if (isRenamed[i]) {
      record.originalSpanId = record.spanId
      record.spanId = finalId[i] as string
    }
    const serviceWarning = serviceWarnings[i]
    if (serviceWarning !== undefined) record.warnings = record.warnings ? [...record.warnings, serviceWarning] : [serviceWarning]
  }
  return { records, repeatedTags }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

type SpanReader = (item: unknown, outer: number, inner: number, context: ReadContext) => void

/**
 * Reads the spans of one document, one item at a time, then makes ids unique, links parents
 * and names services over all of them. Whole documents and streamed ones (see `stream-json.ts`)
 * go through it alike: `add` is called with the same items and the same places either way.
 */
class ZipkinReader implements StreamImportReader {
  private readonly context: ReadContext
  private readonly readSpan: SpanReader
  // Container events: depth 1 is the document, 2 an inner array of an array of arrays.
  private depth = 0
  private outerIndex = 0
  private rootMembers: Record<string, unknown> | undefined

  constructor(readSpan: SpanReader, options: ZipkinImportOptions = {}) {
    this.readSpan = readSpan
    this.context = new ReadContext(options.deferDetails ?? true)
  }

  /** One item of the document, at `item outer` (inner -1) or `item outer.inner` (outer -1: the whole document). */
  add(item: unknown, outer: number, inner: number): void {
    this.readSpan(item, outer, inner, this.context)
  }

  onOpen(key: string | number | undefined, kind: 'object' | 'array'): void {
    this.depth++
    if (this.depth === 1 && kind === 'object') this.rootMembers = {}
    if (this.depth === 2 && typeof key === 'number') this.outerIndex = key
  }

  onMember(key: string, value: unknown): void {
    if (this.depth === 1 && this.rootMembers) {
      Object.defineProperty(this.rootMembers, key, { value, enumerable: true, writable: true, configurable: true })
    }
  }

  onItem(index: number, value: unknown): void {
    if (this.depth === 1 && !this.rootMembers) this.add(value, index, -1)
    else if (this.depth === 2 && !this.rootMembers) this.add(value, this.outerIndex, index)
  }

  onClose(): void {
    if (this.depth === 1 && this.rootMembers) this.add(this.rootMembers, -1, -1)
    this.depth--
  }

  result(): ImportResult {
    const { records, repeatedTags } = toSpanRecords(this.context.out)
    const warnings = this.context.invalid.toWarnings()
    if (repeatedTags.length > 0) {
      warnings.push({
        kind: 'duplicate-attribute',
        message: `${repeatedTags.length === 1 ? '1 span repeats' : `${repeatedTags.length} spans repeat`} a tag key; the last value is kept`,
        spanIds: repeatedTags,
      })
    }
    return { spans: records, warnings }
  }
}

function importWith(document: unknown, format: string, readSpan: SpanReader, options?: ZipkinImportOptions): ImportResult {
  const reader = new ZipkinReader(readSpan, options)
  forEachSpanItem(document, format, (item, outer, inner) => reader.add(item, outer, inner))
  return reader.result()
}

/** `zipkinV2Importer.importDocument` with options. */
export function importZipkinV2(document: unknown, options?: ZipkinImportOptions): ImportResult {
  return importWith(document, 'Zipkin v2 JSON', readV2Span, options)
}

/** `zipkinV1Importer.importDocument` with options (v1 spans are always read eagerly). */
export function importZipkinV1(document: unknown, options?: ZipkinImportOptions): ImportResult {
  return importWith(document, 'Zipkin v1 JSON', readV1Span, options)
}

// ---------------------------------------------------------------------------------------------
// Detection: look at the first few span objects only.

const DETECT_SAMPLE = 10

function sampleSpanObjects(document: unknown): JsonObject[] {
  if (isObject(document)) return [document]
  if (!Array.isArray(document)) return []
  const sample: JsonObject[] = []
  for (let i = 0; i < document.length && i < DETECT_SAMPLE && sample.length < DETECT_SAMPLE; i++) {
    const item: unknown = document[i]
    if (isObject(item)) sample.push(item)
    else if (Array.isArray(item)) {
      for (let j = 0; j < item.length && j < DETECT_SAMPLE && sample.length < DETECT_SAMPLE; j++) {
        const inner: unknown = item[j]
        if (isObject(inner)) sample.push(inner)
      }
    }
  }
  return sample
}

/** `traceId` + `id` as strings: Zipkin. Jaeger spells `traceID`/`spanID`, OTLP has `spanId`. */
function hasZipkinIds(span: JsonObject): boolean {
  return typeof ownValue(span, 'traceId') === 'string' && typeof ownValue(span, 'id') === 'string'
}

function hasV2Fields(span: JsonObject): boolean {
  return ['localEndpoint', 'remoteEndpoint', 'kind', 'tags', 'shared'].some((key) => ownValue(span, key) !== undefined)
}

function hasV1Fields(span: JsonObject): boolean {
  if (Array.isArray(ownValue(span, 'binaryAnnotations'))) return true
  const annotations = ownValue(span, 'annotations')
  return Array.isArray(annotations) && annotations.slice(0, 5).some((a: unknown) => isObject(a) && isObject(ownValue(a, 'endpoint')))
}

function isZipkinV1(document: unknown): boolean {
  const sample = sampleSpanObjects(document).filter(hasZipkinIds)
  return sample.some(hasV1Fields) && !sample.some(hasV2Fields)
}

function isZipkinV2(document: unknown): boolean {
  const sample = sampleSpanObjects(document)
  return sample.some(hasZipkinIds) && !isZipkinV1(document)
}

export const zipkinV2Importer: TraceImporter = {
  format: 'zipkin-v2',
  label: 'Zipkin v2 JSON',
  expects: 'an array of spans with "traceId" and "id", an array of such arrays, or one span',
  detect: isZipkinV2,
  importDocument: (document) => importZipkinV2(document),
  createStreamReader: () => new ZipkinReader(readV2Span),
  skimPiece: skimV2Tags,
}

export const zipkinV1Importer: TraceImporter = {
  format: 'zipkin-v1',
  label: 'Zipkin v1 JSON',
  expects: 'spans with "traceId", "id" and "annotations[].endpoint" or "binaryAnnotations"',
  detect: isZipkinV1,
  importDocument: (document) => importZipkinV1(document),
  createStreamReader: () => new ZipkinReader(readV1Span),
}
