import { readFileSync, readdirSync } from 'node:fs'
import { fromJson, toBinary } from '@bufbuild/protobuf'
import type { JsonValue } from '@bufbuild/protobuf'
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ImportResult, SpanRecord } from '../model/span-record.ts'
import { encodeBase64, hexToBytes } from './ids.ts'
import { ImportError } from './import-error.ts'
import { importBytes } from './import-input.ts'
import { otlpJsonImporter } from './otlp.ts'
import { looksLikeOtlpProtobuf, otlpProtobufImporter } from './otlp-protobuf.ts'
import { parseJsonDocuments } from './parse-json.ts'
import { TracesDataSchema } from './proto/generated/opentelemetry/proto/trace/v1/trace_pb.ts'
import { tempoImporter } from './tempo.ts'

const fixtureUrl = (path: string) => new URL(`../../fixtures/${path}`, import.meta.url)
const readFixture = (path: string) => readFileSync(fixtureUrl(path), 'utf8')
const OTLP_FIXTURES = readdirSync(fixtureUrl('otlp')).filter((name) => !name.endsWith('.pb')).map((name) => `otlp/${name}`)

const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId', 'trace_id', 'span_id', 'parent_span_id'])

/**
 * OTLP/JSON (hex ids) as generic proto3-JSON (base64 bytes), which the library's JSON reader
 * takes: hex ids re-encoded, bigints from the lossless reader written as decimal strings.
 */
function toProto3Json(value: unknown, key = ''): JsonValue {
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string' && ID_KEYS.has(key) && /^[0-9a-fA-F]*$/.test(value)) {
    const bytes = hexToBytes(value.length % 2 === 0 ? value : `0${value}`)
    return bytes ? encodeBase64(bytes) : value
  }
  if (Array.isArray(value)) return value.map((item) => toProto3Json(item))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toProto3Json(v, k)]))
  }
  return value as JsonValue
}

