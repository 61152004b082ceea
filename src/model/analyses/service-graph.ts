import { attributeToString, findAttribute } from '../attributes.ts'
import { SpanKind, StatusCode } from '../span-record.ts'
import type { Attribute, SpanRecord } from '../span-record.ts'
import { spanService } from '../trace.ts'
import type { Trace } from '../trace.ts'

/**
 * A service dependency map. Nodes are the services that have spans plus peers inferred from
 * span attributes (databases, queues, external hosts and uninstrumented services); edges are
 * calls between them.
 */
export type ServiceNodeKind = 'service' | 'database' | 'queue' | 'external'

export interface ServiceGraphNode {
  /** The service or peer name; unique in the graph. */
  readonly id: string
  readonly kind: ServiceNodeKind
  /** True for a peer known only from other services' attributes (it has no spans of its own). */
  readonly isInferred: boolean
  /** Spans of this service (0 for inferred peers and for graphs built from dependency links). */
  readonly spanCount: number
  /** Its spans with status ERROR. */
  readonly errorCount: number
  /** Traces it appears in, as a service or as a called peer; sorted. Empty for link graphs. */
  readonly traceIds: readonly string[]
}

export interface ServiceGraphEdge {
  /** `source` and `target` joined; unique in the graph. */
  readonly id: string
  readonly source: string
  readonly target: string
  readonly callCount: number
  readonly errorCount: number
  /** `errorCount / callCount`, 0 without calls. */
  readonly errorRate: number
  /** Nearest-rank percentiles of call latency; undefined when unknown (dependency links). */
  readonly p50Ns?: number
  readonly p95Ns?: number
  /** Traces holding at least one of these calls; sorted. Empty for link graphs. */
  readonly traceIds: readonly string[]
  /** A service calling itself (only dependency links produce these; spans within one service are not calls). */
  readonly isSelfEdge: boolean
}

export interface ServiceGraph {
  /** Where the numbers come from: spans of loaded traces, or a backend's dependency links. */
  readonly source: 'traces' | 'links'
  /** Sorted by id. */
  readonly nodes: readonly ServiceGraphNode[]
  /** Sorted by source, then target. */
  readonly edges: readonly ServiceGraphEdge[]
}

/** A Jaeger `/api/dependencies` or Zipkin `/api/v2/dependencies` entry. */
export interface DependencyLink {
  readonly parent: string
  readonly child: string
  readonly callCount: number
  readonly errorCount?: number
}

/** A peer named by a client's attributes, and how sure the name is about what kind of node it is. */
export interface InferredPeer {
  readonly name: string
  readonly kind: ServiceNodeKind
  /** Higher wins when calls disagree about a node's kind. */
  readonly rank: number
}

// Kind ranks: explicit `db.system` / `messaging.system` beat `peer.service`, which beats a kind
// guessed from a PRODUCER/CONSUMER span, which beats a bare address.
const RANK_DATABASE = 4
const RANK_MESSAGING = 3
const RANK_PEER_SERVICE = 2
const RANK_MESSAGING_BY_KIND = 1
const RANK_ADDRESS = 0

function text(attributes: readonly Attribute[], key: string): string | undefined {
  const value = findAttribute(attributes, key)
  if (value === undefined || value === null) return undefined
  const result = attributeToString(value)
  return result === '' ? undefined : result
}

function kindOfPeer(hasDbSystem: boolean, hasMessagingSystem: boolean, hasPeerService: boolean, isMessagingKind: boolean): [ServiceNodeKind, number] {
  if (hasDbSystem) return ['database', RANK_DATABASE]
  if (hasMessagingSystem) return ['queue', RANK_MESSAGING]
  if (isMessagingKind) return ['queue', RANK_MESSAGING_BY_KIND]
  return hasPeerService ? ['service', RANK_PEER_SERVICE] : ['external', RANK_ADDRESS]
}

function withSuffix(base: string, separator: string, suffix: string | undefined): string {
  return suffix === undefined ? base : `${base}${separator}${suffix}`
}

/**
 * The remote side a span names, from OpenTelemetry semantic conventions (current and older
 * names). The Zipkin importer maps `remoteEndpoint` to `peer.service` / `network.peer.address`.
 *
 * Name, first found: `peer.service`; `db.system` + `/db.name` (`db.namespace`);
 * `messaging.system` + `/destination`; `server.address` + `:server.port`; `net.peer.name` +
 * `:net.peer.port`; `network.peer.address` + `:network.peer.port`.
 */
