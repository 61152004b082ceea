import { describe, expect, it } from 'vitest'
import { LazySpanRecord, materializeSpan } from './lazy-span.ts'
import type { DetailsReader, SpanDetails } from './lazy-span.ts'
import { SpanKind, StatusCode } from './span-record.ts'
import type { SpanRecord } from './span-record.ts'

interface Raw {
  readonly tags: Record<string, string>
}

function countingReader(): DetailsReader<Raw> & { calls: number } {
  return {
    calls: 0,
    readDetails(raw: Raw): SpanDetails {
      this.calls++
      return { attributes: Object.entries(raw.tags).map(([key, value]) => ({ key, value })), events: [], links: [] }
    },
  }
}

function lazy(reader: DetailsReader<Raw>): LazySpanRecord<Raw> {
  const span = new LazySpanRecord('t1', 's1', 'GET /', 'api', SpanKind.Server, 10n, 5, StatusCode.Unset, [], { tags: { 'http.method': 'GET' } }, reader)
  span.parentSpanId = 'p1'
  return span
}

const plain: SpanRecord = {
  traceId: 't1',
  spanId: 's1',
  parentSpanId: 'p1',
  name: 'GET /',
  service: 'api',
  kind: SpanKind.Server,
  startTimeNs: 10n,
  durationNs: 5,
  statusCode: StatusCode.Unset,
  attributes: [{ key: 'http.method', value: 'GET' }],
  resource: [],
  events: [],
  links: [],
}

describe('LazySpanRecord', () => {
  it('reads the details once, on first use', () => {
    const reader = countingReader()
    const span = lazy(reader)
    expect(reader.calls).toBe(0)
    expect(span.isDeferred).toBe(true)
    expect(span.attributes).toEqual([{ key: 'http.method', value: 'GET' }])
    expect(span.events).toEqual([])
    expect(span.attributes).toBe(span.attributes)
    expect(reader.calls).toBe(1)
    expect(span.isDeferred).toBe(false)
  })

  it('leaves optional fields absent until set', () => {
    const span = lazy(countingReader())
    expect('statusMessage' in span).toBe(false)
    expect('parentSpanId' in span).toBe(true)
  })

  it('materializes into the plain record it reads as, which structured clone keeps whole', () => {
    const copy = structuredClone(materializeSpan(lazy(countingReader())))
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(copy).toStrictEqual(plain)
    // A lazy record cloned as is loses its details: the reason for materializeSpan.
    expect(structuredClone(lazy(countingReader()))).not.toHaveProperty('attributes')
  })

  it('compares equal to the plain record in toEqual, and unequal when a detail differs', () => {
    expect(lazy(countingReader())).toEqual(plain)
    expect(lazy(countingReader())).not.toEqual({ ...plain, attributes: [{ key: 'http.method', value: 'POST' }] })
  })

  it('returns plain records as they are', () => {
    expect(materializeSpan(plain)).toBe(plain)
  })
})
