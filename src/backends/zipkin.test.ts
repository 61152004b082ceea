import { describe, expect, it } from 'vitest'
import { importBytes } from '../importers/import-input.ts'
import { defaultImporters } from '../importers/registry.ts'
import { importTracePayload } from './summarize.ts'
import { backendFailure, fakeFetch, json, networkError, recorded, recordedBytes, reply } from './testing/fake-fetch.ts'
import type { Responder } from './testing/fake-fetch.ts'
import { annotationQuery, ZipkinBackend } from './zipkin.ts'

/** Recorded from Zipkin 3.6.1 by fixtures/backends/record.mjs. */
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c'
const SHORT_ID = '4bf92f3577b34da6'
const SERVICE = 'fixture-shop'
const NOW = Date.UTC(2026, 10, 24, 16, 0, 0)

function zipkin(routes: ReadonlyArray<readonly [string | RegExp, Responder]>) {
  const fake = fakeFetch(routes)
  const backend = new ZipkinBackend(
    { id: 'z', kind: 'zipkin', name: 'Zipkin (test)', baseUrl: 'http://zipkin.test:9411' },
    { fetch: fake.fetch, now: () => NOW },
  )
  return { fake, backend }
}

const routes: ReadonlyArray<readonly [string | RegExp, Responder]> = [
  ['/api/v2/services', recorded('zipkin', 'services')],
  ['/api/v2/spans', recorded('zipkin', 'spans')],
  ['/api/v2/remoteServices', recorded('zipkin', 'remote-services')],
  ['/api/v2/traces', recorded('zipkin', 'search')],
  [`/api/v2/trace/${TRACE_ID}`, recorded('zipkin', 'trace')],
  [`/api/v2/trace/0000000000000000${SHORT_ID}`, recorded('zipkin', 'trace-64bit')],
  ['/api/v2/trace/00000000000000000000000000000abc', recorded('zipkin', 'trace-missing')],
  ['/api/v2/traceMany', recorded('zipkin', 'trace-many')],
  ['/api/v2/dependencies', recorded('zipkin', 'dependencies')],
  ['/api/v2/autocompleteKeys', json(['environment'])],
  ['/api/v2/autocompleteValues', json(['prod', 'dev'])],
  ['/info', recorded('zipkin', 'info')],
]

