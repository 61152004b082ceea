import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildTraces } from '../model/build-traces.ts'
import { materializeSpan } from '../model/lazy-span.ts'
import { dumpTrace } from '../model/dump.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type { SpanRecord } from '../model/span-record.ts'
import type { Trace } from '../model/trace.ts'
import { parseJsonDocuments } from '../importers/parse-json.ts'
import { zipkinV1Importer, zipkinV2Importer } from '../importers/zipkin.ts'
import { toZipkinJson } from './zipkin-json.ts'

function fixtureTraces(name: string): Trace[] {
  const [document] = parseJsonDocuments(readFileSync(new URL(`../../fixtures/zipkin/${name}`, import.meta.url), 'utf8'))
  const importer = zipkinV1Importer.detect(document) ? zipkinV1Importer : zipkinV2Importer
  return buildTraces(importer.importDocument(document).spans)
}

/** Export, write as text, read back: what a user saving and reopening the file gets. */
function reimport(traces: readonly Trace[]): Trace[] {
  const text = JSON.stringify(toZipkinJson(traces))
  const [document] = parseJsonDocuments(text)
  expect(zipkinV2Importer.detect(document)).toBe(true)
  return buildTraces(zipkinV2Importer.importDocument(document).spans)
}

/**
 * The dump, with each warning reduced to its kind and span ids: which ids a warning quotes as
 * examples depends on input order, and the export writes spans depth-first.
 */
function comparableDump(traces: readonly Trace[]): string {
  return traces
    .map((trace) => {
      const spanLines = dumpTrace(trace)
        .split('\n')
        .filter((line) => !line.startsWith('warning '))
      const warnings = trace.warnings.map((w) => `warning ${w.kind} ${[...w.spanIds].sort().join(',')}`)
      return [...spanLines, ...warnings].join('\n')
    })
    .join('\n')
}

const bigintSafe = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))

const record = (fields: Partial<SpanRecord>): SpanRecord => ({
  traceId: '0000000000000000000000000000abcd',
  spanId: '00000000000000a1',
  name: 'op',
  service: 'svc',
  kind: SpanKind.Internal,
  startTimeNs: 1_700_000_000_000_000_000n,
  durationNs: 5_000,
  statusCode: StatusCode.Unset,
  attributes: [],
  resource: [],
  events: [],
  links: [],
  ...fields,
})