export function peerOf(span: SpanRecord): InferredPeer | undefined {
  const attributes = span.attributes
  const peerService = text(attributes, 'peer.service')
  const dbSystem = text(attributes, 'db.system')
  const messagingSystem = text(attributes, 'messaging.system')
  const isMessagingKind = span.kind === SpanKind.Producer || span.kind === SpanKind.Consumer
  const [kind, rank] = kindOfPeer(dbSystem !== undefined, messagingSystem !== undefined, peerService !== undefined, isMessagingKind)

  if (peerService !== undefined) return { name: peerService, kind, rank }
  if (dbSystem !== undefined) return { name: withSuffix(dbSystem, '/', text(attributes, 'db.name') ?? text(attributes, 'db.namespace')), kind, rank }
  if (messagingSystem !== undefined) {
    const destination = text(attributes, 'messaging.destination.name') ?? text(attributes, 'messaging.destination')
    return { name: withSuffix(messagingSystem, '/', destination), kind, rank }
  }
  for (const [host, port] of [
    ['server.address', 'server.port'],
    ['net.peer.name', 'net.peer.port'],
    ['network.peer.address', 'network.peer.port'],
  ] as const) {
    const address = text(attributes, host)
    if (address !== undefined) return { name: withSuffix(address, ':', text(attributes, port)), kind, rank }
  }
  return undefined
}

class NodeStats {
  spanCount = 0
  errorCount = 0
  hasSpans = false
  kind: ServiceNodeKind = 'external'
  rank = -1
  readonly traceIds = new Set<string>()
}

class EdgeStats {
  callCount = 0
  errorCount = 0
  readonly latenciesNs: number[] = []
  readonly traceIds = new Set<string>()
  constructor(
    readonly source: string,
    readonly target: string,
  ) {}
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p of them at or below it. */
function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]
}

const edgeId = (source: string, target: string) => `${source}\u2192${target}`

/**
 * Builds the dependency map of loaded traces.
 *
 * Calls (edges):
 * - a span in service A with a child in service B (A ≠ B) is one call A → B; it failed when the
 *   callee span has status ERROR, or when the caller span is a CLIENT/PRODUCER with status ERROR
 *   (a timed-out call whose server answered fine); its latency is the callee span's duration;
 * - a CLIENT or PRODUCER span without a child in another service (a leaf client: the callee is
 *   not instrumented) that names a peer (`peerOf`) is a call A → peer; error and latency are the
 *   client span's;
 * - a CONSUMER root (its producer is not in the trace) that names a peer (the broker) is a call
 *   peer → A, with the consumer span's error and latency.
 * Spans of one service calling each other are not calls, so traces never make self-edges.
 *
 * Nodes: every service with spans (kind 'service', span and error counts), plus every peer named
 * by the rules above that has no spans of its own, its kind from the strongest hint among the
 * calls to it: `db.system` → database, `messaging.system` → queue, `peer.service` → service,
 * a PRODUCER/CONSUMER span → queue, an address alone → external.
 */
