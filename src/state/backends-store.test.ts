import { describe, expect, it } from 'vitest'
import { listKnownBackends, parseProxiedList, sanitizePersisted, slugify, useBackendsStore } from './backends-store.ts'

describe('backends store', () => {
  it('keeps only well-formed saved backends', () => {
    const saved = sanitizePersisted({
      userBackends: [
        { id: 'a', kind: 'jaeger', name: ' A ', baseUrl: 'http://a:16686/', headers: { Authorization: 'Bearer x', Bad: 1 }, orgId: '' },
        { id: 'a', kind: 'zipkin', name: 'dup', baseUrl: 'http://dup' },
        { id: 'b', kind: 'elastic', name: 'B', baseUrl: 'http://b' },
        { id: 't', kind: 'tempo', name: 'T', baseUrl: 'http://t:3200', tempoProtobuf: true, orgId: 'team' },
        null,
        'junk',
      ],
      proxiedOverrides: { tempo: { kind: 'tempo', headers: { 'X-Scope-OrgID': 'x' } }, bad: 3 },
      lastUsedId: 7,
    })
    expect(saved.userBackends).toEqual([
      { id: 'a', kind: 'jaeger', name: 'A', baseUrl: 'http://a:16686', headers: { Authorization: 'Bearer x' } },
      { id: 't', kind: 'tempo', name: 'T', baseUrl: 'http://t:3200', orgId: 'team', tempoProtobuf: true },
    ])
    expect(saved.proxiedOverrides).toEqual({ tempo: { kind: 'tempo', headers: { 'X-Scope-OrgID': 'x' } } })
    expect(saved.lastUsedId).toBeUndefined()
    expect(sanitizePersisted('nonsense')).toEqual({ userBackends: [], proxiedOverrides: {}, lastUsedId: undefined })
  })

  it('lists proxied backends first, reached through /backends/<name>, with the user’s settings', () => {
    const known = listKnownBackends({
      proxied: [
        { name: 'tempo', target: 'http://127.0.0.1:3200', kind: 'tempo' },
        { name: 'mystery', target: 'http://10.0.0.1:8080' },
      ],
      proxiedOverrides: { tempo: { orgId: 'team-a', tempoProtobuf: true } },
      userBackends: [{ id: 'tempo', kind: 'jaeger', name: 'Mine', baseUrl: 'http://x' }],
    })
    expect(known.map((backend) => backend.config.id)).toEqual(['tempo', 'mystery', 'tempo-own'])
    expect(known[0]).toEqual({
      config: { id: 'tempo', kind: 'tempo', name: 'tempo', baseUrl: '/backends/tempo', orgId: 'team-a', tempoProtobuf: true },
      isProxied: true,
      target: 'http://127.0.0.1:3200',
      isKindGuessed: false,
    })
    expect(known[1]?.isKindGuessed).toBe(true)
  })

  it('reads /backends.json, guessing kinds it does not give', () => {
    expect(
      parseProxiedList({
        backends: [{ name: 'prod', target: 'http://h:16686' }, { name: 'z', target: 'http://h:1', kind: 'zipkin' }, { name: '', target: 'x' }, { target: 'x' }],
      }),
    ).toEqual([
      { name: 'prod', target: 'http://h:16686', kind: 'jaeger' },
      { name: 'z', target: 'http://h:1', kind: 'zipkin' },
    ])
    expect(parseProxiedList('<html>')).toEqual([])
  })

  it('gives added backends readable, unique ids', () => {
    expect(slugify('Jaeger (prod) — EU')).toBe('jaeger-prod-eu')
    expect(slugify('!!!')).toBe('backend')
    const { addBackend, removeBackend } = useBackendsStore.getState()
    const first = addBackend({ kind: 'jaeger', name: 'Prod', baseUrl: 'http://a/' })
    const second = addBackend({ kind: 'zipkin', name: 'Prod', baseUrl: 'http://b' })
    expect([first.id, second.id]).toEqual(['prod', 'prod-2'])
    expect(first.baseUrl).toBe('http://a')
    removeBackend('prod')
    expect(useBackendsStore.getState().userBackends.map((backend) => backend.id)).toEqual(['prod-2'])
  })
})
