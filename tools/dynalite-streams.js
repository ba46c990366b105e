// DynamoDB Streams for dynalite, served on dynalite's own port, so that the AWS SDK's
// DynamoDbStreamsClient (and a local event source mapping built on it) reads change records from
// the same endpoint as the DynamoDB client writes to; and, with dynalite-transactions.js and
// dynalite-ttl.js beside this file, TransactWriteItems and Time to Live, which dynalite lacks too.
// Node built-ins only.
//
//   const server = dynalite({...}); withStreams(server, { ttlSweepMs }); server.listen(...)
//
// How it works. withStreams takes over the server's 'request' handler and calls dynalite's own
// handler in the same process:
// - "DynamoDBStreams_20120810.*" requests are answered here: ListStreams, DescribeStream,
//   GetShardIterator, GetRecords, in the AWS JSON 1.0 shapes, errors included (400 with
//   "__type" and "message"), so the SDK raises its own exceptions.
// - "DynamoDB_20120810.TransactWriteItems" is answered by dynalite-transactions.js (its header
//   says how), with the locks, reads and records described here.
// - "DynamoDB_20120810.UpdateTimeToLive" and "DescribeTimeToLive" are answered by dynalite-ttl.js,
//   whose sweeper deletes expired items with the same locks and records (REMOVE, marked as TTL's).
// - Other "DynamoDB_20120810.*" requests go to dynalite untouched, except:
//   - CreateTable with StreamSpecification.StreamEnabled: dynalite drops the specification, so
//     it is remembered here and reported back (StreamSpecification, LatestStreamArn,
//     LatestStreamLabel) in CreateTable's and DescribeTable's answers;
//   - PutItem, UpdateItem, DeleteItem and BatchWriteItem, on every table: they run under a lock
//     on each item the request names, the same locks that transactions take, so that no write
//     lands inside a transaction. On a table with a stream, moreover, the item's old image is
//     taken (from the write itself, sent to dynalite with ReturnValues ALL_OLD, or from a
//     consistent read before it) and its new one read after it; an item that changed becomes a
//     record (INSERT, MODIFY or REMOVE) before the answer goes back to the client, so a client
//     that reads the stream after its write sees the record. Records follow the order of the
//     writes (see Front.write). A write that changed nothing (refused by its condition, failed,
//     or a put of the same item again) writes no record, as on DynamoDB. A PutItem, UpdateItem
//     or DeleteItem refused by its condition with ReturnValuesOnConditionCheckFailure ALL_OLD gets
//     the item in the way as its ConditionalCheckFailedException's "Item", as DynamoDB sends it
//     (dynalite leaves it out);
//   - DeleteTable forgets the table's key schema (learnt with DescribeTable on its first write),
//     its TTL and its transactions' shadow table; of a table with a stream, it disables the
//     stream and closes its shard; the records stay readable, as they do on DynamoDB for 24 hours;
//   - ListTables leaves out the shadow tables of transactions;
//   - UpdateTable with a StreamSpecification is refused (ValidationException) instead of
//     being silently ignored as dynalite would: create the table with its stream.
//   A write to a table without a stream pays for its locks (a parse of the request and a map
//   lookup per item), never for reads.
//
// Persistence. With a journal file (withStreams' journalPath; dynalite-server.js puts it beside
// the tables when DYNALITE_DATA_DIR is set), what this server keeps itself is appended to it as
// JSON lines, and read back when a server starts on it: each stream as it is opened and closed,
// each record as it is made (before the write's answer goes back, so an acknowledged write's
// record survives a crash of this process), and each table's TTL. Iterators and sequence numbers
// stay valid across restarts, so a reader resumes after the last record it handled. A line cut
// short by a crash is dropped (and cut off the file) when the journal is read. The shadow tables
// transactions leave behind are deleted at start (they are scratch copies). A crash of this
// process between dynalite's write and the record leaves a write in the table without its
// record; that write was never acknowledged. A parent that dies (its stdin closes) is no crash:
// the server lets the requests it is answering finish before it closes the store.
//
// Limits, on purpose (a test server, not a copy of the service):
// - one shard per stream, never split; shard ids look like AWS's, sequence numbers are
//   21-digit decimal strings, increasing across the server (and its restarts on one journal);
// - records are kept in memory (and in the journal) for the server's life: no 24-hour trimming, so
//   TrimmedDataAccessException never happens; shard iterators never expire (AWS: 15 minutes);
// - ApproximateCreationDateTime is in whole seconds; SizeBytes follows DynamoDB's item size
//   rules for the record's keys and images, an approximation of AWS's figure;
// - the records of one BatchWriteItem or transaction follow its request order; the Streams API
//   does not check request signatures (dynalite checks only that they are there); ListStreams
//   also lists the disabled streams of deleted tables, for the server's life.
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const { EventEmitter } = require('node:events')
const { Transactions, isShadow } = require('./dynalite-transactions')
const { TimeToLive } = require('./dynalite-ttl')

