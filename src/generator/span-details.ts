/**
 * Names, kinds, attributes, events and error texts for a planned span. Attribute keys follow
 * the OpenTelemetry semantic conventions (https://opentelemetry.io/docs/specs/semconv/), with a
 * few deprecated keys (`net.peer.port`, `db.statement`) that real exporters still send.
 */
import { KAFKA } from './catalog.ts'
import type { Language, ServiceDef } from './catalog.ts'
import type { GenAttribute, GenEvent, GenKind, GenTime, PlanNode, RemoteEndpoint, ScopeDef } from './gen-span.ts'
import type { Rng } from './prng.ts'
import { formatUuid } from './service-instances.ts'

export interface SpanDetails {
  readonly name: string
  readonly kind: GenKind
  readonly scope: ScopeDef
  readonly attributes: readonly GenAttribute[]
  readonly events: readonly GenEvent[]
  readonly statusMessage: string | undefined
  readonly remote: RemoteEndpoint | undefined
}

export const MIN_ATTRIBUTES = 5
export const MAX_ATTRIBUTES = 15

type Category = 'http' | 'grpc' | 'sql' | 'redis' | 'elasticsearch' | 'kafka' | 'app'

const SCOPES: Record<Language, Record<Category, string>> = {
  go: {
    http: 'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp',
    grpc: 'go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc',
    sql: 'github.com/exaring/otelpgx',
    redis: 'github.com/redis/go-redis/extra/redisotel',
    elasticsearch: 'github.com/elastic/go-elasticsearch',
    kafka: 'github.com/twmb/franz-go/plugin/kotel',
    app: 'shop/internal',
  },
  java: {
    http: 'io.opentelemetry.spring-webmvc-6.0',
    grpc: 'io.opentelemetry.grpc-1.6',
    sql: 'io.opentelemetry.jdbc',
    redis: 'io.opentelemetry.lettuce-5.1',
    elasticsearch: 'io.opentelemetry.elasticsearch-rest-7.0',
    kafka: 'io.opentelemetry.kafka-clients-2.6',
    app: 'com.example.shop',
  },
  nodejs: {
    http: '@opentelemetry/instrumentation-http',
    grpc: '@opentelemetry/instrumentation-grpc',
    sql: '@opentelemetry/instrumentation-pg',
    redis: '@opentelemetry/instrumentation-ioredis',
    elasticsearch: '@opentelemetry/instrumentation-undici',
    kafka: '@opentelemetry/instrumentation-kafkajs',
    app: 'shop-app',
  },
  python: {
    http: 'opentelemetry.instrumentation.fastapi',
    grpc: 'opentelemetry.instrumentation.grpc',
    sql: 'opentelemetry.instrumentation.psycopg',
    redis: 'opentelemetry.instrumentation.redis',
    elasticsearch: 'opentelemetry.instrumentation.elasticsearch',
    kafka: 'opentelemetry.instrumentation.confluent_kafka',
    app: 'shop',
  },
  dotnet: {
    http: 'Microsoft.AspNetCore',
    grpc: 'Grpc.Net.Client',
    sql: 'Npgsql',
    redis: 'OpenTelemetry.Instrumentation.StackExchangeRedis',
    elasticsearch: 'Elastic.Clients.Elasticsearch',
    kafka: 'Confluent.Kafka.Extensions.OpenTelemetry',
    app: 'Shop',
  },
}

const SCOPE_VERSION: Record<Language, string> = { go: '0.58.0', java: '2.10.0-alpha', nodejs: '0.56.0', python: '0.48b0', dotnet: '1.9.0' }

/** Interned so that writers can cache per-scope text by identity. */
const scopeCache = new Map<string, ScopeDef>()
function scopeFor(language: Language, category: Category): ScopeDef {
  const key = `${language}/${category}`
  let scope = scopeCache.get(key)
  if (scope === undefined) {
    scope = { name: SCOPES[language][category], version: SCOPE_VERSION[language] }
    scopeCache.set(key, scope)
  }
  return scope
}

const GRPC_CODE_NAMES: Record<number, string> = { 0: 'OK', 2: 'UNKNOWN', 4: 'DEADLINE_EXCEEDED', 13: 'INTERNAL', 14: 'UNAVAILABLE' }
const GRPC_ERROR_TEXT: Record<number, string> = {
  2: 'panic recovered in handler',
  4: 'context deadline exceeded',
  13: 'stream terminated by RST_STREAM with error code: INTERNAL_ERROR',
  14: 'connection error: desc = "transport: Error while dialing: dial tcp: connect: connection refused"',
}
const HTTP_ERROR_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway: upstream connect error or disconnect/reset before headers',
  503: 'Service Unavailable: no healthy upstream',
  504: 'Gateway Timeout: upstream request timeout',
}

