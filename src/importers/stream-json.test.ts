import { describe, expect, it } from 'vitest'
import { ImportError } from './import-error.ts'
import { parseJsonDocuments } from './parse-json.ts'
import { JsonStreamSplitter, JsonValueBuilder, walkJsonDocument } from './stream-json.ts'
import type { JsonStreamHandler } from './stream-json.ts'

/** Events as comparable lines; values through a bigint-aware stringify. */
function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item))
}

function recorder(out: string[]): JsonStreamHandler {
  return {
    onDocument: (value) => out.push(`document ${stringify(value)}`),
    onBeginDocument: () => out.push('begin'),
    onOpen: (key, kind) => out.push(`open ${String(key)} ${kind}`),
    onMember: (key, value) => out.push(`member ${key} ${stringify(value)}`),
    onItem: (index, value) => out.push(`item ${index} ${stringify(value)}`),
    onClose: () => out.push('close'),
    onEndDocument: () => out.push('end'),
  }
}

/** Splits `bytes` at the given cut points and returns the events. */
function splitEvents(bytes: Uint8Array, cuts: readonly number[], wholeDocumentLimitBytes = 0): string[] {
  const out: string[] = []
  const splitter = new JsonStreamSplitter(recorder(out), { wholeDocumentLimitBytes })
  let from = 0
  for (const cut of [...cuts, bytes.length]) {
    splitter.push(bytes.subarray(from, cut))
    from = cut
  }
  splitter.end()
  return out
}

/** Events with whole documents replaced by their walked events: a document may come either way. */
function normalized(events: readonly string[]): string[] {
  return events.flatMap((event) => (event.startsWith('document ') ? walkedEvents(JSON.parse(event.slice(9)) as object) : [event]))
}

/** The events a split document must produce: the walker's, between begin and end. */
function walkedEvents(document: object): string[] {
  const out: string[] = ['begin']
  walkJsonDocument(document, recorder(out))
  out.push('end')
  return out
}

const encode = (text: string) => new TextEncoder().encode(text)

const JAEGER_LIKE = `{"data":[{"traceID":"t\\"1","spans":[
  {"spanID":"a","operationName":"caf\u00e9 \\u00e9 \ud83d\ude80 \\ud83d\\ude80","tags":[{"key":"big","value":12345678901234567890},{"key":"safe","value":9007199254740991},{"key":"f","value":1.5e300}]},
  {"spanID":"b","references":[],"logs":[[1,[2,{"x":"]}\\\\"}]]],"s":"\\\\\\""},
  7, "x", null, [], {}
], "processes":{"p1":{"serviceName":"svc","tags":[]}},"warnings":null},
{"traceID":"t2","spans":[]}],"total":2,"errors":null}`

const OTLP_LIKE = `{
  "resourceSpans": [
    { "resource": { "attributes": [ { "key": "service.name", "value": { "stringValue": "\u00fcber" } } ] },
      "scopeSpans": [ { "scope": { "name": "lib" }, "spans": [ { "spanId": "01", "name": "a\\nb" }, { "spanId": "02" } ] }, 5 ],
      "schemaUrl": "x" },
    "junk"
  ]
}`

const ZIPKIN_ARRAYS = `[[{"id":"1","tags":{"k":"v"}}],[],[{"id":"2"},{"id":"3","timestamp":1700000000000001}]]`

const TEMPO_V2 = `{"trace":{"batches":[{"resource":{},"scopeSpans":[{"spans":[{"spanId":"x"}]}]}]},"status":"PARTIAL","message":"m"}`

