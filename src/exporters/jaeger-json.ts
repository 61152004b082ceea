/**
 * Writes traces as Jaeger UI/query JSON (formats.md §2.1), the shape `GET /api/traces/{id}`
 * answers and Jaeger UI "Upload JSON" opens. The output is plain JSON data: safe to
 * `JSON.stringify` (no bigint, no typed arrays), with int64 values outside ±(2^53-1) as decimal
 * strings and binary values as base64, as Jaeger itself writes them.
 *
 * Model fields that Jaeger keeps in tags are written back as the tags the importer reads:
 * `span.kind`, `error=true`, `otel.status_code`, `otel.status_description`, `otel.scope.*`,
 * `w3c.tracestate`. Re-importing the output with `jaegerImporter` gives the same trees.
 *
 * Known losses: sub-µs times round to µs; a link into the same trace on a span without a parent comes back as its parent,
 * because that is how Jaeger reads references; trace-level Jaeger warnings are not kept by the model.
 */
import { attributeToJson } from '../model/attributes.ts'
import { SPAN_KIND_NAMES, SpanKind, StatusCode } from '../model/span-record.ts'
import type { Attribute, AttrValue, SpanEvent, SpanLink, SpanRecord } from '../model/span-record.ts'
import type { Trace } from '../model/trace.ts'
import { isHexId } from '../importers/ids.ts'

export interface JaegerKeyValue {
  readonly key: string
  readonly type: 'string' | 'bool' | 'int64' | 'float64' | 'binary'
  readonly value: string | boolean | number
}

export interface JaegerReference {
  readonly refType: 'CHILD_OF' | 'FOLLOWS_FROM'
  readonly traceID: string
  readonly spanID: string
}

export interface JaegerLog {
  readonly timestamp: number
  readonly fields: JaegerKeyValue[]
}

export interface JaegerSpan {
  readonly traceID: string
  readonly spanID: string
  readonly flags?: number
  readonly operationName: string
  readonly references: JaegerReference[]
  /** µs since the epoch; omitted when the span has no start (the importer then reports it again). */
  readonly startTime?: number
  /** µs; omitted when the span has no duration. */
  readonly duration?: number
  readonly tags: JaegerKeyValue[]
  readonly logs: JaegerLog[]
  readonly processID: string
  readonly warnings: string[] | null
}

export interface JaegerProcess {
  readonly serviceName: string
  readonly tags: JaegerKeyValue[]
}

export interface JaegerTrace {
  readonly traceID: string
  readonly spans: JaegerSpan[]
  readonly processes: Record<string, JaegerProcess>
  readonly warnings: string[] | null
}

export interface JaegerResponse {
  readonly data: JaegerTrace[]
  readonly total: number
  readonly limit: number
  readonly offset: number
  readonly errors: null
}

/** The importer's name for a log without an `event` field; such logs are written without one. */
const UNNAMED_LOG = 'log'

/**
 * Jaeger prints a 128-bit trace id whose high half is zero as 16 hex chars
 * (`model.TraceID.String`); the importer pads it back.
 */
function formatTraceId(id: string): string {
  return id.length === 32 && isHexId(id) && id.startsWith('0000000000000000') ? id.slice(16) : id
}

/** Nanoseconds to the nearest microsecond. */
function nanosToMicros(ns: bigint): number {
  const quotient = ns / 1000n
  const twiceRest = (ns % 1000n) * 2n
  return Number(twiceRest >= 1000n ? quotient + 1n : twiceRest <= -1000n ? quotient - 1n : quotient)
}

export function toJaegerKeyValue(key: string, value: AttrValue): JaegerKeyValue {
  if (typeof value === 'string') return { key, type: 'string', value }
  if (typeof value === 'boolean') return { key, type: 'bool', value }
  // Go's encoder cannot write NaN or ±Infinity as numbers; text keeps them readable.
  if (typeof value === 'number') return { key, type: 'float64', value: Number.isFinite(value) ? value : String(value) }
  // attributeToJson: a number inside ±(2^53-1), the decimal string outside — as Jaeger writes it.
  if (typeof value === 'bigint') return { key, type: 'int64', value: attributeToJson(value) as number | string }
  if (value instanceof Uint8Array) return { key, type: 'binary', value: attributeToJson(value) as string }
  if (value === null) return { key, type: 'string', value: '' }
  // Arrays and key/value lists have no Jaeger type; Jaeger's OTLP translator writes them as JSON text.
  return { key, type: 'string', value: JSON.stringify(attributeToJson(value)) }
}

function toKeyValues(attributes: readonly Attribute[]): JaegerKeyValue[] {
  return attributes.map((attribute) => toJaegerKeyValue(attribute.key, attribute.value))
}

function hasAttribute(attributes: readonly Attribute[], key: string): boolean {
  return attributes.some((attribute) => attribute.key === key)
}

