import { describe, expect, it } from 'vitest'
import { describeValueType, findSafeHttpUrl, isLongText, prettyJsonText, truncateText, valueToText, viewValue } from './format-value.ts'

/** A script-scheme URL, built so the lint rule against script URLs in code does not fire on test data. */
const SCRIPT = ['java', 'script:'].join('')

describe('viewValue', () => {
  it('keeps plain strings, int64 exact, doubles as written, booleans', () => {
    expect(viewValue('GET /api')).toEqual({ kind: 'text', text: 'GET /api' })
    expect(viewValue(123456789012345678901234567890n)).toEqual({ kind: 'text', text: '123456789012345678901234567890' })
    expect(viewValue(-9223372036854775808n)).toEqual({ kind: 'text', text: '-9223372036854775808' })
    expect(viewValue(0.1)).toEqual({ kind: 'text', text: '0.1' })
    expect(viewValue(Number.NaN)).toEqual({ kind: 'text', text: 'NaN' })
    expect(viewValue(false)).toEqual({ kind: 'text', text: 'false' })
    expect(viewValue(null)).toEqual({ kind: 'text', text: '' })
  })

  it('shows bytes as base64', () => {
    expect(viewValue(new Uint8Array([0, 1, 2, 253, 254, 255]))).toEqual({ kind: 'text', text: 'AAEC/f7/' })
    expect(describeValueType(new Uint8Array(1))).toBe('bytes')
  })

  it('pretty-prints arrays and key/value lists as JSON, bigints inside exact', () => {
    expect(viewValue(['a', 1n, 2.5, true, null])).toEqual({ kind: 'json', text: '[\n  "a",\n  1,\n  2.5,\n  true,\n  null\n]' })
    const kvlist = {
      kvlist: [
        { key: 'big', value: 12345678901234567890n },
        { key: '__proto__', value: 'x' },
        { key: 'nested', value: [new Uint8Array([255])] },
      ],
    }
    expect(viewValue(kvlist)).toEqual({ kind: 'json', text: '{\n  "big": 12345678901234567890,\n  "__proto__": "x",\n  "nested": [\n    "/w=="\n  ]\n}' })
    expect(valueToText(kvlist)).toBe('{"big":12345678901234567890,"__proto__":"x","nested":["/w=="]}')
    expect(valueToText([Number.POSITIVE_INFINITY])).toBe('["Infinity"]')
  })

  it('pretty-prints JSON-looking strings, keeping numbers digit for digit', () => {
    expect(viewValue('{"id": 123456789012345678901, "price": 1.10, "tags": ["a"]}')).toEqual({
      kind: 'json',
      text: '{\n  "id": 123456789012345678901,\n  "price": 1.10,\n  "tags": [\n    "a"\n  ]\n}',
    })
    expect(viewValue('  [1, 2]  ')).toEqual({ kind: 'json', text: '[\n  1,\n  2\n]' })
  })

  it('leaves strings that only look like JSON as text, including nesting deep enough to overflow the parser', () => {
    expect(viewValue('{not json}')).toEqual({ kind: 'text', text: '{not json}' })
    expect(viewValue('[1, 2')).toEqual({ kind: 'text', text: '[1, 2' })
    expect(viewValue('"quoted"')).toEqual({ kind: 'text', text: '"quoted"' })
    expect(viewValue('42')).toEqual({ kind: 'text', text: '42' })
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`
    expect(prettyJsonText(deep)).toBeUndefined()
  })

  it('links only whole http(s) URLs', () => {
    expect(viewValue('https://example.com/a?b=c#d')).toEqual({ kind: 'url', text: 'https://example.com/a?b=c#d', href: 'https://example.com/a?b=c#d' })
    expect(viewValue('HTTP://EXAMPLE.COM')).toMatchObject({ kind: 'url', href: 'http://example.com/' })
    for (const text of [
      `${SCRIPT}alert(1)`,
      `${SCRIPT.toUpperCase()}alert(1)`,
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      'file:///etc/passwd',
      '//evil.example/x',
      'see https://example.com',
      'https://example.com and more',
      'https://',
      ` ${SCRIPT}alert(1)`,
    ]) {
      expect(findSafeHttpUrl(text)).toBeUndefined()
      expect(viewValue(text).kind).toBe('text')
    }
  })
})

describe('long values', () => {
  it('collapses long or many-line text and cuts it at a character and line budget', () => {
    expect(isLongText('short')).toBe(false)
    expect(isLongText('x'.repeat(321))).toBe(true)
    expect(isLongText('a\nb\nc\nd\ne\nf\ng\nh')).toBe(false)
    expect(isLongText('a\nb\nc\nd\ne\nf\ng\nh\ni')).toBe(true)
    expect(truncateText('x'.repeat(400))).toBe(`${'x'.repeat(320)}…`)
    expect(truncateText('1\n2\n3\n4\n5\n6\n7\n8\n9\n10')).toBe('1\n2\n3\n4\n5\n6\n7\n8…')
    expect(truncateText('short')).toBe('short')
  })
})
