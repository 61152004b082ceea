import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { generateTraceText } from '../generator/generate-text.ts'
import { importDocuments } from '../importers/import-input.ts'
import { readInPieces } from '../importers/import-pieces.ts'
import { hasUnsafeIntegerLiteralInBytes, parseJsonDocuments } from '../importers/parse-json.ts'
import { defaultImporters } from '../importers/registry.ts'
import { TraceSet } from '../model/build-traces.ts'
import { materializeSpan } from '../model/lazy-span.ts'
import { ImportSession, readBlob } from './import-pipeline.ts'
import type { UnsafeIntegerCheck } from './import-pipeline.ts'
import type { ImportInput, ImportProgress } from './import-protocol.ts'

function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)))
}

function blobInput(id: string, bytes: Uint8Array | string): ImportInput {
  return { id, name: `${id}.json`, source: { kind: 'blob', blob: new Blob([bytes as BlobPart]) } }
}

describe('ImportSession', () => {
  it('imports several files, keeping the good ones when one is broken', async () => {
    const session = new ImportSession(defaultImporters)
    const { traces, results } = await session.run([
      blobInput('jaeger', fixture('jaeger/spansAmongEachOther.json')),
      blobInput('broken', '{\n  "data": [\n    {"traceID": 1,,}\n  ]\n}'),
      blobInput('other', '{"hello": "world"}'),
      blobInput('zipkin', fixture('zipkin/messaging-kafka.json')),
    ])
    expect(results.map((result) => [result.id, result.error === undefined])).toEqual([
      ['jaeger', true],
      ['broken', false],
      ['other', false],
      ['zipkin', true],
    ])
    expect(results[0]?.format).toBe('jaeger-json')
    expect(results[3]?.format).toBe('zipkin-v2')
    expect(results[1]?.error).toMatch(/line 3.*column|column.*line 3/i)
    expect(results[2]?.error).toMatch(/"hello"/)
    expect(traces).toHaveLength(2)
    expect(traces.map((trace) => trace.spanCount).reduce((a, b) => a + b)).toBe((results[0]?.spanCount ?? 0) + (results[3]?.spanCount ?? 0))
  })

  it('merges fragments of one trace that arrive in separate jobs', async () => {
    const text = new TextDecoder().decode(fixture('zipkin/messaging-kafka.json'))
    const spans = JSON.parse(text) as unknown[]
    const half = Math.floor(spans.length / 2)
    const session = new ImportSession(defaultImporters)
    const first = await session.run([blobInput('a', JSON.stringify(spans.slice(0, half)))])
    const second = await session.run([blobInput('b', JSON.stringify(spans.slice(half)))])
    expect(first.traces).toHaveLength(1)
    expect(second.traces).toHaveLength(1)
    expect(second.traces[0]?.traceId).toBe(first.traces[0]?.traceId)
    expect(second.traces[0]?.spanCount).toBe(spans.length)
    session.clear()
    const afterClear = await session.run([blobInput('c', JSON.stringify(spans.slice(half)))])
    expect(afterClear.traces[0]?.spanCount).toBe(spans.length - half)
  })

  it('reads gzipped files and pasted text alike', async () => {
    const bytes = fixture('otlp/trace.json')
    const session = new ImportSession(defaultImporters)
    const { results } = await session.run([
      blobInput('gz', new Uint8Array(gzipSync(bytes))),
      { id: 'pasted', name: 'pasted JSON', source: { kind: 'text', text: new TextDecoder().decode(bytes) } },
    ])
    expect(results.map((result) => result.format)).toEqual(['otlp-json', 'otlp-json'])
    expect(results[0]?.spanCount).toBe(results[1]?.spanCount)
  })

  it('reports progress through every stage, ending at 1', async () => {
    const stages: ImportProgress[] = []
    const session = new ImportSession(defaultImporters)
    await session.run([blobInput('z', fixture('zipkin/smartthings-oauth-authorization.json'))], { onProgress: (progress) => stages.push(progress) })
    expect(stages.map((progress) => progress.stage)).toEqual(expect.arrayContaining(['reading', 'parsing', 'importing', 'building']))
    expect(stages.at(-1)?.fraction).toBe(1)
    for (let i = 1; i < stages.length; i++) expect(stages[i]?.fraction).toBeGreaterThanOrEqual(stages[i - 1]?.fraction ?? 0)
  })

  it('streams large inputs (here: all of them) with the same outcome', async () => {
    const inputs = () => [
      blobInput('jaeger', fixture('jaeger/spansAmongEachOther.json')),
      blobInput('gz', new Uint8Array(gzipSync(fixture('otlp/trace.json')))),
      blobInput('broken', '{\n  "data": [\n    {"traceID": 1,,}\n  ]\n}'),
      blobInput('zipkin', fixture('zipkin/messaging-kafka.json')),
    ]
    const whole = await new ImportSession(defaultImporters).run(inputs())
    const streamed = await new ImportSession(defaultImporters, { streamThresholdBytes: 0 }).run(inputs())
    expect(streamed.results.map((result) => result.error === undefined)).toEqual([true, true, false, true])
    expect(streamed.results[2]?.error).toMatch(/line 3.*column|column.*line 3/i)
    expect(streamed.traces).toStrictEqual(whole.traces)
    expect(streamed.results.filter((result) => !result.error)).toStrictEqual(whole.results.filter((result) => !result.error))
  })

  it('names the file in errors that are not ImportErrors', async () => {
    const failing = new Blob(['x'])
    // A file deleted or moved after it was picked fails when it is read.
    Object.defineProperty(failing, 'arrayBuffer', {
      value: () => Promise.reject(new Error('disk gone')),
    })
    const session = new ImportSession(defaultImporters)
    const { results } = await session.run([{ id: 'f', name: 'lost.json', source: { kind: 'blob', blob: failing } }])
    expect(results[0]?.error).toBe('Could not import lost.json: disk gone')
  })
})