/** Every document of a JSON fixture encoded by the protobuf library; concatenated messages merge. */
function encodeFixture(path: string): Uint8Array {
  const parts = parseJsonDocuments(readFixture(path)).map((document) =>
    toBinary(TracesDataSchema, fromJson(TracesDataSchema, toProto3Json(document), { ignoreUnknownFields: true })),
  )
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

function importJsonFixture(path: string): ImportResult {
  const spans: SpanRecord[] = []
  const warnings: ImportResult['warnings'] = []
  for (const document of parseJsonDocuments(readFixture(path))) {
    const result = otlpJsonImporter.importDocument(document)
    spans.push(...result.spans)
    warnings.push(...result.warnings)
  }
  return { spans, warnings }
}

function tempoV2Response(trace: Uint8Array, fields: { metrics?: boolean; status?: number; message?: string }): Uint8Array {
  const writer = new BinaryWriter()
  writer.tag(1, WireType.LengthDelimited).bytes(trace)
  if (fields.metrics) writer.tag(2, WireType.LengthDelimited).bytes(new Uint8Array([0x08, 0x2a]))
  if (fields.status !== undefined) writer.tag(3, WireType.Varint).int32(fields.status)
  if (fields.message !== undefined) writer.tag(4, WireType.LengthDelimited).string(fields.message)
  return writer.finish()
}

describe('otlpProtobufImporter', () => {
  it.each(OTLP_FIXTURES)('decodes %s, encoded by the protobuf library, into the same records as the JSON', (path) => {
    const bytes = encodeFixture(path)
    expect(otlpProtobufImporter.detect(bytes)).toBe(true)
    const fromProtobuf = otlpProtobufImporter.importBytes(bytes)
    const fromJsonText = importJsonFixture(path)
    expect(fromProtobuf.spans.length).toBeGreaterThan(0)
    expect(fromProtobuf).toEqual(fromJsonText)
  })

  it('reads the committed otel_traces_01.spanglass.pb through the import pipeline', async () => {
    const bytes = new Uint8Array(readFileSync(fixtureUrl('otlp/otel_traces_01.spanglass.pb')))
    // The file is what the library writes for otel_traces_01.json, byte for byte.
    expect(bytes).toEqual(encodeFixture('otlp/otel_traces_01.json'))
    const result = await importBytes(bytes, { json: [otlpJsonImporter], binary: [otlpProtobufImporter] })
    expect(result.format).toBe('otlp-protobuf')
    expect(result.spans).toEqual(importJsonFixture('otlp/otel_traces_01.json').spans)
    const span = result.spans.find((s) => s.name === 'test-general-conversion-2')
    expect(span?.traceId).toBe('00000000000000010000000000000000')
    expect(span?.attributes.find((attribute) => attribute.key === 'blob')?.value).toEqual(new Uint8Array([0, 0, 0x30, 0x39]))
  })

  it('keeps nanoseconds beyond 2^53 exactly', () => {
    const result = otlpProtobufImporter.importBytes(encodeFixture('otlp/snake-case-bigint.spanglass.json'))
    expect(result.spans.map((span) => [span.startTimeNs, span.durationNs])).toEqual([
      [1700000000123456789n, 212],
      [1700000000123456999n, 0],
    ])
  })

  it('unwraps a Tempo v2 TraceByIDResponse and warns when it is partial', () => {
    const trace = encodeFixture('otlp/example_trace.json')
    const expected = importJsonFixture('otlp/example_trace.json').spans
    const partial = otlpProtobufImporter.importBytes(tempoV2Response(trace, { metrics: true, status: 1, message: 'too big' }))
    expect(partial.spans).toEqual(expected)
    expect(partial.warnings).toEqual([
      { kind: 'source-warning', message: 'Tempo returned a partial trace (status PARTIAL); some spans may be missing (Tempo says: "too big")', spanIds: [] },
    ])
    const complete = otlpProtobufImporter.importBytes(tempoV2Response(trace, { metrics: true }))
    expect(complete).toEqual({ spans: expected, warnings: [] })
    // Only the trace field: read as TracesData it holds no span, so it is unwrapped.
    const bare = otlpProtobufImporter.importBytes(tempoV2Response(trace, {}))
    expect(bare).toEqual({ spans: expected, warnings: [] })
  })

  it('agrees with the Tempo JSON importer on the same partial answer', () => {
    const json = parseJsonDocuments(readFixture('tempo/v2-partial.spanglass.json'))[0] as { trace: unknown; message: string }
    const trace = toBinary(TracesDataSchema, fromJson(TracesDataSchema, toProto3Json(json.trace)))
    const fromProtobuf = otlpProtobufImporter.importBytes(tempoV2Response(trace, { metrics: true, status: 1, message: json.message }))
    expect(fromProtobuf).toEqual(tempoImporter.importDocument(json))
  })

  it('sniffs field 1 with a plausible length, not text that starts with a newline', () => {
    expect(looksLikeOtlpProtobuf(new Uint8Array([0x0a, 0x00]))).toBe(true)
    expect(looksLikeOtlpProtobuf(new Uint8Array([0x0a, 0x02, 0x12, 0x00]))).toBe(true)
    expect(looksLikeOtlpProtobuf(new TextEncoder().encode('\nhello world'))).toBe(false)
    expect(looksLikeOtlpProtobuf(new TextEncoder().encode('{"resourceSpans":[]}'))).toBe(false)
    expect(looksLikeOtlpProtobuf(new Uint8Array([0x0a, 0x05, 0x0a]))).toBe(false)
    expect(looksLikeOtlpProtobuf(new Uint8Array([0x0a, 0x01, 0x42]))).toBe(false)
    expect(looksLikeOtlpProtobuf(new Uint8Array([]))).toBe(false)
  })

  it('reports undecodable bytes as an invalid-protobuf ImportError', () => {
    const truncated = encodeFixture('otlp/trace.json').slice(0, 60)
    expect(() => otlpProtobufImporter.importBytes(truncated)).toThrow(ImportError)
    try {
      otlpProtobufImporter.importBytes(new Uint8Array([0x0a, 0x02, 0x0a, 0xff]))
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError)
      expect((error as ImportError).kind).toBe('invalid-protobuf')
      expect((error as ImportError).message).toMatch(/^The input looks like OTLP protobuf \(TracesData\) but does not decode: /)
    }
  })

  it('never throws anything but an ImportError on random bytes', () => {
    const valid = encodeFixture('otlp/otel_traces_01.json')
    const mutated = fc.tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: valid.length })).map(([at, byte, length]) => {
      const copy = valid.slice(0, length)
      if (at < copy.length) copy[at] = byte
      return copy
    })
    const random = fc.uint8Array({ maxLength: 200 }).map((bytes) => new Uint8Array([0x0a, ...bytes]))
    fc.assert(
      fc.property(fc.oneof(mutated, random), (bytes) => {
        try {
          otlpProtobufImporter.importBytes(bytes)
        } catch (error) {
          if (!(error instanceof ImportError)) throw error
        }
      }),
      { numRuns: 500 },
    )
  })
})