const ERROR_MESSAGES: Record<Exclude<Category, 'http' | 'grpc'> | 'external', readonly string[]> = {
  sql: [
    'ERROR: deadlock detected (SQLSTATE 40P01)',
    'ERROR: canceling statement due to statement timeout (SQLSTATE 57014)',
    'ERROR: duplicate key value violates unique constraint "pk" (SQLSTATE 23505)',
    'FATAL: remaining connection slots are reserved for non-replication superuser connections (SQLSTATE 53300)',
  ],
  redis: [
    "READONLY You can't write against a read only replica.",
    'i/o timeout',
    'LOADING Redis is loading the dataset in memory',
    'connection pool exhausted',
  ],
  elasticsearch: [
    'search_phase_execution_exception: all shards failed',
    'es_rejected_execution_exception: rejected execution of search on thread pool',
    'circuit_breaking_exception: [parent] Data too large',
  ],
  kafka: ['Broker: Not enough in-sync replicas', 'Local: Message timed out', 'Broker: Leader not available'],
  app: [
    'validation failed: quantity must be positive',
    'unexpected nil value for field "currency"',
    'index out of range [3] with length 3',
    'optimistic lock conflict: retries exhausted',
  ],
  external: ['HTTP 502 Bad Gateway from upstream', 'HTTP 429 Too Many Requests', 'net/http: TLS handshake timeout', 'HTTP 503 Service Unavailable'],
}

const EXCEPTION_TYPES: Record<Language, Record<'network' | 'db' | 'app', string>> = {
  go: { network: '*net.OpError', db: '*pgconn.PgError', app: '*errors.errorString' },
  java: { network: 'java.net.SocketTimeoutException', db: 'org.postgresql.util.PSQLException', app: 'java.lang.IllegalStateException' },
  nodejs: { network: 'Error', db: 'DatabaseError', app: 'TypeError' },
  python: { network: 'TimeoutError', db: 'psycopg.errors.OperationalError', app: 'ValueError' },
  dotnet: { network: 'System.Net.Http.HttpRequestException', db: 'Npgsql.PostgresException', app: 'System.InvalidOperationException' },
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'ShopApp/4.12.0 (Android 15; Pixel 8)',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
]
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'SEK', 'PLN']
const SLUGS = ['shoes', 'outdoor', 'kitchen', 'books', 'toys', 'garden', 'audio', 'lighting']
const EXPERIMENTS = ['checkout-v2', 'reco-ranker-b', 'free-shipping-banner', 'search-synonyms', 'dark-mode']

const str = (key: string, value: string): GenAttribute => ({ key, type: 'string', value })
const int = (key: string, value: number): GenAttribute => ({ key, type: 'int', value })
const dbl = (key: string, value: number): GenAttribute => ({ key, type: 'double', value })
const bool = (key: string, value: boolean): GenAttribute => ({ key, type: 'bool', value })

/**
 * Attributes added on top of a span's semantic-convention set until it reaches its drawn size.
 * The length is prime so that any stride 1..length-1 visits every entry once.
 */
const EXTRAS: readonly ((rng: Rng) => GenAttribute)[] = [
  (r) => str('app.user.id', `usr_${r.int(100000, 999999)}`),
  (r) => str('app.session.id', r.hex(3)),
  (r) => str('app.request.id', formatUuid(r.hex(4))),
  (r) => str('app.tenant.id', `tenant-${String(r.int(1, 120)).padStart(3, '0')}`),
  (r) => str('app.customer.tier', r.pick(['bronze', 'silver', 'gold', 'platinum'])),
  (r) => str('enduser.role', r.pick(['customer', 'customer', 'guest', 'support-agent'])),
  (r) => bool('app.cache.hit', r.chance(0.7)),
  (r) => bool('app.feature_flag.new_checkout', r.chance(0.3)),
  (r) => bool('app.is_retry', r.chance(0.05)),
  (r) => bool('app.user.is_authenticated', r.chance(0.8)),
  (r) => int('app.items.count', r.int(1, 40)),
  (r) => int('app.retry.count', r.int(0, 3)),
  (r) => int('thread.id', r.int(1, 512)),
  (r) => int('code.lineno', r.int(20, 900)),
  (r) => dbl('app.latency.budget_ms', round(r.between(50, 2000), 3)),
  (r) => dbl('app.cart.total', round(r.between(5, 900), 2)),
  (r) => dbl('app.score', round(r.next(), 4)),
  (r) => ({ key: 'app.experiments', type: 'strings', value: EXPERIMENTS.filter(() => r.chance(0.35)) }),
  (r) => str('app.region', r.pick(['eu-west-1', 'eu-west-1', 'eu-central-1', 'us-east-1'])),
]

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

