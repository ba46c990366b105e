#!/bin/sh
# tools/build-if-stale.sh JAR MODULE: builds MODULE and what it depends on (tests skipped) when JAR
# is missing or older than any source, pom or Node launcher of the repository; otherwise does nothing,
# so running a built tool again costs no build. Run from the repository root.
set -e
jar=$1 module=$2
if [ -f "$jar" ] && [ -z "$(find . \( -path ./node_modules -o -path '*/target' -o -path ./.git \) -prune -o \
      \( -name '*.java' -o -name pom.xml -o -name '*.js' -o -name '*.json' \) -newer "$jar" -print | head -n 1)" ]; then
  exit 0
fi
./mvnw -q -B -pl "$module" -am package -DskipTests
