import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createBackend } from './create-backend.ts'
import { BackendError } from './errors.ts'
import { importTracePayload } from './summarize.ts'
import { encodeBase64, hexToBytes } from '../importers/ids.ts'
import type { TraceBackend, TraceSummary } from './types.ts'
import { ZipkinBackend } from './zipkin.ts'

/**
 * Contract tests against the real servers of `scripts/backends.sh start` (Jaeger v2, Zipkin,
 * Tempo on 127.0.0.1). They run only with SPANGLASS_BACKENDS_LIVE=1; the URLs follow
 * `scripts/backends.sh env`. Each test seeds its own trace under a fresh service name with
 * scripts/backends/seed.mjs, then reads it back through the client the app uses.
 *
 *   bash scripts/backends.sh start && SPANGLASS_BACKENDS_LIVE=1 npx vitest run src/backends/contract.test.ts
 */

const LIVE = process.env.SPANGLASS_BACKENDS_LIVE === '1'
const env = process.env
const JAEGER = env.SPANGLASS_JAEGER_URL ?? 'http://127.0.0.1:16686'
const JAEGER_OTLP = env.SPANGLASS_JAEGER_OTLP_URL ?? 'http://127.0.0.1:14318'
const ZIPKIN = env.SPANGLASS_ZIPKIN_URL ?? 'http://127.0.0.1:9411'
const TEMPO = env.SPANGLASS_TEMPO_URL ?? 'http://127.0.0.1:3200'
const TEMPO_OTLP = env.SPANGLASS_TEMPO_OTLP_URL ?? 'http://127.0.0.1:24318'
const SEED = fileURLToPath(new URL('../../scripts/backends/seed.mjs', import.meta.url))
const SPANS = 9
const TIMEOUT = 90_000

function seed(args: string[]): string {
  return execFileSync(process.execPath, [SEED, '--spans', String(SPANS), ...args], { encoding: 'utf8', timeout: 30_000 }).trim()
}

function uniqueService(kind: string): string {
  return `sgcontract-${kind}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`
}

