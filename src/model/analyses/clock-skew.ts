import type { Attribute, AttrValue } from '../span-record.ts'
import { SpanKind } from '../span-record.ts'
import { SpanFlag } from '../trace.ts'
import type { Trace } from '../trace.ts'

/**
 * Clock skew: spans recorded on different hosts carry timestamps from different clocks, so a
 * server span can appear to start before the client that called it, or to end after it
 * (formats.md §8 item 6). This file finds such spans and computes the correction that Zipkin's
 * and Jaeger's adjusters apply, without touching the trace: the raw times stay the default.
 *
 * ## Hosts
 *
 * Two spans share a clock when they run on the same host. A span's host is the first of its
 * resource attributes `host.id`, `host.ip` (first item of an array), `host.name` (Jaeger v2's
 * `hostKey` order), then Jaeger v1 process tags `ip` and `hostname`, then the Zipkin local
 * endpoint address (`network.local.address`); a span with none of them is keyed by its service
 * name, so that different services without host information count as different hosts (Zipkin
 * compares endpoint IPs; Jaeger treats an unknown host as "always different").
 *
 * ## Adjustment (`adjustClockSkew`)
 *
 * Walking the tree from the roots (which never move), each span is handled like this, where the
 * *context* is the (host, shift) pair that the nearest corrected ancestor established:
 *
 * 1. A SERVER span whose parent is a CLIENT span on another host — the only edge where the two
 *    clocks can be compared, as in Zipkin's `getClockSkew` — gets a new shift computed against
 *    its parent's *adjusted* times, and becomes the context for its subtree:
 *    - it already fits inside the client: shift 0 (Jaeger; Zipkin would re-centre it anyway);
 *    - it is shorter than the client: centre it, assuming the network latency is split evenly,
 *      `latency = (client duration − server duration) / 2`, shift = client start + latency −
 *      server start (nanoseconds, the halving truncated like Go's integer division);
 *    - it is longer than the client (async, or the client timed out): only make it not start
 *      before the client: shift = client start − server start when positive, else 0;
 *    - either duration is unknown (missing or negative in the input): as when longer.
 * 2. Any other span on the context's host moves with it by the context's shift: the same host
 *    has the same clock (Jaeger propagates by host key, Zipkin by endpoint IP).
 * 3. Any other span keeps its times, and passes its parent's context on to its children (Zipkin's
 *    `skewFromParent`), so a same-host grandchild below a span of a third host still moves.
 *
 * Rule 1 never fires for PRODUCER/CONSUMER edges, for a child whose parent is FOLLOWS_FROM
 * (`isAsyncParent`) or for links: those are asynchronous by design, so "outside the parent" is
 * not evidence of a wrong clock. A span without a start time (placed at its parent's start) is
 * never the start of a correction either.
 *
 * Shifts are exact integers of ns whenever the inputs are. The walk is one pass over the spans in
 * depth-first order (a parent's index is always below its children's): iterative, O(n).
 */

/** A child outside a parent it should sit inside, on a host with another clock. */
export interface SkewFinding {
  readonly index: number
  readonly parentIndex: number
  /** How long before its parent's start the span starts (0 when it does not). */
  readonly startsEarlyNs: number
  /** How long after its parent's end the span ends (0 when it does not, or the parent has no duration). */
  readonly endsLateNs: number
  /** True for a SERVER child of a CLIENT parent: `adjustClockSkew` corrects these. */
  readonly isRpc: boolean
}

export interface HostShift {
  /** The host as shown to the user: the attribute's value, or the service name when there is none. */
  readonly host: string
  readonly shiftNs: number
  readonly spanCount: number
}

/** The adjusted times of a trace; the trace itself is left as it was. */
export interface SkewAdjustment {
  /** The start of the adjusted trace: its earliest adjusted span start (the raw one when nothing moved). */
  readonly startTimeNs: bigint
  /** From the earliest adjusted start to the latest adjusted end. */
  readonly durationNs: number
  /** Adjusted offsets from `startTimeNs` (not from the raw trace's start), per span index. */
  readonly startOffsetNs: Float64Array
  /** Adjusted absolute start minus raw absolute start, per span; 0 for spans that did not move. */
  readonly shiftNs: Float64Array
  /** 1 for every span that moved. */
  readonly isAdjusted: Uint8Array
  readonly adjustedCount: number
  /** One entry per host and shift (a host called from several places may get several shifts), in display order. */
  readonly byHost: readonly HostShift[]
  /** The host of each span as an index into `hosts` (see "Hosts" above). */
  readonly hostOf: Int32Array
  readonly hosts: readonly string[]
}

