#!/usr/bin/env bash
# Deploys the CDK app (local variant: no VPC, no ElastiCache) to a running LocalStack, writes the
# stack outputs to localstack/target/localstack-outputs.json (which `./mvnw -Plocalstack` reads)
# and prints the API URL. Start LocalStack and Redis first:
#   docker compose -f localstack/docker-compose.yml up -d
# Environment: LOCALSTACK_URL (http://localhost:4566), FACTLINE_LOCAL_REDIS_URL (redis://redis:6379,
# the Redis container as the Lambda containers see it on the compose network), STAGE (dev),
# FACTLINE_SKIP_BUILD=1 (the jars are built already: what the -Plocalstack suite sets when it has
# started LocalStack itself and deploys to it, after `./mvnw -B package -DskipTests`).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
localstack_url=${LOCALSTACK_URL:-http://localhost:4566}
redis_url=${FACTLINE_LOCAL_REDIS_URL:-redis://redis:6379}
stage=${STAGE:-dev}
outputs="$root/localstack/target/localstack-outputs.json"

fail() {
    printf 'deploy-localstack: %s\n' "$*" >&2
    exit 1
}

command -v docker >/dev/null 2>&1 \
    || fail "no docker command on the PATH: the LocalStack path needs Docker (https://docs.docker.com/get-docker/)"
if ! docker_error=$(docker info --format '{{.ServerVersion}}' 2>&1 >/dev/null); then
    fail "the Docker engine does not answer (docker info: ${docker_error:-no reason given}); start Docker, then: docker compose -f localstack/docker-compose.yml up -d"
fi
command -v curl >/dev/null 2>&1 || fail "curl is needed to check LocalStack's health"
if ! health=$(curl -s --max-time 5 "$localstack_url/_localstack/health"); then
    fail "LocalStack does not answer at $localstack_url; start it with: docker compose -f localstack/docker-compose.yml up -d"
fi
case $health in
    *'"services"'*) ;;
    *) fail "$localstack_url/_localstack/health did not answer as LocalStack does: $health" ;;
esac
command -v npx >/dev/null 2>&1 || fail "npx (Node 18+) is needed for aws-cdk-local"

export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test}
export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1}
export AWS_ENDPOINT_URL=${AWS_ENDPOINT_URL:-$localstack_url}

cd "$root"
if [ "${FACTLINE_SKIP_BUILD:-0}" != 1 ]; then
    ./mvnw -B package -DskipTests
fi
mkdir -p "$(dirname "$outputs")"

cd "$root/infra"
npx --yes aws-cdk-local@3.0.4 bootstrap
npx --yes aws-cdk-local@3.0.4 deploy --all --require-approval never \
    -c stage="$stage" -c local=true -c redisUrl="$redis_url" \
    --outputs-file "$outputs"

api_url=$(node -e '
const outputs = require(process.argv[1]);
const url = Object.values(outputs).map(stack => stack.ApiUrl).find(Boolean);
if (!url) { process.exit(1); }
console.log(url);
' "$outputs") || fail "no ApiUrl among the outputs in $outputs"

printf 'Factline on LocalStack: %s\n' "$api_url"
printf 'Outputs: %s\n' "$outputs"
printf 'Acceptance suite: ./mvnw -Plocalstack -pl localstack -am verify\n'
printf 'Journey: samples/demo.sh %s\n' "$api_url"
