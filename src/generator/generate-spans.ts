/**
 * The synthetic trace generator: a deterministic stream of `GenSpan`s, parents before children.
 *
 * Shape. Each trace gets a span budget and every planned node carries the size of its subtree,
 * so the total is exact. A node splits its budget over its children; the split, the roles
 * (calls into other services, database and cache calls, Kafka hops, in-process work) and the
 * time windows are drawn from the seed. Regular subtrees stay within depth 12; on top of them
 * each trace of 1,000+ spans gets recursive resolver chains of 200–400 levels and each trace of
 * 200+ spans a fan-out of 50–500 children, so viewers meet deep and wide trees.
 *
 * Time. Every child lies inside its parent's window: windows are integer ns offsets from the
 * run's base epoch, and all writers round with `floor`, which keeps containment in µs formats.
 *
 * Memory. Only the DFS stack of planned-but-unwritten nodes is held (about depth × fan-out),
 * so a million-span trace streams in constant memory.
 */
import { TOPICS } from './catalog.ts'
import type { Statement, StoreUse, TopicDef } from './catalog.ts'
import type { GenSpan, GenTime, PlanNode, PlanRole, ServiceInstance } from './gen-span.ts'
import { Rng } from './prng.ts'
import { createServiceInstances } from './service-instances.ts'
import { describeSpan, drawStatusCode } from './span-details.ts'

export interface GenerateSpansOptions {
  /** Total spans over all traces (exact). */
  readonly spanCount: number
  /** Traces to spread the spans over (default 1); the first `spanCount % traceCount` get one extra span. */
  readonly traceCount?: number
  readonly seed?: number
}

export const MAX_REGULAR_DEPTH = 12
/** Probability that a span decides to fail on its own (CLIENT/SERVER pairs fail together). */
const ERROR_PROBABILITY = 0.018
/** 2024-01-01T00:00:00Z; the seed adds up to a year so that runs differ in time as well. */
const BASE_EPOCH_US = 1_704_067_200_000_000
const CHAIN_MIN_TRACE_SPANS = 1_000
const SPANS_PER_EXTRA_CHAIN = 250_000
const FANOUT_MIN_TRACE_SPANS = 200

