/**
 * Writes traces as a Zipkin v2 span list (formats.md §3.1), the inverse of `zipkinV2Importer`:
 * one flat array holding every span of every trace, lower-case hex ids, µs integers, tags as
 * strings. What Zipkin has no field for (links, scope, resource attributes other than the
 * endpoint, event attributes beyond the annotation text) is not written.
 */
import { attributeToJson, attributeToString } from '../model/attributes.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type { Attribute, AttrValue, SpanRecord } from '../model/span-record.ts'
import type { Trace } from '../model/trace.ts'
import { UNKNOWN_SERVICE, ZipkinAttr } from '../importers/zipkin.ts'

interface ZipkinEndpointJson {
  serviceName?: string
  ipv4?: string
  ipv6?: string
  port?: number
}

const KIND_NAMES: Partial<Record<number, string>> = {
  [SpanKind.Client]: 'CLIENT',
  [SpanKind.Server]: 'SERVER',
  [SpanKind.Producer]: 'PRODUCER',
  [SpanKind.Consumer]: 'CONSUMER',
}

/** True for an attribute that is written as an endpoint or span field rather than as a tag. */
function isWrittenElsewhere(attribute: Attribute): boolean {
  switch (attribute.key) {
    case ZipkinAttr.peerService:
    case ZipkinAttr.peerAddress:
    case ZipkinAttr.peerIpv6:
      return typeof attribute.value === 'string' && attribute.value !== ''
    case ZipkinAttr.peerPort:
      return asPort(attribute.value) !== undefined
    case ZipkinAttr.debug:
      return attribute.value === true
    default:
      return false
  }
}

/** Assigns an own property, so that a tag named `__proto__` stays a tag. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Nanoseconds to whole microseconds, rounded to nearest. */
function nsToMicros(ns: bigint): number {
  return Number((ns >= 0n ? ns + 500n : ns - 500n) / 1000n)
}

/** Zipkin writes 64-bit trace ids as 16 digits; the model pads them to 32. */
function zipkinTraceId(traceId: string): string {
  const id = traceId.toLowerCase()
  return id.length === 32 && id.startsWith('0000000000000000') ? id.slice(16) : id
}

function asPort(value: AttrValue | undefined): number | undefined {
  const port = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined
}

/** An endpoint from an address attribute (ipv6 when it has a colon), an extra ipv6 and a port. */
function endpointFrom(
  serviceName: string | undefined,
  address: AttrValue | undefined,
  ipv6: AttrValue | undefined,
  port: AttrValue | undefined,
): ZipkinEndpointJson | undefined {
  const endpoint: ZipkinEndpointJson = {}
  if (serviceName !== undefined && serviceName !== '') endpoint.serviceName = serviceName
  if (typeof address === 'string' && address !== '') {
    if (address.includes(':')) endpoint.ipv6 = address
    else endpoint.ipv4 = address
  }
  if (typeof ipv6 === 'string' && ipv6 !== '' && endpoint.ipv6 === undefined) endpoint.ipv6 = ipv6
  const portNumber = asPort(port)
  if (portNumber !== undefined) endpoint.port = portNumber
  return Object.keys(endpoint).length > 0 ? endpoint : undefined
}

function lookup(attributes: readonly Attribute[]): Map<string, AttrValue> {
  const map = new Map<string, AttrValue>()
  for (const attribute of attributes) map.set(attribute.key, attribute.value)
  return map
}

/** The id written for a span: shared server halves go back to the id they shared. */
function writtenId(span: SpanRecord): string {
  return (span.originalSpanId ?? span.spanId).toLowerCase()
}

/**
 * The parent id to write. A renamed server half hangs under its client in the model, but in
 * Zipkin it carries the client's own parent id; children of a renamed server point at the id it
 * shared, which is what they said in the first place.
 */
