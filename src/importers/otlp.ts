import { findAttribute, attributeToString } from '../model/attributes.ts'
import { LazySpanRecord } from '../model/lazy-span.ts'
import type { DetailsReader, SpanDetails } from '../model/lazy-span.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type { Attribute, AttrValue, ImportResult, InstrumentationScope, SpanEvent, SpanLink, SpanRecord, TraceWarning } from '../model/span-record.ts'
import { bytesToHex, decodeBase64, isLowerHex, normalizeParentId, normalizeSpanId, normalizeTraceId } from './ids.ts'
import { ImportError } from './import-error.ts'
import type { StreamImportReader, TraceImporter } from './importer.ts'
import { JSON_NUMBER, JSON_STRING, PLAIN_STRING } from './skim-patterns.ts'
import { deferredSpan, originalSpan, spanOf } from './span-pieces.ts'
import type { DeferredSpan } from './span-pieces.ts'
import { asArray, asBigInt, asString, dedupeAttributesFast, isObject, ownValue } from './values.ts'
import type { JsonObject } from './values.ts'

/**
 * OTLP traces (formats.md §4): `TracesData` / `ExportTraceServiceRequest` as OTLP/JSON, as
 * generic proto3-JSON (base64 ids, enum names, snake_case keys) and, unchanged, as the
 * message objects that the protobuf decoder yields (bytes ids, bigint times, `{case, value}`
 * oneofs). Tempo (`batches`, `trace`) and Jaeger api_v3 (`result`) wrap the same list, so they
 * all go through `importResourceSpans`.
 *
 * Readers here never throw on odd input: a value of the wrong type reads as absent, and a span
 * that cannot be read at all is skipped with an 'invalid-span' warning.
 */

const UNKNOWN_SERVICE = 'unknown_service'
/** AnyValue nesting deeper than this reads as empty: real data nests 2–3 levels, attackers more. */
const MAX_VALUE_DEPTH = 64
/** How many examples a file-level warning quotes. */
const QUOTED_EXAMPLES = 3

const snakeNames = new Map<string, string>()

function snakeOf(camel: string): string {
  let snake = snakeNames.get(camel)
  if (snake === undefined) {
    snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    snakeNames.set(camel, snake)
  }
  return snake
}

/**
 * A field by its lowerCamelCase proto3-JSON name, or by the original snake_case name that
 * printers with "original names" emit (`scope_spans`, `start_time_unix_nano`, …). Files mix both.
 */
function field(object: JsonObject, camel: string): unknown {
  const value = ownValue(object, camel)
  return value !== undefined ? value : ownValue(object, snakeOf(camel))
}

function hasField(object: JsonObject, camel: string): boolean {
  return field(object, camel) !== undefined
}

/** True for a TracesData-shaped object: `resourceSpans` or `resource_spans`. */
export function hasResourceSpans(value: unknown): boolean {
  return isObject(value) && hasField(value, 'resourceSpans')
}

const KIND_BY_NAME: ReadonlyMap<string, SpanKind> = new Map([
  ['UNSPECIFIED', SpanKind.Unspecified],
  ['INTERNAL', SpanKind.Internal],
  ['SERVER', SpanKind.Server],
  ['CLIENT', SpanKind.Client],
  ['PRODUCER', SpanKind.Producer],
  ['CONSUMER', SpanKind.Consumer],
])

/** `2`, `"2"`, `"SPAN_KIND_SERVER"`, `"SERVER"`, `"server"` (formats.md §8.11); anything else is unspecified. */
export function parseSpanKind(raw: unknown): SpanKind {
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    const n = Number(raw)
    return Number.isInteger(n) && n >= 0 && n <= 5 ? (n as SpanKind) : SpanKind.Unspecified
  }
  if (typeof raw !== 'string') return SpanKind.Unspecified
  const text = raw.trim().toUpperCase()
  if (/^\d+$/.test(text)) return parseSpanKind(Number(text))
  return KIND_BY_NAME.get(text.replace(/^SPAN_KIND_/, '')) ?? SpanKind.Unspecified
}

const STATUS_BY_NAME: ReadonlyMap<string, StatusCode> = new Map([
  ['UNSET', StatusCode.Unset],
  ['OK', StatusCode.Ok],
  ['ERROR', StatusCode.Error],
])

/**
 * `2`, `"STATUS_CODE_ERROR"`, `"ERROR"`. A number above 2 can only be a gRPC-style code from
 * OTLP ≤ 0.6, where every non-zero code was a failure, so it reads as an error.
 */
export function parseStatusCode(raw: unknown): StatusCode {
  if (typeof raw === 'number' || typeof raw === 'bigint') {
    const n = Number(raw)
    if (n === 0 || n === 1 || n === 2) return n
    return Number.isInteger(n) && n > 2 ? StatusCode.Error : StatusCode.Unset
  }
  if (typeof raw !== 'string') return StatusCode.Unset
  const text = raw.trim().toUpperCase()
  if (/^\d+$/.test(text)) return parseStatusCode(Number(text))
  return STATUS_BY_NAME.get(text.replace(/^STATUS_CODE_/, '')) ?? StatusCode.Unset
}

/** OTLP ≤ 0.6 `deprecatedCode`: gRPC-style, 0 / `DEPRECATED_STATUS_CODE_OK` is fine, anything else failed. */
function isDeprecatedCodeError(raw: unknown): boolean {
  if (typeof raw === 'number' || typeof raw === 'bigint') return Number(raw) !== 0
  if (typeof raw !== 'string') return false
  const text = raw.trim().toUpperCase()
  return text !== '' && text !== '0' && text !== 'DEPRECATED_STATUS_CODE_OK' && text !== 'OK'
}

/** Nanoseconds since the epoch, exactly; 0 is the proto default and means "not set". */
function readNanos(raw: unknown): bigint | undefined {
  const ns = asBigInt(raw)
  return ns === undefined || ns === 0n ? undefined : ns
}

