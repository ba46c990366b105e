// DynamoDB's TransactWriteItems for dynalite, which has no transactions. The front in
// dynalite-streams.js hands each request to Transactions.write and sends back its answer, so the
// SDK's TransactWriteItems (and TransactionCanceledException.cancellationReasons()) work against
// the same endpoint as every other call. Node built-ins only.
//
// How it works. A transaction
// 1. is checked as DynamoDB checks it before it touches an item: 1 to 100 items, each with exactly
//    one of Put, Update, Delete and ConditionCheck and the members that action needs, every table
//    known (else ResourceNotFoundException), no two items on one item of a table (keys compared as
//    DynamoDB compares them, so the numbers "1" and "1.0" are one key);
// 2. is cancelled at once if another transaction is in flight on one of its items, as DynamoDB
//    cancels it: TransactionCanceledException with the reason TransactionConflict for each such
//    item and None for the others. DynamoDB's transactions take no locks that others wait on; a
//    writer that meets one is refused and retries. Likewise a PutItem, UpdateItem or DeleteItem
//    on an item of a transaction in flight is refused with TransactionConflictException (the
//    front asks conflictWith before it writes). Otherwise the transaction is in flight on its
//    items from here until it answers, and takes the front's lock on each of them (ItemLocks, in
//    name order, so that two requests never wait for each other in a cycle). Every plain write
//    (PutItem, UpdateItem, DeleteItem, BatchWriteItem, on any table) takes the same locks, so
//    nothing is written to the items between the reads and the writes below: the transaction is
//    atomic and isolated from other writes and other transactions;
// 3. evaluates each item's action without touching its table, and without an expression
//    evaluator of its own: the item is read (consistently) and copied into a shadow table, a
//    hidden table with the same keys and indexes made on first use, and the action itself,
//    condition, names and values as the client sent them, goes to dynalite against the shadow.
//    So dynalite decides, with the same code as for its own PutItem, UpdateItem and DeleteItem,
//    whether the condition holds and what the update expression makes of the item (SET, REMOVE,
//    ADD, DELETE, functions, and its errors alike), and the shadow then holds the item as the
//    transaction leaves it. A ConditionCheck goes as a write that changes nothing, with the check
//    as its condition: a put of the item as it is, or a delete when there is none;
// 4. writes only if every action was accepted and every condition held. An action dynalite
//    refused (an invalid expression, a wrong type) is the answer to the whole request, as
//    dynalite phrased it; a failed condition cancels the transaction: TransactionCanceledException
//    with one reason per item in request order, and the item as it was with ConditionalCheckFailed
//    when ReturnValuesOnConditionCheckFailure is ALL_OLD. Otherwise each changed item is written
//    to its table whole (a put of its new image, or a delete), in request order, and a table with
//    a stream gets one record per changed item, through the front's Streams like any write.
//
// ClientRequestToken: a committed transaction's token is kept for 10 minutes, as on DynamoDB. The
// same request with it again answers success and writes nothing; other parameters with it get
// IdempotentParameterMismatchException; while the first is still running, a second gets
// TransactionInProgressException. The AWS SDKs send a token of their own with every call, so a
// retry of a transaction whose answer was lost is not applied twice. A cancelled or refused
// transaction keeps no token: it wrote nothing, so running it again is harmless.
//
// Limits, on purpose (a test server, not a copy of the service):
// - TransactWriteItems only: no TransactGetItems, no PartiQL (ExecuteTransaction);
// - reads take no locks: a GetItem, Query or Scan during step 4 may see some of a transaction's
//   items written and others not yet (never anything of a cancelled one), where DynamoDB
//   isolates GetItem from transactions;
// - a transaction that meets a plain write in progress on one of its items waits for it (dynalite
//   answers a write in a millisecond or so), and so does a BatchWriteItem that meets a
//   transaction: only transaction against transaction and PutItem, UpdateItem or DeleteItem
//   against a transaction conflict, the cases DynamoDB's guide names ("Transaction conflict
//   handling");
// - every refusal of an action is a ValidationException for the request, also where DynamoDB
//   cancels with the reason ValidationError instead (an error that depends on the stored item,
//   such as ADD to a string); a Put whose key has the wrong type is refused in GetItem's words
//   ("The provided key element does not match the schema"); a table name that is not valid is
//   not found (ResourceNotFoundException) rather than a ValidationException;
// - no ConsumedCapacity or ItemCollectionMetrics in the answer; the 4 MB limit on a
//   transaction's items is not checked (each item's 400 KB is, by dynalite); the request is not
//   checked for a signature (dynalite's own operations check that there is one);
// - a shadow lives until its table is deleted and keeps the indexes its table had when it was
//   made (an index added later with UpdateTable is not checked); tables whose names start with
//   "__txn_shadow_" are taken for shadows and left out of ListTables.
'use strict'

