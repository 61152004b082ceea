import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildTraces, removeExactDuplicates } from '../model/build-traces.ts'
import { SpanKind, StatusCode } from '../model/span-record.ts'
import type { SpanRecord } from '../model/span-record.ts'
import { otlpJsonImporter } from '../importers/otlp.ts'
import { parseJsonDocuments } from '../importers/parse-json.ts'
import { toOtlpJson } from './otlp-json.ts'

const fixtureUrl = (path: string) => new URL(`../../fixtures/${path}`, import.meta.url)
const OTLP_FIXTURES = readdirSync(fixtureUrl('otlp')).filter((name) => !name.endsWith('.pb'))

function importText(text: string): SpanRecord[] {
  return parseJsonDocuments(text).flatMap((document) => otlpJsonImporter.importDocument(document).spans)
}

function compareBigInt(a: bigint | undefined, b: bigint | undefined): number {
  if (a === b) return 0
  if (a === undefined) return -1
  if (b === undefined) return 1
  return a < b ? -1 : 1
}

function sorted(spans: readonly SpanRecord[]): SpanRecord[] {
  return [...spans].sort(
    (a, b) =>
      a.traceId.localeCompare(b.traceId) ||
      a.spanId.localeCompare(b.spanId) ||
      compareBigInt(a.startTimeNs, b.startTimeNs) ||
      a.name.localeCompare(b.name) ||
      a.service.localeCompare(b.service),
  )
}

/** A record with defaults, for hand-built traces. */
function record(overrides: Partial<SpanRecord> & Pick<SpanRecord, 'spanId'>): SpanRecord {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    name: 'op',
    service: 'svc',
    kind: SpanKind.Internal,
    startTimeNs: 1700000000000000000n,
    durationNs: 1000,
    statusCode: StatusCode.Unset,
    attributes: [],
    resource: [],
    events: [],
    links: [],
    ...overrides,
  }
}

