import { describe, expect, it } from 'vitest'
import { BackendsEnvError, guessBackendKind, parseBackendsEnv, proxyBaseUrl } from './backends-env.ts'

describe('parseBackendsEnv', () => {
  it('reads name=url pairs separated by commas, semicolons or white space', () => {
    expect(parseBackendsEnv('jaeger=http://127.0.0.1:16686, tempo=https://tempo.example.com/prefix/;\nzipkin=http://zipkin:9411')).toEqual([
      { name: 'jaeger', url: 'http://127.0.0.1:16686' },
      { name: 'tempo', url: 'https://tempo.example.com/prefix' },
      { name: 'zipkin', url: 'http://zipkin:9411' },
    ])
  })

  it('is empty for an unset or blank variable', () => {
    expect(parseBackendsEnv(undefined)).toEqual([])
    expect(parseBackendsEnv('  ')).toEqual([])
  })

  it.each([
    ['jaeger', 'is not name=url'],
    ['=http://x', 'is not name=url'],
    ['jaeger=', 'has no URL'],
    ['jaeger=127.0.0.1:16686', 'must start with http:// or https://'],
    ['jaeger=localhost', 'is not an absolute URL'],
    ['jaeger=localhost:16686', 'must start with http:// or https://'],
    ['jaeger=file:///etc/passwd', 'must start with http:// or https://'],
    ['jaeger=javascript:alert(1)', 'must start with http:// or https://'],
    ['jaeger=http://user:secret@host:16686', 'holds credentials'],
    ['jaeger=http://host:16686?x=1', 'must not have a query'],
    ['jaeger=http://host:16686#x', 'must not have a query or fragment'],
    ['../x=http://host', 'may hold only letters'],
    ['a/b=http://host', 'may hold only letters'],
    ['j=http://a,J=http://b', 'given twice'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(() => parseBackendsEnv(text)).toThrow(BackendsEnvError)
    expect(() => parseBackendsEnv(text)).toThrow(problem)
  })

  it('lists every problem at once', () => {
    try {
      parseBackendsEnv('a=ftp://x, b=http://u:p@y, c=http://ok')
      expect.unreachable()
    } catch (error) {
      expect((error as BackendsEnvError).problems).toHaveLength(2)
      expect((error as Error).message).toContain('SPANGLASS_BACKENDS="jaeger=http://127.0.0.1:16686')
    }
  })

  it('gives the proxy path and guesses kinds', () => {
    expect(proxyBaseUrl('prod-jaeger')).toBe('/backends/prod-jaeger')
    expect(guessBackendKind('prod-jaeger', 'http://x')).toBe('jaeger')
    expect(guessBackendKind('traces', 'http://x:3200')).toBe('tempo')
    expect(guessBackendKind('traces', 'http://x:9411')).toBe('zipkin')
    expect(guessBackendKind('traces', 'http://x:8080')).toBeUndefined()
  })
})
