import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildTraces } from '../model/build-traces.ts'
import { dumpTrace } from '../model/dump.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type { ImportResult, SpanRecord } from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import { importDocuments } from './import-input.ts'
import { importResourceSpans, otlpJsonImporter, parseSpanKind, parseStatusCode } from './otlp.ts'
import { parseJsonDocuments } from './parse-json.ts'

const readFixture = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8')

/** Every document of a fixture through the OTLP importer, as the pipeline would. */
function importFixture(path: string): ImportResult {
  const spans: SpanRecord[] = []
  const warnings: ImportResult['warnings'] = []
  for (const document of parseJsonDocuments(readFixture(path))) {
    expect(otlpJsonImporter.detect(document)).toBe(true)
    const result = otlpJsonImporter.importDocument(document)
    spans.push(...result.spans)
    warnings.push(...result.warnings)
  }
  return { spans, warnings }
}

/** The dump, with buildTraces' warning lines cut to their kind (their wording is not this file's business). */
const dumpAll = (spans: readonly SpanRecord[]) =>
  buildTraces(spans)
    .map(dumpTrace)
    .join('\n')
    .replace(/^warning ([a-z-]+): .*$/gm, 'warning $1')

/** One span inside the usual TracesData wrapping. */
function tracesData(span: Record<string, unknown>, resource: unknown = { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }) {
  return { resourceSpans: [{ resource, scopeSpans: [{ spans: [{ traceId: '0102030405060708090a0b0c0d0e0f10', spanId: '0102030405060708', ...span }] }] }] }
}

function onlySpan(document: unknown): SpanRecord {
  const { spans } = otlpJsonImporter.importDocument(document)
  expect(spans).toHaveLength(1)
  return spans[0] as SpanRecord
}

