export type {
  BackendCapabilities,
  BackendConfig,
  BackendKind,
  BackendOptions,
  ConnectionResult,
  DependencyLink,
  DependencyQuery,
  FetchLike,
  OperationInfo,
  ServiceSummary,
  SpanKindName,
  TagFilter,
  TagScope,
  TagValue,
  TraceBackend,
  TracePayload,
  TraceSearchQuery,
  TraceSummary,
} from './types.ts'
export { BackendError, isBackendError, isRetryableError } from './errors.ts'
export type { BackendErrorKind } from './errors.ts'
export { createBackend } from './create-backend.ts'
export type { AnyBackend } from './create-backend.ts'
export type { ClientOptions } from './base.ts'
export { JaegerBackend, JAEGER_CAPABILITIES } from './jaeger.ts'
export { ZipkinBackend, ZIPKIN_CAPABILITIES } from './zipkin.ts'
export { TempoBackend, TEMPO_CAPABILITIES, toTraceQL } from './tempo.ts'
export type { TempoBuildInfo } from './tempo.ts'
export { importTracePayload, summarizeTrace } from './summarize.ts'
export { parseTraceIdInput } from './trace-id.ts'
export { parseBackendsEnv, proxyBaseUrl, guessBackendKind, BackendsEnvError } from './backends-env.ts'
export type { ProxiedBackend } from './backends-env.ts'
export * from './queries.ts'
