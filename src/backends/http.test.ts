import { afterEach, describe, expect, it, vi } from 'vitest'
import type { BackendError } from './errors.ts'
import { anySignal, HttpClient } from './http.ts'
import { backendFailure, fakeFetch, hang, json, networkError, reply, streamOf } from './testing/fake-fetch.ts'
import type { BackendConfig, BackendKind } from './types.ts'

const config = (kind: BackendKind = 'jaeger', extra: Partial<BackendConfig> = {}): BackendConfig => ({
  id: 'b1',
  kind,
  name: `${kind} test`,
  baseUrl: 'http://backend.test:16686/base/',
  ...extra,
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('HttpClient URLs and headers', () => {
  it('joins base path and path, drops empty parameters and encodes the rest', () => {
    const http = new HttpClient(config())
    const url = http.url('/api/search', [
      ['q', '{ .a = "b c" && x = 1 }'],
      ['none', undefined],
      ['empty', ''],
      ['limit', 20],
    ])
    expect(url).toBe('http://backend.test:16686/base/api/search?q=%7B+.a+%3D+%22b+c%22+%26%26+x+%3D+1+%7D&limit=20')
    expect(new URL(url).searchParams.get('q')).toBe('{ .a = "b c" && x = 1 }')
  })

  it('keeps a relative base URL (the app proxy) relative', () => {
    expect(new HttpClient(config('tempo', { baseUrl: '/backends/tempo' })).url('/api/echo')).toBe('/backends/tempo/api/echo')
  })

  it('sends Accept, the protocol headers and the configured headers, without credentials', async () => {
    const fake = fakeFetch([['/base/api/x', json({})]])
    let init: RequestInit | undefined
    const fetch = (input: string, options?: RequestInit) => {
      init = options
      return fake.fetch(input, options)
    }
    const http = new HttpClient(config('tempo', { headers: { Authorization: 'Bearer t' } }), { fetch }, { 'X-Scope-OrgID': 'team-a' })
    await http.get({ path: '/api/x', what: 'test' })
    const headers = fake.calls[0]?.headers
    expect(headers?.get('accept')).toBe('application/json')
    expect(headers?.get('authorization')).toBe('Bearer t')
    expect(headers?.get('x-scope-orgid')).toBe('team-a')
    expect(init?.credentials).toBe('omit')
    expect(init?.method).toBe('GET')
  })
})

describe('HttpClient failures', () => {
  it('times out a request that never answers, as a retryable error naming the limit', async () => {
    vi.useFakeTimers()
    const fake = fakeFetch([['/base/api/slow', hang()]])
    const http = new HttpClient(config(), { fetch: fake.fetch, timeoutMs: 5000 })
    const pending = backendFailure(http.get({ path: '/api/slow', what: 'list services' }))
    await vi.advanceTimersByTimeAsync(5001)
    const error = await pending
    expect(error.kind).toBe('timeout')
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('within 5 s')
    expect(error.message).toContain('list services')
  })

  it('reports cancellation by the caller as cancelled, not timeout, and not retryable', async () => {
    const fake = fakeFetch([['/base/api/slow', hang()]])
    const http = new HttpClient(config(), { fetch: fake.fetch })
    const controller = new AbortController()
    const pending = backendFailure(http.get({ path: '/api/slow', what: 'search traces', signal: controller.signal }))
    controller.abort()
    const error = await pending
    expect(error.kind).toBe('cancelled')
    expect(error.retryable).toBe(false)
  })

  it('does not call fetch when the signal is already aborted', async () => {
    const fake = fakeFetch([])
    const http = new HttpClient(config(), { fetch: fake.fetch })
    const error = await backendFailure(http.get({ path: '/api/x', what: 'x', signal: AbortSignal.abort() }))
    expect(error.kind).toBe('cancelled')
    expect(fake.calls).toHaveLength(0)
  })

  it('names the cause when nothing answers (Node)', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:16686'), { code: 'ECONNREFUSED' })
    const http = new HttpClient(config(), { fetch: () => Promise.reject(new TypeError('fetch failed', { cause })) })
    const error = await backendFailure(http.get({ path: '/api/services', what: 'list services' }))
    expect(error.kind).toBe('unreachable')
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.message).toContain('http://backend.test:16686/base/api/services')
  })

  it('in a browser, explains a failed cross-origin request as CORS or unreachable, with the fix per backend', async () => {
    vi.stubGlobal('location', { href: 'http://127.0.0.1:5173/', origin: 'http://127.0.0.1:5173' })
    const fake = fakeFetch([[() => true, networkError()]])
    const jaeger = await backendFailure(new HttpClient(config('jaeger'), { fetch: fake.fetch }).get({ path: '/api/v3/services', what: 'list services' }))
    expect(jaeger.kind).toBe('cors')
    expect(jaeger.message).toContain('sent no CORS headers or is not reachable')
    expect(jaeger.message).toContain('jaeger_query')
    expect(jaeger.message).toContain('SPANGLASS_BACKENDS=name=url')
    expect(jaeger.message).toContain('/backends/name/')
    const tempo = await backendFailure(
      new HttpClient(config('tempo', { headers: { Authorization: 'x' } }), { fetch: fake.fetch }).get({ path: '/api/echo', what: 'reach the server' }),
    )
    expect(tempo.message).toContain('behind a proxy')
    expect(tempo.message).toContain('preflight')
  })

  it('in a browser, a failed request to its own origin (the proxy) is unreachable, not CORS', async () => {
    vi.stubGlobal('location', { href: 'http://127.0.0.1:5173/app', origin: 'http://127.0.0.1:5173' })
    const fake = fakeFetch([[() => true, networkError()]])
    const error = await backendFailure(
      new HttpClient(config('tempo', { baseUrl: '/backends/tempo' }), { fetch: fake.fetch }).get({ path: '/api/echo', what: 'x' }),
    )
    expect(error.kind).toBe('unreachable')
  })

  const statusCases: Array<[number, BackendError['kind'], boolean]> = [
    [400, 'bad-request', false],
    [401, 'unauthorized', false],
    [403, 'forbidden', false],
    [404, 'not-found', false],
    [408, 'timeout', true],
    [429, 'server', true],
    [500, 'server', true],
    [501, 'unsupported', false],
    [502, 'unreachable', true],
    [503, 'server', true],
    [504, 'unreachable', true],
  ]
  it.each(statusCases)('classifies HTTP %i as %s (retryable: %s)', async (status, kind, retryable) => {
    const fake = fakeFetch([['/base/api/x', reply(status, 'boom')]])
    const error = await backendFailure(new HttpClient(config(), { fetch: fake.fetch }).get({ path: '/api/x', what: 'do x' }))
    expect(error.kind).toBe(kind)
    expect(error.status).toBe(status)
    expect(error.retryable).toBe(retryable)
    expect(error.message).toContain(`answered ${status}`)
    expect(error.message).toContain('boom')
  })

  it('quotes the message of Jaeger error envelopes (api_v3 and internal API)', async () => {
    const fake = fakeFetch([
      ['/base/api/v3', json({ error: { httpCode: 500, message: 'storage is down' } }, 500)],
      ['/base/api/v1', json({ data: null, errors: [{ code: 400, msg: "parameter 'service' is required" }] }, 400)],
    ])
    const http = new HttpClient(config(), { fetch: fake.fetch })
    expect((await backendFailure(http.get({ path: '/api/v3', what: 'x' }))).message).toContain('(storage is down)')
    expect((await backendFailure(http.get({ path: '/api/v1', what: 'x' }))).message).toContain("(parameter 'service' is required)")
  })

  it('asks for credentials on 401 and names the tenant header on 403', async () => {
    const fake = fakeFetch([
      ['/base/api/401', reply(401, '')],
      ['/base/api/403', reply(403, 'no')],
    ])
    const tempo = new HttpClient(config('tempo'), { fetch: fake.fetch })
    expect((await backendFailure(tempo.get({ path: '/api/401', what: 'x' }))).message).toContain('Authorization header')
    expect((await backendFailure(tempo.get({ path: '/api/403', what: 'x' }))).message).toContain('X-Scope-OrgID')
  })

  it('refuses an HTML page where the API should answer', async () => {
    const fake = fakeFetch([['/base/api/x', reply(200, '<!DOCTYPE html><html></html>', 'text/html; charset=utf-8')]])
    const error = await backendFailure(new HttpClient(config(), { fetch: fake.fetch }).get({ path: '/api/x', what: 'list services' }))
    expect(error.kind).toBe('bad-payload')
    expect(error.message).toContain('web page (HTML)')
  })

  it('refuses bodies larger than the limit, announced or streamed', async () => {
    const announced = fakeFetch([['/base/api/big', reply(200, '[]', 'application/json', { 'content-length': '5000' })]])
    const big = await backendFailure(
      new HttpClient(config(), { fetch: announced.fetch, maxResponseBytes: 1000 }).get({ path: '/api/big', what: 'fetch trace 1' }),
    )
    expect(big.kind).toBe('bad-payload')
    expect(big.message).toContain('larger than 1000 bytes')

    const streamed = fakeFetch([['/base/api/big', streamOf(10, 300)]])
    const error = await backendFailure(new HttpClient(config(), { fetch: streamed.fetch, maxResponseBytes: 1000 }).get({ path: '/api/big', what: 'x' }))
    expect(error.kind).toBe('bad-payload')
    expect(error.retryable).toBe(false)
  })

  it('reads a large error body only as far as its message needs', async () => {
    const fake = fakeFetch([['/base/api/x', reply(500, 'e'.repeat(200_000), 'text/plain')]])
    const error = await backendFailure(new HttpClient(config(), { fetch: fake.fetch }).get({ path: '/api/x', what: 'x' }))
    expect(error.kind).toBe('server')
    expect(error.message.length).toBeLessThan(1000)
  })

  it('reports JSON that does not parse as bad-payload', async () => {
    const fake = fakeFetch([['/base/api/x', reply(200, '{"services": [')]])
    const error = await backendFailure(new HttpClient(config(), { fetch: fake.fetch }).getJson({ path: '/api/x', what: 'list services' }))
    expect(error.kind).toBe('bad-payload')
    expect(error.message).toContain('not JSON')
  })
})

describe('anySignal', () => {
  it('aborts when any input aborts, with and without AbortSignal.any', () => {
    for (const useNative of [true, false]) {
      const original = (AbortSignal as { any?: unknown }).any
      if (!useNative) Object.defineProperty(AbortSignal, 'any', { value: undefined, configurable: true, writable: true })
      try {
        const a = new AbortController()
        const b = new AbortController()
        const combined = anySignal([a.signal, b.signal])
        expect(combined.signal.aborted).toBe(false)
        b.abort('why')
        expect(combined.signal.aborted).toBe(true)
        expect(combined.signal.reason).toBe('why')
        combined.dispose()
        expect(anySignal([AbortSignal.abort('early')]).signal.aborted).toBe(true)
      } finally {
        Object.defineProperty(AbortSignal, 'any', { value: original, configurable: true, writable: true })
      }
    }
  })
})