const { setTimeout: sleep } = require('node:timers/promises')

const SHADOW_PREFIX = '__txn_shadow_'
const MAX_TABLE_NAME = 255
const MAX_ITEMS = 100
const ACTIONS = [ 'ConditionCheck', 'Put', 'Delete', 'Update' ]
// The members DynamoDB requires of each action; the others are optional.
const REQUIRED = {
  ConditionCheck: [ 'Key', 'TableName', 'ConditionExpression' ],
  Put: [ 'Item', 'TableName' ],
  Delete: [ 'Key', 'TableName' ],
  Update: [ 'Key', 'UpdateExpression', 'TableName' ],
}
const RETURN_VALUES_ON_FAILURE = [ 'ALL_OLD', 'NONE' ]
const TOKEN_LIFETIME_MS = 10 * 60 * 1000
const SHADOW_ACTIVE_TIMEOUT_MS = 5000
// DynamoDB's words for an item another transaction holds.
const ONGOING = 'Transaction is ongoing for the item'

const ERRORS = {
  conditionalCheckFailed: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
  idempotentParameterMismatch: 'com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException',
  resourceNotFound: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
  serialization: 'com.amazon.coral.service#SerializationException',
  transactionCanceled: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
  transactionConflict: 'com.amazonaws.dynamodb.v20120810#TransactionConflictException',
  transactionInProgress: 'com.amazonaws.dynamodb.v20120810#TransactionInProgressException',
  validation: 'com.amazon.coral.validate#ValidationException',
}

/** The transactions of one server (see the header); it uses the front's dynalite, tables, locks and streams. */
class Transactions {
  constructor (dynalite, tables, locks, streams) {
    this.dynalite = dynalite
    this.tables = tables
    this.locks = locks
    this.streams = streams
    // Table name -> promise of its shadow's name.
    this.shadows = new Map()
    this.shadowsMade = 0
    // ClientRequestToken -> { fingerprint, expiresAt }, expiresAt null while the transaction runs.
    // A token moves to the end when its transaction commits, so the map is in order of expiry
    // (running ones aside, which soon commit or go) and expired tokens are swept from its front.
    this.tokens = new Map()
    // The lock names of the items of every transaction in flight (step 2). Node runs one callback
    // at a time, so checking and claiming them without an await between is atomic.
    this.inFlight = new Set()
  }

  hasShadows () {
    return this.shadowsMade > 0
  }

  /** Answers a TransactWriteItems request: resolves with { statusCode, payload }. */
  async write (data) {
    try {
      const items = await this.itemsOf(data)
      return await this.once(data, async () => {
        const held = items.map((item) => this.inFlight.has(item.lock))
        if (held.includes(true)) return conflictCancellation(held)
        items.forEach((item) => this.inFlight.add(item.lock))
        try {
          const shadows = await Promise.all(items.map((item) => this.shadowOf(item.table)))
          return await this.locks.run(items.map((item) => item.lock), () => this.run(items, shadows))
        }
        finally {
          items.forEach((item) => this.inFlight.delete(item.lock))
        }
      })
    }
    catch (err) {
      if (err instanceof Refusal) return { statusCode: err.statusCode, payload: err.payload }
      throw err
    }
  }

  /**
   * The refusal of a PutItem, UpdateItem or DeleteItem on items (lock names) of which one is in a
   * transaction in flight: { statusCode, payload } of TransactionConflictException; null when none is.
   */
  conflictWith (locks) {
    if (!locks.some((lock) => this.inFlight.has(lock))) return null
    return { statusCode: 400, payload: error(ERRORS.transactionConflict, ONGOING) }
  }

  /** The table was deleted: its shadow goes too, and a table made again under its name gets a new one. */
  forget (table) {
    const shadow = this.shadows.get(table)
    if (shadow === undefined) return
    this.shadows.delete(table)
    // A shadow that was never made needs no deleting.
    shadow.then((name) => this.dynalite.call('DeleteTable', { TableName: name })).catch(() => {})
  }