const DYNAMODB = 'DynamoDB_20120810.'
const STREAMS = 'DynamoDBStreams_20120810.'
const WRITES = new Set([ 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem' ])
// Operations this server always has a hand in.
const OURS = new Set([ ...WRITES, 'TransactWriteItems', 'CreateTable', 'UpdateTable', 'DeleteTable', 'UpdateTimeToLive',
  'DescribeTimeToLive' ])
const VIEW_TYPES = [ 'KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES' ]
const ITERATOR_TYPES = [ 'TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER' ]
const SEQUENCE_DIGITS = 21
const MAX_RECORDS = 1000
const MAX_PAGE_BYTES = 1024 * 1024
// dynalite's own cap on a request body; bodies read here get the same answer when over it.
const MAX_REQUEST_BYTES = 16 * 1024 * 1024
const JSON_1_0 = 'application/x-amz-json-1.0'

const ERRORS = {
  conditionalCheckFailed: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
  resourceNotFound: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
  internal: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  validation: 'com.amazon.coral.validate#ValidationException',
  serialization: 'com.amazon.coral.service#SerializationException',
  unknownOperation: 'com.amazon.coral.service#UnknownOperationException',
}

module.exports = { withStreams }

/**
 * Adds DynamoDB Streams, TransactWriteItems and TTL to a dynalite server (before it listens), the
 * TTL sweeper reading a page every ttlSweepMs, and keeping its own state in the journal file at
 * journalPath (null: in memory); returns the server, whose "recovered" promise resolves once it
 * may listen. Its close() first lets the requests in flight here finish.
 */
function withStreams (server, { ttlSweepMs = 1000, journalPath = null } = {}) {
  const handlers = server.listeners('request')
  if (handlers.length !== 1) {
    throw new Error(`expected dynalite's one request handler, found ${handlers.length}`)
  }
  const dynalite = new Dynalite(handlers[0])
  const { journal, entries } = Journal.open(journalPath)
  const streams = new Streams(journal, entries)
  const front = new Front(dynalite, streams, new Tables(dynalite))
  front.ttl.restore(entries)
  front.ttl.sweepEvery(ttlSweepMs)
  server.removeAllListeners('request')
  server.on('request', (req, res) => front.handle(req, res))
  server.recovered = removeShadows(dynalite)
  const close = server.close
  server.close = (cb) => front.idle().then(() => close.call(server, cb))
  return server
}

/** Deletes the shadow tables a server that ran on the same store left (see the header), and waits until they are gone. */
async function removeShadows (dynalite) {
  const shadows = []
  let after
  do {
    const page = await dynalite.call('ListTables', after === undefined ? {} : { ExclusiveStartTableName: after })
    if (page.statusCode !== 200) throw new Error(`ListTables failed: ${JSON.stringify(page.data)}`)
    shadows.push(...page.data.TableNames.filter(isShadow))
    after = page.data.LastEvaluatedTableName
  } while (after !== undefined)
  for (const name of shadows) {
    await dynalite.call('DeleteTable', { TableName: name })
    while ((await dynalite.call('DescribeTable', { TableName: name })).statusCode === 200) await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/**
 * An append-only file of JSON lines (see the header), or nothing when the server is in memory.
 * Appends are synchronous writes, so a line is in the file (the OS's cache: a crash of this
 * process keeps it) before the request that made it is answered.
 */
class Journal {
  /** { journal, entries }: the journal at path (null: none) and what it held, a line cut short at its end dropped. */
  static open (path) {
    if (path === null) return { journal: new Journal(null), entries: [] }
    const text = fs.existsSync(path) ? fs.readFileSync(path, 'utf8') : ''
    const complete = text.slice(0, text.lastIndexOf('\n') + 1)
    const entries = complete.split('\n').slice(0, -1).map((line, i) => {
      try {
        return JSON.parse(line)
      }
      catch (err) {
        throw new Error(`${path} line ${i + 1} is not JSON (${err.message}): the journal is damaged; ` +
          'wipe the data folder (./factline-local --reset) or restore it')
      }
    })
    if (complete.length < text.length) fs.truncateSync(path, Buffer.byteLength(complete))
    return { journal: new Journal(fs.openSync(path, 'a')), entries }
  }

  constructor (fd) {
    this.fd = fd
  }

  append (entry) {
    if (this.fd !== null) fs.writeSync(this.fd, JSON.stringify(entry) + '\n')
  }
}

/** The requests this server answers itself or watches; everything else is dynalite's. */
class Front {
  constructor (dynalite, streams, tables) {
    this.dynalite = dynalite
    this.streams = streams
    this.tables = tables
    this.locks = new ItemLocks()
    this.transactions = new Transactions(dynalite, tables, this.locks, streams)
    this.ttl = new TimeToLive(dynalite, tables, this.locks, streams)
    this.inFlight = 0
    this.whenIdle = []
  }

  /** Resolves once no request this front answers itself is in flight (a write's record may still be on its way). */
  idle () {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.whenIdle.push(resolve))
  }

  handle (req, res) {
    const target = String(req.headers['x-amz-target'] || '')
    const operation = target.startsWith(DYNAMODB) ? target.slice(DYNAMODB.length) : ''
    const ours = target.startsWith(STREAMS) || OURS.has(operation) ||
      (operation === 'DescribeTable' && this.streams.hasAny()) || (operation === 'ListTables' && this.transactions.hasShadows())
    if (req.method !== 'POST' || !ours) return this.dynalite.handle(req, res)

    this.inFlight += 1
    readBody(req).then((body) => {
      if (body === null) return tooLarge(res)
      const answered = target.startsWith(STREAMS)
        ? this.streamsOperation(target.slice(STREAMS.length), body, res)
        : this.dynamoOperation(operation, req, body, res)
      return answered
    }).catch((err) => {
      process.stderr.write(`dynalite-streams: ${target} failed: ${(err && err.stack) || err}\n`)
      if (!res.headersSent) sendJson(res, 500, { __type: ERRORS.internal, message: 'Internal server error' })
    }).finally(() => {
      this.inFlight -= 1
      if (this.inFlight === 0) this.whenIdle.splice(0).forEach((resolve) => resolve())
    })
  }

  async dynamoOperation (operation, req, body, res) {
    const data = parseObject(body)
    if (data === null) return this.dynalite.handle(requestWithBody(req, body), res)
    switch (operation) {
      case 'CreateTable': return this.createTable(req, body, data, res)
      case 'DescribeTable': return this.describeTable(req, body, data, res)
      case 'DeleteTable': return this.deleteTable(req, body, data, res)
      case 'UpdateTable': return this.updateTable(req, body, data, res)
      case 'ListTables': return this.listTables(req, body, res)
      case 'TransactWriteItems': return this.transactWriteItems(data, res)
      case 'UpdateTimeToLive': return this.updateTimeToLive(data, res)
      case 'DescribeTimeToLive': return this.describeTimeToLive(req, body, data, res)
      default: return this.write(operation, req, body, data, res)
    }
  }

  async createTable (req, body, data, res) {
    const spec = data.StreamSpecification
    if (spec == null || spec.StreamEnabled !== true) return this.dynalite.handle(requestWithBody(req, body), res)
    if (!VIEW_TYPES.includes(spec.StreamViewType)) {
      return sendJson(res, 400, validationError(
        'StreamViewType', spec.StreamViewType, `Member must satisfy enum value set: [${VIEW_TYPES.join(', ')}]`))
    }
    const answer = await this.dynalite.forward(req, body)
    const parsed = answer.statusCode === 200 ? parseObject(answer.body) : null
    if (parsed === null || parsed.TableDescription == null) return sendCaptured(res, answer)
    const stream = this.streams.open(parsed.TableDescription, spec.StreamViewType)
    describeStreamOf(parsed.TableDescription, stream)
    return sendCaptured(res, answer, parsed)
  }

  async describeTable (req, body, data, res) {
    const stream = this.streams.ofTable(data.TableName)
    if (stream === undefined) return this.dynalite.handle(requestWithBody(req, body), res)
    const answer = await this.dynalite.forward(req, body)
    const parsed = answer.statusCode === 200 ? parseObject(answer.body) : null
    if (parsed === null || parsed.Table == null) return sendCaptured(res, answer)
    describeStreamOf(parsed.Table, stream)
    return sendCaptured(res, answer, parsed)
  }

  async deleteTable (req, body, data, res) {
    const stream = this.streams.ofTable(data.TableName)
    const answer = await this.dynalite.forward(req, body)
    if (answer.statusCode !== 200) return sendCaptured(res, answer)
    // A table created again under the name may have other keys.
    this.tables.forget(data.TableName)
    this.ttl.forget(data.TableName)
    this.transactions.forget(data.TableName)
    const parsed = stream === undefined ? null : parseObject(answer.body)
    if (parsed === null || parsed.TableDescription == null) return sendCaptured(res, answer)
    this.streams.close(stream)
    describeStreamOf(parsed.TableDescription, stream)
    return sendCaptured(res, answer, parsed)
  }

  async listTables (req, body, res) {
    const answer = await this.dynalite.forward(req, body)
    const parsed = answer.statusCode === 200 ? parseObject(answer.body) : null
    if (parsed === null || !Array.isArray(parsed.TableNames)) return sendCaptured(res, answer)
    parsed.TableNames = parsed.TableNames.filter((name) => !isShadow(name))
    return sendCaptured(res, answer, parsed)
  }

  async transactWriteItems (data, res) {
    const { statusCode, payload } = await this.transactions.write(data)
    return sendJson(res, statusCode, payload)
  }

  async updateTimeToLive (data, res) {
    const { statusCode, payload } = await this.ttl.update(data)
    return sendJson(res, statusCode, payload)
  }

  describeTimeToLive (req, body, data, res) {
    const description = this.ttl.description(data.TableName)
    if (description === undefined) return this.dynalite.handle(requestWithBody(req, body), res)
    return sendJson(res, 200, description)
  }

  updateTable (req, body, data, res) {
    if (data.StreamSpecification != null) {
      return sendJson(res, 400, {
        __type: ERRORS.validation,
        message: 'This local server (tools/dynalite-streams.js) does not change streams with UpdateTable: ' +
          'create the table with its StreamSpecification instead.',
      })
    }
    return this.dynalite.handle(requestWithBody(req, body), res)
  }

  /**
   * A write, under a lock on each item it names (dynalite locks items the same way, so writers of
   * different items never wait for each other here either); transactions take the same locks. A
   * single-item write on an item of a transaction in flight is refused, as DynamoDB refuses it
   * (TransactionConflictException, see dynalite-transactions.js).
   * The items of tables with a stream get records. A single-item write whose ReturnValues allow
   * it goes to dynalite asking for ALL_OLD: the old image comes with the write itself, a refused
   * write costs nothing more, and the client still gets only what it asked for. Other writes
   * (BatchWriteItem, UpdateItem asking for new values) read each item before. A put or update is
   * read back after it succeeded, for the image as stored (dynalite normalises numbers, so the
   * request's item is not always what a read returns).
   *
   * A record's place in the stream is taken the moment dynalite answers, before anything else
   * runs; its content follows once the item is read back. So records follow the order of the
   * writes, even of different items: a writer that saw this write's item and wrote after it
   * gets a later place.
   *
   * A single-item write refused by its condition with ReturnValuesOnConditionCheckFailure ALL_OLD
   * gets the item in the way in its ConditionalCheckFailedException ("Item"), as from DynamoDB;
   * dynalite leaves it out. It is read before the lock is let go, so it is the item the condition
   * failed on.
   */
  async write (operation, req, body, data, res) {
    const named = await this.itemsWrittenBy(operation, data)
    if (named.length === 0) return this.dynalite.handle(requestWithBody(req, body), res)
    const conflict = operation === 'BatchWriteItem' ? null : this.transactions.conflictWith(named.map((item) => item.lock))
    if (conflict !== null) return sendJson(res, conflict.statusCode, conflict.payload)
    const returnsRefusedItem = operation !== 'BatchWriteItem' && data.ReturnValuesOnConditionCheckFailure === 'ALL_OLD'
    const { answer, changedBody } = await this.locks.run(named.map((item) => item.lock), async () => {
      const written = await this.recordedWrite(operation, req, body, data, named)
      return returnsRefusedItem ? this.withRefusedItem(written, named[0]) : written
    })
    return sendCaptured(res, answer, changedBody)
  }

  /** The write and its stream records, under the items' locks: { answer, changedBody }, the latter set when the client gets another body. */
  async recordedWrite (operation, req, body, data, named) {
    const items = named.filter((item) => this.streams.ofTable(item.table) !== undefined)
    if (items.length === 0) return { answer: await this.dynalite.forward(req, body) }
    const askedForOld = data.ReturnValues === 'ALL_OLD'
    if (operation !== 'BatchWriteItem' && (data.ReturnValues == null || data.ReturnValues === 'NONE' || askedForOld)) {
      const [ item ] = items
      const sent = askedForOld ? body : Buffer.from(JSON.stringify({ ...data, ReturnValues: 'ALL_OLD' }))
      const answer = await this.dynalite.forward(req, sent)
      const parsed = answer.statusCode === 200 ? parseObject(answer.body) : null
      if (parsed === null) return { answer }
      const place = this.streams.reserve(item.table)
      try {
        const after = operation === 'DeleteItem' ? { item: undefined } : await this.dynalite.getItem(item.table, item.key)
        this.streams.fill(place, item.key, { item: parsed.Attributes }, after)
      }
      finally {
        this.streams.giveUp(place)
      }
      if (askedForOld) return { answer }
      delete parsed.Attributes
      return { answer, changedBody: parsed }
    }
    const before = await Promise.all(items.map((item) => this.dynalite.getItem(item.table, item.key)))
    const answer = await this.dynalite.forward(req, body)
    const places = items.map((item) => this.streams.reserve(item.table))
    try {
      const after = await Promise.all(items.map((item) => this.dynalite.getItem(item.table, item.key)))
      items.forEach((item, i) => this.streams.fill(places[i], item.key, before[i], after[i]))
    }
    finally {
      places.forEach((place) => this.streams.giveUp(place))
    }
    return { answer }
  }

  /** A written answer ({ answer, changedBody }) with the item in the way added if the write's condition failed and the item exists. */
  async withRefusedItem (written, item) {
    const refusal = written.answer.statusCode === 400 ? parseObject(written.answer.body) : null
    if (refusal === null || refusal.__type !== ERRORS.conditionalCheckFailed) return written
    const read = await this.dynalite.getItem(item.table, item.key)
    if (read === null || read.item === undefined) return written
    return { answer: written.answer, changedBody: { ...refusal, Item: read.item } }
  }

  /** The items ({ table, key, lock }) a write request names; malformed ones and unknown tables are left to dynalite. */
  async itemsWrittenBy (operation, data) {
    const named = []
    if (operation === 'BatchWriteItem') {
      const requestItems = isObject(data.RequestItems) ? data.RequestItems : {}
      for (const table of Object.keys(requestItems)) {
        if (!Array.isArray(requestItems[table])) continue
        for (const request of requestItems[table]) {
          if (!isObject(request)) continue
          if (isObject(request.PutRequest)) named.push([ table, request.PutRequest.Item ])
          else if (isObject(request.DeleteRequest)) named.push([ table, request.DeleteRequest.Key ])
        }
      }
    }
    else {
      named.push([ data.TableName, operation === 'PutItem' ? data.Item : data.Key ])
    }
    const schemas = await Promise.all(named.map(([ table ]) => (typeof table === 'string' ? this.tables.schema(table) : null)))
    return named.map(([ table, attributes ], i) => (schemas[i] === null ? null : this.tables.item(table, schemas[i], attributes)))
      .filter((item) => item !== null)
  }

  streamsOperation (operation, body, res) {
    const data = parseObject(body)
    if (data === null) return sendJson(res, 400, { __type: ERRORS.serialization, message: 'The request body is not a JSON object' })
    let answer
    try {
      switch (operation) {
        case 'ListStreams': answer = this.streams.list(data); break
        case 'DescribeStream': answer = this.streams.describe(data); break
        case 'GetShardIterator': answer = this.streams.shardIterator(data); break
        case 'GetRecords': answer = this.streams.records(data); break
        default: return sendJson(res, 400, { __type: ERRORS.unknownOperation })
      }
    }
    catch (err) {
      if (err instanceof ServiceError) return sendJson(res, 400, { __type: err.type, message: err.message })
      throw err
    }
    return sendJson(res, 200, answer)
  }
}

/** dynalite's request handler, called in this process with requests made here. */
class Dynalite {
  constructor (handler) {
    this.handle = handler
  }

  /** Sends a client's request (its headers, this body) to dynalite; resolves with dynalite's answer. */
  forward (req, body) {
    const answer = capturedResponse()
    this.handle(requestWithBody(req, body), answer.res)
    return answer.done
  }

  /** A request of this server's own: resolves with dynalite's { statusCode, data } (data: the answer's object, {} if none). */
  async call (operation, data) {
    const body = Buffer.from(JSON.stringify(data))
    const answer = await this.forward({ headers: internalHeaders(operation, body), method: 'POST', url: '/' }, body)
    return { statusCode: answer.statusCode, data: parseObject(answer.body) || {} }
  }

  /** A consistent GetItem: { item } (item undefined when absent), or null when dynalite refused it. */
  async getItem (table, key) {
    const answer = await this.call('GetItem', { TableName: table, Key: key, ConsistentRead: true })
    return answer.statusCode === 200 ? { item: answer.data.Item } : null
  }
}

/**
 * The key schemas of dynalite's tables (hash key first), read with DescribeTable when a table is
 * first written and kept until it is deleted: they name the items that writes lock.
 */
class Tables {
  constructor (dynalite) {
    this.dynalite = dynalite
    // Table name -> promise of its key schema.
    this.schemas = new Map()
  }

  /** Resolves with a table's key schema, or null if dynalite does not know the table. */
  schema (name) {
    const known = this.schemas.get(name)
    if (known !== undefined) return known
    const schema = this.dynalite.call('DescribeTable', { TableName: name }).then((answer) => {
      if (answer.statusCode === 200) return hashKeyFirst(answer.data.Table.KeySchema)
      // Only found tables are kept: an unknown one may be created later.
      if (this.schemas.get(name) === schema) this.schemas.delete(name)
      return null
    })
    this.schemas.set(name, schema)
    return schema
  }

  forget (name) {
    this.schemas.delete(name)
  }

  /**
   * The item of a table that attributes (a key, or a whole item) name: { table, key, lock }, key
   * being its key attributes alone and lock the name of its ItemLocks lock; null if a key
   * attribute is missing.
   */
  item (table, keySchema, attributes) {
    const key = keyOf(keySchema, attributes)
    return key === null ? null : { table, key, lock: `${table}\u0000${canonicalKey(keySchema, key)}` }
  }
}

/** The streams of this server and their records, in memory and in the journal; entries: what the journal held. */
class Streams {
  constructor (journal, entries) {
    this.journal = journal
    this.byArn = new Map()
    this.byTable = new Map()
    this.lastSequence = 0n
    for (const entry of entries) this.restore(entry)
    for (const stream of this.byArn.values()) stream.places.sort((a, b) => (a.sequence < b.sequence ? -1 : 1))
  }

  /** Replays a journal entry of the streams' (the others are TTL's). */
  restore (entry) {
    if (entry.opened !== undefined) {
      const { shardId, start, ...described } = entry.opened
      const stream = { ...described, status: 'ENABLED', shard: { id: shardId, start: BigInt(start), end: null }, places: [] }
      this.byArn.set(stream.arn, stream)
      this.byTable.set(stream.tableName, stream)
      this.lastSequence = bigger(this.lastSequence, stream.shard.start)
    }
    else if (entry.closed !== undefined) {
      const stream = this.byArn.get(entry.closed)
      stream.status = 'DISABLED'
      stream.shard.end = BigInt(entry.end)
      if (this.byTable.get(stream.tableName) === stream) this.byTable.delete(stream.tableName)
    }
    else if (entry.recorded !== undefined) {
      const sequence = BigInt(entry.sequence)
      const record = entry.record
      this.byArn.get(entry.recorded).places.push({ stream: this.byArn.get(entry.recorded), sequence, record,
        bytes: Buffer.byteLength(JSON.stringify(record)), settled: true })
      this.lastSequence = bigger(this.lastSequence, sequence)
    }
  }

  hasAny () {
    return this.byTable.size > 0
  }

  ofTable (tableName) {
    return this.byTable.get(tableName)
  }

  /** A stream for a table dynalite has just created (its TableDescription). */
  open (table, viewType) {
    const created = new Date()
    let label = created.toISOString().slice(0, -1)
    while (this.byArn.has(`${table.TableArn}/stream/${label}`)) {
      label = new Date(Date.parse(label + 'Z') + 1).toISOString().slice(0, -1)
    }
    const stream = {
      arn: `${table.TableArn}/stream/${label}`,
      label,
      tableName: table.TableName,
      region: table.TableArn.split(':')[3],
      keySchema: hashKeyFirst(table.KeySchema),
      viewType,
      status: 'ENABLED',
      createdAt: created.getTime() / 1000,
      shard: {
        id: `shardId-${String(created.getTime()).padStart(20, '0')}-${crypto.randomBytes(4).toString('hex')}`,
        start: this.nextSequence(),
        end: null,
      },
      // Records in sequence order, each in a place taken when its write was done (see reserve).
      places: [],
    }
    this.byArn.set(stream.arn, stream)
    this.byTable.set(stream.tableName, stream)
    const { status, shard, places, ...described } = stream
    this.journal.append({ opened: { ...described, shardId: shard.id, start: String(shard.start) } })
    return stream
  }

  /** The table is gone: its stream is disabled and its shard closed, its records still readable. */
  close (stream) {
    stream.status = 'DISABLED'
    const last = stream.places[stream.places.length - 1]
    stream.shard.end = last === undefined ? stream.shard.start : last.sequence
    this.byTable.delete(stream.tableName)
    this.journal.append({ closed: stream.arn, end: String(stream.shard.end) })
  }

  /**
   * Takes the next place in a table's stream for a write dynalite has just done; null if the
   * table has no stream. Readers stop before a place not yet filled, so none is skipped.
   */
  reserve (tableName) {
    const stream = this.byTable.get(tableName)
    if (stream === undefined) return null
    const place = { stream, sequence: this.nextSequence(), record: null, bytes: 0, settled: false }
    stream.places.push(place)
    return place
  }

  /**
   * Fills a place with the record of the item's change, or gives the place up if the item did
   * not change; before and after are getItem answers (null: the read failed), identity the
   * record's userIdentity (undefined: a client's write).
   */
  fill (place, key, before, after, identity) {
    if (place === null || place.settled) return
    const stream = place.stream
    const record = before === null || after === null ? null : this.recordOf(stream, key, before.item, after.item, place.sequence, identity)
    if (record === null) {
      if (before !== after && (before === null || after === null)) {
        process.stderr.write(`dynalite-streams: could not read ${stream.tableName} ${JSON.stringify(key)} ` +
          `${before === null ? 'before' : 'after'} a write; it gets no stream record\n`)
      }
      return this.giveUp(place)
    }
    const json = JSON.stringify(record)
    this.journal.append({ recorded: stream.arn, sequence: String(place.sequence), record })
    place.record = record
    place.bytes = Buffer.byteLength(json)
    place.settled = true
  }

  /** Removes a place that was not filled (nothing changed, or reading the item failed); settled ones stay. */
  giveUp (place) {
    if (place === null || place.settled) return
    place.settled = true
    const places = place.stream.places
    const at = firstAfter(places, place.sequence - 1n)
    if (places[at] === place) places.splice(at, 1)
  }

  /** The record of an item going from oldImage to newImage (undefined: absent), or null if nothing changed. */
  recordOf (stream, key, oldImage, newImage, sequence, identity) {
    if (oldImage === undefined && newImage === undefined) return null
    if (oldImage !== undefined && newImage !== undefined && canonical(oldImage) === canonical(newImage)) return null
    const view = stream.viewType
    // The key as stored (dynalite normalises numbers), not as the request spelled it.
    const keys = keyOf(stream.keySchema, newImage !== undefined ? newImage : oldImage) || key
    const dynamodb = { ApproximateCreationDateTime: Math.floor(Date.now() / 1000), Keys: keys }
    if (newImage !== undefined && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) dynamodb.NewImage = newImage
    if (oldImage !== undefined && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) dynamodb.OldImage = oldImage
    dynamodb.SequenceNumber = sequenceString(sequence)
    dynamodb.SizeBytes = itemSize(keys) + itemSize(dynamodb.NewImage || {}) + itemSize(dynamodb.OldImage || {})
    dynamodb.StreamViewType = view
    const record = {
      eventID: crypto.randomBytes(16).toString('hex'),
      eventName: oldImage === undefined ? 'INSERT' : newImage === undefined ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: stream.region,
      dynamodb,
    }
    if (identity !== undefined) record.userIdentity = identity
    return record
  }

  list (data) {
    const limit = limitOf(data, 100)
    let streams = [ ...this.byArn.values() ]
    if (data.TableName != null) streams = streams.filter((stream) => stream.tableName === data.TableName)
    if (data.ExclusiveStartStreamArn != null) {
      const at = streams.findIndex((stream) => stream.arn === data.ExclusiveStartStreamArn)
      if (at < 0) throw streamNotFound(data.ExclusiveStartStreamArn)
      streams = streams.slice(at + 1)
    }
    const page = streams.slice(0, limit)
    const answer = { Streams: page.map((stream) => ({ StreamArn: stream.arn, TableName: stream.tableName, StreamLabel: stream.label })) }
    if (streams.length > limit) answer.LastEvaluatedStreamArn = page[page.length - 1].arn
    return answer
  }

  describe (data) {
    const limit = limitOf(data, 100)
    const stream = this.stream(required(data, 'StreamArn'))
    const shards = data.ExclusiveStartShardId != null && data.ExclusiveStartShardId >= stream.shard.id ? [] : [ stream.shard ]
    return {
      StreamDescription: {
        StreamArn: stream.arn,
        StreamLabel: stream.label,
        StreamStatus: stream.status,
        StreamViewType: stream.viewType,
        CreationRequestDateTime: stream.createdAt,
        TableName: stream.tableName,
        KeySchema: stream.keySchema,
        Shards: shards.slice(0, limit).map((shard) => ({
          ShardId: shard.id,
          SequenceNumberRange: shard.end === null
            ? { StartingSequenceNumber: sequenceString(shard.start) }
            : { StartingSequenceNumber: sequenceString(shard.start), EndingSequenceNumber: sequenceString(shard.end) },
        })),
      },
    }
  }

  shardIterator (data) {
    const arn = required(data, 'StreamArn')
    const shardId = required(data, 'ShardId')
    const type = required(data, 'ShardIteratorType')
    if (!ITERATOR_TYPES.includes(type)) {
      throw new ServiceError(ERRORS.validation, validationError('shardIteratorType', type,
        `Member must satisfy enum value set: [${ITERATOR_TYPES.join(', ')}]`).message)
    }
    const stream = this.stream(arn)
    if (shardId !== stream.shard.id) throw new ServiceError(ERRORS.resourceNotFound, `Requested resource not found: Shard does not exist`)
    const shard = stream.shard
    const last = shard.end === null ? this.lastSequence : shard.end
    let after
    if (type === 'TRIM_HORIZON') after = shard.start - 1n
    else if (type === 'LATEST') after = last
    else {
      if (data.SequenceNumber == null) {
        throw new ServiceError(ERRORS.validation, `A SequenceNumber is required for ShardIteratorType ${type}`)
      }
      const sequence = parseSequence(data.SequenceNumber)
      if (sequence === null || sequence < shard.start || sequence > last) {
        throw new ServiceError(ERRORS.validation, `Invalid SequenceNumber ${JSON.stringify(data.SequenceNumber)} for shard ${shard.id}`)
      }
      after = type === 'AT_SEQUENCE_NUMBER' ? sequence - 1n : sequence
    }
    return { ShardIterator: iteratorString(stream, shard, after) }
  }

  records (data) {
    const limit = limitOf(data, MAX_RECORDS)
    const iterator = parseIterator(required(data, 'ShardIterator'))
    const stream = this.stream(iterator.streamArn)
    if (iterator.shardId !== stream.shard.id) throw new ServiceError(ERRORS.resourceNotFound, 'Invalid ShardId in ShardIterator')
    const places = stream.places
    const from = firstAfter(places, iterator.after)
    let to = from, bytes = 0
    // Up to the limit, 1 MB (at least one record) or the first place whose record is still being made.
    while (to < places.length && places[to].record !== null && to - from < limit &&
      (to === from || bytes + places[to].bytes <= MAX_PAGE_BYTES)) {
      bytes += places[to].bytes
      to++
    }
    const page = places.slice(from, to)
    const answer = { Records: page.map((place) => place.record) }
    const after = page.length === 0 ? iterator.after : page[page.length - 1].sequence
    // A closed shard read to its end has no next iterator; an open one always has.
    if (stream.shard.end === null || to < places.length) answer.NextShardIterator = iteratorString(stream, stream.shard, after)
    return answer
  }

  stream (arn) {
    const stream = this.byArn.get(arn)
    if (stream === undefined) throw streamNotFound(arn)
    return stream
  }

  nextSequence () {
    this.lastSequence += 1n
    return this.lastSequence
  }
}

/**
 * One writer at a time per item, so that the images taken around a write show only its own
 * change, and a transaction's items change only by its hand between its reads and its writes. A
 * request naming several items takes them in name order, so two such requests never wait for
 * each other in a cycle.
 */
class ItemLocks {
  constructor () {
    this.tails = new Map()
  }

  run (items, task) {
    const names = [ ...new Set(items) ].sort()
    const take = (i) => (i === names.length ? task() : this.one(names[i], () => take(i + 1)))
    return take(0)
  }

  one (name, task) {
    const result = (this.tails.get(name) || Promise.resolve()).then(task)
    const tail = result.then(() => {}, () => {})
    this.tails.set(name, tail)
    tail.then(() => {
      if (this.tails.get(name) === tail) this.tails.delete(name)
    })
    return result
  }
}

class ServiceError extends Error {
  constructor (type, message) {
    super(message)
    this.type = type
  }
}

function streamNotFound (arn) {
  return new ServiceError(ERRORS.resourceNotFound, `Requested resource not found: Stream: ${arn} not found`)
}

function validationError (member, value, constraint) {
  const shown = value === undefined ? 'null' : `'${value}'`
  const name = member.charAt(0).toLowerCase() + member.slice(1)
  return { __type: ERRORS.validation, message: `1 validation error detected: Value ${shown} at '${name}' failed to satisfy constraint: ${constraint}` }
}

function required (data, member) {
  const value = data[member]
  if (typeof value !== 'string' || value.length === 0) {
    throw new ServiceError(ERRORS.validation, validationError(member, value, 'Member must not be null').message)
  }
  return value
}

function limitOf (data, max) {
  if (data.Limit == null) return max
  if (!Number.isInteger(data.Limit) || data.Limit < 1 || data.Limit > max) {
    const constraint = Number.isInteger(data.Limit) && data.Limit > max
      ? `Member must have value less than or equal to ${max}`
      : 'Member must have value greater than or equal to 1'
    throw new ServiceError(ERRORS.validation, validationError('Limit', data.Limit, constraint).message)
  }
  return data.Limit
}

// An iterator is "<stream arn>|1|<base64url of {shard, after}>", after being the sequence number
// the next GetRecords starts behind. Opaque to clients, as AWS's are.
function iteratorString (stream, shard, after) {
  const position = Buffer.from(JSON.stringify({ shard: shard.id, after: after.toString() })).toString('base64url')
  return `${stream.arn}|1|${position}`
}

function parseIterator (text) {
  const parts = text.split('|')
  if (parts.length === 3 && parts[1] === '1') {
    try {
      const position = JSON.parse(Buffer.from(parts[2], 'base64url').toString())
      const after = /^\d{1,40}$/.test(position.after) ? BigInt(position.after) : null
      if (typeof position.shard === 'string' && after !== null) {
        return { streamArn: parts[0], shardId: position.shard, after }
      }
    }
    catch {
      // not one of ours: refused below
    }
  }
  throw new ServiceError(ERRORS.validation, 'Invalid ShardIterator')
}

function bigger (a, b) {
  return a > b ? a : b
}

function parseSequence (text) {
  return typeof text === 'string' && /^\d{1,40}$/.test(text) ? BigInt(text) : null
}

function sequenceString (sequence) {
  return sequence.toString().padStart(SEQUENCE_DIGITS, '0')
}

/** The index of the first place whose sequence number is above `after` (places are in order). */
function firstAfter (places, after) {
  let low = 0, high = places.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (places[middle].sequence <= after) low = middle + 1
    else high = middle
  }
  return low
}

function hashKeyFirst (keySchema) {
  return [ ...keySchema ].sort((a, b) => (a.KeyType === 'HASH' ? -1 : 0) - (b.KeyType === 'HASH' ? -1 : 0))
}

/** The key attributes of an item, hash key first; null if any is missing. */
function keyOf (keySchema, attributes) {
  if (!isObject(attributes)) return null
  const key = {}
  for (const element of keySchema) {
    if (!isObject(attributes[element.AttributeName])) return null
    key[element.AttributeName] = attributes[element.AttributeName]
  }
  return key
}

/** An item's key as one string, the same for every spelling of its numbers ("1", "1.0", "10e-1"). */
function canonicalKey (keySchema, key) {
  return JSON.stringify(keySchema.map(({ AttributeName: name }) => {
    const value = key[name]
    return typeof value.N === 'string' ? { N: canonicalNumber(value.N) } : value
  }))
}

function canonicalNumber (text) {
  const parts = /^\s*([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?\s*$/.exec(text)
  if (parts === null) return text
  const fraction = parts[3] || ''
  const significant = ((parts[2] || '') + fraction).replace(/^0+/, '')
  if (significant === '') return '0'
  const digits = significant.replace(/0+$/, '')
  const exponent = Number(parts[4] || 0) - fraction.length + (significant.length - digits.length)
  return `${parts[1] === '-' ? '-' : ''}${digits}e${exponent}`
}

/** Adds what DynamoDB reports of a table's stream to a TableDescription. */
function describeStreamOf (table, stream) {
  if (stream.status === 'ENABLED') table.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.viewType }
  table.LatestStreamArn = stream.arn
  table.LatestStreamLabel = stream.label
}

/** An item as a string independent of attribute and set member order, to tell whether it changed. */
function canonical (value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (isObject(value)) {
    return `{${Object.keys(value).sort().map((name) => {
      const member = value[name]
      const sorted = (name === 'SS' || name === 'NS' || name === 'BS') && Array.isArray(member) ? [ ...member ].sort() : member
      return `${JSON.stringify(name)}:${canonical(sorted)}`
    }).join(',')}}`
  }
  return JSON.stringify(value)
}

// DynamoDB's item size rules: attribute names and values, numbers at about two digits a byte,
// 3 bytes per list or map plus 1 per element.
function itemSize (item) {
  let size = 0
  for (const name of Object.keys(item)) size += Buffer.byteLength(name) + valueSize(item[name])
  return size
}

function valueSize (value) {
  if (value.S !== undefined) return Buffer.byteLength(value.S)
  if (value.N !== undefined) return numberSize(value.N)
  if (value.B !== undefined) return Buffer.from(value.B, 'base64').length
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0)
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0)
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0)
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + valueSize(element), 0)
  if (value.M !== undefined) return 3 + Object.keys(value.M).length + itemSize(value.M)
  return 0
}

