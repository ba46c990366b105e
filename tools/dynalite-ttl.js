// DynamoDB's Time to Live for dynalite, which has none: it answers DescribeTimeToLive with
// DISABLED for every table and does not know UpdateTimeToLive. The front in dynalite-streams.js
// hands both requests to TimeToLive and lets its sweeper delete what has expired. Node built-ins
// only.
//
// - UpdateTimeToLive enables or disables TTL on a table, with the attribute its
//   TimeToLiveSpecification names, and answers with that specification, as DynamoDB does;
//   DescribeTimeToLive then answers ENABLED and the attribute's name (DISABLED, dynalite's own
//   answer, for the other tables). The table name is checked by dynalite (a DescribeTimeToLive of
//   its own, so a missing table is its ResourceNotFoundException); a specification without its
//   AttributeName (1 to 255 characters) or Enabled (a boolean), or one that enables TTL where it
//   is enabled or disables it where it is not, is a ValidationException.
// - The sweeper reads the tables with TTL in turn, one page of PAGE_ITEMS items every sweep
//   interval, for items whose TTL attribute is a Number of epoch seconds before now, and deletes
//   each under the front's lock on it, on condition that it is still expired (a write may have
//   moved it on since the page was read). On a table with a stream each such deletion is a
//   REMOVE record with userIdentity {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"},
//   the mark DynamoDB puts on the deletions of its TTL. Those are the Streams API's member names,
//   which the SDKs read (Lambda hands its functions the record with "type" and "principalId").
//
// Limits, on purpose (a test server, not a copy of the service):
// - an expired item goes once the sweeper reaches it: after about (items of the tables with TTL)
//   / PAGE_ITEMS sweep intervals at most, where DynamoDB "typically deletes expired items within
//   two days"; until then reads still show it, as on DynamoDB. The pages bound the sweeper's share
//   of the server, which is one process: a whole table read at once would stall every client;
// - a table's TTL is kept in the streams' journal when there is one (dynalite-streams.js);
// - a change of TTL takes effect at once: no ENABLING or DISABLING, and no hour to wait before the
//   next change (DynamoDB refuses one within the hour); a table's TTL is forgotten with the table.
'use strict'

