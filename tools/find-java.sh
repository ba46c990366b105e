# Sourced (find_java_name=NAME; . tools/find-java.sh) by ./factline-local, ./factline-bench and .ci/run: picks a
# JDK 21 or newer and exports JAVA_HOME (and PATH, and MAVEN_OPTS on 24+) for it, or stops the
# script with what it looked at. The first that is 21+ wins, in this order: JAVA_HOME, the java on
# the PATH, then the newest in the usual install folders. It says on stderr which one it uses, as
# "NAME: using JDK 25 at /usr/lib/jvm/temurin-25-jdk-amd64 (from /usr/lib/jvm)". POSIX sh.

find_java_name=${find_java_name:-factline}

# The feature release (17, 21, 25, ...) of the JDK at $1 (with a javac: the build compiles), or nothing.
find_java_version() {
  [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}

find_java_use() { # home version where-from
  JAVA_HOME=$1
  PATH="$JAVA_HOME/bin:$PATH"
  export JAVA_HOME PATH
  # Maven's own sun.misc.Unsafe warnings on 24+; the flag does not exist on 21, so it cannot live in .mvn/jvm.config.
  if [ "$2" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in
      *" --sun-misc-unsafe-memory-access=allow "*) ;;
      *) MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
    esac
  fi
  echo "$find_java_name: using JDK $2 at $1 (from $3)${find_java_seen:+; passed over:}$find_java_seen" >&2
}

# "JDK 17" for a version, else what to say instead.
find_java_describe() {
  if [ -n "$1" ]; then echo "JDK $1"; else echo "$2"; fi
}

find_java_seen=""
find_java() {
  if [ -n "${JAVA_HOME:-}" ]; then
    version=$(find_java_version "$JAVA_HOME")
    if [ -n "$version" ] && [ "$version" -ge 21 ]; then find_java_use "$JAVA_HOME" "$version" JAVA_HOME; return; fi
    find_java_seen="$find_java_seen
  JAVA_HOME=$JAVA_HOME: $(find_java_describe "$version" "no JDK there")"
  fi
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    version=$(find_java_version "$home")
    if [ -n "$version" ] && [ "$version" -ge 21 ]; then find_java_use "$home" "$version" "the java on the PATH"; return; fi
    find_java_seen="$find_java_seen
  the java on the PATH, $home: $(find_java_describe "$version" "not a JDK")"
  fi
  best_home="" best_version=0
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/opt/openjdk* /Library/Java/JavaVirtualMachines/*/Contents/Home \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$home" ] || continue
    version=$(find_java_version "$home")
    if [ -n "$version" ] && [ "$version" -gt "$best_version" ]; then best_home=$home best_version=$version; fi
  done
  if [ "$best_version" -ge 21 ]; then find_java_use "$best_home" "$best_version" "the newest in the usual install folders"; return; fi
  echo "$find_java_name: needs a JDK 21 or newer and found none. It looked at:$find_java_seen
  /usr/lib/jvm, /opt/java, /opt/jdk*, /Library/Java/JavaVirtualMachines, ~/.sdkman, ~/.jdks: ${best_home:-no JDK}${best_home:+ (newest: JDK $best_version)}
Install one (e.g. Temurin 21 or newer) and run again, or point JAVA_HOME at it." >&2
  exit 1
}

find_java