const HOST_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['host.id', 'id'],
  ['host.ip', 'ip'],
  ['host.name', 'name'],
  ['ip', 'ip'],
  ['hostname', 'name'],
  ['network.local.address', 'ip'],
]

function hostText(value: AttrValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value)) return hostText((value as readonly AttrValue[])[0])
  if (typeof value === 'string') return value === '' ? undefined : value
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return undefined
}

/** The host attribute of a resource as [comparison key, label], or undefined. */
function findHost(resource: readonly Attribute[]): readonly [string, string] | undefined {
  for (const [key, family] of HOST_KEYS) {
    for (let i = resource.length - 1; i >= 0; i--) {
      const attribute = resource[i] as Attribute
      if (attribute.key !== key) continue
      const text = hostText(attribute.value)
      if (text !== undefined) return [`${family}:${text}`, text]
    }
  }
  return undefined
}

/**
 * Interned host per span: `hostOf[i]` indexes `labels`. Resources are usually shared between the
 * spans of one process, so each resource array is scanned once.
 */
function computeHosts(trace: Trace): { hostOf: Int32Array; labels: string[] } {
  const hostOf = new Int32Array(trace.spanCount)
  const labels: string[] = []
  const idByKey = new Map<string, number>()
  const byResource = new Map<readonly Attribute[], readonly [string, string] | undefined>()
  const intern = (key: string, label: string) => {
    let id = idByKey.get(key)
    if (id === undefined) {
      id = labels.length
      idByKey.set(key, id)
      labels.push(label)
    }
    return id
  }
  for (let i = 0; i < trace.spanCount; i++) {
    const resource = trace.spans[i]?.resource ?? []
    let host = byResource.get(resource)
    if (host === undefined && !byResource.has(resource)) {
      host = findHost(resource)
      byResource.set(resource, host)
    }
    if (host) {
      hostOf[i] = intern(host[0], host[1])
    } else {
      const service = trace.services[trace.serviceIndex[i] as number] ?? ''
      hostOf[i] = intern(`service:${service}`, service)
    }
  }
  return { hostOf, labels }
}

const UNKNOWN_DURATION = SpanFlag.MissingDuration | SpanFlag.NegativeDuration

function isAsyncEdge(trace: Trace, child: number, parent: number): boolean {
  const childKind = trace.kind[child]
  const parentKind = trace.kind[parent]
  return trace.asyncParent[child] === 1 || childKind === SpanKind.Producer || childKind === SpanKind.Consumer || parentKind === SpanKind.Producer
}

function isRpcEdge(trace: Trace, child: number, parent: number): boolean {
  return trace.kind[child] === SpanKind.Server && trace.kind[parent] === SpanKind.Client && trace.asyncParent[child] !== 1
}

/**
 * Children that start before or end after their parent while running on another host, over an
 * edge where the parent waits for the child (not PRODUCER/CONSUMER, not FOLLOWS_FROM): the
 * symptom of clock skew. Children outside a parent on the same host are not listed — one clock
 * cannot disagree with itself; that is asynchronous work, which `child-outside-parent` warnings
 * already report. Spans without a start time are never listed.
 */
export function detectClockSkew(trace: Trace): SkewFinding[] {
  const findings: SkewFinding[] = []
  if (trace.spanCount === 0) return findings
  let hosts: Int32Array | undefined
  for (let i = 0; i < trace.spanCount; i++) {
    const parent = trace.parentIndex[i] as number
    if (parent < 0) continue
    const flags = trace.flags[i] as number
    if (flags & SpanFlag.MissingStart || (trace.flags[parent] as number) & SpanFlag.MissingStart) continue
    const start = trace.startOffsetNs[i] as number
    const parentStart = trace.startOffsetNs[parent] as number
    const startsEarlyNs = Math.max(0, parentStart - start)
    const isParentTimed = ((trace.flags[parent] as number) & UNKNOWN_DURATION) === 0
    const endsLateNs = isParentTimed ? Math.max(0, start + (trace.durationsNs[i] as number) - parentStart - (trace.durationsNs[parent] as number)) : 0
    if (startsEarlyNs === 0 && endsLateNs === 0) continue
    if (isAsyncEdge(trace, i, parent)) continue
    hosts ??= computeHosts(trace).hostOf
    if (hosts[i] === hosts[parent]) continue
    findings.push({ index: i, parentIndex: parent, startsEarlyNs, endsLateNs, isRpc: isRpcEdge(trace, i, parent) })
  }
  return findings
}

