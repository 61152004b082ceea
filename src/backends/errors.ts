import type { BackendKind } from './types.ts'

export type BackendErrorKind =
  /** No answer: connection refused, DNS, a proxy that could not reach the backend (502/504). */
  | 'unreachable'
  /** A browser refused to show the answer (or to send the request): no CORS headers. Looks like 'unreachable' to the page. */
  | 'cors'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'timeout'
  /** 5xx and 429: the backend failed; worth retrying. */
  | 'server'
  /** The answer is not what the API promises (HTML, bad JSON, too large, no importer accepts it). */
  | 'bad-payload'
  | 'cancelled'
  /** 400: the backend rejected the query (bad TraceQL, bad id, max < min duration). */
  | 'bad-request'
  /** This backend (or its version) has no such API. */
  | 'unsupported'

/**
 * Every failure of a backend call. `message` is shown as is: it says what failed, where, and
 * what to do about it.
 */
export class BackendError extends Error {
  readonly kind: BackendErrorKind
  readonly status?: number
  readonly url?: string

  constructor(kind: BackendErrorKind, message: string, details: { status?: number; url?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'BackendError'
    this.kind = kind
    this.status = details.status
    this.url = details.url
  }

  /** Transient failures: a later attempt may succeed. */
  get retryable(): boolean {
    return isRetryableKind(this.kind)
  }
}

export function isRetryableKind(kind: BackendErrorKind): boolean {
  return kind === 'server' || kind === 'unreachable' || kind === 'timeout'
}

export function isBackendError(error: unknown): error is BackendError {
  return error instanceof BackendError
}

/** True for transient failures (5xx, network, timeout); never for cancellation or 4xx. */
export function isRetryableError(error: unknown): boolean {
  return error instanceof BackendError && error.retryable
}

/** What to do when the page cannot reach a backend: per backend, since each enables CORS differently. */
export function corsHelp(kind: BackendKind, hasCustomHeaders: boolean): string {
  const how: Record<BackendKind, string> = {
    jaeger: 'Jaeger v2: extensions.jaeger_query.http.cors.allowed_origins; Jaeger v1: --query.additional-headers "Access-Control-Allow-Origin: *"',
    zipkin: "Zipkin allows every origin unless ZIPKIN_QUERY_ALLOWED_ORIGINS restricts it: add this page's origin",
    tempo: "Tempo's query API has no CORS support: put it behind a proxy that adds the headers",
  }
  const headers = hasCustomHeaders
    ? ' The configured headers (Authorization, X-Scope-OrgID, …) make the browser ask first (a CORS preflight), which the backend must also allow.'
    : ''
  return `Enable CORS on it (${how[kind]}) or start Spanglass with SPANGLASS_BACKENDS=name=url so that it proxies /backends/name/ to the backend.` + headers
}