  /** The request's items, checked as DynamoDB checks them before touching any (step 1). */
  async itemsOf (data) {
    const list = data.TransactItems
    if (list != null && !Array.isArray(list)) {
      const message = typeof list === 'object' ? 'Start of structure or map found where not expected' : 'Unexpected field type'
      throw new Refusal(error(ERRORS.serialization, message))
    }
    if (list == null || list.length < 1 || list.length > MAX_ITEMS) {
      const constraint = list == null ? 'Member must not be null'
        : list.length < 1 ? 'Member must have length greater than or equal to 1'
          : `Member must have length less than or equal to ${MAX_ITEMS}`
      throw new Refusal(validationErrors([ constraintError('transactItems', list, constraint) ]))
    }
    const problems = []
    const actions = list.map((entry, i) => actionOf(entry, i, problems))
    if (problems.length > 0) throw new Refusal(validationErrors(problems))

    const schemas = await Promise.all(actions.map((action) => this.tables.schema(action.request.TableName)))
    if (schemas.includes(null)) throw new Refusal(error(ERRORS.resourceNotFound, 'Requested resource not found'))
    const items = actions.map((action, i) =>
      itemOf(action, this.tables.item(action.request.TableName, schemas[i], action.keyAttributes), schemas[i]))
    if (new Set(items.map((item) => item.lock)).size < items.length) {
      throw new Refusal(error(ERRORS.validation, 'Transaction request cannot include multiple operations on one item'))
    }
    return items
  }

  /** Runs a transaction at most once per ClientRequestToken (see the header). */
  async once (data, transaction) {
    const { ClientRequestToken: token, ...parameters } = data
    if (token == null) return transaction()
    this.forgetExpiredTokens()
    const fingerprint = JSON.stringify(parameters)
    const known = this.tokens.get(token)
    if (known !== undefined) {
      if (known.fingerprint !== fingerprint) {
        throw new Refusal(error(ERRORS.idempotentParameterMismatch,
          'The request uses the same client request token as a previous one, but is not the same request'))
      }
      if (known.expiresAt === null) {
        throw new Refusal(error(ERRORS.transactionInProgress,
          'The transaction with this client request token is already in progress'))
      }
      return { statusCode: 200, payload: {} }
    }
    const entry = { fingerprint, expiresAt: null }
    this.tokens.set(token, entry)
    let committed = false
    try {
      const answer = await transaction()
      committed = answer.statusCode === 200
      return answer
    }
    finally {
      this.tokens.delete(token)
      if (committed) {
        entry.expiresAt = Date.now() + TOKEN_LIFETIME_MS
        this.tokens.set(token, entry)
      }
    }
  }

  forgetExpiredTokens () {
    const now = Date.now()
    for (const [ token, entry ] of this.tokens) {
      if (entry.expiresAt === null || entry.expiresAt > now) return
      this.tokens.delete(token)
    }
  }

  /** Steps 3 and 4, under the items' locks; shadows[i] is the shadow of items[i]'s table. */
  async run (items, shadows) {
    const outcomes = await Promise.all(items.map((item, i) => this.evaluate(item, shadows[i])))
    const failed = outcomes.map(({ answer }) => answer.statusCode === 400 && answer.data.__type === ERRORS.conditionalCheckFailed)
    const refused = outcomes.find(({ answer }, i) => answer.statusCode !== 200 && !failed[i])
    if (refused !== undefined) throw new Refusal(refused.answer.data, refused.answer.statusCode)
    if (failed.includes(true)) return cancellation(items, outcomes, failed)
    for (const [ i, item ] of items.entries()) await this.apply(item, outcomes[i])
    return { statusCode: 200, payload: {} }
  }

  /**
   * Step 3 for one item: resolves with { answer, before, after }, the item as it is and as the
   * action leaves it (undefined: absent); answer is dynalite's answer to the action, or to the
   * first request on the way that it refused.
   */
  async evaluate (item, shadow) {
    const read = await this.dynalite.call('GetItem', { TableName: item.table, Key: item.readKey, ConsistentRead: true })
    if (read.statusCode !== 200) return { answer: read }
    const before = read.data.Item
    const copied = before === undefined
      ? await this.dynalite.call('DeleteItem', { TableName: shadow, Key: item.key })
      : await this.dynalite.call('PutItem', { TableName: shadow, Item: before })
    if (copied.statusCode !== 200) return { answer: copied }
    const answer = await this.dynalite.call(...actionOnShadow(item, shadow, before))
    if (answer.statusCode !== 200) return { answer, before }
    if (item.kind === 'ConditionCheck') return { answer, before, after: before }
    if (item.kind === 'Delete') return { answer, before, after: undefined }
    // The item as dynalite stored it (numbers normalised, expressions applied).
    const after = await this.dynalite.call('GetItem', { TableName: shadow, Key: item.key, ConsistentRead: true })
    return { answer: after, before, after: after.data.Item }
  }