/** An OTLP document of `spanCount` spans (over 1 MB from about 4,000), the last with the attribute `big` written as `bigLiteral`. */
function otlpDocument(spanCount: number, bigLiteral: string): string {
  const spans: string[] = []
  for (let i = 0; i < spanCount; i++) {
    const attributes = [`{"key":"http.route","value":{"stringValue":"/items/${i}"}}`, `{"key":"n","value":{"intValue":"${i}"}}`]
    if (i === spanCount - 1) attributes.push(`{"key":"big","value":{"intValue":${bigLiteral}}}`)
    spans.push(
      `{"traceId":"5b584103c6fc5ddf423cb2fb6552d0f0","spanId":"${(i + 1).toString(16).padStart(16, '0')}",` +
        `${i === 0 ? '' : '"parentSpanId":"0000000000000001",'}"name":"GET /items","kind":2,` +
        `"startTimeUnixNano":"${1691012744032508000 + i * 1000}","endTimeUnixNano":"${1691012744032508000 + i * 1000 + 500}","attributes":[${attributes.join(',')}]}`,
    )
  }
  return `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},"scopeSpans":[{"spans":[${spans.join(',')}]}]}]}`
}

function bigAttribute(traces: Awaited<ReturnType<ImportSession['run']>>['traces']): unknown {
  return traces[0]?.spans.flatMap((span) => span.attributes).find((attribute) => attribute.key === 'big')?.value
}

describe('ImportSession with the unsafe-integer check on another thread', () => {
  const SPANS = 5000
  /** A check that runs here, and records the bytes it was given. */
  const recordingCheck =
    (seen: Uint8Array[]): UnsafeIntegerCheck =>
    (bytes) => {
      seen.push(bytes)
      return Promise.resolve(hasUnsafeIntegerLiteralInBytes(bytes))
    }

  it('keeps an integer beyond 2^53 exact, and reads the file as the session without the check does', async () => {
    const text = otlpDocument(SPANS, '18446744073709551615')
    expect(text.length).toBeGreaterThan(1 << 20)
    const seen: Uint8Array[] = []
    const checked = await new ImportSession(defaultImporters, { checkUnsafeIntegers: recordingCheck(seen) }).run([blobInput('big', text)])
    const plain = await new ImportSession(defaultImporters).run([blobInput('big', text)])
    expect(seen).toHaveLength(1)
    expect(seen[0]?.length).toBe(new TextEncoder().encode(text).length)
    expect(bigAttribute(checked.traces)).toBe(18446744073709551615n)
    expect(checked.traces).toStrictEqual(plain.traces)
    expect(checked.results).toStrictEqual(plain.results)
    expect(checked.traces[0]?.spanCount).toBe(SPANS)
  })

  it('parses once with the engine when the bytes hold no such integer', async () => {
    const text = otlpDocument(SPANS, '9007199254740991')
    const seen: Uint8Array[] = []
    const { traces } = await new ImportSession(defaultImporters, { checkUnsafeIntegers: recordingCheck(seen) }).run([blobInput('safe', text)])
    expect(seen).toHaveLength(1)
    expect(bigAttribute(traces)).toBe(9007199254740991n)
  })

  it('checks on its own thread when the other one fails', async () => {
    const text = otlpDocument(SPANS, '-18446744073709551615')
    const failing: UnsafeIntegerCheck = () => Promise.reject(new Error('worker gone'))
    const { traces, results } = await new ImportSession(defaultImporters, { checkUnsafeIntegers: failing }).run([blobInput('big', text)])
    expect(results[0]?.error).toBeUndefined()
    expect(bigAttribute(traces)).toBe(-18446744073709551615n)
  })

  it('hands over the bytes after a byte order mark, and reports malformed JSON as without the check', async () => {
    const seen: Uint8Array[] = []
    const checked = new ImportSession(defaultImporters, { checkUnsafeIntegers: recordingCheck(seen) })
    const withBom = await checked.run([blobInput('bom', `\ufeff${otlpDocument(SPANS, '18446744073709551615')}`)])
    expect(seen[0]?.[0]).toBe(0x7b)
    expect(bigAttribute(withBom.traces)).toBe(18446744073709551615n)
    const broken = `${otlpDocument(SPANS, '18446744073709551615').slice(0, -3)},,]}`
    const [checkedResult] = (await checked.run([blobInput('broken', broken)])).results
    const [plainResult] = (await new ImportSession(defaultImporters).run([blobInput('broken', broken)])).results
    expect(checkedResult?.error).toMatch(/Malformed JSON at line 1, column/)
    expect(checkedResult?.error).toBe(plainResult?.error)
  })
})