describe('toOtlpJson', () => {
  it.each(OTLP_FIXTURES)('round-trips otlp/%s: import(export(import(file))) equals import(file)', (name) => {
    const original = importText(readFileSync(fixtureUrl(`otlp/${name}`), 'utf8'))
    const exported = JSON.stringify(toOtlpJson(buildTraces(original)))
    const again = importText(exported)
    // Export writes built traces, from which exact duplicates (formats.md §8.1) are gone.
    const expected = removeExactDuplicates(original).spans
    expect(again).toHaveLength(expected.length)
    const left = sorted(again)
    const right = sorted(expected)
    for (let i = 0; i < right.length; i++) expect(left[i]).toEqual(right[i])
  })

  it('writes the OTLP/JSON encoding: hex ids, integer enums, int64 and times as strings, grouped by resource and scope', () => {
    const resource = [{ key: 'service.name', value: 'api' }]
    const scope = { name: 'lib', version: '1.0' }
    const spans: SpanRecord[] = [
      record({
        traceId: '4bf92f3577b34da6',
        spanId: 'ABC',
        service: 'api',
        resource,
        scope,
        kind: SpanKind.Server,
        startTimeNs: 1700000000123456789n,
        durationNs: 212,
        statusCode: StatusCode.Error,
        statusMessage: 'boom',
        traceState: 'k=v',
        flags: 769,
        attributes: [
          { key: 's', value: 'x' },
          { key: 'b', value: true },
          { key: 'i', value: 9007199254740993n },
          { key: 'd', value: 1.5 },
          { key: 'nan', value: Number.NaN },
          { key: 'inf', value: Number.NEGATIVE_INFINITY },
          { key: 'bytes', value: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) },
          { key: 'empty', value: null },
          { key: 'list', value: [1n, 'a', []] },
          { key: 'map', value: { kvlist: [{ key: 'k', value: false }] } },
        ],
        events: [{ timeNs: 1700000000123456800n, name: 'exception', attributes: [{ key: 'exception.type', value: 'E' }] }],
        links: [{ traceId: '1', spanId: '2', kind: 'link', traceState: 't=1', attributes: [] }],
      }),
      // Another trace as far as the model knows (the first record's ids were not normalized).
      record({ spanId: '0000000000000002', parentSpanId: '0000000000000abc', traceId: '00000000000000004bf92f3577b34da6', service: 'api', resource, scope, startTimeNs: 1700000000123456790n }),
      record({ spanId: '0000000000000003', parentSpanId: '0000000000000abc', traceId: '00000000000000004bf92f3577b34da6', service: 'api', resource, startTimeNs: 1700000000123456790n }),
    ]
    const json = toOtlpJson(buildTraces(spans))
    expect(json).toEqual({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          scopeSpans: [
            {
              scope: { name: 'lib', version: '1.0' },
              spans: [
                {
                  traceId: '00000000000000004bf92f3577b34da6',
                  spanId: '0000000000000abc',
                  traceState: 'k=v',
                  flags: 769,
                  name: 'op',
                  kind: 2,
                  startTimeUnixNano: '1700000000123456789',
                  endTimeUnixNano: '1700000000123457001',
                  attributes: [
                    { key: 's', value: { stringValue: 'x' } },
                    { key: 'b', value: { boolValue: true } },
                    { key: 'i', value: { intValue: '9007199254740993' } },
                    { key: 'd', value: { doubleValue: 1.5 } },
                    { key: 'nan', value: { doubleValue: 'NaN' } },
                    { key: 'inf', value: { doubleValue: '-Infinity' } },
                    { key: 'bytes', value: { bytesValue: '3q2+7w==' } },
                    { key: 'empty', value: {} },
                    { key: 'list', value: { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'a' }, { arrayValue: { values: [] } }] } } },
                    { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } } },
                  ],
                  events: [{ timeUnixNano: '1700000000123456800', name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'E' } }] }],
                  links: [{ traceId: '00000000000000000000000000000001', spanId: '0000000000000002', traceState: 't=1', attributes: [] }],
                  status: { code: 2, message: 'boom' },
                },
                {
                  traceId: '00000000000000004bf92f3577b34da6',
                  spanId: '0000000000000002',
                  parentSpanId: '0000000000000abc',
                  name: 'op',
                  kind: 1,
                  startTimeUnixNano: '1700000000123456790',
                  endTimeUnixNano: '1700000000123457790',
                  attributes: [],
                  status: {},
                },
              ],
            },
            {
              spans: [
                {
                  traceId: '00000000000000004bf92f3577b34da6',
                  spanId: '0000000000000003',
                  parentSpanId: '0000000000000abc',
                  name: 'op',
                  kind: 1,
                  startTimeUnixNano: '1700000000123456790',
                  endTimeUnixNano: '1700000000123457790',
                  attributes: [],
                  status: {},
                },
              ],
            },
          ],
        },
      ],
    })
  })

  it('adds service.name when the resource lacks it and says which Jaeger reference a link was', () => {
    const spans = [
      record({
        spanId: '0000000000000001',
        service: 'frontend',
        resource: [{ key: 'hostname', value: 'h1' }],
        links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '0000000000000009', kind: 'follows_from', attributes: [] }],
      }),
      record({ spanId: '0000000000000002', service: 'backend', resource: [{ key: 'hostname', value: 'h1' }] }),
      record({ spanId: '0000000000000003', service: 'unknown_service' }),
    ]
    const json = toOtlpJson(buildTraces(spans)) as { resourceSpans: Array<{ resource: unknown; scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> }
    expect(json.resourceSpans.map((group) => group.resource)).toEqual([
      { attributes: [{ key: 'service.name', value: { stringValue: 'frontend' } }, { key: 'hostname', value: { stringValue: 'h1' } }] },
      { attributes: [{ key: 'service.name', value: { stringValue: 'backend' } }, { key: 'hostname', value: { stringValue: 'h1' } }] },
      { attributes: [] },
    ])
    expect(json.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.links).toEqual([
      {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: '0000000000000009',
        attributes: [{ key: 'opentracing.ref_type', value: { stringValue: 'follows_from' } }],
      },
    ])
    const reimported = importText(JSON.stringify(json))
    expect(reimported.map((span) => span.service)).toEqual(['frontend', 'backend', 'unknown_service'])
  })

  it('keeps negative durations and leaves out times the span does not have', () => {
    const spans = [
      record({ spanId: '0000000000000001', durationNs: -500 }),
      record({ spanId: '0000000000000002', startTimeNs: undefined, durationNs: undefined }),
      record({ spanId: '0000000000000003', durationNs: undefined }),
    ]
    const reimported = importText(JSON.stringify(toOtlpJson(buildTraces(spans))))
    expect(sorted(reimported).map((span) => [span.spanId, span.startTimeNs, span.durationNs])).toEqual([
      ['0000000000000001', 1700000000000000000n, -500],
      ['0000000000000002', undefined, undefined],
      ['0000000000000003', 1700000000000000000n, undefined],
    ])
  })

  it('writes an empty list for no traces', () => {
    expect(toOtlpJson([])).toEqual({ resourceSpans: [] })
  })
})
