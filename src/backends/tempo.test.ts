import { describe, expect, it } from 'vitest'
import { importBytes } from '../importers/import-input.ts'
import { defaultImporters } from '../importers/registry.ts'
import { importTracePayload } from './summarize.ts'
import { TempoBackend } from './tempo.ts'
import { backendFailure, fakeFetch, hang, json, recorded, recordedBytes, reply } from './testing/fake-fetch.ts'
import type { Responder } from './testing/fake-fetch.ts'
import type { BackendConfig } from './types.ts'

/** Recorded from Tempo 2.8.0-rc.0 (main at 87c2dc380cec) by fixtures/backends/record.mjs. */
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c'
const SHORT_ID = '00000000000000004bf92f3577b34da6'
const MISSING = '00000000000000000000000000000abc'
const SERVICE = 'fixture-shop'
const NOW = Date.UTC(2026, 10, 24, 16, 0, 0)

function tempo(routes: ReadonlyArray<readonly [string | RegExp, Responder]>, extra: Partial<BackendConfig> = {}) {
  const fake = fakeFetch(routes)
  const backend = new TempoBackend(
    { id: 't', kind: 'tempo', name: 'Tempo (test)', baseUrl: 'http://tempo.test:3200', ...extra },
    { fetch: fake.fetch, now: () => NOW },
  )
  return { fake, backend }
}

/** Serves the recorded JSON or protobuf answer by the request's Accept header. */
function byAccept(jsonName: string, protobufName: string): Responder {
  return (url, init) => {
    const accept = new Headers(init?.headers).get('accept') ?? ''
    return recorded('tempo', accept.includes('protobuf') ? protobufName : jsonName)(url, init)
  }
}

const routes: ReadonlyArray<readonly [string | RegExp, Responder]> = [
  ['/api/echo', recorded('tempo', 'echo')],
  ['/api/status/buildinfo', recorded('tempo', 'buildinfo')],
  ['/api/search', recorded('tempo', 'search-traceql')],
  [`/api/v2/traces/${TRACE_ID}`, byAccept('trace-v2', 'trace-v2-protobuf')],
  [`/api/v2/traces/${MISSING}`, byAccept('trace-v2-missing', 'trace-v2-missing-protobuf')],
  [`/api/traces/${TRACE_ID}`, recorded('tempo', 'trace-v1')],
  [`/api/traces/${MISSING}`, recorded('tempo', 'trace-v1-missing')],
  ['/api/v2/search/tags', recorded('tempo', 'tags-v2')],
  ['/api/search/tags', recorded('tempo', 'tags-v1')],
  ['/api/v2/search/tag/resource.service.name/values', recorded('tempo', 'tag-values-v2-service')],
  ['/api/search/tag/service.name/values', recorded('tempo', 'tag-values-v1-service')],
  ['/api/v2/search/tag/name/values', recorded('tempo', 'tag-values-v2-names')],
]

/** A Tempo older than the v2 endpoints: they are plain 404s. */
const oldTempo: ReadonlyArray<readonly [string | RegExp, Responder]> = routes.filter(([path]) => typeof path !== 'string' || !path.startsWith('/api/v2/'))

