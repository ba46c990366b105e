#!/usr/bin/env node
// Starts s3rver (an open-source S3-compatible server, npm "s3rver", MIT) on 127.0.0.1 for tests
// and the local pipeline: the store of claim-checked payloads (docs/decisions/claim-checks.md).
// Usage: node tools/s3rver-server.js [port] (0 = any free port, the default). Objects live in
// S3RVER_DATA_DIR when it names a folder (s3rver's own file store, which keeps them across
// restarts); unset, in a temporary folder removed when the server stops. S3RVER_BUCKETS names
// the buckets to create at start (comma-separated; an existing one is kept as it is).
// S3RVER_ACCESS_KEY_ID and S3RVER_SECRET_ACCESS_KEY name a key pair it accepts besides its own
// (S3RVER/S3RVER), so that clients with the dummy credentials of the other emulators sign for it.
//
// Why not s3rver's own CLI: it cannot be told to stop with its parent, and it prints no port line.
// This script speaks serve-child.js's protocol: one line "S3RVER_PORT=<n>" once it listens; it
// exits on SIGTERM, on SIGINT and when its stdin closes.
'use strict'

const fs = require('node:fs')
const http = require('node:http')
const os = require('node:os')
const path = require('node:path')

const child = require('./serve-child')('s3rver')

const port = child.parsePort(process.argv[2])
const S3rver = child.requireInstalled('s3rver')

const dataDir = child.dataDirectory('S3RVER_DATA_DIR')
const directory = dataDir || fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'))
if (dataDir === null) {
  process.on('exit', () => fs.rmSync(directory, { recursive: true, force: true }))
}
const accessKeyId = process.env.S3RVER_ACCESS_KEY_ID
if (accessKeyId) {
  child.requireInstalled('s3rver/lib/models/account').DUMMY_ACCOUNT.createKeyPair(accessKeyId, process.env.S3RVER_SECRET_ACCESS_KEY || '')
}
const buckets = (process.env.S3RVER_BUCKETS || '').split(',').filter(name => name !== '')

const s3rver = new S3rver({ directory, silent: true, configureBuckets: buckets.map(name => ({ name, configs: [] })) })
const server = http.createServer(s3rver.callback())

child.serve(server, port, { ready: s3rver.configureBuckets(), persistent: dataDir !== null })
