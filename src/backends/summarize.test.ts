import { describe, expect, it } from 'vitest'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import { makeSpan } from '../model/testing/make-span.ts'
import { BackendError } from './errors.ts'
import { importPayload, spanMatchesTags, summarizeSpans } from './summarize.ts'

const spans = [
  makeSpan('a', undefined, 0, 100, { traceId: 't1', service: 'front', name: 'GET /', kind: SpanKind.Server }),
  makeSpan('b', 'a', 10, 50, { traceId: 't1', service: 'back', name: 'query', statusCode: StatusCode.Error, attributes: [{ key: 'db.system', value: 'pg' }] }),
  // An orphan that starts earlier than the real root must not become the trace's root.
  makeSpan('c', 'missing', -5, 3, { traceId: 't1', service: 'late', name: 'orphan' }),
  makeSpan('x', undefined, 1000, 10, { traceId: 't2', service: 'front', name: 'GET /later', resource: [{ key: 'env', value: 'prod' }] }),
]

describe('summarizeSpans', () => {
  it('summarises each trace from its real root, most recent first', () => {
    const [later, first] = summarizeSpans(spans)
    expect(later?.traceId).toBe('t2')
    expect(first).toMatchObject({
      traceId: 't1',
      rootService: 'front',
      rootOperation: 'GET /',
      spanCount: 3,
      errorCount: 1,
      serviceCount: 3,
      services: [
        { name: 'back', spanCount: 1, errorCount: 1 },
        { name: 'front', spanCount: 1, errorCount: 0 },
        { name: 'late', spanCount: 1, errorCount: 0 },
      ],
    })
    expect(first?.startTimeNs).toBe(1_700_000_000_000_000_000n - 5000n)
  })

  it('filters by tags on one span (attributes, resource, error status) and limits', () => {
    expect(summarizeSpans(spans, { tags: [{ key: 'db.system', value: 'pg' }] }).map((s) => s.traceId)).toEqual(['t1'])
    expect(summarizeSpans(spans, { tags: [{ key: 'env', value: 'prod' }] }).map((s) => s.traceId)).toEqual(['t2'])
    expect(summarizeSpans(spans, { tags: [{ key: 'error', value: 'true' }] }).map((s) => s.traceId)).toEqual(['t1'])
    expect(summarizeSpans(spans, { tags: [{ key: 'db.system' }] }).map((s) => s.traceId)).toEqual(['t1'])
    expect(
      summarizeSpans(spans, {
        tags: [
          { key: 'db.system', value: 'pg' },
          { key: 'env', value: 'prod' },
        ],
      }),
    ).toEqual([])
    expect(summarizeSpans(spans, { limit: 1 }).map((s) => s.traceId)).toEqual(['t2'])
    expect(spanMatchesTags(spans[0]!, [])).toBe(true)
  })
})

describe('importPayload', () => {
  it('turns an importer failure into bad-payload carrying the importer message', async () => {
    const bytes = new TextEncoder().encode('{"hello": "world"}')
    const error = await importPayload(bytes, { label: 'Jaeger', what: 'search traces', url: 'http://x/api/v3/traces' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BackendError)
    expect((error as BackendError).kind).toBe('bad-payload')
    expect((error as BackendError).message).toContain('Jaeger could not search traces')
    expect((error as BackendError).message).toContain('Not a trace format Spanglass reads')
  })
})
