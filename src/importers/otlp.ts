import { findAttribute, attributeToString } from '../model/attributes.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type {
  Attribute,
  AttrValue,
  ImportResult,
  InstrumentationScope,
  SpanEvent,
  SpanLink,
  SpanRecord,
  TraceWarning,
} from '../model/span-record.ts'
import { bytesToHex, decodeBase64, normalizeParentId, normalizeSpanId, normalizeTraceId } from './ids.ts'
import { ImportError } from './import-error.ts'
import type { StreamImportReader, TraceImporter } from './importer.ts'
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
      return typeof kind === 'string' && (VALUE_KEYS as readonly string[]).includes(kind)
        ? this.typedValue(kind as ValueKey, oneof.value, depth)
        : null
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

  constructor(listKeys: readonly string[] = ['resourceSpans', 'resource_spans']) {
    this.listKeys = listKeys
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
    const invalid = this.invalid.toWarning('invalid-span', (n) => `${n} ${n === 1 ? 'span' : 'spans'} could not be read and ${n === 1 ? 'was' : 'were'} skipped`)
    if (invalid) warnings.push(invalid)
    const duplicates = this.duplicates.toWarning('duplicate-attribute', (n) => `${n} ${n === 1 ? 'span repeats' : 'spans repeat'} an attribute key; the last value is kept`)
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
    const where = `resource ${resourceIndex + 1} scope ${scope.index + 1} span ${spanIndex + 1}`
    try {
      this.readSpan(raw, scope, where)
    } catch (error) {
      // Defensive: the readers are written not to throw, but one bad span must never
      // take the file down with something other than an ImportError.
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

  private readSpan(raw: unknown, scope: ScopeReading, where: string): void {
    if (!isObject(raw)) {
      scope.entries.push({ spanId: undefined, example: `${where} is ${describeType(raw)}, not an object` })
      return
    }
    const traceText = idText(field(raw, 'traceId'))
    const spanText = idText(field(raw, 'spanId'))
    const traceId = traceText === undefined ? '' : normalizeTraceId(traceText)
    const spanId = spanText === undefined ? '' : normalizeSpanId(spanText)
    if (traceId === '' || spanId === '') {
      const missing = traceId === '' && spanId === '' ? 'trace id and span id' : traceId === '' ? 'trace id' : 'span id'
      scope.entries.push({ spanId: spanId === '' ? undefined : spanId, example: `${where} has no ${missing}` })
      return
    }
    const parentText = idText(field(raw, 'parentSpanId'))
    const parentSpanId = parentText === undefined ? undefined : normalizeParentId(parentText)

    const startTimeNs = readNanos(field(raw, 'startTimeUnixNano'))
    const endTimeNs = readNanos(field(raw, 'endTimeUnixNano'))
    // Subtract in bigint: both values exceed 2^53, their difference does not.
    const durationNs = startTimeNs !== undefined && endTimeNs !== undefined ? Number(endTimeNs - startTimeNs) : undefined

    const attributes = this.values.attributes(field(raw, 'attributes'))
    const events = this.readEvents(field(raw, 'events'))
    const links = this.readLinks(field(raw, 'links'))
    const ownRepeats = this.values.takeRepeats()

    const status = field(raw, 'status')
    let statusCode: StatusCode = StatusCode.Unset
    let statusMessage: string | undefined
    if (isObject(status)) {
      statusCode = parseStatusCode(field(status, 'code'))
      if (statusCode === StatusCode.Unset && isDeprecatedCodeError(field(status, 'deprecatedCode'))) statusCode = StatusCode.Error
      statusMessage = nonEmptyString(asString(field(status, 'message')))
    }

    const span: Mutable<SpanRecord> = {
      traceId,
      spanId,
      name: asString(field(raw, 'name')) ?? '',
      service: UNKNOWN_SERVICE,
      kind: parseSpanKind(field(raw, 'kind')),
      startTimeNs,
      durationNs,
      statusCode,
      attributes,
      resource: NO_ATTRIBUTES,
      events,
      links,
    }
    if (parentSpanId !== undefined) span.parentSpanId = parentSpanId
    if (statusMessage !== undefined) span.statusMessage = statusMessage
    const traceState = nonEmptyString(field(raw, 'traceState'))
    if (traceState !== undefined) span.traceState = traceState
    const flags = readFlags(field(raw, 'flags'))
    if (flags !== undefined) span.flags = flags
    scope.entries.push(span)
    scope.repeats.push(ownRepeats)
  }

  private readEvents(raw: unknown): SpanEvent[] {
    const events: SpanEvent[] = []
    for (const item of asArray(raw)) {
      if (!isObject(item)) continue
      const attributes = this.values.attributes(field(item, 'attributes'))
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

  private readLinks(raw: unknown): SpanLink[] {
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
        attributes: this.values.attributes(field(item, 'attributes')),
      }
      const traceState = nonEmptyString(field(item, 'traceState'))
      if (traceState !== undefined) link.traceState = traceState
      links.push(link)
    }
    return links
  }
}

/**
 * Spans from a list of OTLP `ResourceSpans`: OTLP/JSON in any spelling, Tempo `batches`,
 * Jaeger api_v3 `result.resourceSpans`, or decoded protobuf messages. `null`/absent is an
 * empty list; anything else that is not a list is an `ImportError`.
 */
export function importResourceSpans(list: unknown): ImportResult {
  if (list === undefined || list === null) return { spans: [], warnings: [] }
  if (!Array.isArray(list)) {
    throw new ImportError('invalid-structure', `The OTLP "resourceSpans" must be a list of resources, but it is ${describeType(list)}.`)
  }
  const reader = new ResourceSpansReader()
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
}

/** Tempo v1 `{"batches": [ResourceSpans…]}` read from container events (see `tempo.ts`). */
export function createBatchesStreamReader(): StreamImportReader {
  return new ResourceSpansReader(['batches'])
}
