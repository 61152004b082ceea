import { findAttribute } from '../model/attributes.ts'
import { StatusCode } from '../model/span-record.ts'
import type { Attribute, AttrValue, InstrumentationScope, SpanLink, SpanRecord } from '../model/span-record.ts'
import type { Trace } from '../model/trace.ts'

/**
 * Traces as OTLP/JSON `TracesData` (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * lower-case hex ids, integer enums, 64-bit integers as decimal strings, bytes as base64.
 *
 * Spans are grouped by resource (service plus resource attributes) and, inside a resource, by
 * instrumentation scope. Times come from each span's exact `startTimeNs` (bigint) and integer
 * `durationNs`, never from the float offsets of the built trace, so OTLP → Spanglass → OTLP
 * keeps every nanosecond. The result is plain JSON data: `JSON.stringify` it as it is.
 */

type Json = Record<string, unknown>

const HEX_RE = /^[0-9a-fA-F]+$/
const UNKNOWN_SERVICE = 'unknown_service'

/** Hex ids lower-cased and left-padded (64-bit trace ids become 128-bit); other ids as they are. */
function hexId(id: string, length: number): string {
  if (!HEX_RE.test(id)) return id
  const lower = id.toLowerCase()
  return lower.length < length ? lower.padStart(length, '0') : lower
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number)
  return btoa(binary)
}

function anyValue(value: AttrValue): Json {
  if (value === null) return {}
  if (typeof value === 'string') return { stringValue: value }
  if (typeof value === 'boolean') return { boolValue: value }
  // proto3-JSON writes non-finite doubles as the strings "NaN", "Infinity" and "-Infinity".
  if (typeof value === 'number') return { doubleValue: Number.isFinite(value) ? value : String(value) }
  if (typeof value === 'bigint') return { intValue: value.toString() }
  if (value instanceof Uint8Array) return { bytesValue: toBase64(value) }
  if (Array.isArray(value)) return { arrayValue: { values: (value as readonly AttrValue[]).map(anyValue) } }
  return { kvlistValue: { values: keyValues((value as { kvlist: readonly Attribute[] }).kvlist) } }
}

function keyValues(attributes: readonly Attribute[]): Json[] {
  return attributes.map((attribute) => ({ key: attribute.key, value: anyValue(attribute.value) }))
}

/** A key that tells attribute lists apart by content, including value types (1 vs 1n vs "1"). */
function valueKey(value: AttrValue): string {
  if (value === null) return 'n'
  if (typeof value === 'string') return `s${JSON.stringify(value)}`
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (typeof value === 'number') return `d${String(value)}`
  if (typeof value === 'bigint') return `i${value.toString()}`
  if (value instanceof Uint8Array) return `b${toBase64(value)}`
  if (Array.isArray(value)) return `[${(value as readonly AttrValue[]).map(valueKey).join(',')}]`
  return `{${attributesKey((value as { kvlist: readonly Attribute[] }).kvlist)}}`
}

function attributesKey(attributes: readonly Attribute[]): string {
  return attributes.map((attribute) => `${JSON.stringify(attribute.key)}:${valueKey(attribute.value)}`).join(',')
}

function scopeKey(scope: InstrumentationScope | undefined): string {
  if (scope === undefined) return ''
  return `${JSON.stringify(scope.name)}|${JSON.stringify(scope.version ?? null)}|${attributesKey(scope.attributes ?? [])}`
}

function scopeToOtlp(scope: InstrumentationScope): Json {
  const out: Json = { name: scope.name }
  if (scope.version !== undefined) out.version = scope.version
  if (scope.attributes && scope.attributes.length > 0) out.attributes = keyValues(scope.attributes)
  return out
}

/**
 * The resource of a span: its resource attributes, plus `service.name` when they lack it (Jaeger
 * process tags and Zipkin endpoints keep the service name outside the attributes).
 */
