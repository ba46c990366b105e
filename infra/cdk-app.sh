#!/bin/sh
# The command cdk.json runs: the CDK app's main class on the class path the Maven build wrote
# (target/classpath.txt). Run cdk from infra/; the functions' jar is ../functions/target/functions-lambda.jar.
cd "$(dirname "$0")" || exit 1
if [ ! -f target/classpath.txt ] || [ ! -d target/classes ]; then
  echo "Factline's CDK app is not built yet. From the repository root run:" >&2
  echo "    ./mvnw -B package -DskipTests" >&2
  echo "(a JDK 21+ in JAVA_HOME), then run cdk again from infra/." >&2
  exit 1
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ -z "$version" ] || [ "${version%%.*}" -lt 21 ]; then
  echo "Factline's CDK app needs Java 21 or newer, but '$java' is Java ${version:-unknown}." >&2
  echo "Point JAVA_HOME at a JDK 21+, e.g. export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64" >&2
  exit 1
fi
# jsii runs the CDK in Node; Node 20 would print an end-of-life banner on every synth.
JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION
exec "$java" -cp "target/classes:$(cat target/classpath.txt)" dev.factline.infra.FactlineApp
