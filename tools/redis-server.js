#!/usr/bin/env node
// Runs a redis-server as a child of the local pipeline that ends with it, however the pipeline
// ends. Usage: REDIS_SERVER_BINARY=/path/to/redis-server node tools/redis-server.js [port]
// (0, the default, = any free port).
//
// redis-server has no way to notice that its parent died: after a kill -9 of the JVM it kept
// running with parent 1, holding its port. This launcher stands between the two and speaks
// serve-child.js's protocol: it prints "REDIS_PORT=<n>" once Redis answers PING, and when its
// stdin closes (the JVM died), on SIGTERM and on SIGINT it kills redis-server and exits. Redis
// runs in memory only (no RDB, no AOF) with its working directory in REDIS_SERVER_TEMP_DIR when
// that is set, and that folder, which holds the copy of the binary the JVM extracted, is removed
// whenever this launcher exits. If redis-server exits by itself, so does the launcher (code 1, its
// last log lines on stderr): restarting is the JVM's job (LocalPipeline's supervision).
'use strict'

const fs = require('node:fs')
const net = require('node:net')
const child = require('./serve-child')('redis')

const READY_TIMEOUT_MS = 10000
const STOP_TIMEOUT_MS = 2000

const binary = process.env.REDIS_SERVER_BINARY
const tempDir = process.env.REDIS_SERVER_TEMP_DIR
if (!binary) child.fail('REDIS_SERVER_BINARY must name the redis-server executable')
const requestedPort = child.parsePort(process.argv[2])

function removeTempDir () {
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true })
}

/** Resolves once Redis answers PING on the port; retries every 20 ms until READY_TIMEOUT_MS. */
function awaitPong (port) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1')
      const retry = () => {
        socket.destroy()
        if (Date.now() > deadline) reject(new Error(`no PONG on 127.0.0.1:${port} within ${READY_TIMEOUT_MS} ms`))
        else setTimeout(attempt, 20)
      }
      socket.on('error', retry)
      socket.on('connect', () => socket.write('PING\r\n'))
      socket.on('data', (data) => {
        if (data.toString().startsWith('+PONG')) {
          socket.destroy()
          resolve()
        } else retry()
      })
    }
    attempt()
  })
}

async function main () {
  const port = requestedPort || await child.freePort()
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning']
  if (tempDir) args.push('--dir', tempDir)
  await child.runProgram(binary, args, port,
    { label: 'redis-server', stopTimeoutMs: STOP_TIMEOUT_MS, awaitReady: awaitPong, onEnd: removeTempDir })
}

main()
