#!/usr/bin/env node
// Runs moto_server (moto, Apache-2.0: DynamoDB with Streams, Kinesis and more, in Python) as a child
// of a test JVM that ends with it, however the JVM ends. Usage:
//   MOTO_SERVER=/path/to/moto_server node tools/moto-server.js [port]   (0, the default, = any free port)
// MOTO_SERVER defaults to "moto_server" on the PATH. It speaks serve-child.js's protocol: it prints
// "MOTO_PORT=<n>" once GET /moto-api/ answers 200, and when its stdin closes (the JVM died), on
// SIGTERM and on SIGINT it stops moto_server (SIGTERM, then SIGKILL after 3 s) and exits. moto
// keeps everything in memory. If moto_server exits by itself, so does this launcher (code 1, its
// last lines on stderr). moto_server cannot bind port 0, so a free port is picked first.
'use strict'

const { spawn } = require('node:child_process')
const http = require('node:http')
const child = require('./serve-child')('moto')

const READY_TIMEOUT_MS = 20000
const STOP_TIMEOUT_MS = 3000
const KEEP_LOG_LINES = 5

const binary = process.env.MOTO_SERVER || 'moto_server'
const requestedPort = child.parsePort(process.argv[2])

/** Resolves once GET /moto-api/ answers 200 on the port; retries every 50 ms until READY_TIMEOUT_MS. */
function awaitReady (port) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const retry = () => {
        if (Date.now() > deadline) reject(new Error(`no answer on 127.0.0.1:${port} within ${READY_TIMEOUT_MS} ms`))
        else setTimeout(attempt, 50)
      }
      http.get({ host: '127.0.0.1', port, path: '/moto-api/' }, (res) => {
        res.resume()
        if (res.statusCode === 200) resolve()
        else retry()
      }).on('error', retry)
    }
    attempt()
  })
}

async function main () {
  const port = requestedPort || await child.freePort()
  const moto = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] })
  const log = []
  const keep = (chunk) => {
    log.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''))
    log.splice(0, Math.max(0, log.length - KEEP_LOG_LINES))
  }
  moto.stdout.on('data', keep)
  moto.stderr.on('data', keep)

  let stopping = false
  moto.on('error', (err) => child.fail(`could not run ${binary}: ${err.message}`))
  moto.on('exit', (code, signal) => {
    if (stopping) process.exit(0)
    child.fail(`moto_server exited by itself (${signal ? 'signal ' + signal : 'exit code ' + code}); its last lines:\n${log.join('\n')}`)
  })

  child.stopWithParent(() => {
    stopping = true
    moto.kill('SIGTERM')
    setTimeout(() => moto.kill('SIGKILL'), STOP_TIMEOUT_MS).unref()
  })

  try {
    await awaitReady(port)
  } catch (err) {
    stopping = true
    moto.kill('SIGKILL')
    process.exitCode = 1
    process.stderr.write(`moto-server: ${err.message}; its last lines:\n${log.join('\n')}\n`)
    return
  }
  process.stdout.write(`MOTO_PORT=${port}\n`)
}

main()
