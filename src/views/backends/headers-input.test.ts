import { describe, expect, it } from 'vitest'
import { checkBaseUrl, formatHeadersInput, maskHeaderValue, parseHeadersInput } from './headers-input.ts'

describe('headers input', () => {
  it('reads Name: value lines and writes them back', () => {
    const text = 'Authorization: Bearer abc:def\n\n  X-Scope-OrgID:  team-a  '
    const { headers, error } = parseHeadersInput(text)
    expect(error).toBeUndefined()
    expect(headers).toEqual({ Authorization: 'Bearer abc:def', 'X-Scope-OrgID': 'team-a' })
    expect(formatHeadersInput(headers)).toBe('Authorization: Bearer abc:def\nX-Scope-OrgID: team-a')
  })

  it('says which line is wrong', () => {
    expect(parseHeadersInput('Authorization Bearer x').error).toMatch(/Line 1/)
    expect(parseHeadersInput('ok: 1\nbad name: 2').error).toMatch(/Line 2.*not a valid header name/)
    expect(parseHeadersInput('a: 1\nA: 2').error).toMatch(/twice/)
  })

  it('masks credentials for display', () => {
    expect(maskHeaderValue('Authorization', 'Bearer abcdefghijkl')).toBe('Bearer abc…')
    expect(maskHeaderValue('X-Api-Key', 'short')).toBe('…')
    expect(maskHeaderValue('X-Scope-OrgID', 'team-a')).toBe('team-a')
  })
})

describe('checkBaseUrl', () => {
  it('keeps absolute http(s) URLs and paths, without trailing slashes', () => {
    expect(checkBaseUrl(' http://127.0.0.1:16686/ ')).toEqual({ url: 'http://127.0.0.1:16686' })
    expect(checkBaseUrl('https://host/jaeger/')).toEqual({ url: 'https://host/jaeger' })
    expect(checkBaseUrl('/backends/tempo/')).toEqual({ url: '/backends/tempo' })
  })

  it('refuses what the clients cannot use', () => {
    expect(checkBaseUrl('').error).toBeTruthy()
    expect(checkBaseUrl('localhost:16686').error).toMatch(/http/)
    expect(checkBaseUrl('ftp://host').error).toMatch(/ftp/)
    expect(checkBaseUrl('http://u:p@host').error).toMatch(/Authorization/)
    expect(checkBaseUrl('http://host/?x=1').error).toMatch(/query/)
  })
})