  /** Writes an item's new image to its table (step 4), with a stream record if the table has a stream and the item changed. */
  async apply (item, { before, after }) {
    if (item.kind === 'ConditionCheck' || (before === undefined && after === undefined)) return
    const answer = after === undefined
      ? await this.dynalite.call('DeleteItem', { TableName: item.table, Key: item.key })
      : await this.dynalite.call('PutItem', { TableName: item.table, Item: after })
    // The shadow took the same write, so only a table deleted meanwhile refuses it.
    if (answer.statusCode !== 200) {
      throw new Error(`writing ${item.table} ${JSON.stringify(item.key)} failed after the transaction's earlier items ` +
        `were written: ${JSON.stringify(answer.data)}`)
    }
    const place = this.streams.reserve(item.table)
    this.streams.fill(place, item.key, { item: before }, { item: after })
  }

  /** The name of the table's shadow, made on first use. */
  shadowOf (table) {
    let shadow = this.shadows.get(table)
    if (shadow === undefined) {
      shadow = this.makeShadow(table)
      this.shadows.set(table, shadow)
      // One that could not be made is tried again by the next transaction.
      shadow.catch(() => {
        if (this.shadows.get(table) === shadow) this.shadows.delete(table)
      })
    }
    return shadow
  }

  async makeShadow (table) {
    const described = await this.dynalite.call('DescribeTable', { TableName: table })
    if (described.statusCode !== 200) throw new Refusal(described.data, described.statusCode)
    const { AttributeDefinitions, KeySchema, LocalSecondaryIndexes, GlobalSecondaryIndexes } = described.data.Table
    // A number of its own, so that a table deleted and made again (perhaps with other keys)
    // never meets its predecessor's shadow, even while that is being deleted.
    this.shadowsMade += 1
    const name = `${SHADOW_PREFIX}${this.shadowsMade}_${table}`.slice(0, MAX_TABLE_NAME)
    // The same indexes, so that the shadow refuses what the table would (a wrong type for an index key).
    const created = await this.dynalite.call('CreateTable', {
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions,
      KeySchema,
      LocalSecondaryIndexes: indexDefinitions(LocalSecondaryIndexes),
      GlobalSecondaryIndexes: indexDefinitions(GlobalSecondaryIndexes),
    })
    if (created.statusCode !== 200) throw new Error(`could not create ${name}: ${JSON.stringify(created.data)}`)
    // dynalite makes a table ACTIVE on a timer, even at createTableMs 0.
    const deadline = Date.now() + SHADOW_ACTIVE_TIMEOUT_MS
    for (;;) {
      const status = await this.dynalite.call('DescribeTable', { TableName: name })
      if (status.statusCode === 200 && status.data.Table.TableStatus === 'ACTIVE') return name
      if (Date.now() > deadline) throw new Error(`${name} is not ACTIVE after ${SHADOW_ACTIVE_TIMEOUT_MS} ms`)
      await sleep(1)
    }
  }
}

module.exports = { Transactions, isShadow }

/** An answer other than success: payload in DynamoDB's error shape, sent as is. */
class Refusal extends Error {
  constructor (payload, statusCode = 400) {
    super(payload.message || payload.Message)
    this.payload = payload
    this.statusCode = statusCode
  }
}

function isShadow (tableName) {
  return typeof tableName === 'string' && tableName.startsWith(SHADOW_PREFIX)
}

/**
 * The action of the request's entry at index i: { kind, request, keyAttributes, returnOld }; the
 * members it lacks or spells wrong go to problems, in DynamoDB's words.
 */