const PAGE_ITEMS = 100
const MAX_ATTRIBUTE_NAME = 255
const TTL_SERVICE = Object.freeze({ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' })
const VALIDATION = 'com.amazon.coral.validate#ValidationException'

/** The TTL of one server's tables (see the header); it uses the front's dynalite, tables, locks and streams. */
class TimeToLive {
  constructor (dynalite, tables, locks, streams) {
    this.dynalite = dynalite
    this.tables = tables
    this.locks = locks
    this.streams = streams
    // Table name -> the name of its TTL attribute, for the tables with TTL enabled.
    this.attributes = new Map()
    // Where the sweeper goes on: a table and the key its next page starts after (undefined: the start).
    this.position = { table: undefined, after: undefined }
  }

  /** Answers an UpdateTimeToLive request: resolves with { statusCode, payload }. */
  async update (data) {
    const table = await this.dynalite.call('DescribeTimeToLive', { TableName: data.TableName })
    if (table.statusCode !== 200) return { statusCode: table.statusCode, payload: table.data }
    const spec = data.TimeToLiveSpecification
    const problem = problemOf(spec)
    if (problem !== null) return refused(`1 validation error detected: ${problem}`)
    const enabled = this.attributes.has(data.TableName)
    if (spec.Enabled === enabled) return refused(`TimeToLive is already ${enabled ? 'enabled' : 'disabled'}`)
    if (spec.Enabled) this.attributes.set(data.TableName, spec.AttributeName)
    else this.attributes.delete(data.TableName)
    this.streams.journal.append({ ttl: data.TableName, attribute: spec.Enabled ? spec.AttributeName : null })
    return { statusCode: 200, payload: { TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled } } }
  }

  /** DescribeTimeToLive's answer for a table with TTL enabled; undefined for the others, which dynalite answers. */
  description (tableName) {
    const attribute = this.attributes.get(tableName)
    return attribute === undefined ? undefined : { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: attribute } }
  }

  /** The table was deleted; one made again under its name starts without TTL, as on DynamoDB. */
  forget (tableName) {
    if (this.attributes.delete(tableName)) this.streams.journal.append({ ttl: tableName, attribute: null })
  }

  /** Takes back the TTL settings a server on the same journal had (its "ttl" entries; see dynalite-streams.js). */
  restore (entries) {
    for (const entry of entries) {
      if (entry.ttl === undefined) continue
      if (entry.attribute === null) this.attributes.delete(entry.ttl)
      else this.attributes.set(entry.ttl, entry.attribute)
    }
  }

  /** Sweeps a page every intervalMs, each after the last has finished; the timer keeps no process alive. */
  sweepEvery (intervalMs) {
    const next = () => setTimeout(() => this.sweep().catch((err) => {
      process.stderr.write(`dynalite-ttl: a sweep failed: ${(err && err.stack) || err}\n`)
    }).finally(next), intervalMs).unref()
    next()
  }

  /** Reads the next page of the tables with TTL and deletes the expired items on it. */
  async sweep () {
    const tables = [ ...this.attributes.keys() ]
    if (tables.length === 0) return
    const { table, after } = this.attributes.has(this.position.table) ? this.position : { table: tables[0], after: undefined }
    const expired = expiredBefore(this.attributes.get(table), Date.now())
    const page = await this.dynalite.call('Scan', { TableName: table, Limit: PAGE_ITEMS, ExclusiveStartKey: after, ...expired })
    const following = page.data.LastEvaluatedKey
    this.position = following !== undefined ? { table, after: following }
      : { table: tables[(tables.indexOf(table) + 1) % tables.length], after: undefined }
    // A table deleted since the page was asked for is forgotten by now.
    if (page.statusCode !== 200) {
      if (this.attributes.has(table)) throw new Error(`scanning ${table}: ${JSON.stringify(page.data)}`)
      return
    }
    const schema = await this.tables.schema(table)
    for (const found of schema === null ? [] : page.data.Items) await this.expire(this.tables.item(table, schema, found), expired)
  }

  /** Deletes an item under its lock if it is still expired; a table with a stream records it as TTL's deletion. */
  expire (item, expired) {
    return this.locks.run([ item.lock ], async () => {
      const deleted = await this.dynalite.call('DeleteItem', {
        TableName: item.table,
        Key: item.key,
        ConditionExpression: expired.FilterExpression,
        ExpressionAttributeNames: expired.ExpressionAttributeNames,
        ExpressionAttributeValues: expired.ExpressionAttributeValues,
        ReturnValues: 'ALL_OLD',
      })
      if (deleted.statusCode !== 200) return
      this.streams.fill(this.streams.reserve(item.table), item.key, { item: deleted.data.Attributes }, { item: undefined }, TTL_SERVICE)
    })
  }
}

module.exports = { TimeToLive }

/** The condition (as a Scan's filter) of an item whose TTL attribute is a Number of epoch seconds before nowMs. */
function expiredBefore (attribute, nowMs) {
  return {
    FilterExpression: '#ttl < :now',
    ExpressionAttributeNames: { '#ttl': attribute },
    ExpressionAttributeValues: { ':now': { N: String(nowMs / 1000) } },
  }
}

/** What is wrong with a TimeToLiveSpecification, in DynamoDB's words; null if nothing. */
function problemOf (spec) {
  if (spec === null || typeof spec !== 'object') return constraint('timeToLiveSpecification', spec, 'Member must not be null')
  const name = spec.AttributeName
  if (typeof name !== 'string') return constraint('timeToLiveSpecification.attributeName', name, 'Member must not be null')
  if (name.length < 1) return constraint('timeToLiveSpecification.attributeName', name, 'Member must have length greater than or equal to 1')
  if (name.length > MAX_ATTRIBUTE_NAME) {
    return constraint('timeToLiveSpecification.attributeName', name, `Member must have length less than or equal to ${MAX_ATTRIBUTE_NAME}`)
  }
  if (typeof spec.Enabled !== 'boolean') return constraint('timeToLiveSpecification.enabled', spec.Enabled, 'Member must not be null')
  return null
}

function constraint (path, value, rule) {
  return `Value ${value == null ? 'null' : `'${value}'`} at '${path}' failed to satisfy constraint: ${rule}`
}

function refused (message) {
  return { statusCode: 400, payload: { __type: VALIDATION, message } }
}
