import { describe, expect, it } from 'vitest'
import { BackendError } from './errors.ts'
import { parseTraceIdInput, shortTraceId } from './trace-id.ts'

describe('parseTraceIdInput', () => {
  it.each([
    ['4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['4BF92F3577B34DA6A3CE929D0E0E4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['  0x4bf92f3577b34da6  ', '00000000000000004bf92f3577b34da6'],
    ['abc', '00000000000000000000000000000abc'],
    // Tempo search strips leading zeros, leaving odd lengths.
    ['bf92f3577b34da6a3ce929d0e0e4736', '0bf92f3577b34da6a3ce929d0e0e4736'],
    // base64 of 16 bytes, padded (Tempo JSON) and unpadded (URL-safe copy)
    ['S/kvNXezTaajzpKdDg5HNg==', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['S_kvNXezTaajzpKdDg5HNg', '4bf92f3577b34da6a3ce929d0e0e4736'],
    // base64 of 8 bytes
    ['S/kvNXezTaY=', '00000000000000004bf92f3577b34da6'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseTraceIdInput(input)).toBe(expected)
  })

  it.each(['', 'trace-123', 'zzz', '4bf92f3577b34da6a3ce929d0e0e47360000', 'S/kvNXezTaajzpKdDg5H'])(
    'refuses %j with a message that says what an id looks like',
    (input) => {
      try {
        parseTraceIdInput(input)
        expect.unreachable()
      } catch (error) {
        expect(error).toBeInstanceOf(BackendError)
        expect((error as BackendError).kind).toBe('bad-request')
        expect((error as BackendError).message).toContain('hex digits')
      }
    },
  )

  it('shortens 64-bit ids for file names', () => {
    expect(shortTraceId('00000000000000004bf92f3577b34da6')).toBe('4bf92f3577b34da6')
    expect(shortTraceId('4bf92f3577b34da6a3ce929d0e0e4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736')
  })
})
