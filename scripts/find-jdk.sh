# Sourced by ./meshdeck and .ci/run: sets JAVA_HOME to a JDK 21 or newer, or stops with a clear message.
# Order: $JAVA_HOME, Temurin 25 where this project's machines have it, any JDK under /usr/lib/jvm, `java` on the PATH.

meshdeck_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

meshdeck_find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
  for d in /usr/lib/jvm/*; do [ -d "$d" ] && candidates+=("$d"); done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local c major
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(meshdeck_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "meshdeck: no JDK 21 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/*, and java on the PATH)." >&2
  echo "meshdeck: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}

meshdeck_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