export function validateGenerateOptions(options: GenerateSpansOptions): { spanCount: number; traceCount: number; seed: number } {
  const { spanCount } = options
  const traceCount = options.traceCount ?? 1
  const seed = options.seed ?? 1
  if (!Number.isSafeInteger(spanCount) || spanCount < 1) throw new RangeError(`spans must be a positive integer, got ${spanCount}`)
  if (!Number.isSafeInteger(traceCount) || traceCount < 1) throw new RangeError(`traces must be a positive integer, got ${traceCount}`)
  if (traceCount > spanCount) throw new RangeError(`traces (${traceCount}) cannot exceed spans (${spanCount})`)
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be a 32-bit unsigned integer, got ${seed}`)
  return { spanCount, traceCount, seed }
}

export function* generateSpans(options: GenerateSpansOptions): Generator<GenSpan, void, undefined> {
  const { spanCount, traceCount, seed } = validateGenerateOptions(options)
  const rng = new Rng(seed)
  const ctx: Context = {
    rng,
    instances: createServiceInstances(rng),
    baseUs: BASE_EPOCH_US + rng.int(0, 364) * 86_400_000_000 + rng.int(0, 86_399) * 1_000_000 + rng.int(0, 999_999),
  }
  const toTime = (offsetNs: number): GenTime => ({ us: ctx.baseUs + Math.floor(offsetNs / 1000), subNs: offsetNs % 1000 })
  const perTrace = Math.floor(spanCount / traceCount)
  const extra = spanCount % traceCount
  let traceStartNs = 0

  for (let traceIndex = 0; traceIndex < traceCount; traceIndex++) {
    const budget = perTrace + (traceIndex < extra ? 1 : 0)
    const traceId = rng.hex(4)
    const rootDurationNs = Math.floor(rng.between(2e6, 8e6) + budget * rng.between(100e3, 300e3))
    const rootService = instance(ctx, rng.chance(0.8) ? 'frontend' : 'api-gateway')
    const root = makeNode('entry', rootService, budget, 0, undefined, traceStartNs, traceStartNs + rootDurationNs, rng.chance(ERROR_PROBABILITY), {
      special: 'root',
    })
    const stack: PlanNode[] = [root]
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      const spanId = rng.hex(2)
      const details = describeSpan(node, rng, toTime)
      yield {
        traceIndex,
        traceId,
        spanId,
        parentSpanId: node.parentSpanId,
        depth: node.depth,
        service: node.service,
        scope: details.scope,
        name: details.name,
        kind: details.kind,
        start: toTime(node.startNs),
        end: toTime(node.endNs),
        attributes: details.attributes,
        events: details.events,
        isError: node.isError,
        statusMessage: details.statusMessage,
        remote: details.remote,
      }
      const children = planChildren(ctx, node, spanId)
      // Reversed so that the stack pops children in time order.
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as PlanNode)
    }
    // Traces overlap a little, like concurrent requests.
    traceStartNs += Math.floor(rootDurationNs * rng.between(0.05, 0.6) + rng.between(0.5e6, 40e6))
  }
}

interface Context {
  readonly rng: Rng
  readonly instances: ReadonlyMap<string, ServiceInstance>
  readonly baseUs: number
}

function instance(ctx: Context, name: string): ServiceInstance {
  const found = ctx.instances.get(name)
  if (found === undefined) throw new Error(`unknown service ${name}`)
  return found
}

/** What every child of a fan-out repeats: the same query (the N+1 pattern) or the same call. */
interface Template {
  readonly storeUse?: StoreUse
  readonly statement?: Statement
  readonly target?: ServiceInstance
  readonly op?: string
}

/** A child slot before it is turned into a node: reserved shapes come pre-built. */
type ChildSpec = { readonly budget: number; readonly reserved?: (startNs: number, endNs: number) => PlanNode }

function planChildren(ctx: Context, node: PlanNode, spanId: string): PlanNode[] {
  const { rng } = ctx
  const rem = node.budget - 1
  if (rem <= 0) return []
  switch (node.role) {
    case 'store':
    case 'external':
      throw new Error(`a ${node.role} span cannot have children`)
    case 'call': {
      const target = node.target ?? node.service
      const [s, e] = insetWindow(rng, node.startNs, node.endNs)
      return [makeNode('entry', target, rem, node.depth + 1, spanId, s, e, node.isError, { op: node.op, statusCode: node.statusCode, special: node.special })]
    }
    case 'produce': {
      const topic = node.topic ?? (TOPICS[0] as TopicDef)
      const [s, e] = insetWindow(rng, node.startNs, node.endNs)
      return [makeNode('consumer', instance(ctx, topic.consumer), rem, node.depth + 1, spanId, s, e, rng.chance(ERROR_PROBABILITY), { topic })]
    }
    case 'chain':
      return [chainChild(ctx, node, spanId, rem)]
    case 'entry':
    case 'consumer':
    case 'internal':
      break
  }

  if (node.special === 'chain') {
    const [s, e] = chainWindow(rng, node.startNs, node.endNs)
    return [makeNode('chain', node.service, rem, node.depth + 1, spanId, s, e, rng.chance(ERROR_PROBABILITY), { chainLevel: 1 })]
  }

  const levelsLeft = MAX_REGULAR_DEPTH - node.depth
  let specs: ChildSpec[]
  let template: Template | undefined
  if (node.special === 'fanout') {
    specs = Array.from({ length: rem }, () => ({ budget: 1 }))
    template = drawTemplate(ctx, node.service)
  } else if (node.special !== 'root' && levelsLeft <= 1) {
    // Last regular level: whatever is left becomes leaves.
    specs = Array.from({ length: rem }, () => ({ budget: 1 }))
  } else if (node.special !== 'root' && rem >= 60 && rng.chance(0.03)) {
    const count = Math.min(rem, rng.int(50, 500))
    specs = splitBudget(rng, rem, count, 0.15).map((budget) => ({ budget }))
    template = drawTemplate(ctx, node.service)
  } else {
    let regular = rem
    const reserved: ChildSpec[] = node.special === 'root' ? reserveRootShapes(ctx, node, spanId) : []
    for (const r of reserved) regular -= r.budget
    // Enough subtrees that the budget runs out by depth 12 (a call takes two levels: CLIENT, SERVER)…
    const branchLevels = Math.max(1, Math.floor(levelsLeft / 2))
    const minCount = Math.ceil(regular ** (1 / branchLevels))
    const typical = rng.pickWeighted([1, 2, 3, 4, 5, 6, 8, 12], [14, 20, 20, 16, 12, 8, 6, 4])
    const subtrees = Math.min(regular, Math.max(minCount, typical))
    // …plus a few single spans of local work (a cache read, a query, a validation step).
    const leaves = Math.min(regular - subtrees, rng.int(0, 4))
    specs = regular > 0 ? splitBudget(rng, regular - leaves, subtrees, 0.7).map((budget) => ({ budget })) : []
    for (let i = 0; i < leaves; i++) specs.splice(rng.int(0, specs.length), 0, { budget: 1 })
    for (const r of reserved) specs.splice(rng.int(0, specs.length), 0, r)
  }

  const windows = layoutWindows(rng, node.startNs, node.endNs, specs)
  const children: PlanNode[] = []
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as ChildSpec
    const s = windows[2 * i] as number
    const e = windows[2 * i + 1] as number
    children.push(spec.reserved ? spec.reserved(s, e) : planChild(ctx, node, spanId, spec.budget, s, e, template))
  }
  return children
}

/**
 * The root's reserved shapes: recursive chains (traces of 1,000+ spans, one more per 250,000;
 * smaller traces sometimes get a short one past depth 12) and one wide fan-out (200+ spans).
 */
function reserveRootShapes(ctx: Context, root: PlanNode, rootSpanId: string): ChildSpec[] {
  const { rng } = ctx
  const specs: ChildSpec[] = []
  const budget = root.budget
  const rootDef = root.service.def
  const reserveCall = (spanCount: number, targetName: string, special: 'chain' | 'fanout'): void => {
    const target = instance(ctx, targetName)
    const op = special === 'chain' ? (target.def.serverOps.find((o) => o.includes('tree')) ?? rng.pick(target.def.serverOps)) : rng.pick(target.def.serverOps)
    specs.push({
      budget: spanCount + 2,
      reserved: (startNs, endNs) => {
        const isError = rng.chance(ERROR_PROBABILITY)
        const statusCode = drawStatusCode(target.def, isError, false, rng)
        return makeNode('call', root.service, spanCount + 2, root.depth + 1, rootSpanId, startNs, endNs, isError, { target, op, statusCode, special })
      },
    })
  }
  const chainTargets = rootDef.calls.filter((name) => instance(ctx, name).def.recursiveOp !== undefined)
  let chains = 0
  let chainLength = 0
  if (budget >= CHAIN_MIN_TRACE_SPANS) {
    chains = 1 + Math.floor(budget / SPANS_PER_EXTRA_CHAIN)
    chainLength = Math.min(rng.int(200, 400), Math.floor((budget * 0.2) / chains) - 2)
  } else if (budget >= 100 && rng.chance(0.15)) {
    chains = 1
    chainLength = Math.min(rng.int(14, 40), Math.floor(budget * 0.3) - 2)
  }
  for (let i = 0; i < chains && chainLength > 0 && chainTargets.length > 0; i++) reserveCall(chainLength, rng.pick(chainTargets), 'chain')
  if (budget >= FANOUT_MIN_TRACE_SPANS) {
    const fanTargets = rootDef.calls.filter((name) => instance(ctx, name).def.stores.length > 0)
    const width = rng.int(50, Math.min(500, Math.floor(budget * 0.3)))
    if (fanTargets.length > 0) reserveCall(width, rng.pick(fanTargets), 'fanout')
  }
  return specs
}

function drawTemplate(ctx: Context, service: ServiceInstance): Template {
  const { rng } = ctx
  const def = service.def
  const storeUse = def.stores.length > 0 ? rng.pick(def.stores) : undefined
  const targetName = def.calls.length > 0 ? rng.pick(def.calls) : undefined
  const target = targetName === undefined ? undefined : instance(ctx, targetName)
  return {
    ...(storeUse === undefined ? {} : { storeUse, statement: rng.pick(storeUse.statements) }),
    ...(target === undefined ? {} : { target, op: rng.pick(target.def.serverOps) }),
  }
}

const LEAF_ROLES = ['store', 'internal', 'external', 'produce'] as const
const INNER_ROLES = ['call', 'produce', 'internal'] as const

function planChild(
  ctx: Context,
  parent: PlanNode,
  parentSpanId: string,
  budget: number,
  startNs: number,
  endNs: number,
  template: Template | undefined,
): PlanNode {
  const { rng } = ctx
  const service = parent.service
  const def = service.def
  const depth = parent.depth + 1
  const levelsBelow = MAX_REGULAR_DEPTH - depth
  const isError = rng.chance(ERROR_PROBABILITY)
  const make = (role: PlanRole, extras?: NodeExtras): PlanNode => makeNode(role, service, budget, depth, parentSpanId, startNs, endNs, isError, extras)
  if (budget === 1) {
    if (template?.storeUse !== undefined && template.statement !== undefined) {
      return make('store', { storeUse: template.storeUse, statement: template.statement })
    }
    const role = rng.pickWeighted(LEAF_ROLES, [def.stores.length > 0 ? 55 : 0, 30, def.externals.length > 0 ? 8 : 0, def.produces.length > 0 ? 15 : 0])
    if (role === 'store') {
      const storeUse = rng.pick(def.stores)
      return make(role, { storeUse, statement: rng.pick(storeUse.statements) })
    }
    if (role === 'external') {
      const external = rng.pick(def.externals)
      return make(role, { external, route: rng.pick(external.routes) })
    }
    if (role === 'produce') return make(role, { topic: topicNamed(rng.pick(def.produces)) })
    return make('internal')
  }
  // A CLIENT span needs room for its SERVER child and that child's own children.
  const canCross = levelsBelow >= 2 || budget === 2
  if (template?.target !== undefined && canCross) return callNode(ctx, make, template.target, template.op, isError)
  const role = rng.pickWeighted(INNER_ROLES, [def.calls.length > 0 && canCross ? 60 : 0, def.produces.length > 0 && canCross ? 25 : 0, 30])
  if (role === 'call') return callNode(ctx, make, instance(ctx, rng.pick(def.calls)), undefined, isError)
  if (role === 'produce') return make(role, { topic: topicNamed(rng.pick(def.produces)) })
  return make('internal')
}

function callNode(
  ctx: Context,
  make: (role: PlanRole, extras?: NodeExtras) => PlanNode,
  target: ServiceInstance,
  op: string | undefined,
  isError: boolean,
): PlanNode {
  const { rng } = ctx
  return make('call', { target, op: op ?? rng.pick(target.def.serverOps), statusCode: drawStatusCode(target.def, isError, false, rng) })
}

type NodeExtras = { readonly [K in keyof PlanNode as K extends NodeCore ? never : K]?: PlanNode[K] }
type NodeCore = 'role' | 'service' | 'budget' | 'depth' | 'parentSpanId' | 'startNs' | 'endNs' | 'isError'

const NO_EXTRAS: NodeExtras = {}

/** Builds every node with the same fields in the same order (one hidden class for the hot path). */
function makeNode(
  role: PlanRole,
  service: ServiceInstance,
  budget: number,
  depth: number,
  parentSpanId: string | undefined,
  startNs: number,
  endNs: number,
  isError: boolean,
  x: NodeExtras = NO_EXTRAS,
): PlanNode {
  return {
    role,
    service,
    budget,
    depth,
    parentSpanId,
    startNs,
    endNs,
    isError,
    target: x.target,
    op: x.op,
    statusCode: x.statusCode,
    topic: x.topic,
    storeUse: x.storeUse,
    statement: x.statement,
    external: x.external,
    route: x.route,
    chainLevel: x.chainLevel,
    special: x.special,
  }
}

function topicNamed(name: string): TopicDef {
  const topic = TOPICS.find((t) => t.name === name)
  if (topic === undefined) throw new Error(`unknown topic ${name}`)
  return topic
}

function chainChild(ctx: Context, node: PlanNode, spanId: string, rem: number): PlanNode {
  const { rng } = ctx
  const [s, e] = chainWindow(rng, node.startNs, node.endNs)
  const isError = rng.chance(ERROR_PROBABILITY)
  if (rem === 1 && node.service.def.stores.length > 0) {
    // The recursion bottoms out in a lookup.
    const storeUse = rng.pick(node.service.def.stores)
    return makeNode('store', node.service, 1, node.depth + 1, spanId, s, e, isError, { storeUse, statement: rng.pick(storeUse.statements) })
  }
  return makeNode('chain', node.service, rem, node.depth + 1, spanId, s, e, isError, { chainLevel: (node.chainLevel ?? 0) + 1 })
}

/** A recursion level takes almost all of its parent's time: 0.05–0.3 % off each side, at least 0 ns. */
function chainWindow(rng: Rng, startNs: number, endNs: number): [number, number] {
  const d = endNs - startNs
  const s = startNs + Math.floor(d * rng.between(0.0005, 0.003))
  const e = Math.max(s, endNs - Math.floor(d * rng.between(0.0005, 0.003)))
  return [s, e]
}

/** Network time on both sides of a hop (CLIENT → SERVER, PRODUCER → CONSUMER): up to 10 % each, at most 1.5 ms. */
function insetWindow(rng: Rng, startNs: number, endNs: number): [number, number] {
  const d = endNs - startNs
  const s = startNs + Math.floor(Math.min(d * rng.between(0.01, 0.1), rng.between(50e3, 1.5e6)))
  const e = Math.max(s, endNs - Math.floor(Math.min(d * rng.between(0.01, 0.1), rng.between(50e3, 1.5e6))))
  return [s, e]
}

/**
 * Splits `total` into `count` parts, each at least 1. `spread` shapes the weights:
 * 1 gives uneven siblings (some subtrees much larger), small values nearly equal ones.
 */
export function splitBudget(rng: Rng, total: number, count: number, spread: number): number[] {
  const parts = new Array<number>(count).fill(1)
  let rest = total - count
  if (rest <= 0) return parts
  const weights = new Array<number>(count)
  let sum = 0
  for (let i = 0; i < count; i++) {
    const w = 1 - spread + spread * rng.next() ** 2 * 4
    weights[i] = w
    sum += w
  }
  let given = 0
  for (let i = 0; i < count; i++) {
    const share = Math.floor((rest * (weights[i] as number)) / sum)
    parts[i] = (parts[i] as number) + share
    given += share
  }
  rest -= given
  for (let i = 0; rest > 0; i = (i + 1) % count, rest--) parts[i] = (parts[i] as number) + 1
  return parts
}

/**
 * Children's time windows inside [startNs, endNs], as [s0, e0, s1, e1, …] integer ns.
 * Sequential children run one after another, parallel ones overlap, and wide fan-outs run in
 * waves of 4–16 concurrent requests. Bigger subtrees get more time (∝ budget^0.7).
 */
function layoutWindows(rng: Rng, startNs: number, endNs: number, specs: readonly ChildSpec[]): number[] {
  const count = specs.length
  const out = new Array<number>(2 * count)
  const duration = endNs - startNs
  const weights = specs.map((s) => s.budget ** 0.7 * rng.between(0.6, 1.4))
  const place = (i: number, s: number, e: number): void => {
    const start = Math.min(endNs, Math.max(startNs, Math.floor(s)))
    out[2 * i] = start
    out[2 * i + 1] = Math.max(start, Math.min(endNs, Math.floor(e)))
  }
  const mode = count === 1 ? 'single' : count >= 8 && rng.chance(0.4) ? 'waves' : rng.chance(0.35) ? 'parallel' : 'sequential'
  if (mode === 'single') {
    const d = duration * rng.between(0.6, 0.97)
    const s = startNs + (duration - d) * rng.between(0.2, 0.8)
    place(0, s, s + d)
  } else if (mode === 'parallel') {
    let maxWeight = 0
    for (const w of weights) maxWeight = Math.max(maxWeight, w)
    for (let i = 0; i < count; i++) {
      const d = duration * rng.between(0.3, 0.95) * (0.5 + (0.5 * (weights[i] as number)) / maxWeight)
      const s = startNs + (duration - d) * rng.next()
      place(i, s, s + d)
    }
  } else if (mode === 'sequential') {
    const busy = duration * rng.between(0.7, 0.97)
    let cursor = startNs + (duration - busy) * rng.between(0.2, 0.8)
    let sum = 0
    for (const w of weights) sum += w
    for (let i = 0; i < count; i++) {
      const slot = (busy * (weights[i] as number)) / sum
      const d = slot * rng.between(0.75, 1)
      const s = cursor + (slot - d) * rng.next()
      place(i, s, s + d)
      cursor += slot
    }
  } else {
    const concurrency = rng.int(4, 16)
    const waves = Math.ceil(count / concurrency)
    const busy = duration * rng.between(0.75, 0.97)
    const slot = busy / waves
    const first = startNs + (duration - busy) * rng.between(0.2, 0.8)
    for (let i = 0; i < count; i++) {
      const waveStart = first + slot * Math.floor(i / concurrency)
      const d = slot * rng.between(0.4, 0.98)
      const s = waveStart + (slot - d) * rng.next()
      place(i, s, s + d)
    }
  }
  return out
}
