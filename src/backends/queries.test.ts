import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { createBackend } from './create-backend.ts'
import { BackendError } from './errors.ts'
import {
  backendKeys,
  dependenciesQueryOptions,
  MAX_RETRIES,
  operationsQueryOptions,
  retryDelay,
  searchQueryOptions,
  servicesQueryOptions,
  shouldRetry,
  tagValuesQueryOptions,
  traceQueryOptions,
} from './queries.ts'
import { fakeFetch, json, reply } from './testing/fake-fetch.ts'
import type { Responder } from './testing/fake-fetch.ts'
import type { BackendConfig } from './types.ts'

const jaegerConfig: BackendConfig = { id: 'j', kind: 'jaeger', name: 'Jaeger', baseUrl: 'http://jaeger.test:16686' }

/** Answers with each responder in turn, then repeats the last. */
function sequence(...responders: Responder[]): Responder {
  let call = 0
  return (url, init) => (responders[Math.min(call++, responders.length - 1)] as Responder)(url, init)
}

describe('query keys', () => {
  it('hold the backend identity and every variable', () => {
    const a = createBackend(jaegerConfig)
    const b = createBackend({ ...jaegerConfig, baseUrl: 'http://other:16686' })
    const tenant = createBackend({ ...jaegerConfig, orgId: 't1' })
    const token = createBackend({ ...jaegerConfig, headers: { Authorization: 'Bearer x' } })
    const keys = new Set([a, b, tenant, token].map((backend) => JSON.stringify(servicesQueryOptions(backend).queryKey)))
    expect(keys.size).toBe(4)
    // Header values are not exposed in keys.
    expect(JSON.stringify(servicesQueryOptions(token).queryKey)).not.toContain('Bearer')

    expect(operationsQueryOptions(a, 'api', 'server').queryKey).toEqual([...backendKeys.backend(a), 'operations', 'api', 'server'])
    const query = { service: 'api', tags: [{ key: 'error', value: 'true' }], startMs: 1, endMs: 2, limit: 5 }
    expect(searchQueryOptions(a, query).queryKey).toEqual([...backendKeys.backend(a), 'search', query])
    expect(dependenciesQueryOptions(a, { endTs: 10, lookbackMs: 20 }).queryKey).toEqual([...backendKeys.backend(a), 'dependencies', 10, 20])
    expect(tagValuesQueryOptions(a, 'http.method', { q: '{}' }).queryKey).toEqual([...backendKeys.backend(a), 'tag-values', 'http.method', '{}'])
  })

  it('key a trace by its normalised id, so short and padded ids share the cache', () => {
    const a = createBackend(jaegerConfig)
    expect(traceQueryOptions(a, 'ABC').queryKey).toEqual(traceQueryOptions(a, '00000000000000000000000000000abc').queryKey)
  })

  it('never go stale for traces and share no structure for large payloads', () => {
    const a = createBackend(jaegerConfig)
    expect(traceQueryOptions(a, 'abc').staleTime).toBe(Infinity)
    expect(traceQueryOptions(a, 'abc').structuralSharing).toBe(false)
    expect(searchQueryOptions(a, {}).structuralSharing).toBe(false)
  })

  it('stay disabled for what the backend cannot do', () => {
    const tempo = createBackend({ ...jaegerConfig, kind: 'tempo' })
    expect(dependenciesQueryOptions(tempo, {}).enabled).toBe(false)
    expect(operationsQueryOptions(tempo, '').enabled).toBe(false)
    expect(tagValuesQueryOptions(createBackend(jaegerConfig), 'x').enabled).toBe(false)
  })
})

describe('retry policy', () => {
  it('retries 5xx, network and timeout failures at most 3 times, never 4xx, bad payloads or cancellation', () => {
    for (const kind of ['server', 'unreachable', 'timeout'] as const) {
      expect(shouldRetry(0, new BackendError(kind, 'x'))).toBe(true)
      expect(shouldRetry(MAX_RETRIES - 1, new BackendError(kind, 'x'))).toBe(true)
      expect(shouldRetry(MAX_RETRIES, new BackendError(kind, 'x'))).toBe(false)
    }
    for (const kind of ['cors', 'unauthorized', 'forbidden', 'not-found', 'bad-payload', 'cancelled', 'bad-request', 'unsupported'] as const) {
      expect(shouldRetry(0, new BackendError(kind, 'x'))).toBe(false)
    }
    expect(shouldRetry(0, new Error('a bug'))).toBe(false)
  })

  it('backs off exponentially', () => {
    expect([0, 1, 2, 3, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 30000])
  })

  it('runs through a QueryClient: a 500 is retried until it succeeds, a 401 is not', async () => {
    const flaky = fakeFetch([['/api/v3/services', sequence(reply(500, '{"error":{"message":"db"}}'), reply(503, 'busy'), json({ services: ['b', 'a'] }))]])
    const client = new QueryClient()
    const backend = createBackend(jaegerConfig, { fetch: flaky.fetch })
    const services = await client.fetchQuery({ ...servicesQueryOptions(backend), retryDelay: 0 })
    expect(services).toEqual(['a', 'b'])
    expect(flaky.calls).toHaveLength(3)

    const denied = fakeFetch([['/api/v3/services', reply(401, 'no')]])
    const other = createBackend({ ...jaegerConfig, baseUrl: 'http://denied:16686' }, { fetch: denied.fetch })
    await expect(client.fetchQuery({ ...servicesQueryOptions(other), retryDelay: 0 })).rejects.toMatchObject({ kind: 'unauthorized' })
    expect(denied.calls).toHaveLength(1)

    const down = fakeFetch([['/api/v3/services', reply(500, 'down')]])
    const third = createBackend({ ...jaegerConfig, baseUrl: 'http://down:1' }, { fetch: down.fetch })
    await expect(client.fetchQuery({ ...servicesQueryOptions(third), retryDelay: 0 })).rejects.toMatchObject({ kind: 'server' })
    expect(down.calls).toHaveLength(1 + MAX_RETRIES)
  })

  it('passes the query signal to fetch, so cancelling the query aborts the request', async () => {
    const fake = fakeFetch([['/api/v3/services', json({ services: [] })]])
    const client = new QueryClient()
    await client.fetchQuery(servicesQueryOptions(createBackend(jaegerConfig, { fetch: fake.fetch })))
    const signal = fake.calls[0]?.signal
    expect(signal).toBeInstanceOf(AbortSignal)
  })
})