function writtenParentId(span: SpanRecord, byId: ReadonlyMap<string, SpanRecord>): string | undefined {
  let current = span
  // Two steps at most (server → client → client's parent); the bound guards odd inputs.
  for (let step = 0; step < 4; step++) {
    if (current.parentSpanId === undefined) return undefined
    const parent = byId.get(current.parentSpanId)
    if (!parent) return current.parentSpanId.toLowerCase()
    if (current.originalSpanId === undefined || writtenId(parent) !== current.originalSpanId) return writtenId(parent)
    current = parent
  }
  return undefined
}

function toZipkinSpan(span: SpanRecord, byId: ReadonlyMap<string, SpanRecord>): Record<string, unknown> {
  const out: Record<string, unknown> = { traceId: zipkinTraceId(span.traceId) }
  const parentId = writtenParentId(span, byId)
  if (parentId !== undefined) out.parentId = parentId
  out.id = writtenId(span)
  const kind = KIND_NAMES[span.kind]
  if (kind !== undefined) out.kind = kind
  if (span.name !== '') out.name = span.name
  if (span.startTimeNs !== undefined) out.timestamp = nsToMicros(span.startTimeNs)
  if (span.durationNs !== undefined && Number.isFinite(span.durationNs)) out.duration = Math.round(span.durationNs / 1000)
  const attributes = lookup(span.attributes)
  if (attributes.get(ZipkinAttr.debug) === true) out.debug = true
  if (span.originalSpanId !== undefined && span.kind === SpanKind.Server) out.shared = true

  const resource = lookup(span.resource)
  const service = span.service === UNKNOWN_SERVICE ? undefined : span.service
  const local = endpointFrom(service, resource.get(ZipkinAttr.localAddress), resource.get(ZipkinAttr.localIpv6), resource.get(ZipkinAttr.localPort))
  if (local) out.localEndpoint = local
  const peerService = attributes.get(ZipkinAttr.peerService)
  const remote = endpointFrom(
    typeof peerService === 'string' ? peerService : undefined,
    attributes.get(ZipkinAttr.peerAddress),
    attributes.get(ZipkinAttr.peerIpv6),
    attributes.get(ZipkinAttr.peerPort),
  )
  if (remote) out.remoteEndpoint = remote

  if (span.events.length > 0) {
    out.annotations = span.events.map((event) => ({
      timestamp: nsToMicros(event.timeNs),
      // Zipkin annotations are plain text; attributes follow the name as JSON, as the
      // OpenTelemetry Zipkin exporter writes them.
      value: event.attributes.length === 0 ? event.name : `${JSON.stringify(event.name)}:${JSON.stringify(attributeToJson({ kvlist: event.attributes }))}`,
    }))
  }

  const tags: Record<string, unknown> = {}
  for (const attribute of span.attributes) {
    if (isWrittenElsewhere(attribute)) continue
    // Zipkin reads any `error` tag as a failure, so a false one is left out.
    if (attribute.key === ZipkinAttr.error && attribute.value === false) continue
    setOwn(tags, attribute.key, attributeToString(attribute.value))
  }
  const errorTag = Object.prototype.hasOwnProperty.call(tags, ZipkinAttr.error) ? tags[ZipkinAttr.error] : undefined
  if (span.statusCode === StatusCode.Error) {
    if (errorTag === undefined) setOwn(tags, ZipkinAttr.error, span.statusMessage ?? '')
    else if (span.statusMessage !== undefined && span.statusMessage !== errorTag) {
      setOwn(tags, ZipkinAttr.otelStatusCode, 'ERROR')
      setOwn(tags, ZipkinAttr.otelStatusDescription, span.statusMessage)
    }
  } else if (span.statusCode === StatusCode.Ok) {
    setOwn(tags, ZipkinAttr.otelStatusCode, 'OK')
  }
  if (Object.keys(tags).length > 0) out.tags = tags
  return out
}

/** Every span of every trace, in trace order, as one Zipkin v2 JSON array (`JSON.stringify`-safe). */
export function toZipkinJson(traces: readonly Trace[]): unknown {
  const out: Array<Record<string, unknown>> = []
  for (const trace of traces) {
    const byId = new Map<string, SpanRecord>()
    for (const span of trace.spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span)
    for (const span of trace.spans) out.push(toZipkinSpan(span, byId))
  }
  return out
}