describe('ImportSession reading a Jaeger query API document in pieces', () => {
  const text = [...generateTraceText({ format: 'jaeger-json', spanCount: 2000, traceCount: 1, seed: 9 })].join('')
  const recordingCheck =
    (seen: Uint8Array[]): UnsafeIntegerCheck =>
    (bytes) => {
      seen.push(bytes)
      return Promise.resolve(hasUnsafeIntegerLiteralInBytes(bytes))
    }

  /** The traces of a whole parse of the text, every span with its details read. */
  function wholeTraces(input: string) {
    const set = new TraceSet()
    set.add(importDocuments(parseJsonDocuments(input), defaultImporters).spans)
    return set.buildAll().map((trace) => ({ ...trace, spans: trace.spans.map(materializeSpan) }))
  }

  async function sessionTraces(input: string, check?: UnsafeIntegerCheck) {
    const { traces, results } = await new ImportSession(defaultImporters, check ? { checkUnsafeIntegers: check } : {}).run([blobInput('jaeger', input)])
    return { traces: traces.map((trace) => ({ ...trace, spans: trace.spans.map(materializeSpan) })), results }
  }

  it('reads the document as a whole parse does, the bytes checked on the other thread meanwhile', async () => {
    expect(text.length).toBeGreaterThan(1 << 20)
    expect(readInPieces(text, defaultImporters)).toBeDefined()
    const seen: Uint8Array[] = []
    const { traces, results } = await sessionTraces(text, recordingCheck(seen))
    expect(seen).toHaveLength(1)
    expect(results[0]?.error).toBeUndefined()
    expect(traces).toStrictEqual(wholeTraces(text))
    expect((await sessionTraces(text)).traces).toStrictEqual(traces)
  })

  it('keeps an integer beyond 2^53 in a tag exact, as the exact reader does', async () => {
    const at = text.indexOf('"type":"int64","value":', text.length / 2) + '"type":"int64","value":'.length
    const end = text.slice(at).search(/[},]/) + at
    const big = `${text.slice(0, at)}18446744073709551615${text.slice(end)}`
    const { traces } = await sessionTraces(big, recordingCheck([]))
    const values = traces.flatMap((trace) => trace.spans.flatMap((span) => span.attributes.map((attribute) => attribute.value)))
    expect(values).toContain(18446744073709551615n)
    expect(traces).toStrictEqual((await sessionTraces(big)).traces)
  })

  it('reports malformed JSON in a middle span as the parser does', async () => {
    const at = text.indexOf('"value":"GET"', text.length / 2)
    const broken = `${text.slice(0, at)}"value":GET${text.slice(at + '"value":"GET"'.length)}`
    const { results } = await sessionTraces(broken, recordingCheck([]))
    expect(results[0]?.error).toMatch(/Malformed JSON at line \d+, column/)
    expect(() => parseJsonDocuments(broken)).toThrow(results[0]?.error)
  })
})

describe('readBlob', () => {
  it('reads every byte of a file and reports the end of the stage', async () => {
    const bytes = new Uint8Array(3 * 65536 + 17).map((_, i) => i % 251)
    const fractions: number[] = []
    const read = await readBlob(new Blob([bytes]), (fraction) => fractions.push(fraction))
    expect(Buffer.from(read).equals(Buffer.from(bytes))).toBe(true)
    expect(fractions.at(-1)).toBe(1)
  })
})