function fillRoute(route: string, rng: Rng): string {
  return route.replace(/\{(\w+)\}/g, (_m, name: string) =>
    name === 'slug' ? rng.pick(SLUGS) : name === 'sid' ? rng.hex(2) : name === 'code' ? rng.pick(CURRENCIES) : String(rng.int(1000, 999999)),
  )
}

function serviceHost(def: ServiceDef): string {
  return `${def.name}.shop.svc.cluster.local`
}

function randomIp(rng: Rng): string {
  return `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`
}

function splitOp(op: string): [method: string, route: string] {
  const space = op.indexOf(' ')
  return [op.slice(0, space), op.slice(space + 1)]
}

/** The span name of a call into `def` running `op`: `GET /route` for HTTP, `pkg.Service/Method` for gRPC. */
function rpcName(def: ServiceDef, op: string): string {
  return def.protocol === 'grpc' ? `${def.rpcService ?? def.name}/${op}` : op
}

/** The status a root SERVER span answers with when no caller decided it. */
export function drawStatusCode(def: ServiceDef, isError: boolean, isRoot: boolean, rng: Rng): number {
  if (def.protocol === 'grpc') return isError ? rng.pick([2, 4, 13, 14]) : 0
  if (isError) return rng.pick([500, 502, 503, 504])
  if (isRoot && rng.chance(0.04)) return rng.pick([404, 400, 401, 304])
  return rng.pickWeighted([200, 201, 204], [90, 6, 4])
}

function statusMessageFor(def: ServiceDef, code: number): string {
  if (def.protocol === 'grpc') return `${GRPC_CODE_NAMES[code] ?? 'UNKNOWN'}: ${GRPC_ERROR_TEXT[code] ?? 'error'}`
  return `HTTP ${code} ${HTTP_ERROR_TEXT[code] ?? 'Error'}`
}

interface Described {
  name: string
  kind: GenKind
  category: Category
  attributes: GenAttribute[]
  statusMessage: string | undefined
  errorFamily: 'network' | 'db' | 'app'
  remote: RemoteEndpoint | undefined
  function: string
}

export function describeSpan(node: PlanNode, rng: Rng, toTime: (offsetNs: number) => GenTime): SpanDetails {
  const d = describeRole(node, rng)
  const attributes = d.attributes
  const target = rng.int(MIN_ATTRIBUTES, MAX_ATTRIBUTES)
  const reserved = node.isError ? 1 : 0
  const missing = target - attributes.length - reserved
  if (missing > 0) {
    let index = rng.int(0, EXTRAS.length - 1)
    const stride = rng.int(1, EXTRAS.length - 1)
    for (let i = 0; i < missing; i++) {
      const make = EXTRAS[index] as (r: Rng) => GenAttribute
      attributes.push(make(rng))
      index = (index + stride) % EXTRAS.length
    }
  }
  const language = node.service.def.language
  const events: GenEvent[] = []
  const durationNs = node.endNs - node.startNs
  if (rng.chance(0.06)) events.push(logEvent(rng, toTime(node.startNs + Math.floor(durationNs * rng.next()))))
  if (node.isError) {
    const type = EXCEPTION_TYPES[language][d.errorFamily]
    const message = d.statusMessage ?? 'error'
    attributes.push(str('error.type', type))
    events.push({
      time: toTime(node.startNs + Math.floor(durationNs * rng.between(0.6, 1))),
      name: 'exception',
      attributes: [
        str('exception.type', type),
        str('exception.message', message),
        str('exception.stacktrace', buildStacktrace(language, type, message, node.service.def, d.function, rng)),
        bool('exception.escaped', rng.chance(0.5)),
      ],
    })
  }
  return {
    name: d.name,
    kind: d.kind,
    scope: scopeFor(language, d.category),
    attributes,
    events,
    statusMessage: node.isError ? (d.statusMessage ?? 'error') : undefined,
    remote: d.remote,
  }
}