/** The shift that puts a server span inside its client parent (rule 1 above). */
function computeShift(parentStart: number, parentDuration: number, parentFlags: number, childStart: number, childDuration: number, childFlags: number): number {
  const isDurationKnown = ((parentFlags | childFlags) & UNKNOWN_DURATION) === 0
  if (!isDurationKnown || childDuration > parentDuration) return childStart < parentStart ? parentStart - childStart : 0
  if (childStart >= parentStart && childStart + childDuration <= parentStart + parentDuration) return 0
  const latency = Math.trunc((parentDuration - childDuration) / 2)
  return parentStart + latency - childStart
}

/** Adjusted times for every span of `trace` (see the rules at the top of this file). */
export function adjustClockSkew(trace: Trace): SkewAdjustment {
  const n = trace.spanCount
  const { hostOf, labels } = computeHosts(trace)
  const shiftNs = new Float64Array(n)
  const isAdjusted = new Uint8Array(n)
  // The context each span passes to its children.
  const contextHost = new Int32Array(n)
  const contextShift = new Float64Array(n)
  const adjusted = new Float64Array(n)
  let adjustedCount = 0
  let minStart = Number.POSITIVE_INFINITY
  let maxEnd = Number.NEGATIVE_INFINITY
  for (let i = 0; i < n; i++) {
    const parent = trace.parentIndex[i] as number
    const host = hostOf[i] as number
    let shift = 0
    if (parent < 0) {
      contextHost[i] = host
      contextShift[i] = 0
    } else if (isRpcEdge(trace, i, parent) && host !== hostOf[parent] && ((trace.flags[i] as number) & SpanFlag.MissingStart) === 0) {
      shift = computeShift(
        adjusted[parent] as number,
        trace.durationsNs[parent] as number,
        trace.flags[parent] as number,
        trace.startOffsetNs[i] as number,
        trace.durationsNs[i] as number,
        trace.flags[i] as number,
      )
      contextHost[i] = host
      contextShift[i] = shift
    } else {
      if (contextHost[parent] === host) shift = contextShift[parent] as number
      contextHost[i] = contextHost[parent] as number
      contextShift[i] = contextShift[parent] as number
    }
    const start = (trace.startOffsetNs[i] as number) + shift
    adjusted[i] = start
    if (shift !== 0) {
      shiftNs[i] = shift
      isAdjusted[i] = 1
      adjustedCount++
    }
    if (start < minStart) minStart = start
    const end = start + (trace.durationsNs[i] as number)
    if (end > maxEnd) maxEnd = end
  }

  if (adjustedCount === 0 || n === 0) {
    const startOffsetNs = trace.startOffsetNs
    return {
      startTimeNs: trace.startTimeNs,
      durationNs: trace.durationNs,
      startOffsetNs,
      shiftNs,
      isAdjusted,
      adjustedCount: 0,
      byHost: [],
      hostOf,
      hosts: labels,
    }
  }
  // Rebase so the earliest adjusted span starts at offset 0 again, as in a built trace.
  const baseNs = Math.floor(minStart)
  if (baseNs !== 0) for (let i = 0; i < n; i++) adjusted[i] = (adjusted[i] as number) - baseNs
  return {
    startTimeNs: trace.startTimeNs + BigInt(baseNs),
    durationNs: maxEnd - baseNs,
    startOffsetNs: adjusted,
    shiftNs,
    isAdjusted,
    adjustedCount,
    byHost: summarizeByHost(hostOf, labels, shiftNs, isAdjusted),
    hostOf,
    hosts: labels,
  }
}

function summarizeByHost(hostOf: Int32Array, labels: readonly string[], shiftNs: Float64Array, isAdjusted: Uint8Array): HostShift[] {
  const entries: { host: string; shiftNs: number; spanCount: number }[] = []
  const byKey = new Map<string, number>()
  for (let i = 0; i < shiftNs.length; i++) {
    if (!isAdjusted[i]) continue
    const key = `${hostOf[i]}\u0000${shiftNs[i]}`
    const at = byKey.get(key)
    if (at === undefined) {
      byKey.set(key, entries.length)
      entries.push({ host: labels[hostOf[i] as number] ?? '', shiftNs: shiftNs[i] as number, spanCount: 1 })
    } else {
      ;(entries[at] as { spanCount: number }).spanCount++
    }
  }
  return entries
}

/**
 * The trace as the adjuster sees it: a new `Trace` object that shares every column with `trace`
 * except `startOffsetNs` (and the scalar `startTimeNs` / `durationNs`). With nothing adjusted it
 * is `trace` itself. Span records keep their raw times; `adjustment.shiftNs` says by how much
 * each span (and its events) moved.
 */
export function withAdjustedTimes(trace: Trace, adjustment: SkewAdjustment): Trace {
  if (adjustment.adjustedCount === 0) return trace
  return { ...trace, startTimeNs: adjustment.startTimeNs, durationNs: adjustment.durationNs, startOffsetNs: adjustment.startOffsetNs }
}