function numberSize (text) {
  const digits = text.replace(/^[-+]/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '')
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1
}

function isObject (value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function parseObject (text) {
  try {
    const value = JSON.parse(text)
    return isObject(value) ? value : null
  }
  catch {
    return null
  }
}

/** The request's body, or null once it passes dynalite's cap. */
function readBody (req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let length = 0
    req.on('error', reject)
    req.on('data', (chunk) => {
      length += chunk.length
      if (length > MAX_REQUEST_BYTES) {
        req.removeAllListeners('data')
        req.removeAllListeners('end')
        return resolve(null)
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks, length)))
  })
}

/** dynalite's answer to a body over its cap. */
function tooLarge (res) {
  res.statusCode = 413
  res.setHeader('Transfer-Encoding', 'chunked')
  res.end()
}

/** A request for dynalite's handler: the original's method, URL and headers with this body. */
function requestWithBody (original, body) {
  const req = new EventEmitter()
  req.headers = original.headers
  req.method = original.method
  req.url = original.url
  process.nextTick(() => {
    if (body.length > 0) req.emit('data', body)
    req.emit('end')
  })
  return req
}

/** Headers of a request this server makes itself; dynalite checks that a signature is there, not what it says. */
function internalHeaders (operation, body) {
  const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '')
  return {
    'content-type': JSON_1_0,
    'content-length': String(body.length),
    'x-amz-target': DYNAMODB + operation,
    'x-amz-date': date,
    authorization: `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/us-east-1/dynamodb/aws4_request, ` +
      'SignedHeaders=host;x-amz-date;x-amz-target, Signature=0',
  }
}

