# Sourced by ./mvnw, ./run.sh and .ci/run: Vigil builds and runs on JDK 21 or newer. When JAVA_HOME (or
# the java on PATH) is older, pick the newest JDK >= 21 installed under /usr/lib/jvm (or /opt/java,
# ~/.sdkman, ~/.jdks) and export it as JAVA_HOME.
vigil_jdk_major() {
  "$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'
}
vigil_jdk_usable() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(vigil_jdk_major "$1")" -ge 21 ] 2>/dev/null
}
vigil_select_jdk() {
  if [ -n "${JAVA_HOME-}" ] && vigil_jdk_usable "$JAVA_HOME"; then return 0; fi
  _vigil_best="" _vigil_best_major=0
  _vigil_path_jdk=""
  if command -v javac >/dev/null 2>&1; then
    _vigil_path_jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  fi
  case $- in *f*) _vigil_noglob=1; set +f ;; *) _vigil_noglob=0 ;; esac
  for _vigil_candidate in "$_vigil_path_jdk" /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -n "$_vigil_candidate" ] && vigil_jdk_usable "$_vigil_candidate" || continue
    _vigil_major=$(vigil_jdk_major "$_vigil_candidate")
    if [ "$_vigil_major" -gt "$_vigil_best_major" ]; then
      _vigil_best=$_vigil_candidate _vigil_best_major=$_vigil_major
    fi
  done
  [ "$_vigil_noglob" = 0 ] || set -f
  if [ -z "$_vigil_best" ]; then
    echo "Vigil needs a JDK 21 or newer: set JAVA_HOME to one (found ${JAVA_HOME:-no JAVA_HOME} and $(java -version 2>&1 | head -n 1))." >&2
    return 1
  fi
  JAVA_HOME=$_vigil_best
  PATH="$JAVA_HOME/bin:$PATH"
  export JAVA_HOME PATH
}
vigil_select_jdk || exit 1