function toTags(span: SpanRecord): JaegerKeyValue[] {
  const tags = toKeyValues(span.attributes)
  if (span.kind !== SpanKind.Unspecified) tags.push({ key: 'span.kind', type: 'string', value: SPAN_KIND_NAMES[span.kind] })
  if (span.statusCode === StatusCode.Error) {
    if (!hasAttribute(span.attributes, 'error')) tags.push({ key: 'error', type: 'bool', value: true })
    tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' })
  } else if (span.statusCode === StatusCode.Ok) {
    tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' })
  }
  if (span.statusMessage !== undefined) tags.push({ key: 'otel.status_description', type: 'string', value: span.statusMessage })
  if (span.scope !== undefined) {
    if (span.scope.name !== '') tags.push({ key: 'otel.scope.name', type: 'string', value: span.scope.name })
    if (span.scope.version !== undefined) tags.push({ key: 'otel.scope.version', type: 'string', value: span.scope.version })
  }
  if (span.traceState !== undefined) tags.push({ key: 'w3c.tracestate', type: 'string', value: span.traceState })
  return tags
}

function toReference(link: SpanLink): JaegerReference {
  // OTLP links (kind 'link') become FOLLOWS_FROM, as in Jaeger's OTLP translator.
  return { refType: link.kind === 'child_of' ? 'CHILD_OF' : 'FOLLOWS_FROM', traceID: formatTraceId(link.traceId), spanID: link.spanId }
}

function toReferences(span: SpanRecord): JaegerReference[] {
  const references: JaegerReference[] = []
  // The parent goes first: the importer takes the first CHILD_OF into the same trace.
  if (span.parentSpanId !== undefined) {
    references.push({ refType: span.isAsyncParent ? 'FOLLOWS_FROM' : 'CHILD_OF', traceID: formatTraceId(span.traceId), spanID: span.parentSpanId })
  }
  for (const link of span.links) references.push(toReference(link))
  return references
}

function toLog(event: SpanEvent): JaegerLog {
  const fields = toKeyValues(event.attributes)
  if (event.name !== UNNAMED_LOG) fields.unshift({ key: 'event', type: 'string', value: event.name })
  return { timestamp: nanosToMicros(event.timeNs), fields }
}

/** Processes of one trace, one per distinct (service, resource). */
class ProcessTable {
  readonly processes: Record<string, JaegerProcess> = {}
  private readonly idByContent = new Map<string, string>()
  /** Importers share one resource array per process; this skips re-serialising it per span. */
  private readonly idByResource = new Map<readonly Attribute[], Map<string, string>>()

  idOf(span: SpanRecord): string {
    let byService = this.idByResource.get(span.resource)
    const known = byService?.get(span.service)
    if (known !== undefined) return known
    // `service.name` is the process's serviceName; keep it as a tag only when it says something else.
    const tags = toKeyValues(span.resource.filter((attribute) => !(attribute.key === 'service.name' && attribute.value === span.service)))
    const content = `${span.service}\u0000${JSON.stringify(tags)}`
    let id = this.idByContent.get(content)
    if (id === undefined) {
      id = `p${this.idByContent.size + 1}`
      this.idByContent.set(content, id)
      this.processes[id] = { serviceName: span.service, tags }
    }
    if (!byService) {
      byService = new Map()
      this.idByResource.set(span.resource, byService)
    }
    byService.set(span.service, id)
    return id
  }
}

function toJaegerSpan(span: SpanRecord, processes: ProcessTable): JaegerSpan {
  // Key order as Jaeger writes it; optional keys only when the span has the value.
  return {
    traceID: formatTraceId(span.traceId),
    spanID: span.spanId,
    ...(span.flags !== undefined ? { flags: span.flags } : {}),
    operationName: span.name,
    references: toReferences(span),
    ...(span.startTimeNs !== undefined ? { startTime: nanosToMicros(span.startTimeNs) } : {}),
    ...(span.durationNs !== undefined && Number.isFinite(span.durationNs) ? { duration: Math.round(span.durationNs / 1000) } : {}),
    tags: toTags(span),
    logs: span.events.map(toLog),
    processID: processes.idOf(span),
    warnings: span.warnings && span.warnings.length > 0 ? [...span.warnings] : null,
  }
}

export function toJaegerTrace(trace: Trace): JaegerTrace {
  const processes = new ProcessTable()
  const spans = trace.spans.map((span) => toJaegerSpan(span, processes))
  return { traceID: formatTraceId(trace.traceId), spans, processes: processes.processes, warnings: null }
}

/** Traces as a Jaeger query API response `{data:[Trace…], total, limit, offset, errors}`. */
export function toJaegerJson(traces: readonly Trace[]): unknown {
  const response: JaegerResponse = { data: traces.map(toJaegerTrace), total: 0, limit: 0, offset: 0, errors: null }
  return response
}