describe('Zipkin v2', () => {
  it('lists services, span names and remote services', async () => {
    const { fake, backend } = zipkin(routes)
    expect(await backend.listServices()).toContain(SERVICE)
    expect(await backend.listOperations(SERVICE)).toContainEqual({ name: 'get /fixture-shop/checkout' })
    expect(await backend.remoteServices(SERVICE)).toEqual([`${SERVICE}-api`])
    expect(fake.calls.map((call) => `${call.path}?${call.params.toString()}`)).toEqual([
      '/api/v2/services?',
      `/api/v2/spans?serviceName=${SERVICE}`,
      `/api/v2/remoteServices?serviceName=${SERVICE}`,
    ])
  })

  it('searches with µs durations, ms times, an annotationQuery and a lower-cased span name', async () => {
    const { fake, backend } = zipkin(routes)
    const summaries = await backend.searchTraces({
      service: SERVICE,
      remoteService: `${SERVICE}-api`,
      operation: 'GET /fixture-shop/checkout',
      tags: [{ key: 'http.request.method', value: 'GET' }, { key: 'error' }],
      minDurationNs: 1_500_000,
      maxDurationNs: 3_000_000_500,
      startMs: NOW - 7_200_000,
      endMs: NOW,
      limit: 3,
    })
    expect(Object.fromEntries(fake.calls[0]!.params)).toEqual({
      serviceName: SERVICE,
      remoteServiceName: `${SERVICE}-api`,
      spanName: 'get /fixture-shop/checkout',
      annotationQuery: 'http.request.method=GET and error',
      minDuration: '1500',
      maxDuration: '3000001',
      endTs: String(NOW),
      lookback: '7200000',
      limit: '3',
    })
    expect(summaries.find((s) => s.traceId === TRACE_ID)).toMatchObject({ rootService: SERVICE, spanCount: 7, errorCount: 1, serviceCount: 3 })
    expect(summaries.length).toBeLessThanOrEqual(3)
  })

  it('sends a max duration with the smallest min duration Zipkin accepts', async () => {
    const { fake, backend } = zipkin(routes)
    await backend.searchTraces({ maxDurationNs: 5_000_000 })
    expect(fake.calls[0]!.params.get('minDuration')).toBe('1')
    expect(fake.calls[0]!.params.get('maxDuration')).toBe('5000')
  })

  it('passes Zipkin 400 text on', async () => {
    const { backend } = zipkin([['/api/v2/traces', recorded('zipkin', 'search-max-without-min')]])
    const error = await backendFailure(backend.searchTraces({}))
    expect(error.kind).toBe('bad-request')
    expect(error.message).toContain('maxDuration is only valid with minDuration')
  })

  it('reads an empty search as no hits without importing', async () => {
    const { backend } = zipkin([['/api/v2/traces', recorded('zipkin', 'search-empty')]])
    expect(await backend.searchTraces({ service: 'no-such-service' })).toEqual([])
  })

  it('fetches a trace; the bytes import exactly like the same answer dropped as a file', async () => {
    const { fake, backend } = zipkin(routes)
    const payload = await backend.getTrace(TRACE_ID)
    expect(fake.paths()).toEqual([`/api/v2/trace/${TRACE_ID}`])
    expect(await importTracePayload(payload)).toEqual(await importBytes(recordedBytes('zipkin', 'trace'), defaultImporters))
    expect((await importTracePayload(payload)).spans).toHaveLength(7)
  })

  it('fetches a 64-bit trace by its 16 digits, padded to 32 for the path', async () => {
    const { backend } = zipkin(routes)
    const payload = await backend.getTrace(SHORT_ID)
    expect(payload.fileName).toBe(`zipkin-${SHORT_ID}.json`)
    const imported = await importTracePayload(payload)
    expect(imported.spans).toHaveLength(3)
    expect(new Set(imported.spans.map((span) => span.traceId))).toEqual(new Set([`0000000000000000${SHORT_ID}`]))
  })

  it('reports the text/plain 404 of a missing trace as not-found with the padded id', async () => {
    const { backend } = zipkin(routes)
    const error = await backendFailure(backend.getTrace('ABC'))
    expect(error.kind).toBe('not-found')
    expect(error.status).toBe(404)
    expect(error.message).toContain('has no trace 00000000000000000000000000000abc')
  })

  it('fetches several traces with traceMany, and one alone with /trace', async () => {
    const { fake, backend } = zipkin(routes)
    const many = await backend.traceMany([TRACE_ID, SHORT_ID, TRACE_ID.toUpperCase()])
    expect(fake.calls[0]!.params.get('traceIds')).toBe(`${TRACE_ID},0000000000000000${SHORT_ID}`)
    const imported = await importTracePayload(many)
    expect(new Set(imported.spans.map((span) => span.traceId)).size).toBe(2)
    await backend.traceMany([TRACE_ID])
    expect(fake.paths()[1]).toBe(`/api/v2/trace/${TRACE_ID}`)
  })

  it('loads dependencies with error counts', async () => {
    const { fake, backend } = zipkin(routes)
    const links = await backend.getDependencies({ endTs: NOW, lookbackMs: 60_000 })
    expect(Object.fromEntries(fake.calls[0]!.params)).toEqual({ endTs: String(NOW), lookback: '60000' })
    expect(links).toContainEqual({
      parent: SERVICE,
      child: `${SERVICE}-api`,
      callCount: expect.any(Number) as number,
      errorCount: expect.any(Number) as number,
    })
  })

  it('autocompletes keys and values', async () => {
    const { fake, backend } = zipkin(routes)
    expect(await backend.tagNames()).toEqual([{ name: 'all', tags: ['environment'] }])
    expect(await backend.tagValues('environment')).toEqual([
      { type: 'string', value: 'dev' },
      { type: 'string', value: 'prod' },
    ])
    expect(fake.calls[1]!.params.get('key')).toBe('environment')
    const recordedKeys = zipkin([['/api/v2/autocompleteKeys', recorded('zipkin', 'autocomplete-keys')]])
    expect(await recordedKeys.backend.autocompleteKeys()).toEqual([])
  })

  it('connects and reports the version from /info, or connects without it', async () => {
    const ok = await zipkin(routes).backend.checkConnection()
    expect(ok).toMatchObject({ ok: true, version: '3.6.1' })
    expect(ok.message).toMatch(/Connected to Zipkin \(test\) \(Zipkin 3\.6\.1\): \d+ services\./)
    const noInfo = await zipkin([
      ['/api/v2/services', recorded('zipkin', 'services')],
      ['/info', networkError()],
    ]).backend.checkConnection()
    expect(noInfo.ok).toBe(true)
    expect(noInfo.version).toBeUndefined()
    const down = await zipkin([[/.*/, reply(503, 'starting', 'text/plain')]]).backend.checkConnection()
    expect(down.ok).toBe(false)
    expect(down.message).toContain('503')
  })

  it('refuses a search answer that is not Zipkin JSON', async () => {
    const { backend } = zipkin([['/api/v2/traces', reply(200, '[[{"nope": 1}]]')]])
    const error = await backendFailure(backend.searchTraces({}))
    expect(error.kind).toBe('bad-payload')
    expect(error.message).toContain('Not a trace format Spanglass reads')
  })
})

describe('annotationQuery', () => {
  it('joins k=v pairs and bare words with "and"', () => {
    expect(annotationQuery([{ key: 'a', value: '1' }, { key: 'b' }, { key: ' ' }])).toBe('a=1 and b')
    expect(annotationQuery([])).toBeUndefined()
  })
})