/** An id as text: strings as written (hex or base64), bytes from the protobuf decoder as hex. */
function idText(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw
  if (raw instanceof Uint8Array) return bytesToHex(raw)
  return undefined
}

function nonEmptyString(raw: unknown): string | undefined {
  return typeof raw === 'string' && raw !== '' ? raw : undefined
}

/** uint32 bit field; 0 (the proto default) reads as "no flags". */
function readFlags(raw: unknown): number | undefined {
  const flags = typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'string' ? Number(raw) : Number.NaN
  return Number.isInteger(flags) && flags !== 0 ? flags >>> 0 : undefined
}

function readDouble(raw: unknown): number | null {
  if (typeof raw === 'number') return raw
  if (typeof raw === 'bigint') return Number(raw)
  if (typeof raw === 'string') {
    // proto3-JSON writes non-finite doubles as "NaN", "Infinity", "-Infinity".
    const text = raw.trim()
    if (text === 'NaN') return Number.NaN
    if (text === 'Infinity') return Number.POSITIVE_INFINITY
    if (text === '-Infinity') return Number.NEGATIVE_INFINITY
    const n = text === '' ? Number.NaN : Number(text)
    return Number.isNaN(n) ? null : n
  }
  return null
}

function readBool(raw: unknown): boolean | null {
  if (typeof raw === 'boolean') return raw
  if (raw === 'true') return true
  if (raw === 'false') return false
  return null
}

const NO_KEYS: readonly string[] = []
const NO_ATTRIBUTES: readonly Attribute[] = Object.freeze([])
/** Marks a finished entry, so that a resource's spans need not all stay referenced until its end. */
const DONE: InvalidEntry = { spanId: undefined, example: '' }

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

const VALUE_KEYS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] as const
type ValueKey = (typeof VALUE_KEYS)[number]
/** Each AnyValue key, in either spelling, to its lowerCamelCase name. */
const VALUE_KEY_BY_NAME: ReadonlyMap<string, ValueKey> = new Map(VALUE_KEYS.flatMap((key) => [[key, key] as const, [snakeOf(key), key] as const]))

/**
 * Reads attributes and remembers which keys repeated, so the caller can warn once per span.
 * One instance serves a whole document.
 */
class AttributeReader {
  /** Repeated keys seen since the last `takeRepeats()`. */
  private repeats: string[] = []

  takeRepeats(): readonly string[] {
    if (this.repeats.length === 0) return NO_KEYS
    const repeats = this.repeats
    this.repeats = []
    return repeats
  }

  attributes(raw: unknown, depth = 0): Attribute[] {
    const list = asArray(raw)
    if (list.length === 0) return []
    const out: Attribute[] = []
    for (const item of list) {
      if (!isObject(item)) continue
      out.push({ key: asString(field(item, 'key')) ?? '', value: this.value(field(item, 'value'), depth) })
    }
    const { attributes, repeated } = dedupeAttributesFast(out)
    if (repeated > 0) {
      const seen = new Set<string>()
      for (const attribute of out) {
        if (seen.has(attribute.key)) this.repeats.push(attribute.key)
        else seen.add(attribute.key)
      }
    }
    return attributes
  }

  /** One AnyValue. `{}` (a legal empty value) and unknown keys read as null. */
  value(raw: unknown, depth: number): AttrValue {
    if (raw === undefined || raw === null) return null
    if (!isObject(raw)) {
      // Not an AnyValue but a bare scalar (hand-written files): keep what it says.
      if (typeof raw === 'string' || typeof raw === 'boolean' || typeof raw === 'number' || typeof raw === 'bigint') return raw
      return null
    }
    if (depth >= MAX_VALUE_DEPTH) return null
    // Almost every AnyValue is one key, `{"stringValue": "x"}`: read it without trying the seven
    // names (and their snake_case spellings) one by one. Anything else takes the general path.
    let only: string | undefined
    let keyCount = 0
    for (const name in raw) {
      only = name
      if (++keyCount > 1) break
    }
    if (keyCount === 1 && only !== undefined && Object.hasOwn(raw, only)) {
      const key = VALUE_KEY_BY_NAME.get(only)
      if (key !== undefined) return this.typedValue(key, raw[only], depth)
    }
    // The protobuf decoder's oneof: { value: { case: 'stringValue', value: 'x' } }.
    const oneof = ownValue(raw, 'value')
    if (isObject(oneof) && 'case' in oneof) {
      const kind = oneof.case
      return typeof kind === 'string' && (VALUE_KEYS as readonly string[]).includes(kind) ? this.typedValue(kind as ValueKey, oneof.value, depth) : null
    }
    for (const key of VALUE_KEYS) {
      const inner = field(raw, key)
      if (inner !== undefined) return this.typedValue(key, inner, depth)
    }
    return null
  }

  private typedValue(key: ValueKey, inner: unknown, depth: number): AttrValue {
    switch (key) {
      case 'stringValue':
        return asString(inner) ?? null
      case 'boolValue':
        return readBool(inner)
      case 'intValue':
        return asBigInt(inner) ?? null
      case 'doubleValue':
        return readDouble(inner)
      case 'bytesValue':
        if (inner instanceof Uint8Array) return inner
        return typeof inner === 'string' ? (decodeBase64(inner) ?? null) : null
      case 'arrayValue': {
        // `{"values": [...]}`; `{}` is an empty array. A bare list is tolerated.
        const values = Array.isArray(inner) ? inner : isObject(inner) ? asArray(field(inner, 'values')) : []
        return values.map((item) => this.value(item, depth + 1))
      }
      case 'kvlistValue':
        return { kvlist: this.attributes(isObject(inner) ? field(inner, 'values') : undefined, depth + 1) }
    }
  }
}

