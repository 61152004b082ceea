import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildTraces } from '../model/build-traces.ts'
import { dumpTrace } from '../model/dump.ts'
import { ImportError } from './import-error.ts'
import { importBytes, importText } from './import-input.ts'
import { defaultImporters } from './registry.ts'

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)))

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

async function importError(bytes: Uint8Array): Promise<ImportError> {
  try {
    await importBytes(bytes, defaultImporters)
  } catch (error) {
    if (error instanceof ImportError) return error
    throw error
  }
  throw new Error('expected an ImportError')
}

const text = (s: string) => new TextEncoder().encode(s)

describe('importBytes', () => {
  it.each([
    ['jaeger/testTraceNormal.json', 'jaeger-json'],
    ['zipkin/yelp.json', 'zipkin-v2'],
    ['zipkin/span-rpc.json', 'zipkin-v1'],
    ['otlp/trace.json', 'otlp-json'],
    ['otlp/otlp2jaeger-multi-in.json.txt', 'otlp-json'],
    ['tempo/trace_by_id.json', 'tempo-json'],
    ['jaeger/getTrace-response.json', 'jaeger-api-v3'],
  ])('detects %s as %s by content, and gzip of it gives the same trace', async (path, format) => {
    const bytes = fixture(path)
    const plain = await importBytes(bytes, defaultImporters)
    expect(plain.format).toBe(format)
    expect(plain.spans.length).toBeGreaterThan(0)
    const zipped = await importBytes(await gzip(bytes), defaultImporters)
    expect(buildTraces(zipped.spans).map(dumpTrace)).toEqual(buildTraces(plain.spans).map(dumpTrace))
  })

  it('says what it found and what it expected for JSON that is not a trace', async () => {
    const error = await importError(text('{"hello": "world", "n": 1}'))
    expect(error.kind).toBe('unknown-format')
    expect(error.message).toMatch(/^Not a trace format Spanglass reads: found a JSON object with keys "hello", "n"\. Expected one of: /)
    for (const label of ['Jaeger JSON', 'Zipkin v2 JSON', 'Zipkin v1 JSON', 'OTLP JSON', 'OTLP protobuf', 'Tempo']) expect(error.message).toContain(label)
  })

  it('names known non-trace shapes such as dependency links', async () => {
    const error = await importError(fixture('jaeger/small.json'))
    expect(error.message).toContain('found service dependency links, which is not a trace')
  })

  it('reports malformed JSON with line and column', async () => {
    const error = await importError(text('[\n {"traceId": "a", "id": "b",}\n]'))
    expect(error.kind).toBe('malformed-json')
    expect([error.line, error.column]).toEqual([2, 29])
  })

  it('rejects empty, binary junk and broken gzip with their own messages', async () => {
    expect((await importError(new Uint8Array())).kind).toBe('empty-input')
    expect((await importError(new Uint8Array([0x1f, 0x8b, 1, 2, 3]))).kind).toBe('invalid-gzip')
    const junk = await importError(text('hello, world'))
    expect(junk.kind).toBe('unknown-format')
    expect(junk.message).toContain('neither JSON')
  })

  it('skips non-trace documents in a JSON lines file with a warning', () => {
    const otlp = readFileSync(new URL('../../fixtures/otlp/trace.json', import.meta.url), 'utf8')
    const lines = `${JSON.stringify(JSON.parse(otlp))}\n{"resourceLogs": []}\n`
    const result = importText(lines, defaultImporters)
    expect(result.spans.length).toBeGreaterThan(0)
    expect(result.warnings.map((w) => w.kind)).toContain('skipped-document')
    expect(result.warnings.find((w) => w.kind === 'skipped-document')?.message).toContain('OTLP logs')
  })
})
