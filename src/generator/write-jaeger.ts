/**
 * Jaeger UI/query JSON (formats.md §2.1), the "Download Results" envelope `{"data":[Trace…]}`.
 * µs times, typed tags, CHILD_OF references, events as logs with an `event` field. Each trace's
 * `processes` map is written after its spans (key order does not matter in JSON), so a trace
 * streams without being held in memory.
 */
import type { GenAttribute, GenSpan, ServiceInstance } from './gen-span.ts'
import { attributeText, quote } from './json-text.ts'

export function* writeJaeger(spans: Iterable<GenSpan>): Generator<string, void, undefined> {
  yield '{"data":['
  let traceIndex = -1
  let processes = new Map<ServiceInstance, string>()
  let isFirstSpan = true
  for (const span of spans) {
    if (span.traceIndex !== traceIndex) {
      if (traceIndex >= 0) yield closeTrace(processes) + ','
      traceIndex = span.traceIndex
      processes = new Map()
      isFirstSpan = true
      yield `\n{"traceID":"${span.traceId}","spans":[`
    }
    let processId = processes.get(span.service)
    if (processId === undefined) {
      processId = `p${processes.size + 1}`
      processes.set(span.service, processId)
    }
    yield (isFirstSpan ? '\n' : ',\n') + jaegerSpan(span, processId)
    isFirstSpan = false
  }
  if (traceIndex >= 0) yield closeTrace(processes)
  yield '\n]}\n'
}

function closeTrace(processes: ReadonlyMap<ServiceInstance, string>): string {
  const entries: string[] = []
  for (const [service, id] of processes) {
    const tags = service.resource.filter((a) => a.key !== 'service.name').map(jaegerTag)
    tags.push(`{"key":"ip","type":"string","value":"${service.ipv4}"}`)
    entries.push(`"${id}":{"serviceName":${quote(service.def.name)},"tags":[${tags.join(',')}]}`)
  }
  return `\n],"processes":{${entries.join(',')}},"warnings":null}`
}

function jaegerTag(a: GenAttribute): string {
  switch (a.type) {
    case 'string':
      return `{"key":${quote(a.key)},"type":"string","value":${quote(a.value)}}`
    case 'bool':
      return `{"key":${quote(a.key)},"type":"bool","value":${a.value}}`
    case 'int':
      return `{"key":${quote(a.key)},"type":"int64","value":${a.value}}`
    case 'double':
      return `{"key":${quote(a.key)},"type":"float64","value":${a.value}}`
    case 'strings':
      // Jaeger tags have no array type; OTLP→Jaeger translation writes arrays as JSON text.
      return `{"key":${quote(a.key)},"type":"string","value":${quote(attributeText(a))}}`
  }
}

function jaegerSpan(span: GenSpan, processId: string): string {
  let out = `{"traceID":"${span.traceId}","spanID":"${span.spanId}","flags":1,"operationName":${quote(span.name)},"references":[`
  if (span.parentSpanId !== undefined) out += `{"refType":"CHILD_OF","traceID":"${span.traceId}","spanID":"${span.parentSpanId}"}`
  out += `],"startTime":${span.start.us},"duration":${span.end.us - span.start.us},"tags":[`
  for (const a of span.attributes) out += jaegerTag(a) + ','
  out += `{"key":"span.kind","type":"string","value":"${span.kind}"}`
  out += `,{"key":"otel.scope.name","type":"string","value":${quote(span.scope.name)}}`
  out += `,{"key":"otel.scope.version","type":"string","value":${quote(span.scope.version)}}`
  if (span.isError) {
    out += ',{"key":"error","type":"bool","value":true},{"key":"otel.status_code","type":"string","value":"ERROR"}'
    out += `,{"key":"otel.status_description","type":"string","value":${quote(span.statusMessage ?? '')}}`
  }
  out += '],"logs":['
  out += span.events
    .map((event) => {
      const fields = [`{"key":"event","type":"string","value":${quote(event.name)}}`, ...event.attributes.map(jaegerTag)]
      return `{"timestamp":${event.time.us},"fields":[${fields.join(',')}]}`
    })
    .join(',')
  return out + `],"processID":"${processId}","warnings":null}`
}