export interface OtlpReadOptions {
  /**
   * Leave a span's attributes, events and links in the input, to be read on first use, when
   * reading them cannot warn (see `LazySpanRecord`). On by default; off reads them all at once.
   */
  readonly deferDetails?: boolean
}

function readEvents(values: AttributeReader, raw: unknown): SpanEvent[] {
  const events: SpanEvent[] = []
  for (const item of asArray(raw)) {
    if (!isObject(item)) continue
    const attributes = values.attributes(field(item, 'attributes'))
    let name = asString(field(item, 'name')) ?? ''
    // Events converted from Jaeger logs carry their label in an `event` attribute (§8.23).
    if (name === '') {
      const label = findAttribute(attributes, 'event')
      if (typeof label === 'string') name = label
    }
    events.push({ timeNs: asBigInt(field(item, 'timeUnixNano')) ?? 0n, name, attributes })
  }
  return events
}

function readLinks(values: AttributeReader, raw: unknown): SpanLink[] {
  const links: SpanLink[] = []
  for (const item of asArray(raw)) {
    if (!isObject(item)) continue
    const traceText = idText(field(item, 'traceId'))
    const spanText = idText(field(item, 'spanId'))
    if (traceText === undefined || traceText === '' || spanText === undefined || spanText === '') continue
    const link: { -readonly [K in keyof SpanLink]: SpanLink[K] } = {
      traceId: normalizeTraceId(traceText),
      spanId: normalizeSpanId(spanText),
      kind: 'link',
      attributes: values.attributes(field(item, 'attributes')),
    }
    const traceState = nonEmptyString(field(item, 'traceState'))
    if (traceState !== undefined) link.traceState = traceState
    links.push(link)
  }
  return links
}

/** A span's details from its `attributes`, `events` and `links` values; repeated keys go to `values`. */
function readDetails(values: AttributeReader, attributes: unknown, events: unknown, links: unknown): Mutable<SpanDetails> {
  return { attributes: values.attributes(attributes), events: readEvents(values, events), links: readLinks(values, links) }
}

/** Reads the details of a deferred span: the same readers as the eager path, on the same values. */
const OTLP_DETAILS: DetailsReader<DeferredSpan> = {
  readDetails(kept: DeferredSpan): SpanDetails {
    const raw = spanOf(kept)
    // A reader of its own: repeats cannot occur (checked at import) and nothing may be shared.
    return readDetails(new AttributeReader(), raw.attributes, raw.events, raw.links)
  },
}

// --- can reading the details warn? ------------------------------------------------------------
//
// These mirror `AttributeReader`, `readEvents` and `readLinks` without building anything: true
// means reading records no repeated key (the only warning details can give). They may say false
// when unsure (a key that is not a string, an odd value): the span is then read at once, as before.

/** Lists longer than this are checked for repeated keys with a Set rather than pairwise. */
const PAIRWISE_KEYS = 32

/** `AttributeReader.attributes(raw, depth)` records no repeated key. */
function attributesAreClean(raw: unknown, depth: number): boolean {
  if (!Array.isArray(raw)) return true
  const list: readonly unknown[] = raw
  const n = list.length
  if (n === 0) return true
  let seen: Set<string> | undefined
  if (n > PAIRWISE_KEYS) seen = new Set()
  for (let i = 0; i < n; i++) {
    const item = list[i]
    // Non-objects are skipped by the reader too.
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue
    const key = (item as JsonObject).key
    if (typeof key !== 'string') return false
    if (seen !== undefined) {
      if (seen.has(key)) return false
      seen.add(key)
    } else {
      for (let j = 0; j < i; j++) {
        const other = list[j]
        if (typeof other === 'object' && other !== null && (other as JsonObject).key === key) return false
      }
    }
    if (!valueIsClean((item as JsonObject).value, depth)) return false
  }
  return true
}

/**
 * `AttributeReader.value(raw, depth)` records no repeated key. Only lists and kvlists hold
 * attributes; every branch the reader could take is checked, whichever it takes.
 */
function valueIsClean(raw: unknown, depth: number): boolean {
  if (typeof raw !== 'object' || raw === null) return true
  const value = raw as JsonObject
  // The common `{"stringValue": …}`: the reader takes the string whatever else is there, unless a
  // protobuf oneof `value` comes first.
  if (value.stringValue !== undefined && value.value === undefined) return true
  const arrayValue = value.arrayValue
  const kvlistValue = value.kvlistValue
  const oneof = value.value
  const arraySnake = value.array_value
  const kvlistSnake = value.kvlist_value
  // `{"stringValue": …}` and the other scalars: nothing to read below.
  if (arrayValue === undefined && kvlistValue === undefined && oneof === undefined && arraySnake === undefined && kvlistSnake === undefined) return true
  // The reader reads nothing this deep.
  if (depth >= MAX_VALUE_DEPTH || Array.isArray(raw)) return true
  if (!arrayIsClean(arrayValue, depth) || !arrayIsClean(arraySnake, depth)) return false
  if (!kvlistIsClean(kvlistValue, depth) || !kvlistIsClean(kvlistSnake, depth)) return false
  // The protobuf decoder's oneof: { value: { case: 'kvlistValue', value: … } }.
  if (typeof oneof === 'object' && oneof !== null) {
    const kind = (oneof as JsonObject).case
    if (kind === 'arrayValue') return arrayIsClean((oneof as JsonObject).value, depth)
    if (kind === 'kvlistValue') return kvlistIsClean((oneof as JsonObject).value, depth)
  }
  return true
}

/** `typedValue('arrayValue', inner, depth)` records no repeated key. */
function arrayIsClean(inner: unknown, depth: number): boolean {
  if (inner === undefined) return true
  const values = Array.isArray(inner) ? inner : isObject(inner) ? asArray(field(inner, 'values')) : []
  for (const item of values) if (!valueIsClean(item, depth + 1)) return false
  return true
}