/** A stand-in for http.ServerResponse that keeps what dynalite answers. */
function capturedResponse () {
  let resolve
  const done = new Promise((r) => { resolve = r })
  const res = {
    statusCode: 200,
    headers: {},
    headersSent: false,
    setHeader (name, value) { this.headers[name.toLowerCase()] = value },
    getHeader (name) { return this.headers[name.toLowerCase()] },
    removeHeader (name) { delete this.headers[name.toLowerCase()] },
    end (body) {
      this.headersSent = true
      resolve({ statusCode: this.statusCode, headers: this.headers, body: body == null ? '' : String(body) })
    },
  }
  return { res, done }
}

/** Sends dynalite's answer on, with a new body (and so a new length and checksum) if one is given. */
function sendCaptured (res, answer, newBody) {
  const body = newBody === undefined ? answer.body : JSON.stringify(newBody)
  res.statusCode = answer.statusCode
  for (const [ name, value ] of Object.entries(answer.headers)) res.setHeader(name, value)
  if (newBody !== undefined) {
    res.setHeader('content-length', Buffer.byteLength(body))
    res.setHeader('x-amz-crc32', crc32(Buffer.from(body)))
  }
  res.end(body)
}

function sendJson (res, statusCode, payload) {
  const body = Buffer.from(JSON.stringify(payload))
  res.statusCode = statusCode
  res.setHeader('x-amzn-RequestId', crypto.randomUUID())
  res.setHeader('x-amz-crc32', crc32(body))
  res.setHeader('Content-Type', JSON_1_0)
  res.setHeader('Content-Length', body.length)
  res.end(body)
}

// The checksum DynamoDB sends in x-amz-crc32 and the SDK checks (CRC-32, as in zlib).
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1
  return c
})

function crc32 (bytes) {
  let c = -1
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ -1) >>> 0
}
