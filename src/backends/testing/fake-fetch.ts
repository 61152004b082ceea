import { readFileSync } from 'node:fs'
import { BackendError } from '../errors.ts'
import type { FetchLike } from '../types.ts'

/**
 * A scripted `fetch` for the client tests: routes by path, records every call, serves answers
 * recorded from real servers (fixtures/backends/<backend>/manifest.json), and can hang until
 * aborted or fail like a dead network.
 */

export type Responder = (url: URL, init: RequestInit | undefined) => Response | Promise<Response>

export interface FetchCall {
  readonly url: string
  readonly path: string
  readonly params: URLSearchParams
  readonly headers: Headers
  readonly signal: AbortSignal | undefined
}

export interface FakeFetch {
  readonly fetch: FetchLike
  readonly calls: FetchCall[]
  /** Paths asked for, in order. */
  paths(): string[]
  /** The calls to one path. */
  to(path: string): FetchCall[]
}

type Matcher = string | RegExp | ((url: URL) => boolean)

/** Routes are tried in order; an unrouted path gets Go's plain-text 404, as a server without the route answers. */
export function fakeFetch(routes: ReadonlyArray<readonly [Matcher, Responder]>): FakeFetch {
  const calls: FetchCall[] = []
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input)
    calls.push({ url: input, path: url.pathname, params: url.searchParams, headers: new Headers(init?.headers), signal: init?.signal ?? undefined })
    if (init?.signal?.aborted) throw init.signal.reason
    for (const [matcher, responder] of routes) {
      const hit = typeof matcher === 'string' ? url.pathname === matcher : matcher instanceof RegExp ? matcher.test(url.pathname) : matcher(url)
      if (hit) return responder(url, init)
    }
    return new Response('404 page not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
  }
  return {
    fetch,
    calls,
    paths: () => calls.map((call) => call.path),
    to: (path) => calls.filter((call) => call.path === path),
  }
}

export function reply(status: number, body: string | Uint8Array, contentType = 'application/json', headers: Record<string, string> = {}): Responder {
  return () => new Response(status === 204 || status === 304 ? null : (body as BodyInit), { status, headers: { 'content-type': contentType, ...headers } })
}

export function json(body: unknown, status = 200): Responder {
  return reply(status, JSON.stringify(body))
}

/** Never answers; rejects with the abort reason when the request's signal fires. */
export function hang(): Responder {
  return (_url, init) =>
    new Promise<Response>((_resolve, reject) => {
      const signal = init?.signal
      if (!signal) return
      if (signal.aborted) reject(signal.reason)
      signal.addEventListener('abort', () => reject(signal.reason), { once: true })
    })
}

/** What `fetch` throws when nothing answers (in a browser also when CORS blocks the answer). */
export function networkError(message = 'Failed to fetch'): Responder {
  return () => Promise.reject(new TypeError(message))
}

/** Answers with a body that streams `chunks` of `chunkSize` bytes and announces no length. */
export function streamOf(chunks: number, chunkSize: number): Responder {
  return () => {
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= chunks) {
          controller.close()
          return
        }
        sent++
        controller.enqueue(new Uint8Array(chunkSize).fill(0x20))
      },
    })
    return new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } })
  }
}

// ---- recorded answers ------------------------------------------------------------------------

interface ManifestEntry {
  readonly request: string
  readonly accept?: string
  readonly status: number
  readonly contentType: string
  readonly file: string
}

const FIXTURES = new URL('../../../fixtures/backends/', import.meta.url)

export function manifest(backend: 'jaeger' | 'zipkin' | 'tempo'): Record<string, ManifestEntry> {
  return JSON.parse(readFileSync(new URL(`${backend}/manifest.json`, FIXTURES), 'utf8')) as Record<string, ManifestEntry>
}

export function recordedBytes(backend: 'jaeger' | 'zipkin' | 'tempo', name: string): Uint8Array {
  const entry = manifest(backend)[name]
  if (!entry) throw new Error(`no recorded answer "${name}" for ${backend}`)
  return new Uint8Array(readFileSync(new URL(`${backend}/${entry.file}`, FIXTURES)))
}

/** The recorded answer `name` (status, content type and body as the server sent them). */
export function recorded(backend: 'jaeger' | 'zipkin' | 'tempo', name: string): Responder {
  const entry = manifest(backend)[name]
  if (!entry) throw new Error(`no recorded answer "${name}" for ${backend}`)
  const bytes = recordedBytes(backend, name)
  return reply(entry.status, bytes, entry.contentType)
}

/** The BackendError `promise` rejects with; anything else (a resolve, another error) fails the test. */
export async function backendFailure(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof BackendError)) throw new Error(`expected a BackendError, got ${String(error)}`)
  return error
}
