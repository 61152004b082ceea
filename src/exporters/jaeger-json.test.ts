import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { jaegerImporter } from '../importers/jaeger.ts'
import { parseJsonDocuments } from '../importers/parse-json.ts'
import { buildTraces } from '../model/build-traces.ts'
import { dumpTrace } from '../model/dump.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type { Attribute, SpanRecord } from '../model/span-record.ts'
import type { Trace } from '../model/trace.ts'
import { toJaegerJson, toJaegerKeyValue, toJaegerTrace } from './jaeger-json.ts'
import type { JaegerSpan, JaegerTrace } from './jaeger-json.ts'

const FIXTURES = [
  'ui_01.json',
  'testTrace.json',
  'testTraceNormal.json',
  'spansAmongEachOther.json',
  'upload-test-file-a.json',
  'upload-test-file-b.json',
  'api-envelope.spanglass.json',
]

function importTraces(text: string): Trace[] {
  const spans: SpanRecord[] = []
  for (const document of parseJsonDocuments(text)) {
    expect(jaegerImporter.detect(document)).toBe(true)
    for (const span of jaegerImporter.importDocument(document).spans) spans.push(span)
  }
  return buildTraces(spans)
}

/** Export, write as JSON text (as the CLI and "save" do), read back with the importer. */
function roundTrip(traces: readonly Trace[]): Trace[] {
  return importTraces(JSON.stringify(toJaegerJson(traces)))
}

/**
 * The dump with its warning lines sorted. `buildTrace` lists warning kinds in the order it first
 * meets them in its input, and the exporter writes spans depth-first (the model keeps no input
 * order), so ui_01's duplicate-id warning moves after its source warnings on re-import.
 */
function dumpWithWarningsSorted(trace: Trace): string {
  const lines = dumpTrace(trace).split('\n')
  const warnings = lines.filter((line) => line.startsWith('warning ')).sort()
  return [...lines.filter((line) => !line.startsWith('warning ')), ...warnings].join('\n')
}

function fixtureTraces(name: string): Trace[] {
  return importTraces(readFileSync(new URL(`../../fixtures/jaeger/${name}`, import.meta.url), 'utf8'))
}

function onlyTrace(traces: readonly Trace[]): JaegerTrace {
  expect(traces).toHaveLength(1)
  return toJaegerTrace(traces[0] as Trace)
}

function exportedSpan(trace: JaegerTrace, spanId: string, name?: string): JaegerSpan {
  const span = trace.spans.find((candidate) => candidate.spanID === spanId && (name === undefined || candidate.operationName === name))
  if (!span) throw new Error(`no span ${spanId}`)
  return span
}

/** A record with defaults, for synthetic traces. */
function record(spanId: string, extra: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId,
    name: `op-${spanId}`,
    service: 'svc',
    kind: SpanKind.Unspecified,
    startTimeNs: 1_700_000_000_000_000_000n,
    durationNs: 5_000,
    statusCode: StatusCode.Unset,
    attributes: [],
    resource: [{ key: 'service.name', value: 'svc' }],
    events: [],
    links: [],
    ...extra,
  }
}

