#!/bin/sh
# Walks Factline's journey against a running pipeline and prints each request and its answer:
#   ./factline-local            (in another terminal; or any deployment's URL)
#   samples/demo.sh [base-url]  (default http://127.0.0.1:8080)
# Needs curl only. Every id is fresh, so the demo can run again and again against one pipeline.
# FACTLINE_API_AUTH=iam signs every request with SigV4 (curl's --aws-sigv4), as an API with IAM auth
# (a deployment, ./factline-local --auth iam) wants: credentials from AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else from `aws configure export-credentials` (AWS CLI
# v2, which reads the SDK's default chain: profiles, SSO, instance roles); region AWS_REGION.
set -eu
BASE=${1:-http://127.0.0.1:8080}
case ${FACTLINE_API_AUTH:-none} in
  none) ;;
  iam)
    if [ -z "${AWS_ACCESS_KEY_ID:-}" ] && command -v aws >/dev/null 2>&1; then
      eval "$(aws configure export-credentials --format env 2>/dev/null || true)"
    fi
    if [ -z "${AWS_ACCESS_KEY_ID:-}" ] || [ -z "${AWS_SECRET_ACCESS_KEY:-}" ]; then
      echo "demo: FACTLINE_API_AUTH=iam needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (./factline-local --auth iam prints a pair), or configure the AWS CLI v2" >&2
      exit 2
    fi
    REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}} ;;
  *) echo "demo: FACTLINE_API_AUTH must be iam or none, not \"$FACTLINE_API_AUTH\"" >&2; exit 2 ;;
esac
# api [curl args...]: curl, signed when FACTLINE_API_AUTH=iam.
api() {
  if [ "${FACTLINE_API_AUTH:-none}" = iam ]; then
    if [ -n "${AWS_SESSION_TOKEN:-}" ]; then set -- -H "x-amz-security-token: $AWS_SESSION_TOKEN" "$@"; fi
    curl --aws-sigv4 "aws:amz:$REGION:execute-api" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" "$@"
  else
    curl "$@"
  fi
}
RUN=$(date +%s)
ACCOUNT="a-demo-$RUN"
PAID_ORDER="o-paid-$RUN"
DECLINED_ORDER="o-declined-$RUN"
JSON='content-type: application/json'

step() { printf '\n== %s\n' "$1"; }
# call METHOD PATH [BODY] [extra curl args...]: prints the request, the status line, the ETag and the body.
call() {
  method=$1 path=$2 body=${3:-}
  shift 2; [ $# -gt 0 ] && shift
  printf '> %s %s %s\n' "$method" "$path" "$body"
  if [ -n "$body" ]; then
    api -sS -i -X "$method" "$BASE$path" -H "$JSON" -d "$body" "$@"
  else
    api -sS -i -X "$method" "$BASE$path" "$@"
  fi | tr -d '\r' | awk 'NR==1 || tolower($0) ~ /^(etag|idempotent-replayed|location):/ || body {print} /^$/ {body=1}'
  printf '\n'
}
# field NAME: the first "NAME":"value" in standard input
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" | head -n 1; }
# await_status ORDER STATUS: polls the order's view until it shows STATUS (10 s at most), never a fixed sleep.
await_status() {
  deadline=$(( $(date +%s) + 10 ))
  while :; do
    status=$(api -sS "$BASE/orders/$1" | field status || true)
    if [ "$status" = "$2" ]; then printf '  order %s is %s\n' "$1" "$status"; return 0; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then printf '  order %s is still %s after 10 s\n' "$1" "${status:-not projected}"; return 1; fi
    sleep 0.2
  done
}

step "Open an account (201, ETag \"1\")"
call POST /accounts "{\"accountId\":\"$ACCOUNT\",\"ownerId\":\"alice\",\"currency\":\"EUR\"}"

step "Deposit 50.00 EUR with an Idempotency-Key"
call POST "/accounts/$ACCOUNT/deposits" '{"amount":{"minorUnits":5000,"currency":"EUR"},"reference":"salary"}' -H "Idempotency-Key: deposit-$RUN"

step "The same request again: the original answer, nothing written twice (Idempotent-Replayed: true)"
call POST "/accounts/$ACCOUNT/deposits" '{"amount":{"minorUnits":5000,"currency":"EUR"},"reference":"salary"}' -H "Idempotency-Key: deposit-$RUN"

step "Withdraw more than the balance: refused by the account's rule (422 problem+json)"
call POST "/accounts/$ACCOUNT/withdrawals" '{"amount":{"minorUnits":900000,"currency":"EUR"}}'

step "A withdrawal pinned to an old version: 412"
call POST "/accounts/$ACCOUNT/withdrawals" '{"amount":{"minorUnits":100,"currency":"EUR"}}' -H 'If-Match: "1"'

step "Read your own write: the view at version 2 at least, even before the projector ran"
call GET "/accounts/$ACCOUNT?minVersion=2"

step "Place an order the account can pay (30.00 EUR): the saga debits the account and pays the order"
call POST /orders "{\"orderId\":\"$PAID_ORDER\",\"customerId\":\"alice\",\"accountId\":\"$ACCOUNT\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"book\",\"quantity\":2,\"unitPrice\":{\"minorUnits\":1500,\"currency\":\"EUR\"}}]}"
await_status "$PAID_ORDER" PAID

step "Place an order it cannot pay (500.00 EUR): the debit is declined and the saga cancels the order"
call POST /orders "{\"orderId\":\"$DECLINED_ORDER\",\"customerId\":\"alice\",\"accountId\":\"$ACCOUNT\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"bike\",\"quantity\":1,\"unitPrice\":{\"minorUnits\":50000,\"currency\":\"EUR\"}}]}"
await_status "$DECLINED_ORDER" CANCELLED
call GET "/orders/$DECLINED_ORDER"

step "Ship the paid order; a shipped order cannot be cancelled (422)"
call POST "/orders/$PAID_ORDER/shipment" ''
call POST "/orders/$PAID_ORDER/cancellation" '{"reason":"too late"}'

step "The account now: 50.00 deposited, 30.00 paid for the order"
call GET "/accounts/$ACCOUNT?minVersion=3"

step "The account as it stood at version 2 (a temporal query rebuilt from its events)"
call GET "/accounts/$ACCOUNT?atVersion=2"

step "Its audit history"
call GET "/accounts/$ACCOUNT/events?limit=10"

step "The customer's orders and the dashboard"
call GET /customers/alice/orders
call GET /dashboard

step "A bad request: a precise problem, nothing written (400)"
call POST "/accounts/$ACCOUNT/deposits" '{"amount":{"minorUnits":-5,"currency":"EUR"}}'
