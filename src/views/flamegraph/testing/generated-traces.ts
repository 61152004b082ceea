import { generateSpans } from '../../../generator/generate-spans.ts'
import type { GenAttribute, GenKind, GenTime } from '../../../generator/gen-span.ts'
import { buildTraces } from '../../../model/build-traces.ts'
import { SpanKind, StatusCode } from '../../../model/span-record.ts'
import type { Attribute, SpanRecord } from '../../../model/span-record.ts'
import type { Trace } from '../../../model/trace.ts'

/**
 * Test helper: traces from the synthetic generator, built straight from its span objects (views
 * may not import the importers; the generator's own tests cover the wire formats). Same seed,
 * same traces.
 */
export function generatedTraces(spanCount: number, traceCount = 1, seed = 1): Trace[] {
  const records: SpanRecord[] = []
  for (const span of generateSpans({ spanCount, traceCount, seed })) {
    const attributes: Attribute[] = span.attributes.map(toAttribute)
    if (span.remote !== undefined && !attributes.some((a) => a.key === 'peer.service')) {
      attributes.push({ key: 'peer.service', value: span.remote.serviceName })
    }
    records.push({
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      name: span.name,
      service: span.service.def.name,
      kind: KINDS[span.kind],
      startTimeNs: toNs(span.start),
      durationNs: Number(toNs(span.end) - toNs(span.start)),
      statusCode: span.isError ? StatusCode.Error : StatusCode.Unset,
      attributes,
      resource: span.service.resource.map(toAttribute),
      events: [],
      links: [],
    })
  }
  return buildTraces(records)
}

const KINDS: Record<GenKind, SpanKind> = {
  internal: SpanKind.Internal,
  server: SpanKind.Server,
  client: SpanKind.Client,
  producer: SpanKind.Producer,
  consumer: SpanKind.Consumer,
}

function toNs(time: GenTime): bigint {
  return BigInt(time.us) * 1000n + BigInt(time.subNs)
}

function toAttribute(attribute: GenAttribute): Attribute {
  return { key: attribute.key, value: attribute.value }
}
