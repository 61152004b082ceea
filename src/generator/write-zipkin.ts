/**
 * Zipkin v2 JSON (formats.md §3.1): one flat array of spans over all traces, µs times, string
 * tags. Client and server halves of an RPC have their own ids (`shared: false` on the server),
 * so nothing relies on Zipkin's shared-span convention.
 */
import type { GenSpan } from './gen-span.ts'
import { attributeText, quote } from './json-text.ts'

const ZIPKIN_KIND: Record<GenSpan['kind'], string | undefined> = {
  internal: undefined,
  server: 'SERVER',
  client: 'CLIENT',
  producer: 'PRODUCER',
  consumer: 'CONSUMER',
}

export function* writeZipkin(spans: Iterable<GenSpan>): Generator<string, void, undefined> {
  yield '['
  let isFirst = true
  for (const span of spans) {
    yield (isFirst ? '\n' : ',\n') + zipkinSpan(span)
    isFirst = false
  }
  yield '\n]\n'
}

function zipkinSpan(span: GenSpan): string {
  const kind = ZIPKIN_KIND[span.kind]
  const local = span.service
  let out = `{"traceId":"${span.traceId}"`
  if (span.parentSpanId !== undefined) out += `,"parentId":"${span.parentSpanId}"`
  out += `,"id":"${span.spanId}"`
  if (kind !== undefined) out += `,"kind":"${kind}"`
  out += `,"name":${quote(span.name)},"timestamp":${span.start.us},"duration":${span.end.us - span.start.us}`
  out += `,"localEndpoint":{"serviceName":${quote(local.def.name)},"ipv4":"${local.ipv4}"`
  out += span.kind === 'server' ? `,"port":${local.def.port}}` : '}'
  const remote = span.remote
  if (remote !== undefined) {
    out += `,"remoteEndpoint":{"serviceName":${quote(remote.serviceName)}`
    if (remote.ipv4 !== undefined) out += `,"ipv4":"${remote.ipv4}"`
    out += `,"port":${remote.port}}`
  }
  if (span.events.length > 0) {
    out += ',"annotations":['
    out += span.events
      .map((event) => {
        const detail = event.attributes.find((a) => a.key === 'exception.message' || a.key === 'message')
        const value = detail === undefined ? event.name : `${event.name}: ${attributeText(detail)}`
        return `{"timestamp":${event.time.us},"value":${quote(value)}}`
      })
      .join(',')
    out += ']'
  }
  out += ',"tags":{'
  for (const a of span.attributes) out += `${quote(a.key)}:${quote(attributeText(a))},`
  out += `"otel.scope.name":${quote(span.scope.name)},"otel.scope.version":${quote(span.scope.version)}`
  if (span.isError) out += `,"otel.status_code":"ERROR","error":${quote(span.statusMessage ?? '')}`
  out += '}'
  if (span.kind === 'server') out += ',"shared":false'
  return out + '}'
}
