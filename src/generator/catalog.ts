/**
 * The imaginary shop that the trace generator "runs": about twenty services with their routes,
 * gRPC methods, SQL statements, cache commands and Kafka topics, plus the uninstrumented peers
 * (postgres, redis, kafka, elasticsearch, third-party APIs) they talk to. Pure data.
 */

export type Protocol = 'http' | 'grpc'
export type Language = 'go' | 'java' | 'nodejs' | 'python' | 'dotnet'
export type StoreSystem = 'postgresql' | 'redis' | 'elasticsearch'

/** A database or cache: not traced itself, it only shows up as the peer of CLIENT spans. */
export interface StoreDef {
  readonly peer: string
  readonly system: StoreSystem
  readonly host: string
  readonly port: number
}

export interface Statement {
  /** `SELECT`, `HGETALL`, `search`… */
  readonly operation: string
  /** The table, index or key prefix the statement touches, when it has one. */
  readonly target: string | undefined
  readonly text: string
}

export interface StoreUse {
  readonly store: StoreDef
  readonly database: string
  readonly statements: readonly Statement[]
}

export interface TopicDef {
  readonly name: string
  /** The service whose CONSUMER span handles the messages. */
  readonly consumer: string
  readonly group: string
}

/** A third-party HTTP API reached with an uninstrumented CLIENT span. */
export interface ExternalDef {
  readonly peer: string
  readonly host: string
  /** `METHOD /path` */
  readonly routes: readonly string[]
}

export interface ServiceDef {
  readonly name: string
  readonly version: string
  readonly language: Language
  readonly protocol: Protocol
  readonly port: number
  /** Fully qualified gRPC service (`shop.cart.v1.CartService`); only for gRPC services. */
  readonly rpcService?: string
  /** HTTP: `METHOD /route/{param}`; gRPC: method names. */
  readonly serverOps: readonly string[]
  readonly internalOps: readonly string[]
  /** Instrumented services this one calls (CLIENT → SERVER). */
  readonly calls: readonly string[]
  readonly stores: readonly StoreUse[]
  /** Topic names this service publishes to. */
  readonly produces: readonly string[]
  readonly externals: readonly ExternalDef[]
  /** An operation that calls itself, used for the deep recursive chains. */
  readonly recursiveOp?: string
}

const POSTGRES: StoreDef = { peer: 'postgres', system: 'postgresql', host: 'postgres-primary.data.svc.cluster.local', port: 5432 }
const REDIS: StoreDef = { peer: 'redis', system: 'redis', host: 'redis-master.data.svc.cluster.local', port: 6379 }
const ELASTICSEARCH: StoreDef = { peer: 'elasticsearch', system: 'elasticsearch', host: 'es-http.search.svc.cluster.local', port: 9200 }

/** The Kafka cluster that PRODUCER spans point at. */
export const KAFKA = { peer: 'kafka', host: 'kafka-0.kafka-headless.data.svc.cluster.local', port: 9092 } as const

function sql(text: string): Statement {
  const operation = text.slice(0, text.indexOf(' ')).toUpperCase()
  const match = /\b(?:FROM|INTO|UPDATE)\s+([a-z_.]+)/i.exec(text)
  return { operation, target: match?.[1], text }
}

function redis(text: string): Statement {
  const space = text.indexOf(' ')
  const key = space < 0 ? undefined : text.slice(space + 1).split(' ')[0]
  return { operation: space < 0 ? text : text.slice(0, space), target: key?.split(':')[0], text }
}

function search(index: string, query: string): Statement {
  return { operation: 'search', target: index, text: query }
}

const onPostgres = (database: string, statements: readonly string[]): StoreUse => ({
  store: POSTGRES,
  database,
  statements: statements.map(sql),
})
const onRedis = (statements: readonly string[]): StoreUse => ({ store: REDIS, database: '0', statements: statements.map(redis) })

export const TOPICS: readonly TopicDef[] = [
  { name: 'order-events', consumer: 'notification', group: 'notification-order-events' },
  { name: 'ledger-entries', consumer: 'fraud', group: 'fraud-ledger-entries' },
  { name: 'cart-events', consumer: 'recommendation', group: 'recommendation-cart-events' },
  { name: 'email-requests', consumer: 'email', group: 'email-senders' },
]

