import { queryOptions } from '@tanstack/react-query'
import { isRetryableError } from './errors.ts'
import { parseTraceIdInput } from './trace-id.ts'
import type { DependencyQuery, SpanKindName, TraceBackend, TraceSearchQuery } from './types.ts'

/**
 * One `queryOptions()` factory per backend query (style.md "Backends"). Every variable of a
 * request is in its key, starting with the backend's `cacheKey` (kind, base URL, tenant,
 * hashed headers), so two backends or two settings of one never share answers. The `signal`
 * react-query passes reaches `fetch`; each request also has its own timeout (http.ts).
 */

export const MAX_RETRIES = 3

/** Retries transient failures only (5xx, network, timeout), at most `MAX_RETRIES` times. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < MAX_RETRIES && isRetryableError(error)
}

/** 1 s, 2 s, 4 s … capped at 30 s. */
export function retryDelay(attempt: number): number {
  return Math.min(1000 * 2 ** attempt, 30_000)
}

const common = { retry: shouldRetry, retryDelay } as const

/** The trace id as keyed: normalised when it parses (so "abc" and "0…0abc" share a cache entry). */
function traceKeyId(traceId: string): string {
  try {
    return parseTraceIdInput(traceId)
  } catch {
    return traceId.trim()
  }
}

export const backendKeys = {
  all: ['spanglass-backend'] as const,
  backend: (backend: TraceBackend) => [...backendKeys.all, backend.cacheKey] as const,
  connection: (backend: TraceBackend) => [...backendKeys.backend(backend), 'connection'] as const,
  services: (backend: TraceBackend) => [...backendKeys.backend(backend), 'services'] as const,
  operations: (backend: TraceBackend, service: string, spanKind: SpanKindName | undefined) =>
    [...backendKeys.backend(backend), 'operations', service, spanKind ?? null] as const,
  search: (backend: TraceBackend, query: TraceSearchQuery) => [...backendKeys.backend(backend), 'search', query] as const,
  trace: (backend: TraceBackend, traceId: string) => [...backendKeys.backend(backend), 'trace', traceKeyId(traceId)] as const,
  dependencies: (backend: TraceBackend, query: DependencyQuery) =>
    [...backendKeys.backend(backend), 'dependencies', query.endTs ?? null, query.lookbackMs ?? null] as const,
  tagNames: (backend: TraceBackend, scope: string | undefined, q: string | undefined) =>
    [...backendKeys.backend(backend), 'tag-names', scope ?? null, q ?? null] as const,
  tagValues: (backend: TraceBackend, tag: string, q: string | undefined) => [...backendKeys.backend(backend), 'tag-values', tag, q ?? null] as const,
}

export function connectionQueryOptions(backend: TraceBackend) {
  return queryOptions({
    queryKey: backendKeys.connection(backend),
    queryFn: ({ signal }) => backend.checkConnection(signal),
    // checkConnection reports failures as data; there is nothing to retry.
    retry: false,
    staleTime: 30_000,
  })
}

export function servicesQueryOptions(backend: TraceBackend) {
  return queryOptions({
    queryKey: backendKeys.services(backend),
    queryFn: ({ signal }) => backend.listServices(signal),
    staleTime: 60_000,
    ...common,
  })
}

export function operationsQueryOptions(backend: TraceBackend, service: string, spanKind?: SpanKindName) {
  return queryOptions({
    queryKey: backendKeys.operations(backend, service, spanKind),
    queryFn: ({ signal }) => backend.listOperations(service, signal, spanKind ? { spanKind } : {}),
    enabled: service !== '' && backend.capabilities.operations,
    staleTime: 60_000,
    ...common,
  })
}

/**
 * A search. Pin `startMs`/`endMs` when the user submits: a window relative to "now" would
 * make the same key mean different answers.
 */
export function searchQueryOptions(backend: TraceBackend, query: TraceSearchQuery) {
  return queryOptions({
    queryKey: backendKeys.search(backend, query),
    queryFn: ({ signal }) => backend.searchTraces(query, signal),
    staleTime: Infinity,
    structuralSharing: false,
    ...common,
  })
}

/**
 * A trace's raw payload (bytes as the backend sent them), to be imported like a dropped file.
 * Traces never change once complete, and payloads can be hundreds of MB: no staleness, no
 * structural sharing.
 */
export function traceQueryOptions(backend: TraceBackend, traceId: string) {
  return queryOptions({
    queryKey: backendKeys.trace(backend, traceId),
    queryFn: ({ signal }) => backend.getTrace(traceId, signal),
    staleTime: Infinity,
    structuralSharing: false,
    ...common,
  })
}

export function dependenciesQueryOptions(backend: TraceBackend, query: DependencyQuery) {
  return queryOptions({
    queryKey: backendKeys.dependencies(backend, query),
    queryFn: ({ signal }) => backend.getDependencies(query, signal),
    enabled: backend.capabilities.dependencies,
    staleTime: 60_000,
    ...common,
  })
}

export function tagNamesQueryOptions(backend: TraceBackend, options: { readonly scope?: string; readonly q?: string } = {}) {
  return queryOptions({
    queryKey: backendKeys.tagNames(backend, options.scope, options.q),
    queryFn: ({ signal }) => backend.tagNames(options, signal),
    enabled: backend.capabilities.tagAutocomplete,
    staleTime: 60_000,
    ...common,
  })
}

export function tagValuesQueryOptions(backend: TraceBackend, tag: string, options: { readonly q?: string } = {}) {
  return queryOptions({
    queryKey: backendKeys.tagValues(backend, tag, options.q),
    queryFn: ({ signal }) => backend.tagValues(tag, options, signal),
    enabled: tag !== '' && backend.capabilities.tagAutocomplete,
    staleTime: 60_000,
    ...common,
  })
}