function actionOf (entry, i, problems) {
  const kinds = isObject(entry) ? ACTIONS.filter((kind) => entry[kind] != null) : []
  if (kinds.length !== 1) {
    throw new Refusal(error(ERRORS.validation, 'TransactItems can only contain one of Check, Put, Update or Delete'))
  }
  const [ kind ] = kinds
  const request = entry[kind]
  if (!isObject(request)) throw new Refusal(error(ERRORS.serialization, 'Unexpected field type'))
  const path = `transactItems.${i + 1}.member.${lowerFirst(kind)}`
  for (const member of REQUIRED[kind]) {
    if (request[member] == null) problems.push(constraintError(`${path}.${lowerFirst(member)}`, null, 'Member must not be null'))
  }
  const returnValues = request.ReturnValuesOnConditionCheckFailure
  if (returnValues != null && !RETURN_VALUES_ON_FAILURE.includes(returnValues)) {
    problems.push(constraintError(`${path}.returnValuesOnConditionCheckFailure`, returnValues,
      `Member must satisfy enum value set: [${RETURN_VALUES_ON_FAILURE.join(', ')}]`))
  }
  return { kind, request, keyAttributes: kind === 'Put' ? request.Item : request.Key, returnOld: returnValues === 'ALL_OLD' }
}

/**
 * An action with its item: table, key (the key attributes alone), lock, and readKey, the key to
 * read it by (for a Key, the client's own, so that a key that does not match the schema is
 * refused as GetItem refuses it). located is the Tables item of the action's key attributes.
 */
function itemOf (action, located, keySchema) {
  if (located === null) {
    const missing = keySchema.find(({ AttributeName: name }) => !isObject(action.keyAttributes[name]))
    throw new Refusal(error(ERRORS.validation, action.kind === 'Put'
      ? `One or more parameter values were invalid: Missing the key ${missing.AttributeName} in the item`
      : 'The provided key element does not match the schema'))
  }
  return { ...action, ...located, readKey: action.kind === 'Put' ? located.key : action.request.Key }
}

/** The dynalite request ([operation, data]) that does the item's action on its shadow. */
function actionOnShadow (item, shadow, before) {
  const { ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues } = item.request
  const common = { TableName: shadow, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues }
  switch (item.kind) {
    case 'Put': return [ 'PutItem', { ...common, Item: item.request.Item } ]
    case 'Update': return [ 'UpdateItem', { ...common, Key: item.request.Key, UpdateExpression: item.request.UpdateExpression } ]
    case 'Delete': return [ 'DeleteItem', { ...common, Key: item.request.Key } ]
    // A write that changes nothing, so that dynalite evaluates the check as a condition.
    default: return before === undefined
      ? [ 'DeleteItem', { ...common, Key: item.request.Key } ]
      : [ 'PutItem', { ...common, Item: before } ]
  }
}

/** The answer to a transaction whose conditions did not all hold (failed[i]: items[i]'s did not). */
function cancellation (items, outcomes, failed) {
  return cancelled(items.map((item, i) => {
    if (!failed[i]) return { Code: 'None' }
    const reason = { Code: 'ConditionalCheckFailed', Message: outcomes[i].answer.data.message }
    if (item.returnOld && outcomes[i].before !== undefined) reason.Item = outcomes[i].before
    return reason
  }))
}

/** The answer to a transaction met by another in flight on some of its items (held[i]: on items[i]). */
function conflictCancellation (held) {
  return cancelled(held.map((isHeld) => (isHeld ? { Code: 'TransactionConflict', Message: ONGOING } : { Code: 'None' })))
}

/** TransactionCanceledException with one reason per item, in request order. */
function cancelled (reasons) {
  const codes = reasons.map((reason) => reason.Code).join(', ')
  return {
    statusCode: 400,
    // "Message", not "message": DynamoDB spells this one so (the SDKs read either).
    payload: {
      __type: ERRORS.transactionCanceled,
      CancellationReasons: reasons,
      Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    },
  }
}

/** A table's index definitions as CreateTable takes them, from DescribeTable's. */
function indexDefinitions (indexes) {
  if (indexes === undefined) return undefined
  return indexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }))
}

function error (type, message) {
  return { __type: type, message }
}

function validationErrors (problems) {
  const count = `${problems.length} validation error${problems.length > 1 ? 's' : ''}`
  return error(ERRORS.validation, `${count} detected: ${problems.join('; ')}`)
}

// A constraint's failure as DynamoDB (and dynalite) words it, the value shown as dynalite shows it.
function constraintError (path, value, constraint) {
  return `Value ${value == null ? 'null' : `'${shown(value)}'`} at '${path}' failed to satisfy constraint: ${constraint}`
}

function shown (value) {
  if (Array.isArray(value)) return `[${value.map(shown).join(', ')}]`
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)
}

function lowerFirst (name) {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

function isObject (value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