describe('otlpJsonImporter on real files', () => {
  it('reads the official example: UPPER-case hex ids, scope with attributes, missing parent', () => {
    const { spans, warnings } = importFixture('otlp/trace.json')
    expect(warnings).toEqual([])
    expect(dumpAll(spans)).toBe(
      [
        'trace 5b8efff798038103d269b633813fc60c spans=1 start=1544712660000000000 duration=1000000us',
        "my.service:I'm a server span +0us 1000000us server !orphan #eee19b7ec3c1b174",
        'warning orphan',
      ].join('\n'),
    )
    const span = spans[0] as SpanRecord
    expect(span.parentSpanId).toBe('eee19b7ec3c1b173')
    expect(span.scope).toEqual({ name: 'my.library', version: '1.0.0', attributes: [{ key: 'my.scope.attribute', value: 'some scope attribute' }] })
    expect(span.attributes).toEqual([{ key: 'my.span.attr', value: 'some value' }])
    expect(span.resource).toEqual([{ key: 'service.name', value: 'my.service' }])
    expect(span.statusCode).toBe(StatusCode.Unset)
    expect(span.durationNs).toBe(1_000_000_000)
  })

  it('keeps a span without timestamps, with its times undefined (otel-desktop-viewer span.json)', () => {
    const { spans } = importFixture('otlp/span.json')
    const span = spans[0] as SpanRecord
    expect(span.startTimeNs).toBeUndefined()
    expect(span.durationNs).toBeUndefined()
    expect(span.statusCode).toBe(StatusCode.Ok)
    expect(span.events).toEqual([])
    expect(span.scope).toEqual({ name: 'manual-test' })
    expect(dumpAll(spans)).toBe(
      [
        'trace 71699b6fe85982c7c8995ea3d9c95df2 spans=1 start=0 duration=0us',
        'test-with-curl:spanitron +0us 0us server !no-start,no-duration #3c191d03fa8be065',
        'warning missing-start',
        'warning missing-duration',
      ].join('\n'),
    )
  })

  it('reads several resources of one trace, unnamed events and absent kinds (example_trace.json)', () => {
    const { spans } = importFixture('otlp/example_trace.json')
    expect(dumpAll(spans)).toBe(
      [
        'trace 00000000000000000000000000000011 spans=5 start=1485449191639875000 duration=100us',
        'example-service-2:example-operation-2 +0us 100us unspecified #0000000000000004',
        'example-service-3:example-operation-1 +0us 100us unspecified #0000000000000005',
        'example-service-1:example-operation-1 +0us 100us unspecified #0000000000000003',
        'example-service-1:example-operation-3 +0us 100us server #0000000000000006',
        'example-service-1:example-operation-4 +0us 100us client #0000000000000007',
      ].join('\n'),
    )
    const span = spans[0] as SpanRecord
    expect(span.events).toEqual([
      { timeNs: 1485449191639875000n, name: '', attributes: [] },
      { timeNs: 1485449191639875000n, name: '', attributes: [] },
    ])
    // `"scope": {}` is no scope at all.
    expect(span.scope).toBeUndefined()
  })

  it('reads the same span twice as two records; buildTraces removes the exact duplicate (otlp2jaeger-in.json)', () => {
    const { spans } = importFixture('otlp/otlp2jaeger-in.json')
    expect(spans).toHaveLength(2)
    expect(dumpAll(spans)).toBe(
      [
        'trace 83a9efd15c1c98a977e0711cc93ee28b spans=1 start=1706678909209712000 duration=123us',
        'telemetrygen:okey-dokey-0 +0us 123us server !orphan #e127af99e3b3e074',
        'warning duplicate-span-removed',
        'warning orphan',
      ].join('\n'),
    )
  })

  it('joins a trace split over JSON lines, with an empty parent id on the root (otlp2jaeger-multi-in.json.txt)', () => {
    expect(parseJsonDocuments(readFixture('otlp/otlp2jaeger-multi-in.json.txt'))).toHaveLength(4)
    const { spans } = importFixture('otlp/otlp2jaeger-multi-in.json.txt')
    expect(dumpAll(spans)).toBe(
      [
        'trace c620759e5d60fafb8ee0922b30e06bc6 spans=4 start=1711138246940000000 duration=176321.958us',
        'example-trace:main +0us 176321.958us internal #eff3153be6b1fb93',
        '  example-trace:info +3000us 173150.875us internal #49b8e9efa1e8a3b1',
        '    example-trace:ohboy.do +38000us 46460.625us internal #26f5ef9dbb885479',
        '    example-trace:ohboy.do +85000us 71355.250us internal #e76628f4e6dde174',
      ].join('\n'),
    )
  })

  it('reads links with trace state and attributes, flags, bytes and unnamed events (otel_traces_01.json)', () => {
    const { spans, warnings } = importFixture('otlp/otel_traces_01.json')
    expect(warnings).toEqual([])
    const span = spans.find((s) => s.name === 'test-general-conversion-2') as SpanRecord
    expect(span.traceId).toBe('00000000000000010000000000000000')
    expect(span.parentSpanId).toBe('0000000000000003')
    expect(span.traceState).toBe('state.2')
    expect(span.flags).toBe(1)
    expect(span.scope).toEqual({ name: 'testing-library-2', version: '1.1.1', attributes: [{ key: 'scope.attributes.2', value: 'attribute-y' }] })
    expect(span.attributes).toEqual([
      { key: 'peer.service', value: 'service-y' },
      { key: 'peer.ipv4', value: 23456n },
      { key: 'blob', value: new Uint8Array([0, 0, 0x30, 0x39]) },
      { key: 'temperature', value: 72.5 },
    ])
    expect(span.events[0]).toEqual({ timeNs: 1485467191639875000n, name: 'testing-event', attributes: [{ key: 'event-x', value: 'event-y' }] })
    expect(span.events[1]).toEqual({ timeNs: 1485467191639875000n, name: '', attributes: [{ key: 'x', value: 'y' }] })
    expect(span.links[0]).toEqual({
      traceId: '00000000000000010000000000000000',
      spanId: '0000000000000004',
      kind: 'link',
      attributes: [{ key: 'opentracing.ref_type', value: 'follows_from' }],
    })
    expect(spans.map((s) => s.traceState)).toEqual(['state.2', 'state.3', 'state.4', 'state.5'])
  })

  it('reads intValue written as a JSON number as an exact bigint (agent-trace.json)', () => {
    const { spans } = importFixture('otlp/agent-trace.json')
    const text = readFixture('otlp/agent-trace.json')
    expect(text).toMatch(/"intValue":\s*\d/)
    const ints = spans.flatMap((span) => span.attributes).filter((attribute) => typeof attribute.value === 'bigint')
    expect(ints.length).toBeGreaterThan(0)
    expect(spans.flatMap((span) => span.attributes).some((attribute) => typeof attribute.value === 'number' && Number.isInteger(attribute.value))).toBe(false)
  })

  it('reads a four-line collector file with array values (5b584103…json)', () => {
    expect(parseJsonDocuments(readFixture('otlp/5b584103c6fc5ddf423cb2fb6552d0f0.json'))).toHaveLength(4)
    const { spans, warnings } = importFixture('otlp/5b584103c6fc5ddf423cb2fb6552d0f0.json')
    expect(warnings).toEqual([])
    expect(spans.length).toBeGreaterThan(4)
    expect(new Set(spans.map((span) => span.traceId)).size).toBeGreaterThanOrEqual(1)
    const arrays = spans.flatMap((span) => span.resource).filter((attribute) => Array.isArray(attribute.value))
    expect(arrays.length).toBeGreaterThan(0)
    for (const span of spans) expect(span.service).not.toBe('unknown_service')
  })

  it('reads a link with attributes to another trace (otlp_span_links.json)', () => {
    const { spans } = importFixture('otlp/otlp_span_links.json')
    expect(spans[0]?.links).toEqual([
      { traceId: '00000000000000000000000000000003', spanId: '0000000000000003', kind: 'link', attributes: [{ key: 'link.attribute.key', value: 'link-value' }] },
    ])
    expect(spans[0]?.durationNs).toBe(0)
  })

  it('reads scope name and version and every scalar type (scope_name_version_trace.json)', () => {
    const { spans } = importFixture('otlp/scope_name_version_trace.json')
    const span = spans[0] as SpanRecord
    expect(span.scope).toEqual({ name: 'testing-library', version: '1.1.1' })
    expect(span.attributes).toEqual([
      { key: 'sameplacetag1', value: 'sameplacevalue' },
      { key: 'sameplacetag2', value: 123n },
      { key: 'sameplacetag4', value: true },
      { key: 'sameplacetag3', value: 72.5 },
      { key: 'blob', value: new Uint8Array([0, 0, 0x30, 0x39]) },
    ])
    expect(dumpAll(spans)).toBe(
      ['trace 00000000000000000000000000000224 spans=1 start=1485449191639875000 duration=1us', 'query23-service:placeholder +0us 1us unspecified #0000000000000002'].join('\n'),
    )
  })

  it('gives every span of a resource the same resource array', () => {
    const { spans } = importFixture('otlp/example_trace.json')
    const service1 = spans.filter((span) => span.service === 'example-service-1')
    expect(service1).toHaveLength(3)
    expect(service1[0]?.resource).toBe(service1[1]?.resource)
    expect(service1[1]?.resource).toBe(service1[2]?.resource)
    expect(spans[0]?.resource).not.toBe(service1[0]?.resource)
  })
})

