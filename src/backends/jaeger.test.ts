import { describe, expect, it } from 'vitest'
import { importBytes } from '../importers/import-input.ts'
import { defaultImporters } from '../importers/registry.ts'
import { createBackend } from './create-backend.ts'
import { JaegerBackend } from './jaeger.ts'
import { importTracePayload } from './summarize.ts'
import { backendFailure, fakeFetch, json, recorded, recordedBytes, reply } from './testing/fake-fetch.ts'
import type { Responder } from './testing/fake-fetch.ts'

/** Recorded from Jaeger v2.13.0 by fixtures/backends/record.mjs. */
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c'
const SERVICE = 'fixture-shop'
const NOW = Date.UTC(2026, 10, 24, 16, 0, 0)

function jaeger(routes: ReadonlyArray<readonly [string | RegExp, Responder]>) {
  const fake = fakeFetch(routes)
  const backend = new JaegerBackend(
    { id: 'j', kind: 'jaeger', name: 'Jaeger (test)', baseUrl: 'http://jaeger.test:16686/jaeger/' },
    { fetch: fake.fetch, now: () => NOW },
  )
  return { fake, backend }
}

const v3Routes: ReadonlyArray<readonly [string | RegExp, Responder]> = [
  ['/jaeger/api/v3/services', recorded('jaeger', 'v3-services')],
  ['/jaeger/api/v3/operations', recorded('jaeger', 'v3-operations')],
  ['/jaeger/api/v3/traces', recorded('jaeger', 'v3-search')],
  [`/jaeger/api/v3/traces/${TRACE_ID}`, recorded('jaeger', 'v3-trace')],
  ['/jaeger/api/v3/traces/00000000000000000000000000000abc', recorded('jaeger', 'v3-trace-missing')],
  ['/jaeger/api/dependencies', recorded('jaeger', 'v1-dependencies')],
]

