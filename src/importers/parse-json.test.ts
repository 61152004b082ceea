import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ImportError } from './import-error.ts'
import { hasUnsafeIntegerLiteral, hasUnsafeIntegerLiteralInBytes, lineAndColumn, parseJsonDocuments } from './parse-json.ts'

function errorOf(text: string): ImportError {
  try {
    parseJsonDocuments(text)
  } catch (error) {
    if (error instanceof ImportError) return error
    throw error
  }
  throw new Error('expected an ImportError')
}

describe('parseJsonDocuments', () => {
  it('parses one document, stripping a BOM', () => {
    expect(parseJsonDocuments('\ufeff{"a": [1, 2]}')).toEqual([{ a: [1, 2] }])
  })

  it('keeps integers beyond 2^53 exact as bigint and leaves safe ones as numbers', () => {
    const [doc] = parseJsonDocuments('{"start": 1616072924071839001, "us": 1700000000000000, "f": 1.5, "s": "12345678901234567890"}')
    expect(doc).toEqual({ start: 1616072924071839001n, us: 1700000000000000, f: 1.5, s: '12345678901234567890' })
  })

  it('skips its own check for integers beyond 2^53 when told whether the text has any', () => {
    const text = '{"start": 1616072924071839001}'
    expect(parseJsonDocuments(text, { isLossless: true })).toEqual([{ start: 1616072924071839001n }])
    expect(parseJsonDocuments(text, { isLossless: false })).toEqual([{ start: 1616072924071839000 }])
    expect(parseJsonDocuments(text)).toEqual([{ start: 1616072924071839001n }])
  })

  it('reads JSON lines, with CRLF and blank lines', () => {
    expect(parseJsonDocuments('{"a":1}\r\n\r\n{"b":2}\r\n')).toEqual([{ a: 1 }, { b: 2 }])
  })

  it('reads documents written back to back, pretty-printed or not', () => {
    expect(parseJsonDocuments('{\n  "a": "}{"\n}\n{"b": [\n1]}[3]')).toEqual([{ a: '}{' }, { b: [1] }, [3]])
  })

  it('names line and column of malformed JSON', () => {
    const error = errorOf('{\n  "a": 1,\n  b: 2\n}')
    expect(error.kind).toBe('malformed-json')
    expect([error.line, error.column]).toEqual([3, 3])
    expect(error.message).toBe('Malformed JSON at line 3, column 3 near "b: 2".')
  })

  it('points into the bad line of a JSON lines file', () => {
    const error = errorOf('{"a":1}\n{"b":2}\n{"c": tru}\n')
    expect([error.line, error.column]).toEqual([3, 7])
  })

  it('reports a truncated file at its end', () => {
    const error = errorOf('{"data": [{"traceID": "1"')
    expect(error.message).toMatch(/^Malformed JSON at line 1, column \d+ at the end of the input\.$/)
  })

  it('rejects empty input with its own message', () => {
    expect(errorOf('  \n ').kind).toBe('empty-input')
  })
})

describe('hasUnsafeIntegerLiteral', () => {
  it('spots integers beyond 2^53 outside strings only', () => {
    expect(hasUnsafeIntegerLiteral('{"a": 9007199254740991}')).toBe(false)
    expect(hasUnsafeIntegerLiteral('{"a": 9007199254740992}')).toBe(true)
    expect(hasUnsafeIntegerLiteral('{"a": "90071992547409920000"}')).toBe(false)
    expect(hasUnsafeIntegerLiteral('{"a": 0.12345678901234567890}')).toBe(false)
    expect(hasUnsafeIntegerLiteral('[-12345678901234567890]')).toBe(true)
  })

  it('finds a token wherever it lies, whatever precedes it (the check reads one position in 16)', () => {
    for (let pad = 0; pad < 40; pad++) {
      const space = ' '.repeat(pad)
      expect(hasUnsafeIntegerLiteral(`${space}9007199254740992`)).toBe(true)
      expect(hasUnsafeIntegerLiteral(`{"a":${space}-90071992547409921}`)).toBe(true)
      expect(hasUnsafeIntegerLiteral(`${'"x":"a",'.repeat(pad)}"b":[1,9007199254740993]`)).toBe(true)
      expect(hasUnsafeIntegerLiteral(`${space}9007199254740991,"1700000000000000000","t":1700000000000000`)).toBe(false)
      // Right after a run longer than the 64 characters read at a time.
      expect(hasUnsafeIntegerLiteral(`["${'7'.repeat(70 + pad)}",9007199254740993]`)).toBe(true)
      expect(hasUnsafeIntegerLiteral(`["${'7'.repeat(10 + pad)}",9007199254740993]`)).toBe(true)
      expect(hasUnsafeIntegerLiteral(`${'1'.repeat(pad)}"a": 12345678901234567.5, "b": 12345678901234567e3, "c": "x12345678901234567"`)).toBe(false)
    }
    // A long run inside a string is read once (no quadratic rescan), and a run after it still counts.
    expect(hasUnsafeIntegerLiteral(`{"s": "${'7'.repeat(1_000_000)}", "n": 18446744073709551615}`)).toBe(true)
    expect(hasUnsafeIntegerLiteral(`{"s": "${'7'.repeat(1_000_000)}"}`)).toBe(false)
  })

  it('agrees with a plain regex scan on random text', () => {
    const reference = (text: string): boolean => {
      for (const match of text.matchAll(/\d{16,}/g)) {
        let start = match.index
        if (text[start - 1] === '-') start--
        if (start > 0 && !/[:,[ \n\r\t]/.test(text[start - 1] as string)) continue
        const after = match.index + match[0].length
        if (after < text.length && !/[,}\] \n\r\t]/.test(text[after] as string)) continue
        if (match[0].length > 16 || match[0] > String(Number.MAX_SAFE_INTEGER)) return true
      }
      return false
    }
    const piece = fc.oneof(
      fc.constantFrom(':', ',', '[', ']', '{', '}', ' ', '\n', '\t', '"', '-', '.', 'e', 'a', 'é', '日', '9007199254740', '"traceId":'),
      fc.stringMatching(/^[0-9]{1,22}$/),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = pieces.join('')
        expect(hasUnsafeIntegerLiteral(text)).toBe(reference(text))
        // The same answer from the text's UTF-8 bytes, where a character may take several.
        expect(hasUnsafeIntegerLiteralInBytes(new TextEncoder().encode(text))).toBe(reference(text))
      }),
      { numRuns: 3000 },
    )
  })
})

describe('lineAndColumn', () => {
  it('counts from 1', () => {
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 })
  })
})