export const SERVICES: readonly ServiceDef[] = [
  {
    name: 'frontend',
    version: '2.14.3',
    language: 'nodejs',
    protocol: 'http',
    port: 8080,
    serverOps: ['GET /', 'GET /product/{id}', 'GET /cart', 'POST /cart/add', 'POST /checkout', 'GET /search', 'GET /account', 'GET /category/{slug}'],
    internalOps: ['renderPage', 'ssr.renderToString', 'loadTemplates', 'compressResponse', 'i18n.loadMessages'],
    calls: ['api-gateway', 'api-gateway', 'api-gateway', 'ads', 'recommendation', 'currency', 'catalog'],
    stores: [onRedis(['GET session:{sid}', 'SETEX session:{sid} 1800', 'EXPIRE session:{sid} 1800'])],
    produces: [],
    externals: [],
  },
  {
    name: 'api-gateway',
    version: '1.31.0',
    language: 'go',
    protocol: 'http',
    port: 8000,
    serverOps: [
      'GET /api/v1/products/{id}',
      'GET /api/v1/cart',
      'POST /api/v1/cart/items',
      'POST /api/v1/orders',
      'GET /api/v1/search',
      'GET /api/v1/users/me',
      'GET /api/v1/categories/{id}/tree',
      'GET /api/v1/recommendations',
      'GET /api/v1/products/{id}/reviews',
    ],
    internalOps: ['rateLimit.check', 'route.match', 'jwt.verify', 'cors.preflight', 'response.marshal'],
    calls: ['auth', 'auth', 'user', 'cart', 'checkout', 'checkout', 'catalog', 'search', 'recommendation', 'reviews', 'pricing'],
    stores: [onRedis(['INCR ratelimit:{ip}', 'EXPIRE ratelimit:{ip} 60', 'GET route-cache:{path}'])],
    produces: [],
    externals: [],
  },
  {
    name: 'auth',
    version: '3.2.1',
    language: 'go',
    protocol: 'grpc',
    port: 50051,
    rpcService: 'shop.auth.v1.AuthService',
    serverOps: ['ValidateToken', 'Authorize', 'IssueToken', 'RefreshSession'],
    internalOps: ['policy.evaluate', 'rsa.verify', 'claims.decode', 'jwks.refresh'],
    calls: ['user'],
    stores: [
      onRedis(['GET token:{jti}', 'SETEX token:{jti} 900', 'SISMEMBER revoked:tokens {jti}']),
      onPostgres('auth', [
        'SELECT id, role, scopes FROM auth.principals WHERE id = $1',
        'SELECT policy FROM auth.policies WHERE role = $1 AND resource = $2',
        'UPDATE auth.sessions SET last_seen_at = now() WHERE id = $1',
      ]),
    ],
    produces: [],
    externals: [],
    recursiveOp: 'policy.resolveInherited',
  },
  {
    name: 'user',
    version: '5.0.7',
    language: 'java',
    protocol: 'grpc',
    port: 50052,
    rpcService: 'shop.user.v1.UserService',
    serverOps: ['GetUser', 'GetPreferences', 'UpdateProfile', 'ListAddresses'],
    internalOps: ['UserMapper.toDto', 'ProfileValidator.validate', 'AddressNormalizer.normalize'],
    calls: [],
    stores: [
      onPostgres('users', [
        'SELECT id, email, display_name, tier FROM users WHERE id = $1',
        'SELECT key, value FROM user_preferences WHERE user_id = $1',
        'SELECT * FROM addresses WHERE user_id = $1 ORDER BY is_default DESC',
        'UPDATE users SET display_name = $2, updated_at = now() WHERE id = $1',
      ]),
      onRedis(['GET user:{id}', 'SETEX user:{id} 300']),
    ],
    produces: [],
    externals: [],
  },
  {
    name: 'cart',
    version: '1.8.2',
    language: 'dotnet',
    protocol: 'grpc',
    port: 50053,
    rpcService: 'shop.cart.v1.CartService',
    serverOps: ['GetCart', 'AddItem', 'RemoveItem', 'EmptyCart'],
    internalOps: ['CartRepository.Load', 'CartTotals.Compute', 'CartValidator.Validate'],
    calls: ['catalog', 'pricing', 'inventory'],
    stores: [onRedis(['HGETALL cart:{id}', 'HSET cart:{id} {sku} {qty}', 'HDEL cart:{id} {sku}', 'DEL cart:{id}', 'HGET cart:{id} {sku}'])],
    produces: ['cart-events'],
    externals: [],
  },
  {
    name: 'checkout',
    version: '4.4.0',
    language: 'go',
    protocol: 'grpc',
    port: 50054,
    rpcService: 'shop.checkout.v1.CheckoutService',
    serverOps: ['PlaceOrder', 'PrepareOrder', 'GetOrderStatus'],
    internalOps: ['order.validate', 'order.assemble', 'totals.compute', 'idempotency.check'],
    calls: ['payment', 'payment', 'payment', 'cart', 'shipping', 'inventory', 'pricing', 'currency', 'user'],
    stores: [
      onPostgres('orders', [
        'INSERT INTO orders (id, user_id, total, currency, status) VALUES ($1, $2, $3, $4, $5)',
        'INSERT INTO order_items (order_id, sku, qty, unit_price) VALUES ($1, $2, $3, $4)',
        'SELECT status, updated_at FROM orders WHERE id = $1',
        'UPDATE orders SET status = $2 WHERE id = $1',
      ]),
    ],
    produces: ['order-events', 'email-requests'],
    externals: [],
  },
  {
    name: 'payment',
    version: '2.9.5',
    language: 'java',
    protocol: 'grpc',
    port: 50055,
    rpcService: 'shop.payment.v1.PaymentService',
    serverOps: ['Charge', 'Refund', 'Authorize', 'Capture'],
    internalOps: ['CardTokenizer.tokenize', 'PaymentRouter.route', 'ThreeDSecure.evaluate'],
    calls: ['fraud', 'fraud', 'ledger', 'ledger', 'currency'],
    stores: [
      onPostgres('payments', [
        'INSERT INTO payments (id, order_id, amount, currency, state) VALUES ($1, $2, $3, $4, $5)',
        'SELECT state FROM payments WHERE order_id = $1 FOR UPDATE',
        'UPDATE payments SET state = $2, psp_reference = $3 WHERE id = $1',
      ]),
    ],
    produces: [],
    externals: [{ peer: 'stripe', host: 'api.stripe.com', routes: ['POST /v1/payment_intents', 'POST /v1/payment_intents/{id}/capture', 'POST /v1/refunds'] }],
  },
  {
    name: 'fraud',
    version: '0.21.0',
    language: 'python',
    protocol: 'grpc',
    port: 50056,
    rpcService: 'shop.fraud.v1.FraudService',
    serverOps: ['ScoreTransaction', 'CheckVelocity'],
    internalOps: ['features.build', 'model.predict', 'rules.evaluate', 'ip_reputation.lookup'],
    calls: ['user'],
    stores: [
      onRedis(['ZCOUNT velocity:{card} {from} {to}', 'ZADD velocity:{card} {ts} {tx}', 'GET ipscore:{ip}']),
      onPostgres('fraud', [
        'SELECT score, reasons FROM fraud_decisions WHERE card_fingerprint = $1 ORDER BY created_at DESC LIMIT 10',
        'INSERT INTO fraud_decisions (tx_id, score, decision) VALUES ($1, $2, $3)',
      ]),
    ],
    produces: [],
    externals: [],
  },
  {
    name: 'ledger',
    version: '1.3.12',
    language: 'java',
    protocol: 'grpc',
    port: 50057,
    rpcService: 'shop.ledger.v1.LedgerService',
    serverOps: ['RecordEntry', 'GetBalance', 'Reconcile'],
    internalOps: ['DoubleEntry.balance', 'JournalWriter.append'],
    calls: [],
    stores: [
      onPostgres('ledger', [
        'INSERT INTO journal_entries (id, account, debit, credit, tx_id) VALUES ($1, $2, $3, $4, $5)',
        'SELECT sum(debit) - sum(credit) FROM journal_entries WHERE account = $1',
        'SELECT id FROM accounts WHERE owner_id = $1 FOR SHARE',
      ]),
    ],
    produces: ['ledger-entries'],
    externals: [],
  },
  {
    name: 'inventory',
    version: '2.0.4',
    language: 'go',
    protocol: 'grpc',
    port: 50058,
    rpcService: 'shop.inventory.v1.InventoryService',
    serverOps: ['CheckStock', 'ReserveItems', 'ReleaseReservation'],
    internalOps: ['reservation.lock', 'warehouse.select', 'stock.aggregate'],
    calls: [],
    stores: [
      onPostgres('inventory', [
        'SELECT warehouse_id, available FROM stock WHERE sku = $1',
        'UPDATE stock SET available = available - $2 WHERE sku = $1 AND available >= $2',
        'INSERT INTO reservations (id, sku, qty, expires_at) VALUES ($1, $2, $3, $4)',
      ]),
      onRedis(['GET stock:{sku}', 'DECRBY stock:{sku} {qty}']),
    ],
    produces: [],
    externals: [],
  },
  {
    name: 'catalog',
    version: '7.1.0',
    language: 'java',
    protocol: 'http',
    port: 8081,
    serverOps: ['GET /products/{id}', 'GET /products', 'GET /categories/{id}/tree', 'POST /products/batch'],
    internalOps: ['ProductAssembler.assemble', 'ImageUrlSigner.sign', 'CategoryTree.build'],
    calls: ['pricing'],
    stores: [
      onPostgres('catalog', [
        'SELECT id, name, description, brand FROM products WHERE id = $1',
        'SELECT id, name, parent_id FROM categories WHERE parent_id = $1',
        'SELECT product_id, url FROM product_images WHERE product_id = ANY($1)',
        'SELECT * FROM products WHERE category_id = $1 LIMIT 50 OFFSET $2',
      ]),
      onRedis(['GET product:{id}', 'MGET product:{id} product:{id}', 'SETEX product:{id} 3600']),
    ],
    produces: [],
    externals: [],
    recursiveOp: 'CategoryResolver.resolve',
  },
  {
    name: 'pricing',
    version: '3.6.1',
    language: 'go',
    protocol: 'grpc',
    port: 50059,
    rpcService: 'shop.pricing.v1.PricingService',
    serverOps: ['GetPrice', 'GetPrices', 'ApplyPromotions'],
    internalOps: ['promotions.match', 'tax.compute', 'price.round'],
    calls: ['currency'],
    stores: [
      onRedis(['GET price:{sku}', 'MGET price:{sku} price:{sku}']),
      onPostgres('pricing', [
        'SELECT amount, currency FROM prices WHERE sku = $1 AND valid_from <= now()',
        'SELECT * FROM promotions WHERE active AND $1 = ANY(skus)',
      ]),
    ],
    produces: [],
    externals: [],
  },
  {
    name: 'currency',
    version: '1.0.19',
    language: 'nodejs',
    protocol: 'grpc',
    port: 50060,
    rpcService: 'shop.currency.v1.CurrencyService',
    serverOps: ['Convert', 'GetSupportedCurrencies'],
    internalOps: ['rates.load', 'money.convert', 'money.round'],
    calls: [],
    stores: [onRedis(['HGET fx:rates {code}', 'HGETALL fx:rates'])],
    produces: [],
    externals: [{ peer: 'ecb-rates', host: 'data-api.ecb.europa.eu', routes: ['GET /service/data/EXR/D..EUR.SP00.A'] }],
  },
  {
    name: 'search',
    version: '2.2.8',
    language: 'python',
    protocol: 'http',
    port: 8082,
    serverOps: ['GET /search', 'GET /suggest', 'GET /facets'],
    internalOps: ['query.parse', 'query.rewrite', 'results.rerank', 'spellcheck.suggest'],
    calls: ['catalog', 'ads', 'recommendation'],
    stores: [
      {
        store: ELASTICSEARCH,
        database: 'products',
        statements: [
          search('products', '{"query":{"multi_match":{"query":"?","fields":["name^3","description"]}},"size":24}'),
          search('products', '{"suggest":{"name-suggest":{"prefix":"?","completion":{"field":"suggest"}}}}'),
          search('products', '{"size":0,"aggs":{"brands":{"terms":{"field":"brand"}}}}'),
        ],
      },
    ],
    produces: [],
    externals: [],
    recursiveOp: 'query.expandSynonyms',
  },
  {
    name: 'recommendation',
    version: '0.9.4',
    language: 'python',
    protocol: 'grpc',
    port: 50061,
    rpcService: 'shop.recommendation.v1.RecommendationService',
    serverOps: ['ListRecommendations', 'GetSimilarItems'],
    internalOps: ['embeddings.lookup', 'model.rank', 'candidates.filter'],
    calls: ['catalog', 'user'],
    stores: [onRedis(['GET reco:{uid}', 'ZREVRANGE similar:{sku} 0 20', 'HGET embeddings {sku}'])],
    produces: [],
    externals: [],
  },
  {
    name: 'ads',
    version: '1.12.0',
    language: 'java',
    protocol: 'grpc',
    port: 50062,
    rpcService: 'shop.ads.v1.AdService',
    serverOps: ['GetAds'],
    internalOps: ['AdSelector.select', 'BudgetPacer.check'],
    calls: ['catalog'],
    stores: [onRedis(['GET ads:context:{ctx}', 'INCR ads:impressions:{id}'])],
    produces: [],
    externals: [],
  },
  {
    name: 'shipping',
    version: '2.5.3',
    language: 'go',
    protocol: 'http',
    port: 8083,
    serverOps: ['POST /quote', 'POST /shipments', 'GET /shipments/{id}/tracking'],
    internalOps: ['parcel.dimensions', 'carrier.select', 'label.render'],
    calls: ['currency'],
    stores: [
      onPostgres('shipping', [
        'INSERT INTO shipments (id, order_id, carrier, tracking_no) VALUES ($1, $2, $3, $4)',
        'SELECT status, events FROM shipments WHERE id = $1',
      ]),
    ],
    produces: [],
    externals: [
      { peer: 'ups', host: 'onlinetools.ups.com', routes: ['POST /api/rating/v2403/Rate', 'POST /api/shipments/v2403/ship', 'GET /api/track/v1/details/{id}'] },
    ],
  },
  {
    name: 'notification',
    version: '1.4.6',
    language: 'nodejs',
    protocol: 'grpc',
    port: 50063,
    rpcService: 'shop.notification.v1.NotificationService',
    serverOps: ['SendNotification', 'ListNotifications'],
    internalOps: ['template.select', 'channel.route', 'dedupe.check'],
    calls: ['email', 'user'],
    stores: [onRedis(['SET notif:dedupe:{id} 1 NX EX 86400', 'LPUSH notif:inbox:{uid} {id}'])],
    produces: ['email-requests'],
    externals: [{ peer: 'fcm', host: 'fcm.googleapis.com', routes: ['POST /v1/projects/shop/messages:send'] }],
  },
  {
    name: 'email',
    version: '0.7.2',
    language: 'python',
    protocol: 'http',
    port: 8084,
    serverOps: ['POST /send_order_confirmation', 'POST /send'],
    internalOps: ['template.render', 'mime.build', 'dkim.sign'],
    calls: [],
    stores: [],
    produces: [],
    externals: [{ peer: 'sendgrid', host: 'api.sendgrid.com', routes: ['POST /v3/mail/send'] }],
  },
  {
    name: 'reviews',
    version: '1.1.0',
    language: 'nodejs',
    protocol: 'http',
    port: 8085,
    serverOps: ['GET /reviews/{productId}', 'POST /reviews', 'GET /reviews/{productId}/summary'],
    internalOps: ['sentiment.score', 'profanity.filter', 'ratings.aggregate'],
    calls: ['user'],
    stores: [
      onPostgres('reviews', [
        'SELECT id, rating, body, author_id FROM reviews WHERE product_id = $1 ORDER BY created_at DESC LIMIT 20',
        'INSERT INTO reviews (id, product_id, author_id, rating, body) VALUES ($1, $2, $3, $4, $5)',
        'SELECT avg(rating), count(*) FROM reviews WHERE product_id = $1',
      ]),
    ],
    produces: [],
    externals: [],
  },
]

export function findService(name: string): ServiceDef {
  const service = SERVICES.find((s) => s.name === name)
  if (service === undefined) throw new Error(`unknown service ${name}`)
  return service
}

export function findTopic(name: string): TopicDef {
  const topic = TOPICS.find((t) => t.name === name)
  if (topic === undefined) throw new Error(`unknown topic ${name}`)
  return topic
}
