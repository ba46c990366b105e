#!/bin/sh
# tools/build-if-stale.sh JAR MODULE: builds MODULE and what it depends on (tests skipped) when JAR
# is missing or older than any source, pom or Node launcher of the repository (the data folder .factline/
# aside: its JSON files change with every write); otherwise does nothing,
# so running a built tool again costs no build. Run from the repository root, with JAVA_HOME at a JDK
# 21+ (tools/find-java.sh). While it builds it prints one line per module on stderr
# ("building [4/5] Factline functions") and, if the build fails, Maven's errors.
set -e
jar=$1 module=$2
if [ -f "$jar" ] && [ -z "$(find . \( -path ./node_modules -o -path '*/target' -o -path ./.git -o -path ./.factline \) -prune -o \
      \( -name '*.java' -o -name pom.xml -o -name '*.js' -o -name '*.json' \) -newer "$jar" -print | head -n 1)" ]; then
  exit 0
fi
echo "building $module and what it needs (tests skipped; the first time takes a few minutes)..." >&2
# Maven's reactor line "[INFO] Building Factline functions 0.1.0-SNAPSHOT   [3/7]" becomes a progress
# line; its errors and whatever is not a Maven log line (npm's) pass; the rest of its log does not.
# A pipe loses Maven's exit status in POSIX sh, so it travels out on descriptor 3.
status=$( { { ./mvnw -B -pl "$module" -am package -DskipTests; echo $? >&3; } | sed -n \
    -e '/^\[INFO\] Building .*\[[0-9]*\/[0-9]*\]$/{s/^\[INFO\] Building \(.*[^ ]\)  *[^ ][^ ]*  *\[\([0-9]*\/[0-9]*\)\]$/building [\2] \1/p;d;}' \
    -e '/^\[ERROR\]/{p;d;}' -e '/^\[[A-Z]*\]/d' -e '/^[[:space:]]*$/d' -e p >&2; } 3>&1 )
[ "$status" -eq 0 ] || { echo "the build failed (Maven's exit status $status); its errors are above" >&2; exit "$status"; }