function describeRole(node: PlanNode, rng: Rng): Described {
  const def = node.service.def
  switch (node.role) {
    case 'entry': {
      const op = node.op ?? rng.pick(def.serverOps)
      const code = node.statusCode ?? drawStatusCode(def, node.isError, node.depth === 0, rng)
      const message = node.isError ? statusMessageFor(def, code) : undefined
      const fn = def.protocol === 'grpc' ? op : splitOp(op)[1]
      if (def.protocol === 'grpc') {
        return {
          name: rpcName(def, op),
          kind: 'server',
          category: 'grpc',
          attributes: [
            str('rpc.system', 'grpc'),
            str('rpc.service', def.rpcService ?? def.name),
            str('rpc.method', op),
            int('rpc.grpc.status_code', code),
            str('server.address', serviceHost(def)),
            int('server.port', def.port),
            str('network.peer.address', `10.42.${rng.int(0, 15)}.${rng.int(2, 254)}`),
          ],
          statusMessage: message,
          errorFamily: code === 13 || code === 2 ? 'app' : 'network',
          remote: undefined,
          function: fn,
        }
      }
      const [method, route] = splitOp(op)
      const isPublic = node.depth === 0
      return {
        name: op,
        kind: 'server',
        category: 'http',
        attributes: [
          str('http.request.method', method),
          str('http.route', route),
          str('url.path', fillRoute(route, rng)),
          str('url.scheme', isPublic ? 'https' : 'http'),
          int('http.response.status_code', code),
          str('server.address', isPublic ? 'shop.example.com' : serviceHost(def)),
          int('server.port', isPublic ? 443 : def.port),
          str('client.address', isPublic ? randomIp(rng) : `10.42.${rng.int(0, 15)}.${rng.int(2, 254)}`),
          str('user_agent.original', rng.pick(USER_AGENTS)),
          str('network.protocol.version', rng.chance(0.7) ? '1.1' : '2'),
        ],
        statusMessage: message,
        errorFamily: 'app',
        remote: undefined,
        function: route,
      }
    }
    case 'call': {
      const target = node.target ?? node.service
      const tdef = target.def
      const op = node.op ?? rng.pick(tdef.serverOps)
      const code = node.statusCode ?? drawStatusCode(tdef, node.isError, false, rng)
      const message = node.isError ? statusMessageFor(tdef, code) : undefined
      const remote: RemoteEndpoint = { serviceName: tdef.name, ipv4: target.ipv4, port: tdef.port }
      if (tdef.protocol === 'grpc') {
        return {
          name: rpcName(tdef, op),
          kind: 'client',
          category: 'grpc',
          attributes: [
            str('rpc.system', 'grpc'),
            str('rpc.service', tdef.rpcService ?? tdef.name),
            str('rpc.method', op),
            int('rpc.grpc.status_code', code),
            str('server.address', serviceHost(tdef)),
            int('server.port', tdef.port),
            str('peer.service', tdef.name),
            int('net.peer.port', tdef.port),
          ],
          statusMessage: message,
          errorFamily: 'network',
          remote,
          function: op,
        }
      }
      const [method, route] = splitOp(op)
      return {
        name: op,
        kind: 'client',
        category: 'http',
        attributes: [
          str('http.request.method', method),
          str('url.full', `http://${serviceHost(tdef)}:${tdef.port}${fillRoute(route, rng)}`),
          int('http.response.status_code', code),
          str('server.address', serviceHost(tdef)),
          int('server.port', tdef.port),
          str('peer.service', tdef.name),
          int('net.peer.port', tdef.port),
          str('network.protocol.version', '1.1'),
        ],
        statusMessage: message,
        errorFamily: 'network',
        remote,
        function: route,
      }
    }
    case 'external': {
      const ext = node.external
      const route = node.route ?? 'GET /'
      const [method, path] = splitOp(route)
      const code = node.isError ? rng.pick([429, 502, 503]) : rng.pickWeighted([200, 201], [8, 2])
      return {
        name: route,
        kind: 'client',
        category: 'http',
        attributes: [
          str('http.request.method', method),
          str('url.full', `https://${ext?.host ?? 'example.com'}${fillRoute(path, rng)}`),
          int('http.response.status_code', code),
          str('server.address', ext?.host ?? 'example.com'),
          int('server.port', 443),
          str('peer.service', ext?.peer ?? 'external'),
          int('net.peer.port', 443),
        ],
        statusMessage: node.isError ? rng.pick(ERROR_MESSAGES.external) : undefined,
        errorFamily: 'network',
        remote: { serviceName: ext?.peer ?? 'external', port: 443 },
        function: path,
      }
    }
    case 'store': {
      const use = node.storeUse
      const statement = node.statement
      if (use === undefined || statement === undefined) throw new Error('store span without a store')
      const store = use.store
      const common = [str('server.address', store.host), int('server.port', store.port), str('peer.service', store.peer), int('net.peer.port', store.port)]
      const remote: RemoteEndpoint = { serviceName: store.peer, port: store.port }
      if (store.system === 'postgresql') {
        return {
          name: `${statement.operation} ${statement.target ?? use.database}`,
          kind: 'client',
          category: 'sql',
          attributes: [
            str('db.system', 'postgresql'),
            str('db.name', use.database),
            str('db.statement', statement.text),
            str('db.operation', statement.operation),
            str('db.sql.table', statement.target ?? ''),
            str('db.user', `${def.name}_rw`),
            ...common,
          ],
          statusMessage: node.isError ? rng.pick(ERROR_MESSAGES.sql) : undefined,
          errorFamily: 'db',
          remote,
          function: statement.operation.toLowerCase(),
        }
      }
      if (store.system === 'redis') {
        return {
          name: statement.operation,
          kind: 'client',
          category: 'redis',
          attributes: [
            str('db.system', 'redis'),
            str('db.statement', fillRoute(statement.text, rng)),
            str('db.operation', statement.operation),
            int('db.redis.database_index', 0),
            ...common,
          ],
          statusMessage: node.isError ? rng.pick(ERROR_MESSAGES.redis) : undefined,
          errorFamily: 'db',
          remote,
          function: statement.operation.toLowerCase(),
        }
      }
      return {
        name: `search ${statement.target ?? ''}`,
        kind: 'client',
        category: 'elasticsearch',
        attributes: [
          str('db.system', 'elasticsearch'),
          str('db.operation', 'search'),
          str('db.statement', statement.text),
          str('http.request.method', 'POST'),
          str('url.full', `http://${store.host}:${store.port}/${statement.target ?? ''}/_search`),
          ...common,
        ],
        statusMessage: node.isError ? rng.pick(ERROR_MESSAGES.elasticsearch) : undefined,
        errorFamily: 'db',
        remote,
        function: 'search',
      }
    }
    case 'produce': {
      const topic = node.topic?.name ?? 'events'
      return {
        name: `${topic} publish`,
        kind: 'producer',
        category: 'kafka',
        attributes: [
          str('messaging.system', 'kafka'),
          str('messaging.destination.name', topic),
          str('messaging.operation', 'publish'),
          str('messaging.message.id', formatUuid(rng.hex(4))),
          int('messaging.kafka.destination.partition', rng.int(0, 11)),
          str('messaging.kafka.message.key', `key-${rng.int(1, 99999)}`),
          str('server.address', KAFKA.host),
          int('server.port', KAFKA.port),
          str('peer.service', KAFKA.peer),
        ],
        statusMessage: node.isError ? rng.pick(ERROR_MESSAGES.kafka) : undefined,
        errorFamily: 'network',
        remote: { serviceName: KAFKA.peer, port: KAFKA.port },
        function: 'publish',
      }
    }
    case 'consumer': {
      const topic = node.topic
      return {
        name: `${topic?.name ?? 'events'} process`,
        kind: 'consumer',
        category: 'kafka',
        attributes: [
          str('messaging.system', 'kafka'),
          str('messaging.destination.name', topic?.name ?? 'events'),
          str('messaging.operation', 'process'),
          str('messaging.kafka.consumer.group', topic?.group ?? `${def.name}-consumers`),
          int('messaging.kafka.destination.partition', rng.int(0, 11)),
          int('messaging.kafka.message.offset', rng.int(1000, 90_000_000)),
        ],
        statusMessage: node.isError ? rng.pick(ERROR_MESSAGES.app) : undefined,
        errorFamily: 'app',
        remote: undefined,
        function: 'handleMessage',
      }
    }
    case 'chain': {
      const op = def.recursiveOp ?? 'resolve'
      return {
        name: op,
        kind: 'internal',
        category: 'app',
        attributes: [
          str('code.function', op.slice(op.lastIndexOf('.') + 1)),
          str('code.namespace', namespaceOf(def, op)),
          int('app.recursion.depth', node.chainLevel ?? 1),
          str('app.node.id', `n${rng.int(1, 9_999_999)}`),
        ],
        statusMessage: node.isError ? rng.pick(ERROR_MESSAGES.app) : undefined,
        errorFamily: 'app',
        remote: undefined,
        function: op,
      }
    }
    case 'internal': {
      const op = node.op ?? rng.pick(def.internalOps)
      return {
        name: op,
        kind: 'internal',
        category: 'app',
        attributes: [str('code.function', op.slice(op.lastIndexOf('.') + 1)), str('code.namespace', namespaceOf(def, op))],
        statusMessage: node.isError ? rng.pick(ERROR_MESSAGES.app) : undefined,
        errorFamily: 'app',
        remote: undefined,
        function: op,
      }
    }
  }
}