/** A Jaeger without api_v3 (< 1.25): its UI answers unknown paths with its HTML page. */
const v1Routes: ReadonlyArray<readonly [string | RegExp, Responder]> = [
  [/^\/jaeger\/api\/v3\//, recorded('jaeger', 'ui-page')],
  ['/jaeger/api/services', recorded('jaeger', 'v1-services')],
  ['/jaeger/api/operations', recorded('jaeger', 'v1-operations')],
  ['/jaeger/api/traces', recorded('jaeger', 'v1-search')],
  [`/jaeger/api/traces/${TRACE_ID}`, recorded('jaeger', 'v1-trace')],
  ['/jaeger/api/traces/00000000000000000000000000000abc', recorded('jaeger', 'v1-trace-missing')],
]

describe('Jaeger api_v3', () => {
  it('lists services, sorted', async () => {
    const { fake, backend } = jaeger(v3Routes)
    const services = await backend.listServices()
    expect(services).toContain(SERVICE)
    expect(services).toEqual([...services].sort((a, b) => a.localeCompare(b)))
    expect(fake.paths()).toEqual(['/jaeger/api/v3/services'])
    expect(backend.api).toBe('api_v3')
  })

  it('lists operations with their span kinds, asking for one kind in snake_case', async () => {
    const { fake, backend } = jaeger([['/jaeger/api/v3/operations', recorded('jaeger', 'v3-operations-server')]])
    const operations = await backend.listOperations(SERVICE, undefined, { spanKind: 'server' })
    expect(operations).toEqual([{ name: 'GET /fixture-shop/checkout', spanKind: 'server' }])
    expect(Object.fromEntries(fake.calls[0]!.params)).toEqual({ service: SERVICE, span_kind: 'server' })
  })

  it('searches with the snake_case parameters every version reads, and summarises the traces it gets', async () => {
    const { fake, backend } = jaeger(v3Routes)
    const summaries = await backend.searchTraces({
      service: SERVICE,
      operation: 'GET /fixture-shop/checkout',
      tags: [{ key: 'http.request.method', value: 'GET' }],
      minDurationNs: 1_000_000,
      maxDurationNs: 2_500_000_000,
      startMs: NOW - 3_600_000,
      endMs: NOW,
      limit: 10,
    })
    expect(Object.fromEntries(fake.calls[0]!.params)).toEqual({
      'query.service_name': SERVICE,
      'query.operation_name': 'GET /fixture-shop/checkout',
      'query.attributes': '{"http.request.method":"GET"}',
      'query.start_time_min': '2026-11-24T15:00:00.000Z',
      'query.start_time_max': '2026-11-24T16:00:00.000Z',
      'query.duration_min': '1ms',
      'query.duration_max': '2500ms',
      'query.num_traces': '10',
    })
    const summary = summaries.find((s) => s.traceId === TRACE_ID)
    expect(summary).toMatchObject({
      rootService: SERVICE,
      rootOperation: 'GET /fixture-shop/checkout',
      spanCount: 7,
      errorCount: 1,
      serviceCount: 3,
    })
    expect(summary?.durationNs).toBeGreaterThan(0)
    expect(typeof summary?.startTimeNs).toBe('bigint')
  })

  it('defaults the window to the last hour', async () => {
    const { fake, backend } = jaeger(v3Routes)
    await backend.searchTraces({ service: SERVICE })
    expect(fake.calls[0]!.params.get('query.start_time_min')).toBe('2026-11-24T15:00:00.000Z')
    expect(fake.calls[0]!.params.get('query.num_traces')).toBe('20')
  })

  it('reads the 404 "No traces found" of a search as no hits', async () => {
    const { backend } = jaeger([['/jaeger/api/v3/traces', recorded('jaeger', 'v3-search-empty')]])
    expect(await backend.searchTraces({ service: 'no-such-service' })).toEqual([])
  })

  it('filters by tags itself, because older api_v3 servers ignore query.attributes', async () => {
    const { backend } = jaeger(v3Routes)
    expect(await backend.searchTraces({ service: SERVICE, tags: [{ key: 'no.such.tag', value: 'x' }] })).toEqual([])
    const hits = await backend.searchTraces({ service: SERVICE, tags: [{ key: 'http.response.status_code', value: '500' }] })
    expect(hits.map((s) => s.traceId)).toContain(TRACE_ID)
    const errors = await backend.searchTraces({ service: SERVICE, tags: [{ key: 'error', value: 'true' }] })
    expect(errors.map((s) => s.traceId)).toContain(TRACE_ID)
  })

  it('passes the server message of a failed search on', async () => {
    const { backend } = jaeger([['/jaeger/api/v3/traces', recorded('jaeger', 'v3-search-no-window')]])
    const error = await backendFailure(backend.searchTraces({ service: SERVICE }))
    expect(error.kind).toBe('bad-request')
    expect(error.message).toContain('query.start_time_min and query.start_time_max are required')
  })

  it('classifies a 500 on search as a retryable server error', async () => {
    const { backend } = jaeger([['/jaeger/api/v3/traces', json({ error: { httpCode: 500, message: 'search depth must be greater than 0' } }, 500)]])
    const error = await backendFailure(backend.searchTraces({ service: SERVICE }))
    expect(error.kind).toBe('server')
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('search depth must be greater than 0')
  })

  it('reports a search answer that no importer reads as bad-payload with the importer message', async () => {
    for (const body of ['{"result": 5}', '{"result": {"resourceSpans": [', '<xml/>']) {
      const { backend } = jaeger([['/jaeger/api/v3/traces', reply(200, body, 'text/plain; charset=utf-8')]])
      const error = await backendFailure(backend.searchTraces({ service: SERVICE }))
      expect(error.kind).toBe('bad-payload')
      expect(error.message).toContain('Jaeger (test) could not search traces')
    }
  })

  it('fetches a trace by id as raw bytes that import exactly like the same answer dropped as a file', async () => {
    const { fake, backend } = jaeger(v3Routes)
    const payload = await backend.getTrace(TRACE_ID.toUpperCase())
    expect(fake.paths()).toEqual([`/jaeger/api/v3/traces/${TRACE_ID}`])
    expect(payload.traceId).toBe(TRACE_ID)
    expect(payload.fileName).toBe(`jaeger-${TRACE_ID}.json`)
    expect(payload.bytes).toEqual(recordedBytes('jaeger', 'v3-trace'))
    const fetched = await importTracePayload(payload)
    const dropped = await importBytes(recordedBytes('jaeger', 'v3-trace'), defaultImporters)
    expect(fetched).toEqual(dropped)
    expect(fetched.format).toBe('jaeger-api-v3')
    expect(fetched.spans).toHaveLength(7)
  })

  it('pads short ids and reads base64 ids; a missing trace is not-found naming the padded id', async () => {
    const { fake, backend } = jaeger(v3Routes)
    const error = await backendFailure(backend.getTrace('abc'))
    expect(error.kind).toBe('not-found')
    expect(error.message).toContain('00000000000000000000000000000abc')
    expect(fake.paths()).toEqual(['/jaeger/api/v3/traces/00000000000000000000000000000abc'])
    await backend.getTrace('CvdlGRbNQ92ESOshHIAxnA==')
    expect(fake.paths()[1]).toBe(`/jaeger/api/v3/traces/${TRACE_ID}`)
  })

  it('refuses a malformed id before asking the server', async () => {
    const { fake, backend } = jaeger(v3Routes)
    expect((await backendFailure(backend.getTrace('not-an-id'))).kind).toBe('bad-request')
    expect(fake.calls).toHaveLength(0)
  })

  it('loads dependencies from the internal API with endTs and lookback in ms', async () => {
    const { fake, backend } = jaeger(v3Routes)
    const links = await backend.getDependencies({ endTs: NOW, lookbackMs: 3_600_000 })
    expect(Object.fromEntries(fake.calls[0]!.params)).toEqual({ endTs: String(NOW), lookback: '3600000' })
    expect(links).toContainEqual({ parent: SERVICE, child: `${SERVICE}-api`, callCount: expect.any(Number) as number })
    expect(links.every((link) => typeof link.parent === 'string' && typeof link.child === 'string' && link.callCount >= 0)).toBe(true)
  })

  it('accepts the bare dependency array of saved files and refuses other shapes', async () => {
    const bare = jaeger([['/jaeger/api/dependencies', json([{ parent: 'a', child: 'b', callCount: 2 }])]])
    expect(await bare.backend.getDependencies({})).toEqual([{ parent: 'a', child: 'b', callCount: 2 }])
    const wrong = jaeger([['/jaeger/api/dependencies', json({ data: [{ from: 'a' }] })]])
    expect((await backendFailure(wrong.backend.getDependencies({}))).kind).toBe('bad-payload')
  })

  it('connects, and says what failed when it cannot', async () => {
    const ok = await jaeger(v3Routes).backend.checkConnection()
    expect(ok.ok).toBe(true)
    expect(ok.api).toBe('api_v3')
    expect(ok.message).toMatch(/Connected to Jaeger \(test\) \(api_v3\): \d+ services\./)
    const denied = await jaeger([[/.*/, reply(401, 'token required', 'text/plain')]]).backend.checkConnection()
    expect(denied.ok).toBe(false)
    expect(denied.message).toContain('Authorization header')
  })

  it('has no tag autocompletion', async () => {
    const { backend } = jaeger(v3Routes)
    expect((await backendFailure(backend.tagNames())).kind).toBe('unsupported')
    expect(backend.capabilities.tagAutocomplete).toBe(false)
  })
})

describe('Jaeger without api_v3 (fallback to the internal API)', () => {
  it('falls back when api_v3 answers with the UI page, and remembers it', async () => {
    const { fake, backend } = jaeger(v1Routes)
    expect(await backend.listServices()).toContain(SERVICE)
    expect(fake.paths()).toEqual(['/jaeger/api/v3/services', '/jaeger/api/services'])
    expect(backend.api).toBe('api_v1')
    await backend.listServices()
    expect(fake.paths().slice(2)).toEqual(['/jaeger/api/services'])
  })

  it('falls back when api_v3 answers a plain 404 or 501', async () => {
    for (const missing of [reply(404, '404 page not found\n', 'text/plain; charset=utf-8'), reply(501, 'not implemented', 'text/plain')]) {
      const { fake, backend } = jaeger([
        [/^\/jaeger\/api\/v3\//, missing],
        ['/jaeger/api/services', recorded('jaeger', 'v1-services')],
      ])
      expect(await backend.listServices()).toContain(SERVICE)
      expect(fake.paths()).toEqual(['/jaeger/api/v3/services', '/jaeger/api/services'])
    }
  })

  it('lists operations from /api/operations, and from the legacy per-service path on older servers', async () => {
    const { fake, backend } = jaeger(v1Routes)
    expect(await backend.listOperations(SERVICE, undefined, { spanKind: 'server' })).toEqual([{ name: 'GET /fixture-shop/checkout', spanKind: 'server' }])
    expect(fake.to('/jaeger/api/operations')[0]!.params.get('spanKind')).toBe('server')

    const legacy = jaeger([
      [/^\/jaeger\/api\/v3\//, recorded('jaeger', 'ui-page')],
      [`/jaeger/api/services/${SERVICE}/operations`, recorded('jaeger', 'v1-operations-legacy')],
    ])
    const names = (await legacy.backend.listOperations(SERVICE)).map((operation) => operation.name)
    expect(names).toContain('GET /fixture-shop/checkout')
    expect(legacy.fake.paths()).toEqual(['/jaeger/api/v3/operations', '/jaeger/api/operations', `/jaeger/api/services/${SERVICE}/operations`])
  })

  it('searches with µs times, Go durations and a JSON tags map', async () => {
    const { fake, backend } = jaeger(v1Routes)
    const summaries = await backend.searchTraces({
      service: SERVICE,
      tags: [{ key: 'http.request.method', value: 'GET' }],
      minDurationNs: 1500,
      startMs: NOW - 1000,
      endMs: NOW,
      limit: 5,
    })
    expect(Object.fromEntries(fake.to('/jaeger/api/traces')[0]!.params)).toEqual({
      service: SERVICE,
      tags: '{"http.request.method":"GET"}',
      start: String((NOW - 1000) * 1000),
      end: String(NOW * 1000),
      minDuration: '1500ns',
      limit: '5',
    })
    expect(summaries.find((s) => s.traceId === TRACE_ID)).toMatchObject({ spanCount: 7, errorCount: 1, rootService: SERVICE })
  })

  it('reads an empty internal-API search as no hits', async () => {
    const { backend } = jaeger([
      [/^\/jaeger\/api\/v3\//, recorded('jaeger', 'ui-page')],
      ['/jaeger/api/traces', recorded('jaeger', 'v1-search-empty')],
    ])
    expect(await backend.searchTraces({ service: 'no-such-service' })).toEqual([])
  })

  it('passes a 400 of the internal API on with its message', async () => {
    const { backend } = jaeger([
      [/^\/jaeger\/api\/v3\//, recorded('jaeger', 'ui-page')],
      ['/jaeger/api/traces', recorded('jaeger', 'v1-search-bad-duration')],
    ])
    const error = await backendFailure(backend.searchTraces({ service: SERVICE }))
    expect(error.kind).toBe('bad-request')
    expect(error.message).toContain("'maxDuration' should be greater than 'minDuration'")
  })

  it('fetches traces as Jaeger JSON and reports a missing one as not-found', async () => {
    const { backend } = jaeger(v1Routes)
    const payload = await backend.getTrace(TRACE_ID)
    expect(payload.bytes).toEqual(recordedBytes('jaeger', 'v1-trace'))
    const imported = await importTracePayload(payload)
    expect(imported.format).toBe('jaeger-json')
    expect(imported.spans).toHaveLength(7)
    const error = await backendFailure(backend.getTrace('abc'))
    expect(error.kind).toBe('not-found')
    expect(error.message).toContain('00000000000000000000000000000abc')
  })

  it('checks min ≤ max before asking', async () => {
    const { fake, backend } = jaeger(v1Routes)
    expect((await backendFailure(backend.searchTraces({ minDurationNs: 2, maxDurationNs: 1 }))).kind).toBe('bad-request')
    expect(fake.calls).toHaveLength(0)
  })
})

describe('createBackend', () => {
  it('sends the tenant as x-tenant to Jaeger', async () => {
    const fake = fakeFetch([['/api/v3/services', json({ services: [] })]])
    await createBackend({ id: 'j', kind: 'jaeger', name: 'J', baseUrl: 'http://j', orgId: 'acme' }, { fetch: fake.fetch }).listServices()
    expect(fake.calls[0]!.headers.get('x-tenant')).toBe('acme')
  })

  it('reads an empty proto3 answer ({}) as an empty list', async () => {
    const fake = fakeFetch([['/api/v3/services', json({})]])
    expect(await createBackend({ id: 'j', kind: 'jaeger', name: 'J', baseUrl: 'http://j' }, { fetch: fake.fetch }).listServices()).toEqual([])
  })
})