describe('Tempo', () => {
  it('connects with /api/echo and reports the build version', async () => {
    const result = await tempo(routes).backend.checkConnection()
    expect(result).toMatchObject({ ok: true, version: '2.8.0-rc.0-87c2dc380cec' })
    expect(result.message).toBe('Connected to Tempo (test) (Tempo 2.8.0-rc.0-87c2dc380cec).')
    const wrong = await tempo([['/api/echo', reply(200, '<!doctype html><html>', 'text/html')]]).backend.checkConnection()
    expect(wrong.ok).toBe(false)
    expect(wrong.message).toContain('web page (HTML)')
  })

  it('sends X-Scope-OrgID when a tenant is set', async () => {
    const { fake, backend } = tempo(routes, { orgId: 'team-a' })
    await backend.echo()
    expect(fake.calls[0]!.headers.get('x-scope-orgid')).toBe('team-a')
  })

  it('lists services from the v2 tag values, or from v1 on an older Tempo', async () => {
    const v2 = tempo(routes)
    expect(await v2.backend.listServices()).toContain(SERVICE)
    expect(v2.fake.paths()).toEqual(['/api/v2/search/tag/resource.service.name/values'])
    const v1 = tempo(oldTempo)
    expect(await v1.backend.listServices()).toContain(SERVICE)
    expect(v1.fake.paths()).toEqual(['/api/v2/search/tag/resource.service.name/values', '/api/search/tag/service.name/values'])
  })

  it('lists the operations of a service with a TraceQL filter, optionally per span kind', async () => {
    const { fake, backend } = tempo([['/api/v2/search/tag/name/values', recorded('tempo', 'tag-values-v2-names-server')]])
    expect(await backend.listOperations(SERVICE, undefined, { spanKind: 'server' })).toEqual([{ name: 'GET /fixture-shop/checkout', spanKind: 'server' }])
    expect(fake.calls[0]!.params.get('q')).toBe(`{ resource.service.name = "${SERVICE}" && kind = server }`)
    const all = await tempo(routes).backend.listOperations(SERVICE)
    expect(all.map((operation) => operation.name)).toContain('GET /fixture-shop/checkout')
    expect((await backendFailure(tempo(oldTempo).backend.listOperations(SERVICE))).kind).toBe('unsupported')
  })

  it('searches with TraceQL and times in seconds, and reads the summaries', async () => {
    const { fake, backend } = tempo(routes)
    const summaries = await backend.searchTraces({ service: SERVICE, minDurationNs: 1e6, startMs: NOW - 3_600_500, endMs: NOW + 1, limit: 20 })
    expect(Object.fromEntries(fake.calls[0]!.params)).toEqual({
      q: `{ resource.service.name = "${SERVICE}" && duration >= 1ms }`,
      start: String(Math.floor((NOW - 3_600_500) / 1000)),
      end: String(Math.ceil((NOW + 1) / 1000)),
      limit: '20',
    })
    const full = summaries.find((s) => s.traceId === TRACE_ID)
    expect(full).toMatchObject({ rootService: SERVICE, rootOperation: 'GET /fixture-shop/checkout', spanCount: 7, errorCount: 1, serviceCount: 3 })
    expect(full?.matchedSpanIds?.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true)
    expect(full?.durationNs).toBeGreaterThan(0)
    // Tempo strips the leading zeros of a 64-bit id: the summary has it padded again.
    expect(summaries.map((s) => s.traceId)).toContain(SHORT_ID)
    expect(summaries).toEqual([...summaries].sort((a, b) => (a.startTimeNs > b.startTimeNs ? -1 : a.startTimeNs < b.startTimeNs ? 1 : 0)))
  })

  it('sends a TraceQL query as written', async () => {
    const { fake, backend } = tempo(routes)
    await backend.searchTraces({ traceQL: '{ status = error } | count() > 1', service: 'ignored' })
    expect(fake.calls[0]!.params.get('q')).toBe('{ status = error } | count() > 1')
  })

  it('uses the legacy tags search when configured', async () => {
    const { fake, backend } = tempo([['/api/search', recorded('tempo', 'search-tags')]], { tempoSearch: 'tags' })
    const summaries = await backend.searchTraces({ service: SERVICE, tags: [{ key: 'http.route', value: '/x y' }], minDurationNs: 1e6, maxDurationNs: 2e9 })
    expect(Object.fromEntries(fake.calls[0]!.params)).toMatchObject({
      tags: `service.name=${SERVICE} http.route="/x y"`,
      minDuration: '1ms',
      maxDuration: '2000ms',
    })
    expect(summaries.map((s) => s.traceId)).toContain(TRACE_ID)
    // Without TraceQL there are no service stats: counts stay unknown.
    expect(summaries.find((s) => s.traceId === TRACE_ID)?.spanCount).toBeUndefined()
  })

  it('reads an empty search, and passes a TraceQL error on', async () => {
    expect(await tempo([['/api/search', recorded('tempo', 'search-empty')]]).backend.searchTraces({ service: 'x' })).toEqual([])
    const error = await backendFailure(tempo([['/api/search', recorded('tempo', 'search-bad-traceql')]]).backend.searchTraces({ traceQL: '{ bad' }))
    expect(error.kind).toBe('bad-request')
    expect(error.message).toContain('invalid TraceQL query')
  })

  it('refuses a search answer of the wrong shape', async () => {
    expect((await backendFailure(tempo([['/api/search', json({ traces: [{ rootServiceName: 'x' }] })]]).backend.searchTraces({}))).kind).toBe('bad-payload')
    expect((await backendFailure(tempo([['/api/search', json({ traces: 5 })]]).backend.searchTraces({}))).kind).toBe('bad-payload')
  })

  it('fetches a trace from /api/v2/traces; the bytes import exactly like the same answer dropped as a file', async () => {
    const { fake, backend } = tempo(routes)
    const payload = await backend.getTrace(TRACE_ID)
    expect(fake.paths()).toEqual([`/api/v2/traces/${TRACE_ID}`])
    expect(fake.calls[0]!.headers.get('accept')).toBe('application/json')
    const imported = await importTracePayload(payload)
    expect(imported).toEqual(await importBytes(recordedBytes('tempo', 'trace-v2'), defaultImporters))
    expect(imported.format).toBe('tempo-json')
    expect(imported.spans).toHaveLength(7)
  })

  it('fetches protobuf when configured, and it imports to the same spans as JSON', async () => {
    const { fake, backend } = tempo(routes, { tempoProtobuf: true })
    const payload = await backend.getTrace(TRACE_ID)
    expect(fake.calls[0]!.headers.get('accept')).toBe('application/protobuf')
    expect(payload.fileName).toBe(`tempo-${TRACE_ID}.pb`)
    const fromProtobuf = await importTracePayload(payload)
    expect(fromProtobuf.format).toBe('otlp-protobuf')
    const fromJson = await importTracePayload(await tempo(routes).backend.getTrace(TRACE_ID))
    const key = (spans: typeof fromJson.spans) =>
      spans.map((span) => `${span.spanId} ${span.parentSpanId ?? ''} ${span.name} ${String(span.startTimeNs)} ${span.durationNs} ${span.statusCode}`).sort()
    expect(key(fromProtobuf.spans)).toEqual(key(fromJson.spans))
  })

  it('reads the empty 200 answer of v2 for an unknown id as not-found, in JSON and protobuf', async () => {
    for (const tempoProtobuf of [false, true]) {
      const { fake, backend } = tempo(routes, { tempoProtobuf })
      const error = await backendFailure(backend.getTrace('abc'))
      expect(error.kind).toBe('not-found')
      expect(error.message).toContain(`has no trace ${MISSING}`)
      expect(fake.paths()).toEqual([`/api/v2/traces/${MISSING}`])
    }
  })

  it('falls back to /api/traces on a Tempo without v2, and remembers it', async () => {
    const { fake, backend } = tempo(oldTempo)
    const payload = await backend.getTrace(TRACE_ID)
    expect(fake.paths()).toEqual([`/api/v2/traces/${TRACE_ID}`, `/api/traces/${TRACE_ID}`])
    expect((await importTracePayload(payload)).spans).toHaveLength(7)
    const error = await backendFailure(backend.getTrace(MISSING))
    expect(error.kind).toBe('not-found')
    expect(fake.paths().slice(2)).toEqual([`/api/traces/${MISSING}`])
  })

  it('passes a 400 of the server on', async () => {
    const { backend } = tempo([[/^\/api\/v2\/traces\//, recorded('tempo', 'trace-bad-id')]])
    const error = await backendFailure(backend.getTrace('1'))
    expect(error.kind).toBe('bad-request')
    expect(error.message).toContain('trace IDs can only contain hex characters')
  })

  it('lists tag names per scope, or one list on an older Tempo', async () => {
    const v2 = tempo(routes)
    const scopes = await v2.backend.tagNames({ scope: 'resource' })
    expect(scopes.find((scope) => scope.name === 'resource')?.tags).toContain('service.name')
    expect(v2.fake.calls[0]!.params.get('scope')).toBe('resource')
    await v2.backend.searchTagNames('span', '{ kind = server }')
    expect(Object.fromEntries(v2.fake.calls[1]!.params)).toEqual({ scope: 'span', q: '{ kind = server }' })
    const v1 = tempo(oldTempo)
    const [all] = await v1.backend.tagNames()
    expect(all?.name).toBe('all')
    expect(all?.tags).toContain('service.name')
  })

  it('lists typed tag values, mapping bare names to TraceQL identifiers, with v1 fallback', async () => {
    const { fake, backend } = tempo([
      [
        '/api/v2/search/tag/.http.route/values',
        json({
          tagValues: [
            { type: 'string', value: '/a' },
            { type: 'int', value: '200' },
          ],
        }),
      ],
    ])
    expect(await backend.tagValues('http.route', { q: '{}' })).toEqual([
      { type: 'string', value: '/a' },
      { type: 'int', value: '200' },
    ])
    expect(fake.calls[0]!.params.get('q')).toBe('{}')
    const v1 = tempo(oldTempo)
    expect(await v1.backend.tagValues('resource.service.name')).toContainEqual({ type: 'string', value: SERVICE })
    expect(v1.fake.paths()[1]).toBe('/api/search/tag/service.name/values')
  })

  it('cancels a trace fetch when the caller aborts', async () => {
    const { backend } = tempo([[/^\/api\/v2\/traces\//, hang()]])
    const controller = new AbortController()
    const pending = backendFailure(backend.getTrace(TRACE_ID, controller.signal))
    controller.abort()
    const error = await pending
    expect(error.kind).toBe('cancelled')
    expect(error.retryable).toBe(false)
  })

  it('refuses a trace larger than the configured limit', async () => {
    const fake = fakeFetch(routes)
    const backend = new TempoBackend(
      { id: 't', kind: 'tempo', name: 'Tempo (test)', baseUrl: 'http://tempo.test:3200' },
      { fetch: fake.fetch, maxResponseBytes: 1024 },
    )
    const error = await backendFailure(backend.getTrace(TRACE_ID))
    expect(error.kind).toBe('bad-payload')
    expect(error.message).toContain('larger than 1 KB')
  })

  it('has no dependency API', async () => {
    const { fake, backend } = tempo(routes)
    const error = await backendFailure(backend.getDependencies())
    expect(error.kind).toBe('unsupported')
    expect(error.message).toContain('metrics-generator')
    expect(fake.calls).toHaveLength(0)
    expect(backend.capabilities.dependencies).toBe(false)
  })
})