/** `typedValue('kvlistValue', inner, depth)` records no repeated key. */
function kvlistIsClean(inner: unknown, depth: number): boolean {
  return inner === undefined || !isObject(inner) || attributesAreClean(field(inner, 'values'), depth + 1)
}

/** `readEvents` records no repeated key. */
function eventsAreClean(raw: unknown): boolean {
  if (!Array.isArray(raw)) return true
  for (const item of raw as readonly unknown[]) if (isObject(item) && !attributesAreClean(field(item, 'attributes'), 0)) return false
  return true
}

/** `readLinks` records no repeated key (checked for every link, also those it skips). */
function linksAreClean(raw: unknown): boolean {
  if (!Array.isArray(raw)) return true
  for (const item of raw as readonly unknown[]) if (isObject(item) && !attributesAreClean(field(item, 'attributes'), 0)) return false
  return true
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** Collects one kind of file-level warning: the span ids involved and a few examples. */
class WarningList {
  readonly spanIds: string[] = []
  readonly examples: string[] = []
  count = 0

  add(spanId: string | undefined, example: string): void {
    this.count++
    if (spanId !== undefined) this.spanIds.push(spanId)
    if (this.examples.length < QUOTED_EXAMPLES) this.examples.push(example)
  }

  toWarning(kind: TraceWarning['kind'], text: (n: number) => string): TraceWarning | undefined {
    if (this.count === 0) return undefined
    const more = this.count > this.examples.length ? `; and ${this.count - this.examples.length} more` : ''
    return { kind, message: `${text(this.count)} (${this.examples.join('; ')}${more})`, spanIds: this.spanIds }
  }
}

interface ResourceContext {
  readonly resource: readonly Attribute[]
  readonly service: string
  readonly repeatedKeys: readonly string[]
}

interface ScopeContext {
  readonly scope: InstrumentationScope | undefined
  readonly repeatedKeys: readonly string[]
}

/** Container keys of a ResourceSpans, newest spelling first (see `chooseContainerKey`). */
const CONTAINER_KEYS = ['scopeSpans', 'scope_spans', 'instrumentationLibrarySpans', 'instrumentation_library_spans'] as const
type ContainerKey = (typeof CONTAINER_KEYS)[number]

function isContainerKey(key: string): key is ContainerKey {
  return (CONTAINER_KEYS as readonly string[]).includes(key)
}

/** A span that could not be read, told where it was. */
interface InvalidEntry {
  readonly spanId: string | undefined
  readonly example: string
}

/** A scope container (ScopeSpans) being read: its spans read as they come, finished with its resource. */
class ScopeReading {
  readonly index: number
  scopeValue: unknown
  libraryValue: unknown
  librarySnakeValue: unknown
  spansValue: unknown
  /** Read spans (records still without resource and scope) and unreadable ones, in order. */
  readonly entries: Array<Mutable<SpanRecord> | InvalidEntry> = []
  /** Repeated attribute keys of each record entry (mostly the shared empty list). */
  readonly repeats: Array<readonly string[]> = []

  constructor(index: number) {
    this.index = index
  }

  member(key: string, value: unknown): void {
    if (key === 'scope') this.scopeValue = value
    else if (key === 'instrumentationLibrary') this.libraryValue = value
    else if (key === 'instrumentation_library') this.librarySnakeValue = value
    else if (key === 'spans') this.spansValue = value
  }

  /** `field(container, 'scope')`, else `field(container, 'instrumentationLibrary')`. */
  rawScope(): unknown {
    if (this.scopeValue !== undefined) return this.scopeValue
    return this.libraryValue !== undefined ? this.libraryValue : this.librarySnakeValue
  }
}

/** One container list of a resource (`scopeSpans`, or an older spelling). */
interface ContainerList {
  /** Elements seen, objects or not: the list's length. */
  length: number
  readonly scopes: ScopeReading[]
  /** The value when it is not a list. */
  value: unknown
}

/** A ResourceSpans being read. Nothing is final before its end: its `resource` may come last. */
class ResourceReading {
  readonly index: number
  resourceValue: unknown
  readonly lists = new Map<ContainerKey, ContainerList>()

  constructor(index: number) {
    this.index = index
  }

  list(key: ContainerKey): ContainerList {
    let list = this.lists.get(key)
    if (!list) {
      list = { length: 0, scopes: [], value: undefined }
      this.lists.set(key, list)
    }
    return list
  }

  /**
   * `scopeSpans` (or `scope_spans` when there is no `scopeSpans`) when it holds anything, else
   * `instrumentationLibrarySpans` likewise: OTLP 0.15–0.18 writers may send both names for the
   * same data, and the new one wins.
   */
  chosenList(): ContainerList | undefined {
    const scopeSpans = this.lists.get('scopeSpans') ?? this.lists.get('scope_spans')
    if (scopeSpans && scopeSpans.length > 0) return scopeSpans
    return this.lists.get('instrumentationLibrarySpans') ?? this.lists.get('instrumentation_library_spans')
  }
}

// What a container of the document is to the reader.
const FRAME_ROOT = 0
const FRAME_RESOURCE_LIST = 1
const FRAME_RESOURCE = 2
const FRAME_CONTAINER_LIST = 3
const FRAME_SCOPE = 4
const FRAME_SPANS = 5
const FRAME_OTHER = 6

interface Frame {
  readonly type: number
  readonly resource?: ResourceReading
  readonly list?: ContainerList
  readonly scope?: ScopeReading
}

/**
 * Reads OTLP ResourceSpans, one document's worth. Fed either whole objects (`readList`) or the
 * container events of a document (`stream-json.ts`), which go through the same steps in the same
 * order; a resource's spans are finished at its end, when its `resource` and scopes are known.
 */
class ResourceSpansReader implements StreamImportReader {
  private readonly values = new AttributeReader()
  private readonly spans: SpanRecord[] = []
  private readonly invalid = new WarningList()
  private readonly duplicates = new WarningList()
  /** Where the resource list is, in a document read from events. */
  private readonly listKeys: readonly string[]
  private readonly frames: Frame[] = []
  private resourceCount = 0
  private listValue: unknown
  private hasList = false
  private usedListKey: string | undefined
  private readonly deferDetails: boolean
  /** The last trace id read as written, and as normalised. */
  private lastTraceText: string | undefined
  private lastTraceId = ''

  constructor(listKeys: readonly string[] = ['resourceSpans', 'resource_spans'], options: OtlpReadOptions = {}) {
    this.listKeys = listKeys
    this.deferDetails = options.deferDetails ?? true
  }

  /** A whole list of ResourceSpans objects (OTLP/JSON, or decoded protobuf messages). */
  readList(list: readonly unknown[]): void {
    for (let r = 0; r < list.length; r++) {
      const resourceSpans = list[r]
      if (isObject(resourceSpans)) this.readResourceObject(resourceSpans, r)
    }
  }

  result(): ImportResult {
    const warnings: TraceWarning[] = []
    const invalid = this.invalid.toWarning(
      'invalid-span',
      (n) => `${n} ${n === 1 ? 'span' : 'spans'} could not be read and ${n === 1 ? 'was' : 'were'} skipped`,
    )
    if (invalid) warnings.push(invalid)
    const duplicates = this.duplicates.toWarning(
      'duplicate-attribute',
      (n) => `${n} ${n === 1 ? 'span repeats' : 'spans repeat'} an attribute key; the last value is kept`,
    )
    if (duplicates) warnings.push(duplicates)
    return { spans: this.spans, warnings }
  }

  // --- whole objects --------------------------------------------------------------------------

  private readResourceObject(object: JsonObject, index: number): void {
    const resource = new ResourceReading(index)
    for (const key of Object.keys(object)) {
      const value = object[key]
      if (key === 'resource') resource.resourceValue = value
      else if (isContainerKey(key)) {
        const list = resource.list(key)
        if (!Array.isArray(value)) {
          list.value = value
          continue
        }
        const containers: readonly unknown[] = value
        list.length = containers.length
        for (let c = 0; c < containers.length; c++) {
          const container = containers[c]
          if (isObject(container)) list.scopes.push(this.readScopeObject(container, index, c))
        }
      }
    }
    this.finishResource(resource)
  }

  private readScopeObject(object: JsonObject, resourceIndex: number, index: number): ScopeReading {
    const scope = new ScopeReading(index)
    for (const key of Object.keys(object)) {
      const value = object[key]
      if (key === 'spans' && Array.isArray(value)) {
        const spans: readonly unknown[] = value
        for (let s = 0; s < spans.length; s++) this.readSpanEntry(spans[s], scope, resourceIndex, s)
      } else scope.member(key, value)
    }
    return scope
  }

  // --- container events -----------------------------------------------------------------------

  onOpen(key: string | number | undefined, kind: 'object' | 'array'): void {
    const parent = this.frames[this.frames.length - 1]
    let frame: Frame = { type: FRAME_OTHER }
    if (parent === undefined) frame = { type: FRAME_ROOT }
    else if (parent.type === FRAME_ROOT && typeof key === 'string' && kind === 'array' && this.listKeys.includes(key) && this.acceptsList(key)) {
      this.hasList = true
      frame = { type: FRAME_RESOURCE_LIST }
    } else if (parent.type === FRAME_RESOURCE_LIST && kind === 'object') {
      frame = { type: FRAME_RESOURCE, resource: new ResourceReading(key as number) }
    } else if (parent.type === FRAME_RESOURCE && typeof key === 'string' && isContainerKey(key) && kind === 'array') {
      frame = { type: FRAME_CONTAINER_LIST, resource: parent.resource, list: (parent.resource as ResourceReading).list(key) }
    } else if (parent.type === FRAME_CONTAINER_LIST && kind === 'object') {
      const list = parent.list as ContainerList
      list.length++
      const scope = new ScopeReading(key as number)
      list.scopes.push(scope)
      frame = { type: FRAME_SCOPE, resource: parent.resource, scope }
    } else if (parent.type === FRAME_SCOPE && key === 'spans' && kind === 'array') {
      frame = { type: FRAME_SPANS, resource: parent.resource, scope: parent.scope }
    } else if (parent.type === FRAME_RESOURCE_LIST) {
      this.resourceCount++
    }
    this.frames.push(frame)
  }

  onMember(key: string, value: unknown): void {
    const frame = this.frames[this.frames.length - 1]
    if (frame === undefined) return
    if (frame.type === FRAME_ROOT) {
      if (this.listKeys.includes(key) && this.acceptsList(key)) {
        this.hasList = true
        this.listValue = value
      }
    } else if (frame.type === FRAME_RESOURCE) {
      const resource = frame.resource as ResourceReading
      if (key === 'resource') resource.resourceValue = value
      else if (isContainerKey(key)) resource.list(key).value = value
    } else if (frame.type === FRAME_SCOPE) {
      ;(frame.scope as ScopeReading).member(key, value)
    }
  }

  onItem(index: number, value: unknown): void {
    const frame = this.frames[this.frames.length - 1]
    if (frame === undefined) return
    if (frame.type === FRAME_SPANS) {
      this.readSpanEntry(value, frame.scope as ScopeReading, (frame.resource as ResourceReading).index, index)
    } else if (frame.type === FRAME_CONTAINER_LIST) {
      ;(frame.list as ContainerList).length++
    }
  }

  onClose(): void {
    const frame = this.frames.pop()
    if (frame === undefined) return
    if (frame.type === FRAME_RESOURCE) this.finishResource(frame.resource as ResourceReading)
    else if (frame.type === FRAME_ROOT && this.hasList && this.listValue !== undefined && this.listValue !== null) {
      throw new ImportError('invalid-structure', `The OTLP "resourceSpans" must be a list of resources, but it is ${describeType(this.listValue)}.`)
    }
  }

  /** The camelCase spelling wins over snake_case, as `field` reads it. */
  private acceptsList(key: string): boolean {
    if (this.usedListKey === undefined || this.usedListKey === key) {
      this.usedListKey = key
      return true
    }
    return this.listKeys.indexOf(key) < this.listKeys.indexOf(this.usedListKey)
  }

  // --- spans ----------------------------------------------------------------------------------

  private readSpanEntry(raw: unknown, scope: ScopeReading, resourceIndex: number, spanIndex: number): void {
    try {
      this.readSpan(raw, scope, resourceIndex, spanIndex)
    } catch (error) {
      // Defensive: the readers are written not to throw, but one bad span must never
      // take the file down with something other than an ImportError.
      const where = spanPlace(resourceIndex, scope.index, spanIndex)
      scope.entries.push({ spanId: undefined, example: `${where}: ${error instanceof Error ? error.message : String(error)}` })
    }
  }

  /** Resource, then each scope, then its spans: the order of the warnings whatever the order of the text. */
  private finishResource(reading: ResourceReading): void {
    const resource = this.readResource(reading.resourceValue)
    const list = reading.chosenList()
    if (!list) return
    for (const scopeReading of list.scopes) {
      const scope = this.readScope(scopeReading.rawScope())
      const spans = scopeReading.spansValue
      if (spans !== undefined && spans !== null && !Array.isArray(spans)) {
        this.invalid.add(undefined, `resource ${reading.index + 1} scope ${scopeReading.index + 1}: "spans" is ${describeType(spans)}, not a list`)
      }
      const { entries, repeats } = scopeReading
      let r = 0
      for (let e = 0; e < entries.length; e++) {
        const entry = entries[e] as Mutable<SpanRecord> | InvalidEntry
        entries[e] = DONE
        if ('example' in entry) {
          this.invalid.add(entry.spanId, entry.example)
          continue
        }
        const ownRepeats = repeats[r] as readonly string[]
        repeats[r++] = NO_KEYS
        entry.service = resource.service
        entry.resource = resource.resource
        if (scope.scope !== undefined) entry.scope = scope.scope
        if (resource.repeatedKeys.length + scope.repeatedKeys.length + ownRepeats.length > 0) {
          const keys = new Set([...resource.repeatedKeys, ...scope.repeatedKeys, ...ownRepeats])
          this.duplicates.add(entry.spanId, `span ${entry.spanId}: ${[...keys].map((key) => JSON.stringify(key)).join(', ')}`)
        }
        this.spans.push(entry)
      }
    }
  }

  private readResource(raw: unknown): ResourceContext {
    const attributes = isObject(raw) ? this.values.attributes(field(raw, 'attributes')) : []
    const repeatedKeys = this.values.takeRepeats()
    const name = findAttribute(attributes, 'service.name')
    const service = name === undefined || name === null || name === '' ? UNKNOWN_SERVICE : attributeToString(name)
    // One array per resource, shared by all of its spans.
    return { resource: attributes, service, repeatedKeys }
  }

  private readScope(raw: unknown): ScopeContext {
    if (!isObject(raw)) return { scope: undefined, repeatedKeys: [] }
    const name = asString(field(raw, 'name')) ?? ''
    const version = nonEmptyString(asString(field(raw, 'version')))
    const attributes = this.values.attributes(field(raw, 'attributes'))
    const repeatedKeys = this.values.takeRepeats()
    // `"scope": {}` is the same as no scope (the proto default).
    if (name === '' && version === undefined && attributes.length === 0) return { scope: undefined, repeatedKeys }
    const scope: { name: string; version?: string; attributes?: readonly Attribute[] } = { name }
    if (version !== undefined) scope.version = version
    if (attributes.length > 0) scope.attributes = attributes
    return { scope, repeatedKeys }
  }

  /**
   * The span's own fields are read with named loads, camelCase first, which is what `field` does
   * at a fraction of the cost: parsed JSON (JSON.parse, the exact reader, the event reader) and
   * decoded messages inherit nothing under these names, so a named load reads the own field.
   */
  private readSpan(raw: unknown, scope: ScopeReading, resourceIndex: number, spanIndex: number): void {
    if (!isObject(raw)) {
      scope.entries.push({ spanId: undefined, example: `${spanPlace(resourceIndex, scope.index, spanIndex)} is ${describeType(raw)}, not an object` })
      return
    }
    let traceRaw = raw.traceId
    if (traceRaw === undefined) traceRaw = raw.trace_id
    let traceId: string
    // The spans of a document mostly share one trace id: normalise it once.
    if (typeof traceRaw === 'string' && traceRaw === this.lastTraceText) traceId = this.lastTraceId
    else {
      const traceText = idText(traceRaw)
      traceId = traceText === undefined ? '' : normalizeTraceId(traceText)
      if (typeof traceRaw === 'string') {
        this.lastTraceText = traceRaw
        this.lastTraceId = traceId
      }
    }
    let spanRaw = raw.spanId
    if (spanRaw === undefined) spanRaw = raw.span_id
    let spanId: string
    if (typeof spanRaw === 'string' && isLowerHex(spanRaw, 16)) spanId = spanRaw
    else {
      const spanText = idText(spanRaw)
      spanId = spanText === undefined ? '' : normalizeSpanId(spanText)
    }
    if (traceId === '' || spanId === '') {
      const missing = traceId === '' && spanId === '' ? 'trace id and span id' : traceId === '' ? 'trace id' : 'span id'
      scope.entries.push({ spanId: spanId === '' ? undefined : spanId, example: `${spanPlace(resourceIndex, scope.index, spanIndex)} has no ${missing}` })
      return
    }
    let parentRaw = raw.parentSpanId
    if (parentRaw === undefined) parentRaw = raw.parent_span_id
    let parentSpanId: string | undefined
    if (typeof parentRaw === 'string' && isLowerHex(parentRaw, 16)) parentSpanId = parentRaw === ZERO_SPAN_ID ? undefined : parentRaw
    else {
      const parentText = idText(parentRaw)
      parentSpanId = parentText === undefined ? undefined : normalizeParentId(parentText)
    }

    let startRaw = raw.startTimeUnixNano
    if (startRaw === undefined) startRaw = raw.start_time_unix_nano
    let endRaw = raw.endTimeUnixNano
    if (endRaw === undefined) endRaw = raw.end_time_unix_nano
    let startTimeNs: bigint | undefined
    let durationNs: number | undefined
    const fastDuration = typeof startRaw === 'string' && typeof endRaw === 'string' ? durationOfDigits(startRaw, endRaw) : undefined
    if (fastDuration !== undefined) {
      startTimeNs = BigInt(startRaw as string)
      durationNs = fastDuration
    } else {
      startTimeNs = readNanos(startRaw)
      const endTimeNs = readNanos(endRaw)
      // Subtract in bigint: both values exceed 2^53, their difference does not.
      durationNs = startTimeNs !== undefined && endTimeNs !== undefined ? Number(endTimeNs - startTimeNs) : undefined
    }

    const status = raw.status
    let statusCode: StatusCode = StatusCode.Unset
    let statusMessage: string | undefined
    if (isObject(status)) {
      statusCode = parseStatusCode(status.code)
      if (statusCode === StatusCode.Unset) {
        let deprecatedCode = status.deprecatedCode
        if (deprecatedCode === undefined) deprecatedCode = status.deprecated_code
        if (isDeprecatedCodeError(deprecatedCode)) statusCode = StatusCode.Error
      }
      const message = status.message
      if (message !== undefined) statusMessage = nonEmptyString(asString(message))
    }
    const nameRaw = raw.name
    const name = typeof nameRaw === 'string' ? nameRaw : (asString(nameRaw) ?? '')
    const kind = parseSpanKind(raw.kind)

    let span: Mutable<SpanRecord>
    const attributes = raw.attributes
    const events = raw.events
    const links = raw.links
    if (this.deferDetails && attributesAreClean(attributes, 0) && eventsAreClean(events) && linksAreClean(links)) {
      // Reading the details cannot warn: leave them in the input until they are looked at.
      // A span parsed from a piece of the text keeps the piece, not its parse tree (`span-pieces.ts`).
      span = new LazySpanRecord<DeferredSpan>(
        traceId,
        spanId,
        name,
        UNKNOWN_SERVICE,
        kind,
        startTimeNs,
        durationNs,
        statusCode,
        NO_ATTRIBUTES,
        deferredSpan(raw),
        OTLP_DETAILS,
      )
      scope.repeats.push(NO_KEYS)
    } else {
      // Read now, from the line's own text when its lists were skimmed (`skimOtlpAttributes`).
      const whole = originalSpan(raw)
      const details =
        whole === raw ? readDetails(this.values, attributes, events, links) : readDetails(this.values, whole.attributes, whole.events, whole.links)
      span = {
        traceId,
        spanId,
        name,
        service: UNKNOWN_SERVICE,
        kind,
        startTimeNs,
        durationNs,
        statusCode,
        attributes: details.attributes,
        resource: NO_ATTRIBUTES,
        events: details.events,
        links: details.links,
      }
      scope.repeats.push(this.values.takeRepeats())
    }
    if (parentSpanId !== undefined) span.parentSpanId = parentSpanId
    if (statusMessage !== undefined) span.statusMessage = statusMessage
    let traceState = raw.traceState
    if (traceState === undefined) traceState = raw.trace_state
    if (traceState !== undefined) {
      const text = nonEmptyString(traceState)
      if (text !== undefined) span.traceState = text
    }
    const flags = readFlags(raw.flags)
    if (flags !== undefined) span.flags = flags
    scope.entries.push(span)
  }
}

/** Where a span is in the document, for warnings. */
function spanPlace(resourceIndex: number, scopeIndex: number, spanIndex: number): string {
  return `resource ${resourceIndex + 1} scope ${scopeIndex + 1} span ${spanIndex + 1}`
}

const ZERO_SPAN_ID = '0000000000000000'

/** The integer written by the digits `text[from, to)`; -1 when one is not a digit. */
function digitsValue(text: string, from: number, to: number): number {
  let value = 0
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 0x30
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/** Seconds apart beyond which the float arithmetic of `durationOfDigits` could round. */
const MAX_FAST_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / 1e9)

/**
 * `Number(BigInt(end) - BigInt(start))` without bigints, for the common case of two plain
 * decimal nanosecond times of the same length, both not zero; undefined for anything else. Each
 * time is split into seconds and nanoseconds (both exact doubles); when the seconds differ by
 * less than 2^53 ns the product is exact too, so the sum is rounded once, as `Number` rounds.
 */
function durationOfDigits(start: string, end: string): number | undefined {
  const length = start.length
  if (length !== end.length || length < 10 || length > 24) return undefined
  const cut = length - 9
  const startSeconds = digitsValue(start, 0, cut)
  const endSeconds = digitsValue(end, 0, cut)
  // Zero seconds could mean a zero time, which reads as "not set": leave it to the general path.
  if (startSeconds <= 0 || endSeconds <= 0) return undefined
  const seconds = endSeconds - startSeconds
  if (seconds > MAX_FAST_SECONDS || seconds < -MAX_FAST_SECONDS) return undefined
  const startNanos = digitsValue(start, cut, length)
  const endNanos = digitsValue(end, cut, length)
  if (startNanos < 0 || endNanos < 0) return undefined
  return seconds * 1e9 + (endNanos - startNanos)
}

/**
 * Spans from a list of OTLP `ResourceSpans`: OTLP/JSON in any spelling, Tempo `batches`,
 * Jaeger api_v3 `result.resourceSpans`, or decoded protobuf messages. `null`/absent is an
 * empty list; anything else that is not a list is an `ImportError`.
 */
export function importResourceSpans(list: unknown, options: OtlpReadOptions = {}): ImportResult {
  if (list === undefined || list === null) return { spans: [], warnings: [] }
  if (!Array.isArray(list)) {
    throw new ImportError('invalid-structure', `The OTLP "resourceSpans" must be a list of resources, but it is ${describeType(list)}.`)
  }
  const reader = new ResourceSpansReader(undefined, options)
  reader.readList(list)
  return reader.result()
}

/** The `resourceSpans` list of a TracesData-shaped object, in either spelling. */
export function resourceSpansOf(document: JsonObject): unknown {
  return field(document, 'resourceSpans')
}

/** The same field lookup for the wrappers (Tempo, Jaeger api_v3): camelCase or snake_case. */
export function readField(document: JsonObject, camel: string): unknown {
  return field(document, camel)
}

// Skimming OTLP JSON lines (`TraceImporter.skimPiece`).
const SCALAR_VALUE = `\\{"(?:stringValue|boolValue|intValue|doubleValue|bytesValue)":(?:${JSON_STRING}|${JSON_NUMBER}|true|false)\\}`
const ATTRIBUTE_VALUE = `(?:${SCALAR_VALUE}|\\{"arrayValue":\\{"values":\\[(?:${SCALAR_VALUE}(?:,${SCALAR_VALUE})*)?\\]\\}\\})`
const ATTRIBUTE = `\\{"key":${PLAIN_STRING},"value":${ATTRIBUTE_VALUE}\\}`
// Not a resource's or a scope's list, as the collector and the SDKs write them (`isSoundSkim` checks).
const NOT_OUTER = `(?<!"resource":\\{"attributes":\\[)(?<!"scope":\\{(?:"name":${JSON_STRING},)?(?:"version":${JSON_STRING},)?"attributes":\\[)`
const SKIMMED_ATTRIBUTES = new RegExp(`"attributes":\\[${NOT_OUTER}(?:${ATTRIBUTE}(?:,${ATTRIBUTE})*)?\\]`, 'g')
const KEY_OPEN = '{"key":"'

/** Whether two entries of a matched list have one key (each entry opens with `{"key":"`, its key has no escape). */
function hasRepeatedKey(list: string): boolean {
  const starts: number[] = []
  const ends: number[] = []
  for (let at = list.indexOf(KEY_OPEN); at !== -1; at = list.indexOf(KEY_OPEN, at + KEY_OPEN.length)) {
    const start = at + KEY_OPEN.length
    const end = list.indexOf('"', start)
    for (let j = 0; j < starts.length; j++) {
      if ((ends[j] as number) - (starts[j] as number) === end - start && list.startsWith(list.slice(start, end), starts[j] as number)) return true
    }
    starts.push(start)
    ends.push(end)
  }
  return false
}

/**
 * A line of OTLP JSON with its attribute lists emptied: the attributes are most of a span's
 * text, and all the import needs of a span's list (or its events' and links') is that reading
 * it cannot warn (`attributesAreClean`). So a list is emptied only when every entry is a key
 * without escapes and a scalar value (or an array of them), and no key repeats (a function per
 * match checks); any other is left for the parse. Resources' and scopes' lists, which the import
 * reads whole, are left as the collector and the SDKs write them, and a document where one came
 * out empty is read from its line as it is (`isSoundSkim`).
 *
 * It parses exactly when the line does, as `skimV2Tags` argues for Zipkin's tags: the quote
 * after `attributes` ends a string in the line, either a member name whose value is then the
 * matched list, read as JSON reads it, or a value where `:` fails in both texts alike.
 */
export function skimOtlpAttributes(text: string): string {
  return text.replace(SKIMMED_ATTRIBUTES, (list) => (hasRepeatedKey(list) ? list : '"attributes":[]'))
}

/** Whether `list` holds an object whose `attributes` is an empty list. */
function hasEmptyAttributes(list: readonly unknown[]): boolean {
  return list.some(
    (item) => isObject(item) && Object.values(item).some((member) => isObject(member) && Array.isArray(member.attributes) && member.attributes.length === 0),
  )
}

/**
 * False when a skimmed document may have lost what the import reads outside its spans: a
 * resource or a scope (the objects inside the items of its lists, and of their lists) whose
 * attributes list is empty, which skimming may have done. The line is then read as it is.
 */
function isSoundSkim(document: unknown): boolean {
  if (!isObject(document)) return true
  for (const list of Object.values(document)) {
    if (!Array.isArray(list)) continue
    if (hasEmptyAttributes(list)) return false
    for (const item of list as readonly unknown[]) {
      if (!isObject(item)) continue
      for (const inner of Object.values(item)) if (Array.isArray(inner) && hasEmptyAttributes(inner)) return false
    }
  }
  return true
}

export const otlpJsonImporter: TraceImporter = {
  format: 'otlp-json',
  label: 'OTLP JSON',
  expects: 'an object with "resourceSpans": TracesData or an OTLP export request, also as JSON lines',
  detect: hasResourceSpans,
  importDocument(document) {
    if (!isObject(document)) throw new ImportError('invalid-structure', 'OTLP JSON must be an object with "resourceSpans".')
    return importResourceSpans(resourceSpansOf(document))
  },
  createStreamReader: () => new ResourceSpansReader(),
  skimPiece: skimOtlpAttributes,
  isSoundSkim,
}

/** Tempo v1 `{"batches": [ResourceSpans…]}` read from container events (see `tempo.ts`). */
export function createBatchesStreamReader(): StreamImportReader {
  return new ResourceSpansReader(['batches'])
}
