import { describe, expect, it } from 'vitest'
import { protobufFieldLength, toLogfmtTags, toTraceQL, traceQLIdentifier, traceQLString } from './tempo.ts'

describe('toTraceQL', () => {
  it('puts every condition into one spanset, as Jaeger and Zipkin match on one span', () => {
    expect(
      toTraceQL({
        service: 'shop',
        operation: 'GET /cart',
        spanKind: 'server',
        tags: [
          { key: 'http.method', value: 'GET' },
          { key: 'resource.deployment.environment', value: 'prod' },
        ],
        minDurationNs: 100e6,
        maxDurationNs: 1_500_000,
      }),
    ).toBe(
      '{ resource.service.name = "shop" && name = "GET /cart" && kind = server && .http.method = "GET" && resource.deployment.environment = "prod" && duration >= 100ms && duration <= 1500us }',
    )
  })

  it('matches numbers and booleans as their type or as text, error=true as an error status, a bare key as present', () => {
    expect(toTraceQL({ tags: [{ key: 'http.status_code', value: '500' }] })).toBe('{ (.http.status_code = 500 || .http.status_code = "500") }')
    expect(toTraceQL({ tags: [{ key: 'cache.hit', value: 'false' }] })).toBe('{ (.cache.hit = false || .cache.hit = "false") }')
    expect(toTraceQL({ tags: [{ key: 'error', value: 'true' }] })).toBe('{ status = error }')
    expect(toTraceQL({ tags: [{ key: 'user.id' }] })).toBe('{ .user.id != nil }')
  })

  it('escapes quotes and backslashes, and quotes odd attribute names', () => {
    expect(traceQLString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"')
    expect(toTraceQL({ service: 'a"b' })).toBe('{ resource.service.name = "a\\"b" }')
    expect(traceQLIdentifier('my attr')).toBe('."my attr"')
    expect(traceQLIdentifier('span.my attr')).toBe('span."my attr"')
  })

  it('is the empty filter for an empty query', () => {
    expect(toTraceQL({})).toBe('{}')
  })
})

describe('traceQLIdentifier', () => {
  it.each([
    ['http.method', '.http.method'],
    ['.http.method', '.http.method'],
    ['resource.service.name', 'resource.service.name'],
    ['span.http.method', 'span.http.method'],
    ['name', 'name'],
    ['status', 'status'],
    ['span:duration', 'span:duration'],
  ])('%s → %s', (tag, id) => {
    expect(traceQLIdentifier(tag)).toBe(id)
  })
})

describe('toLogfmtTags', () => {
  it('writes the legacy tags parameter', () => {
    expect(
      toLogfmtTags({
        service: 'shop',
        operation: 'GET /cart',
        tags: [{ key: 'span.http.method', value: 'GET' }, { key: 'msg', value: 'a "b"' }, { key: 'bare' }],
      }),
    ).toBe('service.name=shop name="GET /cart" http.method=GET msg="a \\"b\\""')
    expect(toLogfmtTags({})).toBeUndefined()
  })
})

describe('protobufFieldLength', () => {
  it('finds the length of a top-level field, -1 when absent or broken', () => {
    expect(protobufFieldLength(new Uint8Array([0x0a, 0x00, 0x12, 0x00]), 1)).toBe(0)
    expect(protobufFieldLength(new Uint8Array([0x12, 0x00, 0x0a, 0x03, 1, 2, 3]), 1)).toBe(3)
    expect(protobufFieldLength(new Uint8Array([0x18, 0x01]), 1)).toBe(-1)
    expect(protobufFieldLength(new Uint8Array([0x0a, 0xff]), 1)).toBe(-1)
  })
})