describe('JsonStreamSplitter', () => {
  it.each([
    ['Jaeger-like', JAEGER_LIKE],
    ['OTLP-like, pretty-printed', OTLP_LIKE],
    ['arrays of arrays', ZIPKIN_ARRAYS],
    ['Tempo v2', TEMPO_V2],
  ])('emits the walker’s events for %s, cut at every byte boundary', (_name, text) => {
    const bytes = encode(text)
    const [document] = parseJsonDocuments(text)
    const expected = walkedEvents(document as object)
    for (let cut = 1; cut < bytes.length; cut++) expect(splitEvents(bytes, [cut])).toEqual(expected)
  })

  it('emits the same events for one-byte chunks (inside strings, escapes and multi-byte UTF-8)', () => {
    const bytes = encode(JAEGER_LIKE)
    const [document] = parseJsonDocuments(JAEGER_LIKE)
    const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)
    expect(splitEvents(bytes, everyByte)).toEqual(walkedEvents(document as object))
  })

  it('emits the same events for random chunkings', () => {
    const bytes = encode(JAEGER_LIKE + '\n' + OTLP_LIKE)
    const documents = parseJsonDocuments(JAEGER_LIKE + '\n' + OTLP_LIKE)
    const expected = documents.flatMap((document) => walkedEvents(document as object))
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    for (let run = 0; run < 50; run++) {
      const cuts = new Set<number>()
      const count = 1 + Math.floor(random() * 40)
      for (let k = 0; k < count; k++) cuts.add(1 + Math.floor(random() * (bytes.length - 1)))
      expect(
        normalized(
          splitEvents(
            bytes,
            [...cuts].sort((a, b) => a - b),
          ),
        ),
      ).toEqual(expected)
    }
  })

  it('keeps integers beyond 2^53 exact, in split items and in whole documents', () => {
    const text =
      '{"spans":[{"a":12345678901234567890,"b":-9007199254740993,"c":9007199254740991,"d":"12345678901234567890","e":0.12345678901234567890,"f":1e17}]}'
    const bytes = encode(text)
    const expected = ['begin', 'open undefined object', 'open spans array']
    expected.push(
      'item 0 {"a":"12345678901234567890n","b":"-9007199254740993n","c":9007199254740991,"d":"12345678901234567890","e":0.12345678901234568,"f":100000000000000000}',
    )
    expected.push('close', 'close', 'end')
    expect(splitEvents(bytes, [5])).toEqual(expected)
    expect(splitEvents(bytes, [], 1 << 20)).toEqual([`document ${stringify(parseJsonDocuments(text)[0])}`])
    expect(stringify(parseJsonDocuments(text)[0])).toContain('"a":"12345678901234567890n"')
  })

  it('reads one value per line quickly, exactly, and falls back when a line is not a value', () => {
    // Spans one per line (the line fast path), big integers on some lines, and lines that are
    // not values (a pretty-printed item, two items on one line).
    const text = [
      '{"data":[{"traceID":"x","spans":[',
      '{"a":12345678901234567890,"s":"9123456789012345678"},',
      '{"b":1},{"c":2},',
      '{"d":',
      '  [9007199254740993]},',
      '{"e":"line\\nbreak"}',
      ']}]}',
      '{"f":-90071992547409930}',
      '[1,2]',
      '',
    ].join('\n')
    const bytes = encode(text)
    const expected = normalized(parseJsonDocuments(text).map((document) => `document ${stringify(document)}`))
    for (let cut = 1; cut < bytes.length; cut += 3) expect(normalized(splitEvents(bytes, [cut]))).toEqual(expected)
    expect(normalized(splitEvents(bytes, []))).toEqual(expected)
    expect(expected.join('\n')).toContain('"a":"12345678901234567890n"')
    expect(expected).toContain('member f "-90071992547409930n"')
  })

  it('hands over documents below the limit whole, as JSON lines', () => {
    const text = '{"a":1}\r\n\r\n{"b":[2,"\u00e9"]}\n[3]\n'
    const bytes = encode(text)
    const expected = parseJsonDocuments(text).map((document) => `document ${stringify(document)}`)
    for (let cut = 1; cut < bytes.length; cut++) expect(splitEvents(bytes, [cut], 1 << 20)).toEqual(expected)
  })

  it('splits a document that grows past the limit and reads the next one whole', () => {
    const big = `{"data":[{"traceID":"x","spans":[${Array.from({ length: 50 }, (_, i) => `{"spanID":"${i}"}`).join(',')}]}]}`
    const small = '{"data":[]}'
    const bytes = encode(`${big}\n${small}\n`)
    const events = splitEvents(
      bytes,
      Array.from({ length: Math.floor(bytes.length / 64) }, (_, i) => (i + 1) * 64),
      200,
    )
    expect(events).toEqual([...walkedEvents(JSON.parse(big) as object), `document ${small}`])
  })

  it('skips a byte-order mark', () => {
    expect(splitEvents(encode('\ufeff{"a":1}'), [1, 2, 3], 1 << 20)).toEqual(['document {"a":1}'])
  })

  it('names line and column of malformed JSON, in the envelope and inside an item', () => {
    const errorOf = (text: string, cuts: number[] = []) => {
      try {
        splitEvents(encode(text), cuts)
      } catch (error) {
        if (error instanceof ImportError) return error
        throw error
      }
      throw new Error('expected an ImportError')
    }
    const inItem = errorOf('{"data":[\n{"spans":[\n{"a":1},\n{"b": tru}]}]}', [3])
    expect(inItem.kind).toBe('malformed-json')
    expect([inItem.line, inItem.column]).toEqual([4, 7])
    const inEnvelope = errorOf('{"data":[\n{"spans" 5}]}', [3])
    expect([inEnvelope.line, inEnvelope.column]).toEqual([2, 10])
    expect(errorOf('{"data":[{"spans":[{"a":1}', [3]).message).toMatch(/at the end of the input/)
    expect(errorOf('{"a":1}\nxyz', [3]).message).toMatch(/^Malformed JSON at line 2, column 1 near "xyz"/)
    expect(errorOf('   \n').kind).toBe('empty-input')
  })
})

describe('JsonValueBuilder', () => {
  it('rebuilds what JSON.parse returns, own "__proto__" keys included', () => {
    const text = '{"__proto__":{"x":1},"data":[{"spans":[1,{"a":[]}],"k":null}]}'
    const builder = new JsonValueBuilder()
    walkJsonDocument(JSON.parse(text) as object, builder)
    expect(builder.isComplete).toBe(true)
    expect(JSON.stringify(builder.value)).toBe(JSON.stringify(JSON.parse(text)))
    expect(Object.hasOwn(builder.value as object, '__proto__')).toBe(true)
  })
})