describe('snake_case keys, base64 ids and timestamps beyond 2^53', () => {
  const text = readFixture('otlp/snake-case-bigint.spanglass.json')

  it('keeps every nanosecond when the lossless reader parses the raw number literals', () => {
    const [document] = parseJsonDocuments(text)
    const { spans, warnings } = otlpJsonImporter.importDocument(document)
    expect(warnings).toEqual([])
    const [reserve, lock] = spans as [SpanRecord, SpanRecord]
    expect(reserve.startTimeNs).toBe(1700000000123456789n)
    expect(reserve.durationNs).toBe(212)
    expect(lock.startTimeNs).toBe(1700000000123456999n)
    expect(lock.durationNs).toBe(0)
    expect(lock.events[0]?.timeNs).toBe(1700000000123456999n)
    // The engine's JSON.parse would have rounded to a multiple of 256 ns.
    const lossy = JSON.parse(text) as { resourceSpans: [{ scope_spans: [{ spans: [{ start_time_unix_nano: number }] }] }] }
    expect(BigInt(lossy.resourceSpans[0].scope_spans[0].spans[0].start_time_unix_nano)).not.toBe(1700000000123456789n)
    expect(dumpAll(spans)).toBe(
      [
        'trace 00000000000000004bf92f3577b34da6 spans=2 start=1700000000123456789 duration=0.212us',
        'inventory:reserve +0us 0.212us server #00f067aa0ba902b7',
        '  inventory:lock rows +0.210us 0us client #a3ce929d0e0e4736',
      ].join('\n'),
    )
  })

  it('reads snake_case and camelCase keys alike, and a base64 64-bit trace id as padded hex', () => {
    const [document] = parseJsonDocuments(text)
    const [reserve, lock] = otlpJsonImporter.importDocument(document).spans as [SpanRecord, SpanRecord]
    expect(reserve.traceId).toBe('00000000000000004bf92f3577b34da6')
    expect(reserve.spanId).toBe('00f067aa0ba902b7')
    expect(reserve.kind).toBe(SpanKind.Server)
    expect(reserve.statusCode).toBe(StatusCode.Ok)
    expect(reserve.scope).toEqual({ name: 'inventory-tracer', version: '0.3.1' })
    expect(reserve.resource).toEqual([
      { key: 'service.name', value: 'inventory' },
      { key: 'process.pid', value: 9007199254740993n },
    ])
    const attributes = reserve.attributes
    expect(attributes[0]).toEqual({ key: 'item.count', value: 3n })
    expect(Number.isNaN(attributes[1]?.value)).toBe(true)
    expect(attributes[2]).toEqual({ key: 'tags', value: ['a', true] })
    expect(attributes[3]).toEqual({ key: 'map', value: { kvlist: [{ key: 'k', value: -5n }] } })
    expect(attributes[4]).toEqual({ key: 'raw', value: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) })
    expect(lock.parentSpanId).toBe('00f067aa0ba902b7')
    expect(lock.traceState).toBe('vendor=1')
    expect(lock.flags).toBe(257)
    expect(lock.kind).toBe(SpanKind.Client)
    expect(lock.events[0]?.name).toBe('lock.acquired')
  })

  it('accepts resource_spans at the top and bigint times in an already parsed value', () => {
    const span = onlySpan({
      resource_spans: [
        {
          scope_spans: [
            { spans: [{ trace_id: 'AAECAwQFBgcICQoLDA0ODw==', span_id: 'AAECAwQFBgc=', start_time_unix_nano: 18446744073709551000n, end_time_unix_nano: 18446744073709551615n }] },
          ],
        },
      ],
    })
    expect(span.traceId).toBe('000102030405060708090a0b0c0d0e0f')
    expect(span.spanId).toBe('0001020304050607')
    expect(span.durationNs).toBe(615)
    expect(span.service).toBe('unknown_service')
  })
})