/** Polls until `check` holds: backends index asynchronously (Tempo's search in particular). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      last = await read()
      if (check(last)) return last
    } catch (error) {
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(
    `timed out waiting for ${what}; last answer: ${lastError instanceof Error ? lastError.message : JSON.stringify(last, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
  )
}

function window() {
  const now = Date.now()
  return { startMs: now - 3_600_000, endMs: now + 60_000 }
}

async function searchFinds(backend: TraceBackend, service: string, traceId: string): Promise<TraceSummary> {
  const hits = await eventually(
    () => backend.searchTraces({ service, ...window(), limit: 20 }),
    (summaries) => summaries.some((summary) => summary.traceId === traceId),
    `a search for service ${service} to find ${traceId}`,
  )
  return hits.find((summary) => summary.traceId === traceId) as TraceSummary
}

async function notFound(backend: TraceBackend): Promise<void> {
  const error = await backend.getTrace('00000000000000000000000000000abc').then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(BackendError)
  expect((error as BackendError).kind).toBe('not-found')
  expect((error as BackendError).message).toContain('00000000000000000000000000000abc')
}

describe.skipIf(!LIVE)('live Jaeger', () => {
  const backend = createBackend({ id: 'jaeger', kind: 'jaeger', name: 'Jaeger (live)', baseUrl: JAEGER })

  it(
    'serves a seeded trace through services, operations, search, trace by id and dependencies',
    async () => {
      const service = uniqueService('jaeger')
      const traceId = seed(['--endpoint', JAEGER_OTLP, '--service', service])
      expect((await backend.checkConnection()).ok).toBe(true)
      expect(
        await eventually(
          () => backend.listServices(),
          (s) => s.includes(service),
          `service ${service}`,
        ),
      ).toContain(service)
      const operations = await backend.listOperations(service)
      expect(operations).toContainEqual({ name: `GET /${service}/checkout`, spanKind: 'server' })
      expect(await backend.listOperations(service, undefined, { spanKind: 'server' })).toEqual([{ name: `GET /${service}/checkout`, spanKind: 'server' }])

      const summary = await searchFinds(backend, service, traceId)
      expect(summary).toMatchObject({ rootService: service, rootOperation: `GET /${service}/checkout`, spanCount: SPANS, errorCount: 1, serviceCount: 3 })
      const filtered = await backend.searchTraces({ service, tags: [{ key: 'http.response.status_code', value: '500' }], minDurationNs: 1e6, ...window() })
      expect(filtered.map((s) => s.traceId)).toContain(traceId)
      expect(await backend.searchTraces({ service, tags: [{ key: 'no.such.tag', value: 'x' }], ...window() })).toEqual([])
      expect(await backend.searchTraces({ service: `${service}-nothing`, ...window() })).toEqual([])

      const payload = await backend.getTrace(traceId)
      expect((await importTracePayload(payload)).spans).toHaveLength(SPANS)
      const byBase64 = await backend.getTrace(encodeBase64(hexToBytes(traceId) as Uint8Array))
      expect(byBase64.bytes).toEqual(payload.bytes)
      await notFound(backend)

      const links = await eventually(
        () => backend.getDependencies({ endTs: Date.now() + 60_000, lookbackMs: 3_600_000 }),
        (list) => list.some((link) => link.parent === service && link.child === `${service}-api`),
        'a dependency link from the seeded service',
      )
      expect(links.length).toBeGreaterThan(0)
    },
    TIMEOUT,
  )
})

describe.skipIf(!LIVE)('live Zipkin', () => {
  const backend = new ZipkinBackend({ id: 'zipkin', kind: 'zipkin', name: 'Zipkin (live)', baseUrl: ZIPKIN })

  it(
    'serves a seeded trace through services, span names, search, trace by id, traceMany and dependencies',
    async () => {
      const service = uniqueService('zipkin')
      const traceId = seed(['--format', 'zipkin', '--endpoint', ZIPKIN, '--service', service])
      const second = seed(['--format', 'zipkin', '--endpoint', ZIPKIN, '--service', service, '--trace-id', traceId.slice(0, 16)])
      const connection = await backend.checkConnection()
      expect(connection.ok).toBe(true)
      expect(connection.version).toMatch(/^\d+\.\d+/)
      await eventually(
        () => backend.listServices(),
        (s) => s.includes(service),
        `service ${service}`,
      )
      expect(await backend.listOperations(service)).toContainEqual({ name: `get /${service}/checkout` })
      expect(await backend.remoteServices(service)).toContain(`${service}-api`)

      const summary = await searchFinds(backend, service, traceId)
      expect(summary).toMatchObject({ rootService: service, spanCount: SPANS, errorCount: 1, serviceCount: 3 })
      const filtered = await backend.searchTraces({ service, tags: [{ key: 'http.route', value: `/${service}/checkout` }], minDurationNs: 1e6, ...window() })
      expect(filtered.map((s) => s.traceId)).toContain(traceId)

      expect((await importTracePayload(await backend.getTrace(traceId))).spans).toHaveLength(SPANS)
      // A 64-bit trace, asked for by its 16 digits.
      const short = await importTracePayload(await backend.getTrace(second))
      expect(short.spans).toHaveLength(SPANS)
      const many = await importTracePayload(await backend.traceMany([traceId, second]))
      expect(many.spans).toHaveLength(2 * SPANS)
      await notFound(backend)

      const links = await eventually(
        () => backend.getDependencies({ endTs: Date.now() + 60_000, lookbackMs: 3_600_000 }),
        (list) => list.some((link) => link.parent === service && link.child === `${service}-api`),
        'a dependency link from the seeded service',
      )
      expect(links.find((link) => link.parent === service)?.callCount).toBeGreaterThan(0)
    },
    TIMEOUT,
  )
})

describe.skipIf(!LIVE)('live Tempo', () => {
  const backend = createBackend({ id: 'tempo', kind: 'tempo', name: 'Tempo (live)', baseUrl: TEMPO })

  it(
    'serves a seeded trace through services, operations, TraceQL and tag search, trace by id (JSON and protobuf) and tags',
    async () => {
      const service = uniqueService('tempo')
      const traceId = seed(['--endpoint', TEMPO_OTLP, '--service', service])
      const connection = await backend.checkConnection()
      expect(connection.ok).toBe(true)
      expect(connection.version).toBeTruthy()
      await eventually(
        () => backend.listServices(),
        (s) => s.includes(service),
        `service ${service}`,
      )
      expect(await backend.listOperations(service)).toContainEqual({ name: `GET /${service}/checkout` })
      expect(await backend.listOperations(service, undefined, { spanKind: 'server' })).toEqual([{ name: `GET /${service}/checkout`, spanKind: 'server' }])

      const summary = await searchFinds(backend, service, traceId)
      expect(summary).toMatchObject({ rootService: service, rootOperation: `GET /${service}/checkout`, spanCount: SPANS, errorCount: 1, serviceCount: 3 })
      const filtered = await backend.searchTraces({
        service,
        spanKind: 'server',
        tags: [{ key: 'http.response.status_code', value: '200' }],
        minDurationNs: 1e6,
        ...window(),
      })
      expect(filtered.map((s) => s.traceId)).toContain(traceId)
      const errors = await backend.searchTraces({ traceQL: `{ resource.service.name =~ "${service}.*" && status = error }`, ...window() })
      expect(errors.map((s) => s.traceId)).toEqual([traceId])
      const legacy = createBackend({ id: 'tempo-tags', kind: 'tempo', name: 'Tempo (tags)', baseUrl: TEMPO, tempoSearch: 'tags' })
      expect((await legacy.searchTraces({ service, minDurationNs: 1e6, ...window() })).map((s) => s.traceId)).toContain(traceId)

      expect((await importTracePayload(await backend.getTrace(traceId))).spans).toHaveLength(SPANS)
      const protobuf = createBackend({ id: 'tempo-pb', kind: 'tempo', name: 'Tempo (protobuf)', baseUrl: TEMPO, tempoProtobuf: true })
      const fromProtobuf = await importTracePayload(await protobuf.getTrace(traceId))
      expect(fromProtobuf.format).toBe('otlp-protobuf')
      expect(fromProtobuf.spans).toHaveLength(SPANS)
      await notFound(backend)
      await notFound(protobuf)

      const scopes = await backend.tagNames()
      expect(scopes.find((scope) => scope.name === 'resource')?.tags).toContain('service.name')
      expect((await backend.tagValues('resource.service.name')).map((v) => v.value)).toContain(service)
      expect((await backend.getDependencies({}).catch((e: unknown) => e)) as BackendError).toMatchObject({ kind: 'unsupported' })
    },
    TIMEOUT,
  )
})
