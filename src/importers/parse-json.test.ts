import { describe, expect, it } from 'vitest'
import { ImportError } from './import-error.ts'
import { hasUnsafeIntegerLiteral, lineAndColumn, parseJsonDocuments } from './parse-json.ts'

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
})

describe('lineAndColumn', () => {
  it('counts from 1', () => {
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 })
  })
})
