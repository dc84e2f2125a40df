#!/usr/bin/env bash
# Makes sure the services the test suite talks to are running: PostgreSQL on 127.0.0.1:5432.
# Machines of this project's kind start it at boot; this starts it again if it stopped.
set -uo pipefail

pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }

if ! pg_up; then
  echo "ensure-services: PostgreSQL is not answering on 127.0.0.1:5432, starting it"
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for v in $(ls /etc/postgresql); do pg_ctlcluster --skip-systemctl-redirect "$v" main start || true; done
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if pg_up; then
  echo "ensure-services: PostgreSQL ready on 127.0.0.1:5432"
else
  echo "ensure-services: PostgreSQL is not available on 127.0.0.1:5432; the PostgreSQL tests will fail" >&2
fi
