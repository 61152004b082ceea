import type { ClientOptions } from './base.ts'
import { JaegerBackend } from './jaeger.ts'
import { TempoBackend } from './tempo.ts'
import type { BackendConfig } from './types.ts'
import { ZipkinBackend } from './zipkin.ts'

/** Any client, narrowed by `kind` to reach the backend's own extras (Zipkin `traceMany`, Tempo `buildInfo`, …). */
export type AnyBackend = JaegerBackend | ZipkinBackend | TempoBackend

export function createBackend(config: BackendConfig, options: ClientOptions = {}): AnyBackend {
  switch (config.kind) {
    case 'jaeger':
      return new JaegerBackend(config, options)
    case 'zipkin':
      return new ZipkinBackend(config, options)
    case 'tempo':
      return new TempoBackend(config, options)
    default: {
      const kind: never = config.kind
      throw new Error(`Unknown backend kind ${JSON.stringify(kind)}: expected jaeger, zipkin or tempo.`)
    }
  }
}
