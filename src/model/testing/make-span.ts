import { SpanKind, StatusCode } from '../span-record.ts'
import type { SpanRecord } from '../span-record.ts'

/**
 * A tiny builder for synthetic spans in tests: `makeSpan('b', 'a', 10, 5)` is span b, child
 * of a, starting 10 µs after the epoch origin used by tests, lasting 5 µs.
 */
export function makeSpan(
  spanId: string,
  parentSpanId: string | undefined,
  startUs: number | undefined,
  durationUs: number | undefined,
  extra: Partial<SpanRecord> = {},
): SpanRecord {
  return {
    traceId: 'trace-1',
    spanId,
    parentSpanId,
    name: `op-${spanId}`,
    service: 'svc',
    kind: SpanKind.Internal,
    startTimeNs: startUs === undefined ? undefined : 1_700_000_000_000_000_000n + BigInt(startUs) * 1000n,
    durationNs: durationUs === undefined ? undefined : durationUs * 1000,
    statusCode: StatusCode.Unset,
    attributes: [],
    resource: [],
    events: [],
    links: [],
    ...extra,
  }
}
