#!/bin/bash
# Docker health check of the gateway: the liveness probe answers 200 (it needs no credentials).
# The port is the gateway's own: CAMEL_SERVER_PORT, else camel.server.port in $TIC_CONFIG, else 8080.
port=${CAMEL_SERVER_PORT:-}
if [[ -z $port && -r ${TIC_CONFIG:-} ]]; then
  port=$(sed -n 's/^[[:space:]]*camel\.server\.port[[:space:]]*[=:][[:space:]]*\([0-9]*\).*/\1/p' "$TIC_CONFIG" | tail -n 1)
fi
port=${port:-8080}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /observe/health/live HTTP/1.0\r\n\r\n' >&3
read -r -t 5 status <&3 && [[ $status =~ ^HTTP/1\.[01]\ 200 ]]