describe('toZipkinJson', () => {
  it.each([
    'ascend.json',
    'envoy.json',
    'messaging-kafka.json',
    'messaging.json',
    'messaging2.json',
    'simple-db-p6.json',
    'smartthings-oauth-authorization.json',
    'yelp.json',
    'zipkin_01.json',
    'shared-without-flag.spanglass.json',
    'span-client.json',
    'span-local.json',
    'span-rpc.json',
    'test.json',
  ])('%s re-imports through zipkinV2Importer to the same trace', (name) => {
    const traces = fixtureTraces(name)
    const again = reimport(traces)
    expect(comparableDump(again)).toBe(comparableDump(traces))
    // Stronger than the dump: every record (attributes, events, resource, ids) is the same.
    // Records are compared as plain objects: a lazy record's details are behind getters, which JSON.stringify skips.
    expect(bigintSafe(again.map((t) => t.spans.map(materializeSpan)))).toBe(bigintSafe(traces.map((t) => t.spans.map(materializeSpan))))
  })

  it("writes a split v1 RPC as a client and a shared server with the client's id", () => {
    expect(toZipkinJson(fixtureTraces('span-rpc.json'))).toEqual([
      {
        traceId: '83c138a4ee0f3de9',
        parentId: '83c138a4ee0f3de9',
        id: 'd673d7abe80d2f3f',
        kind: 'CLIENT',
        name: 'get',
        timestamp: 1461750491274000,
        duration: 51000,
        localEndpoint: { serviceName: 'zipkin-web', ipv4: '127.0.0.1' },
        remoteEndpoint: {
          serviceName: 'zipkin-web',
          ipv4: '172.18.0.4',
          port: 9411,
        },
        annotations: [
          { timestamp: 1461750491274000, value: 'ws' },
          { timestamp: 1461750491325000, value: 'wr' },
        ],
        tags: {
          'http.uri': '/api/v1/traces',
          'clnt/finagle.version': '6.34.0',
        },
      },
      {
        traceId: '83c138a4ee0f3de9',
        parentId: '83c138a4ee0f3de9',
        id: 'd673d7abe80d2f3f',
        kind: 'SERVER',
        name: 'get',
        timestamp: 1461750491298000,
        duration: 4000,
        shared: true,
        localEndpoint: {
          serviceName: 'zipkin-query',
          ipv4: '172.18.0.4',
          port: 9411,
        },
        remoteEndpoint: {
          serviceName: 'zipkin-web',
          ipv4: '172.18.0.3',
          port: 42291,
        },
        tags: {
          'http.path': '/api/v1/traces',
          'srv/finagle.version': '6.34.0',
        },
      },
    ])
  })

  it('children of a renamed server point at the id it shared, as in the input', () => {
    const out = toZipkinJson(fixtureTraces('ascend.json')) as Array<Record<string, unknown>>
    const hystrix = out.find((span) => span.name === 'hystrix')
    expect(hystrix?.parentId).toBe('ecc00062ceef4bf0')
    const servers = out.filter((span) => span.id === 'ecc00062ceef4bf0')
    expect(servers.map((s) => [s.kind, s.shared, s.parentId])).toEqual([
      ['CLIENT', undefined, 'ef86c83c0a05a6d6'],
      ['SERVER', true, 'ef86c83c0a05a6d6'],
    ])
  })

  it('puts all spans of all traces in one flat list, and omits the unknown service name', () => {
    const traces = [...fixtureTraces('envoy.json'), ...fixtureTraces('simple-db-p6.json')]
    const out = toZipkinJson(traces) as Array<Record<string, unknown>>
    expect(out).toHaveLength(6)
    expect(out[0]?.localEndpoint).toEqual({ ipv4: '169.254.65.45' })
    expect(out[0]?.shared).toBeUndefined()
  })

  it('maps records from other formats: status, kinds, peers, events, typed attributes', () => {
    const trace = buildTraces([
      record({
        kind: SpanKind.Server,
        statusCode: StatusCode.Error,
        statusMessage: 'boom',
        startTimeNs: 1_700_000_000_000_000_499n,
        durationNs: 1_500,
        resource: [
          { key: 'service.name', value: 'svc' },
          { key: 'network.local.address', value: '2001:db8::1' },
          { key: 'network.local.port', value: 8080n },
          { key: 'host.name', value: 'box' },
        ],
        attributes: [
          { key: 'peer.service', value: 'db' },
          { key: 'network.peer.address', value: '10.1.2.3' },
          { key: 'network.peer.port', value: 5432 },
          { key: 'retries', value: 3n },
          { key: 'ratio', value: 0.5 },
          { key: 'ok', value: true },
          { key: 'list', value: ['a', 1n] },
          { key: '__proto__', value: 'kept' },
        ],
        events: [
          { timeNs: 1_700_000_000_000_001_000n, name: 'retry', attributes: [] },
          {
            timeNs: 1_700_000_000_000_002_000n,
            name: 'exception',
            attributes: [{ key: 'exception.type', value: 'IOError' }],
          },
        ],
      }),
      record({
        spanId: '00000000000000a2',
        parentSpanId: '00000000000000a1',
        kind: SpanKind.Unspecified,
        statusCode: StatusCode.Ok,
        attributes: [{ key: 'error', value: false }],
      }),
      record({
        spanId: '00000000000000a3',
        parentSpanId: '00000000000000a1',
        statusCode: StatusCode.Error,
        attributes: [{ key: 'error', value: 'timeout' }],
        statusMessage: 'deadline exceeded',
      }),
      record({
        spanId: '00000000000000a4',
        startTimeNs: undefined,
        durationNs: undefined,
        name: '',
        attributes: [{ key: 'zipkin.debug', value: true }],
      }),
    ])
    const out = toZipkinJson(trace) as Array<Record<string, unknown>>
    expect(out[0]).toEqual({
      traceId: '000000000000abcd',
      id: '00000000000000a1',
      kind: 'SERVER',
      name: 'op',
      timestamp: 1700000000000000,
      duration: 2,
      localEndpoint: { serviceName: 'svc', ipv6: '2001:db8::1', port: 8080 },
      remoteEndpoint: { serviceName: 'db', ipv4: '10.1.2.3', port: 5432 },
      annotations: [
        { timestamp: 1700000000000001, value: 'retry' },
        {
          timestamp: 1700000000000002,
          value: '"exception":{"exception.type":"IOError"}',
        },
      ],
      tags: {
        retries: '3',
        ratio: '0.5',
        ok: 'true',
        list: '["a",1]',
        ['__proto__']: 'kept',
        error: 'boom',
      },
    })
    expect(Object.keys(out[0]?.tags as object)).toContain('__proto__')
    expect(out[1]).toMatchObject({
      parentId: '00000000000000a1',
      tags: { 'otel.status_code': 'OK' },
    })
    expect(out[1]?.kind).toBeUndefined()
    expect(out[2]?.tags).toEqual({ error: 'timeout', 'otel.status_code': 'ERROR', 'otel.status_description': 'deadline exceeded' })
    expect(out[3]).toEqual({
      traceId: '000000000000abcd',
      id: '00000000000000a4',
      debug: true,
      localEndpoint: { serviceName: 'svc' },
    })
    // And the statuses survive a trip back in.
    const again = reimport(trace)[0]?.spans ?? []
    expect(again.map((s) => [s.spanId, s.statusCode, s.statusMessage])).toEqual([
      ['00000000000000a1', StatusCode.Error, 'boom'],
      ['00000000000000a2', StatusCode.Ok, undefined],
      ['00000000000000a3', StatusCode.Error, 'deadline exceeded'],
      ['00000000000000a4', StatusCode.Unset, undefined],
    ])
  })

  it('keeps 128-bit trace ids whole', () => {
    const out = toZipkinJson(fixtureTraces('zipkin_01.json')) as Array<Record<string, unknown>>
    expect(out[0]).toMatchObject({
      traceId: 'bd7a974555f6b982bd71977555f6b981',
      id: '0000000000000002',
      parentId: '0000000000000001',
      debug: true,
      timestamp: 1,
      duration: 10,
    })
  })
})
