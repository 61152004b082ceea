import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildTrace } from '../build-traces.ts'
import { SpanKind, StatusCode } from '../span-record.ts'
import type { Attribute, SpanRecord } from '../span-record.ts'
import { makeSpan } from '../testing/make-span.ts'
import { buildServiceGraph, peerOf, serviceGraphFromLinks } from './service-graph.ts'
import type { DependencyLink, ServiceGraph } from './service-graph.ts'
import { fixtureTraces } from './testing/fixture-traces.ts'

const attrs = (values: Record<string, string | number>): Attribute[] => Object.entries(values).map(([key, value]) => ({ key, value }))
const client = (extra: Partial<SpanRecord> = {}) => makeSpan('c', undefined, 0, 1, { kind: SpanKind.Client, ...extra })

/** Edges as `source → target calls/errors`, the way one reads a map. */
const edgeLines = (graph: ServiceGraph) => graph.edges.map((e) => `${e.source} → ${e.target} ${e.callCount}/${e.errorCount}`)
const nodeLines = (graph: ServiceGraph) =>
  graph.nodes.map((n) => `${n.id} ${n.kind}${n.isInferred ? ' inferred' : ''} spans=${n.spanCount} errors=${n.errorCount}`)

describe('peerOf', () => {
  it('names the remote side from semantic-convention attributes, in order of preference', () => {
    expect(peerOf(client({ attributes: attrs({ 'peer.service': 'billing', 'server.address': 'billing.internal' }) }))).toEqual({
      name: 'billing',
      kind: 'service',
      rank: 2,
    })
    expect(peerOf(client({ attributes: attrs({ 'db.system': 'postgresql', 'db.name': 'shop', 'server.address': 'db1' }) }))).toMatchObject({
      name: 'postgresql/shop',
      kind: 'database',
    })
    expect(peerOf(client({ attributes: attrs({ 'db.system': 'redis' }) }))).toMatchObject({ name: 'redis', kind: 'database' })
    expect(peerOf(client({ attributes: attrs({ 'db.system': 'mongodb', 'db.namespace': 'users' }) }))).toMatchObject({
      name: 'mongodb/users',
      kind: 'database',
    })
    expect(
      peerOf(client({ kind: SpanKind.Producer, attributes: attrs({ 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' }) })),
    ).toMatchObject({
      name: 'kafka/orders',
      kind: 'queue',
    })
    expect(peerOf(client({ attributes: attrs({ 'messaging.system': 'rabbitmq', 'messaging.destination': 'jobs' }) }))).toMatchObject({
      name: 'rabbitmq/jobs',
      kind: 'queue',
    })
    expect(peerOf(client({ attributes: attrs({ 'server.address': 'api.example.com', 'server.port': 443 }) }))).toMatchObject({
      name: 'api.example.com:443',
      kind: 'external',
    })
    expect(peerOf(client({ attributes: attrs({ 'net.peer.name': 'example.com' }) }))).toMatchObject({ name: 'example.com', kind: 'external' })
    expect(peerOf(client({ attributes: attrs({ 'network.peer.address': '10.0.0.7', 'network.peer.port': '6379' }) }))).toMatchObject({
      name: '10.0.0.7:6379',
      kind: 'external',
    })
    // Zipkin remoteEndpoint.serviceName on a PRODUCER becomes peer.service: a queue, weakly.
    expect(peerOf(client({ kind: SpanKind.Producer, attributes: attrs({ 'peer.service': 'kafka' }) }))).toEqual({ name: 'kafka', kind: 'queue', rank: 1 })
    expect(peerOf(client({ attributes: attrs({ 'peer.service': '', 'http.url': 'http://x/' }) }))).toBeUndefined()
  })
})

describe('buildServiceGraph', () => {
  it('makes one call per parent/child pair across services, with callee errors and latency percentiles', () => {
    // web GET / (server) → web call-api (client) → api handle (server), twenty times, 1…20 µs.
    const spans: SpanRecord[] = [makeSpan('root', undefined, 0, 1000, { service: 'web', kind: SpanKind.Server })]
    for (let i = 1; i <= 20; i++) {
      spans.push(makeSpan(`c${i}`, 'root', i * 40, 30, { service: 'web', kind: SpanKind.Client }))
      spans.push(makeSpan(`s${i}`, `c${i}`, i * 40 + 1, i, { service: 'api', kind: SpanKind.Server, statusCode: i <= 3 ? StatusCode.Error : StatusCode.Unset }))
    }
    // A client that failed (timed out) while its server answered fine counts as a failed call.
    spans.push(makeSpan('timeout', 'root', 900, 50, { service: 'web', kind: SpanKind.Client, statusCode: StatusCode.Error }))
    spans.push(makeSpan('late', 'timeout', 901, 21, { service: 'api', kind: SpanKind.Server }))
    const graph = buildServiceGraph([buildTrace('t1', spans)])
    expect(edgeLines(graph)).toEqual(['web → api 21/4'])
    const [edge] = graph.edges
    expect(edge?.errorRate).toBe(4 / 21)
    // Callee durations 1…21 µs: nearest rank p50 = the 11th, p95 = the 20th.
    expect(edge?.p50Ns).toBe(11_000)
    expect(edge?.p95Ns).toBe(20_000)
    expect(edge?.traceIds).toEqual(['t1'])
    expect(edge?.isSelfEdge).toBe(false)
    expect(nodeLines(graph)).toEqual(['api service spans=21 errors=3', 'web service spans=22 errors=1'])
  })

  it('turns leaf clients with a peer into calls to inferred nodes', () => {
    const trace = buildTrace('t1', [
      makeSpan('root', undefined, 0, 100, { service: 'shop', kind: SpanKind.Server }),
      makeSpan('db', 'root', 1, 5, { service: 'shop', kind: SpanKind.Client, attributes: attrs({ 'db.system': 'postgresql', 'db.name': 'orders' }) }),
      // A leaf client may have children in its own service (e.g. a connect span).
      makeSpan('db2', 'root', 10, 7, {
        service: 'shop',
        kind: SpanKind.Client,
        statusCode: StatusCode.Error,
        attributes: attrs({ 'db.system': 'postgresql', 'db.name': 'orders' }),
      }),
      makeSpan('connect', 'db2', 11, 1, { service: 'shop' }),
      makeSpan('pub', 'root', 20, 2, {
        service: 'shop',
        kind: SpanKind.Producer,
        attributes: attrs({ 'messaging.system': 'kafka', 'messaging.destination.name': 'events' }),
      }),
      makeSpan('http', 'root', 30, 9, {
        service: 'shop',
        kind: SpanKind.Client,
        attributes: attrs({ 'server.address': 'payments.example.com', 'server.port': 443 }),
      }),
      // Not calls: a client without a peer, an INTERNAL span with one, a client naming its own service.
      makeSpan('bare', 'root', 40, 1, { service: 'shop', kind: SpanKind.Client }),
      makeSpan('internal', 'root', 41, 1, { service: 'shop', attributes: attrs({ 'db.system': 'sqlite' }) }),
      makeSpan('loop', 'root', 42, 1, { service: 'shop', kind: SpanKind.Client, attributes: attrs({ 'peer.service': 'shop' }) }),
    ])
    const graph = buildServiceGraph([trace])
    expect(edgeLines(graph)).toEqual(['shop → kafka/events 1/0', 'shop → payments.example.com:443 1/0', 'shop → postgresql/orders 2/1'])
    expect(graph.edges.find((e) => e.target === 'postgresql/orders')).toMatchObject({ p50Ns: 5000, p95Ns: 7000, errorRate: 0.5 })
    expect(nodeLines(graph)).toEqual([
      'kafka/events queue inferred spans=0 errors=0',
      'payments.example.com:443 external inferred spans=0 errors=0',
      'postgresql/orders database inferred spans=0 errors=0',
      'shop service spans=9 errors=1',
    ])
    expect(graph.source).toBe('traces')
  })

  it('does not treat a client with a child in another service as a leaf, and never makes self-edges from spans', () => {
    const trace = buildTrace('t1', [
      makeSpan('root', undefined, 0, 100, { service: 'a', kind: SpanKind.Server }),
      makeSpan('call', 'root', 1, 50, { service: 'a', kind: SpanKind.Client, attributes: attrs({ 'peer.service': 'b', 'server.address': 'b.internal' }) }),
      makeSpan('serve', 'call', 2, 40, { service: 'b', kind: SpanKind.Server }),
      makeSpan('inner', 'serve', 3, 10, { service: 'b' }),
    ])
    const graph = buildServiceGraph([trace])
    expect(edgeLines(graph)).toEqual(['a → b 1/0'])
    expect(graph.edges[0]?.p50Ns).toBe(40_000)
  })

  it('merges an inferred peer into the service of that name when it has spans elsewhere', () => {
    const caller = buildTrace('t1', [
      makeSpan('root', undefined, 0, 10, { service: 'web', kind: SpanKind.Server }),
      makeSpan('call', 'root', 1, 5, { service: 'web', kind: SpanKind.Client, attributes: attrs({ 'peer.service': 'auth' }) }),
    ])
    const callee = buildTrace('t2', [makeSpan('x', undefined, 0, 3, { traceId: 't2', service: 'auth', kind: SpanKind.Server })])
    const graph = buildServiceGraph([caller, callee])
    expect(edgeLines(graph)).toEqual(['web → auth 1/0'])
    expect(nodeLines(graph)).toEqual(['auth service spans=1 errors=0', 'web service spans=2 errors=0'])
    expect(graph.nodes[0]?.traceIds).toEqual(['t1', 't2'])
  })

  it('lets the strongest hint decide an inferred node’s kind', () => {
    // "broker" is named by peer.service on a PRODUCER (weak: queue) and on a CLIENT (service).
    const trace = buildTrace('t1', [
      makeSpan('root', undefined, 0, 10, { service: 'web' }),
      makeSpan('p', 'root', 1, 1, { service: 'web', kind: SpanKind.Producer, attributes: attrs({ 'peer.service': 'broker' }) }),
      makeSpan('c', 'root', 2, 1, { service: 'web', kind: SpanKind.Client, attributes: attrs({ 'peer.service': 'broker' }) }),
    ])
    expect(nodeLines(buildServiceGraph([trace]))).toContain('broker service inferred spans=0 errors=0')
  })

  it('Zipkin messaging-kafka.json: producer → consumer calls, leaf producers to kafka, and the root poll from kafka', () => {
    // Read from the file: servicea's PRODUCER "send" spans 2e22…, 5133…, 085a… each have a
    // CONSUMER "poll" child in serviceb (1 µs each, no error tag); six other sends have no child
    // in another service and name remoteEndpoint kafka (746, 803, 937, 957, 3268, 102480 µs);
    // the root is servicea's CONSUMER poll (26 µs) from kafka. serviceb's three on-message spans
    // carry an error tag (one of them empty, still an error in Zipkin).
    const graph = buildServiceGraph(fixtureTraces('zipkin/messaging-kafka.json'))
    expect(edgeLines(graph)).toEqual(['kafka → servicea 1/0', 'servicea → kafka 6/0', 'servicea → serviceb 3/0'])
    expect(nodeLines(graph)).toEqual(['kafka queue inferred spans=0 errors=0', 'servicea service spans=22 errors=0', 'serviceb service spans=6 errors=3'])
    const toKafka = graph.edges.find((e) => e.source === 'servicea' && e.target === 'kafka')
    expect([toKafka?.p50Ns, toKafka?.p95Ns]).toEqual([937_000, 102_480_000])
    expect(graph.edges.find((e) => e.target === 'serviceb')?.p50Ns).toBe(1000)
  })

  it('OTLP 5b584103….json (five traces of a Java shop): services, databases, a queue and external hosts', () => {
    // Counted in the file: frontend's CLIENT spans with children in fraud-detection and checkout
    // (one per order trace, two order traces); leaf CLIENTs to postgresql db.name my_shopping_cart
    // (16 from frontend across four traces, 4 from fraud-detection), redis (4), example.com (2);
    // PRODUCER publish to rabbitmq ecommerce-exchange (2); checkout's POST to localhost:8088 fails
    // (status code 2) both times.
    const graph = buildServiceGraph(fixtureTraces('otlp/5b584103c6fc5ddf423cb2fb6552d0f0.json'))
    expect(edgeLines(graph)).toEqual([
      'checkout → localhost:8088 2/2',
      'fraud-detection → postgresql/my_shopping_cart 4/0',
      'frontend → checkout 2/0',
      'frontend → example.com 2/0',
      'frontend → fraud-detection 2/0',
      'frontend → postgresql/my_shopping_cart 16/0',
      'frontend → rabbitmq/ecommerce-exchange 2/0',
      'frontend → redis 4/0',
    ])
    expect(nodeLines(graph)).toEqual([
      'checkout service spans=4 errors=2',
      'example.com external inferred spans=0 errors=0',
      'fraud-detection service spans=8 errors=0',
      'frontend service spans=70 errors=0',
      'localhost:8088 external inferred spans=0 errors=0',
      'postgresql/my_shopping_cart database inferred spans=0 errors=0',
      'rabbitmq/ecommerce-exchange queue inferred spans=0 errors=0',
      'redis database inferred spans=0 errors=0',
    ])
    // The two fraud-detection server spans last 110,135,630 and 1,060,899,561 ns.
    expect(graph.edges.find((e) => e.target === 'fraud-detection')).toMatchObject({ p50Ns: 110_135_630, p95Ns: 1_060_899_561 })
    expect(graph.edges.find((e) => e.target === 'postgresql/my_shopping_cart' && e.source === 'frontend')?.traceIds.map((id) => id.slice(0, 8))).toEqual([
      '2ec8c44b',
      '5b584103',
      '93c85b39',
      'd74b95b3',
    ])
    expect(graph.nodes.find((n) => n.id === 'frontend')?.traceIds).toHaveLength(5)
  })

  it('OTLP otel_traces_01.json: orphan clients, producers and consumers naming peer.service', () => {
    // Two traces of service-x, every parent missing: CLIENT 3 and PRODUCER 4 name service-y
    // (calls out), CONSUMER 5 names service-y (a call in); all four spans have status ERROR.
    const graph = buildServiceGraph(fixtureTraces('otlp/otel_traces_01.json'))
    expect(edgeLines(graph)).toEqual(['service-x → service-y 2/2', 'service-y → service-x 1/1'])
    expect(nodeLines(graph)).toEqual(['service-x service spans=4 errors=4', 'service-y service inferred spans=0 errors=0'])
  })
})

describe('serviceGraphFromLinks', () => {
  it('reads Jaeger UI’s sample dependency links', () => {
    const path = fileURLToPath(new URL('../../../fixtures/jaeger/small.json', import.meta.url))
    const links = JSON.parse(readFileSync(path, 'utf8')) as DependencyLink[]
    const graph = serviceGraphFromLinks(links)
    expect(graph.source).toBe('links')
    expect(graph.nodes.map((n) => n.id)).toEqual(['Service1', 'Service2', 'Service3', 'Service4', 'Service5', 'Service6', 'Service7', 'Service8'])
    expect(edgeLines(graph)).toEqual([
      'Service1 → Service2 30489/0',
      'Service1 → Service3 30491/0',
      'Service1 → Service5 8560/0',
      'Service2 → Service4 129216/0',
      'Service3 → Service7 30491/0',
      'Service6 → Service1 30489/0',
      'Service8 → Service6 30489/0',
    ])
    expect(graph.edges[0]).toMatchObject({ p50Ns: undefined, p95Ns: undefined, traceIds: [], errorRate: 0 })
  })

  it('merges duplicate links and keeps self-edges flagged', () => {
    const graph = serviceGraphFromLinks([
      { parent: 'a', child: 'b', callCount: 10, errorCount: 1 },
      { parent: 'a', child: 'b', callCount: 5, errorCount: 2 },
      { parent: 'b', child: 'b', callCount: 3 },
      { parent: 'c', child: 'a', callCount: 0, errorCount: 0 },
    ])
    expect(edgeLines(graph)).toEqual(['a → b 15/3', 'b → b 3/0', 'c → a 0/0'])
    expect(graph.edges.map((e) => [e.isSelfEdge, e.errorRate])).toEqual([
      [false, 0.2],
      [true, 0],
      [false, 0],
    ])
    expect(graph.nodes.map((n) => `${n.id} ${n.kind}`)).toEqual(['a service', 'b service', 'c service'])
  })
})