describe('toJaegerJson round trip', () => {
  it.each(FIXTURES)('%s re-imports to the same trees and the same span details', (name) => {
    const original = fixtureTraces(name)
    const again = roundTrip(original)
    expect(again.map(dumpWithWarningsSorted)).toEqual(original.map(dumpWithWarningsSorted))
    // The export is depth-first, so a second trip starts from the same order: exactly the same dump.
    expect(roundTrip(again).map(dumpTrace)).toEqual(again.map(dumpTrace))
    // Beyond the dump: tags, typed values, logs, links, resources, flags and warnings survive too.
    expect(again.map((trace) => trace.spans)).toEqual(original.map((trace) => trace.spans))
  })

  it('round-trips a synthetic trace with OTLP-only features', () => {
    const resource: Attribute[] = [
      { key: 'service.name', value: 'checkout' },
      { key: 'host.name', value: 'node-7' },
    ]
    const spans: SpanRecord[] = [
      record('00f067aa0ba902b7', {
        service: 'checkout',
        resource,
        kind: SpanKind.Server,
        statusCode: StatusCode.Ok,
        statusMessage: 'fine',
        scope: { name: 'io.opentelemetry.http', version: '2.1.0' },
        traceState: 'rojo=00f067aa0ba902b7',
        flags: 1,
        attributes: [
          { key: 'http.method', value: 'GET' },
          { key: 'retries', value: 3n },
          { key: 'huge', value: -9223372036854775808n },
          { key: 'ratio', value: 0.25 },
          { key: 'cached', value: false },
          { key: 'payload', value: new Uint8Array([255, 0, 128]) },
        ],
        events: [{ timeNs: 1_700_000_000_000_002_000n, name: 'exception', attributes: [{ key: 'exception.type', value: 'IOError' }] }],
        links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', kind: 'link', attributes: [] }],
      }),
      record('53995c3f42cd8ad8', {
        parentSpanId: '00f067aa0ba902b7',
        service: 'checkout',
        resource,
        kind: SpanKind.Producer,
        statusCode: StatusCode.Error,
        statusMessage: 'broker down',
        startTimeNs: 1_700_000_000_000_001_000n,
        durationNs: 2_000,
      }),
      // No start and no duration: exported without them, warned again on re-import.
      record('1111111111111111', { parentSpanId: '00f067aa0ba902b7', startTimeNs: undefined, durationNs: undefined, kind: SpanKind.Consumer }),
      // An orphan stays an orphan.
      record('2222222222222222', { parentSpanId: '9999999999999999', kind: SpanKind.Internal, warnings: ['clock adjusted'] }),
    ]
    const original = buildTraces(spans)
    const again = roundTrip(original)
    expect(again.map(dumpTrace)).toEqual(original.map(dumpTrace))
    const [root, producer] = again[0]?.spans ?? []
    expect(root?.statusCode).toBe(StatusCode.Ok)
    expect(root?.statusMessage).toBe('fine')
    expect(root?.scope).toEqual({ name: 'io.opentelemetry.http', version: '2.1.0' })
    expect(root?.traceState).toBe('rojo=00f067aa0ba902b7')
    expect(root?.flags).toBe(1)
    expect(root?.attributes).toEqual(spans[0]?.attributes)
    expect(root?.events).toEqual(spans[0]?.events)
    expect(root?.resource).toEqual(resource)
    // OTLP links come back as FOLLOWS_FROM references.
    expect(root?.links).toEqual([{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', kind: 'follows_from', attributes: [] }])
    expect(producer?.statusMessage).toBe('broker down')
    // Error status gains the `error` tag Jaeger-native readers look for.
    expect(producer?.attributes).toEqual([{ key: 'error', value: true }])
  })
})

describe('toJaegerJson output', () => {
  it('writes the Jaeger query API envelope', () => {
    const traces = fixtureTraces('api-envelope.spanglass.json')
    const output = toJaegerJson(traces) as { data: JaegerTrace[]; total: number; limit: number; offset: number; errors: null }
    expect(Object.keys(output)).toEqual(['data', 'total', 'limit', 'offset', 'errors'])
    expect(output.data.map((trace) => trace.traceID)).toEqual(['5f6e7d8c9bab0c1d', '7a4cbe6f0d1c2b3a4f5e6d7c8b9a0f1e'])
    expect(output.errors).toBeNull()
  })

  it('writes ui_01 as Jaeger would: short trace ids, int64 beyond 2^53 as strings, base64 binary, links as references', () => {
    const trace = onlyTrace(fixtureTraces('ui_01.json'))
    expect(trace.traceID).toBe('0000000000000001')
    expect(trace.warnings).toBeNull()
    expect(trace.processes).toEqual({ p1: { serviceName: 'service-x', tags: [] }, p2: { serviceName: 'service-y', tags: [] } })
    expect(trace.spans.map((span) => `${span.spanID} ${span.processID}`)).toEqual([
      '0000000000000002 p1',
      '0000000000000003 p2',
      '0000000000000004 p2',
      '0000000000000005 p2',
      '0000000000000002 p1',
    ])
    const tagged = exportedSpan(trace, '0000000000000002', 'some-operation')
    expect(tagged).toEqual({
      traceID: '0000000000000001',
      spanID: '0000000000000002',
      operationName: 'some-operation',
      references: [],
      startTime: 1485467191639875,
      duration: 5,
      tags: [
        { key: 'peer.service', type: 'string', value: 'service-y' },
        { key: 'peer.ipv4', type: 'int64', value: 23456 },
        { key: 'error', type: 'bool', value: true },
        { key: 'temperature', type: 'float64', value: 72.5 },
        { key: 'javascript_limit', type: 'int64', value: '9223372036854775222' },
        { key: 'blob', type: 'binary', value: 'AAAwOQ==' },
        { key: 'otel.status_code', type: 'string', value: 'ERROR' },
      ],
      logs: [],
      processID: 'p1',
      warnings: null,
    })
    expect(exportedSpan(trace, '0000000000000004')).toMatchObject({
      references: [
        { refType: 'CHILD_OF', traceID: '0000000000000001', spanID: '0000000000000002' },
        { refType: 'CHILD_OF', traceID: '00000000000000ff', spanID: '00000000000000ff' },
        { refType: 'FOLLOWS_FROM', traceID: '0000000000000001', spanID: '0000000000000002' },
      ],
      warnings: ['some span warning'],
    })
    expect(exportedSpan(trace, '0000000000000002', 'test-general-conversion').logs).toEqual([
      { timestamp: 1485467191639875, fields: [{ key: 'event', type: 'string', value: 'some-event' }] },
      { timestamp: 1485467191639875, fields: [{ key: 'x', type: 'string', value: 'y' }] },
    ])
  })

  it('writes kinds as span.kind tags and keeps process tags without service.name', () => {
    const trace = onlyTrace(fixtureTraces('testTrace.json'))
    expect(trace.traceID).toBe('trace-123')
    expect(trace.processes).toEqual({
      p1: { serviceName: 'service1', tags: [{ key: 'hostname', type: 'string', value: 'foobar.org' }] },
      p2: { serviceName: 'service2', tags: [{ key: 'hostname', type: 'string', value: 'foobar.org' }] },
    })
    expect(exportedSpan(trace, 'span-2')).toMatchObject({
      flags: 1,
      references: [{ refType: 'CHILD_OF', traceID: 'trace-123', spanID: 'span-1' }],
      tags: [
        { key: 'error', type: 'bool', value: true },
        { key: 'span.kind', type: 'string', value: 'client' },
        { key: 'otel.status_code', type: 'string', value: 'ERROR' },
      ],
    })
    expect(exportedSpan(trace, 'span-5').tags).toEqual([{ key: 'db.type', type: 'string', value: 'sql' }])
  })

  it('deduplicates processes by (service, resource), not by resource array identity', () => {
    const shared: Attribute[] = [
      { key: 'service.name', value: 'a' },
      { key: 'host', value: 'h1' },
    ]
    const copy: Attribute[] = shared.map((attribute) => ({ ...attribute }))
    const [trace] = buildTraces([
      record('0000000000000001', { service: 'a', resource: shared }),
      record('0000000000000002', { service: 'a', resource: copy, parentSpanId: '0000000000000001' }),
      record('0000000000000003', { service: 'a', resource: [{ key: 'service.name', value: 'a' }, { key: 'host', value: 'h2' }], parentSpanId: '0000000000000001' }),
      // Same resource, other service: the resource's service.name disagrees, so it stays a tag.
      record('0000000000000004', { service: 'b', resource: shared, parentSpanId: '0000000000000001' }),
    ])
    const exported = toJaegerTrace(trace as Trace)
    expect(exported.spans.map((span) => span.processID)).toEqual(['p1', 'p1', 'p2', 'p3'])
    expect(exported.processes).toEqual({
      p1: { serviceName: 'a', tags: [{ key: 'host', type: 'string', value: 'h1' }] },
      p2: { serviceName: 'a', tags: [{ key: 'host', type: 'string', value: 'h2' }] },
      p3: {
        serviceName: 'b',
        tags: [
          { key: 'service.name', type: 'string', value: 'a' },
          { key: 'host', type: 'string', value: 'h1' },
        ],
      },
    })
  })

  it('writes every attribute type as plain JSON', () => {
    expect(toJaegerKeyValue('s', 'x')).toEqual({ key: 's', type: 'string', value: 'x' })
    expect(toJaegerKeyValue('b', true)).toEqual({ key: 'b', type: 'bool', value: true })
    expect(toJaegerKeyValue('f', 1.5)).toEqual({ key: 'f', type: 'float64', value: 1.5 })
    expect(toJaegerKeyValue('nan', Number.NaN)).toEqual({ key: 'nan', type: 'float64', value: 'NaN' })
    expect(toJaegerKeyValue('i', 42n)).toEqual({ key: 'i', type: 'int64', value: 42 })
    expect(toJaegerKeyValue('max-safe', 9007199254740991n)).toEqual({ key: 'max-safe', type: 'int64', value: 9007199254740991 })
    expect(toJaegerKeyValue('unsafe', 9007199254740992n)).toEqual({ key: 'unsafe', type: 'int64', value: '9007199254740992' })
    expect(toJaegerKeyValue('bin', new Uint8Array([0, 0, 0x30, 0x39]))).toEqual({ key: 'bin', type: 'binary', value: 'AAAwOQ==' })
    expect(toJaegerKeyValue('null', null)).toEqual({ key: 'null', type: 'string', value: '' })
    expect(toJaegerKeyValue('list', ['a', 1n])).toEqual({ key: 'list', type: 'string', value: '["a",1]' })
    expect(toJaegerKeyValue('map', { kvlist: [{ key: 'k', value: true }] })).toEqual({ key: 'map', type: 'string', value: '{"k":true}' })
  })

  it('rounds ns to the nearest µs and omits absent times', () => {
    const [trace] = buildTraces([
      record('0000000000000001', { startTimeNs: 1_700_000_000_000_000_500n, durationNs: 1_499 }),
      record('0000000000000002', { startTimeNs: undefined, durationNs: undefined, parentSpanId: '0000000000000001' }),
    ])
    const [timed, untimed] = toJaegerTrace(trace as Trace).spans
    expect(timed?.startTime).toBe(1_700_000_000_000_001)
    expect(timed?.duration).toBe(1)
    expect(untimed && 'startTime' in untimed).toBe(false)
    expect(untimed && 'duration' in untimed).toBe(false)
  })

  it('produces text JSON.stringify can write (no bigint, no typed arrays)', () => {
    for (const name of FIXTURES) expect(() => JSON.stringify(toJaegerJson(fixtureTraces(name)))).not.toThrow()
  })
})
