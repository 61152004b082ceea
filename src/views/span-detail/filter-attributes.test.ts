import { describe, expect, it } from 'vitest'
import type { Attribute } from '../../model/span-record.ts'
import { filterAttributes, matchAttribute, splitByMatch } from './filter-attributes.ts'

const attributes: Attribute[] = [
  { key: 'http.method', value: 'GET' },
  { key: 'http.status_code', value: 503n },
  { key: 'db.statement', value: 'SELECT * FROM owners' },
  { key: 'retry', value: true },
  { key: 'payload', value: { kvlist: [{ key: 'user', value: 'Alice' }] } },
]

describe('filterAttributes', () => {
  it('matches keys and values case-insensitively, values of every type as text', () => {
    expect(filterAttributes(attributes, 'HTTP').map((a) => a.key)).toEqual(['http.method', 'http.status_code'])
    expect(filterAttributes(attributes, 'owners').map((a) => a.key)).toEqual(['db.statement'])
    expect(filterAttributes(attributes, '503').map((a) => a.key)).toEqual(['http.status_code'])
    expect(filterAttributes(attributes, 'true').map((a) => a.key)).toEqual(['retry'])
    expect(filterAttributes(attributes, 'alice').map((a) => a.key)).toEqual(['payload'])
    expect(filterAttributes(attributes, 'nothing')).toEqual([])
  })

  it('returns the same list for an empty query', () => {
    expect(filterAttributes(attributes, '  ')).toBe(attributes)
  })

  it('matches key=value pairs, each side as a substring', () => {
    expect(filterAttributes(attributes, 'http.status=50').map((a) => a.key)).toEqual(['http.status_code'])
    expect(filterAttributes(attributes, 'method=get').map((a) => a.key)).toEqual(['http.method'])
    expect(filterAttributes(attributes, 'method=post')).toEqual([])
    expect(filterAttributes(attributes, '=owners').map((a) => a.key)).toEqual(['db.statement'])
    expect(matchAttribute({ key: 'a', value: 'x=y' }, 'a=x=y')).toBe(true)
  })
})

describe('splitByMatch', () => {
  it('splits text around every match, keeping the original case', () => {
    expect(splitByMatch('Http.HTTP', 'http')).toEqual([
      { text: 'Http', isMatch: true },
      { text: '.', isMatch: false },
      { text: 'HTTP', isMatch: true },
    ])
    expect(splitByMatch('abc', '')).toEqual([{ text: 'abc', isMatch: false }])
    expect(splitByMatch('abc', 'x')).toEqual([{ text: 'abc', isMatch: false }])
    expect(splitByMatch('key', 'k=v')).toEqual([{ text: 'key', isMatch: false }])
  })
})
