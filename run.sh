#!/bin/sh
# Builds Vigil and runs it on its embedded defaults: the server (port 8080) with its embedded MariaDB in ./data,
# and a monitor agent for this machine (a child process on 127.0.0.1:9130), registered with the server
# automatically; and the Telegram bot when a bot token is configured (docs/telegram.md). Ctrl-C stops them all.
# Settings of the server and the agent (see docs/server.md, docs/agent.md) pass through the environment:
#   VIGIL_SERVER_PORT=8081 VIGIL_AGENT_PORT=9131 ./run.sh     other ports
#   VIGIL_SERVER_HOST=0.0.0.0 ./run.sh                         the server open to the network (run.sh's own
#                                                              default is this machine only, 127.0.0.1)
set -eu
cd "$(dirname "$0")"
. ./.mvn/select-jdk.sh
java="$JAVA_HOME/bin/java"
echo "Building Vigil (JDK: $JAVA_HOME) ..."
./mvnw -q -B -DskipTests package

export VIGIL_AGENT_TOKEN="${VIGIL_AGENT_TOKEN:-$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')}"
# The action token lets the server send what the gate approves (nothing while the dry run is on, the default);
# the agent still refuses whatever its own policy (VIGIL_AGENT_ALLOWED_SERVICES, …, empty by default) does not
# allow. Its journal of actions lives beside the data.
export VIGIL_AGENT_ACTION_TOKEN="${VIGIL_AGENT_ACTION_TOKEN:-$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')}"
export VIGIL_AGENT_HOST="${VIGIL_AGENT_HOST:-127.0.0.1}" VIGIL_AGENT_PORT="${VIGIL_AGENT_PORT:-9130}"
# A development run stays on this machine; the server's own default (every interface) is for deployments.
export VIGIL_SERVER_HOST="${VIGIL_SERVER_HOST:-127.0.0.1}"
export VIGIL_SERVER_PORT="${VIGIL_SERVER_PORT:-8080}" VIGIL_DATA_DIR="${VIGIL_DATA_DIR:-$PWD/data}"
# The editable rules live beside the data (seeded from the defaults on the first run), not in the source tree.
export VIGIL_RULES_DIR="${VIGIL_RULES_DIR:-$VIGIL_DATA_DIR/rules}"
export VIGIL_AGENT_STATE_DIR="${VIGIL_AGENT_STATE_DIR:-$VIGIL_DATA_DIR/agent}"
mkdir -p "$VIGIL_AGENT_STATE_DIR"
# The first admin: made by the server on its first start; the password is generated once into the data dir.
export VIGIL_ADMIN_USER="${VIGIL_ADMIN_USER:-admin}"
password_file=$VIGIL_DATA_DIR/admin-password
if [ -z "${VIGIL_ADMIN_PASSWORD:-}" ]; then
  [ -f "$password_file" ] || (umask 077 && od -An -tx1 -N12 /dev/urandom | tr -d ' \n' >"$password_file")
  VIGIL_ADMIN_PASSWORD=$(cat "$password_file")
fi
export VIGIL_ADMIN_PASSWORD
server_url="http://127.0.0.1:$VIGIL_SERVER_PORT"
agent_url="http://$VIGIL_AGENT_HOST:$VIGIL_AGENT_PORT"
name=$(hostname | tr -c 'A-Za-z0-9._\n-' '-' | cut -c1-200)

# Another Vigil (an earlier ./run.sh still running) would answer in place of this one's server.
for url in "$server_url" "$agent_url"; do
  if curl -s -o /dev/null --max-time 2 "$url/health/live"; then
    echo "run.sh: something already answers at $url (an earlier ./run.sh?): stop it, or choose other ports" \
      "(VIGIL_SERVER_PORT=8081 VIGIL_AGENT_PORT=9131 ./run.sh)" >&2
    exit 1
  fi
done

JAVA="$java" monitor-agent/packaging/vigil-agent &
agent=$!
# run.sh starts the bot itself once the server is up (below), not the server's launcher
VIGIL_TELEGRAM_TOKEN= VIGIL_TELEGRAM_TOKEN_FILE= JAVA="$java" server/packaging/vigil-server &
server=$!
trap 'kill $agent $server 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

if [ -d "$VIGIL_DATA_DIR/mariadb" ]; then
  printf 'Waiting for the server (data in %s) ' "$VIGIL_DATA_DIR"
else
  printf 'Waiting for the server (its first start unpacks MariaDB into %s, about 15 s) ' "$VIGIL_DATA_DIR"
fi
tries=0
until curl -fs "$server_url/health/ready" >/dev/null 2>&1; do
  if ! kill -0 $server 2>/dev/null; then echo; echo "run.sh: the server stopped; its messages are above" >&2; exit 1; fi
  tries=$((tries + 1))
  if [ $tries -gt 240 ]; then echo; echo "run.sh: the server is not ready after 120 s" >&2; exit 1; fi
  printf '.'
  sleep 0.5
