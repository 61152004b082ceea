import { readdirSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { generateTraceText } from '../generator/generate-text.ts'
import type { GenFormat } from '../generator/generate-text.ts'
import { buildTraces } from '../model/build-traces.ts'
import { dumpTrace } from '../model/dump.ts'
import { ImportError } from './import-error.ts'
import { importBytes } from './import-input.ts'
import type { InputImport } from './import-input.ts'
import { defaultImporters } from './registry.ts'
import { importByteStream, shouldStream } from './stream-import.ts'
import type { StreamImportOptions } from './stream-import.ts'

/** A stream that delivers `bytes` in pieces of the given sizes, cycling through them. */
function streamOf(bytes: Uint8Array, pieceSizes: readonly number[]): ReadableStream<Uint8Array> {
  let at = 0
  let k = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close()
        return
      }
      const size = pieceSizes[k++ % pieceSizes.length] as number
      controller.enqueue(bytes.slice(at, at + size))
      at += size
    },
  })
}

/**
 * The same as a byte stream (as a Blob's or a fetch body is), which `importByteStream` reads into
 * one buffer it reuses: any chunk the reader kept past the next read would come out overwritten.
 */
function byteStreamOf(bytes: Uint8Array, pieceSizes: readonly number[]): ReadableStream<Uint8Array> {
  let at = 0
  let k = 0
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      const request = controller.byobRequest
      if (at >= bytes.length) {
        controller.close()
        request?.respond(0)
        return
      }
      const size = pieceSizes[k++ % pieceSizes.length] as number
      if (request?.view) {
        const view = new Uint8Array(request.view.buffer, request.view.byteOffset, request.view.byteLength)
        const piece = bytes.subarray(at, at + Math.min(size, view.length))
        view.set(piece)
        at += piece.length
        request.respond(piece.length)
      } else {
        controller.enqueue(bytes.slice(at, at + size))
        at += size
      }
    },
  })
}

type StreamImport = (bytes: Uint8Array, pieceSizes: readonly number[], options?: StreamImportOptions) => Promise<InputImport>

/** The ways a stream reaches `importByteStream`: as it comes, and a byte stream also into one reused buffer. */
const STREAMS: ReadonlyArray<readonly [string, StreamImport]> = [
  ['a stream', (bytes, pieces, options) => importByteStream(streamOf(bytes, pieces), defaultImporters, options)],
  ['a byte stream', (bytes, pieces, options) => importByteStream(byteStreamOf(bytes, pieces), defaultImporters, options)],
  [
    'a byte stream into one buffer',
    (bytes, pieces, options) => importByteStream(byteStreamOf(bytes, pieces), defaultImporters, { ...options, reuseReadBuffer: true }),
  ],
]

type Outcome = { result: InputImport } | { error: string }

async function outcomeOf(read: () => Promise<InputImport>): Promise<Outcome> {
  try {
    return { result: await read() }
  } catch (error) {
    if (error instanceof ImportError) return { error: `${error.kind}: ${error.message}` }
    throw error
  }
}

/** Streamed with tiny buffers and tiny whole-document limits, so that every document is split. */
const SPLIT_EVERYTHING: StreamImportOptions = { chunkBytes: 97, wholeDocumentLimitBytes: 0 }

const fixtureDir = new URL('../../fixtures/', import.meta.url)
const FIXTURES = ['jaeger', 'otlp', 'tempo', 'zipkin'].flatMap((dir) =>
  readdirSync(new URL(`${dir}/`, fixtureDir))
    .filter((name) => name.endsWith('.json') || name.endsWith('.json.txt'))
    .map((name) => `${dir}/${name}`),
)

