/**
 * OTLP/JSON (formats.md §4.1) written as JSON lines, like the collector's file exporter
 * (§4.3): every line is one complete `TracesData` holding the next `batchSpans` spans, grouped
 * into one `resourceSpans` per service and one `scopeSpans` per instrumentation scope. A run
 * of at most `batchSpans` spans is therefore a single line, i.e. an ordinary JSON document.
 * Ids are lower-case hex, times are ns decimal strings, enums are integers.
 */
import type { GenAttribute, GenSpan, ScopeDef, ServiceInstance } from './gen-span.ts'
import { formatUnixNano, quote } from './json-text.ts'

export const DEFAULT_OTLP_BATCH_SPANS = 1_000
const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.26.0'

const OTLP_KIND: Record<GenSpan['kind'], number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 }

export function* writeOtlp(spans: Iterable<GenSpan>, batchSpans = DEFAULT_OTLP_BATCH_SPANS): Generator<string, void, undefined> {
  const resourceText = new Map<ServiceInstance, string>()
  let batch = new Map<ServiceInstance, Map<ScopeDef, string[]>>()
  let size = 0
  for (const span of spans) {
    let scopes = batch.get(span.service)
    if (scopes === undefined) {
      scopes = new Map()
      batch.set(span.service, scopes)
    }
    let list = scopes.get(span.scope)
    if (list === undefined) {
      list = []
      scopes.set(span.scope, list)
    }
    list.push(otlpSpan(span))
    if (++size >= batchSpans) {
      yield batchLine(batch, resourceText)
      batch = new Map()
      size = 0
    }
  }
  if (size > 0) yield batchLine(batch, resourceText)
}

function batchLine(batch: ReadonlyMap<ServiceInstance, ReadonlyMap<ScopeDef, readonly string[]>>, resourceText: Map<ServiceInstance, string>): string {
  const resources: string[] = []
  for (const [service, scopes] of batch) {
    let resource = resourceText.get(service)
    if (resource === undefined) {
      resource = `{"attributes":[${service.resource.map(otlpAttribute).join(',')}]}`
      resourceText.set(service, resource)
    }
    const scopeSpans: string[] = []
    for (const [scope, spans] of scopes) {
      scopeSpans.push(`{"scope":{"name":${quote(scope.name)},"version":${quote(scope.version)}},"spans":[${spans.join(',')}]}`)
    }
    resources.push(`{"resource":${resource},"scopeSpans":[${scopeSpans.join(',')}],"schemaUrl":"${SCHEMA_URL}"}`)
  }
  return `{"resourceSpans":[${resources.join(',')}]}\n`
}

function otlpValue(a: GenAttribute): string {
  switch (a.type) {
    case 'string':
      return `{"stringValue":${quote(a.value)}}`
    case 'bool':
      return `{"boolValue":${a.value}}`
    case 'int':
      // proto3 JSON writes int64 as a string.
      return `{"intValue":"${a.value}"}`
    case 'double':
      return `{"doubleValue":${a.value}}`
    case 'strings':
      return `{"arrayValue":{"values":[${a.value.map((v) => `{"stringValue":${quote(v)}}`).join(',')}]}}`
  }
}

function otlpAttribute(a: GenAttribute): string {
  return `{"key":${quote(a.key)},"value":${otlpValue(a)}}`
}

function otlpSpan(span: GenSpan): string {
  let out = `{"traceId":"${span.traceId}","spanId":"${span.spanId}"`
  if (span.parentSpanId !== undefined) out += `,"parentSpanId":"${span.parentSpanId}"`
  out += `,"flags":1,"name":${quote(span.name)},"kind":${OTLP_KIND[span.kind]}`
  out += `,"startTimeUnixNano":"${formatUnixNano(span.start)}","endTimeUnixNano":"${formatUnixNano(span.end)}"`
  out += `,"attributes":[${span.attributes.map(otlpAttribute).join(',')}]`
  if (span.events.length > 0) {
    out += `,"events":[${span.events
      .map((e) => `{"timeUnixNano":"${formatUnixNano(e.time)}","name":${quote(e.name)},"attributes":[${e.attributes.map(otlpAttribute).join(',')}]}`)
      .join(',')}]`
  }
  out += span.isError ? `,"status":{"code":2,"message":${quote(span.statusMessage ?? '')}}}` : ',"status":{}}'
  return out
}