done
echo " ready"
# One API token for run.sh, kept in the data dir and reused while the server still accepts it; when a new one
# is issued, the earlier run.sh tokens are revoked.
token_file=$VIGIL_DATA_DIR/run.sh-api-token
api_token=$(cat "$token_file" 2>/dev/null || true)
if [ -z "$api_token" ] || ! curl -fs -o /dev/null -H "Authorization: Bearer $api_token" "$server_url/api/v1/auth/me"
then
  if ! api_token=$(VIGIL_PASSWORD=$VIGIL_ADMIN_PASSWORD server/packaging/vigil-api-token "$server_url" \
      "$VIGIL_ADMIN_USER" run.sh) || [ -z "$api_token" ]; then
    echo "run.sh: cannot log in as $VIGIL_ADMIN_USER (changed its password? set VIGIL_ADMIN_PASSWORD)" >&2
    exit 1
  fi
  (umask 077 && printf '%s\n' "$api_token" >"$token_file")
  ids=$(curl -fs -H "Authorization: Bearer $api_token" "$server_url/api/v1/tokens" | tr '{' '\n' \
    | grep '"name":"run.sh"' | grep '"revoked_at":null' | sed -n 's/^"id":\([0-9]*\).*/\1/p' | sort -n)
  newest=$(printf '%s\n' "$ids" | tail -n 1)
  for old in $ids; do
    [ "$old" = "$newest" ] || curl -fs -o /dev/null -X DELETE -H "Authorization: Bearer $api_token" \
      "$server_url/api/v1/tokens/$old" || echo "run.sh: could not revoke the earlier run.sh token $old" >&2
  done
fi
auth="Authorization: Bearer $api_token"

# Register this machine's agent, or give the existing registration this run's token.
host="{\"name\":\"$name\",\"url\":\"$agent_url\",\"token\":\"$VIGIL_AGENT_TOKEN\",\"action_token\":\"$VIGIL_AGENT_ACTION_TOKEN\","
host="$host\"interval_seconds\":10,\"policy\":{\"allowed_services\":[$(echo "${VIGIL_AGENT_ALLOWED_SERVICES:-}" \
  | tr ',' '\n' | sed 's/^ *//; s/ *$//; /^$/d; s/.*/"&"/' | paste -sd, -)]}}"
id=$(curl -fs -H "$auth" "$server_url/api/v1/hosts" | tr '{' '\n' | grep "\"name\":\"$name\"" | sed -n 's/^"id":\([0-9]*\).*/\1/p')
if [ -n "$id" ]; then
  curl -fs -X PUT -H "$auth" -H 'Content-Type: application/json' -d "$host" "$server_url/api/v1/hosts/$id" >/dev/null
else
  id=$(curl -fs -X POST -H "$auth" -H 'Content-Type: application/json' -d "$host" "$server_url/api/v1/hosts" \
    | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
fi

# The Telegram bot (docs/telegram.md) runs beside the server when a bot token is configured: VIGIL_TELEGRAM_TOKEN,
# or the one saved in Admin → Telegram. It keeps its outbox in the data dir and acts with this run's API token.
if [ -n "${VIGIL_TELEGRAM_TOKEN:-}${VIGIL_TELEGRAM_TOKEN_FILE:-}" ] \
  || curl -fs -H "$auth" "$server_url/api/v1/settings/telegram" | grep -q '"token_set":true'; then
  VIGIL_SERVER_URL=$server_url VIGIL_SERVER_API_TOKEN=$api_token JAVA="$java" telegram-bot/packaging/vigil-telegram-bot &
  bot=$!
  trap 'kill $agent $server $bot 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
  telegram="the Telegram bot runs beside them (its status: Admin → Telegram)"
else
  telegram="Telegram: no bot token yet; save one in Admin → Telegram (or set VIGIL_TELEGRAM_TOKEN), then start ./run.sh again"
fi

echo
echo "Vigil is running: the server at $server_url, this machine's agent at $agent_url."
echo "  $telegram"
echo "  for scripts, an admin API token of this run (curl -H \"\$auth\" …):"
echo "    auth='$auth'"
echo "  this machine ($name), live:  curl -H \"\$auth\" $server_url/api/v1/hosts/$id/latest"
echo "  live events:                 curl -N -H \"\$auth\" $server_url/api/v1/events"
echo "  the rules live in $VIGIL_RULES_DIR (edit and save there or in the UI: they reload)"
echo "Ctrl-C stops Vigil; the data stays in $VIGIL_DATA_DIR."
echo
echo "Log in as $VIGIL_ADMIN_USER with the password $VIGIL_ADMIN_PASSWORD (kept in $password_file) at the dashboard:"
echo "Dashboard: http://localhost:$VIGIL_SERVER_PORT/"
wait $server