describe('importByteStream', () => {
  it.each(FIXTURES)('equals importBytes for %s, split at any point', async (path) => {
    const bytes = new Uint8Array(readFileSync(new URL(path, fixtureDir)))
    const whole = await outcomeOf(() => importBytes(bytes, defaultImporters))
    for (const [, importVia] of STREAMS) {
      for (const pieces of [[1 << 20], [1], [7, 3, 61], [4096]]) {
        for (const options of [SPLIT_EVERYTHING, { chunkBytes: 33, wholeDocumentLimitBytes: 1 << 20 }]) {
          const streamed = await outcomeOf(() => importVia(bytes, pieces, options))
          expect(streamed).toStrictEqual(whole)
        }
      }
    }
  })

  it.each<[GenFormat, number, number]>([
    ['jaeger-json', 3_000, 1],
    ['jaeger-json', 2_000, 7],
    ['zipkin-json', 3_000, 1],
    ['zipkin-json', 2_000, 5],
    ['otlp-json', 3_000, 1],
  ])('equals importBytes for generated %s (%i spans, %i traces), whole and split', async (format, spanCount, traceCount) => {
    const text = [...generateTraceText({ format, spanCount, traceCount, seed: 3 })].join('')
    const bytes = new TextEncoder().encode(text)
    const whole = await importBytes(bytes, defaultImporters)
    expect(whole.spans).toHaveLength(spanCount)
    for (const [, importVia] of STREAMS) {
      for (const options of [{}, SPLIT_EVERYTHING, { chunkBytes: 4096, wholeDocumentLimitBytes: 50_000 }]) {
        const streamed = await importVia(bytes, [65536, 1, 1000], options)
        expect(streamed).toStrictEqual(whole)
      }
    }
    // And the traces built from them, in the compact dump the importer tests snapshot.
    const streamed = await importByteStream(streamOf(bytes, [5000]), defaultImporters, SPLIT_EVERYTHING)
    expect(buildTraces(streamed.spans).map(dumpTrace)).toEqual(buildTraces(whole.spans).map(dumpTrace))
  })

  it('reads the generated OTLP (a 1,000-span document per line) as a large single document too', async () => {
    const lines = [...generateTraceText({ format: 'otlp-json', spanCount: 2_500, seed: 4, otlpBatchSpans: 2_500 })].join('')
    const bytes = new TextEncoder().encode(lines)
    const whole = await importBytes(bytes, defaultImporters)
    expect(await importByteStream(streamOf(bytes, [999]), defaultImporters, SPLIT_EVERYTHING)).toStrictEqual(whole)
  })

  it('undoes gzip (twice) on the fly', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('zipkin/messaging-kafka.json', fixtureDir)))
    const whole = await importBytes(bytes, defaultImporters)
    const once = new Uint8Array(gzipSync(bytes))
    const twice = new Uint8Array(gzipSync(once))
    for (const [, importVia] of STREAMS) {
      expect(await importVia(once, [10, 500], SPLIT_EVERYTHING)).toStrictEqual(whole)
      expect(await importVia(twice, [3], SPLIT_EVERYTHING)).toStrictEqual(whole)
    }
  })

  it('reads protobuf by collecting the bytes', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('otlp/otel_traces_01.spanglass.pb', fixtureDir)))
    for (const [, importVia] of STREAMS) expect(await importVia(bytes, [100])).toStrictEqual(await importBytes(bytes, defaultImporters))
  })

  it.each(STREAMS)('reports bytes read, and errors as ImportErrors, from %s', async (_, importVia) => {
    const bytes = new TextEncoder().encode('{"data":[{"traceID":"1","spans":[{"spanID":"1"},{"spanID": x}]}]}')
    const seen: number[] = []
    const outcome = await outcomeOf(() => importVia(bytes, [10], { ...SPLIT_EVERYTHING, onBytes: (n) => seen.push(n) }))
    expect(outcome).toEqual({ error: 'malformed-json: Malformed JSON at line 1, column 60 near "x}]}]}".' })
    expect(seen.at(-1)).toBe(bytes.length)
    expect(await outcomeOf(() => importVia(new Uint8Array(0), [1]))).toEqual({ error: 'empty-input: The input is empty.' })
    expect(await outcomeOf(() => importVia(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), [2]))).toMatchObject({
      error: expect.stringMatching(/^invalid-gzip: /),
    })
  })

  it('streams large or unknown-size inputs', () => {
    expect(shouldStream(300 << 20, false)).toBe(true)
    expect(shouldStream(120 << 20, false)).toBe(false)
    expect(shouldStream(1 << 20, false)).toBe(false)
    // gzip: judged by the size it will have once decompressed (about 8 times).
    expect(shouldStream(40 << 20, true)).toBe(true)
    expect(shouldStream(10 << 20, true)).toBe(false)
    expect(shouldStream(undefined, false)).toBe(true)
  })
})