function resourceToOtlp(span: SpanRecord): Json {
  const attributes = keyValues(span.resource)
  if (findAttribute(span.resource, 'service.name') === undefined && span.service !== UNKNOWN_SERVICE) {
    attributes.unshift({ key: 'service.name', value: { stringValue: span.service } })
  }
  return { attributes }
}

function linkToOtlp(link: SpanLink): Json {
  const out: Json = { traceId: hexId(link.traceId, 32), spanId: hexId(link.spanId, 16) }
  if (link.traceState !== undefined) out.traceState = link.traceState
  const attributes = keyValues(link.attributes)
  // Jaeger references become links; say which kind the way Jaeger's own OTLP translator does.
  if (link.kind !== 'link' && findAttribute(link.attributes, 'opentracing.ref_type') === undefined) {
    attributes.push({ key: 'opentracing.ref_type', value: { stringValue: link.kind } })
  }
  out.attributes = attributes
  return out
}

function spanToOtlp(span: SpanRecord): Json {
  const out: Json = { traceId: hexId(span.traceId, 32), spanId: hexId(span.spanId, 16) }
  if (span.parentSpanId !== undefined) out.parentSpanId = hexId(span.parentSpanId, 16)
  if (span.traceState !== undefined) out.traceState = span.traceState
  if (span.flags !== undefined) out.flags = span.flags
  out.name = span.name
  out.kind = span.kind
  if (span.startTimeNs !== undefined) {
    out.startTimeUnixNano = span.startTimeNs.toString()
    if (span.durationNs !== undefined && Number.isFinite(span.durationNs)) {
      out.endTimeUnixNano = (span.startTimeNs + BigInt(Math.round(span.durationNs))).toString()
    }
  }
  out.attributes = keyValues(span.attributes)
  if (span.events.length > 0) {
    out.events = span.events.map((event) => {
      const json: Json = {}
      if (event.timeNs !== 0n) json.timeUnixNano = event.timeNs.toString()
      json.name = event.name
      json.attributes = keyValues(event.attributes)
      return json
    })
  }
  if (span.links.length > 0) out.links = span.links.map(linkToOtlp)
  const status: Json = {}
  if (span.statusCode !== StatusCode.Unset) status.code = span.statusCode
  if (span.statusMessage !== undefined) status.message = span.statusMessage
  out.status = status
  return out
}

interface ScopeGroup {
  readonly scope: InstrumentationScope | undefined
  readonly spans: Json[]
}

interface ResourceGroup {
  readonly resource: Json
  readonly scopes: Map<string, ScopeGroup>
}

export function toOtlpJson(traces: readonly Trace[]): unknown {
  const groups = new Map<string, ResourceGroup>()
  // Importers share one resource array (and scope object) between the spans of a resource.
  const resourceKeys = new WeakMap<readonly Attribute[], string>()
  const scopeKeys = new WeakMap<InstrumentationScope, string>()
  for (const trace of traces) {
    for (const span of trace.spans) {
      let resourceKey = resourceKeys.get(span.resource)
      if (resourceKey === undefined) {
        resourceKey = attributesKey(span.resource)
        resourceKeys.set(span.resource, resourceKey)
      }
      const groupKey = `${JSON.stringify(span.service)}\u0000${resourceKey}`
      let group = groups.get(groupKey)
      if (!group) {
        group = { resource: resourceToOtlp(span), scopes: new Map() }
        groups.set(groupKey, group)
      }
      let key = ''
      if (span.scope !== undefined) {
        key = scopeKeys.get(span.scope) ?? scopeKey(span.scope)
        scopeKeys.set(span.scope, key)
      }
      let scope = group.scopes.get(key)
      if (!scope) {
        scope = { scope: span.scope, spans: [] }
        group.scopes.set(key, scope)
      }
      scope.spans.push(spanToOtlp(span))
    }
  }
  return {
    resourceSpans: [...groups.values()].map((group) => ({
      resource: group.resource,
      scopeSpans: [...group.scopes.values()].map((scope) =>
        scope.scope === undefined ? { spans: scope.spans } : { scope: scopeToOtlp(scope.scope), spans: scope.spans },
      ),
    })),
  }
}