function namespaceOf(def: ServiceDef, op: string): string {
  const dot = op.lastIndexOf('.')
  const owner = dot < 0 ? '' : `.${op.slice(0, dot)}`
  return def.language === 'java' ? `com.example.shop.${def.name}${owner}` : `${def.name}${owner}`
}

function logEvent(rng: Rng, time: GenTime): GenEvent {
  switch (rng.int(0, 3)) {
    case 0:
      return { time, name: 'cache miss', attributes: [str('cache.key', `k:${rng.hex(2)}`)] }
    case 1:
      return { time, name: 'retrying request', attributes: [int('retry.attempt', rng.int(1, 3)), dbl('retry.delay_ms', round(rng.between(5, 400), 1))] }
    case 2:
      return {
        time,
        name: 'connection acquired',
        attributes: [str('pool.name', 'default'), dbl('pool.wait_ms', round(rng.between(0, 30), 3))],
      }
    default:
      return {
        time,
        name: 'log',
        attributes: [
          str('message', rng.pick(['request accepted', 'slow query detected', 'falling back to default price list', 'stale cache entry refreshed'])),
          str('log.severity', rng.pick(['INFO', 'WARN', 'DEBUG'])),
        ],
      }
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function camel(name: string): string {
  return name
    .split(/[-_.\s/{}]+/)
    .filter(Boolean)
    .map(capitalize)
    .join('')
}

/** A plausible stack trace in the style of the service's language; frames come from the service's own operations. */
function buildStacktrace(language: Language, type: string, message: string, def: ServiceDef, fn: string, rng: Rng): string {
  const frames = [camel(fn) || 'Handle', ...Array.from({ length: rng.int(2, 5) }, () => camel(rng.pick(def.internalOps)))]
  const svc = camel(def.name)
  const line = (): number => rng.int(12, 640)
  switch (language) {
    case 'java':
      return [
        `${type}: ${message}`,
        ...frames.map(
          (f) => `\tat com.example.shop.${def.name.replace(/-/g, '')}.${svc}Service.${f.charAt(0).toLowerCase()}${f.slice(1)}(${svc}Service.java:${line()})`,
        ),
        '\tat io.grpc.stub.ServerCalls$UnaryServerCallHandler$UnaryServerCallListener.onHalfClose(ServerCalls.java:182)',
        '\tat java.base/java.lang.Thread.run(Thread.java:1583)',
      ].join('\n')
    case 'go':
      return [
        `goroutine ${rng.int(20, 9000)} [running]:`,
        ...frames.flatMap((f) => [`main.(*${svc}Server).${f}(...)`, `\t/app/internal/${def.name}/server.go:${line()} +0x${rng.int(16, 4095).toString(16)}`]),
        'net/http.HandlerFunc.ServeHTTP(...)',
        `\t/usr/local/go/src/net/http/server.go:2220 +0x29`,
      ].join('\n')
    case 'python':
      return [
        'Traceback (most recent call last):',
        ...frames.flatMap((f) => [
          `  File "/app/${def.name.replace(/-/g, '_')}/handlers.py", line ${line()}, in ${f.toLowerCase()}`,
          `    return await self._${f.toLowerCase()}(request)`,
        ]),
        `${type}: ${message}`,
      ].join('\n')
    case 'nodejs':
      return [
        `${type}: ${message}`,
        ...frames.map((f) => `    at ${svc}Service.${f.charAt(0).toLowerCase()}${f.slice(1)} (/app/src/${def.name}/service.js:${line()}:${rng.int(5, 40)})`),
        '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      ].join('\n')
    case 'dotnet':
      return [
        `${type}: ${message}`,
        ...frames.map((f) => `   at Shop.${svc}.${svc}Service.${f}() in /src/${svc}/${svc}Service.cs:line ${line()}`),
        '   at Grpc.AspNetCore.Server.Internal.CallHandlers.UnaryServerCallHandler`3.HandleCallAsyncCore(HttpContext httpContext)',
      ].join('\n')
  }
}
