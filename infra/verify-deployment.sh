#!/bin/sh
# Runs the acceptance suite, signed (SigV4), against a deployed stage:
#   infra/verify-deployment.sh STAGE          e.g. infra/verify-deployment.sh dev
# It reads the ApiUrl output of the stack Factline-STAGE-Service with the AWS CLI
# (aws cloudformation describe-stacks; region and credentials as the CLI finds them: AWS_REGION,
# AWS_PROFILE, ...), then runs JourneyAcceptanceIT against it with FACTLINE_API_AUTH=iam, which
# signs every request with the AWS SDK's signer and credentials from the SDK's default chain. The
# credentials need execute-api:Invoke on the API. FACTLINE_API_URL set: that URL is tested instead
# of reading the stack (for a stage whose outputs you already have, or ./factline-local --auth iam).
# Exit status: 0 passed, 1 the suite failed, 2 bad arguments, 3 the stack's API URL could not be read.
# The suite writes to the stage (accounts and orders with fresh ids): point it at a test stage.
set -eu
cd "$(dirname "$0")/.."
usage() { echo "usage: infra/verify-deployment.sh STAGE   (the cdk context stage, e.g. dev)" >&2; exit 2; }
[ $# -eq 1 ] || usage
STAGE=$1
case $STAGE in
  -h|--help) echo "usage: infra/verify-deployment.sh STAGE   (the cdk context stage, e.g. dev)"; exit 0 ;;
  ''|-*|*[!A-Za-z0-9-]*) echo "verify-deployment: the stage must be letters, digits and dashes (as in -c stage=...), not \"$STAGE\"" >&2; exit 2 ;;
esac
STACK="Factline-$STAGE-Service"

if [ -n "${FACTLINE_API_URL:-}" ]; then
  URL=$FACTLINE_API_URL
  echo "verify-deployment: FACTLINE_API_URL is set, so $URL is tested (the outputs of $STACK are not read)"
else
  if ! command -v aws >/dev/null 2>&1; then
    echo "verify-deployment: no aws command on the PATH: install the AWS CLI to read the outputs of $STACK, or set FACTLINE_API_URL to its ApiUrl" >&2
    exit 3
  fi
  if ! URL=$(aws cloudformation describe-stacks --stack-name "$STACK" --query "Stacks[0].Outputs[?OutputKey=='ApiUrl'].OutputValue" --output text 2>/tmp/verify-deployment.$$); then
    said=$(tail -n 3 /tmp/verify-deployment.$$); rm -f /tmp/verify-deployment.$$
    case $said in
      *"Unable to locate credentials"*|*"credentials"*|*"ExpiredToken"*|*"InvalidClientTokenId"*)
        echo "verify-deployment: no usable AWS credentials to read $STACK ($said). Configure them as for the cdk deploy (AWS_PROFILE, aws configure, aws sso login)." >&2 ;;
      *"does not exist"*)
        echo "verify-deployment: there is no stack $STACK in this account and region ($said). Deploy it with: cd infra && npx cdk deploy --all -c stage=$STAGE" >&2 ;;
      *) echo "verify-deployment: could not read the outputs of $STACK: $said" >&2 ;;
    esac
    exit 3
  fi
  rm -f /tmp/verify-deployment.$$
  if [ -z "$URL" ] || [ "$URL" = None ]; then
    echo "verify-deployment: $STACK has no ApiUrl output; redeploy it (cd infra && npx cdk deploy --all -c stage=$STAGE)" >&2
    exit 3
  fi
  echo "verify-deployment: $STACK's ApiUrl is $URL"
fi

find_java_name=verify-deployment
. tools/find-java.sh
export FACTLINE_API_URL="$URL" FACTLINE_API_AUTH=iam
echo "verify-deployment: building the acceptance suite (./mvnw -pl localstack -am install -DskipTests -DskipITs)"
./mvnw -B -q -pl localstack -am install -DskipTests -DskipITs
echo "verify-deployment: JourneyAcceptanceIT, signed, against $URL"
# The failsafe goals alone: the build's second runs (moto, the embedded pipeline signed) are not for a deployment.
if ./mvnw -B -pl localstack failsafe:integration-test failsafe:verify -Dit.test=JourneyAcceptanceIT; then
  echo "verify-deployment: $STAGE passed the acceptance suite"
else
  echo "verify-deployment: $STAGE failed the acceptance suite; localstack/target/failsafe-reports/ has each test's answer" >&2
  exit 1
fi
