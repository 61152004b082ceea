/**
 * Test-only reader for the generator's output: parses each format with plain `JSON.parse`
 * (every number the generator writes is a safe integer) into one flat shape to assert on.
 */
import type { GenFormat } from '../generate-text.ts'

export interface ReadSpan {
  readonly traceId: string
  readonly spanId: string
  readonly parentId: string | undefined
  readonly service: string
  readonly name: string
  readonly kind: string
  readonly startNs: bigint
  readonly endNs: bigint
  readonly isError: boolean
  /** The span's own attributes (OTLP), or all tags (Jaeger, Zipkin, which add a few of their own). */
  readonly attributeCount: number
  readonly eventNames: readonly string[]
}

type Json = Record<string, unknown>
const obj = (v: unknown): Json => v as Json
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

export function readGenerated(format: GenFormat, text: string): ReadSpan[] {
  switch (format) {
    case 'otlp-json':
      return text
        .split('\n')
        .filter((line) => line.length > 0)
        .flatMap((line) => readOtlpDocument(JSON.parse(line)))
    case 'jaeger-json':
      return readJaeger(JSON.parse(text))
    case 'zipkin-json':
      return arr(JSON.parse(text)).map(readZipkinSpan)
  }
}

function readOtlpDocument(doc: unknown): ReadSpan[] {
  const out: ReadSpan[] = []
  for (const rs of arr(obj(doc).resourceSpans)) {
    const resourceAttributes = arr(obj(obj(rs).resource).attributes).map(obj)
    const service = String(obj(resourceAttributes.find((a) => a.key === 'service.name')?.value).stringValue)
    for (const ss of arr(obj(rs).scopeSpans)) {
      for (const raw of arr(obj(ss).spans)) {
        const s = obj(raw)
        out.push({
          traceId: String(s.traceId),
          spanId: String(s.spanId),
          parentId: s.parentSpanId === undefined ? undefined : String(s.parentSpanId),
          service,
          name: String(s.name),
          kind: String(s.kind),
          startNs: BigInt(String(s.startTimeUnixNano)),
          endNs: BigInt(String(s.endTimeUnixNano)),
          isError: obj(s.status).code === 2,
          attributeCount: arr(s.attributes).length,
          eventNames: arr(s.events).map((e) => String(obj(e).name)),
        })
      }
    }
  }
  return out
}

function readJaeger(doc: unknown): ReadSpan[] {
  const out: ReadSpan[] = []
  for (const traceRaw of arr(obj(doc).data)) {
    const trace = obj(traceRaw)
    const processes = obj(trace.processes)
    for (const raw of arr(trace.spans)) {
      const s = obj(raw)
      const tags = arr(s.tags).map(obj)
      const startNs = BigInt(Number(s.startTime)) * 1000n
      const parent = arr(s.references)
        .map(obj)
        .find((r) => r.refType === 'CHILD_OF')
      out.push({
        traceId: String(s.traceID),
        spanId: String(s.spanID),
        parentId: parent === undefined ? undefined : String(parent.spanID),
        service: String(obj(processes[String(s.processID)]).serviceName),
        name: String(s.operationName),
        kind: String(tags.find((t) => t.key === 'span.kind')?.value),
        startNs,
        endNs: startNs + BigInt(Number(s.duration)) * 1000n,
        isError: tags.some((t) => t.key === 'error' && t.value === true),
        attributeCount: tags.length,
        eventNames: arr(s.logs).map((l) => String(obj(arr(obj(l).fields)[0]).value)),
      })
    }
  }
  return out
}

function readZipkinSpan(raw: unknown): ReadSpan {
  const s = obj(raw)
  const tags = obj(s.tags)
  const startNs = BigInt(Number(s.timestamp)) * 1000n
  return {
    traceId: String(s.traceId),
    spanId: String(s.id),
    parentId: s.parentId === undefined ? undefined : String(s.parentId),
    service: String(obj(s.localEndpoint).serviceName),
    name: String(s.name),
    kind: s.kind === undefined ? 'INTERNAL' : String(s.kind),
    startNs,
    endNs: startNs + BigInt(Number(s.duration)) * 1000n,
    isError: 'error' in tags,
    attributeCount: Object.keys(tags).length,
    eventNames: arr(s.annotations).map((a) => String(obj(a).value)),
  }
}