export function buildServiceGraph(traces: readonly Trace[]): ServiceGraph {
  const nodes = new Map<string, NodeStats>()
  const edges = new Map<string, EdgeStats>()
  const nodeFor = (id: string) => {
    let node = nodes.get(id)
    if (!node) {
      node = new NodeStats()
      nodes.set(id, node)
    }
    return node
  }
  const notePeer = (peer: InferredPeer, traceId: string) => {
    const node = nodeFor(peer.name)
    node.traceIds.add(traceId)
    if (peer.rank > node.rank) {
      node.rank = peer.rank
      node.kind = peer.kind
    }
  }
  const addCall = (source: string, target: string, traceId: string, isError: boolean, latencyNs: number) => {
    const id = edgeId(source, target)
    let edge = edges.get(id)
    if (!edge) {
      edge = new EdgeStats(source, target)
      edges.set(id, edge)
    }
    edge.callCount++
    if (isError) edge.errorCount++
    edge.latenciesNs.push(latencyNs)
    edge.traceIds.add(traceId)
  }

  for (const trace of traces) {
    const n = trace.spanCount
    // A span has a child in another service: it is not a leaf client.
    const hasRemoteChild = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const service = spanService(trace, i)
      const node = nodeFor(service)
      node.hasSpans = true
      node.spanCount++
      if (trace.status[i] === StatusCode.Error) node.errorCount++
      node.traceIds.add(trace.traceId)
      const parent = trace.parentIndex[i] as number
      if (parent < 0) continue
      if (trace.serviceIndex[parent] === trace.serviceIndex[i]) continue
      hasRemoteChild[parent] = 1
      const parentKind = trace.kind[parent]
      const isCallerError = (parentKind === SpanKind.Client || parentKind === SpanKind.Producer) && trace.status[parent] === StatusCode.Error
      addCall(spanService(trace, parent), service, trace.traceId, trace.status[i] === StatusCode.Error || isCallerError, trace.durationsNs[i] as number)
    }
    for (let i = 0; i < n; i++) {
      const kind = trace.kind[i]
      const isLeafClient = (kind === SpanKind.Client || kind === SpanKind.Producer) && !hasRemoteChild[i]
      const isConsumerRoot = kind === SpanKind.Consumer && (trace.parentIndex[i] as number) < 0
      if (!isLeafClient && !isConsumerRoot) continue
      // A trace whose span details have not arrived yet (the page asks for them after painting)
      // names no peers; the graph is computed again on the trace with its details.
      const span = trace.spans[i]
      const peer = span && peerOf(span)
      const service = spanService(trace, i)
      if (!peer || peer.name === service) continue
      notePeer(peer, trace.traceId)
      const isError = trace.status[i] === StatusCode.Error
      if (isLeafClient) addCall(service, peer.name, trace.traceId, isError, trace.durationsNs[i] as number)
      else addCall(peer.name, service, trace.traceId, isError, trace.durationsNs[i] as number)
    }
  }

  const nodeList: ServiceGraphNode[] = [...nodes].map(([id, node]) => ({
    id,
    kind: node.hasSpans ? 'service' : node.kind,
    isInferred: !node.hasSpans,
    spanCount: node.spanCount,
    errorCount: node.errorCount,
    traceIds: [...node.traceIds].sort(),
  }))
  const edgeList: ServiceGraphEdge[] = [...edges].map(([id, edge]) => {
    const sorted = edge.latenciesNs.sort((a, b) => a - b)
    return {
      id,
      source: edge.source,
      target: edge.target,
      callCount: edge.callCount,
      errorCount: edge.errorCount,
      errorRate: edge.callCount > 0 ? edge.errorCount / edge.callCount : 0,
      p50Ns: percentile(sorted, 0.5),
      p95Ns: percentile(sorted, 0.95),
      traceIds: [...edge.traceIds].sort(),
      isSelfEdge: edge.source === edge.target,
    }
  })
  return { source: 'traces', nodes: sortNodes(nodeList), edges: sortEdges(edgeList) }
}

/**
 * The same graph from a backend's dependency links (Jaeger `/api/dependencies`, Zipkin
 * `/api/v2/dependencies`). Duplicate parent → child entries are merged (counts summed); a
 * service calling itself is kept as a flagged self-edge. There are no latencies, traces or span
 * counts in links: those stay undefined or empty.
 */
export function serviceGraphFromLinks(links: readonly DependencyLink[]): ServiceGraph {
  const nodeIds = new Set<string>()
  const edges = new Map<string, { source: string; target: string; callCount: number; errorCount: number }>()
  for (const link of links) {
    nodeIds.add(link.parent)
    nodeIds.add(link.child)
    const id = edgeId(link.parent, link.child)
    const callCount = Number.isFinite(link.callCount) ? Math.max(0, link.callCount) : 0
    const errorCount = link.errorCount !== undefined && Number.isFinite(link.errorCount) ? Math.max(0, link.errorCount) : 0
    const edge = edges.get(id)
    if (edge) {
      edge.callCount += callCount
      edge.errorCount += errorCount
    } else {
      edges.set(id, { source: link.parent, target: link.child, callCount, errorCount })
    }
  }
  const nodeList: ServiceGraphNode[] = [...nodeIds].map((id) => ({ id, kind: 'service', isInferred: false, spanCount: 0, errorCount: 0, traceIds: [] }))
  const edgeList: ServiceGraphEdge[] = [...edges].map(([id, edge]) => ({
    id,
    ...edge,
    errorRate: edge.callCount > 0 ? edge.errorCount / edge.callCount : 0,
    p50Ns: undefined,
    p95Ns: undefined,
    traceIds: [],
    isSelfEdge: edge.source === edge.target,
  }))
  return { source: 'links', nodes: sortNodes(nodeList), edges: sortEdges(edgeList) }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function sortNodes(nodes: ServiceGraphNode[]): ServiceGraphNode[] {
  return nodes.sort((a, b) => compareText(a.id, b.id))
}

function sortEdges(edges: ServiceGraphEdge[]): ServiceGraphEdge[] {
  return edges.sort((a, b) => compareText(a.source, b.source) || compareText(a.target, b.target))
}