describe('OTLP variants', () => {
  it('prefers scopeSpans over instrumentationLibrarySpans holding the same spans', () => {
    const spanJson = { traceId: '0102030405060708090a0b0c0d0e0f10', spanId: '0102030405060708', name: 'once' }
    const result = otlpJsonImporter.importDocument({
      resourceSpans: [
        {
          scopeSpans: [{ scope: { name: 'new' }, spans: [spanJson] }],
          instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old' }, spans: [spanJson] }],
        },
      ],
    })
    expect(result.spans).toHaveLength(1)
    expect(result.spans[0]?.scope).toEqual({ name: 'new' })
  })

  it('reads instrumentationLibrarySpans and instrumentationLibrary alone', () => {
    const result = otlpJsonImporter.importDocument({
      resourceSpans: [
        {
          instrumentation_library_spans: [
            { instrumentation_library: { name: 'io.old', version: '0.9' }, spans: [{ traceId: '0102030405060708090a0b0c0d0e0f10', spanId: '0102030405060708' }] },
          ],
        },
      ],
    })
    expect(result.spans[0]?.scope).toEqual({ name: 'io.old', version: '0.9' })
  })

  it.each([
    [2, SpanKind.Server],
    ['2', SpanKind.Server],
    [3n, SpanKind.Client],
    ['SPAN_KIND_SERVER', SpanKind.Server],
    ['SERVER', SpanKind.Server],
    ['server', SpanKind.Server],
    ['SPAN_KIND_PRODUCER', SpanKind.Producer],
    ['CONSUMER', SpanKind.Consumer],
    ['SPAN_KIND_INTERNAL', SpanKind.Internal],
    ['SPAN_KIND_UNSPECIFIED', SpanKind.Unspecified],
    [9, SpanKind.Unspecified],
    ['bogus', SpanKind.Unspecified],
    [undefined, SpanKind.Unspecified],
    [{}, SpanKind.Unspecified],
  ])('reads kind %s', (raw, expected) => {
    expect(parseSpanKind(raw)).toBe(expected)
    expect(onlySpan(tracesData({ kind: raw })).kind).toBe(expected)
  })

  it.each([
    [{ code: 2 }, StatusCode.Error],
    [{ code: '2' }, StatusCode.Error],
    [{ code: 'STATUS_CODE_ERROR' }, StatusCode.Error],
    [{ code: 'ERROR' }, StatusCode.Error],
    [{ code: 'STATUS_CODE_OK' }, StatusCode.Ok],
    [{ code: 1 }, StatusCode.Ok],
    [{ code: 'STATUS_CODE_UNSET' }, StatusCode.Unset],
    [{}, StatusCode.Unset],
    [undefined, StatusCode.Unset],
    // OTLP ≤ 0.6: gRPC-style codes, where every non-zero code failed.
    [{ code: 14 }, StatusCode.Error],
    [{ deprecatedCode: 'DEPRECATED_STATUS_CODE_UNKNOWN_ERROR' }, StatusCode.Error],
    [{ deprecated_code: 2 }, StatusCode.Error],
    [{ deprecatedCode: 'DEPRECATED_STATUS_CODE_OK' }, StatusCode.Unset],
    [{ code: 'STATUS_CODE_OK', deprecatedCode: 'DEPRECATED_STATUS_CODE_UNKNOWN_ERROR' }, StatusCode.Ok],
  ])('reads status %j', (status, expected) => {
    expect(onlySpan(tracesData({ status })).statusCode).toBe(expected)
  })

  it('exposes parseStatusCode for names and numbers', () => {
    expect(parseStatusCode('STATUS_CODE_ERROR')).toBe(StatusCode.Error)
    expect(parseStatusCode(0n)).toBe(StatusCode.Unset)
  })

  it('keeps the status message', () => {
    expect(onlySpan(tracesData({ status: { code: 2, message: 'boom' } })).statusMessage).toBe('boom')
    expect(onlySpan(tracesData({ status: { code: 2, message: '' } })).statusMessage).toBeUndefined()
  })

  it('reads start and end as strings, numbers or bigints and subtracts exactly', () => {
    const a = onlySpan(tracesData({ startTimeUnixNano: '1000', endTimeUnixNano: 2500 }))
    expect([a.startTimeNs, a.durationNs]).toEqual([1000n, 1500])
    const b = onlySpan(tracesData({ startTimeUnixNano: 9007199254740993n, endTimeUnixNano: '9007199254740995' }))
    expect([b.startTimeNs, b.durationNs]).toEqual([9007199254740993n, 2])
    const c = onlySpan(tracesData({ startTimeUnixNano: '1000' }))
    expect([c.startTimeNs, c.durationNs]).toEqual([1000n, undefined])
    const d = onlySpan(tracesData({ endTimeUnixNano: '1000' }))
    expect([d.startTimeNs, d.durationNs]).toEqual([undefined, undefined])
  })

  it('gives a span that ends before it starts a negative duration, which buildTraces warns about', () => {
    const span = onlySpan(tracesData({ startTimeUnixNano: '2000', endTimeUnixNano: '1500' }))
    expect(span.durationNs).toBe(-500)
    expect(buildTraces([span])[0]?.warnings.map((w) => w.kind)).toContain('negative-duration')
  })

  it('reads every kind of AnyValue', () => {
    const values: Array<[unknown, unknown]> = [
      [{ stringValue: 'x' }, 'x'],
      [{ boolValue: false }, false],
      [{ intValue: '-9223372036854775808' }, -9223372036854775808n],
      [{ intValue: 42 }, 42n],
      [{ intValue: 9007199254740993n }, 9007199254740993n],
      [{ doubleValue: 1.5 }, 1.5],
      [{ doubleValue: 'Infinity' }, Number.POSITIVE_INFINITY],
      [{ doubleValue: '-Infinity' }, Number.NEGATIVE_INFINITY],
      [{ doubleValue: '2.25' }, 2.25],
      [{ arrayValue: {} }, []],
      [{ arrayValue: { values: [{ intValue: '1' }, {}, { arrayValue: { values: [{ stringValue: 'deep' }] } }] } }, [1n, null, ['deep']]],
      [{ kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }, { key: 'b' }] } }, { kvlist: [{ key: 'a', value: true }, { key: 'b', value: null }] }],
      [{ kvlistValue: {} }, { kvlist: [] }],
      [{ bytesValue: 'AQID' }, new Uint8Array([1, 2, 3])],
      [{}, null],
      [{ anyValue: 'x' }, null],
      [null, null],
    ]
    const attributes = values.map(([value], i) => ({ key: `k${i}`, value }))
    const span = onlySpan(tracesData({ attributes }))
    expect(span.attributes.map((attribute) => attribute.value)).toEqual(values.map(([, expected]) => expected))
    const nan = onlySpan(tracesData({ attributes: [{ key: 'nan', value: { doubleValue: 'NaN' } }] }))
    expect(Number.isNaN(nan.attributes[0]?.value)).toBe(true)
  })

  it('keeps the last of repeated attribute keys and warns once per span', () => {
    const result = otlpJsonImporter.importDocument(
      tracesData(
        {
          attributes: [
            { key: 'a', value: { stringValue: '1' } },
            { key: 'b', value: { stringValue: '2' } },
            { key: 'a', value: { stringValue: '3' } },
          ],
        },
        { attributes: [{ key: 'service.name', value: { stringValue: 'first' } }, { key: 'service.name', value: { stringValue: 'svc' } }] },
      ),
    )
    const span = result.spans[0] as SpanRecord
    expect(span.attributes).toEqual([
      { key: 'a', value: '3' },
      { key: 'b', value: '2' },
    ])
    expect(span.resource).toEqual([{ key: 'service.name', value: 'svc' }])
    expect(span.service).toBe('svc')
    expect(result.warnings).toEqual([
      { kind: 'duplicate-attribute', message: '1 span repeats an attribute key; the last value is kept (span 0102030405060708: "service.name", "a")', spanIds: ['0102030405060708'] },
    ])
  })

  it('falls back to unknown_service without service.name', () => {
    expect(onlySpan(tracesData({}, {})).service).toBe('unknown_service')
    expect(onlySpan(tracesData({}, null)).service).toBe('unknown_service')
    expect(onlySpan(tracesData({}, { attributes: [{ key: 'service.name', value: { stringValue: '' } }] })).service).toBe('unknown_service')
  })

  it('labels an unnamed event by its "event" attribute', () => {
    const span = onlySpan(
      tracesData({
        events: [
          { timeUnixNano: '5', attributes: [{ key: 'event', value: { stringValue: 'retry' } }] },
          { timeUnixNano: '6', name: 'named', attributes: [{ key: 'event', value: { stringValue: 'ignored' } }] },
        ],
      }),
    )
    expect(span.events.map((event) => [event.timeNs, event.name])).toEqual([
      [5n, 'retry'],
      [6n, 'named'],
    ])
  })

  it('reads links with trace state, in hex or base64, and skips links without ids', () => {
    const span = onlySpan(
      tracesData({
        links: [
          { traceId: 'AAECAwQFBgcICQoLDA0ODw==', spanId: 'AAECAwQFBgc=', traceState: 'k=v', attributes: [{ key: 'x', value: { intValue: '1' } }] },
          { traceId: 'ABCDEF', spanId: 'FF' },
          { spanId: '0102030405060708' },
          'junk',
        ],
      }),
    )
    expect(span.links).toEqual([
      { traceId: '000102030405060708090a0b0c0d0e0f', spanId: '0001020304050607', kind: 'link', traceState: 'k=v', attributes: [{ key: 'x', value: 1n }] },
      { traceId: '00000000000000000000000000abcdef', spanId: '00000000000000ff', kind: 'link', attributes: [] },
    ])
  })

  it('treats absent, empty and all-zero parent ids as roots', () => {
    expect(onlySpan(tracesData({ parentSpanId: '' })).parentSpanId).toBeUndefined()
    expect(onlySpan(tracesData({ parentSpanId: '0000000000000000' })).parentSpanId).toBeUndefined()
    expect(onlySpan(tracesData({ parentSpanId: 'AAAAAAAAAAA=' })).parentSpanId).toBeUndefined()
    expect(onlySpan(tracesData({ parentSpanId: 'ABC' })).parentSpanId).toBe('0000000000000abc')
  })

  it('reads flags and trace state; 0 and "" are the proto defaults and read as absent', () => {
    const span = onlySpan(tracesData({ flags: 769, traceState: 'a=b' }))
    expect([span.flags, span.traceState]).toEqual([769, 'a=b'])
    const plain = onlySpan(tracesData({ flags: 0, traceState: '' }))
    expect([plain.flags, plain.traceState]).toEqual([undefined, undefined])
  })

  it('skips unreadable spans with one invalid-span warning', () => {
    const result = otlpJsonImporter.importDocument({
      resourceSpans: [
        null,
        { scopeSpans: [{ spans: [42, { traceId: '', spanId: '0102030405060708' }, { spanId: 'ab' }, { traceId: 'ab', spanId: 'cd' }] }, 'junk'] },
        { scopeSpans: [{ spans: { not: 'a list' } }] },
      ],
    })
    expect(result.spans.map((span) => span.spanId)).toEqual(['00000000000000cd'])
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]?.kind).toBe('invalid-span')
    expect(result.warnings[0]?.message).toBe(
      '4 spans could not be read and were skipped (resource 2 scope 1 span 1 is a number, not an object; resource 2 scope 1 span 2 has no trace id; resource 2 scope 1 span 3 has no trace id; and 1 more)',
    )
    expect(result.warnings[0]?.spanIds).toEqual(['0102030405060708', '00000000000000ab'])
  })

  it('throws an ImportError when resourceSpans is not a list, and reads null as empty', () => {
    expect(() => otlpJsonImporter.importDocument({ resourceSpans: 'nope' })).toThrow(ImportError)
    expect(() => importResourceSpans({})).toThrow(/must be a list/)
    expect(otlpJsonImporter.importDocument({ resourceSpans: null })).toEqual({ spans: [], warnings: [] })
    expect(() => otlpJsonImporter.importDocument([])).toThrow(ImportError)
  })

  it('detects TracesData in either spelling and nothing else', () => {
    expect(otlpJsonImporter.detect({ resourceSpans: [] })).toBe(true)
    expect(otlpJsonImporter.detect({ resource_spans: [] })).toBe(true)
    expect(otlpJsonImporter.detect({ resourceLogs: [] })).toBe(false)
    expect(otlpJsonImporter.detect({ batches: [] })).toBe(false)
    expect(otlpJsonImporter.detect([{ resourceSpans: [] }])).toBe(false)
    expect(otlpJsonImporter.detect(null)).toBe(false)
  })

  it('leaves logs and metrics lines of a mixed collector file to the pipeline, which skips them', () => {
    const text = [
      JSON.stringify({ resourceLogs: [{ scopeLogs: [] }] }),
      JSON.stringify(tracesData({ name: 'kept' })),
      JSON.stringify({ resourceMetrics: [] }),
    ].join('\n')
    const result = importDocuments(parseJsonDocuments(text), { json: [otlpJsonImporter], binary: [] })
    expect(result.spans.map((span) => span.name)).toEqual(['kept'])
    expect(result.warnings.map((warning) => warning.kind)).toEqual(['skipped-document'])
  })

  it('never throws anything but an ImportError, whatever the document holds', () => {
    const anyJson = fc.anything({ withBigInt: true, withNullPrototype: true, maxDepth: 6 })
    const otlpish = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        anyJson,
        fc.record({ stringValue: anyJson }),
        fc.record({ intValue: anyJson }),
        fc.record({ doubleValue: anyJson }),
        fc.record({ bytesValue: anyJson }),
        fc.record({ arrayValue: fc.oneof(anyJson, fc.record({ values: fc.array(tie('value'), { maxLength: 3 }) })) }),
        fc.record({ kvlistValue: fc.record({ values: fc.array(fc.record({ key: anyJson, value: tie('value') }), { maxLength: 3 }) }) }),
      ),
      span: fc.record(
        {
          traceId: fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{1,32}$/), anyJson),
          spanId: fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{1,16}$/), anyJson),
          parentSpanId: anyJson,
          kind: anyJson,
          startTimeUnixNano: anyJson,
          endTimeUnixNano: anyJson,
          status: fc.oneof(anyJson, fc.record({ code: anyJson, message: anyJson, deprecatedCode: anyJson })),
          attributes: fc.oneof(anyJson, fc.array(fc.record({ key: anyJson, value: tie('value') }), { maxLength: 4 })),
          events: fc.oneof(anyJson, fc.array(fc.record({ timeUnixNano: anyJson, name: anyJson, attributes: anyJson }), { maxLength: 2 })),
          links: fc.oneof(anyJson, fc.array(fc.record({ traceId: anyJson, spanId: anyJson, traceState: anyJson }), { maxLength: 2 })),
          flags: anyJson,
          traceState: anyJson,
        },
        { requiredKeys: [] },
      ),
    }))
    const document = fc.record({
      resourceSpans: fc.oneof(
        anyJson,
        fc.array(
          fc.record(
            {
              resource: fc.oneof(anyJson, fc.record({ attributes: anyJson })),
              scopeSpans: fc.oneof(anyJson, fc.array(fc.record({ scope: anyJson, spans: fc.oneof(anyJson, fc.array(otlpish.span, { maxLength: 3 })) }), { maxLength: 2 })),
              instrumentationLibrarySpans: anyJson,
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
      ),
    })
    fc.assert(
      fc.property(document, (doc) => {
        try {
          const result = otlpJsonImporter.importDocument(doc)
          buildTraces(result.spans)
        } catch (error) {
          if (!(error instanceof ImportError)) throw error
        }
      }),
      { numRuns: 300 },
    )
  })
})
